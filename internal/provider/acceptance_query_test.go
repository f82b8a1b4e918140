package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// terraform query lists what is shared with the receiver (Terraform 1.14+), proposing each pending
// share as accepted into the list block's vault; the import blocks and resources it proposes adopt
// the shares in one apply, with an empty plan after.
func testAccAcceptanceQuery(t *testing.T, env *accEnv, k acceptanceTestKind, parents []string, vaultID string, vaultFor map[string]bool) {
	env.localOnly(t)
	block := env.providerBlock(t, "", env.Receiver1, k.cred)
	// The query file's list blocks use the provider block of the configuration (step 1).
	query := fmt.Sprintf(`
list %[1]q "pending" {
  provider         = cbr
  include_resource = true
  config {
    member_status = "pending"
    vault_id      = %[2]q
  }
}
`, k.resourceType, vaultID)
	var checks []querycheck.QueryResultCheck
	checks = append(checks, querycheck.ExpectLength(k.resourceType+".pending", len(parents)))
	adopt := block
	for i, p := range parents {
		id := map[string]knownvalue.Check{k.parentAttr: knownvalue.StringExact(p), "project_id": knownvalue.StringExact(env.Receiver1.ProjectID)}
		var vault knownvalue.Check = knownvalue.Null()
		vaultHCL := "null"
		if vaultFor[p] {
			vault, vaultHCL = knownvalue.StringExact(vaultID), fmt.Sprintf("%q", vaultID)
		}
		checks = append(checks,
			querycheck.ExpectIdentity(k.resourceType+".pending", id),
			querycheck.ExpectResourceKnownValues(k.resourceType+".pending", queryfilter.ByResourceIdentity(id), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("accepted")},
				{Path: tfjsonpath.New("vault_id"), KnownValue: vault},
			}))
		// What -generate-config-out writes for this result: an import block by identity and the resource.
		adopt += fmt.Sprintf(`
import {
  to = %[1]s.s%[2]d
  identity = {
    %[3]s      = %[4]q
    project_id = %[5]q
  }
}

resource %[1]q "s%[2]d" {
  %[3]s = %[4]q
  status   = "accepted"
  vault_id = %[6]s
}
`, k.resourceType, i, k.parentAttr, p, env.Receiver1.ProjectID, vaultHCL)
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck: func() {
			for _, p := range parents {
				k.share(t, env, p)
			}
		},
		Steps: []resource.TestStep{
			{Config: block},
			{Query: true, Config: query, QueryResultChecks: checks},
			{
				Config: adopt,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(k.resourceType+".s0", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: k.checkStatus(env, parents[0], "accepted"),
			},
		},
	})
}

func TestAccBackupShareAcceptance_query(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	b1, b2 := env.ServerBackupID, env.ServerBackup2ID
	testAccAcceptanceQuery(t, env, testAccBackupShareAcceptance, []string{b1, b2}, env.Receiver1ServerVaultID, map[string]bool{b1: true, b2: true})
}

func TestAccImageShareAcceptance_query(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	whole, plain := env.FullECSImageID, env.SystemImageID
	testAccAcceptanceQuery(t, env, testAccImageShareAcceptance, []string{whole, plain}, env.Receiver1ServerVaultID, map[string]bool{whole: true})
}
