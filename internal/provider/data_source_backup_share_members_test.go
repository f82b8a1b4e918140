package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

func testAccBackupShareMembersDataSourceConfig_filters(t *testing.T, env *accEnv, backupID string) string {
	t.Helper()
	return env.providerBlock(t, "", env.Owner, credAKSK) + fmt.Sprintf(`
data "cbr_backup_share_members" "all" {
  backup_id = %[1]q
}

data "cbr_backup_share_members" "accepted" {
  backup_id = %[1]q
  status    = "accepted"
}

data "cbr_backup_share_members" "by_project" {
  backup_id       = %[1]q
  dest_project_id = %[2]q
}

data "cbr_backup_share_members" "by_vault" {
  backup_id = %[1]q
  vault_id  = %[3]q
}

data "cbr_backup_share_members" "by_image" {
  backup_id = %[1]q
  image_id  = "d164b5df-0000-4000-8000-0000000000ff"
}
`, backupID, env.Receiver2.ProjectID, env.Receiver1ServerVaultID)
}

func TestAccBackupShareMembersDataSource_filters(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.ServerBackupID, env.Receiver1ServerVaultID)
	members := tfjsonpath.New("members")
	accTest(t, resource.TestCase{
		PreCheck: func() { acceptanceTestShareAndAccept(t, env, env.ServerBackupID) },
		Steps: []resource.TestStep{{
			Config: testAccBackupShareMembersDataSourceConfig_filters(t, env, env.ServerBackupID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cbr_backup_share_members.all", tfjsonpath.New("id"), knownvalue.StringExact(env.ServerBackupID)),
				statecheck.ExpectKnownValue("data.cbr_backup_share_members.all", members, knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.cbr_backup_share_members.accepted", members, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"dest_project_id": knownvalue.StringExact(env.Receiver1.ProjectID),
						"status":          knownvalue.StringExact("accepted"),
						"vault_id":        knownvalue.StringExact(env.Receiver1ServerVaultID),
						"id":              knownvalue.NotNull(),
						"created_at":      knownvalue.NotNull(),
					}),
				})),
				statecheck.ExpectKnownValue("data.cbr_backup_share_members.by_project", members, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"dest_project_id": knownvalue.StringExact(env.Receiver2.ProjectID),
						"status":          knownvalue.StringExact("pending"),
						"vault_id":        knownvalue.Null(),
					}),
				})),
				statecheck.ExpectKnownValue("data.cbr_backup_share_members.by_vault", members, knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.cbr_backup_share_members.by_image", members, knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccBackupShareMembersDataSource_validation(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	cfg := func(attrs string) string {
		return env.providerBlock(t, "", env.Owner, credAKSK) + "data \"cbr_backup_share_members\" \"test\" {\n" + attrs + "}\n"
	}
	b := fmt.Sprintf("  backup_id = %q\n", env.ServerBackupID)
	accTest(t, resource.TestCase{
		PreCheck: testAccClearRequests(env),
		Steps: []resource.TestStep{
			{Config: cfg(b + "  status = \"done\"\n"), ExpectError: regexp.MustCompile(`(?s)status.*value must be one of`)},
			{Config: cfg(b + "  dest_project_id = \"p1\"\n"), ExpectError: regexp.MustCompile(`(?s)Invalid Project ID.*dest_project_id`)},
			{Config: cfg(b + "  vault_id = \"v1\"\n"), ExpectError: regexp.MustCompile(`(?s)Invalid UUID.*vault_id`)},
			{Config: cfg(b + "  image_id = \"i1\"\n"), ExpectError: regexp.MustCompile(`(?s)Invalid UUID.*image_id`)},
		},
	})
	acceptanceTestNoCalls(t, env)
}

// TestAccBackupShareMembersDataSource_pages: more members than one page of the client holds (the
// world bypasses the API's limit of 10); the data source follows every page.
func TestAccBackupShareMembersDataSource_pages(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	const n = 130
	w := env.Endpoint.World()
	const domainID = "9e9e9e9e9e9e4e9e9e9e9e9e9e9e9e01"
	w.Domains = append(w.Domains, testendpoint.Domain{ID: domainID, Name: "paging-domain"})
	created := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		pid := fmt.Sprintf("%032x", 0xabc000+i)
		w.Projects = append(w.Projects, testendpoint.Project{ID: pid, Name: fmt.Sprintf("%s_p%03d", env.Region, i), DomainID: domainID})
		w.CBRMembers = append(w.CBRMembers, testendpoint.CBRMember{
			ID: fmt.Sprintf("7e000000-0000-4000-8000-%012x", i), BackupID: env.ServerBackupID, DestProjectID: pid,
			Status: testendpoint.StatusPending, CreatedAt: created,
		})
	}
	if err := env.Endpoint.SetWorld(w); err != nil {
		t.Fatalf("SetWorld: %v", err)
	}
	listPath := "/v3/" + env.Owner.ProjectID + "/backups/" + env.ServerBackupID + "/members"
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			PreConfig: testAccClearRequests(env),
			Config: env.providerBlock(t, "", env.Owner, credAKSK) + fmt.Sprintf(`
data "cbr_backup_share_members" "all" {
  backup_id = %q
}
`, env.ServerBackupID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cbr_backup_share_members.all", tfjsonpath.New("members"), knownvalue.ListSizeExact(n)),
			},
			Check: func(*terraform.State) error {
				if got := countRequests(env.requests(), "GET", listPath); got < 2 {
					return fmt.Errorf("want at least 2 list pages, got %d GETs:\n%s", got, describeRequests(env.requests()))
				}
				return nil
			},
		}},
	})
}

// TestAccBackupShareMembersDataSource_example applies examples/data-sources/cbr_backup_share_members.
func TestAccBackupShareMembersDataSource_example(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	accTest(t, resource.TestCase{
		PreCheck: func() { acceptanceTestShareAndAccept(t, env, env.ServerBackupID) },
		Steps: []resource.TestStep{{
			Config: env.providerBlock(t, "", env.Owner, credToken) + acceptanceTestExample(t, "data-sources/cbr_backup_share_members/data-source.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("accepted_projects", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(env.Receiver1.ProjectID)})),
			},
		}},
	})
}
