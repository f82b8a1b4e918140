package provider

import (
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

var volumeBackupShareMemberTK = &memberTestKind{
	kind:       &volumeBackupShareMemberKind,
	parent:     func(e *accEnv) string { return e.DiskBackup2ID },
	cred:       credToken,
	addPath:    `/v2/[0-9a-f]{32}/os-vendor-backup-sharing`,
	listSuffix: "/detail",
	faultBase:  "/v2/*/os-vendor-backup-sharing",
	details: func(e *accEnv) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{
			"id":              knownvalue.NotNull(),
			"from_project_id": knownvalue.StringExact(e.Owner.ProjectID),
		}
	},
	deleteParent: func(w *testendpoint.World, id string) {
		w.Backups = slices.DeleteFunc(w.Backups, func(b testendpoint.Backup) bool { return b.ID == id })
		w.VBSShares = slices.DeleteFunc(w.VBSShares, func(s testendpoint.VBSShare) bool { return s.BackupID == id })
		w.DeletedBackupIDs = append(w.DeletedBackupIDs, id)
	},
}

func TestAccVolumeBackupShareMember_basic(t *testing.T) {
	testAccParallel(t)
	testAccMemberBasic(t, volumeBackupShareMemberTK)
}

func TestAccVolumeBackupShareMember_update(t *testing.T) {
	testAccParallel(t)
	testAccMemberUpdate(t, volumeBackupShareMemberTK)
}

func TestAccVolumeBackupShareMember_disappears(t *testing.T) {
	testAccParallel(t)
	testAccMemberDisappears(t, volumeBackupShareMemberTK)
}

func TestAccVolumeBackupShareMember_unmanagedSurvive(t *testing.T) {
	testAccParallel(t)
	testAccMemberUnmanaged(t, volumeBackupShareMemberTK)
}

func TestAccVolumeBackupShareMember_adoptExisting(t *testing.T) {
	testAccParallel(t)
	testAccMemberAdopt(t, volumeBackupShareMemberTK)
}

func TestAccVolumeBackupShareMember_validation(t *testing.T) {
	testAccParallel(t)
	testAccMemberValidation(t, volumeBackupShareMemberTK)
}

// VBS lists shares with a backup_id filter, which cannot tell a deleted backup from one without
// shares: the managed shares vanish from state, the plan proposes to share again in place, and
// that apply fails with the API's 404. Destroying then succeeds without calls.
func TestAccVolumeBackupShareMember_backupDeleted(t *testing.T) {
	testAccParallel(t)
	tk := volumeBackupShareMemberTK
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1 := tk.parent(e), e.Receiver1.ProjectID
	cfg := tk.config(t, e, parent, r1)
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: tk.stateChecks(e, parent, r1)},
			{
				PreConfig:          func() { memberEditWorld(t, e, func(w *testendpoint.World) { tk.deleteParent(w, parent) }) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tk.addr(), plancheck.ResourceActionUpdate)},
				},
				Check: resource.TestCheckResourceAttr(tk.addr(), "members.#", "0"),
			},
			{Config: cfg, ExpectError: regexp.MustCompile(`Error Sharing Volume Backup[\s\S]*VolumeBackup\.0064`)},
		},
	})
}
