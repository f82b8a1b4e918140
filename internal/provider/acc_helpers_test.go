package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// providerName is the provider local name that providerBlock renders for a party name: "cbr" for
// the default configuration, "cbr"+name otherwise (see testAccProviderNames).
func providerName(name string) string {
	return "cbr" + strings.ReplaceAll(name, "_", "")
}

// credKind is the kind of credentials a test's provider block uses.
type credKind int

const (
	credAKSK     credKind = iota // access_key + secret_key
	credTemp                     // temporary access key + secret_key + security_token
	credPassword                 // user_name + password + domain_name
	credToken                    // a ready token
)

func (k credKind) String() string {
	return [...]string{"aksk", "temporary aksk", "password", "token"}[k]
}

// party is one project of the test world with every credential it has.
type party struct {
	Name          string
	ProjectID     string
	DomainName    string
	UserName      string
	Password      string
	AccessKey     string
	SecretKey     string
	TempAccessKey string
	TempSecretKey string
	SecurityToken string
	Token         string
}

// accEnv is the world an acceptance test runs in: by default a fresh in-process test endpoint with
// the default world; against the real cloud when CBR_ACC_REAL=1 (see README, "Acceptance tests
// against the real cloud"), with object IDs taken from CBR_ACC_* variables.
type accEnv struct {
	// Endpoint is the in-process test endpoint; nil against the real cloud.
	Endpoint *testendpoint.Server
	URL      string
	Region   string

	Owner, Receiver1, Receiver2 party

	ServerBackupID      string // available server backup, 40 GB locally
	ServerBackup2ID     string // a second available server backup
	DiskBackupID        string // available disk backup (CBR v3 refuses to share it locally: 6700)
	DiskBackup2ID       string // disk backup for VBS sharing
	EncryptedBackupID   string
	UnavailableBackupID string

	Receiver1ServerVaultID string
	Receiver1DiskVaultID   string
	Receiver1FullVaultID   string // too small for ServerBackupID
	Receiver2ServerVaultID string

	FullECSImageID string // full-ECS image made from a CBR backup: accepting it needs vault_id
	SystemImageID  string // plain image: no vault needed
}

func isRealCloud() bool { return os.Getenv("CBR_ACC_REAL") == "1" }

