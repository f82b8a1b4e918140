package provider

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cliWork runs the Terraform CLI under test (TF_ACC_TERRAFORM_PATH) in a working directory, against
// a provider binary built from this repository through dev_overrides. It is for configurations
// terraform-plugin-testing cannot check: its state shim refuses for_each instances ("for_each is
// not supported"), and for_each over a data source is what receivers write.
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
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-cbr"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	host := "registry.terraform.io"
	if out, _ := exec.Command(cli, "version").Output(); bytes.Contains(out, []byte("OpenTofu")) {
		host = "registry.opentofu.org"
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, "cli.tfrc")
	rcText := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", host+"/backupshare/cbr", bin)
	config = "terraform {\n  required_providers {\n    cbr = { source = \"backupshare/cbr\" }\n  }\n}\n" + config
	for name, text := range map[string]string{rc: rcText, filepath.Join(dir, "main.tf"): config} {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return &cliWork{t: t, cli: cli, dir: dir, env: env}
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
