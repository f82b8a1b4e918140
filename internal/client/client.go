// Package client is the HTTP layer shared by the API families (cbr, vbs,
// ims): configuration and credentials, IAM tokens, AK/SK signing, retries,
// error parsing, pagination, timestamp normalisation and masked logging.
//
// How the pieces interlock, from the outside in:
//
//	Do ── token (password auth: one shared IAM request, renewed before expiry;
//	 │     one renewal + one replay of the call on a 401)
//	 └─ retryablehttp (429, 5xx except 501, connection errors; backoff with
//	     │             jitter, Retry-After, MaxRetries, context deadline)
//	     └─ transport (per attempt: auth headers, fresh X-Sdk-Date and
//	                   signature over the re-sent body, masked logging)
//
// Signing sits below retryablehttp, so every attempt carries a signature of
// its own; a retry never replays a stale X-Sdk-Date.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// Service names an API family; it selects the base URL.
type Service string

// The services. Paths of ServiceIAM requests are relative to the auth URL,
// which already ends in /v3 (e.g. "/auth/projects").
const (
	ServiceCBR Service = "cbr"
	ServiceVBS Service = "vbs"
	ServiceIMS Service = "ims"
	ServiceIAM Service = "iam"
)

// Request describes one API call for Do.
type Request struct {
	Service Service
	Method  string
	// Path is appended to the service's base URL, e.g. "/v3/" + projectID +
	// "/backups/" + backupID + "/members"; segments must already be escaped.
	Path  string
	Query url.Values
	// Body is JSON-encoded when non-nil.
	Body any
	// OKStatus lists the success statuses; empty means any 2xx. Anything
	// else becomes an *APIError.
	OKStatus []int
}

// Client talks to CBR, VBS, IMS and IAM with one set of credentials. It is
// safe for concurrent use.
type Client struct {
	cfg       Config
	kind      authKind
	endpoints map[Service]string
	projectID string
	userAgent string

	maxRetries       int
	waitMin, waitMax time.Duration

	http   *http.Client
	tokens *tokenSource // password auth only
	now    func() time.Time

	secretsMu sync.Mutex
	secrets   []string // values masked in logs and scrubbed from errors
}