// newAccEnv starts a test endpoint for this test (closed at cleanup), or describes the real cloud.
func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if isRealCloud() {
		return realAccEnv()
	}
	srv, err := testendpoint.Start("127.0.0.1:0", testendpoint.DefaultWorld())
	if err != nil {
		t.Fatalf("starting the test endpoint: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	te := testendpoint.DefaultRegion
	return &accEnv{
		Endpoint: srv,
		URL:      srv.URL(),
		Region:   te,
		Owner: party{
			Name: "owner", ProjectID: testendpoint.OwnerProjectID, DomainName: testendpoint.OwnerDomainName,
			UserName: testendpoint.OwnerUserName, Password: testendpoint.OwnerPassword,
			AccessKey: testendpoint.OwnerAccessKey, SecretKey: testendpoint.OwnerSecretKey,
			TempAccessKey: testendpoint.OwnerTempAccessKey, TempSecretKey: testendpoint.OwnerTempSecretKey,
			SecurityToken: testendpoint.OwnerSecurityToken, Token: testendpoint.OwnerToken,
		},
		Receiver1: party{
			Name: "receiver1", ProjectID: testendpoint.Receiver1ProjectID, DomainName: testendpoint.Receiver1DomainName,
			UserName: testendpoint.Receiver1UserName, Password: testendpoint.Receiver1Password,
			AccessKey: testendpoint.Receiver1AccessKey, SecretKey: testendpoint.Receiver1SecretKey,
			Token: testendpoint.Receiver1Token,
		},
		Receiver2: party{
			Name: "receiver2", ProjectID: testendpoint.Receiver2ProjectID, DomainName: testendpoint.Receiver2DomainName,
			UserName: testendpoint.Receiver2UserName, Password: testendpoint.Receiver2Password,
			AccessKey: testendpoint.Receiver2AccessKey, SecretKey: testendpoint.Receiver2SecretKey,
			Token: testendpoint.Receiver2Token,
		},
		ServerBackupID:         testendpoint.ServerBackupID,
		ServerBackup2ID:        testendpoint.ServerBackup2ID,
		DiskBackupID:           testendpoint.DiskBackupID,
		DiskBackup2ID:          testendpoint.DiskBackup2ID,
		EncryptedBackupID:      testendpoint.EncryptedBackupID,
		UnavailableBackupID:    testendpoint.UnavailableBackupID,
		Receiver1ServerVaultID: testendpoint.Receiver1ServerVaultID,
		Receiver1DiskVaultID:   testendpoint.Receiver1DiskVaultID,
		Receiver1FullVaultID:   testendpoint.Receiver1FullVaultID,
		Receiver2ServerVaultID: testendpoint.Receiver2ServerVaultID,
		FullECSImageID:         testendpoint.FullECSImageID,
		SystemImageID:          testendpoint.SystemImageID,
	}
}

func realParty(name, prefix string) party {
	g := func(k string) string { return os.Getenv(prefix + k) }
	return party{
		Name: name, ProjectID: g("PROJECT_ID"), DomainName: g("DOMAIN_NAME"), UserName: g("USER_NAME"),
		Password: g("PASSWORD"), AccessKey: g("ACCESS_KEY"), SecretKey: g("SECRET_KEY"),
		TempAccessKey: g("TEMP_ACCESS_KEY"), TempSecretKey: g("TEMP_SECRET_KEY"),
		SecurityToken: g("SECURITY_TOKEN"), Token: g("TOKEN"),
	}
}

func realAccEnv() *accEnv {
	g := os.Getenv
	return &accEnv{
		// Optional: one base URL for all four services (a staging endpoint, or a test endpoint
		// started as a program); unset means the cloud's default endpoints for the region.
		URL:                    g("CBR_ACC_ENDPOINT"),
		Region:                 g("CBR_ACC_REGION"),
		Owner:                  realParty("owner", "CBR_ACC_OWNER_"),
		Receiver1:              realParty("receiver1", "CBR_ACC_RECEIVER1_"),
		Receiver2:              realParty("receiver2", "CBR_ACC_RECEIVER2_"),
		ServerBackupID:         g("CBR_ACC_SERVER_BACKUP_ID"),
		ServerBackup2ID:        g("CBR_ACC_SERVER_BACKUP2_ID"),
		DiskBackupID:           g("CBR_ACC_DISK_BACKUP_ID"),
		DiskBackup2ID:          g("CBR_ACC_VBS_BACKUP_ID"),
		EncryptedBackupID:      g("CBR_ACC_ENCRYPTED_BACKUP_ID"),
		UnavailableBackupID:    g("CBR_ACC_UNAVAILABLE_BACKUP_ID"),
		Receiver1ServerVaultID: g("CBR_ACC_RECEIVER1_SERVER_VAULT_ID"),
		Receiver1DiskVaultID:   g("CBR_ACC_RECEIVER1_DISK_VAULT_ID"),
		Receiver1FullVaultID:   g("CBR_ACC_RECEIVER1_FULL_VAULT_ID"),
		Receiver2ServerVaultID: g("CBR_ACC_RECEIVER2_SERVER_VAULT_ID"),
		FullECSImageID:         g("CBR_ACC_FULL_ECS_IMAGE_ID"),
		SystemImageID:          g("CBR_ACC_SYSTEM_IMAGE_ID"),
	}
}

// need skips the test when one of the given values is empty: against the real cloud, a test runs
// only when the objects it needs were given.
func (e *accEnv) need(t *testing.T, values ...string) {
	t.Helper()
	for _, v := range values {
		if v == "" {
			t.Skip("skipped: an object this test needs was not given (see README, acceptance tests against the real cloud)")
		}
	}
}

// localOnly skips tests that read the test endpoint's request log, inject faults or change its
// world: they have no meaning against the real cloud.
func (e *accEnv) localOnly(t *testing.T) {
	t.Helper()
	if e.Endpoint == nil {
		t.Skip("skipped against the real cloud: this test inspects or changes the test endpoint")
	}
}

// providerBlock renders a provider block for p with credentials of the given kind. An empty name
// renders the default "cbr" configuration; any other name renders the provider local name
// providerName(name) (one of the factories' names), which resources select with
// `provider = <providerName(name)>`.
func (e *accEnv) providerBlock(t *testing.T, name string, p party, kind credKind) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "provider %q {\n", providerName(name))
	if !slices.Contains(testAccProviderNames, providerName(name)) {
		t.Fatalf("no provider factory named %q: add it to testAccProviderNames", providerName(name))
	}
	fmt.Fprintf(&b, "  region      = %q\n", e.Region)
	switch kind {
	case credAKSK:
		e.need(t, p.AccessKey, p.SecretKey)
		fmt.Fprintf(&b, "  access_key  = %q\n  secret_key  = %q\n", p.AccessKey, p.SecretKey)
	case credTemp:
		e.need(t, p.TempAccessKey, p.TempSecretKey, p.SecurityToken)
		fmt.Fprintf(&b, "  access_key     = %q\n  secret_key     = %q\n  security_token = %q\n", p.TempAccessKey, p.TempSecretKey, p.SecurityToken)
	case credPassword:
		e.need(t, p.UserName, p.Password, p.DomainName)
		fmt.Fprintf(&b, "  user_name   = %q\n  password    = %q\n  domain_name = %q\n", p.UserName, p.Password, p.DomainName)
	case credToken:
		e.need(t, p.Token)
		fmt.Fprintf(&b, "  token       = %q\n", p.Token)
	}
	if e.Endpoint != nil {
		b.WriteString("  max_retries = 2\n")
	}
	if e.URL != "" {
		fmt.Fprintf(&b, "  endpoints = {\n    cbr = %q\n    vbs = %q\n    ims = %q\n    iam = %q\n  }\n", e.URL, e.URL, e.URL, e.URL)
	}
	b.WriteString("}\n")
	return b.String()
}

