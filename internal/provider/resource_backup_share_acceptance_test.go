package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// testAccBackupShareAcceptance describes cbr_backup_share_acceptance to the shared test bodies in
// acceptance_test.go.
var testAccBackupShareAcceptance = acceptanceTestKind{
	resourceType: "cbr_backup_share_acceptance",
	parentAttr:   "backup_id",
	cred:         credAKSK,
	memberPath:   "/v3/[0-9a-f]{32}/backups/[0-9a-f-]{36}/members/[0-9a-f]{32}",
	faultPath:    "/v3/*/backups/*/members/*",
	notFoundBody: `{"error_code":"BackupService.6705","error_msg":"The share member does not exist."}`,
	share: func(t *testing.T, env *accEnv, backupID string) {
		acceptanceTestShareBackup(t, env, backupID, env.Receiver1.ProjectID)
	},
	revoke: func(t *testing.T, env *accEnv, backupID string) {
		acceptanceTestRevokeBackup(t, env, backupID, env.Receiver1.ProjectID)
	},
	status: func(env *accEnv, backupID string) string {
		for _, m := range env.Endpoint.World().CBRMembers {
			if m.BackupID == backupID && m.DestProjectID == env.Receiver1.ProjectID {
				return m.Status
			}
		}
		return ""
	},
}

// testAccBackupShareAcceptanceConfig_basic accepts (or rejects) backupID as Receiver1.
func testAccBackupShareAcceptanceConfig_basic(t *testing.T, env *accEnv, backupID, status, vaultID string) string {
	return testAccBackupShareAcceptance.config(t, env, backupID, status, vaultID)
}

func TestAccBackupShareAcceptance_basic(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.ServerBackupID, env.Receiver1ServerVaultID)
	k := testAccBackupShareAcceptance
	testAccAcceptanceBasic(t, env, k, env.ServerBackupID, env.Receiver1ServerVaultID,
		k.expect("vault_id", knownvalue.StringExact(env.Receiver1ServerVaultID)),
		k.expect("dest_project_id", knownvalue.StringExact(env.Receiver1.ProjectID)),
		k.expect("share_id", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
	)
}

func TestAccBackupShareAcceptance_update(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.ServerBackupID, env.Receiver1ServerVaultID)
	testAccAcceptanceUpdate(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID)
}

func TestAccBackupShareAcceptance_disappears(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceDisappears(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID)
}

func TestAccBackupShareAcceptance_revoked(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceRevoked(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID)
}

func TestAccBackupShareAcceptance_wait(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceWait(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID, 3)
}

// TestAccBackupShareAcceptance_waitTimeout: a share that never appears fails when timeouts.create
// runs out, naming the last answer.
func TestAccBackupShareAcceptance_waitTimeout(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	cfg := testAccBackupShareAcceptanceConfig_basic(t, env, env.ServerBackupID, "", env.Receiver1ServerVaultID)
	cfg = cfg[:len(cfg)-2] + "  timeouts {\n    create = \"2s\"\n  }\n}\n"
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)Error Waiting for Backup Share.*within 2s.*BackupService\.6705`),
		}},
	})
}

func TestAccBackupShareAcceptance_validation(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	b, v := env.ServerBackupID, env.Receiver1ServerVaultID
	testAccAcceptanceValidation(t, env, testAccBackupShareAcceptance, []acceptanceTestBadConfig{
		{b, "", "", `Missing Vault ID.*vault_id is required`},
		{b, "accepted", "", `Missing Vault ID`},
		{b, "pending", v, `status.*value must be one of`},
		{"not-a-uuid", "rejected", "", `Invalid UUID.*backup_id`},
		{b, "accepted", "6A1B7C2D-0000-4000-8000-000000000201", `Invalid UUID.*vault_id`},
	})
}

func TestAccBackupShareAcceptance_apiErrors(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.ServerBackupID, env.Receiver1DiskVaultID, env.Receiver1FullVaultID)
	cfg := func(vaultID string) string {
		return testAccBackupShareAcceptanceConfig_basic(t, env, env.ServerBackupID, "", vaultID)
	}
	accTest(t, resource.TestCase{
		PreCheck: func() { acceptanceTestShareBackup(t, env, env.ServerBackupID, env.Receiver1.ProjectID) },
		Steps: []resource.TestStep{
			{Config: cfg(env.Receiver1DiskVaultID), ExpectError: regexp.MustCompile(`(?s)Error Accepting Backup Share.*BackupService\.6713.*resource type must match`)},
			{Config: cfg(env.Receiver1FullVaultID), ExpectError: regexp.MustCompile(`(?s)Error Accepting Backup Share.*BackupService\.6129.*enough free capacity`)},
			{Config: cfg("6a1b7c2d-0000-4000-8000-0000000009ff"), ExpectError: regexp.MustCompile(`(?s)Error Accepting Backup Share.*BackupService\.6105.*vault does not exist`)},
		},
	})
}

// TestAccBackupShareAcceptance_twoProviders shares a backup with two projects and accepts it in
// Receiver1, in a single apply.
func TestAccBackupShareAcceptance_twoProviders(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.ServerBackupID, env.Receiver1ServerVaultID)
	testAccAcceptanceTwoProviders(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID,
		env.Receiver1.ProjectID, env.Receiver2.ProjectID)
}

func TestAccBackupShareAcceptance_example(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceExample(t, env, testAccBackupShareAcceptance, testendpoint.ServerBackupID)
}
