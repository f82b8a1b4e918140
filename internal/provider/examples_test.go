package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// TestAccExamples applies every example of examples/resources and examples/data-sources (the ones the
// docs show) against a fresh test endpoint, as the project that would run it, then destroys it.
func TestAccExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/resources/*/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := filepath.Glob("../../examples/data-sources/*/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, ds...)
	if len(files) < 10 {
		t.Fatalf("expected an example for each of the 10 types, found %d: %v", len(files), files)
	}
	for _, file := range files {
		typeName := filepath.Base(filepath.Dir(file))
		if typeName == "cbr_shared_backups" || typeName == "cbr_shared_images" {
			continue // for_each, which plugin-testing cannot check: TestAccShared*DataSource_forEach apply them
		}
		t.Run(typeName, func(t *testing.T) {
			clearHWEnv(t)
			env := newAccEnv(t)
			env.localOnly(t)
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			isDataSource := strings.Contains(file, "data-sources")
			who := env.Owner
			switch {
			// Receiver-side examples run as the first receiver, with the owner's shares already
			// made; so does the member data source, whose member_id defaults to your own project.
			case strings.HasSuffix(typeName, "_acceptance"), typeName == "cbr_volume_backup_shares",
				isDataSource && typeName == "cbr_backup_share_member":
				who = env.Receiver1
				seedShares(t, env)
			case isDataSource:
				seedShares(t, env)
			}
			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config: env.providerBlock(t, "", who, credAKSK) + string(body),
				}},
			})
		})
	}
}

// seedShares makes the owner's shares with the first receiver directly in the endpoint's world: a
// pending CBR member of the server backup, a pending member of the full-ECS image, and a VBS share of
// the disk backup.
func seedShares(t *testing.T, env *accEnv) {
	t.Helper()
	w := env.Endpoint.World()
	now := time.Now().UTC()
	w.CBRMembers = append(w.CBRMembers, testendpoint.CBRMember{
		ID: "9d2f0c1e-0000-4000-8000-00000000e001", BackupID: env.ServerBackupID,
		DestProjectID: env.Receiver1.ProjectID, Status: "pending", CreatedAt: now,
	})
	w.ImageMembers = append(w.ImageMembers, testendpoint.ImageMember{
		ImageID: env.FullECSImageID, MemberID: env.Receiver1.ProjectID, Status: "pending", CreatedAt: now, UpdatedAt: now,
	})
	w.VBSShares = append(w.VBSShares, testendpoint.VBSShare{
		ID: "9d2f0c1e-0000-4000-8000-00000000e003", BackupID: env.DiskBackup2ID,
		FromProjectID: env.Owner.ProjectID, ToProjectID: env.Receiver1.ProjectID, CreatedAt: now,
	})
	if err := env.Endpoint.SetWorld(w); err != nil {
		t.Fatalf("seeding shares: %v", err)
	}
}
