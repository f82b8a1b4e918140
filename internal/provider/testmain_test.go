package provider

import (
	"os"
	"testing"
)

// hwEnvVars are the provider's environment variables.
var hwEnvVars = []string{
	"HW_REGION_NAME", "HW_PROJECT_ID", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN",
	"HW_USER_NAME", "HW_PASSWORD", "HW_DOMAIN_NAME", "HW_AUTH_TOKEN", "HW_AUTH_URL", "HW_INSECURE", "HW_MAX_RETRIES",
}

// TestMain prepares the environment the whole test binary shares.
//
// It clears the provider's HW_* variables, so that a developer's own cannot change what a test
// sees. Clearing them once, rather than with t.Setenv in each test, lets the tests run in parallel
// (t.Setenv forbids it); the one test that sets them runs alone.
//
// It runs each Terraform CLI process the acceptance tests start on one core (GOMAXPROCS=1 in the
// environment they inherit; this process has already read its own), unless GOMAXPROCS is set. The
// suite keeps every core busy by running tests side by side, and a CLI process that lasts a fraction
// of a second gains nothing from a second core but the cost of its threads and parallel garbage
// collection: about 8 % of the suite's CPU time on two cores.
func TestMain(m *testing.M) {
	for _, k := range hwEnvVars {
		_ = os.Unsetenv(k)
	}
	if _, set := os.LookupEnv("GOMAXPROCS"); !set {
		_ = os.Setenv("GOMAXPROCS", "1")
	}
	os.Exit(m.Run())
}
