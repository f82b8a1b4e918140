package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// The acceptance scenarios both acceptance resource types run; each type's _test.go calls them.

// testAccAcceptanceBasic: create (1 GET + 1 PUT), refresh (1 GET), import, destroy (1 PUT, checked
// in the endpoint's world). Every step with a configuration ends with an empty re-plan, refreshed
// and not (terraform-plugin-testing checks it), so no step of its own repeats that.
func testAccAcceptanceBasic(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string, checks ...statecheck.StateCheck) {
	cfg := k.config(t, env, parentID, "", vaultID)
	checks = append(checks,
		k.expect("id", knownvalue.StringExact(parentID)),
		k.expect("status", knownvalue.StringExact("accepted")),
		k.expect("member_id", knownvalue.StringExact(env.Receiver1.ProjectID)),
		k.expect("created_at", knownvalue.NotNull()),
		k.expect("updated_at", knownvalue.NotNull()),
	)
	accTest(t, resource.TestCase{
		PreCheck: func() { k.share(t, env, parentID) },
		CheckDestroy: resource.ComposeTestCheckFunc(
			k.checkDestroyed(env, parentID, vaultID),
			// destroy = 1 PUT (reject); GETs also come from the last step's plans, so are not counted
			k.checkRequests(env, -1, 1),
		),
		Steps: []resource.TestStep{
			{
				PreConfig: testAccClearRequests(env),
				Config:    cfg,
				// create = 1 GET (the share is already there) + 1 PUT
				ConfigStateChecks: append(checks, worldCheck(k.checkRequests(env, 1, 1)), worldCheck(k.checkStatus(env, parentID, testendpoint.StatusAccepted))),
			},
			{
				// refresh = 1 GET
				PreConfig:    testAccClearRequests(env),
				RefreshState: true,
				Check:        k.checkRequests(env, 1, 0),
			},
			{
				ResourceName:      k.name(),
				ImportState:       true,
				ImportStateId:     parentID,
				ImportStateVerify: true,
				// timeouts is configuration only: an import cannot know it.
				ImportStateVerifyIgnore: append([]string{"timeouts"}, k.importIgnore...),
			},
		},
	})
}

// testAccAcceptanceUpdate: accepted → rejected → rejected without vault_id → accepted, each an
// in-place update.
func testAccAcceptanceUpdate(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string) {
	step := func(status, vault string) resource.TestStep {
		return resource.TestStep{
			PreConfig:        testAccClearRequests(env),
			Config:           k.config(t, env, parentID, status, vault),
			ConfigPlanChecks: planUpdate(k.name()),
			ConfigStateChecks: []statecheck.StateCheck{
				k.expect("status", knownvalue.StringExact(status)),
				// plan refresh GET + 1 PUT
				worldCheck(k.checkRequests(env, 1, 1)),
				worldCheck(k.checkStatus(env, parentID, status)),
			},
		}
	}
	first := step("accepted", vaultID)
	first.ConfigPlanChecks, first.ConfigStateChecks = resource.ConfigPlanChecks{}, first.ConfigStateChecks[:1]
	accTest(t, resource.TestCase{
		PreCheck:     func() { k.share(t, env, parentID) },
		CheckDestroy: k.checkDestroyed(env, parentID, vaultID),
		Steps:        []resource.TestStep{first, step("rejected", vaultID), step("rejected", ""), step("accepted", vaultID)},
	})
}

// testAccAcceptanceDisappears: the owner re-shares out of band (the member is pending again); the
// next plan shows an update that restores the acceptance, and the plan after it is empty.
func testAccAcceptanceDisappears(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string) {
	env.localOnly(t)
	cfg := k.config(t, env, parentID, "", vaultID)
	accTest(t, resource.TestCase{
		PreCheck:     func() { k.share(t, env, parentID) },
		CheckDestroy: k.checkDestroyed(env, parentID, vaultID),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					k.revoke(t, env, parentID)
					k.share(t, env, parentID)
				},
				Config:           cfg,
				ConfigPlanChecks: planUpdate(k.name()),
				Check:            k.checkStatus(env, parentID, testendpoint.StatusAccepted),
			},
		},
	})
}

// testAccAcceptanceRevoked: the owner revokes the share. Refresh removes the acceptance from state
// (a warning; the plan creates it again), and a destroy that meets a revoked share succeeds.
func testAccAcceptanceRevoked(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string) {
	env.localOnly(t)
	cfg := k.config(t, env, parentID, "", vaultID)
	accTest(t, resource.TestCase{
		PreCheck: func() { k.share(t, env, parentID) },
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:          func() { k.revoke(t, env, parentID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(k.name(), plancheck.ResourceActionCreate),
				}},
			},
			{
				PreConfig: func() { k.share(t, env, parentID) },
				Config:    cfg,
			},
			{
				// Revoked between refresh and delete (a fault answers the reject with not
				// found): the destroy succeeds.
				PreConfig: func() {
					env.Endpoint.ClearRequests()
					env.Endpoint.SetFaults([]testendpoint.Fault{{Method: "PUT", Path: k.faultPath, Status: 404, Body: k.notFoundBody, Count: 1}})
				},
				Config: env.providerBlock(t, "", env.Receiver1, k.cred),
				Check: func(*terraform.State) error {
					for _, r := range env.requests() {
						if r.Method == "PUT" && r.Status == 404 {
							return nil
						}
					}
					return fmt.Errorf("the destroy did not meet the revoked share:\n%s", describeRequests(env.requests()))
				},
			},
		},
	})
}

