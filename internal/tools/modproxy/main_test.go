package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/Mixed/m\n\ngo 1.22\n")
	write("main.go", "package main\n\nfunc main() {}\n")
	write("internal/x/x.go", "package x\n")
	write(".gitignore", "/ignored/\n")
	write("ignored/big.bin", "not in the zip")
	write("nested/go.mod", "module example.com/nested\n")
	write("nested/n.go", "package n\n")
	write("gone.go", "package main\n")
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", "go.mod", "main.go", ".gitignore", "gone.go")
	git("commit", "-q", "-m", "x")
	if err := os.Remove(filepath.Join(dir, "gone.go")); err != nil { // tracked, deleted: left out
		t.Fatal(err)
	}
	write("untracked.go", "package main\n") // untracked, not ignored: included

	out := t.TempDir()
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var log bytes.Buffer
	for range 2 { // twice: the list keeps one entry
		if err := run(dir, out, "v0.1.0", when, &log); err != nil {
			t.Fatal(err)
		}
	}
	vdir := filepath.Join(out, "example.com", "!mixed", "m", "@v") // escaped module path
	list, _ := os.ReadFile(filepath.Join(vdir, "list"))
	if string(list) != "v0.1.0\n" {
		t.Fatalf("list = %q", list)
	}
	var info struct {
		Version string
		Time    time.Time
	}
	b, _ := os.ReadFile(filepath.Join(vdir, "v0.1.0.info"))
	if err := json.Unmarshal(b, &info); err != nil || info.Version != "v0.1.0" || !info.Time.Equal(when) {
		t.Fatalf("info = %s", b)
	}
	if mod, _ := os.ReadFile(filepath.Join(vdir, "v0.1.0.mod")); !strings.HasPrefix(string(mod), "module example.com/Mixed/m") {
		t.Fatalf("mod = %q", mod)
	}
	zr, err := zip.OpenReader(filepath.Join(vdir, "v0.1.0.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	// Entries use the module path as is; only the proxy's directory names are escaped.
	want := []string{"example.com/Mixed/m@v0.1.0/.gitignore", "example.com/Mixed/m@v0.1.0/go.mod", "example.com/Mixed/m@v0.1.0/internal/x/x.go",
		"example.com/Mixed/m@v0.1.0/main.go", "example.com/Mixed/m@v0.1.0/untracked.go"}
	if !slices.Equal(names, want) {
		t.Fatalf("zip holds %q, want %q", names, want)
	}
	if err := run(dir, out, "0.1.0", when, &log); err == nil {
		t.Fatal("a version without v was accepted")
	}
}
