// Command testprogress reads `go test -json` on stdin and reports progress as it happens: each
// package when it finishes, each test that took longer than -slow, and the whole output of every
// failed test. It ends with a count of passed, failed and skipped tests, and exits 1 when a test or
// a build failed, so that `make test` fails too.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type report struct {
	out                     io.Writer
	slow                    time.Duration
	logs                    map[string][]string // output of running tests (and packages), by key
	passed, failed, skipped int
	failedPackages          int
}

func main() {
	slow := flag.Duration("slow", 10*time.Second, "report tests that take longer than this")
	flag.Parse()
	r := &report{out: os.Stdout, slow: *slow, logs: map[string][]string{}}
	if err := r.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		os.Exit(2)
	}
	fmt.Fprintf(r.out, "\n%d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	if r.failed > 0 || r.failedPackages > 0 {
		os.Exit(1)
	}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintln(r.out, string(line)) // not an event: a build error, for instance
			continue
		}
		r.handle(e)
	}
	return sc.Err()
}

func (r *report) handle(e event) {
	key := e.Package + " " + e.Test
	switch e.Action {
	case "output", "build-output":
		r.logs[key] = append(r.logs[key], e.Output)
	case "pass", "fail", "skip":
		r.finish(e, key)
		delete(r.logs, key)
	case "build-fail":
		r.failedPackages++
	}
}

func (r *report) finish(e event, key string) {
	elapsed := time.Duration(e.Elapsed * float64(time.Second)).Round(100 * time.Millisecond)
	if e.Test == "" { // the package
		switch e.Action {
		case "fail":
			r.failedPackages++
			fmt.Fprintf(r.out, "FAIL %s %s\n", e.Package, elapsed)
			r.dump(key)
		case "skip":
			fmt.Fprintf(r.out, "?    %s [no test files]\n", e.Package)
		default:
			fmt.Fprintf(r.out, "ok   %s %s\n", e.Package, elapsed)
		}
		return
	}
	switch e.Action {
	case "pass":
		r.passed++
		if !strings.Contains(e.Test, "/") && elapsed >= r.slow {
			fmt.Fprintf(r.out, "  ok   %s %s\n", e.Test, elapsed)
		}
	case "skip":
		r.skipped++
	case "fail":
		r.failed++
		fmt.Fprintf(r.out, "  FAIL %s %s (%s)\n", e.Test, elapsed, e.Package)
		r.dump(key)
	}
}

// dump prints the output a failed test or package wrote.
func (r *report) dump(key string) {
	for _, l := range r.logs[key] {
		fmt.Fprintf(r.out, "       %s", l)
	}
}
