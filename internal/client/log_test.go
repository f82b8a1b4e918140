package client

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// syncBuffer: the token request may log from its own goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestLogsNeverContainSecrets(t *testing.T) {
	f := newFakeCloud(t)
	f.service = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-log-1")
		if r.URL.Path == "/echo" {
			// A gateway echoing the canonical request, secrets included.
			writeJSON(w, 400, `{"error_code":"APIGW.0301","error_msg":"canonical: x-security-token:`+r.Header.Get("X-Security-Token")+`|x-auth-token:`+r.Header.Get("X-Auth-Token")+`"}`)
			return
		}
		writeJSON(w, 200, `{"echo":"`+r.Header.Get("X-Auth-Token")+`"}`)
	}
	var buf syncBuffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)

	var errTexts []string
	for _, kind := range []string{"password", "temp", "token"} {
		c, err := New(ctx, f.config(kind))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Do(ctx, Request{Service: ServiceCBR, Method: http.MethodPost, Path: "/ok", Body: map[string]string{"a": "b"}}, nil); err != nil {
			t.Fatal(err)
		}
		err = c.Do(ctx, Request{Service: ServiceCBR, Path: "/echo"}, nil)
		if err == nil {
			t.Fatal("want error")
		}
		errTexts = append(errTexts, err.Error())
	}
	f.mu.Lock()
	secrets := append([]string{testPassword, testSK, testSecToken, testToken}, f.issued...)
	f.mu.Unlock()

	out := buf.String()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log contains secret %q", s)
		}
		for _, e := range errTexts {
			if strings.Contains(e, s) {
				t.Errorf("error %q contains secret %q", e, s)
			}
		}
	}
	for _, want := range []string{
		`\"password\":\"***\"`,     // redacted IAM body
		"X-Auth-Token: ***",        // masked header
		"Authorization: ***",       // signed request
		"X-Security-Token: ***",    //
		"X-Subject-Token: ***",     // IAM request (token validation) and response header
		`"request_id":"rid-log-1"`, // DEBUG response fields
		`"status":400`,             //
		`"attempt":1`,              //
		`"duration_ms":`,           //
		`"@level":"trace"`,         // bodies at TRACE
		`{\"echo\":\"***\"}`,       // token echoed in a body is masked
		`x-security-token:***|`,    // echoed security token masked
		`"@message":"Obtained IAM token"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	// The token IAM issues is masked in the TRACE response headers of
	// POST /v3/auth/tokens, before the client has registered it as a secret.
	masked := false
	for _, line := range strings.Split(out, "\n") {
		masked = masked || strings.Contains(line, `"@message":"API response details"`) && strings.Contains(line, "X-Subject-Token: ***")
	}
	if !masked {
		t.Error("no TRACE response line shows X-Subject-Token: ***")
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestScrubSecretsFromErrors(t *testing.T) {
	c := &Client{}
	c.addSecrets(testSK, testPassword, "", testSK)
	if got := c.scrub("a " + testSK + " b " + testPassword); got != "a *** b ***" {
		t.Fatal(got)
	}
	if len(c.secretValues()) != 2 {
		t.Fatal("duplicates or empty values registered")
	}
}

// A text error body is cut at maxErrorText; a secret straddling the cut must
// not leave its beginning in the error.
func TestScrubSecretsBeforeTruncating(t *testing.T) {
	c := &Client{}
	c.addSecrets(testSecToken)
	body := strings.Repeat("x", maxErrorText-10) + " " + testSecToken + " tail"
	err := c.apiError(&callSpec{method: http.MethodGet, url: "https://h/x"}, &response{status: 400, body: []byte(body)})
	if strings.Contains(err.Error(), testSecToken[:9]) {
		t.Fatalf("error keeps the start of a secret: %v", err)
	}
}
