package testendpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func control(t *testing.T, s *Server, method, path, body string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+"/_testendpoint/"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func TestControlWorld(t *testing.T) {
	s := startServer(t, DefaultWorld())
	st, _, b := control(t, s, "GET", "world", "")
	if st != 200 {
		t.Fatalf("GET world = %d", st)
	}
	w, err := LoadWorld(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("GET world is not loadable: %v", err)
	}
	w.CBRMembers = append(w.CBRMembers, CBRMember{ID: "aaaaaaaa-0000-4000-8000-000000000001", BackupID: ServerBackupID,
		DestProjectID: Receiver1ProjectID, Status: StatusPending, CreatedAt: defaultTime})
	nb, _ := json.Marshal(w)
	if st, _, b := control(t, s, "PUT", "world", string(nb)); st != 204 {
		t.Fatalf("PUT world = %d %s", st, b)
	}
	r := call(t, s, "GET", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok, nil)
	expect(t, r, 200, "")
	if r.str("member.id") != "aaaaaaaa-0000-4000-8000-000000000001" {
		t.Fatalf("restored member = %s", r.raw)
	}
	for _, tc := range []struct{ body, want string }{
		{`{`, "world"},
		{`{"region":"x","colour":1}`, "colour"},
		{`{"region":"x","vaults":[{"id":"6a1b7c2d-0000-4000-8000-000000000101","project_id":"0605767b5780d5762fc5c0118072a564","name":"v","resource_type":"server","capacity_gb":1}]}`, "vaults[0].project_id"},
		{`[]`, "world"},
		{``, "world"},
	} {
		st, _, b := control(t, s, "PUT", "world", tc.body)
		if st != 400 || !strings.Contains(string(b), tc.want) {
			t.Errorf("PUT world %q = %d %s, want 400 mentioning %q", tc.body, st, b, tc.want)
		}
	}
	// A rejected world leaves the state alone.
	expect(t, call(t, s, "GET", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok, nil), 200, "")
}

func TestControlRequests(t *testing.T) {
	s := startServer(t, DefaultWorld())
	call(t, s, "GET", membersPath(OwnerProjectID, ServerBackupID)+"?limit=5", ownerTok, nil)
	control(t, s, "GET", "health", "")
	st, _, b := control(t, s, "GET", "requests", "")
	var recs []RequestRecord
	if err := json.Unmarshal(b, &recs); err != nil || st != 200 {
		t.Fatalf("GET requests = %d %s", st, b)
	}
	if len(recs) != 1 || recs[0].Query != "limit=5" || recs[0].Service != "cbr" || recs[0].AuthKind != "token" ||
		recs[0].Project != OwnerProjectID || recs[0].Status != 200 || recs[0].RequestID == "" || recs[0].Time.IsZero() {
		t.Fatalf("records = %s", b)
	}
	if !strings.Contains(string(b), `"auth_kind":"token"`) {
		t.Errorf("wire names: %s", b)
	}
	if st, _, _ := control(t, s, "DELETE", "requests", ""); st != 204 {
		t.Fatalf("DELETE requests = %d", st)
	}
	if len(s.Requests()) != 0 {
		t.Fatal("log not cleared")
	}
	for _, tc := range []struct {
		method, path string
		status       int
	}{{"POST", "requests", 405}, {"PATCH", "world", 405}, {"POST", "faults", 405}, {"GET", "nothing", 404}, {"GET", "health", 200}} {
		if st, _, b := control(t, s, tc.method, tc.path, ""); st != tc.status || !json.Valid(b) {
			t.Errorf("%s %s = %d %s, want %d", tc.method, tc.path, st, b, tc.status)
		}
	}
}

func TestControlFaultValidation(t *testing.T) {
	s := startServer(t, DefaultWorld())
	for _, tc := range []struct{ body, want string }{
		{`{"path":"/x","status":500}`, "list"},
		{`[{"path":"/x","status":500,"colour":1}]`, "colour"},
		{`[{"path":"x","status":500}]`, "faults[0]"},
		{`[{"path":"/x","status":42}]`, "status 42"},
		{`[{"path":"/x"}]`, "needs status"},
		{`[{"path":"/x","status":500,"drop":true}]`, "exclusive"},
		{`[{"path":"/x","status":500,"probability":2}]`, "probability"},
		{`[{"path":"/x","status":500,"count":-1}]`, "count"},
		{`[{"path":"/x","drop":true,"retry_after":3}]`, "retry_after"},
		{`[{"path":"/x","delay_ms":-5}]`, "delay_ms"},
		{`[{"path":"/x","status":"500"}]`, "status"},
	} {
		st, _, b := control(t, s, "PUT", "faults", tc.body)
		if st != 400 || !strings.Contains(string(b), tc.want) {
			t.Errorf("PUT faults %s = %d %s, want 400 mentioning %q", tc.body, st, b, tc.want)
		}
	}
	if st, _, b := control(t, s, "PUT", "faults", `[{"method":"get","path":"/v3/**","status":503,"count":2}]`); st != 204 {
		t.Fatalf("PUT faults = %d %s", st, b)
	}
	st, _, b := control(t, s, "GET", "faults", "")
	if st != 200 || !strings.Contains(string(b), `"count":2`) {
		t.Fatalf("GET faults = %d %s", st, b)
	}
	do(t, s, "GET", "/v3/auth/projects", ownerAK, nil)
	if _, _, b := control(t, s, "GET", "faults", ""); !strings.Contains(string(b), `"count":1`) {
		t.Fatalf("remaining count not shown: %s", b)
	}
	if st, _, _ := control(t, s, "DELETE", "faults", ""); st != 204 {
		t.Fatal("DELETE faults failed")
	}
	expect(t, call(t, s, "GET", "/v3/auth/projects", ownerAK, nil), 200, "")
}

func TestFaultStatusRetryAfterAndCount(t *testing.T) {
	s := startServer(t, DefaultWorld())
	path := membersPath(OwnerProjectID, ServerBackupID)
	s.SetFaults([]Fault{{Method: "GET", Path: "/v3/*/backups/*/members", Status: 429, RetryAfter: 3, Count: 2}})
	for i := 0; i < 2; i++ {
		r := do(t, s, "GET", path, noCred, nil) // before auth: no credentials needed to see the fault
		expect(t, r, 429, "APIGW.0308")
		if r.header.Get("Retry-After") != "3" || r.str("request_id") != r.header.Get("X-Request-Id") {
			t.Fatalf("fault response = %v %s", r.header, r.raw)
		}
	}
	expect(t, call(t, s, "GET", path, ownerTok, nil), 200, "")
	recs := s.Requests()
	if len(recs) != 3 || !recs[0].Fault || recs[0].Status != 429 || recs[2].Fault {
		t.Fatalf("records = %+v", recs)
	}

	s.SetFaults([]Fault{{Path: "/v3/*/backups/*/members", Status: 503, Body: `{"error_code":"X.1","error_msg":"custom"}`}})
	r := do(t, s, "POST", path, ownerTok, map[string]any{"members": []string{Receiver1ProjectID}})
	if r.status != 503 || string(r.raw) != `{"error_code":"X.1","error_msg":"custom"}` {
		t.Fatalf("custom body = %d %s", r.status, r.raw)
	}
	if len(s.World().CBRMembers) != 0 {
		t.Fatal("a faulted request reached the handler")
	}
	// Unlimited until cleared; the control API is never faulted.
	expect(t, do(t, s, "GET", path, ownerTok, nil), 503, "X.1")
	if st, _, _ := control(t, s, "GET", "health", ""); st != 200 {
		t.Fatal("control API faulted")
	}
	s.ClearFaults()
	expect(t, call(t, s, "GET", path, ownerTok, nil), 200, "")
}

func TestFaultDrop(t *testing.T) {
	s := startServer(t, DefaultWorld())
	s.SetFaults([]Fault{{Method: "GET", Path: "/v3/auth/projects", Drop: true, Count: 1}})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest("GET", s.URL()+"/v3/auth/projects", nil)
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request got a response: %d", resp.StatusCode)
	}
	expect(t, call(t, s, "GET", "/v3/auth/projects", ownerAK, nil), 200, "")
	recs := s.Requests()
	if len(recs) != 2 || recs[0].Status != 0 || !recs[0].Fault || recs[0].Service != "iam" {
		t.Fatalf("records = %+v", recs)
	}
}

