package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// Failure scenarios of the acceptance resources (see acceptance_test.go for the kinds).

// testAccAcceptanceNotGone: a gateway 404 or a proxy's HTML page is an error on refresh and on
// destroy, never a reason to drop the acceptance from the state or to call the destroy done.
func testAccAcceptanceNotGone(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string) {
	env.localOnly(t)
	cfg := k.config(t, env, parentID, "", vaultID)
	inState := func(s *terraform.State) error {
		if _, ok := s.RootModule().Resources[k.name()]; !ok {
			return fmt.Errorf("%s left the state", k.name())
		}
		return nil
	}
	accTest(t, resource.TestCase{
		PreCheck:     func() { k.share(t, env, parentID) },
		CheckDestroy: k.checkDestroyed(env, parentID, vaultID),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:   setFaults(env, testendpoint.Fault{Method: "GET", Path: k.faultPath, Status: 404}),
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: errRE("APIGW.0101", "GET "+env.URL+"/v", "the API gateway's", "Check endpoints."),
			},
			{
				PreConfig:   setFaults(env, testendpoint.Fault{Method: "GET", Path: k.faultPath, Status: 404, Body: "404 page not found"}),
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: errRE("HTTP 404", "404 page not found", "not in the API's error format"),
			},
			{
				PreConfig:   setFaults(env, testendpoint.Fault{Method: "PUT", Path: k.faultPath, Status: 404}),
				Config:      cfg,
				Destroy:     true,
				ExpectError: errRE("Error Rejecting", "APIGW.0101", "PUT "+env.URL+"/v"),
			},
			{
				PreConfig:    setFaults(env),
				RefreshState: true,
				Check:        resource.ComposeTestCheckFunc(inState, k.checkStatus(env, parentID, testendpoint.StatusAccepted)),
			},
		},
	})
}

func TestAccBackupShareAcceptance_notGone(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceNotGone(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID)
}

func TestAccImageShareAcceptance_notGone(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceNotGone(t, env, testAccImageShareAcceptance, env.FullECSImageID, env.Receiver1ServerVaultID)
}

// testAccAcceptanceOwnProvider: an acceptance given the owner's provider fails at its first poll,
// not when timeouts.create runs out, and says which provider to use.
func testAccAcceptanceOwnProvider(t *testing.T, env *accEnv, k acceptanceTestKind, parentID, vaultID string) {
	env.localOnly(t)
	cfg := env.providerBlock(t, "", env.Owner, credAKSK) + fmt.Sprintf(
		"resource %q \"test\" {\n  %s = %q\n  vault_id = %q\n  timeouts {\n    create = \"30s\"\n  }\n}\n",
		k.resourceType, k.parentAttr, parentID, vaultID)
	start := time.Now()
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			PreConfig:   testAccClearRequests(env),
			Config:      cfg,
			ExpectError: errRE("Cannot Accept Your Own Share", "acts as project "+env.Owner.ProjectID, "provider = cbr.receiver"),
		}},
	})
	if polls := countRequests(env.requests(), "GET", k.memberPath[:len(k.memberPath)-len("/[0-9a-f]{32}")]+"/"+env.Owner.ProjectID); polls != 1 {
		t.Errorf("%d polls of the share, want 1:\n%s", polls, describeRequests(env.requests()))
	}
	if d := time.Since(start); d > 25*time.Second {
		t.Errorf("the error took %s: it waited for the timeout", d)
	}
}

func TestAccBackupShareAcceptance_ownProvider(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceOwnProvider(t, env, testAccBackupShareAcceptance, env.ServerBackupID, env.Receiver1ServerVaultID)
}

func TestAccImageShareAcceptance_ownProvider(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	testAccAcceptanceOwnProvider(t, env, testAccImageShareAcceptance, env.FullECSImageID, env.Receiver1ServerVaultID)
}
