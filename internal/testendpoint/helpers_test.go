package testendpoint

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// A signer written separately from sigv.go (QueryEscape-based escaping), so the two
// implementations check each other.

func testEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func testCanonicalRequest(method, path string, query url.Values, headers [][2]string, body []byte) (string, string) {
	segs := strings.Split(path, "/")
	for i := range segs {
		segs[i] = testEscape(segs[i])
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	var qs []string
	for k, vs := range query {
		for _, v := range vs {
			qs = append(qs, testEscape(k)+"="+testEscape(v))
		}
	}
	sort.Strings(qs) // same order as key-then-value sorting for these inputs
	hs := append([][2]string(nil), headers...)
	sort.Slice(hs, func(i, j int) bool { return hs[i][0] < hs[j][0] })
	var ch, names []string
	for _, h := range hs {
		ch = append(ch, h[0]+":"+strings.TrimSpace(h[1])+"\n")
		names = append(names, h[0])
	}
	sum := sha256.Sum256(body)
	signed := strings.Join(names, ";")
	return method + "\n" + uri + "\n" + strings.Join(qs, "&") + "\n" + strings.Join(ch, "") + "\n" + signed + "\n" + hex.EncodeToString(sum[:]), signed
}

func testSignature(sk, date, canonical string) string {
	h := sha256.Sum256([]byte(canonical))
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte("SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(h[:])))
	return hex.EncodeToString(m.Sum(nil))
}

// cred describes how a test request authenticates.
type cred struct {
	token         string
	ak, sk        string
	securityToken string // sent as X-Security-Token (signed, as the v3 SDK does)
	projectID     string // sent as X-Project-Id
	signHost      bool
	dateOffset    time.Duration // clock skew of the client
	badSignature  bool
	rawAuth       string // an Authorization header sent as is
}

var (
	ownerTok = cred{token: OwnerToken}
	recv1Tok = cred{token: Receiver1Token}
	recv2Tok = cred{token: Receiver2Token}
	ownerAK  = cred{ak: OwnerAccessKey, sk: OwnerSecretKey}
	recv1AK  = cred{ak: Receiver1AccessKey, sk: Receiver1SecretKey}
	ownerTmp = cred{ak: OwnerTempAccessKey, sk: OwnerTempSecretKey, securityToken: OwnerSecurityToken}
	noCred   = cred{}
)

type result struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// str digs a string out of the decoded body: path like "member.status".
func (r result) str(path string) string {
	var v any = r.body
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

func (r result) code() string {
	if c := r.str("error_code"); c != "" {
		return c
	}
	return r.str("error.code")
}

func startServer(t *testing.T, w World) *Server {
	t.Helper()
	s, err := Start("127.0.0.1:0", w)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func bodyBytes(t *testing.T, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	default:
		out, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func newTestRequest(t *testing.T, base, method, pathAndQuery string, c cred, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, base+pathAndQuery, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	if c.token != "" {
		req.Header.Set("X-Auth-Token", c.token)
	}
	if c.projectID != "" {
		req.Header.Set("X-Project-Id", c.projectID)
	}
	if c.securityToken != "" {
		req.Header.Set("X-Security-Token", c.securityToken)
	}
	if c.rawAuth != "" {
		req.Header.Set("Authorization", c.rawAuth)
	}
	if c.ak != "" {
		date := time.Now().UTC().Add(c.dateOffset).Format("20060102T150405Z")
		req.Header.Set("X-Sdk-Date", date)
		headers := [][2]string{{"x-sdk-date", date}}
		if c.projectID != "" {
			headers = append(headers, [2]string{"x-project-id", c.projectID})
		}
		if c.securityToken != "" {
			headers = append(headers, [2]string{"x-security-token", c.securityToken})
		}
		if c.signHost {
			headers = append(headers, [2]string{"host", req.URL.Host})
		}
		cr, signed := testCanonicalRequest(method, req.URL.Path, req.URL.Query(), headers, body)
		sig := testSignature(c.sk, date, cr)
		if c.badSignature {
			sig = testSignature(c.sk+"x", date, cr)
		}
		req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+c.ak+", SignedHeaders="+signed+", Signature="+sig)
	}
	return req
}

// call makes one request to a started server and decodes a JSON body when there is one.
// A 5xx answer fails the test: no input may reach the last-resort 500.
func call(t *testing.T, s *Server, method, pathAndQuery string, c cred, body any) result {
	t.Helper()
	r := do(t, s, method, pathAndQuery, c, body)
	if r.status >= 500 {
		t.Errorf("%s %s: server error %d %s", method, pathAndQuery, r.status, r.raw)
	}
	return r
}

// do is call without the 5xx check, for injected faults.
func do(t *testing.T, s *Server, method, pathAndQuery string, c cred, body any) result {
	t.Helper()
	return sendReq(t, newTestRequest(t, s.URL(), method, pathAndQuery, c, bodyBytes(t, body)))
}

// sendReq sends an API request as built, decodes a JSON object body when there is one and
// checks the X-Request-Id header.
func sendReq(t *testing.T, req *http.Request) result {
	t.Helper()
	what := req.Method + " " + req.URL.RequestURI()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := result{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("%s: invalid JSON body %q: %v", what, raw, err)
		}
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("%s: no X-Request-Id header", what)
	}
	return r
}

// apiCase is one row of an error table: a request and the status and code it must get.
type apiCase struct {
	name   string
	path   string
	c      cred
	body   any
	status int
	code   string
}

// expect checks status and (when non-empty) the error code.
func expect(t *testing.T, r result, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
	if code != "" && r.code() != code {
		t.Fatalf("code = %q, want %q; body %s", r.code(), code, r.raw)
	}
}

func membersPath(project, backup string) string {
	return "/v3/" + project + "/backups/" + backup + "/members"
}

func memberPath(project, backup, member string) string {
	return membersPath(project, backup) + "/" + member
}
