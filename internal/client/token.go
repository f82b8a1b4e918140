package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

const (
	// renewMargin: a token is renewed this long before expires_at (or 10% of
	// its lifetime, if shorter), so a call never starts with a token about
	// to lapse mid-flight.
	renewMargin = 5 * time.Minute
	// tokenFetchTimeout bounds the shared token request, which runs detached
	// from the first caller's cancellation because others wait on it too.
	tokenFetchTimeout = 5 * time.Minute
)

// tokenInfo is what IAM returned for a token request.
type tokenInfo struct {
	token     string
	expiresAt time.Time // zero: unknown, rely on 401 renewal
	projectID string
}

// tokenSource holds the password-auth IAM token. All callers share one
// in-flight request (no thundering herd), and a stale token is replaced only
// once however many callers saw it fail.
type tokenSource struct {
	fetch func(context.Context) (tokenInfo, error)
	now   func() time.Time

	mu      sync.Mutex
	cur     tokenInfo
	renewAt time.Time
	flight  *tokenFlight
}

type tokenFlight struct {
	done chan struct{}
	info tokenInfo
	err  error
}

func newTokenSource(fetch func(context.Context) (tokenInfo, error), now func() time.Time) *tokenSource {
	return &tokenSource{fetch: fetch, now: now}
}

// token returns a valid token. stale is a token a caller saw rejected: if it
// is still the current one it is replaced, otherwise the newer one is
// returned without another request.
func (s *tokenSource) token(ctx context.Context, stale string) (string, error) {
	info, err := s.get(ctx, stale)
	return info.token, err
}

func (s *tokenSource) get(ctx context.Context, stale string) (tokenInfo, error) {
	s.mu.Lock()
	if s.cur.token != "" && s.cur.token != stale && (s.renewAt.IsZero() || s.now().Before(s.renewAt)) {
		info := s.cur
		s.mu.Unlock()
		return info, nil
	}
	f := s.flight
	if f == nil {
		f = &tokenFlight{done: make(chan struct{})}
		s.flight = f
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tokenFetchTimeout)
		go func() {
			defer cancel()
			info, err := s.fetch(fctx)
			s.mu.Lock()
			if err == nil {
				s.cur = info
				s.renewAt = renewTime(s.now(), info.expiresAt)
			}
			s.flight = nil
			s.mu.Unlock()
			f.info, f.err = info, err
			close(f.done)
		}()
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.info, f.err
	case <-ctx.Done():
		return tokenInfo{}, fmt.Errorf("waiting for an IAM token: %w", ctx.Err())
	}
}

// renewTime is expires_at minus min(renewMargin, 10% of the remaining lifetime).
func renewTime(now, expires time.Time) time.Time {
	if expires.IsZero() {
		return time.Time{}
	}
	margin := min(renewMargin, expires.Sub(now)/10)
	if margin < 0 {
		margin = 0
	}
	t := expires.Add(-margin)
	if !t.After(now) {
		// Already (nearly) expired by our clock: use it once rather than
		// refetching forever; a 401 will renew it.
		return now.Add(time.Second)
	}
	return t
}

// iamTokenBody is the part of an IAM token response we use.
type iamTokenBody struct {
	Token struct {
		ExpiresAt *string `json:"expires_at"`
		Project   *struct {
			ID   *string `json:"id"`
			Name *string `json:"name"`
		} `json:"project"`
	} `json:"token"`
}

func (b *iamTokenBody) projectID() string {
	if b.Token.Project == nil {
		return ""
	}
	return StringValue(b.Token.Project.ID)
}

