package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// Environment of the provider wrapper: the real provider, and where to record peak RSS.
const (
	envWrap   = "SIDEBYSIDE_PROVIDER"
	envRSSDir = "SIDEBYSIDE_RSS_DIR"
)

// benchEnv is the working directory, the running endpoint and Terraform's environment.
type benchEnv struct {
	work, url, rssDir string
	tfEnv             []string
	endpoint          *exec.Cmd
}

// prepare builds the provider and the endpoint, writes the world, both configurations and the
// CLI config, and starts the endpoint.
func prepare(ctx context.Context, work string, n int) (*benchEnv, error) {
	e := &benchEnv{work: work, rssDir: filepath.Join(work, "rss")}
	for _, d := range []string{"real", "dev", "rss", "floor", "provider"} {
		if err := os.MkdirAll(filepath.Join(work, d), 0o755); err != nil {
			return nil, err
		}
	}
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOMOD: %w", err)
	}
	if filepath.Base(strings.TrimSpace(string(gomod))) != "go.mod" {
		return nil, errors.New("run sidebyside inside the repository")
	}
	provider := filepath.Join(work, "real", "terraform-provider-cbr")
	endpointBin := filepath.Join(work, "testendpoint")
	for _, b := range [][]string{{provider, "."}, {endpointBin, "./internal/testendpoint/cmd/testendpoint"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", b[0], b[1])
		cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %w\n%s", b[1], err, out)
		}
	}
	// Terraform starts this program as the provider; it then runs the real one (see wrap).
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if err := copyFile(self, filepath.Join(work, "dev", "terraform-provider-cbr")); err != nil {
		return nil, err
	}

	ids := backupIDs(n)
	b, err := benchWorld(ids).MarshalIndent()
	if err != nil {
		return nil, err
	}
	worldFile := filepath.Join(work, "world.json")
	if err := os.WriteFile(worldFile, b, 0o600); err != nil {
		return nil, err
	}
	if err := e.startEndpoint(ctx, endpointBin, worldFile); err != nil {
		return nil, err
	}
	files := map[string]string{
		filepath.Join(work, "floor", "main.tf"):    floorConfig(ids),
		filepath.Join(work, "provider", "main.tf"): providerConfig(ids, e.url),
		filepath.Join(work, "cli.tfrc"): fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
			"backupshare/cbr", filepath.Join(work, "dev")),
	}
	for name, text := range files {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			e.stopEndpoint()
			return nil, err
		}
	}
	e.tfEnv = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(work, "cli.tfrc"), "CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1", envWrap+"="+provider, envRSSDir+"="+e.rssDir)
	return e, nil
}

// backupIDs are n lower-case UUIDs of server backups that the default world does not use.
func backupIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("0b07081e-0000-4000-9000-%012d", i+1)
	}
	return ids
}

// benchWorld is the default world plus one available 1 GB server backup of the owner per ID,
// in the owner's server vault, whose capacity grows to hold them.
func benchWorld(ids []string) testendpoint.World {
	w := testendpoint.DefaultWorld()
	for i := range w.Vaults {
		if w.Vaults[i].ID == testendpoint.OwnerServerVaultID {
			w.Vaults[i].CapacityGB += len(ids)
			w.Vaults[i].UsedGB += len(ids)
		}
	}
	for i, id := range ids {
		w.Backups = append(w.Backups, testendpoint.Backup{
			ID: id, ProjectID: testendpoint.OwnerProjectID, Name: fmt.Sprintf("bench-backup-%d", i+1),
			ResourceType: testendpoint.ResourceServer, ResourceID: fmt.Sprintf("5b4d0a4c-0000-4000-9000-%012d", i+1),
			Status: "available", SizeGB: 1, VaultID: testendpoint.OwnerServerVaultID,
		})
	}
	return w
}

func idList(ids []string) string {
	return `["` + strings.Join(ids, `", "`) + `"]`
}

var members = idList([]string{testendpoint.Receiver1ProjectID, testendpoint.Receiver2ProjectID})

func floorConfig(ids []string) string {
	return fmt.Sprintf(`locals {
  backups = %s
}

resource "terraform_data" "share" {
  count = length(local.backups)
  input = { backup_id = local.backups[count.index], members = %s }
}
`, idList(ids), members)
}

func providerConfig(ids []string, url string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    cbr = { source = "backupshare/cbr" }
  }
}

provider "cbr" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints  = { cbr = %q, vbs = %[4]q, ims = %[4]q, iam = %[4]q }
}

locals {
  backups = %s
}

resource "cbr_backup_share_member" "share" {
  count     = length(local.backups)
  backup_id = local.backups[count.index]
  members   = %s
}
`, testendpoint.DefaultRegion, testendpoint.OwnerAccessKey, testendpoint.OwnerSecretKey, url, idList(ids), members)
}

// startEndpoint runs the endpoint program and reads its URL from the first line.
func (e *benchEnv) startEndpoint(ctx context.Context, bin, world string) error {
	cmd := exec.CommandContext(ctx, bin, "-listen", "127.0.0.1:0", "-world", world)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	e.endpoint = cmd
	line, err := bufio.NewReader(out).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		e.stopEndpoint()
		if err == nil {
			err = errors.New("no URL")
		}
		return fmt.Errorf("the test endpoint did not start (first line %q): %w", line, err)
	}
	e.url = url
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return nil
}

func (e *benchEnv) stopEndpoint() {
	if e.endpoint == nil || e.endpoint.Process == nil {
		return
	}
	_ = e.endpoint.Process.Signal(os.Interrupt)
	_ = e.endpoint.Wait()
	e.endpoint = nil
}

// takeRSS returns the largest peak RSS (KiB) that wrappers recorded since the last call and
// removes the records.
func (e *benchEnv) takeRSS() int64 {
	entries, _ := os.ReadDir(e.rssDir)
	var peak int64
	for _, ent := range entries {
		name := filepath.Join(e.rssDir, ent.Name())
		if b, err := os.ReadFile(name); err == nil {
			v, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
			peak = max(peak, v)
		}
		_ = os.Remove(name)
	}
	return peak
}

// wrap runs the real provider with this process's arguments and standard streams, passes
// signals on, and records the provider's peak RSS in the RSS directory. It returns the exit code.
func wrap(provider string) int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	cmd := exec.CommandContext(context.Background(), provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "sidebyside wrapper:", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if dir := os.Getenv(envRSSDir); dir != "" && cmd.ProcessState != nil {
		name := filepath.Join(dir, strconv.Itoa(cmd.ProcessState.Pid()))
		_ = os.WriteFile(name, []byte(strconv.FormatInt(maxRSSKiB(cmd.ProcessState), 10)), 0o600)
	}
	if err != nil {
		return max(cmd.ProcessState.ExitCode(), 1)
	}
	return 0
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755) //nolint:gosec // an executable
}
