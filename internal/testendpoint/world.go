package testendpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"
)

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

// Resource types, statuses and limits of the world model.
const (
	ResourceServer = "server"
	ResourceDisk   = "disk"

	StatusPending  = "pending"
	StatusAccepted = "accepted"
	StatusRejected = "rejected"

	defaultTokenLifetime = 24 * time.Hour
	maxCBRMembers        = 10  // UMN: a backup can be shared with at most 10 projects
	maxFullECSMembers    = 10  // IMS: full-ECS images go to at most 10 tenants
	maxImageMembers      = 256 // IMS: system/data-disk images go to at most 256 tenants
)

// backupStatuses are the statuses a world backup may have; only "available" can be shared.
var backupStatuses = map[string]bool{
	"available": true, "creating": true, "protecting": true, "deleting": true, "restoring": true,
	"error": true, "waiting_protect": true, "waiting_delete": true, "waiting_restore": true,
}

// Duration is a time.Duration that reads and writes JSON as a Go duration string ("24h");
// a JSON number is taken as seconds.
type Duration time.Duration

// MarshalJSON writes the duration as a string such as "24h0m0s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON accepts "24h" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf(`invalid duration %q: use a Go duration such as "24h" or a number of seconds`, s)
		}
		*d = Duration(v)
		return nil
	}
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New(`duration must be a string such as "24h" or a number of seconds`)
	}
	*d = Duration(time.Duration(n * float64(time.Second)))
	return nil
}

// emptyIfNil replaces a nil list with an empty one.
func emptyIfNil[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}

// World is everything the endpoint knows: the static cloud (domains, projects, users,
// vaults, backups, images) and the live sharing state. World() snapshots it and
// SetWorld restores it, so a JSON world file can hold any state a test needs.
type World struct {
	Region                 string   `json:"region"`
	TokenLifetime          Duration `json:"token_lifetime"`
	AllowDiskBackupSharing bool     `json:"allow_disk_backup_sharing"`
	// DeletedBackupQuirk: listing the members of a deleted backup answers the 401
	// "Malformed request url" body seen in the wild (REFERENCE A.1.7). nil means true.
	DeletedBackupQuirk *bool `json:"deleted_backup_quirk,omitempty"`
	// Seed seeds the random generator of probabilistic faults that have no seed of their own.
	Seed int64 `json:"seed"`

	Domains  []Domain      `json:"domains"`
	Projects []Project     `json:"projects"`
	Users    []User        `json:"users"`
	Tokens   []StaticToken `json:"tokens"`
	Vaults   []Vault       `json:"vaults"`
	Backups  []Backup      `json:"backups"`
	Images   []Image       `json:"images"`

	// Live state.
	DeletedBackupIDs []string      `json:"deleted_backup_ids,omitempty"`
	CBRMembers       []CBRMember   `json:"cbr_members"`
	VBSShares        []VBSShare    `json:"vbs_shares"`
	ImageMembers     []ImageMember `json:"image_members"`
}

// Domain is an account.
type Domain struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Project belongs to a domain; its name is a region name, unique within the domain.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
}

// User can get password tokens and owns AK/SK pairs.
type User struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	DomainID   string      `json:"domain_id"`
	Password   string      `json:"password"`
	AccessKeys []AccessKey `json:"access_keys,omitempty"`
}

// AccessKey is an AK/SK pair. A non-empty SecurityToken makes it temporary: requests
// must then carry a matching X-Security-Token header.
type AccessKey struct {
	AccessKey     string    `json:"access_key"`
	SecretKey     string    `json:"secret_key"`
	SecurityToken string    `json:"security_token,omitempty"`
	ExpiresAt     time.Time `json:"expires_at,omitzero"` // zero: never
}

// StaticToken is a pre-issued token, scoped to exactly one of a project or a domain.
type StaticToken struct {
	Token     string    `json:"token"`
	UserID    string    `json:"user_id"`
	ProjectID string    `json:"project_id,omitempty"`
	DomainID  string    `json:"domain_id,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"` // zero: never
}

