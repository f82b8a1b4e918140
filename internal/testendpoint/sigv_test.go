package testendpoint

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The published test vectors of the SDK-HMAC-SHA256 signing algorithm.
func TestSignatureVectors(t *testing.T) {
	type vector struct {
		name            string
		method, target  string
		headers         map[string]string
		body            string
		ak, sk          string
		signed          []string
		wantCanonical   string // "" = not published
		wantStringHash  string // hex(SHA256(canonical request)), "" = not published
		wantPayloadHash string
		wantSignature   string
	}
	vectors := []vector{
		{
			name: "sdk-get", method: "GET", target: "https://example.huaweicloud.com/path?limit=1",
			headers: map[string]string{"X-Sdk-Date": "20060102T150405Z", "TEST_UNDERSCORE": "TEST_VALUE"},
			ak:      "AccessKey", sk: "SecretKey", signed: []string{"x-sdk-date"},
			wantCanonical:  "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			wantStringHash: "85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4",
			wantSignature:  "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
		},
		{
			name: "sdk-post-json", method: "POST", target: "https://example.huaweicloud.com/path?key=value",
			headers: map[string]string{"X-Sdk-Date": "20060102T150405Z", "Content-Type": "application/json"},
			body:    "{\"Name\":\"test\",\"Id\":1}\n",
			ak:      "AccessKey", sk: "SecretKey", signed: []string{"x-sdk-date"},
			wantPayloadHash: "a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289",
			wantSignature:   "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
		},
		{
			name: "apig-published", method: "GET",
			target:  "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
			headers: map[string]string{"Content-Type": "application/json", "X-Sdk-Date": "20191115T033655Z"},
			ak:      "QTWAOYTTINDUT2QVKYUC", sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
			signed:         []string{"content-type", "host", "x-sdk-date"},
			wantCanonical:  "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			wantStringHash: "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
			wantSignature:  "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
		},
	}
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			r := httptest.NewRequest(v.method, v.target, strings.NewReader(v.body))
			for k, val := range v.headers {
				r.Header[k] = []string{val} // keep non-canonical names such as TEST_UNDERSCORE
			}
			body := []byte(v.body)
			date := v.headers["X-Sdk-Date"]
			cr := sigCanonicalRequest(r, body, v.signed)
			if v.wantCanonical != "" && cr != v.wantCanonical {
				t.Errorf("canonical request:\n%q\nwant\n%q", cr, v.wantCanonical)
			}
			if v.wantPayloadHash != "" && sigPayloadHash(r, body) != v.wantPayloadHash {
				t.Errorf("payload hash = %s, want %s", sigPayloadHash(r, body), v.wantPayloadHash)
			}
			sts := sigStringToSign(cr, date)
			if v.wantStringHash != "" && sts != "SDK-HMAC-SHA256\n"+date+"\n"+v.wantStringHash {
				t.Errorf("string to sign = %q", sts)
			}
			if got := sigSign(v.sk, sts); got != v.wantSignature {
				t.Errorf("signature = %s, want %s", got, v.wantSignature)
			}
			// The test signer must agree too, or it cannot be trusted in the other tests.
			var hs [][2]string
			for _, h := range v.signed {
				if h == "host" {
					hs = append(hs, [2]string{"host", r.Host})
				} else {
					hs = append(hs, [2]string{h, r.Header.Get(h)})
				}
			}
			tcr, _ := testCanonicalRequest(v.method, r.URL.Path, r.URL.Query(), hs, body)
			if got := testSignature(v.sk, date, tcr); got != v.wantSignature {
				t.Errorf("test signer signature = %s, want %s", got, v.wantSignature)
			}
			// The verifier accepts the request signed as published, and rejects a tampered one.
			auth := "SDK-HMAC-SHA256 Access=" + v.ak + ", SignedHeaders=" + strings.Join(v.signed, ";") + ", Signature=" + v.wantSignature
			a, err := parseSigAuthorization(auth)
			if err != nil {
				t.Fatal(err)
			}
			now, _ := time.Parse(sdkDateLayout, date)
			if err := verifySignature(r, body, a, v.sk, now.Add(time.Minute)); err != nil {
				t.Errorf("verifier rejected the published vector: %v", err)
			}
			if err := verifySignature(r, append(body, ' '), a, v.sk, now); err == nil {
				t.Error("verifier accepted a changed body")
			}
			if err := verifySignature(r, body, a, v.sk+"x", now); err == nil {
				t.Error("verifier accepted a wrong secret key")
			}
			if err := verifySignature(r, body, a, v.sk, now.Add(16*time.Minute)); err == nil {
				t.Error("verifier accepted a 16-minute skew")
			}
		})
	}
}

func TestCanonicalQueryEscaping(t *testing.T) {
	q := url.Values{"limit": {"1"}, "enable": {"true"}, "test": {"一 (&=?!#%.*)"}, "path": {"/tmp/123"}, "multi": {"3", "1", "2"}}
	want := "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
	if got := sigCanonicalQuery(q); got != want {
		t.Errorf("canonical query = %s\nwant %s", got, want)
	}
}

