// Command dropmissingmods makes a writable copy of a module's source buildable when its go.mod
// replaces nested modules with local directories that the module zip does not contain.
//
// The github.com/hashicorp/terraform module on the Go module proxy is such a module: its go.mod
// replaces the remote-state backends (azure, consul, cos, gcs, kubernetes, oci, oss, pg, s3) and
// internal/legacy with directories under ./internal that are separate modules, so they are left out
// of the zip, and `go build` fails. For every replace whose local directory is missing, this command
//
//   - drops the require and the replace from go.mod (with `go mod edit`);
//   - removes the imports of that module's packages from the non-test Go files, together with the
//     composite-literal entries that use them (in Terraform: the backend registrations in
//     internal/backend/init/init.go);
//   - fails, naming the file and line, when such a package is used anywhere else, because then
//     the patch needs a person to look at it.
//
// It is idempotent: run on a patched copy, it finds nothing to do.
//
//	go run ./internal/tools/dropmissingmods -dir path/to/writable/copy
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	dir := flag.String("dir", ".", "root of the writable module copy (holds go.mod)")
	goCmd := flag.String("go", "go", "the go command")
	flag.Parse()
	if err := run(*dir, *goCmd); err != nil {
		fmt.Fprintln(os.Stderr, "dropmissingmods:", err)
		os.Exit(1)
	}
}

func run(dir, goCmd string) error {
	missing, err := missingReplacements(dir, goCmd)
	if err != nil {
		return err
	}
	if len(missing) == 0 {
		fmt.Println("dropmissingmods: every local replacement exists, nothing to patch")
		return nil
	}
	args := []string{"mod", "edit"}
	for _, m := range missing {
		args = append(args, "-droprequire="+m, "-dropreplace="+m)
	}
	if err := goRun(dir, goCmd, args...); err != nil {
		return err
	}
	fmt.Printf("dropmissingmods: dropped from go.mod: %s\n", strings.Join(missing, ", "))

	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && (d.Name() == "testdata" || d.Name() == "vendor" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !mentions(src, missing) {
			return nil
		}
		out, err := dropImports(p, src, missing)
		if err != nil {
			return err
		}
		if err := os.WriteFile(p, out, 0o644); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Printf("dropmissingmods: removed their imports and uses from %s\n", filepath.ToSlash(rel))
		return nil
	})
}

// missingReplacements returns the module paths that go.mod replaces with a local directory that
// does not exist.
func missingReplacements(dir, goCmd string) ([]string, error) {
	cmd := exec.CommandContext(context.Background(), goCmd, "mod", "edit", "-json")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod edit -json in %s: %w", dir, err)
	}
	var mod struct {
		Replace []struct {
			Old, New struct{ Path string }
		}
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return nil, fmt.Errorf("reading go mod edit -json: %w", err)
	}
	var missing []string
	for _, r := range mod.Replace {
		local := r.New.Path
		if !strings.HasPrefix(local, "./") && !strings.HasPrefix(local, "../") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(local))); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, r.Old.Path)
		} else if err != nil {
			return nil, err
		}
	}
	return missing, nil
}

func goRun(dir, goCmd string, args ...string) error {
	cmd := exec.CommandContext(context.Background(), goCmd, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// dropImports removes from src the imports of packages in the modules named by missing, and each
// composite-literal element (a map entry, say) that uses one of them. Any other use is an error.
func dropImports(filename string, src []byte, missing []string) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	dropped := map[string]bool{} // local names of the removed imports
	var cuts []span
	for _, spec := range file.Imports {
		ipath, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return nil, err
		}
		if !inModules(ipath, missing) {
			continue
		}
		name := path.Base(ipath)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		if name == "_" || name == "." {
			return nil, fmt.Errorf("%s: import %s as %q cannot be removed safely", fset.Position(spec.Pos()), ipath, name)
		}
		dropped[name] = true
		cuts = append(cuts, span{spec.Pos(), spec.End()})
	}
	uses := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && dropped[id.Name] {
					found = true
				}
			}
			return !found
		})
		return found
	}
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		for _, elt := range lit.Elts {
			if uses(elt) {
				cuts = append(cuts, span{elt.Pos(), elt.End()})
			}
		}
		return true
	})

	out := cut(fset.File(file.Pos()), src, cuts)
	out, err = format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("%s after removing the imports: %w", filename, err)
	}
	// Whatever still uses a removed import is not something this command knows how to remove.
	check, err := parser.ParseFile(token.NewFileSet(), filename, out, 0)
	if err != nil {
		return nil, err
	}
	var problems []string
	ast.Inspect(check, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && dropped[id.Name] {
				problems = append(problems, fmt.Sprintf("%s: %s.%s", fset.Position(findPos(file, id.Name, sel.Sel.Name)), id.Name, sel.Sel.Name))
			}
		}
		return true
	})
	if len(problems) > 0 {
		return nil, fmt.Errorf("packages of dropped modules are used outside composite literals; patch by hand or extend this command:\n  %s", strings.Join(problems, "\n  "))
	}
	return out, nil
}

// mentions reports whether src has an import path of one of the modules, quoted as in an import.
func mentions(src []byte, modules []string) bool {
	for _, m := range modules {
		if bytes.Contains(src, []byte(`"`+m+`"`)) || bytes.Contains(src, []byte(`"`+m+`/`)) {
			return true
		}
	}
	return false
}

func inModules(ipath string, modules []string) bool {
	for _, m := range modules {
		if ipath == m || strings.HasPrefix(ipath, m+"/") {
			return true
		}
	}
	return false
}

// findPos returns where x.sel occurs in the original file, for the error message.
func findPos(file *ast.File, x, sel string) token.Pos {
	pos := file.Pos()
	ast.Inspect(file, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok && s.Sel.Name == sel {
			if id, ok := s.X.(*ast.Ident); ok && id.Name == x {
				pos = s.Pos()
				return false
			}
		}
		return true
	})
	return pos
}

type span struct{ from, to token.Pos }

// cut removes the spans from src. A span that is alone on its lines (apart from a trailing comma
// and comment) takes its whole lines with it; otherwise only the span and a comma right after it.
func cut(tf *token.File, src []byte, spans []span) []byte {
	type rng struct{ from, to int }
	var rs []rng
	for _, s := range spans {
		from, to := tf.Offset(s.from), tf.Offset(s.to)
		if to < len(src) && src[to] == ',' {
			to++
		}
		lineStart := bytes.LastIndexByte(src[:from], '\n') + 1
		lineEnd := len(src)
		if i := bytes.IndexByte(src[to:], '\n'); i >= 0 {
			lineEnd = to + i + 1
		}
		before := bytes.TrimSpace(src[lineStart:from])
		after := bytes.TrimSpace(src[to:lineEnd])
		if len(before) == 0 && (len(after) == 0 || bytes.HasPrefix(after, []byte("//"))) {
			from, to = lineStart, lineEnd
		}
		rs = append(rs, rng{from, to})
	}
	slices.SortFunc(rs, func(a, b rng) int { return a.from - b.from })
	var out []byte
	last := 0
	for _, r := range rs {
		if r.from < last { // nested in a span already removed
			if r.to > last {
				last = r.to
			}
			continue
		}
		out = append(out, src[last:r.from]...)
		last = r.to
	}
	return append(out, src[last:]...)
}
