package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// testAccMembersDataSourceConfig reads the members of a backup: the cheapest call that proves a
// configured provider can authenticate.
func testAccMembersDataSourceConfig(providerBlock, backupID string) string {
	return providerBlock + fmt.Sprintf(`
data "cbr_backup_share_members" "probe" {
  backup_id = %q
}
`, backupID)
}

// expectServiceCall checks that the endpoint served a CBR call with the given auth kind as the owner.
func expectServiceCall(env *accEnv, authKind string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range env.requests() {
			if r.Service == "cbr" && r.Status == 200 && r.AuthKind == authKind && r.Project == env.Owner.ProjectID {
				return nil
			}
		}
		return fmt.Errorf("no successful CBR call authenticated by %s as the owner; request log:\n%s", authKind, describeRequests(env.requests()))
	}
}

// Each kind of credentials reads through the API, authenticated as that kind: one test case, a
// step per kind, each with its own provider configuration.
func TestAccProvider_credentialKinds(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	var steps []resource.TestStep
	for _, tc := range []struct {
		kind     credKind
		authKind string
	}{
		{credAKSK, "aksk"},
		{credTemp, "aksk"},
		{credPassword, "token"},
		{credToken, "token"},
	} {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				t.Logf("credentials: %s", tc.kind)
				env.Endpoint.ClearRequests()
			},
			Config: testAccMembersDataSourceConfig(env.providerBlock(t, "", env.Owner, tc.kind), env.ServerBackupID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.cbr_backup_share_members.probe", "members.#", "0"),
				expectServiceCall(env, tc.authKind),
			),
		})
	}
	accTest(t, resource.TestCase{Steps: steps})
}

// The provider is configured from HW_* environment variables alone, and finds its project through
// IAM by the region's name when HW_PROJECT_ID is not set.
func TestAccProvider_environment(t *testing.T) {
	// Not parallel: the HW_* variables it sets are the whole test binary's (TestMain clears them).
	env := newAccEnv(t)
	env.localOnly(t)
	t.Setenv("HW_REGION_NAME", env.Region)
	t.Setenv("HW_ACCESS_KEY", env.Owner.AccessKey)
	t.Setenv("HW_SECRET_KEY", env.Owner.SecretKey)
	t.Setenv("HW_AUTH_URL", env.URL+"/v3")
	t.Setenv("HW_MAX_RETRIES", "1")
	cfg := fmt.Sprintf(`
provider "cbr" {
  endpoints = {
    cbr = %[1]q
    vbs = %[1]q
    ims = %[1]q
  }
}
`, env.URL)
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: testAccMembersDataSourceConfig(cfg, env.ServerBackupID),
			Check: resource.ComposeAggregateTestCheckFunc(
				expectServiceCall(env, "aksk"),
				func(*terraform.State) error {
					if n := countRequests(env.requests(), "GET", "/v3/auth/projects"); n == 0 {
						return fmt.Errorf("expected a project lookup by region name; request log:\n%s", describeRequests(env.requests()))
					}
					return nil
				},
			),
		}},
	})
}

