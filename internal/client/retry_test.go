package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hijackDrop closes the connection without an answer.
func hijackDrop(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("no hijacker")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

func doGet(c *Client) error {
	return c.Do(context.Background(), Request{Service: ServiceCBR, Path: "/v3/p/backups/b/members"}, nil)
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	f := newFakeCloud(t)
	var n atomic.Int32
	var times []time.Time
	var mu sync.Mutex
	f.service = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`)
			return
		}
		writeJSON(w, 200, `{}`)
	}
	c := f.tokenClient(t) // RetryWaitMax is 5ms: Retry-After must still win
	if err := doGet(c); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Fatalf("attempts %d", n.Load())
	}
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond {
		t.Fatalf("Retry-After ignored: retried after %s", gap)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"3":                             3 * time.Second,
		"0":                             0,
		"Mon, 01 Jan 2024 00:00:07 GMT": 7 * time.Second,
		"Sun, 31 Dec 2023 00:00:00 GMT": 0, // in the past
		"999999":                        maxRetryAfter,
	} {
		if got, ok := parseRetryAfter(v, now); !ok || got != want {
			t.Errorf("%q: %v %v", v, got, ok)
		}
	}
	for _, v := range []string{"", "-1", "soon"} {
		if _, ok := parseRetryAfter(v, now); ok {
			t.Errorf("%q parsed", v)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{waitMin: 10 * time.Millisecond, waitMax: 80 * time.Millisecond, now: time.Now}
	for n := 0; n < 40; n++ {
		d := c.backoff(n, nil)
		if d < c.waitMin || d > c.waitMax {
			t.Fatalf("attempt %d: %s out of bounds", n, d)
		}
	}
	if d := c.backoff(0, &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"2"}}}); d != 2*time.Second {
		t.Fatalf("503 Retry-After: %s", d)
	}
}

func TestRetry503AndDroppedConnection(t *testing.T) {
	f := newFakeCloud(t)
	var n atomic.Int32
	f.service = func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			writeJSON(w, 503, `{"error_code":"BackupService.9999","error_msg":"busy"}`)
		case 2:
			hijackDrop(t, w)
		default:
			writeJSON(w, 200, `{"ok":true}`)
		}
	}
	c := f.tokenClient(t)
	var out struct{ OK bool }
	if err := c.Do(context.Background(), Request{Service: ServiceCBR, Path: "/x"}, &out); err != nil || !out.OK {
		t.Fatal(err, out)
	}
	if n.Load() != 3 {
		t.Fatalf("attempts %d", n.Load())
	}
}

func TestRetryNotFor501Or400(t *testing.T) {
	for _, status := range []int{501, 400, 404} {
		f := newFakeCloud(t)
		var n atomic.Int32
		f.service = func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			writeJSON(w, status, `{"error_code":"E.1","error_msg":"no"}`)
		}
		err := doGet(f.tokenClient(t))
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != status || n.Load() != 1 {
			t.Fatalf("%d: %v after %d attempts", status, err, n.Load())
		}
		var re *RetryError
		if errors.As(err, &re) {
			t.Fatalf("%d: not a retry error", status)
		}
	}
}

func TestRetryBudgetExceeded(t *testing.T) {
	f := newFakeCloud(t)
	var n atomic.Int32
	f.service = func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("X-Request-Id", "rid-503")
		writeJSON(w, 503, `{"error_code":"BackupService.9910","error_msg":"Unknown error."}`)
	}
	cfg := f.config("token")
	cfg.ProjectID = "p"
	cfg.MaxRetries = 2
	err := doGet(f.newClient(t, cfg))
	if n.Load() != 3 {
		t.Fatalf("attempts %d", n.Load())
	}
	want := "giving up after 3 attempts: HTTP 503 BackupService.9910: Unknown error. (request ID rid-503)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if !HasCode(err, "BackupService.9910") {
		t.Fatal("code lost")
	}

	// Connection failures past the budget.
	n.Store(0)
	f.service = func(w http.ResponseWriter, r *http.Request) { n.Add(1); hijackDrop(t, w) }
	err = doGet(f.newClient(t, cfg))
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 3 || !strings.Contains(err.Error(), "giving up after 3 attempts: ") || n.Load() != 3 {
		t.Fatalf("connection budget: %v (%d attempts)", err, n.Load())
	}

	// No retries configured: one attempt, and still a clear error.
	n.Store(0)
	f.service = func(w http.ResponseWriter, r *http.Request) { n.Add(1); writeJSON(w, 502, "bad gateway") }
	cfg.MaxRetries = 0
	err = doGet(f.newClient(t, cfg))
	if n.Load() != 1 || err == nil || err.Error() != "giving up after 1 attempt: HTTP 502: bad gateway" {
		t.Fatalf("no retries: %v (%d)", err, n.Load())
	}
}

func TestRetryStopsAtDeadline(t *testing.T) {
	f := newFakeCloud(t)
	var n atomic.Int32
	f.service = func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`)
	}
	c := f.tokenClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err := c.Do(ctx, Request{Service: ServiceCBR, Path: "/x"}, nil)
	if time.Since(start) > time.Second || n.Load() != 1 || !HasCode(err, "APIGW.0308") || !strings.Contains(err.Error(), "giving up after 1 attempt (the next retry would pass the deadline): HTTP 429 APIGW.0308") {
		t.Fatalf("%v after %s, %d attempts", err, time.Since(start), n.Load())
	}
}

func TestRetryPOSTResentAndResigned(t *testing.T) {
	f := newFakeCloud(t)
	type attempt struct {
		body, date, auth string
		verr             error
	}
	var mu sync.Mutex
	var attempts []attempt
	f.service = func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		attempts = append(attempts, attempt{string(body), r.Header.Get("X-Sdk-Date"), r.Header.Get("Authorization"), verifySignature(r, body)})
		k := len(attempts)
		mu.Unlock()
		if r.Header.Get("X-Project-Id") != testProject || r.Header.Get("X-Security-Token") != testSecToken {
			t.Errorf("missing project/security token headers: %v", r.Header)
		}
		switch k {
		case 1:
			writeJSON(w, 500, `{"error_code":"BackupService.9910","error_msg":"Unknown error."}`)
		case 2:
			hijackDrop(t, w)
		default:
			writeJSON(w, 200, `{"members":[]}`)
		}
	}
	cfg := f.config("temp")
	cfg.ProjectID = testProject
	c := f.newClient(t, cfg)
	var clock atomic.Int64
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return base.Add(time.Duration(clock.Add(1)) * time.Minute) }
	err := c.Do(context.Background(), Request{Service: ServiceCBR, Method: http.MethodPost, Path: "/v3/" + testProject + "/backups/b/members",
		Body: map[string][]string{"members": {"p1"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 3 {
		t.Fatalf("%d attempts", len(attempts))
	}
	seen := map[string]bool{}
	for i, a := range attempts {
		if a.body != `{"members":["p1"]}` {
			t.Errorf("attempt %d body %q", i, a.body)
		}
		if a.verr != nil {
			t.Errorf("attempt %d signature: %v", i, a.verr)
		}
		if !strings.Contains(a.auth, "SignedHeaders=accept;host;user-agent;x-language;x-project-id;x-sdk-date;x-security-token,") {
			t.Errorf("attempt %d signed headers: %s", i, a.auth)
		}
		if seen[a.date] {
			t.Errorf("attempt %d reused X-Sdk-Date %s", i, a.date)
		}
		seen[a.date] = true
	}
}
