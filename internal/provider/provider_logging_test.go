package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Secrets never reach a log: with TRACE logging of both Terraform and the provider captured to a
// file, a configuration that uses every credential kind is applied, refreshed and destroyed, and the
// log must not contain any secret key, password, security token or token value.
func TestAccProvider_secretsNeverLogged(t *testing.T) {
	clearHWEnv(t)
	env := newAccEnv(t)
	env.localOnly(t)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)

	cfg := env.providerBlock(t, "owner", env.Owner, credAKSK) +
		env.providerBlock(t, "owner_temp", env.Owner, credTemp) +
		env.providerBlock(t, "receiver", env.Receiver1, credPassword) +
		env.providerBlock(t, "receiver2", env.Receiver2, credToken) +
		fmt.Sprintf(`
resource "cbr_backup_share_member" "share" {
  provider  = cbr.owner
  backup_id = %[1]q
  members   = [%[2]q]
}

resource "cbr_backup_share_acceptance" "accept" {
  provider  = cbr.receiver
  backup_id = cbr_backup_share_member.share.backup_id
  vault_id  = %[3]q
}

data "cbr_backup_share_members" "all" {
  provider   = cbr.owner_temp
  backup_id  = cbr_backup_share_member.share.backup_id
  depends_on = [cbr_backup_share_acceptance.accept]
}

data "cbr_volume_backup_shares" "mine" {
  provider = cbr.receiver2
}
`, env.ServerBackupID, env.Receiver1.ProjectID, env.Receiver1ServerVaultID)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check:  resource.TestCheckResourceAttr("cbr_backup_share_acceptance.accept", "status", "accepted"),
		}},
	})

	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("reading the captured log: %v", err)
	}
	log := string(raw)
	// The capture must really hold TRACE output of the provider's API calls, or the test proves nothing.
	for _, want := range []string{"/v3/auth/tokens", "/members", "@module=cbr"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the captured log (%d bytes) has no %q: logging was not captured", len(log), want)
		}
	}
	secrets := map[string]string{
		"owner secret key":       env.Owner.SecretKey,
		"owner temporary secret": env.Owner.TempSecretKey,
		"owner security token":   env.Owner.SecurityToken,
		"receiver1 password":     env.Receiver1.Password,
		"receiver2 token":        env.Receiver2.Token,
	}
	for _, tok := range env.Endpoint.IssuedTokens() {
		secrets["token issued by IAM"] = tok
		if strings.Contains(log, tok) {
			t.Errorf("the TRACE log contains a token issued by IAM")
		}
	}
	for name, secret := range secrets {
		if secret != "" && strings.Contains(log, secret) {
			t.Errorf("the TRACE log contains the %s", name)
		}
	}
}