func TestCanonicalURI(t *testing.T) {
	for in, want := range map[string]string{"/": "/", "/path": "/path/", "/a b/c~d/": "/a%20b/c~d/", "/v3/x:y": "/v3/x%3Ay/"} {
		if got := sigCanonicalURI(in); got != want {
			t.Errorf("sigCanonicalURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalHeadersMultiValue(t *testing.T) {
	r := httptest.NewRequest("GET", "http://h.example/", nil)
	r.Header.Add("X-Multi", "b  ") // values sort before trimming, as in the SDK
	r.Header.Add("X-Multi", "a")
	r.Header.Set("X-Sdk-Date", "20060102T150405Z")
	got := sigCanonicalHeaders(r, []string{"host", "x-multi", "x-sdk-date"})
	want := "host:h.example\nx-multi:a\nx-multi:b\nx-sdk-date:20060102T150405Z\n"
	if got != want {
		t.Errorf("canonical headers = %q, want %q", got, want)
	}
}

func TestParseSigAuthorization(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	tests := []struct {
		in      string
		wantErr bool
	}{
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=" + sig, false},
		{"SDK-HMAC-SHA256 Signature=" + sig + ", Access=AK, SignedHeaders=host;x-sdk-date", false},
		{"SDK-HMAC-SHA256 Access=AK,SignedHeaders=x-sdk-date,Signature=" + sig, false},
		{"V11-HMAC-SHA256 Credential=AK/x, SignedHeaders=x-sdk-date, Signature=" + sig, true},
		{"Bearer abc", true},
		{"SDK-HMAC-SHA256", true},
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date", true},
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=" + strings.ToUpper(sig), true},
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=abc", true},
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=X-Sdk-Date, Signature=" + sig, true},
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;;b, Signature=" + sig, true},
		{"SDK-HMAC-SHA256 Access=AK, Access=AK, Signature=" + sig, true},
		{"SDK-HMAC-SHA256 Access=, SignedHeaders=x-sdk-date, Signature=" + sig, true},
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=" + sig + ", Extra=1", true},
		{"SDK-HMAC-SHA256 Foo=AK, SignedHeaders=x-sdk-date, Signature=" + sig, true},
	}
	for _, tc := range tests {
		a, err := parseSigAuthorization(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("parse(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
		}
		if err == nil && (a.AccessKey != "AK" || a.Signature != sig || len(a.SignedHeaders) == 0) {
			t.Errorf("parse(%q) = %+v", tc.in, a)
		}
	}
}

// The verifier trusts the client's SignedHeaders: a request that signs extra headers
// (here user-agent and host, as the APIG signer does) is accepted, and changing a signed
// header afterwards is caught.
func TestVerifyTrustsSignedHeaders(t *testing.T) {
	r := httptest.NewRequest("GET", "http://cbr.local:8080/v3/p/backups?b=2&a=1", nil)
	date := "20240102T030405Z"
	r.Header.Set("X-Sdk-Date", date)
	r.Header.Set("User-Agent", "test-agent")
	hs := [][2]string{{"host", "cbr.local:8080"}, {"user-agent", "test-agent"}, {"x-sdk-date", date}}
	cr, signed := testCanonicalRequest("GET", r.URL.Path, r.URL.Query(), hs, nil)
	a, err := parseSigAuthorization("SDK-HMAC-SHA256 Access=AK, SignedHeaders=" + signed + ", Signature=" + testSignature("SK", date, cr))
	if err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(sdkDateLayout, date)
	if err := verifySignature(r, nil, a, "SK", now); err != nil {
		t.Fatalf("rejected: %v", err)
	}
	r.Header.Set("User-Agent", "other")
	if err := verifySignature(r, nil, a, "SK", now); err == nil {
		t.Fatal("accepted a changed signed header")
	}
	r.Header.Set("User-Agent", "test-agent")
	r.Host = "evil.local:8080"
	if err := verifySignature(r, nil, a, "SK", now); err == nil {
		t.Fatal("accepted a changed host")
	}
	// X-Sdk-Content-Sha256 replaces the body hash.
	r2 := httptest.NewRequest("POST", "http://h/x", strings.NewReader("payload"))
	r2.Header.Set("X-Sdk-Date", date)
	r2.Header.Set(headerSDKSHA256, "UNSIGNED-PAYLOAD")
	cr2 := "POST\n/x/\n\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:" + date + "\n\nx-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"
	a2 := sigAuth{AccessKey: "AK", SignedHeaders: []string{"x-sdk-content-sha256", "x-sdk-date"}, Signature: testSignature("SK", date, cr2)}
	if err := verifySignature(r2, []byte("payload"), a2, "SK", now); err != nil {
		t.Fatalf("UNSIGNED-PAYLOAD rejected: %v", err)
	}
}

func FuzzParseSigAuthorization(f *testing.F) {
	sig := strings.Repeat("0f", 32)
	f.Add("SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=" + sig)
	f.Add("SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature=" + sig)
	f.Add("SDK-HMAC-SHA256 ,,")
	f.Add("SDK-HMAC-SHA256 Access==, SignedHeaders=;, Signature==")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		a, err := parseSigAuthorization(in)
		if err != nil {
			return
		}
		if a.AccessKey == "" || len(a.Signature) != 64 || !isLowerHex(a.Signature) || len(a.SignedHeaders) == 0 {
			t.Fatalf("accepted %q as %+v", in, a)
		}
		for _, h := range a.SignedHeaders {
			if h == "" || strings.ToLower(h) != h {
				t.Fatalf("accepted signed header %q", h)
			}
		}
		// Whatever parses must verify without panicking.
		r := httptest.NewRequest("GET", "http://h/p?q=1", nil)
		r.Header.Set("X-Sdk-Date", "20240102T030405Z")
		_ = verifySignature(r, nil, a, "SK", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	})
}
