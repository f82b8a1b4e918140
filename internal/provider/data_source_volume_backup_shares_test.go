package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/vbs"
)

// acceptanceTestShareVolumeBackup shares a disk backup through VBS as the owner.
func acceptanceTestShareVolumeBackup(t *testing.T, env *accEnv, backupID string, projects ...string) {
	t.Helper()
	owner := env.apiClient(t, env.Owner)
	shares, err := vbs.CreateShares(context.Background(), owner, backupID, projects)
	if err != nil {
		t.Fatalf("sharing disk backup %s: %v", backupID, err)
	}
	// Leave a shared environment (the real cloud) as it was found.
	t.Cleanup(func() {
		for _, sh := range shares {
			if err := vbs.CancelShare(context.Background(), owner, sh.ID); err != nil && !errors.Is(err, client.ErrNotFound) {
				t.Errorf("cleanup: cancelling share %s: %v", sh.ID, err)
			}
		}
	})
}

func TestAccVolumeBackupSharesDataSource_basic(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.DiskBackup2ID)
	cfg := env.providerBlock(t, "", env.Receiver1, credPassword) + fmt.Sprintf(`
data "cbr_volume_backup_shares" "all" {}

data "cbr_volume_backup_shares" "one" {
  backup_id = %[1]q
}

data "cbr_volume_backup_shares" "none" {
  backup_id = %[2]q
}
`, env.DiskBackup2ID, env.DiskBackupID)
	accTest(t, resource.TestCase{
		PreCheck: func() {
			acceptanceTestShareVolumeBackup(t, env, env.DiskBackup2ID, env.Receiver1.ProjectID, env.Receiver2.ProjectID)
		},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cbr_volume_backup_shares.all", tfjsonpath.New("id"), knownvalue.StringExact(env.Receiver1.ProjectID)),
				// only the share made TO Receiver1, not the one to Receiver2
				statecheck.ExpectKnownValue("data.cbr_volume_backup_shares.all", tfjsonpath.New("shares"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":              knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`)),
						"backup_id":       knownvalue.StringExact(env.DiskBackup2ID),
						"from_project_id": knownvalue.StringExact(env.Owner.ProjectID),
						"to_project_id":   knownvalue.StringExact(env.Receiver1.ProjectID),
						"created_at":      knownvalue.NotNull(),
						"updated_at":      knownvalue.Null(),
					}),
				})),
				statecheck.ExpectKnownValue("data.cbr_volume_backup_shares.one", tfjsonpath.New("id"), knownvalue.StringExact(env.Receiver1.ProjectID+"/"+env.DiskBackup2ID)),
				statecheck.ExpectKnownValue("data.cbr_volume_backup_shares.one", tfjsonpath.New("shares"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.cbr_volume_backup_shares.none", tfjsonpath.New("shares"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccVolumeBackupSharesDataSource_validation(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	accTest(t, resource.TestCase{
		PreCheck: testAccClearRequests(env),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock(t, "", env.Receiver1, credToken) + "data \"cbr_volume_backup_shares\" \"x\" {\n  backup_id = \"b\"\n}\n",
			ExpectError: regexp.MustCompile(`(?s)Invalid UUID.*backup_id`),
		}},
	})
	acceptanceTestNoCalls(t, env)
}

// TestAccVolumeBackupSharesDataSource_example applies examples/data-sources/cbr_volume_backup_shares.
func TestAccVolumeBackupSharesDataSource_example(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	accTest(t, resource.TestCase{
		PreCheck: func() { acceptanceTestShareVolumeBackup(t, env, env.DiskBackup2ID, env.Receiver1.ProjectID) },
		Steps: []resource.TestStep{{
			Config: env.providerBlock(t, "", env.Receiver1, credToken) + acceptanceTestExample(t, "data-sources/cbr_volume_backup_shares/data-source.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("shared_disk_backups", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(env.DiskBackup2ID)})),
			},
		}},
	})
}
