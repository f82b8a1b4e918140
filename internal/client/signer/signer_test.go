package signer

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestVector1SDKGet(t *testing.T) {
	h := http.Header{}
	h.Set("X-Sdk-Date", "20060102T150405Z")
	h["TEST_UNDERSCORE"] = []string{"TEST_VALUE"}
	signed := SignedHeaderNames(h)
	if got := strings.Join(signed, ";"); got != "x-sdk-date" {
		t.Fatalf("signed headers = %q", got)
	}
	cr := CanonicalRequest("GET", mustURL(t, "https://example.huaweicloud.com/path?limit=1"), h, signed, PayloadHash(h, nil))
	wantCR := "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if cr != wantCR {
		t.Fatalf("canonical request:\n%q\nwant\n%q", cr, wantCR)
	}
	sts := StringToSign(cr, "20060102T150405Z")
	if want := "SDK-HMAC-SHA256\n20060102T150405Z\n85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4"; sts != want {
		t.Fatalf("string to sign %q, want %q", sts, want)
	}
	auth := AuthorizationHeader("AccessKey", signed, Signature("SecretKey", sts))
	if want := "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"; auth != want {
		t.Fatalf("authorization %q, want %q", auth, want)
	}
}

func TestVector2SDKPost(t *testing.T) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(struct {
		Name string
		Id   int
	}{"test", 1}); err != nil {
		t.Fatal(err)
	}
	body := buf.Bytes()
	if string(body) != "{\"Name\":\"test\",\"Id\":1}\n" {
		t.Fatalf("body %q", body)
	}
	h := http.Header{}
	h.Set("X-Sdk-Date", "20060102T150405Z")
	h.Set("Content-Type", "application/json")
	if got := PayloadHash(h, body); got != "a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289" {
		t.Fatalf("payload hash %s", got)
	}
	signed := SignedHeaderNames(h)
	cr := CanonicalRequest("POST", mustURL(t, "https://example.huaweicloud.com/path?key=value"), h, signed, PayloadHash(h, body))
	sig := Signature("SecretKey", StringToSign(cr, "20060102T150405Z"))
	if sig != "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59" {
		t.Fatalf("signature %s\ncanonical request %q", sig, cr)
	}
}

func TestVector3APIG(t *testing.T) {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Host", "service.region.example.com")
	h.Set("X-Sdk-Date", "20191115T033655Z")
	signed := []string{"content-type", "host", "x-sdk-date"} // APIG signs content-type too
	u := mustURL(t, "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0")
	cr := CanonicalRequest("GET", u, h, signed, PayloadHash(h, nil))
	wantCR := "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
		"content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n" +
		"content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if cr != wantCR {
		t.Fatalf("canonical request:\n%q\nwant\n%q", cr, wantCR)
	}
	sts := StringToSign(cr, "20191115T033655Z")
	if want := "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"; sts != want {
		t.Fatalf("string to sign %q", sts)
	}
	auth := AuthorizationHeader("QTWAOYTTINDUT2QVKYUC", signed, Signature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", sts))
	if want := "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"; auth != want {
		t.Fatalf("authorization %q", auth)
	}
}

func TestCanonicalQueryEscaping(t *testing.T) {
	q := url.Values{}
	q.Set("limit", "1")
	q.Set("enable", "true")
	q.Set("test", "一 (&=?!#%.*)")
	q.Set("path", "/tmp/123")
	q["multi"] = []string{"3", "1", "2"}
	want := "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
	if got := CanonicalQueryString(q); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := CanonicalQueryString(nil); got != "" {
		t.Fatalf("empty query gave %q", got)
	}
}

func TestCanonicalURI(t *testing.T) {
	for in, want := range map[string]string{
		"":            "/",
		"/":           "/",
		"/path":       "/path/",
		"/a b/c:d/":   "/a%20b/c%3Ad/",
		"/v3/p/x~y_z": "/v3/p/x~y_z/",
	} {
		if got := CanonicalURI(in); got != want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSignEndToEnd signs a request and verifies it the way a gateway does:
// trusting SignedHeaders and recomputing.
func TestSignEndToEnd(t *testing.T) {
	body := []byte(`{"members":["p1"]}`)
	req, _ := http.NewRequest("POST", "https://cbr.cn-north-4.example.com/v3/p0/backups/b1/members?x=1", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("X-Project-Id", "p0")
	req.Header.Set("X-Security-Token", "tok")
	req.Header["SOME_UNDERSCORE"] = []string{"v"}
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("x", 3600))
	if err := Sign(req, body, "AK", "SK", now); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get(HeaderDate); got != "20240506T060809Z" {
		t.Fatalf("date %q", got)
	}
	auth := req.Header.Get("Authorization")
	want := "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature="
	if !strings.HasPrefix(auth, want) {
		t.Fatalf("authorization %q", auth)
	}
	h := req.Header.Clone()
	h.Del("Authorization")
	h.Set("Host", "cbr.cn-north-4.example.com")
	signed := strings.Split("host;x-project-id;x-sdk-date;x-security-token", ";")
	sig := Signature("SK", StringToSign(CanonicalRequest("POST", req.URL, h, signed, PayloadHash(h, body)), "20240506T060809Z"))
	if auth != want+sig {
		t.Fatalf("verification failed: %q vs %q", auth, want+sig)
	}

	// An existing X-Sdk-Date is kept (the SDK's behaviour).
	req2, _ := http.NewRequest("GET", "https://h/p", nil)
	req2.Header.Set(HeaderDate, "20060102T150405Z")
	if err := Sign(req2, nil, "AK", "SK", now); err != nil {
		t.Fatal(err)
	}
	if req2.Header.Get(HeaderDate) != "20060102T150405Z" {
		t.Fatal("existing X-Sdk-Date overwritten")
	}
	if err := Sign(req2, nil, "", "SK", now); err == nil {
		t.Fatal("want error for empty AK")
	}
}