// New validates cfg (exactly one credential kind, URLs, retry settings),
// applies defaults and resolves the project ID: cfg.ProjectID, else the
// token's project scope, else the IAM project named after the region.
// Configuration mistakes are *ConfigError.
func New(ctx context.Context, cfg Config) (*Client, error) {
	r, err := resolveConfig(&cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:        cfg,
		kind:       r.kind,
		endpoints:  r.endpoints,
		projectID:  cfg.ProjectID,
		userAgent:  cfg.UserAgent,
		maxRetries: cfg.MaxRetries,
		waitMin:    r.waitMin,
		waitMax:    r.waitMax,
		now:        time.Now,
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	c.addSecrets(cfg.SecretKey, cfg.SecurityToken, cfg.Password, cfg.Token)
	c.http = newHTTPClient(c, cfg)
	if c.kind == authPassword {
		// The token is registered as a secret by fetchPasswordToken itself.
		c.tokens = newTokenSource(c.fetchPasswordToken, func() time.Time { return c.now() })
	}
	if c.projectID == "" {
		if c.projectID, err = c.resolveProjectID(ctx); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ProjectID is the project every project-scoped call runs in.
func (c *Client) ProjectID() string { return c.projectID }

// Region is the configured region.
func (c *Client) Region() string { return c.cfg.Region }

// Do performs req and decodes a JSON response body into out (when out is
// non-nil and the body is not empty).
//
// Retries: 429, 5xx (except 501) and connection failures are retried up to
// MaxRetries times. A retried POST may have succeeded the first time (the
// answer was lost), so callers must make creates idempotent, e.g. by
// treating "already exists" codes as success.
func (c *Client) Do(ctx context.Context, req Request, out any) error {
	if c == nil {
		return errors.New("client is not configured")
	}
	base, ok := c.endpoints[req.Service]
	if !ok {
		return fmt.Errorf("unknown service %q", req.Service)
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	u := base + req.Path
	if len(req.Query) > 0 {
		u += "?" + req.Query.Encode()
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = json.Marshal(req.Body); err != nil {
			return fmt.Errorf("encoding %s %s request body: %w", method, u, err)
		}
	}
	spec := &callSpec{service: req.Service, method: method, url: u, body: body, logBody: body, auth: true}
	res, err := c.call(ctx, spec)
	if err != nil {
		return err
	}
	if !statusOK(res.status, req.OKStatus) {
		return c.apiError(spec, res)
	}
	return decodeJSON(spec, res, out)
}

// call sends spec with credentials and handles token renewal: a 401 on a
// token this client obtained renews it (once, shared with concurrent
// callers) and replays the call once. Non-2xx answers are returned, not
// turned into errors, so that callers decide what success is.
func (c *Client) call(ctx context.Context, spec *callSpec) (*response, error) {
	for try := 0; ; try++ {
		if spec.auth {
			switch c.kind {
			case authPassword:
				tok, err := c.tokens.token(ctx, "")
				if err != nil {
					return nil, err
				}
				spec.token = tok
			case authToken:
				spec.token = c.cfg.Token
			}
		}
		res, err := c.send(ctx, spec)
		if err != nil {
			return nil, err
		}
		if res.status == http.StatusUnauthorized && try == 0 && spec.auth && c.kind == authPassword &&
			!c.parseError(spec, res).malformedURLQuirk() {
			logDebug(c.logCtx(ctx), "token rejected with HTTP 401; renewing it and retrying once", map[string]any{"method": spec.method, "url": spec.url})
			if _, err := c.tokens.token(ctx, spec.token); err != nil {
				return nil, err
			}
			continue
		}
		return res, nil
	}
}

func statusOK(status int, ok []int) bool {
	if len(ok) == 0 {
		return status >= 200 && status < 300
	}
	for _, s := range ok {
		if s == status {
			return true
		}
	}
	return false
}

// apiError turns a failed response into *APIError (wrapped in *RetryError
// when retries were exhausted). Secrets the server may echo (the gateway
// repeats the canonical request, signed headers included) are scrubbed.
func (c *Client) apiError(spec *callSpec, res *response) error {
	// The raw body is scrubbed before parsing so that a text body cut at
	// maxErrorText cannot keep the start of a long secret (security tokens
	// run to kilobytes); the message is scrubbed again for secrets that the
	// JSON encoding had escaped.
	e := c.parseError(spec, res)
	e.Message = withoutCanonicalRequest(c.scrub(e.Message))
	if e.StatusCode == http.StatusUnauthorized && !e.malformedURLQuirk() {
		e.Credentials = c.credentialArgs()
	}
	if res.exhausted {
		return &RetryError{Attempts: res.attempts, Deadline: res.deadline, Err: e}
	}
	return e
}

// parseError parses a failed answer of spec's service.
func (c *Client) parseError(spec *callSpec, res *response) *APIError {
	e := parseAPIError(res.status, res.header, []byte(c.scrub(string(res.body))))
	e.Method, e.URL, e.Service = spec.method, spec.url, spec.service
	return e
}

// withoutCanonicalRequest drops the canonical request that the gateway
// appends to a signature failure (APIGW.0301): it is long, and it is for
// debugging a signer, not for a user who mistyped a key.
func withoutCanonicalRequest(msg string) string {
	if i := strings.Index(strings.ToLower(msg), "canonical"); i > 0 {
		return strings.TrimRight(msg[:i], " ,:;|")
	}
	return msg
}

// credentialArgs names the provider arguments of the credential kind in
// use, for a message about refused credentials.
func (c *Client) credentialArgs() []string {
	switch c.kind {
	case authPassword:
		return []string{"user_name", "password", "domain_name"}
	case authToken:
		return []string{"token"}
	}
	if c.cfg.SecurityToken != "" {
		return []string{"access_key", "secret_key", "security_token"}
	}
	return []string{"access_key", "secret_key"}
}

func decodeJSON(spec *callSpec, res *response, out any) error {
	if out == nil || len(bytes.TrimSpace(res.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(res.body, out); err != nil {
		rid := res.header.Get("X-Request-Id")
		return fmt.Errorf("decoding the response of %s %s (HTTP %d, request ID %q): %w", spec.method, spec.url, res.status, rid, err)
	}
	return nil
}

// callSpec is one logical call (all its attempts).
type callSpec struct {
	service Service
	method  string
	url     string
	body    []byte
	logBody []byte // what TRACE logs show: the body, or a redacted copy
	auth    bool   // add the client's credentials
	token   string // X-Auth-Token for this call (token and password auth)
	header  http.Header
}

// response is the final answer of a call after retries.
type response struct {
	status    int
	header    http.Header
	body      []byte
	attempts  int
	exhausted bool // the last answer was retryable but the budget/deadline ran out
	deadline  bool
}

// maxResponseBody bounds what is read into memory; the APIs return small JSON.
const maxResponseBody = 32 << 20

// send runs the retry loop for spec and reads the final response.
func (c *Client) send(ctx context.Context, spec *callSpec) (*response, error) {
	st := &callState{c: c, spec: spec}
	rc := c.retryClient(st)
	var body any // a []byte body is replayed from the start on every attempt
	if spec.body != nil {
		body = spec.body
	}
	rreq, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, stateKey{}, st), spec.method, spec.url, body)
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", spec.method, spec.url, err)
	}
	resp, err := rc.Do(rreq)
	if err != nil {
		switch {
		case st.fatal != nil:
			return nil, fmt.Errorf("%s %s: %w", spec.method, spec.url, st.fatal)
		case st.exhausted:
			return nil, fmt.Errorf("%s %s: %w", spec.method, spec.url, &RetryError{Attempts: st.attempts, Deadline: st.deadline, Err: stripURL(err)})
		case ctx.Err() != nil:
			return nil, fmt.Errorf("%s %s: %w (after %d attempts)", spec.method, spec.url, ctx.Err(), st.attempts)
		default:
			return nil, fmt.Errorf("%s %s: %w", spec.method, spec.url, stripURL(err))
		}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the response (HTTP %d): %w", spec.method, spec.url, resp.StatusCode, err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data, attempts: st.attempts, exhausted: st.exhausted, deadline: st.deadline}, nil
}

// stripURL drops the *url.Error wrapper (its text repeats method and URL,
// which the caller adds anyway) but keeps the cause for errors.Is.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// addSecrets registers values to mask in logs and scrub from error text.
func (c *Client) addSecrets(vals ...string) {
	c.secretsMu.Lock()
	defer c.secretsMu.Unlock()
	for _, v := range vals {
		if v == "" {
			continue
		}
		dup := false
		for _, s := range c.secrets {
			dup = dup || s == v
		}
		if !dup {
			c.secrets = append(c.secrets, v)
		}
	}
}

func (c *Client) secretValues() []string {
	c.secretsMu.Lock()
	defer c.secretsMu.Unlock()
	return append([]string(nil), c.secrets...)
}

func (c *Client) scrub(s string) string {
	for _, v := range c.secretValues() {
		s = strings.ReplaceAll(s, v, "***")
	}
	return s
}
