package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/client/signer"
)

const (
	testRegion    = "cn-north-4"
	testProject   = "0605767b5780d5762fc5c0118072a564"
	testAK        = "TESTAK0000000000AKID"
	testSK        = "TestSecretKey0000000000000000000000SKSK"
	testSecToken  = "test-security-token-0001"
	testUser      = "owner-admin"
	testPassword  = "Owner-Passw0rd!"
	testDomain    = "owner-domain"
	testToken     = "static-token-value-0001"
	testIAMPrefix = "/v3/auth/"
)

// fakeCloud is a tiny IAM plus a programmable service handler.
type fakeCloud struct {
	t   *testing.T
	srv *httptest.Server

	tokenRequests atomic.Int32
	tokenDelay    time.Duration
	tokenLifetime time.Duration
	now           func() time.Time

	mu     sync.Mutex
	issued []string // tokens issued, in order
	valid  map[string]bool
	bodies []string // IAM token request bodies
	reqs   []*http.Request

	// service handles every non-IAM request.
	service http.HandlerFunc
}

func newFakeCloud(t *testing.T) *fakeCloud {
	t.Helper()
	f := &fakeCloud{t: t, tokenLifetime: 24 * time.Hour, now: time.Now, valid: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.reqs = append(f.reqs, r)
	f.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v3/auth/tokens":
		f.issueToken(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/v3/auth/tokens":
		if !f.authorized(r) || r.Header.Get("X-Subject-Token") != testToken {
			writeJSON(w, 401, `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`)
			return
		}
		writeJSON(w, 200, `{"token":{"expires_at":"2099-01-01T00:00:00.000000Z","project":{"id":"`+testProject+`","name":"`+testRegion+`"}}}`)
	case r.Method == http.MethodGet && r.URL.Path == "/v3/auth/projects":
		if !f.authorized(r) {
			writeJSON(w, 401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"rid-iam"}`)
			return
		}
		if r.URL.Query().Get("name") != testRegion {
			writeJSON(w, 200, `{"projects":[]}`)
			return
		}
		writeJSON(w, 200, `{"projects":[{"id":"other","name":"cn-north-40"},{"id":"`+testProject+`","name":"`+testRegion+`"}]}`)
	default:
		if f.service == nil {
			http.NotFound(w, r)
			return
		}
		f.service(w, r)
	}
}

func (f *fakeCloud) issueToken(w http.ResponseWriter, r *http.Request) {
	n := f.tokenRequests.Add(1)
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.bodies = append(f.bodies, string(body))
	f.mu.Unlock()
	if f.tokenDelay > 0 {
		time.Sleep(f.tokenDelay)
	}
	var req passwordAuth
	if err := json.Unmarshal(body, &req); err != nil || req.Auth.Identity.Password.User.Password != testPassword {
		writeJSON(w, 401, `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`)
		return
	}
	tok := fmt.Sprintf("iam-issued-token-%04d", n)
	f.mu.Lock()
	f.issued = append(f.issued, tok)
	f.valid[tok] = true
	f.mu.Unlock()
	exp := f.now().Add(f.tokenLifetime).UTC().Format("2006-01-02T15:04:05.000000Z")
	w.Header().Set("X-Subject-Token", tok)
	writeJSON(w, 201, `{"token":{"expires_at":"`+exp+`","project":{"id":"`+testProject+`","name":"`+testRegion+`"}}}`)
}

// expire invalidates every token issued so far.
func (f *fakeCloud) expire() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.valid = map[string]bool{}
}

// authorized checks a token or an AK/SK signature (trusting SignedHeaders,
// like the gateway).
func (f *fakeCloud) authorized(r *http.Request) bool {
	if tok := r.Header.Get("X-Auth-Token"); tok != "" {
		f.mu.Lock()
		defer f.mu.Unlock()
		return tok == testToken || f.valid[tok]
	}
	return verifySignature(r, nil) == nil
}

// verifySignature recomputes an SDK-HMAC-SHA256 signature. body nil means
// "read it from r".
func verifySignature(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	var ak, sh, sig string
	if _, err := fmt.Sscanf(strings.ReplaceAll(auth, ",", ""), "SDK-HMAC-SHA256 Access=%s SignedHeaders=%s Signature=%s", &ak, &sh, &sig); err != nil {
		return fmt.Errorf("bad Authorization %q: %w", auth, err)
	}
	if ak != testAK {
		return fmt.Errorf("unknown AK %q", ak)
	}
	if body == nil {
		body, _ = io.ReadAll(r.Body)
	}
	h := r.Header.Clone()
	h.Set("Host", r.Host)
	signed := strings.Split(sh, ";")
	u := *r.URL
	cr := signer.CanonicalRequest(r.Method, &u, h, signed, signer.PayloadHash(h, body))
	if want := signer.Signature(testSK, signer.StringToSign(cr, r.Header.Get("X-Sdk-Date"))); want != sig {
		return fmt.Errorf("signature mismatch")
	}
	if !strings.Contains(sh, "x-sdk-date") || !strings.Contains(sh, "host") {
		return fmt.Errorf("x-sdk-date and host must be signed: %s", sh)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (f *fakeCloud) endpoints() Endpoints {
	return Endpoints{CBR: f.srv.URL, VBS: f.srv.URL, IMS: f.srv.URL, IAM: f.srv.URL}
}

// config returns a fast-retrying config of the given credential kind.
func (f *fakeCloud) config(kind string) Config {
	cfg := Config{Region: testRegion, Endpoints: f.endpoints(), MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	switch kind {
	case "aksk":
		cfg.AccessKey, cfg.SecretKey = testAK, testSK
	case "temp":
		cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken = testAK, testSK, testSecToken
	case "password":
		cfg.UserName, cfg.Password, cfg.DomainName = testUser, testPassword, testDomain
	case "token":
		cfg.Token = testToken
	}
	return cfg
}

func (f *fakeCloud) newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// tokenClient is a token-authenticated client with project "p", so New
// makes no IAM request.
func (f *fakeCloud) tokenClient(t *testing.T) *Client {
	t.Helper()
	cfg := f.config("token")
	cfg.ProjectID = "p"
	return f.newClient(t, cfg)
}

func (f *fakeCloud) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.reqs...)
}