type passwordAuth struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password struct {
				User struct {
					Name     string `json:"name"`
					Password string `json:"password"`
					Domain   struct {
						Name string `json:"name"`
					} `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope struct {
			Project map[string]string `json:"project"`
		} `json:"scope"`
	} `json:"auth"`
}

// fetchPasswordToken asks IAM for a project-scoped token: by project ID
// when known, else by the project named after the region.
func (c *Client) fetchPasswordToken(ctx context.Context) (tokenInfo, error) {
	var a passwordAuth
	a.Auth.Identity.Methods = []string{"password"}
	a.Auth.Identity.Password.User.Name = c.cfg.UserName
	a.Auth.Identity.Password.User.Domain.Name = c.cfg.DomainName
	if c.projectID != "" {
		a.Auth.Scope.Project = map[string]string{"id": c.projectID}
	} else {
		a.Auth.Scope.Project = map[string]string{"name": c.cfg.Region}
	}
	a.Auth.Identity.Password.User.Password = "***"
	redacted, _ := json.Marshal(a) // what logs show
	a.Auth.Identity.Password.User.Password = c.cfg.Password
	body, err := json.Marshal(a)
	if err != nil {
		return tokenInfo{}, err
	}
	spec := &callSpec{
		service: ServiceIAM, method: http.MethodPost,
		url:  c.endpoints[ServiceIAM] + "/auth/tokens?nocatalog=true",
		body: body, logBody: redacted,
	}
	what := fmt.Sprintf("obtaining an IAM token for user %q of domain %q", c.cfg.UserName, c.cfg.DomainName)
	res, err := c.send(ctx, spec)
	if err != nil {
		return tokenInfo{}, fmt.Errorf("%s: %w", what, err)
	}
	if res.status != http.StatusCreated && res.status != http.StatusOK {
		return tokenInfo{}, fmt.Errorf("%s: %w", what, c.apiError(spec, res))
	}
	tok := strings.TrimSpace(res.header.Get("X-Subject-Token"))
	if tok == "" {
		return tokenInfo{}, fmt.Errorf("%s: IAM answered HTTP %d without an X-Subject-Token header", what, res.status)
	}
	c.addSecrets(tok) // before anything else can log it
	var tb iamTokenBody
	_ = json.Unmarshal(res.body, &tb) // a token without a readable body still works
	info := tokenInfo{token: tok, projectID: tb.projectID()}
	if ts, ok := parseTime(StringValue(tb.Token.ExpiresAt)); ok {
		info.expiresAt = ts
	}
	logDebug(c.logCtx(ctx), "Obtained IAM token", map[string]any{"expires_at": StringValue(tb.Token.ExpiresAt), "project_id": info.projectID})
	return info, nil
}

// tokenProject asks IAM for the project scope of the configured token.
func (c *Client) tokenProject(ctx context.Context) (string, error) {
	spec := &callSpec{
		service: ServiceIAM, method: http.MethodGet, auth: true,
		url:    c.endpoints[ServiceIAM] + "/auth/tokens?nocatalog=true",
		header: http.Header{"X-Subject-Token": {c.cfg.Token}},
	}
	res, err := c.call(ctx, spec)
	if err != nil {
		return "", err
	}
	if res.status != http.StatusOK {
		return "", c.apiError(spec, res)
	}
	var tb iamTokenBody
	if err := json.Unmarshal(res.body, &tb); err != nil {
		return "", fmt.Errorf("decoding the IAM token validation response: %w", err)
	}
	return tb.projectID(), nil
}

// projectByName looks the region's project up in IAM (works with AK/SK and tokens).
func (c *Client) projectByName(ctx context.Context, name string) (string, error) {
	var out struct {
		Projects []struct {
			ID   *string `json:"id"`
			Name *string `json:"name"`
		} `json:"projects"`
	}
	err := c.Do(ctx, Request{Service: ServiceIAM, Path: "/auth/projects", Query: url.Values{"name": {name}}}, &out)
	if err != nil {
		return "", err
	}
	for _, p := range out.Projects {
		if StringValue(p.Name) == name && StringValue(p.ID) != "" {
			return StringValue(p.ID), nil
		}
	}
	return "", nil
}

// resolveProjectID finds the project when none is configured.
func (c *Client) resolveProjectID(ctx context.Context) (string, error) {
	var id string
	var scopeErr error
	switch c.kind {
	case authPassword:
		info, err := c.tokens.get(ctx, "")
		if err != nil {
			return "", err // wrong credentials: nothing else can work
		}
		id = info.projectID
	case authToken:
		// Validating a token may need extra permissions: fall back to the
		// project list if it fails, and report both if neither works.
		id, scopeErr = c.tokenProject(ctx)
	}
	if id != "" {
		return id, nil
	}
	id, err := c.projectByName(ctx, c.cfg.Region)
	var ae *APIError
	if errors.As(err, &ae) && len(ae.Credentials) > 0 {
		return "", err // refused credentials: project_id is not what to fix
	}
	if err != nil {
		err = errors.Join(scopeErr, err)
		return "", &ConfigError{
			Summary:    "Cannot Determine Project ID",
			Detail:     fmt.Sprintf("Looking up the project of region %q in IAM failed: %v. Set project_id.", c.cfg.Region, err),
			Attributes: []string{"project_id"},
		}
	}
	if id == "" {
		return "", &ConfigError{
			Summary:    "Cannot Determine Project ID",
			Detail:     fmt.Sprintf("IAM lists no project named %q for these credentials. Set project_id, or check region.", c.cfg.Region),
			Attributes: []string{"project_id"},
		}
	}
	return id, nil
}
