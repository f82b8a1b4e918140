package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestReport(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestFast"}`,
		`{"Action":"output","Package":"p","Test":"TestFast","Output":"quiet\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestFast","Elapsed":0.1}`,
		`{"Action":"pass","Package":"p","Test":"TestSlow","Elapsed":12.34}`,
		`{"Action":"pass","Package":"p","Test":"TestSlow/sub","Elapsed":12}`,
		`{"Action":"output","Package":"p","Test":"TestBad","Output":"want 1, got 2\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestBad","Elapsed":1}`,
		`{"Action":"skip","Package":"p","Test":"TestReal","Elapsed":0}`,
		`{"Action":"fail","Package":"p","Elapsed":14}`,
		`{"Action":"skip","Package":"q","Elapsed":0}`,
		`# q/x [q/x.test]`,
	}, "\n")
	var out bytes.Buffer
	r := &report{out: &out, slow: 10 * time.Second, logs: map[string][]string{}}
	if err := r.read(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"  ok   TestSlow 12.3s\n", "  FAIL TestBad 1s (p)\n       want 1, got 2\n", "FAIL p 14s\n", "?    q [no test files]\n", "# q/x [q/x.test]\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"TestFast", "quiet", "TestSlow/sub"} {
		if strings.Contains(got, not) {
			t.Errorf("output has %q:\n%s", not, got)
		}
	}
	if r.passed != 3 || r.failed != 1 || r.skipped != 1 || r.failedPackages != 1 {
		t.Errorf("counts %d/%d/%d/%d", r.passed, r.failed, r.skipped, r.failedPackages)
	}
}
