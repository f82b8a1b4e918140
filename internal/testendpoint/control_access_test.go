package testendpoint

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveControlFrom calls the control API in process with the given remote address.
func serveControlFrom(t *testing.T, s *Server, remoteAddr, method, path, authorization string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(method, "/_testendpoint/"+path, nil)
	req.RemoteAddr = remoteAddr
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.String()
}

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s, err := New(DefaultWorld(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:5": true, "127.8.9.10:80": true, "[::1]:5": true, "[::ffff:127.0.0.1]:5": true,
		"[::1%lo]:5": true, "127.0.0.1": true, "::1": true,
		"10.0.0.1:5": false, "192.0.2.1:1234": false, "[fe80::1%eth0]:5": false, "[::]:5": false, "0.0.0.0:5": false,
		"": false, "@": false, "localhost:5": false, "not an address": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestControlLoopbackOnly(t *testing.T) {
	s := newServer(t)
	for _, path := range []string{"world", "requests", "faults", "health", "nothing", ""} {
		st, _, body := serveControlFrom(t, s, "192.0.2.1:1234", "GET", path, "")
		if st != http.StatusForbidden || !strings.Contains(body, "-control-remote") || !strings.Contains(body, "192.0.2.1") {
			t.Errorf("GET %s from a remote client = %d %s, want 403 naming -control-remote", path, st, body)
		}
		var e map[string]string
		if err := json.Unmarshal([]byte(body), &e); err != nil || e["error"] == "" {
			t.Errorf("403 body is not {\"error\":...}: %s", body)
		}
	}
	// A remote PUT must not change the world.
	if st, _, _ := serveControlFrom(t, s, "192.0.2.1:1234", "DELETE", "faults", ""); st != http.StatusForbidden {
		t.Fatalf("remote DELETE faults = %d", st)
	}
	for _, addr := range []string{"127.0.0.1:1234", "[::1]:1234"} {
		if st, _, body := serveControlFrom(t, s, addr, "GET", "health", ""); st != http.StatusOK {
			t.Errorf("GET health from %s = %d %s", addr, st, body)
		}
	}
	// The API itself answers any client.
	req := httptest.NewRequest("GET", membersPath(OwnerProjectID, ServerBackupID), nil)
	req.Header.Set("X-Auth-Token", OwnerToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("API call from a remote client = %d %s", rec.Code, rec.Body)
	}

	remote := newServer(t, WithRemoteControl(true))
	if st, _, body := serveControlFrom(t, remote, "192.0.2.1:1234", "GET", "world", ""); st != http.StatusOK || !strings.Contains(body, OwnerSecretKey) {
		t.Fatalf("GET world from a remote client with WithRemoteControl = %d %.100s", st, body)
	}
	if st, _, _ := serveControlFrom(t, newServer(t, WithRemoteControl(false)), "192.0.2.1:1234", "GET", "health", ""); st != http.StatusForbidden {
		t.Fatalf("WithRemoteControl(false): %d", st)
	}
}

// TestControlRemoteOverTCP uses a real non-loopback address of this machine, when it has one.
func TestControlRemoteOverTCP(t *testing.T) {
	ip := nonLoopbackIP(t)
	for _, tc := range []struct {
		opts []Option
		want int
	}{{nil, http.StatusForbidden}, {[]Option{WithRemoteControl(true)}, http.StatusOK}} {
		s, err := Start(net.JoinHostPort(ip, "0"), DefaultWorld(), tc.opts...)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", ip, err)
		}
		resp, err := http.Get(s.URL() + "/_testendpoint/health")
		if err != nil {
			_ = s.Close()
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		_ = s.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("health from %s with %d options = %d %s, want %d", ip, len(tc.opts), resp.StatusCode, b, tc.want)
		}
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

func TestControlToken(t *testing.T) {
	s := startServerWith(t, WithControlToken("s3cret-control"))
	get := func(path, authorization string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL()+"/_testendpoint/"+path, nil)
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
	for _, path := range []string{"world", "requests", "faults", "health", "nothing"} {
		for _, auth := range []string{"", "Bearer wrong", "Bearer s3cret-contro", "Bearer s3cret-control-x", "Basic s3cret-control",
			"s3cret-control", "Bearer", "SDK-HMAC-SHA256 Access=x"} {
			st, h, body := get(path, auth)
			if st != http.StatusUnauthorized || !strings.Contains(body, "-control-token") || !strings.Contains(body, "TESTENDPOINT_CONTROL_TOKEN") ||
				!strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("GET %s with %q = %d %s, want 401 naming -control-token", path, auth, st, body)
			}
			if strings.Contains(body, "s3cret") {
				t.Errorf("the 401 body echoes the token: %s", body)
			}
		}
	}
	for _, auth := range []string{"Bearer s3cret-control", "bearer s3cret-control", "Bearer  s3cret-control "} {
		if st, _, body := get("health", auth); st != http.StatusOK {
			t.Errorf("GET health with %q = %d %s", auth, st, body)
		}
	}
	if st, _, body := get("world", "Bearer s3cret-control"); st != http.StatusOK || !strings.Contains(body, OwnerSecretKey) {
		t.Errorf("GET world with the token = %d %.100s", st, body)
	}
	// The API does not need the control token, and the token is no API credential.
	expect(t, call(t, s, "GET", membersPath(OwnerProjectID, ServerBackupID), ownerTok, nil), 200, "")

	// Remote and token together: the remote check comes first, then the token.
	both := newServer(t, WithRemoteControl(true), WithControlToken("t"))
	if st, _, _ := serveControlFrom(t, both, "192.0.2.1:1", "GET", "health", ""); st != http.StatusUnauthorized {
		t.Errorf("remote without token = %d, want 401", st)
	}
	if st, _, _ := serveControlFrom(t, both, "192.0.2.1:1", "GET", "health", "Bearer t"); st != http.StatusOK {
		t.Errorf("remote with token = %d, want 200", st)
	}
	if st, _, _ := serveControlFrom(t, newServer(t, WithControlToken("t")), "192.0.2.1:1", "GET", "health", "Bearer t"); st != http.StatusForbidden {
		t.Errorf("remote with token but without remote control = %d, want 403", st)
	}
	// An empty token requires none.
	if st, _, _ := serveControlFrom(t, newServer(t, WithControlToken("")), "127.0.0.1:1", "GET", "health", ""); st != http.StatusOK {
		t.Errorf("empty token: %d", st)
	}
}

func startServerWith(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s, err := Start("127.0.0.1:0", DefaultWorld(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
