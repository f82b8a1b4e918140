package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// examplesAppliedElsewhere are the examples (by path under examples/) that a test of their own
// applies, with checks of what they show and, for resources, an import; applying them here as well
// would only repeat that work. These are the receiver-side ones and the data sources.
var examplesAppliedElsewhere = map[string]string{
	// for_each, which plugin-testing cannot check: applied through the CLI.
	"data-sources/cbr_shared_backups": "TestAccSharedBackupsDataSource_forEach",
	"data-sources/cbr_shared_images":  "TestAccSharedImagesDataSource_forEach",

	"data-sources/cbr_backup_share_member":  "TestAccBackupShareMemberDataSource_example",
	"data-sources/cbr_backup_share_members": "TestAccBackupShareMembersDataSource_example",
	"data-sources/cbr_volume_backup_shares": "TestAccVolumeBackupSharesDataSource_example",
	"resources/cbr_backup_share_acceptance": "TestAccBackupShareAcceptance_example",
	"resources/cbr_image_share_acceptance":  "TestAccImageShareAcceptance_example",
}

// TestAccExamples applies every other example of examples/resources and examples/data-sources (the
// ones the docs show) against a fresh test endpoint, as the owner project that would run it, then
// destroys it.
func TestAccExamples(t *testing.T) {
	testAccParallel(t)
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
		dir := filepath.ToSlash(filepath.Dir(strings.TrimPrefix(file, "../../examples/")))
		if appliedBy := examplesAppliedElsewhere[dir]; appliedBy != "" {
			t.Logf("examples/%s is applied by %s", dir, appliedBy)
			continue
		}
		t.Run(dir, func(t *testing.T) {
			testAccParallel(t)
			env := newAccEnv(t)
			env.localOnly(t)
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config: env.providerBlock(t, "", env.Owner, credAKSK) + string(body),
				}},
			})
		})
	}
}
