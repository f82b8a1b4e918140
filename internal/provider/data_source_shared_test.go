package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// A receiver-only configuration (the data source's example) accepts every backup shared with it
// through cbr_shared_backups and for_each, in one apply, with an empty plan after (plan
// -detailed-exitcode), and its destroy rejects them. Run through the CLI: terraform-plugin-testing
// cannot check for_each instances.
func TestAccSharedBackupsDataSource_forEach(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	r1 := env.Receiver1.ProjectID
	acceptanceTestShareBackup(t, env, env.ServerBackupID, r1)
	acceptanceTestShareBackup(t, env, env.ServerBackup2ID, r1)
	w := newCLIWork(t, env.providerBlock(t, "", env.Receiver1, credAKSK)+acceptanceTestExample(t, "data-sources/cbr_shared_backups/data-source.tf"))
	k := testAccBackupShareAcceptance
	out := w.mustRun(0, "apply", "-auto-approve")
	for _, b := range []string{env.ServerBackupID, env.ServerBackup2ID} {
		if !strings.Contains(out, fmt.Sprintf("cbr_backup_share_acceptance.all[%q]: Creation complete", b)) {
			t.Errorf("the apply did not accept %s:\n%s", b, out)
		}
		if err := k.checkStatus(env, b, testendpoint.StatusAccepted)(nil); err != nil {
			t.Error(err)
		}
	}
	w.mustRun(0, "plan", "-detailed-exitcode")
	w.mustRun(0, "destroy", "-auto-approve")
	for _, b := range []string{env.ServerBackupID, env.ServerBackup2ID} {
		if err := k.checkStatus(env, b, testendpoint.StatusRejected)(nil); err != nil {
			t.Error(err)
		}
	}
}

// The same for images: the full-ECS image is accepted into a vault, the system image without one.
func TestAccSharedImagesDataSource_forEach(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	r1 := env.Receiver1.ProjectID
	acceptanceTestShareImage(t, env, env.FullECSImageID, r1)
	acceptanceTestShareImage(t, env, env.SystemImageID, r1)
	w := newCLIWork(t, env.providerBlock(t, "", env.Receiver1, credToken)+acceptanceTestExample(t, "data-sources/cbr_shared_images/data-source.tf"))
	k := testAccImageShareAcceptance
	w.mustRun(0, "apply", "-auto-approve")
	for _, im := range []string{env.FullECSImageID, env.SystemImageID} {
		if err := k.checkStatus(env, im, testendpoint.StatusAccepted)(nil); err != nil {
			t.Error(err)
		}
	}
	if v, _ := acceptanceTestWorldVault(env, env.Receiver1ServerVaultID); v.UsedGB == 0 {
		t.Error("the full-ECS image was not accepted into the vault")
	}
	w.mustRun(0, "plan", "-detailed-exitcode")
	w.mustRun(0, "destroy", "-auto-approve")
}

// The filters of cbr_shared_backups: one backup accepted (out of band), one pending.
func TestAccSharedBackupsDataSource_filters(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.ServerBackupID, env.ServerBackup2ID, env.Receiver1ServerVaultID)
	cfg := env.providerBlock(t, "", env.Receiver1, credAKSK) + `
data "cbr_shared_backups" "all" {}

data "cbr_shared_backups" "accepted" {
  member_status = "accepted"
  resource_type = "OS::Nova::Server"
}

data "cbr_shared_backups" "pending" {
  member_status = "pending"
}

data "cbr_shared_backups" "disks" {
  resource_type = "OS::Cinder::Volume"
}
`
	backups := tfjsonpath.New("backups")
	first := func(attr string) tfjsonpath.Path { return tfjsonpath.New("backups").AtSliceIndex(0).AtMapKey(attr) }
	accTest(t, resource.TestCase{
		PreCheck: func() {
			acceptanceTestShareAndAccept(t, env, env.ServerBackupID)
			acceptanceTestShareBackup(t, env, env.ServerBackup2ID, env.Receiver1.ProjectID)
		},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cbr_shared_backups.all", backups, knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.all", first("member_status"), knownvalue.StringExact("pending")),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.all", first("vault_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.all", first("owner_project_id"), knownvalue.StringExact(env.Owner.ProjectID)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.accepted", backups, knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.accepted", first("id"), knownvalue.StringExact(env.ServerBackupID)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.accepted", first("vault_id"), knownvalue.StringExact(env.Receiver1ServerVaultID)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.accepted", first("resource_size_gb"), knownvalue.Int64Exact(40)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.pending", backups, knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.pending", first("id"), knownvalue.StringExact(env.ServerBackup2ID)),
				statecheck.ExpectKnownValue("data.cbr_shared_backups.disks", backups, knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccSharedBackupsDataSource_validation(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	block := env.providerBlock(t, "", env.Receiver1, credAKSK)
	var steps []resource.TestStep
	for _, c := range []struct{ body, want string }{
		{`member_status = "accept"`, `member_status[\s\S]*value must be one of`},
		{`resource_type = "server"`, `resource_type[\s\S]*value must be one of`},
		{`vault_id = "vault-1"`, `Invalid UUID[\s\S]*vault_id`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      block + fmt.Sprintf("data \"cbr_shared_backups\" \"x\" {\n  %s\n}\n", c.body),
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      block + "data \"cbr_shared_images\" \"x\" {\n  member_status = \"all\"\n}\n",
		ExpectError: regexp.MustCompile(`member_status[\s\S]*value must be one of`),
	})
	accTest(t, resource.TestCase{Steps: steps})
}
