package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// A token the cloud does not know fails the first API call with a message about the token alone.
func TestAccProvider_refusedToken(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	o := env.Owner
	o.Token = "no-such-token"
	block := env.providerBlock(t, "", o, credToken)
	block = strings.Replace(block, "  token", fmt.Sprintf("  project_id  = %q\n  token", o.ProjectID), 1)
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      testAccMembersDataSourceConfig(block, env.ServerBackupID),
			ExpectError: errRE("HTTP 401", "APIGW.0301", "The credentials were refused. Check token (HW_AUTH_TOKEN).", "valid for 24 hours"),
		}},
	})
}

// A data source of a provider whose configuration is known only after apply cannot be read while
// planning; the error says so, and what to change.
func TestAccProvider_unknownConfigurationDataSource(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	cfg := fmt.Sprintf(`
resource "terraform_data" "region" {
  input = %[1]q
}

provider "cbr" {
  region     = terraform_data.region.output
  access_key = %[2]q
  secret_key = %[3]q
  endpoints  = { cbr = %[4]q, vbs = %[4]q, ims = %[4]q, iam = %[4]q }
}

data "cbr_backup_share_members" "all" {
  backup_id = %[5]q
}
`, env.Region, env.Owner.AccessKey, env.Owner.SecretKey, env.URL, env.ServerBackupID)
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: errRE("Provider Configuration Not Known Yet", "known only after apply", "apply -target="),
		}},
	})
}

func TestAPIErrorDetail(t *testing.T) {
	refused := func(args ...string) *client.APIError {
		e := client.NewAPIError(client.ServiceCBR, http.StatusUnauthorized, nil,
			[]byte(`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`))
		e.Credentials = args
		return e
	}
	gateway404 := client.NewAPIError(client.ServiceIMS, http.StatusNotFound, nil,
		[]byte(`{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment"}`))
	gateway404.Method, gateway404.URL = "GET", "http://127.0.0.1:1/v2/images/x/members"
	cases := []struct {
		name      string
		err       error
		want, not []string
	}{
		{"access key", refused("access_key", "secret_key"),
			[]string{"Check access_key (HW_ACCESS_KEY) and secret_key (HW_SECRET_KEY).", "clock"},
			[]string{"project_id", "token", "user_name", "security_token", "canonical"}},
		{"temporary access key", refused("access_key", "secret_key", "security_token"),
			[]string{"Check access_key (HW_ACCESS_KEY), secret_key (HW_SECRET_KEY) and security_token (HW_SECURITY_TOKEN).", "expire"},
			[]string{"project_id", "HW_AUTH_TOKEN", "user_name"}},
		{"password", refused("user_name", "password", "domain_name"),
			[]string{"Check user_name (HW_USER_NAME), password (HW_PASSWORD) and domain_name (HW_DOMAIN_NAME).", "auth_url"},
			[]string{"project_id", "access_key", "HW_AUTH_TOKEN"}},
		{"token", refused("token"), []string{"Check token (HW_AUTH_TOKEN)."}, []string{"project_id", "access_key", "user_name"}},
		{"gateway 404", gateway404,
			[]string{"GET http://127.0.0.1:1/v2/images/x/members answered", "the API gateway's", "Check endpoints.ims"},
			[]string{"credentials"}},
		{"message quoted once", client.NewAPIError(client.ServiceCBR, http.StatusBadRequest, nil,
			[]byte(`{"error_code":"BackupService.6709","error_msg":"Backup sharing is not allowed for cloud servers using encrypted disks."}`)),
			[]string{"encrypted disks.\n"}, []string{"..", "endpoints", "URL"}},
		{"message without full stop", client.NewAPIError(client.ServiceIMS, http.StatusBadRequest, nil,
			[]byte(`{"error":{"code":"IMG.0108","message":"tenant id is not in region"}}`)),
			[]string{"IMG.0108: tenant id is not in region."}, []string{".."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := apiErrorDetail("do it", tc.err)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("detail lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("detail contains %q:\n%s", n, got)
				}
			}
		})
	}
}

func TestWithArticle(t *testing.T) {
	for noun, want := range map[string]string{"image": "an image", "backup": "a backup", "volume backup": "a volume backup"} {
		if got := withArticle(noun); got != want {
			t.Errorf("withArticle(%q) = %q, want %q", noun, got, want)
		}
	}
}
