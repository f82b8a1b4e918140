package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
)

// acceptanceTestShareAndAccept shares backupID with Receiver1 and Receiver2 and accepts it in
// Receiver1's server vault, through the API.
func acceptanceTestShareAndAccept(t *testing.T, env *accEnv, backupID string) {
	t.Helper()
	acceptanceTestShareBackup(t, env, backupID, env.Receiver1.ProjectID, env.Receiver2.ProjectID)
	c := env.apiClient(t, env.Receiver1)
	if _, err := cbr.UpdateMemberStatus(context.Background(), c, backupID, env.Receiver1.ProjectID, "accepted", env.Receiver1ServerVaultID); err != nil {
		t.Fatalf("accepting: %v", err)
	}
}

func testAccBackupShareMemberDataSourceConfig_basic(t *testing.T, env *accEnv, backupID string) string {
	t.Helper()
	return env.providerBlock(t, "", env.Receiver1, credToken) + env.providerBlock(t, "owner", env.Owner, credAKSK) + fmt.Sprintf(`
# the receiver reads its own share (member_id defaults to its project)
data "cbr_backup_share_member" "mine" {
  backup_id = %[1]q
}

# the owner reads another receiver's share
data "cbr_backup_share_member" "other" {
  provider  = cbrowner
  backup_id = %[1]q
  member_id = %[2]q
}
`, backupID, env.Receiver2.ProjectID)
}

func TestAccBackupShareMemberDataSource_basic(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.ServerBackupID, env.Receiver1ServerVaultID)
	mine, other := "data.cbr_backup_share_member.mine", "data.cbr_backup_share_member.other"
	uuid := knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))
	accTest(t, resource.TestCase{
		PreCheck: func() { acceptanceTestShareAndAccept(t, env, env.ServerBackupID) },
		Steps: []resource.TestStep{{
			Config: testAccBackupShareMemberDataSourceConfig_basic(t, env, env.ServerBackupID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(mine, tfjsonpath.New("id"), uuid),
				statecheck.ExpectKnownValue(mine, tfjsonpath.New("member_id"), knownvalue.StringExact(env.Receiver1.ProjectID)),
				statecheck.ExpectKnownValue(mine, tfjsonpath.New("dest_project_id"), knownvalue.StringExact(env.Receiver1.ProjectID)),
				statecheck.ExpectKnownValue(mine, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
				statecheck.ExpectKnownValue(mine, tfjsonpath.New("vault_id"), knownvalue.StringExact(env.Receiver1ServerVaultID)),
				statecheck.ExpectKnownValue(mine, tfjsonpath.New("created_at"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(mine, tfjsonpath.New("updated_at"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(other, tfjsonpath.New("id"), uuid),
				statecheck.ExpectKnownValue(other, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				statecheck.ExpectKnownValue(other, tfjsonpath.New("vault_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(other, tfjsonpath.New("image_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(other, tfjsonpath.New("dest_project_id"), knownvalue.StringExact(env.Receiver2.ProjectID)),
			},
		}},
	})
}

func TestAccBackupShareMemberDataSource_errors(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	cfg := func(backupID, memberID string) string {
		body := fmt.Sprintf("  backup_id = %q\n", backupID)
		if memberID != "" {
			body += fmt.Sprintf("  member_id = %q\n", memberID)
		}
		return env.providerBlock(t, "", env.Receiver1, credToken) + "data \"cbr_backup_share_member\" \"test\" {\n" + body + "}\n"
	}
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg("nope", ""), ExpectError: regexp.MustCompile(`(?s)Invalid UUID.*backup_id`)},
			{Config: cfg(env.ServerBackupID, "NOT-A-PROJECT"), ExpectError: regexp.MustCompile(`(?s)Invalid Project ID.*member_id`)},
			// not shared with Receiver1
			{Config: cfg(env.ServerBackupID, ""), ExpectError: regexp.MustCompile(`(?s)Backup Share Member Not Found.*BackupService\.6705`)},
		},
	})
}

// TestAccBackupShareMemberDataSource_example applies examples/data-sources/cbr_backup_share_member.
func TestAccBackupShareMemberDataSource_example(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	accTest(t, resource.TestCase{
		PreCheck: func() { acceptanceTestShareAndAccept(t, env, env.ServerBackupID) },
		Steps: []resource.TestStep{{
			Config: env.providerBlock(t, "", env.Receiver1, credAKSK) + acceptanceTestExample(t, "data-sources/cbr_backup_share_member/data-source.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("share_status", knownvalue.StringExact("accepted")),
			},
		}},
	})
}
