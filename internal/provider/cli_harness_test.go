package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// cliWork runs the Terraform CLI under test (TF_ACC_TERRAFORM_PATH) in a working directory, against
// the provider served in this test process, which Terraform reattaches to (TF_REATTACH_PROVIDERS, as
// terraform-plugin-testing does). It is for configurations terraform-plugin-testing cannot check:
// its state shim refuses for_each instances ("for_each is not supported"), and for_each over a data
// source is what receivers write.
type cliWork struct {
	t   *testing.T
	cli string
	dir string
	env []string
}

func newCLIWork(t *testing.T, config string) *cliWork {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set (make test sets it)")
	}
	host := "registry.terraform.io"
	if out, _ := exec.Command(cli, "version").Output(); bytes.Contains(out, []byte("OpenTofu")) {
		host = "registry.opentofu.org"
	}
	source := host + "/backupshare/cbr"
	reattach, err := json.Marshal(map[string]any{source: serveProvider(t, source)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	config = "terraform {\n  required_providers {\n    cbr = { source = \"backupshare/cbr\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	// An empty CLI configuration: the user's own (a provider mirror, say) must not change the test.
	rc := filepath.Join(dir, "cli.tfrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_REATTACH_PROVIDERS="+string(reattach))
	return &cliWork{t: t, cli: cli, dir: dir, env: env}
}

// serveProvider serves the provider in this process for the rest of the test, the way
// terraform-plugin-testing does, and returns the entry of TF_REATTACH_PROVIDERS that points a CLI
// at it: no provider binary is built.
func serveProvider(t *testing.T, source string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(source, providerserver.NewProtocol6(New("test")()),
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
	}()
	var config *plugin.ReattachConfig
	select {
	case config = <-configCh:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	return map[string]any{
		"Protocol":        string(config.Protocol),
		"ProtocolVersion": config.ProtocolVersion,
		"Pid":             config.Pid,
		"Test":            config.Test,
		"Addr":            map[string]string{"Network": config.Addr.Network(), "String": config.Addr.String()},
	}
}

// run runs the CLI with args and returns its output and exit code.
func (w *cliWork) run(args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.Command(w.cli, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	w.t.Fatalf("running %s %s: %v", w.cli, strings.Join(args, " "), err)
	return "", -1
}

// mustRun runs the CLI and fails the test unless it exits with want.
func (w *cliWork) mustRun(want int, args ...string) string {
	w.t.Helper()
	out, code := w.run(append(args, "-input=false", "-no-color")...)
	if code != want {
		w.t.Fatalf("%s %s exited with %d, want %d:\n%s", filepath.Base(w.cli), args[0], code, want, out)
	}
	return out
}
