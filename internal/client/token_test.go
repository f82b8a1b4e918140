package client

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tokenService answers 200 to a valid token and 401 otherwise.
func tokenService(f *fakeCloud, calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if !f.authorized(r) {
			writeJSON(w, 401, `{"error":{"code":401,"message":"The token is expired."}}`)
			return
		}
		writeJSON(w, 200, `{}`)
	}
}

func TestPasswordTokenSharedByConcurrentCalls(t *testing.T) {
	f := newFakeCloud(t)
	f.tokenDelay = 50 * time.Millisecond // make every caller overlap the request
	var calls atomic.Int32
	f.service = tokenService(f, &calls)
	cfg := f.config("password")
	cfg.ProjectID = testProject // no token fetched by New
	c := f.newClient(t, cfg)
	if f.tokenRequests.Load() != 0 {
		t.Fatal("New fetched a token although project_id is set")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() { errs <- doGet(c) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	if calls.Load() != 20 {
		t.Fatalf("%d service calls", calls.Load())
	}
	if !strings.Contains(f.bodies[0], `"project":{"id":"`+testProject+`"}`) || !strings.Contains(f.bodies[0], `"domain":{"name":"`+testDomain+`"}`) {
		t.Fatalf("token request body: %s", f.bodies[0])
	}
}

func TestPasswordToken401RenewsOnce(t *testing.T) {
	f := newFakeCloud(t)
	var calls atomic.Int32
	f.service = tokenService(f, &calls)
	cfg := f.config("password")
	cfg.ProjectID = testProject
	c := f.newClient(t, cfg)
	if err := doGet(c); err != nil {
		t.Fatal(err)
	}
	f.expire() // server-side revocation before expires_at
	f.tokenDelay = 30 * time.Millisecond
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if err := doGet(c); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.tokenRequests.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2 (initial + one renewal)", n)
	}

	// A token that keeps failing: one renewal, one replay, then the 401.
	f.tokenRequests.Store(0)
	calls.Store(0)
	f.service = func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 401, `{"error":{"code":401,"message":"no"}}`)
	}
	err := doGet(c)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || calls.Load() != 2 || f.tokenRequests.Load() != 1 {
		t.Fatalf("%v: %d calls, %d token requests", err, calls.Load(), f.tokenRequests.Load())
	}

	// The "Malformed request url" 401 means not found: no renewal.
	f.tokenRequests.Store(0)
	calls.Store(0)
	f.service = func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 401, `{"unauthorized":{"code":"401","message":"Malformed request url"}}`)
	}
	err = doGet(c)
	if !errors.Is(err, ErrNotFound) || calls.Load() != 1 || f.tokenRequests.Load() != 0 {
		t.Fatalf("%v: %d calls, %d token requests", err, calls.Load(), f.tokenRequests.Load())
	}
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestPasswordTokenRenewedBeforeExpiry(t *testing.T) {
	f := newFakeCloud(t)
	clock := &fakeClock{t: time.Now()}
	f.now = clock.Now
	f.tokenLifetime = time.Hour
	var calls atomic.Int32
	f.service = tokenService(f, &calls)
	cfg := f.config("password")
	cfg.ProjectID = testProject
	c := f.newClient(t, cfg)
	c.now = clock.Now
	for range 3 {
		if err := doGet(c); err != nil {
			t.Fatal(err)
		}
	}
	clock.Add(50 * time.Minute) // still 10 min left: no renewal
	if err := doGet(c); err != nil || f.tokenRequests.Load() != 1 {
		t.Fatalf("%v, %d token requests", err, f.tokenRequests.Load())
	}
	clock.Add(6 * time.Minute) // within the 5 min margin
	if err := doGet(c); err != nil || f.tokenRequests.Load() != 2 {
		t.Fatalf("%v, %d token requests", err, f.tokenRequests.Load())
	}
}

func TestRenewTime(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := renewTime(now, now.Add(24*time.Hour)); got != now.Add(24*time.Hour-5*time.Minute) {
		t.Fatal(got)
	}
	if got := renewTime(now, now.Add(time.Minute)); got != now.Add(54*time.Second) {
		t.Fatal(got)
	}
	if got := renewTime(now, now.Add(-time.Minute)); got != now.Add(time.Second) {
		t.Fatal(got)
	}
	if !renewTime(now, time.Time{}).IsZero() {
		t.Fatal("zero")
	}
}

func TestWrongPassword(t *testing.T) {
	f := newFakeCloud(t)
	cfg := f.config("password")
	cfg.Password = "wrong-password-value"
	_, err := New(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "The username or password is wrong.") || !strings.Contains(err.Error(), testUser) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "wrong-password-value") {
		t.Fatal("password in error")
	}
	if f.tokenRequests.Load() != 1 {
		t.Fatalf("%d token requests for a 401", f.tokenRequests.Load())
	}
}

func TestProjectResolution(t *testing.T) {
	for _, kind := range []string{"password", "token", "aksk", "temp"} {
		t.Run(kind, func(t *testing.T) {
			f := newFakeCloud(t)
			c := f.newClient(t, f.config(kind))
			if c.ProjectID() != testProject {
				t.Fatalf("project %q", c.ProjectID())
			}
			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d IAM requests", len(reqs))
			}
			r := reqs[0]
			switch kind {
			case "password":
				if r.Method != "POST" || !strings.Contains(f.bodies[0], `"project":{"name":"`+testRegion+`"}`) {
					t.Fatalf("%s %s %s", r.Method, r.URL, f.bodies[0])
				}
			case "token":
				if r.URL.Path != "/v3/auth/tokens" || r.Header.Get("X-Subject-Token") != testToken {
					t.Fatalf("%s %s", r.Method, r.URL)
				}
			default:
				if r.URL.Path != "/v3/auth/projects" || r.Header.Get("X-Project-Id") != "" {
					t.Fatalf("%s %s %v", r.Method, r.URL, r.Header)
				}
			}
		})
	}
}

func TestProjectNotFound(t *testing.T) {
	f := newFakeCloud(t)
	cfg := f.config("aksk")
	cfg.Region = "eu-west-0"
	_, err := New(context.Background(), cfg)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Attributes[0] != "project_id" || !strings.Contains(err.Error(), "Set project_id") {
		t.Fatalf("got %v", err)
	}
	cfg = f.config("aksk")
	cfg.SecretKey = "wrong-secret-key"
	_, err = New(context.Background(), cfg)
	// Refused credentials are not a missing project: the error names the credentials in use.
	var ae *APIError
	if errors.As(err, &ce) || !errors.As(err, &ae) || !slices.Equal(ae.Credentials, []string{"access_key", "secret_key"}) ||
		!strings.Contains(err.Error(), "APIGW.0301") || strings.Contains(err.Error(), "wrong-secret-key") {
		t.Fatalf("got %v", err)
	}
}