// Vault is a CBR vault. UsedGB is live: accepting a shared backup or image into the vault adds to it.
type Vault struct {
	ID           string `json:"id"`
	ProjectID    string `json:"project_id"`
	Name         string `json:"name"`
	ResourceType string `json:"resource_type"` // server | disk
	CapacityGB   int    `json:"capacity_gb"`
	UsedGB       int    `json:"used_gb"`
}

// Backup is a CBR backup (a disk backup is also the VBS backup of that disk).
type Backup struct {
	ID           string    `json:"id"`
	ProjectID    string    `json:"project_id"`
	Name         string    `json:"name"`
	ResourceType string    `json:"resource_type"` // server | disk
	ResourceID   string    `json:"resource_id,omitempty"`
	Status       string    `json:"status"`
	SizeGB       int       `json:"size_gb"`
	Encrypted    bool      `json:"encrypted"`
	VaultID      string    `json:"vault_id"`
	CreatedAt    time.Time `json:"created_at,omitzero"`
}

// Image is an IMS image owned by a project. BackupID set means a full-ECS image made
// from that CBR backup: accepting it needs a vault.
type Image struct {
	ID        string `json:"id"`
	ProjectID string `json:"project_id"`
	Name      string `json:"name"`
	BackupID  string `json:"backup_id,omitempty"`
	SizeGB    int    `json:"size_gb"`
}

// CBRMember is a CBR v3 share member.
type CBRMember struct {
	ID            string    `json:"id"`
	BackupID      string    `json:"backup_id"`
	DestProjectID string    `json:"dest_project_id"`
	Status        string    `json:"status"`
	VaultID       string    `json:"vault_id,omitempty"`
	ImageID       string    `json:"image_id,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
}

// VBSShare is a VBS v2 share of a disk backup.
type VBSShare struct {
	ID            string    `json:"id"`
	BackupID      string    `json:"backup_id"`
	FromProjectID string    `json:"from_project_id"`
	ToProjectID   string    `json:"to_project_id"`
	CreatedAt     time.Time `json:"created_at"`
}

// ImageMember is an IMS image member.
type ImageMember struct {
	ImageID   string    `json:"image_id"`
	MemberID  string    `json:"member_id"`
	Status    string    `json:"status"`
	VaultID   string    `json:"vault_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var (
	projectIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)
	uuidRe      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

func isProjectID(s string) bool { return projectIDRe.MatchString(s) }
func isUUID(s string) bool      { return uuidRe.MatchString(s) }

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

// LoadWorld reads a world from JSON. Unknown fields are rejected, defaults are applied
// (token_lifetime 24h, deleted_backup_quirk true) and every reference is checked.
func LoadWorld(r io.Reader) (World, error) {
	var w World
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return World{}, fmt.Errorf("world: must be a JSON object, not %s", te.Value)
		}
		return World{}, fmt.Errorf("world: %w", cleanJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return World{}, errors.New("world: unexpected data after the JSON object")
	}
	return prepareWorld(w)
}

// clone deep-copies a world through JSON: every field is JSON-serialisable, and this
// cannot go stale when a field is added. Worlds are validated by cloneChecked first,
// so a failure here is a bug.
func (w World) clone() World {
	c, err := w.cloneChecked()
	if err != nil {
		panic("testendpoint: " + err.Error())
	}
	return c
}

func (w World) cloneChecked() (World, error) {
	b, err := json.Marshal(w)
	if err != nil {
		return World{}, fmt.Errorf("world cannot be encoded as JSON: %w", err)
	}
	var c World
	if err := json.Unmarshal(b, &c); err != nil {
		return World{}, fmt.Errorf("world does not survive a JSON round trip: %w", err)
	}
	return c, nil
}

