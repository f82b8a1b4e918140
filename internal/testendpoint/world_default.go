package testendpoint

import "time"

// Default world constants. Tests of other packages rely on these exact values.
const (
	DefaultRegion = "cn-north-4" // every domain has one project named after the region

	OwnerDomainID      = "1d8a5e8c0c0b4a3f9d4b7e6f5a4c3b21"
	OwnerDomainName    = "owner-domain"
	OwnerProjectID     = "0605767b5780d5762fc5c0118072a564"
	OwnerUserName      = "owner-admin"
	OwnerPassword      = "Owner-Passw0rd!"
	OwnerAccessKey     = "OWNERAK1TESTENDPOINT"
	OwnerSecretKey     = "OwnerSecretKey0TestEndpoint0000000000001"
	OwnerTempAccessKey = "OWNERTMPAKTESTENDPNT" // temporary credential: needs X-Security-Token
	OwnerTempSecretKey = "OwnerTempSecretKey0TestEndpoint000000001"
	OwnerSecurityToken = "owner-security-token-0001"
	OwnerToken         = "owner-static-token-0001" // pre-issued project-scoped token, never expires

	Receiver1DomainID   = "2e9b6f9d1d1c5b4a0e5c8f7a6b5d4c32"
	Receiver1DomainName = "receiver1-domain"
	Receiver1ProjectID  = "075e6035d300d48c2fd0c00b78b71ebf"
	Receiver1UserName   = "receiver1-admin"
	Receiver1Password   = "Receiver1-Passw0rd!"
	Receiver1AccessKey  = "RECV1AKTESTENDPOINT1"
	Receiver1SecretKey  = "Receiver1SecretKey0TestEndpoint000000001"
	Receiver1Token      = "receiver1-static-token-0001"

	Receiver2DomainID   = "3f0c7a0e2e2d6c5b1f6d9a8b7c6e5d43"
	Receiver2DomainName = "receiver2-domain"
	Receiver2ProjectID  = "f841e01fd2b14e7fa41b6ae7aa6b0594"
	Receiver2UserName   = "receiver2-admin"
	Receiver2Password   = "Receiver2-Passw0rd!"
	Receiver2AccessKey  = "RECV2AKTESTENDPOINT1"
	Receiver2SecretKey  = "Receiver2SecretKey0TestEndpoint000000001"
	Receiver2Token      = "receiver2-static-token-0001"

	OwnerServerVaultID     = "6a1b7c2d-0000-4000-8000-000000000101" // owner, server, 1000 GB
	Receiver1ServerVaultID = "6a1b7c2d-0000-4000-8000-000000000201" // server, 1000 GB
	Receiver1DiskVaultID   = "6a1b7c2d-0000-4000-8000-000000000202" // disk, 1000 GB
	Receiver1FullVaultID   = "6a1b7c2d-0000-4000-8000-000000000203" // server, 50 GB capacity, 45 GB used
	Receiver2ServerVaultID = "6a1b7c2d-0000-4000-8000-000000000301" // server, 1000 GB
	Receiver2DiskVaultID   = "6a1b7c2d-0000-4000-8000-000000000302" // disk, 1000 GB

	// backups, all owned by OwnerProjectID
	ServerBackupID      = "0b07081e-3ec7-4e77-8571-54e2947da422" // server, available, 40 GB
	ServerBackup2ID     = "0b07081e-0000-4000-8000-000000000002" // server, available, 10 GB
	DiskBackupID        = "0b07081e-0000-4000-8000-000000000003" // disk, available, 20 GB (CBR v3 refuses it: 6700, unless world allows disk sharing)
	EncryptedBackupID   = "0b07081e-0000-4000-8000-000000000004" // server, available, encrypted (6709)
	UnavailableBackupID = "0b07081e-0000-4000-8000-000000000005" // server, status "creating" (6702)
	DiskBackup2ID       = "0b07081e-0000-4000-8000-000000000006" // disk, available, 5 GB (for VBS sharing)

	FullECSImageID = "d164b5df-1bc3-4c3f-893e-3e471fd16e64" // owner's full-ECS image made from ServerBackup2ID: accepting needs vault_id
	SystemImageID  = "d164b5df-0000-4000-8000-000000000002" // owner's plain system-disk image: no vault needed
)

// Extra default-world IDs that the contract does not fix but users may need.
const (
	// OwnerDiskVaultID holds the owner's disk backups (a backup's vault must match its type).
	OwnerDiskVaultID = "6a1b7c2d-0000-4000-8000-000000000102"
	OwnerUserID      = "7116d09f88fa41908676fdd4b039e001"
	Receiver1UserID  = "7116d09f88fa41908676fdd4b039e002"
	Receiver2UserID  = "7116d09f88fa41908676fdd4b039e003"
)

