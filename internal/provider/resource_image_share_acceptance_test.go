package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// testAccImageShareAcceptance describes cbr_image_share_acceptance to the shared test bodies in
// acceptance_test.go.
var testAccImageShareAcceptance = acceptanceTestKind{
	resourceType: "cbr_image_share_acceptance",
	parentAttr:   "image_id",
	cred:         credToken,
	memberPath:   "/v2/images/[0-9a-f-]{36}/members/[0-9a-f]{32}",
	faultPath:    "/v2/images/*/members/*",
	notFoundBody: `{"error":{"code":"IMG.0114","message":"The member does not exist."}}`,
	share: func(t *testing.T, env *accEnv, imageID string) {
		acceptanceTestShareImage(t, env, imageID, env.Receiver1.ProjectID)
	},
	revoke: func(t *testing.T, env *accEnv, imageID string) {
		acceptanceTestRevokeImage(t, env, imageID, env.Receiver1.ProjectID)
	},
	status: func(env *accEnv, imageID string) string {
		for _, m := range env.Endpoint.World().ImageMembers {
			if m.ImageID == imageID && m.MemberID == env.Receiver1.ProjectID {
				return m.Status
			}
		}
		return ""
	},
	// IMS does not return vault_id: an import leaves it null (documented).
	importIgnore: []string{"vault_id"},
}

// testAccImageShareAcceptanceConfig_basic accepts (or rejects) imageID as Receiver1.
func testAccImageShareAcceptanceConfig_basic(t *testing.T, env *accEnv, imageID, status, vaultID string) string {
	return testAccImageShareAcceptance.config(t, env, imageID, status, vaultID)
}

func TestAccImageShareAcceptance_basic(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.FullECSImageID, env.Receiver1ServerVaultID)
	testAccAcceptanceBasic(t, env, testAccImageShareAcceptance, env.FullECSImageID, env.Receiver1ServerVaultID,
		testAccImageShareAcceptance.expect("vault_id", knownvalue.StringExact(env.Receiver1ServerVaultID)))
}

// TestAccImageShareAcceptance_basicNoVault: a plain system image needs no vault.
func TestAccImageShareAcceptance_basicNoVault(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.SystemImageID)
	testAccAcceptanceBasic(t, env, testAccImageShareAcceptance, env.SystemImageID, "",
		testAccImageShareAcceptance.expect("vault_id", knownvalue.Null()))
}

// A full-ECS image: accepted into a vault, rejected (the vault is freed), accepted again.
func TestAccImageShareAcceptance_update(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.FullECSImageID, env.Receiver1ServerVaultID)
	testAccAcceptanceUpdate(t, env, testAccImageShareAcceptance, env.FullECSImageID, env.Receiver1ServerVaultID)
}

// The owner removes and re-adds the member: pending again, restored by the next apply.
func TestAccImageShareAcceptance_disappears(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceDisappears(t, env, testAccImageShareAcceptance, env.FullECSImageID, env.Receiver1ServerVaultID)
}

// A plain image, revoked by the owner: refresh forgets it, destroy succeeds.
func TestAccImageShareAcceptance_revoked(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceRevoked(t, env, testAccImageShareAcceptance, env.SystemImageID, "")
}

// The member becomes visible after two not-found answers.
func TestAccImageShareAcceptance_wait(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceWait(t, env, testAccImageShareAcceptance, env.SystemImageID, "", 2)
}

// Plan-time errors, none of which calls the API.
func TestAccImageShareAcceptance_validation(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceValidation(t, env, testAccImageShareAcceptance, []acceptanceTestBadConfig{
		{env.SystemImageID, "pending", "", `status.*value must be one of`},
		{"d164b5df", "", "", `Invalid UUID.*image_id`},
		{env.FullECSImageID, "", "vault-1", `Invalid UUID.*vault_id`},
	})
}

// TestAccImageShareAcceptance_fullECSWithoutVault: accepting a full-ECS image without vault_id
// fails with an error that says vault_id is required; a disk vault is refused; a server vault works.
func TestAccImageShareAcceptance_fullECSWithoutVault(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.FullECSImageID, env.Receiver1ServerVaultID, env.Receiver1DiskVaultID)
	cfg := func(vaultID string) string {
		return testAccImageShareAcceptanceConfig_basic(t, env, env.FullECSImageID, "", vaultID)
	}
	accTest(t, resource.TestCase{
		PreCheck: func() { acceptanceTestShareImage(t, env, env.FullECSImageID, env.Receiver1.ProjectID) },
		Steps: []resource.TestStep{
			{Config: cfg(""), ExpectError: regexp.MustCompile(`(?s)Error Accepting Image Share.*HTTP 400.*vault_id is required to accept this image`)},
			{Config: cfg(env.Receiver1DiskVaultID), ExpectError: regexp.MustCompile(`(?s)Error Accepting Image Share.*IMG\.0193.*CBR server backup vault`)},
			{Config: cfg(env.Receiver1ServerVaultID)},
		},
	})
}

// TestAccImageShareAcceptance_twoProviders shares an image and accepts it in a single apply.
func TestAccImageShareAcceptance_twoProviders(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.need(t, env.FullECSImageID, env.Receiver1ServerVaultID)
	testAccAcceptanceTwoProviders(t, env, testAccImageShareAcceptance, env.FullECSImageID, env.Receiver1ServerVaultID, env.Receiver1.ProjectID)
}

// Applies and imports examples/resources/cbr_image_share_acceptance.
func TestAccImageShareAcceptance_example(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceExample(t, env, testAccImageShareAcceptance, testendpoint.FullECSImageID)
}
