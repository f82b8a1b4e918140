package provider

import (
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// testAccProviderNames are the provider local names an acceptance test may use; accTest serves the
// provider in-process under each name its configurations use.
//
// terraform-plugin-testing runs ONE in-process server per provider name, and every provider block
// of that name talks to it: two aliases of "cbr" would share one configured client (the last
// ConfigureProvider wins). Outside tests each provider block gets its own plugin process, so this
// only concerns the harness. Tests with more than one party therefore give each extra party its own
// local name (cbrowner, cbrreceiver, ...; see providerBlock), as large providers do for their
// cross-region tests; resources select it with `provider = cbrowner`.
var testAccProviderNames = []string{"cbr", "cbrowner", "cbrownertemp", "cbrreceiver", "cbrreceiver2"}

// providerReference finds the provider local names a configuration uses: provider blocks
// (`provider "cbrowner" {`) and references (`provider = cbrowner`).
var providerReference = regexp.MustCompile(`\bprovider\s*(?:"(cbr\w*)"|=\s*(cbr\w*))`)

// accTest runs an acceptance test case with a provider server for "cbr" and for each other local
// name its steps' configurations use, unless the case brings its own factories.
//
// terraform-plugin-testing starts a gRPC server for every factory around every CLI command it runs
// (version, init, plan, apply, each show), and hands all of them to Terraform to reattach. Serving
// the five names to every test made that about a fifth of the suite's CPU time (measured on
// TestAccBackupShareMember_update, which needs one).
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = providersFor(t, tc.Steps)
	}
	resource.Test(t, tc)
}

// providersFor returns a factory for "cbr" and for every known local name the steps' configurations
// name; a name that is not one of testAccProviderNames fails the test.
func providersFor(t *testing.T, steps []resource.TestStep) map[string]func() (tfprotov6.ProviderServer, error) {
	t.Helper()
	names := map[string]bool{"cbr": true}
	for _, step := range steps {
		for _, m := range providerReference.FindAllStringSubmatch(step.Config, -1) {
			names[m[1]+m[2]] = true
		}
	}
	factories := make(map[string]func() (tfprotov6.ProviderServer, error), len(names))
	for name := range names {
		if !slices.Contains(testAccProviderNames, name) {
			t.Fatalf("no provider factory named %q: add it to testAccProviderNames", name)
		}
		factories[name] = providerserver.NewProtocol6WithError(New("test")())
	}
	return factories
}
