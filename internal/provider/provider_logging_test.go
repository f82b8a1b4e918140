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
	// Not parallel: the TF_ACC_LOG* variables it sets are the whole test binary's.
	env := newAccEnv(t)
	env.localOnly(t)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)

	// Secrets come in as sensitive variables through TF_VAR_* (as in a pipeline), so that the test
	// harness's own echo of the configuration holds none: every other line of the log is checked.
	secretVars := map[string]string{
		"owner_secret_key":      env.Owner.SecretKey,
		"owner_temp_secret_key": env.Owner.TempSecretKey,
		"owner_security_token":  env.Owner.SecurityToken,
		"receiver_password":     env.Receiver1.Password,
		"receiver2_token":       env.Receiver2.Token,
	}
	var cfg strings.Builder
	for name, value := range secretVars {
		t.Setenv("TF_VAR_"+name, value)
		fmt.Fprintf(&cfg, "variable %q {\n  type      = string\n  sensitive = true\n}\n\n", name)
	}
	endpoints := fmt.Sprintf("  endpoints = {\n    cbr = %[1]q\n    vbs = %[1]q\n    ims = %[1]q\n    iam = %[1]q\n  }\n", env.URL)
	fmt.Fprintf(&cfg, `
provider "cbrowner" {
  region     = %[1]q
  access_key = %[2]q
  secret_key = var.owner_secret_key
%[7]s}

provider "cbrownertemp" {
  region         = %[1]q
  access_key     = %[3]q
  secret_key     = var.owner_temp_secret_key
  security_token = var.owner_security_token
%[7]s}

provider "cbrreceiver" {
  region      = %[1]q
  user_name   = %[4]q
  password    = var.receiver_password
  domain_name = %[5]q
%[7]s}

provider "cbrreceiver2" {
  region = %[1]q
  token  = var.receiver2_token
%[7]s}
`, env.Region, env.Owner.AccessKey, env.Owner.TempAccessKey, env.Receiver1.UserName, env.Receiver1.DomainName, "", endpoints)
	fmt.Fprintf(&cfg, `
resource "cbr_backup_share_member" "share" {
  provider  = cbrowner
  backup_id = %[1]q
  members   = [%[2]q]
}

resource "cbr_backup_share_acceptance" "accept" {
  provider  = cbrreceiver
  backup_id = cbr_backup_share_member.share.backup_id
  vault_id  = %[3]q
}

data "cbr_backup_share_members" "all" {
  provider   = cbrownertemp
  backup_id  = cbr_backup_share_member.share.backup_id
  depends_on = [cbr_backup_share_acceptance.accept]
}

data "cbr_volume_backup_shares" "mine" {
  provider = cbrreceiver2
}
`, env.ServerBackupID, env.Receiver1.ProjectID, env.Receiver1ServerVaultID)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: cfg.String(),
			Check:  resource.TestCheckResourceAttr("cbr_backup_share_acceptance.accept", "status", "accepted"),
		}},
	})

	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("reading the captured log: %v", err)
	}
	log := string(raw)
	// The capture must really hold TRACE output of the provider's API calls, or the test proves nothing.
	for _, want := range []string{"/v3/auth/tokens", "/members", "API request details"} {
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
	issued := env.Endpoint.IssuedTokens()
	if len(issued) == 0 {
		t.Fatal("IAM issued no token: the password-authenticated provider was not exercised")
	}
	for _, tok := range issued {
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
