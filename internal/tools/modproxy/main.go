// Command modproxy writes this module, as it is in the working tree, into a directory laid out
// as a Go module proxy serves it, under a version of your choice. With GOPROXY=file://DIR the go
// command then resolves `go run MODULE/PKG@VERSION` from that directory, so what a user would get
// from a tag can be tried before the tag exists (.ci/verify-go-run.sh does).
//
//	go run ./internal/tools/modproxy -out DIR -version v0.1.0 [-dir .] [-time 2026-01-02T03:04:05Z]
//
// It writes DIR/<module>/@v/list, VERSION.info, VERSION.mod and VERSION.zip. The zip holds the
// files git knows (tracked, and untracked but not ignored; deleted ones are skipped) and leaves
// out what a module zip leaves out (nested modules, vendor directories, irregular files), with the
// checks of golang.org/x/mod/zip, the package the go command uses.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

func main() {
	dir := flag.String("dir", ".", "root of the module (holds go.mod; must be in a git work tree)")
	out := flag.String("out", "", "directory to write the proxy layout into (created if missing)")
	version := flag.String("version", "", "the module version to publish, e.g. v0.1.0")
	at := flag.String("time", "", "the version's time in RFC 3339 (default: now)")
	flag.Parse()
	if *out == "" || *version == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: modproxy -out DIR -version VERSION [-dir MODULE_ROOT] [-time RFC3339]")
		os.Exit(2)
	}
	when := time.Now().UTC()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fmt.Fprintln(os.Stderr, "modproxy: -time:", err)
			os.Exit(2)
		}
		when = t.UTC()
	}
	if err := run(*dir, *out, *version, when, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

func run(dir, out, version string, when time.Time, log io.Writer) error {
	goMod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	modPath := modfile.ModulePath(goMod)
	if modPath == "" {
		return fmt.Errorf("%s: no module line", filepath.Join(dir, "go.mod"))
	}
	m := module.Version{Path: modPath, Version: version}
	if err := module.Check(m.Path, m.Version); err != nil {
		return err
	}
	files, err := gitFiles(dir)
	if err != nil {
		return err
	}
	checked, err := modzip.CheckFiles(files)
	if err != nil {
		return err
	}
	if err := checked.Err(); err != nil {
		return err
	}
	escaped, err := module.EscapePath(m.Path)
	if err != nil {
		return err
	}
	escVersion, err := module.EscapeVersion(m.Version)
	if err != nil {
		return err
	}
	vdir := filepath.Join(out, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	var zipBuf bytes.Buffer
	if err := modzip.Create(&zipBuf, m, files); err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{m.Version, when})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		escVersion + ".info": info,
		escVersion + ".mod":  goMod,
		escVersion + ".zip":  zipBuf.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(vdir, name), data, 0o644); err != nil {
			return err
		}
	}
	if err := addToList(filepath.Join(vdir, "list"), m.Version); err != nil {
		return err
	}
	fmt.Fprintf(log, "modproxy: %s@%s: %d files (%d left out), zip %d bytes, in %s\n",
		m.Path, m.Version, len(checked.Valid), len(checked.Omitted), zipBuf.Len(), vdir)
	return nil
}

// addToList adds version to the proxy's list file, once.
func addToList(list, version string) error {
	old, err := os.ReadFile(list)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	versions := strings.Fields(string(old))
	if !slices.Contains(versions, version) {
		versions = append(versions, version)
	}
	return os.WriteFile(list, []byte(strings.Join(versions, "\n")+"\n"), 0o644)
}

// gitFiles lists the files git knows in dir's work tree: tracked and untracked-but-not-ignored,
// as they are on disk. Files deleted from the work tree are skipped.
func gitFiles(dir string) ([]modzip.File, error) {
	cmd := exec.CommandContext(context.Background(), "git", "-C", dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outBytes, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	var files []modzip.File
	seen := map[string]bool{}
	for _, p := range strings.Split(string(outBytes), "\x00") {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		full := filepath.Join(dir, filepath.FromSlash(p))
		info, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		files = append(files, diskFile{slashPath: p, path: full, info: info})
	}
	return files, nil
}

// diskFile is a file of the work tree as golang.org/x/mod/zip wants it.
type diskFile struct {
	slashPath, path string
	info            fs.FileInfo
}

func (f diskFile) Path() string                 { return f.slashPath }
func (f diskFile) Lstat() (fs.FileInfo, error)  { return f.info, nil }
func (f diskFile) Open() (io.ReadCloser, error) { return os.Open(f.path) }