// prepareWorld copies w, fills defaults and validates it.
func prepareWorld(in World) (World, error) {
	w, err := in.cloneChecked()
	if err != nil {
		return World{}, fmt.Errorf("world: %w", err)
	}
	if w.TokenLifetime == 0 {
		w.TokenLifetime = Duration(defaultTokenLifetime)
	}
	if w.DeletedBackupQuirk == nil {
		t := true
		w.DeletedBackupQuirk = &t
	}
	// Empty lists rather than nulls, so snapshots are easy to edit.
	emptyIfNil(&w.Domains)
	emptyIfNil(&w.Projects)
	emptyIfNil(&w.Users)
	emptyIfNil(&w.Tokens)
	emptyIfNil(&w.Vaults)
	emptyIfNil(&w.Backups)
	emptyIfNil(&w.Images)
	emptyIfNil(&w.CBRMembers)
	emptyIfNil(&w.VBSShares)
	emptyIfNil(&w.ImageMembers)
	for i := range w.Backups {
		if w.Backups[i].CreatedAt.IsZero() {
			w.Backups[i].CreatedAt = defaultTime
		}
	}
	if err := w.validate(); err != nil {
		return World{}, err
	}
	return w, nil
}

// validate checks shapes and references; errors name the offending field.
func (w *World) validate() error {
	var errs []error
	bad := func(field string, format string, args ...any) {
		errs = append(errs, fmt.Errorf("world: %s: %s", field, fmt.Sprintf(format, args...)))
	}
	at := func(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }
	if w.Region == "" {
		bad("region", "must not be empty")
	}
	if w.TokenLifetime < 0 {
		bad("token_lifetime", "must be positive (0 means the default 24h), not %s", time.Duration(w.TokenLifetime))
	}
	domains := map[string]bool{}
	domainNames := map[string]bool{}
	for i, d := range w.Domains {
		f := at("domains", i)
		if d.ID == "" || d.Name == "" {
			bad(f, "id and name are required")
		}
		if domains[d.ID] {
			bad(f+".id", "duplicate domain id %q", d.ID)
		}
		if domainNames[d.Name] {
			bad(f+".name", "duplicate domain name %q", d.Name)
		}
		domains[d.ID], domainNames[d.Name] = true, true
	}
	projects := map[string]Project{}
	projectNames := map[string]bool{}
	for i, p := range w.Projects {
		f := at("projects", i)
		if !isProjectID(p.ID) {
			bad(f+".id", "%q is not a project ID (32 lower-case hex digits)", p.ID)
		}
		if _, dup := projects[p.ID]; dup {
			bad(f+".id", "duplicate project id %q", p.ID)
		}
		if p.Name == "" {
			bad(f+".name", "must not be empty")
		}
		if !domains[p.DomainID] {
			bad(f+".domain_id", "domain %q does not exist", p.DomainID)
		}
		if projectNames[p.DomainID+"/"+p.Name] {
			bad(f+".name", "duplicate project name %q in domain %q", p.Name, p.DomainID)
		}
		projects[p.ID] = p
		projectNames[p.DomainID+"/"+p.Name] = true
	}
	users := map[string]User{}
	userNames := map[string]bool{}
	aks := map[string]bool{}
	for i, u := range w.Users {
		f := at("users", i)
		if u.ID == "" || u.Name == "" {
			bad(f, "id and name are required")
		}
		if _, dup := users[u.ID]; dup {
			bad(f+".id", "duplicate user id %q", u.ID)
		}
		if !domains[u.DomainID] {
			bad(f+".domain_id", "domain %q does not exist", u.DomainID)
		}
		if userNames[u.DomainID+"/"+u.Name] {
			bad(f+".name", "duplicate user name %q in domain %q", u.Name, u.DomainID)
		}
		for j, k := range u.AccessKeys {
			kf := at(f+".access_keys", j)
			if k.AccessKey == "" || k.SecretKey == "" {
				bad(kf, "access_key and secret_key are required")
			}
			if aks[k.AccessKey] {
				bad(kf+".access_key", "duplicate access key %q", k.AccessKey)
			}
			aks[k.AccessKey] = true
		}
		users[u.ID] = u
		userNames[u.DomainID+"/"+u.Name] = true
	}
	tokens := map[string]bool{}
	for i, t := range w.Tokens {
		f := at("tokens", i)
		if t.Token == "" {
			bad(f+".token", "must not be empty")
		}
		if tokens[t.Token] {
			bad(f+".token", "duplicate token")
		}
		tokens[t.Token] = true
		u, ok := users[t.UserID]
		if !ok {
			bad(f+".user_id", "user %q does not exist", t.UserID)
		}
		switch {
		case (t.ProjectID == "") == (t.DomainID == ""):
			bad(f, "exactly one of project_id and domain_id must be set")
		case t.ProjectID != "":
			if p, ok2 := projects[t.ProjectID]; !ok2 {
				bad(f+".project_id", "project %q does not exist", t.ProjectID)
			} else if ok && p.DomainID != u.DomainID {
				bad(f+".project_id", "project %q is not in the user's domain", t.ProjectID)
			}
		default:
			if ok && t.DomainID != u.DomainID {
				bad(f+".domain_id", "domain %q is not the user's domain", t.DomainID)
			}
		}
	}
	// Vaults, backups and images each have a unique lower-case UUID and an existing project.
	checkOwned := func(f, kind, id string, dup bool, projectID string) {
		if !isUUID(id) {
			bad(f+".id", "%q is not a lower-case UUID", id)
		}
		if dup {
			bad(f+".id", "duplicate %s id %q", kind, id)
		}
		if _, ok := projects[projectID]; !ok {
			bad(f+".project_id", "project %q does not exist", projectID)
		}
	}
	checkResourceType := func(f, t string) {
		if t != ResourceServer && t != ResourceDisk {
			bad(f+".resource_type", "must be %q or %q, not %q", ResourceServer, ResourceDisk, t)
		}
	}
	vaults := map[string]Vault{}
	for i, v := range w.Vaults {
		f := at("vaults", i)
		_, dup := vaults[v.ID]
		checkOwned(f, "vault", v.ID, dup, v.ProjectID)
		checkResourceType(f, v.ResourceType)
		if v.CapacityGB <= 0 {
			bad(f+".capacity_gb", "must be positive")
		}
		if v.UsedGB < 0 || v.UsedGB > v.CapacityGB {
			bad(f+".used_gb", "must be between 0 and capacity_gb (%d)", v.CapacityGB)
		}
		vaults[v.ID] = v
	}
	backups := map[string]Backup{}
	for i, b := range w.Backups {
		f := at("backups", i)
		_, dup := backups[b.ID]
		checkOwned(f, "backup", b.ID, dup, b.ProjectID)
		checkResourceType(f, b.ResourceType)
		if !backupStatuses[b.Status] {
			bad(f+".status", "unknown backup status %q", b.Status)
		}
		if b.SizeGB <= 0 {
			bad(f+".size_gb", "must be positive")
		}
		if v, ok := vaults[b.VaultID]; !ok {
			bad(f+".vault_id", "vault %q does not exist", b.VaultID)
		} else {
			if v.ProjectID != b.ProjectID {
				bad(f+".vault_id", "vault %q belongs to another project", b.VaultID)
			}
			if v.ResourceType != b.ResourceType {
				bad(f+".vault_id", "vault %q holds %s backups, not %s", b.VaultID, v.ResourceType, b.ResourceType)
			}
		}
		backups[b.ID] = b
	}
	for i, id := range w.DeletedBackupIDs {
		if _, ok := backups[id]; ok {
			bad(at("deleted_backup_ids", i), "backup %q still exists", id)
		}
	}
	images := map[string]Image{}
	for i, im := range w.Images {
		f := at("images", i)
		_, dup := images[im.ID]
		checkOwned(f, "image", im.ID, dup, im.ProjectID)
		if im.BackupID != "" {
			if b, ok := backups[im.BackupID]; !ok {
				bad(f+".backup_id", "backup %q does not exist", im.BackupID)
			} else if b.ResourceType != ResourceServer {
				bad(f+".backup_id", "backup %q is not a server backup", im.BackupID)
			}
		}
		if im.SizeGB < 0 {
			bad(f+".size_gb", "must not be negative")
		}
		images[im.ID] = im
	}
	checkStatus := func(f, s string) {
		if s != StatusPending && s != StatusAccepted && s != StatusRejected {
			bad(f, "unknown status %q", s)
		}
	}
	checkVault := func(f, vaultID, project string) {
		if vaultID == "" {
			return
		}
		if v, ok := vaults[vaultID]; !ok {
			bad(f, "vault %q does not exist", vaultID)
		} else if v.ProjectID != project {
			bad(f, "vault %q does not belong to project %q", vaultID, project)
		}
	}
	ids := map[string]bool{}
	pairs := map[string]bool{}
	for i, m := range w.CBRMembers {
		f := at("cbr_members", i)
		if !isUUID(m.ID) || ids[m.ID] {
			bad(f+".id", "%q is not a unique lower-case UUID", m.ID)
		}
		ids[m.ID] = true
		b, found := backups[m.BackupID]
		if !found {
			bad(f+".backup_id", "backup %q does not exist", m.BackupID)
		}
		if _, ok := projects[m.DestProjectID]; !ok {
			bad(f+".dest_project_id", "project %q does not exist", m.DestProjectID)
		} else if found && b.ProjectID == m.DestProjectID {
			bad(f+".dest_project_id", "a backup cannot be shared with its own project")
		}
		if pairs[m.BackupID+"/"+m.DestProjectID] {
			bad(f, "duplicate member %q of backup %q", m.DestProjectID, m.BackupID)
		}
		pairs[m.BackupID+"/"+m.DestProjectID] = true
		checkStatus(f+".status", m.Status)
		if m.Status == StatusAccepted && m.VaultID == "" {
			bad(f+".vault_id", "an accepted member needs a vault")
		}
		if m.Status != StatusAccepted && m.VaultID != "" {
			bad(f+".vault_id", "only an accepted member has a vault")
		}
		checkVault(f+".vault_id", m.VaultID, m.DestProjectID)
		if m.CreatedAt.IsZero() {
			bad(f+".created_at", "is required")
		}
	}
	for i, sh := range w.VBSShares {
		f := at("vbs_shares", i)
		if !isUUID(sh.ID) || ids[sh.ID] {
			bad(f+".id", "%q is not a unique lower-case UUID", sh.ID)
		}
		ids[sh.ID] = true
		b, ok := backups[sh.BackupID]
		if !ok {
			bad(f+".backup_id", "backup %q does not exist", sh.BackupID)
		} else if sh.FromProjectID != b.ProjectID {
			bad(f+".from_project_id", "must be the backup's project %q", b.ProjectID)
		}
		if _, ok := projects[sh.ToProjectID]; !ok || sh.ToProjectID == sh.FromProjectID {
			bad(f+".to_project_id", "project %q does not exist or is the sharing project", sh.ToProjectID)
		}
		if pairs["vbs/"+sh.BackupID+"/"+sh.ToProjectID] {
			bad(f, "duplicate share of backup %q to %q", sh.BackupID, sh.ToProjectID)
		}
		pairs["vbs/"+sh.BackupID+"/"+sh.ToProjectID] = true
	}
	for i, m := range w.ImageMembers {
		f := at("image_members", i)
		im, found := images[m.ImageID]
		if !found {
			bad(f+".image_id", "image %q does not exist", m.ImageID)
		}
		if _, ok := projects[m.MemberID]; !ok {
			bad(f+".member_id", "project %q does not exist", m.MemberID)
		} else if found && im.ProjectID == m.MemberID {
			bad(f+".member_id", "an image cannot be shared with its own project")
		}
		if pairs["ims/"+m.ImageID+"/"+m.MemberID] {
			bad(f, "duplicate member %q of image %q", m.MemberID, m.ImageID)
		}
		pairs["ims/"+m.ImageID+"/"+m.MemberID] = true
		checkStatus(f+".status", m.Status)
		checkVault(f+".vault_id", m.VaultID, m.MemberID)
	}
	return errors.Join(errs...)
}

// MarshalIndent is a helper for printing worlds (the -print-world flag).
func (w World) MarshalIndent() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
