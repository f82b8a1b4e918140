package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const initGo = `package init

import (
	"sync"

	backendLocal "example.com/tf/internal/backend/local"
	backendAzure "example.com/tf/internal/backend/remote-state/azure"
	backendHTTP "example.com/tf/internal/backend/remote-state/http"
	"example.com/tf/internal/legacy/helper"
)

var backends map[string]func() any
var mu sync.Mutex

func Init() {
	backends = map[string]func() any{
		"local": func() any { return backendLocal.New() },

		// Remote State backends.
		"azurerm": func() any { return backendAzure.New() }, // the Azure one
		"http":    func() any { return backendHTTP.New() },
		"legacy":  func() any { return helper.New() },
	}
}
`

func TestDropImports(t *testing.T) {
	out, err := dropImports("init.go", []byte(initGo), []string{
		"example.com/tf/internal/backend/remote-state/azure",
		"example.com/tf/internal/legacy",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, gone := range []string{"azure", "Azure", "legacy", "helper"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q is still there:\n%s", gone, got)
		}
	}
	for _, kept := range []string{`"sync"`, "backendLocal.New()", "backendHTTP.New()", "// Remote State backends."} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q was removed:\n%s", kept, got)
		}
	}
}

func TestDropImportsRefusesOtherUses(t *testing.T) {
	src := strings.Replace(initGo, "var mu sync.Mutex", "var mu sync.Mutex\nvar b = backendAzure.New()", 1)
	_, err := dropImports("init.go", []byte(src), []string{"example.com/tf/internal/backend/remote-state/azure"})
	if err == nil || !strings.Contains(err.Error(), "backendAzure.New") {
		t.Fatalf("want an error naming backendAzure.New, got %v", err)
	}
}

// TestRun patches a module whose go.mod replaces one nested module with a directory that exists and
// another with one that does not, twice: the second run finds nothing to do.
func TestRun(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", `module example.com/tf

go 1.22

require (
	example.com/tf/internal/backend/remote-state/azure v0.0.0-00010101000000-000000000000
	example.com/tf/internal/backend/remote-state/http v0.0.0-00010101000000-000000000000
)

replace example.com/tf/internal/backend/remote-state/azure => ./internal/backend/remote-state/azure

replace example.com/tf/internal/backend/remote-state/http => ./internal/backend/remote-state/http
`)
	write("internal/backend/remote-state/http/go.mod", "module example.com/tf/internal/backend/remote-state/http\n\ngo 1.22\n")
	write("internal/backend/init/init.go", initGo)
	write("internal/backend/init/init_test.go", strings.Replace(initGo, "package init", "package init_test", 1))

	for range 2 {
		if err := run(dir, goCmd); err != nil {
			t.Fatal(err)
		}
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if strings.Contains(string(mod), "azure") || !strings.Contains(string(mod), "remote-state/http =>") {
		t.Errorf("go.mod:\n%s", mod)
	}
	code, _ := os.ReadFile(filepath.Join(dir, "internal/backend/init/init.go"))
	if strings.Contains(string(code), "azure") {
		t.Errorf("init.go:\n%s", code)
	}
	test, _ := os.ReadFile(filepath.Join(dir, "internal/backend/init/init_test.go"))
	if !strings.Contains(string(test), "azure") {
		t.Error("a test file was changed")
	}
}