func TestAccProvider_misconfiguration(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	endpoints := fmt.Sprintf("  endpoints = {\n    cbr = %[1]q\n    vbs = %[1]q\n    ims = %[1]q\n    iam = %[1]q\n  }\n", env.URL)
	block := func(body string) string {
		return testAccMembersDataSourceConfig("provider \"cbr\" {\n"+body+endpoints+"}\n", env.ServerBackupID)
	}
	o := env.Owner
	cases := []struct {
		name   string
		config string
		err    string
	}{
		{"no credentials", block(`  region = "cn-north-4"` + "\n"), `(?s)access_key.*HW_ACCESS_KEY`},
		{"two kinds", block(fmt.Sprintf("  region = \"cn-north-4\"\n  access_key = %q\n  secret_key = %q\n  token = %q\n", o.AccessKey, o.SecretKey, o.Token)), `(?s)token.*HW_AUTH_TOKEN`},
		{"access key without secret key", block(fmt.Sprintf("  region = \"cn-north-4\"\n  access_key = %q\n", o.AccessKey)), `(?s)secret_key.*HW_SECRET_KEY`},
		{"security token alone", block("  region = \"cn-north-4\"\n  security_token = \"x\"\n"), `(?s)access_key.*HW_ACCESS_KEY`},
		{"password without domain", block(fmt.Sprintf("  region = \"cn-north-4\"\n  user_name = %q\n  password = %q\n", o.UserName, o.Password)), `(?s)domain_name.*HW_DOMAIN_NAME`},
		{"missing region", block(fmt.Sprintf("  access_key = %q\n  secret_key = %q\n", o.AccessKey, o.SecretKey)), `(?s)region.*HW_REGION_NAME`},
		{"wrong password", block(fmt.Sprintf("  region = \"cn-north-4\"\n  user_name = %q\n  password = \"not-the-password\"\n  domain_name = %q\n", o.UserName, o.DomainName)), `(?s)Credentials Refused.*owner-admin.*password\s+is\s+wrong.*Check\s+user_name\s+\(HW_USER_NAME\),\s+password\s+\(HW_PASSWORD\)\s+and\s+domain_name\s+\(HW_DOMAIN_NAME\)`},
		{"wrong secret key", block(fmt.Sprintf("  region = \"cn-north-4\"\n  access_key = %q\n  secret_key = \"NotTheSecretKey\"\n", o.AccessKey)),
			`(?s)Credentials Refused.*HTTP\s+401.*verify\s+aksk\s+signature\s+fail\.\s+The\s+credentials\s+were\s+refused\.\s+Check\s+access_key\s+\(HW_ACCESS_KEY\)\s+and\s+secret_key\s+\(HW_SECRET_KEY\)`},
		{"project_id shape", block(fmt.Sprintf("  region = \"cn-north-4\"\n  project_id = \"Not-A-Project\"\n  access_key = %q\n  secret_key = %q\n", o.AccessKey, o.SecretKey)),
			`(?s)Invalid Project ID.*"Not-A-Project".*project_id`},
		{"max_retries not whole", block(fmt.Sprintf("  region = \"cn-north-4\"\n  max_retries = 1.5\n  access_key = %q\n  secret_key = %q\n", o.AccessKey, o.SecretKey)),
			`(?s)Invalid max_retries.*max_retries\s+is\s+1\.5.*whole\s+number\s+from\s+0\s+to\s+100`},
		{"auth_url with tokens path", block(fmt.Sprintf("  region = \"cn-north-4\"\n  auth_url = \"%s/v3/auth/tokens\"\n  user_name = %q\n  password = %q\n  domain_name = %q\n", env.URL, o.UserName, o.Password, o.DomainName)),
			`(?s)Invalid URL.*auth_url.*goes\s+on\s+after\s+/v3.*Drop\s+the\s+path\s+after\s+/v3`},
		{"endpoint with API version", testAccMembersDataSourceConfig(fmt.Sprintf("provider \"cbr\" {\n  region = \"cn-north-4\"\n  token = %q\n  project_id = %q\n  endpoints = { cbr = \"%s/v3\" }\n}\n", o.Token, o.ProjectID, env.URL), env.ServerBackupID),
			`(?s)Invalid URL.*endpoints\.cbr.*/v3.*Drop\s+the\s+path`},
		{"bad endpoint URL", testAccMembersDataSourceConfig(fmt.Sprintf("provider \"cbr\" {\n  region = \"cn-north-4\"\n  token = %q\n  project_id = %q\n  endpoints = { cbr = \"not a url\" }\n}\n", o.Token, o.ProjectID), env.ServerBackupID), `(?s)Invalid URL.*endpoints\.cbr\s+"not a url"`},
	}
	// One test case, a step per case: each fails in its first plan, before anything is created, and
	// a test case per configuration would add a Terraform init and two version calls to each.
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			PreConfig:   func() { t.Logf("case %q", tc.name) },
			Config:      tc.config,
			ExpectError: regexp.MustCompile(tc.err),
		})
	}
	accTest(t, resource.TestCase{Steps: steps})
	for _, r := range env.requests() {
		if r.Service != "iam" {
			t.Errorf("a misconfigured provider made a service call: %s %s", r.Method, r.Path)
		}
	}
}

// A provider configured from another resource's result is unknown during plan; the plan must still
// succeed, and apply configures the provider once the value is known.
func TestAccProvider_unknownConfiguration(t *testing.T) {
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
  endpoints = {
    cbr = %[4]q
    vbs = %[4]q
    ims = %[4]q
    iam = %[4]q
  }
}

resource "cbr_backup_share_member" "share" {
  backup_id = %[5]q
  members   = [%[6]q]
}
`, env.Region, env.Owner.AccessKey, env.Owner.SecretKey, env.URL, env.ServerBackupID, env.Receiver1.ProjectID)
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: cfg,
			Check:  resource.TestCheckResourceAttr("cbr_backup_share_member.share", "member_details.%", "1"),
		}},
	})
}

// Throttling and failures injected through the endpoint are retried within max_retries; past the
// budget the error says what failed and how often it was tried.
func TestAccProvider_retries(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	cfg := testAccMembersDataSourceConfig(env.providerBlock(t, "", env.Owner, credAKSK), env.ServerBackupID)
	membersPath := "/v3/*/backups/*/members"
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.Endpoint.ClearRequests()
					env.Endpoint.SetFaults([]testendpoint.Fault{
						{Method: "GET", Path: membersPath, Status: 429, RetryAfter: 1, Count: 1},
						{Method: "GET", Path: membersPath, Status: 503, Count: 1},
						{Method: "GET", Path: membersPath, Drop: true, Count: 1},
					})
				},
				Config: cfg,
				Check: func(*terraform.State) error {
					// Each fault answered one attempt and the next attempt got through.
					var statuses []int
					for _, r := range env.requests() {
						if r.Method == "GET" && regexp.MustCompile(`^/v3/[^/]+/backups/[^/]+/members$`).MatchString(r.Path) {
							statuses = append(statuses, r.Status)
						}
					}
					if len(statuses) < 4 || statuses[0] != 429 || statuses[1] != 503 || statuses[2] != 0 || statuses[3] != 200 {
						return fmt.Errorf("expected 429, 503, dropped, then 200; got %v\n%s", statuses, describeRequests(env.requests()))
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					env.Endpoint.SetFaults([]testendpoint.Fault{{Method: "GET", Path: membersPath, Status: 503, Count: 100}})
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)tried 3 times.*HTTP 503`),
			},
			{
				PreConfig: func() { env.Endpoint.ClearFaults() },
				Config:    cfg,
			},
		},
	})
}
