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

// TestMain clears the provider's HW_* variables for the whole test binary, so that a developer's own
// cannot change what a test sees. Clearing them once, rather than with t.Setenv in each test, lets
// the tests run in parallel (t.Setenv forbids it); the one test that sets them runs alone.
func TestMain(m *testing.M) {
	for _, k := range hwEnvVars {
		_ = os.Unsetenv(k)
	}
	os.Exit(m.Run())
}
