package provider

import (
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

var backupShareMemberTK = &memberTestKind{
	kind:      &backupShareMemberKind,
	parent:    func(e *accEnv) string { return e.ServerBackupID },
	cred:      credAKSK,
	addPath:   `/v3/[0-9a-f]{32}/backups/[^/]+/members`,
	faultBase: "/v3/*/backups/*/members",
	details: func(_ *accEnv) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{
			"created_at": knownvalue.NotNull(),
			"id":         knownvalue.NotNull(),
		}
	},
	deleteParent: func(w *testendpoint.World, id string) {
		w.Backups = slices.DeleteFunc(w.Backups, func(b testendpoint.Backup) bool { return b.ID == id })
		w.CBRMembers = slices.DeleteFunc(w.CBRMembers, func(m testendpoint.CBRMember) bool { return m.BackupID == id })
		w.DeletedBackupIDs = append(w.DeletedBackupIDs, id)
	},
}

func testAccBackupShareMemberConfig_basic(t *testing.T, e *accEnv, backupID string, members ...string) string {
	t.Helper()
	return backupShareMemberTK.config(t, e, backupID, members...)
}

func TestAccBackupShareMember_basic(t *testing.T) {
	testAccParallel(t)
	testAccMemberBasic(t, backupShareMemberTK)
}

func TestAccBackupShareMember_update(t *testing.T) {
	testAccParallel(t)
	testAccMemberUpdate(t, backupShareMemberTK)
}

func TestAccBackupShareMember_disappears(t *testing.T) {
	testAccParallel(t)
	testAccMemberDisappears(t, backupShareMemberTK)
}

func TestAccBackupShareMember_unmanagedSurvive(t *testing.T) {
	testAccParallel(t)
	testAccMemberUnmanaged(t, backupShareMemberTK)
}

func TestAccBackupShareMember_adoptExisting(t *testing.T) {
	testAccParallel(t)
	testAccMemberAdopt(t, backupShareMemberTK)
}

func TestAccBackupShareMember_backupDeleted(t *testing.T) {
	testAccParallel(t)
	testAccMemberParentGone(t, backupShareMemberTK)
}

func TestAccBackupShareMember_validation(t *testing.T) {
	testAccParallel(t)
	testAccMemberValidation(t, backupShareMemberTK)
}

// API refusals name the cause and the API code.
func TestAccBackupShareMember_apiErrors(t *testing.T) {
	testAccParallel(t)
	e := newAccEnv(t)
	r1 := e.Receiver1.ProjectID
	var steps []resource.TestStep
	for _, c := range []struct{ backup, want string }{
		{e.DiskBackupID, `Error Sharing Backup[\s\S]*BackupService\.6700[\s\S]*server backup`},
		{e.UnavailableBackupID, `Error Sharing Backup[\s\S]*BackupService\.6702[\s\S]*available`},
		{e.EncryptedBackupID, `Error Sharing Backup[\s\S]*BackupService\.6709[\s\S]*encrypted`},
	} {
		if c.backup == "" {
			continue
		}
		steps = append(steps, resource.TestStep{
			Config:      testAccBackupShareMemberConfig_basic(t, e, c.backup, r1),
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	e.need(t, r1)
	if len(steps) == 0 {
		t.Skip("no backups given for the error cases")
	}
	accTest(t, resource.TestCase{Steps: steps})
}
