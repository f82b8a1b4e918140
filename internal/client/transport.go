package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sort"
	"strings"
	"time"

	cleanhttp "github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/backupshare/terraform-provider-cbr/internal/client/signer"
)

// newHTTPClient wraps the base transport with the authenticating, signing,
// logging transport. Redirects are not followed: a redirect to another host
// would otherwise receive our token or a fresh signature.
func newHTTPClient(c *Client, cfg Config) *http.Client {
	var base http.RoundTripper
	var timeout time.Duration
	if cfg.HTTPClient != nil {
		base, timeout = cfg.HTTPClient.Transport, cfg.HTTPClient.Timeout
	}
	if base == nil {
		t := cleanhttp.DefaultPooledTransport()
		t.ResponseHeaderTimeout = 2 * time.Minute // a hung attempt becomes a retryable error
		// Terraform runs 10 operations at a time by default: keep as many connections to each
		// service open, instead of closing most and dialing (and TLS handshaking) again.
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		if cfg.Insecure {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for it (insecure = true)
		}
		base = t
	}
	return &http.Client{
		Transport:     &transport{c: c, base: base},
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// maxIdleConnsPerHost is above Terraform's default parallelism (10).
const maxIdleConnsPerHost = 16

// transport runs below retryablehttp, so everything here happens once per
// attempt: credentials, a fresh X-Sdk-Date and signature over the body that
// is re-sent, and the per-attempt log lines.
type transport struct {
	c    *Client
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper. It never modifies req.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	st := stateFrom(req.Context())
	if st == nil {
		return t.base.RoundTrip(req)
	}
	st.attempts++
	c, spec := t.c, st.spec
	r := req.Clone(req.Context())
	r.Header.Set("User-Agent", c.userAgent)
	r.Header.Set("Accept", "application/json")
	if len(spec.body) > 0 {
		r.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	if spec.service == ServiceCBR {
		r.Header.Set("X-Language", "en-us") // English error messages
	}
	for k, v := range spec.header {
		r.Header[k] = append([]string(nil), v...)
	}
	if spec.auth {
		if err := c.authenticate(r, spec); err != nil {
			st.fatal = err
			return nil, err
		}
	}

	// Masking and log fields are costly: build them only when DEBUG logs are on.
	if !tflog.IsDebug(req.Context()) {
		return t.base.RoundTrip(r)
	}
	ctx := c.logCtx(req.Context())
	fields := map[string]any{"method": spec.method, "url": spec.url, "attempt": st.attempts, "service": string(spec.service)}
	logDebug(ctx, "Sending API request", fields)
	if tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "API request details", map[string]any{
			"method": spec.method, "url": spec.url, "attempt": st.attempts,
			"headers": formatHeaders(r.Header), "body": string(spec.logBody),
		})
	}

	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	fields["duration_ms"] = time.Since(start).Milliseconds()
	if err != nil {
		fields["error"] = err.Error()
		logDebug(ctx, "API request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	fields["request_id"] = resp.Header.Get("X-Request-Id")
	logDebug(ctx, "Received API response", fields)
	if tflog.IsTrace(ctx) {
		resp.Body = traceBody(ctx, resp, fields)
	}
	return resp, nil
}

// authenticate adds the credentials to one attempt. For AK/SK the project
// and security-token headers are set first so that the signature covers them.
func (c *Client) authenticate(r *http.Request, spec *callSpec) error {
	switch c.kind {
	case authAKSK:
		if spec.service != ServiceIAM && c.projectID != "" {
			r.Header.Set("X-Project-Id", c.projectID)
		}
		if c.cfg.SecurityToken != "" {
			r.Header.Set("X-Security-Token", c.cfg.SecurityToken)
		}
		r.Header.Del(signer.HeaderDate) // each attempt is signed afresh
		if err := signer.Sign(r, spec.body, c.cfg.AccessKey, c.cfg.SecretKey, c.now()); err != nil {
			return fmt.Errorf("signing the request: %w", err)
		}
	case authPassword, authToken:
		if spec.token != "" {
			r.Header.Set("X-Auth-Token", spec.token)
		}
	}
	return nil
}

// maxLoggedBody bounds a TRACE body.
const maxLoggedBody = 64 << 10

// traceBody logs the response body at TRACE and returns an equivalent body
// for the caller.
func traceBody(ctx context.Context, resp *http.Response, fields map[string]any) io.ReadCloser {
	buf, err := io.ReadAll(io.LimitReader(resp.Body, maxLoggedBody))
	rest := io.Reader(resp.Body)
	if err != nil {
		rest = errReader{err}
	}
	tflog.Trace(ctx, "API response details", map[string]any{
		"url": fields["url"], "status": resp.StatusCode, "attempt": fields["attempt"],
		"headers": formatHeaders(resp.Header), "body": string(buf),
	})
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(buf), rest), resp.Body}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// sensitiveHeaders never appear in logs, whatever masking is configured.
var sensitiveHeaders = map[string]bool{
	"Authorization":    true,
	"X-Auth-Token":     true,
	"X-Subject-Token":  true,
	"X-Security-Token": true,
}

func formatHeaders(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			v = "***"
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k + ": " + v)
	}
	return b.String()
}

// logCtx masks every secret the client knows (configured ones and tokens
// obtained from IAM) in messages and string fields.
func (c *Client) logCtx(ctx context.Context) context.Context {
	s := c.secretValues()
	if len(s) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, s...)
	return tflog.MaskAllFieldValuesStrings(ctx, s...)
}

// logDebug logs a copy of fields: tflog masks field maps in place.
func logDebug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, maps.Clone(fields))
}