// testAccAcceptanceWait: the share becomes visible only after notYet GETs (the owner's side still
// being applied); create waits, then makes exactly one PUT.
func testAccAcceptanceWait(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string, notYet int) {
	env.localOnly(t)
	accTest(t, resource.TestCase{
		PreCheck: func() { k.share(t, env, parentID) },
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.Endpoint.ClearRequests()
				env.Endpoint.SetFaults([]testendpoint.Fault{{Method: "GET", Path: k.faultPath, Status: 404, Body: k.notFoundBody, Count: notYet}})
			},
			Config: k.config(t, env, parentID, "", vaultID),
			Check:  k.checkRequests(env, notYet+1, 1),
		}},
	})
}

// acceptanceTestBadConfig is a configuration that validation must reject.
type acceptanceTestBadConfig struct {
	parentID, status, vaultID string
	err                       string // regular expression of the error
}

// testAccAcceptanceValidation plans each bad configuration and checks that none reached the API.
func testAccAcceptanceValidation(t *testing.T, env *accEnv, k acceptanceTestKind, bad []acceptanceTestBadConfig) {
	env.localOnly(t)
	var steps []resource.TestStep
	for _, b := range bad {
		steps = append(steps, resource.TestStep{Config: k.config(t, env, b.parentID, b.status, b.vaultID), ExpectError: regexp.MustCompile("(?s)" + b.err)})
	}
	accTest(t, resource.TestCase{
		PreCheck: testAccClearRequests(env),
		Steps:    steps,
	})
	acceptanceTestNoCalls(t, env)
}

// testAccAcceptanceTwoProviders shares parentID with members (owner, AK/SK) and accepts it as
// Receiver1 (password) in one apply, re-plans with no change (outputs of every attribute of both
// resources included: terraform-plugin-testing's re-plans after the apply count output changes),
// then destroys cleanly. The acceptance does not reference the
// member resource: its wait is what orders the two sides.
func testAccAcceptanceTwoProviders(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string, members ...string) {
	memberType := strings.Replace(k.resourceType, "_acceptance", "_member", 1)
	cfg := env.providerBlock(t, "owner", env.Owner, credAKSK) +
		env.providerBlock(t, "receiver", env.Receiver1, credPassword) + fmt.Sprintf(`
resource %[1]q "share" {
  provider = cbrowner
  %[3]s = %[4]q
  members = ["%[5]s"]
}

resource %[2]q "test" {
  provider = cbrreceiver
  %[3]s = %[4]q
  vault_id = %[6]q
}

# Every attribute of both sides: the re-plan after the apply must not change any of them.
output "share" {
  value = %[1]s.share
}

output "acceptance" {
  value = %[2]s.test
}
`, memberType, k.resourceType, k.parentAttr, parentID, strings.Join(members, `", "`), vaultID)
	accTest(t, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(
			func(*terraform.State) error {
				if env.Endpoint != nil && k.status(env, parentID) != "" {
					return fmt.Errorf("the member of %s survived the destroy", parentID)
				}
				return nil
			},
			k.checkDestroyed(env, parentID, vaultID),
		),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					k.expect("status", knownvalue.StringExact("accepted")),
					k.expect("member_id", knownvalue.StringExact(env.Receiver1.ProjectID)),
					worldCheck(k.checkStatus(env, parentID, testendpoint.StatusAccepted)),
				},
			},
		},
	})
}

// testAccAcceptanceExample applies examples/resources/<type>/resource.tf as Receiver1 and imports it.
func testAccAcceptanceExample(t *testing.T, env *accEnv, k acceptanceTestKind, parentID string) {
	env.localOnly(t)
	cfg := env.providerBlock(t, "", env.Receiver1, k.cred) + acceptanceTestExample(t, "resources/"+k.resourceType+"/resource.tf")
	name := k.resourceType + ".example"
	accTest(t, resource.TestCase{
		PreCheck: func() { k.share(t, env, parentID) },
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(name, tfjsonpath.New("status"), knownvalue.StringExact("accepted"))},
			},
			{
				Config:            cfg,
				ResourceName:      name,
				ImportState:       true,
				ImportStateId:     parentID,
				ImportStateVerify: true,
				// timeouts is configuration only: an import cannot know it.
				ImportStateVerifyIgnore: append([]string{"timeouts"}, k.importIgnore...),
			},
		},
	})
}