// requests returns the test endpoint's request log.
func (e *accEnv) requests() []testendpoint.RequestRecord {
	return e.Endpoint.Requests()
}

// countRequests counts logged requests with the given method whose path matches the regular
// expression (anchored). Used to prove how many API calls an operation made.
func countRequests(recs []testendpoint.RequestRecord, method, pathPattern string) int {
	re := regexp.MustCompile("^" + pathPattern + "$")
	n := 0
	for _, r := range recs {
		if r.Method == method && re.MatchString(r.Path) {
			n++
		}
	}
	return n
}

// describeRequests renders a request log for failure messages.
func describeRequests(recs []testendpoint.RequestRecord) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "  %s %s?%s -> %d (%s, %s)\n", r.Method, r.Path, r.Query, r.Status, r.AuthKind, r.Project)
	}
	return b.String()
}

// testAccParallel runs a test in parallel with others when each test has its own test endpoint.
// Against the real cloud (or any one shared endpoint) tests share backups and members, so they run
// one after another.
func testAccParallel(t *testing.T) {
	if !isRealCloud() {
		t.Parallel()
	}
}

// apiClient returns an API client acting as p, for out-of-band changes and for checks that ask the
// API: a token when p has one, else its access key pair; the test endpoint or CBR_ACC_ENDPOINT
// when set, else the cloud's endpoints for the region.
func (e *accEnv) apiClient(t *testing.T, p party) *client.Client {
	t.Helper()
	cfg := client.Config{
		Region: e.Region, ProjectID: p.ProjectID,
		MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond,
	}
	if p.Token != "" {
		cfg.Token = p.Token
	} else {
		cfg.AccessKey, cfg.SecretKey = p.AccessKey, p.SecretKey
	}
	if e.URL != "" {
		cfg.Endpoints = client.Endpoints{CBR: e.URL, VBS: e.URL, IMS: e.URL, IAM: e.URL}
	}
	c, err := client.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("API client for %s: %v", p.Name, err)
	}
	return c
}

// worldCheck runs a check of the test endpoint's world or request log (one that needs no state)
// among a step's ConfigStateChecks, after the others. terraform-plugin-testing runs `terraform show`
// once for a step's Check and once more for its ConfigStateChecks, so a step with both pays for a
// CLI run that reads nothing new.
func worldCheck(check resource.TestCheckFunc) statecheck.StateCheck { return worldStateCheck(check) }

type worldStateCheck resource.TestCheckFunc

func (c worldStateCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c(nil)
}