// defaultTime is the creation time of the default world's objects; fixed so snapshots are stable.
var defaultTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// DefaultWorld returns a fresh copy of the built-in world described in the package doc.
func DefaultWorld() World {
	quirk := true
	region := DefaultRegion
	return World{
		Region:             region,
		TokenLifetime:      Duration(defaultTokenLifetime),
		DeletedBackupQuirk: &quirk,
		Seed:               1,
		Domains: []Domain{
			{ID: OwnerDomainID, Name: OwnerDomainName},
			{ID: Receiver1DomainID, Name: Receiver1DomainName},
			{ID: Receiver2DomainID, Name: Receiver2DomainName},
		},
		Projects: []Project{
			{ID: OwnerProjectID, Name: region, DomainID: OwnerDomainID},
			{ID: Receiver1ProjectID, Name: region, DomainID: Receiver1DomainID},
			{ID: Receiver2ProjectID, Name: region, DomainID: Receiver2DomainID},
		},
		Users: []User{
			{ID: OwnerUserID, Name: OwnerUserName, DomainID: OwnerDomainID, Password: OwnerPassword,
				AccessKeys: []AccessKey{
					{AccessKey: OwnerAccessKey, SecretKey: OwnerSecretKey},
					{AccessKey: OwnerTempAccessKey, SecretKey: OwnerTempSecretKey, SecurityToken: OwnerSecurityToken},
				}},
			{ID: Receiver1UserID, Name: Receiver1UserName, DomainID: Receiver1DomainID, Password: Receiver1Password,
				AccessKeys: []AccessKey{{AccessKey: Receiver1AccessKey, SecretKey: Receiver1SecretKey}}},
			{ID: Receiver2UserID, Name: Receiver2UserName, DomainID: Receiver2DomainID, Password: Receiver2Password,
				AccessKeys: []AccessKey{{AccessKey: Receiver2AccessKey, SecretKey: Receiver2SecretKey}}},
		},
		Tokens: []StaticToken{
			{Token: OwnerToken, UserID: OwnerUserID, ProjectID: OwnerProjectID},
			{Token: Receiver1Token, UserID: Receiver1UserID, ProjectID: Receiver1ProjectID},
			{Token: Receiver2Token, UserID: Receiver2UserID, ProjectID: Receiver2ProjectID},
		},
		Vaults: []Vault{
			{ID: OwnerServerVaultID, ProjectID: OwnerProjectID, Name: "owner-server-vault", ResourceType: ResourceServer, CapacityGB: 1000, UsedGB: 73},
			{ID: OwnerDiskVaultID, ProjectID: OwnerProjectID, Name: "owner-disk-vault", ResourceType: ResourceDisk, CapacityGB: 1000, UsedGB: 25},
			{ID: Receiver1ServerVaultID, ProjectID: Receiver1ProjectID, Name: "receiver1-server-vault", ResourceType: ResourceServer, CapacityGB: 1000},
			{ID: Receiver1DiskVaultID, ProjectID: Receiver1ProjectID, Name: "receiver1-disk-vault", ResourceType: ResourceDisk, CapacityGB: 1000},
			{ID: Receiver1FullVaultID, ProjectID: Receiver1ProjectID, Name: "receiver1-full-vault", ResourceType: ResourceServer, CapacityGB: 50, UsedGB: 45},
			{ID: Receiver2ServerVaultID, ProjectID: Receiver2ProjectID, Name: "receiver2-server-vault", ResourceType: ResourceServer, CapacityGB: 1000},
			{ID: Receiver2DiskVaultID, ProjectID: Receiver2ProjectID, Name: "receiver2-disk-vault", ResourceType: ResourceDisk, CapacityGB: 1000},
		},
		Backups: []Backup{
			{ID: ServerBackupID, ProjectID: OwnerProjectID, Name: "server-backup", ResourceType: ResourceServer, ResourceID: "5b4d0a4c-0000-4000-8000-000000000001", Status: "available", SizeGB: 40, VaultID: OwnerServerVaultID, CreatedAt: defaultTime},
			{ID: ServerBackup2ID, ProjectID: OwnerProjectID, Name: "server-backup-2", ResourceType: ResourceServer, ResourceID: "5b4d0a4c-0000-4000-8000-000000000002", Status: "available", SizeGB: 10, VaultID: OwnerServerVaultID, CreatedAt: defaultTime},
			{ID: DiskBackupID, ProjectID: OwnerProjectID, Name: "disk-backup", ResourceType: ResourceDisk, ResourceID: "5b4d0a4c-0000-4000-8000-000000000003", Status: "available", SizeGB: 20, VaultID: OwnerDiskVaultID, CreatedAt: defaultTime},
			{ID: EncryptedBackupID, ProjectID: OwnerProjectID, Name: "encrypted-backup", ResourceType: ResourceServer, ResourceID: "5b4d0a4c-0000-4000-8000-000000000004", Status: "available", SizeGB: 15, Encrypted: true, VaultID: OwnerServerVaultID, CreatedAt: defaultTime},
			{ID: UnavailableBackupID, ProjectID: OwnerProjectID, Name: "unavailable-backup", ResourceType: ResourceServer, ResourceID: "5b4d0a4c-0000-4000-8000-000000000005", Status: "creating", SizeGB: 8, VaultID: OwnerServerVaultID, CreatedAt: defaultTime},
			{ID: DiskBackup2ID, ProjectID: OwnerProjectID, Name: "disk-backup-2", ResourceType: ResourceDisk, ResourceID: "5b4d0a4c-0000-4000-8000-000000000006", Status: "available", SizeGB: 5, VaultID: OwnerDiskVaultID, CreatedAt: defaultTime},
		},
		Images: []Image{
			{ID: FullECSImageID, ProjectID: OwnerProjectID, Name: "full-ecs-image", BackupID: ServerBackup2ID, SizeGB: 10},
			{ID: SystemImageID, ProjectID: OwnerProjectID, Name: "system-image", SizeGB: 40},
		},
		CBRMembers:   []CBRMember{},
		VBSShares:    []VBSShare{},
		ImageMembers: []ImageMember{},
	}
}