func TestFaultDelay(t *testing.T) {
	s := startServer(t, DefaultWorld())
	s.SetFaults([]Fault{{Path: "/v2/**", DelayMS: 150, Count: 1}})
	start := time.Now()
	expect(t, call(t, s, "GET", imsMembers(FullECSImageID), ownerTok, nil), 200, "")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("delay not applied: %v", d)
	}
	start = time.Now()
	expect(t, call(t, s, "GET", imsMembers(FullECSImageID), ownerTok, nil), 200, "")
	if d := time.Since(start); d > 140*time.Millisecond {
		t.Fatalf("count-limited delay applied twice: %v", d)
	}
	// Delay plus status.
	s.SetFaults([]Fault{{Path: "/v2/**", DelayMS: 50, Status: 502}})
	start = time.Now()
	expect(t, do(t, s, "GET", imsMembers(FullECSImageID), ownerTok, nil), 502, "APIGW.0201")
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("delay before status not applied")
	}
	// A 404 fault answers as the gateway does for an unknown API.
	s.SetFaults([]Fault{{Path: "/v2/**", Status: 404}})
	expect(t, do(t, s, "GET", imsMembers(FullECSImageID), ownerTok, nil), 404, "APIGW.0101")
}

func TestFaultProbabilityDeterministic(t *testing.T) {
	run := func(seed int64) []bool {
		s := startServer(t, DefaultWorld())
		s.SetFaults([]Fault{{Path: "/v3/auth/projects", Status: 500, Probability: 0.3, Seed: seed}})
		var out []bool
		for i := 0; i < 100; i++ {
			r := do(t, s, "GET", "/v3/auth/projects", ownerAK, nil)
			out = append(out, r.status == 500)
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	n := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different sequence")
		}
		if a[i] {
			n++
		}
	}
	if n < 15 || n > 45 {
		t.Fatalf("%d of 100 faulted at p=0.3", n)
	}
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Fatal("different seeds gave the same sequence")
	}
	// The world's seed is used when the fault has none.
	w := DefaultWorld()
	w.Seed = 7
	s := startServer(t, w)
	s.SetFaults([]Fault{{Path: "/v3/auth/projects", Status: 500, Probability: 0.3}})
	for i := 0; i < 100; i++ {
		if got := do(t, s, "GET", "/v3/auth/projects", ownerAK, nil).status == 500; got != a[i] {
			t.Fatal("world seed not used")
		}
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/v3/*/backups/*/members", "/v3/p/backups/b/members", true},
		{"/v3/*/backups/*/members", "/v3/p/backups/b/members/m", false},
		{"/v3/*/backups/*/members/*", "/v3/p/backups/b/members/m", true},
		{"/v3/**", "/v3/p/backups/b/members/m", true},
		{"/v3/**", "/v3", true}, // zero segments
		{"/v3/**", "/v2/x", false},
		{"/v3/**", "/v3/", true},
		{"/**", "/anything/at/all", true},
		{"/v2/images/*/members", "/v2/images/i/members", true},
		{"/v2/images/*/members", "/v2/p/os-vendor-backup-sharing", false},
		{"/v3/auth/tokens", "/v3/auth/tokens", true},
		{"/v3/auth/tokens", "/v3/auth/projects", false},
	}
	for _, tc := range tests {
		got := matchPattern(strings.Split(strings.TrimPrefix(tc.pattern, "/"), "/"), strings.Split(strings.TrimPrefix(tc.path, "/"), "/"))
		if got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

// The recover middleware answers a panic with the service's 500 body; ordinary input
// never gets there (call() fails any test that sees a 5xx).
func TestRecoverMiddleware(t *testing.T) {
	s, err := New(DefaultWorld())
	if err != nil {
		t.Fatal(err)
	}
	old := routes
	t.Cleanup(func() { routes = old })
	routes = append([]route{{service: "cbr", method: "GET", pattern: []string{"v3", "{project}", "boom"}, auth: authNone,
		handler: func(*Server, *reqCtx) response { panic(errors.New("kaboom")) }}}, old...)
	// Served in this goroutine so the swap of the route table cannot race a server goroutine.
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/v3/x/boom", nil))
	var body map[string]string
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != 500 || body["error_code"] != "BackupService.9910" || !strings.Contains(body["error_msg"], "kaboom") {
		t.Errorf("panic answer = %d %s", rec.Code, rec.Body.Bytes())
	}
	if recs := s.Requests(); len(recs) != 1 || recs[0].Status != 500 {
		t.Errorf("records = %+v", recs)
	}
}
