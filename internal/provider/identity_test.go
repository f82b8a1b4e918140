package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Resource identity needs Terraform or OpenTofu 1.12+; on older CLIs these tests are skipped.
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// identitySteps: create sets the identity (the parent and the provider's project); import by
// identity and by ID in an import block both find the resource; an identity of another project is
// refused with a message that names both projects.
func identitySteps(cfg, addr, parentAttr, parentID, projectID, typeName string) []resource.TestStep {
	other := "0123456789abcdef0123456789abcdef"
	foreign := cfg + fmt.Sprintf("\nimport {\n  to = %s\n  identity = {\n    %s = %q\n    project_id = %q\n  }\n}\n", addr, parentAttr, parentID, other)
	return []resource.TestStep{
		{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
				parentAttr:   knownvalue.StringExact(parentID),
				"project_id": knownvalue.StringExact(projectID),
			})},
		},
		{Config: cfg, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		{Config: cfg, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		{
			// A fresh state: the import block names a project this provider does not act as.
			Config:      foreign,
			PlanOnly:    true,
			ExpectError: errRE("Identity of Another Project", other, projectID, typeName),
		},
	}
}

func testAccMemberIdentity(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1 := tk.parent(e), e.Receiver1.ProjectID
	steps := identitySteps(tk.config(t, e, parent, r1), tk.addr(), tk.kind.ParentAttr, parent, e.Owner.ProjectID, tk.kind.TypeName)
	accTest(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		Steps:                  steps[:3],
	})
	accTest(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		Steps:                  steps[3:],
	})
}

func TestAccBackupShareMember_identity(t *testing.T) {
	testAccParallel(t)
	testAccMemberIdentity(t, backupShareMemberTK)
}

func TestAccVolumeBackupShareMember_identity(t *testing.T) {
	testAccParallel(t)
	testAccMemberIdentity(t, volumeBackupShareMemberTK)
}

func TestAccImageShareMember_identity(t *testing.T) {
	testAccParallel(t)
	testAccMemberIdentity(t, imageShareMemberTK)
}

func testAccAcceptanceIdentity(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string) {
	env.localOnly(t)
	steps := identitySteps(k.config(t, env, parentID, "", vaultID), k.name(), k.parentAttr, parentID, env.Receiver1.ProjectID, k.resourceType)
	accTest(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		PreCheck:               func() { k.share(t, env, parentID) },
		Steps:                  steps[:3],
	})
	accTest(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		Steps:                  steps[3:],
	})
}

func TestAccBackupShareAcceptance_identity(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceIdentity(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID)
}

func TestAccImageShareAcceptance_identity(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	// A system image: IMS does not return the vault of an accepted image, so an import of a full-ECS
	// image always plans to set its configured vault_id.
	testAccAcceptanceIdentity(t, env, testAccImageShareAcceptance, env.SystemImageID, "")
}
