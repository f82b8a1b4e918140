package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer that run may write while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serve runs the program with args until the test ends; it returns the URL it printed and its stderr.
func serve(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, pw, stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exit %d: %s", code, stderr)
			}
		case <-time.After(10 * time.Second):
			t.Error("did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no first line: %v; stderr: %s", err, stderr)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("first line = %q", line)
	}
	return url, stderr
}

func get(t *testing.T, url, authorization string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestVersionFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-version"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	info, ok := debug.ReadBuildInfo()
	if want := "testendpoint " + resolveVersion(version, info, ok) + "\n"; out.String() != want {
		t.Fatalf("-version printed %q, want %q", out.String(), want)
	}
	if !regexp.MustCompile(`^testendpoint \S+\n$`).MatchString(out.String()) {
		t.Fatalf("-version printed %q", out.String())
	}
}

func TestResolveVersion(t *testing.T) {
	mod := func(v string) *debug.BuildInfo { return &debug.BuildInfo{Main: debug.Module{Path: "m", Version: v}} }
	for _, tc := range []struct {
		linked string
		info   *debug.BuildInfo
		ok     bool
		want   string
	}{
		{"1.2.3", mod("v0.1.0"), true, "1.2.3"}, // release build: the linker's version wins
		{"", mod("v0.1.0"), true, "v0.1.0"},     // go run ...@v0.1.0, go install ...@v0.1.0
		{"", mod("(devel)"), true, "dev"},       // go build in a clone
		{"", mod(""), true, "dev"},
		{"", nil, false, "dev"}, // no build information
		{"", nil, true, "dev"},
	} {
		if got := resolveVersion(tc.linked, tc.info, tc.ok); got != tc.want {
			t.Errorf("resolveVersion(%q, %+v, %v) = %q, want %q", tc.linked, tc.info, tc.ok, got, tc.want)
		}
	}
}

// TestVersionLinkerFlag builds the program as the release does, with -X main.version.
func TestVersionLinkerFlag(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "testendpoint")
	build := exec.Command(goCmd, "build", "-trimpath", "-ldflags", "-X main.version=9.8.7", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-version").Output()
	if err != nil || string(out) != "testendpoint 9.8.7\n" {
		t.Fatalf("-version = %q, %v", out, err)
	}
}

func TestControlTokenFlag(t *testing.T) {
	t.Setenv(controlTokenEnv, "")
	url, _ := serve(t, "-control-token", "flag-token")
	if st, _, body := get(t, url+"/_testendpoint/health", ""); st != http.StatusUnauthorized || !strings.Contains(body, "-control-token") {
		t.Fatalf("no token = %d %s", st, body)
	}
	if st, _, body := get(t, url+"/_testendpoint/health", "Bearer flag-token"); st != http.StatusOK {
		t.Fatalf("with the token = %d %s", st, body)
	}
	// The API itself needs no control token.
	if st, _, body := get(t, url+"/", ""); st != http.StatusMultipleChoices {
		t.Fatalf("version discovery = %d %s", st, body)
	}
}

func TestControlTokenEnv(t *testing.T) {
	t.Setenv(controlTokenEnv, "env-token")
	url, _ := serve(t)
	if st, _, _ := get(t, url+"/_testendpoint/world", ""); st != http.StatusUnauthorized {
		t.Fatalf("no token = %d", st)
	}
	if st, _, _ := get(t, url+"/_testendpoint/world", "Bearer env-token"); st != http.StatusOK {
		t.Fatalf("the environment's token = %d", st)
	}
	// The flag wins over the environment, and an empty flag turns the token off.
	url, _ = serve(t, "-control-token", "flag-token")
	if st, _, _ := get(t, url+"/_testendpoint/health", "Bearer env-token"); st != http.StatusUnauthorized {
		t.Fatalf("the environment's token with a flag token = %d", st)
	}
	if st, _, _ := get(t, url+"/_testendpoint/health", "Bearer flag-token"); st != http.StatusOK {
		t.Fatalf("the flag's token = %d", st)
	}
	url, _ = serve(t, "-control-token=")
	if st, _, _ := get(t, url+"/_testendpoint/health", ""); st != http.StatusOK {
		t.Fatalf("-control-token= = %d", st)
	}
}

// TestControlRemoteFlag reaches the endpoint through a non-loopback address of this machine.
func TestControlRemoteFlag(t *testing.T) {
	t.Setenv(controlTokenEnv, "")
	ip := nonLoopbackIP(t)
	listen := net.JoinHostPort(ip, "0")
	if ln, err := net.Listen("tcp", listen); err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	} else {
		_ = ln.Close()
	}
	url, stderr := serve(t, "-listen", listen)
	st, _, body := get(t, url+"/_testendpoint/world", "")
	if st != http.StatusForbidden || !strings.Contains(body, "-control-remote") {
		t.Fatalf("remote GET world = %d %s, want 403 naming -control-remote", st, body)
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Fatalf("unexpected warning: %s", stderr)
	}
	url, stderr = serve(t, "-listen", listen, "-control-remote")
	if st, _, body := get(t, url+"/_testendpoint/health", ""); st != http.StatusOK {
		t.Fatalf("remote health with -control-remote = %d %s", st, body)
	}
	if !strings.Contains(stderr.String(), "warning: -control-remote without -control-token") {
		t.Fatalf("no warning for -control-remote without a token: %q", stderr)
	}
	url, stderr = serve(t, "-listen", listen, "-control-remote", "-control-token", "tok")
	if st, _, _ := get(t, url+"/_testendpoint/health", "Bearer tok"); st != http.StatusOK {
		t.Fatalf("remote health with the token = %d", st)
	}
	if st, _, _ := get(t, url+"/_testendpoint/health", ""); st != http.StatusUnauthorized {
		t.Fatalf("remote health without the token = %d", st)
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Fatalf("warning despite a token: %s", stderr)
	}
}

func nonLoopbackIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skip(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address on this machine")
	return ""
}

func TestMaxRequestsFlag(t *testing.T) {
	t.Setenv(controlTokenEnv, "")
	url, _ := serve(t, "-max-requests", "2")
	for range 3 {
		get(t, url+"/", "") // version discovery: an API call without credentials
	}
	st, h, body := get(t, url+"/_testendpoint/requests", "")
	var recs []json.RawMessage
	if err := json.Unmarshal([]byte(body), &recs); err != nil || st != http.StatusOK || len(recs) != 2 {
		t.Fatalf("GET requests = %d %s", st, body)
	}
	if got := h.Get("X-Testendpoint-Dropped-Requests"); got != "1" {
		t.Fatalf("X-Testendpoint-Dropped-Requests = %q, want 1", got)
	}
	for _, bad := range []string{"0", "-3", "many"} {
		var errOut bytes.Buffer
		if code := run(context.Background(), []string{"-max-requests", bad}, io.Discard, &errOut); code != 2 || !strings.Contains(errOut.String(), "max-requests") {
			t.Errorf("-max-requests %s: exit %d %q", bad, code, errOut.String())
		}
	}
}

func TestHelpListsFlags(t *testing.T) {
	var errOut bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, io.Discard, &errOut); code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	for _, f := range []string{"-listen", "-world", "-print-world", "-version", "-max-requests", "-control-remote", "-control-token", controlTokenEnv} {
		if !strings.Contains(errOut.String(), f) {
			t.Errorf("-h does not mention %s:\n%s", f, errOut.String())
		}
	}
}
