package client

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Endpoints holds the base URLs of the services, scheme://host[:port] with no
// API version: the client appends /v3/{project_id}/..., /v2/.... An empty field
// means https://{service}.{region}.myhuaweicloud.com.
type Endpoints struct{ CBR, VBS, IMS, IAM string }

// Config configures a Client. Exactly one credential kind must be set:
// AccessKey+SecretKey (optionally SecurityToken for temporary credentials),
// UserName+Password+DomainName, or Token.
type Config struct {
	Region, ProjectID                   string
	AccessKey, SecretKey, SecurityToken string
	UserName, Password, DomainName      string
	Token                               string

	// AuthURL is the IAM URL including /v3. Empty: Endpoints.IAM+"/v3" if
	// set, else https://iam.{region}.myhuaweicloud.com/v3.
	AuthURL   string
	Endpoints Endpoints
	// Insecure skips TLS verification (test endpoints with self-signed certificates).
	Insecure bool
	// MaxRetries is the number of retries after the first attempt; 0 means none.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff; 0 means 1s and 30s.
	RetryWaitMin, RetryWaitMax time.Duration
	// UserAgent is sent on every request; empty means "terraform-provider-cbr".
	UserAgent string
	// HTTPClient, if set, supplies the base transport and timeout (tests);
	// Insecure then applies only if its Transport is nil. Redirects are
	// never followed, so credentials cannot leak to another host.
	HTTPClient *http.Client
}

const (
	defaultUserAgent    = "terraform-provider-cbr"
	defaultRetryWaitMin = time.Second
	defaultRetryWaitMax = 30 * time.Second
	defaultDomain       = "myhuaweicloud.com"
)

// ConfigError is a configuration problem the user must fix. Attributes are
// the provider argument names involved (e.g. "access_key"); the provider
// maps them to attribute paths and environment variable names.
type ConfigError struct {
	Summary    string
	Detail     string
	Attributes []string
}

// Error implements error.
func (e *ConfigError) Error() string {
	if e.Detail == "" {
		return e.Summary
	}
	return e.Summary + ": " + e.Detail
}

func configErr(summary, detail string, attrs ...string) *ConfigError {
	return &ConfigError{Summary: summary, Detail: detail, Attributes: attrs}
}

type authKind int

const (
	authAKSK authKind = iota + 1
	authPassword
	authToken
)

// regionRe keeps the region usable as a host name label sequence.
var regionRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$`)

// checkCredentials returns the single credential kind configured.
func checkCredentials(cfg *Config) (authKind, error) {
	type kind struct {
		k        authKind
		name     string
		set      []string // attributes present
		unset    []string // required attributes missing
		required []string
	}
	attr := func(k *kind, name, v string, required bool) {
		if v != "" {
			k.set = append(k.set, name)
		} else if required {
			k.unset = append(k.unset, name)
		}
		if required {
			k.required = append(k.required, name)
		}
	}
	aksk := &kind{k: authAKSK, name: "access key"}
	attr(aksk, "access_key", cfg.AccessKey, true)
	attr(aksk, "secret_key", cfg.SecretKey, true)
	attr(aksk, "security_token", cfg.SecurityToken, false)
	pw := &kind{k: authPassword, name: "user name and password"}
	attr(pw, "user_name", cfg.UserName, true)
	attr(pw, "password", cfg.Password, true)
	attr(pw, "domain_name", cfg.DomainName, true)
	tok := &kind{k: authToken, name: "token"}
	attr(tok, "token", cfg.Token, true)

	var used []*kind
	for _, k := range []*kind{aksk, pw, tok} {
		if len(k.set) > 0 {
			used = append(used, k)
		}
	}
	switch len(used) {
	case 0:
		return 0, configErr("Missing Credentials",
			"No credentials are configured. Set exactly one of: access_key and secret_key (plus security_token for temporary credentials); user_name, password and domain_name; or token.",
			"access_key", "secret_key", "user_name", "password", "domain_name", "token")
	case 1:
	default:
		var names, attrs []string
		for _, k := range used {
			names = append(names, k.name+" ("+strings.Join(k.set, ", ")+")")
			attrs = append(attrs, k.set...)
		}
		return 0, configErr("Conflicting Credentials",
			"More than one kind of credentials is configured: "+strings.Join(names, "; ")+". Set exactly one kind and unset the others.",
			attrs...)
	}
	k := used[0]
	if len(k.unset) > 0 {
		return 0, configErr("Incomplete Credentials",
			fmt.Sprintf("%s is set but %s is missing; %s credentials need %s.",
				strings.Join(k.set, ", "), strings.Join(k.unset, ", "), k.name, strings.Join(k.required, ", ")),
			k.unset...)
	}
	return k.k, nil
}

// versionSegment matches an API version path segment such as v3 or v1.0.
var versionSegment = regexp.MustCompile(`^v[0-9]+(\.[0-9]+)?$`)

// CheckEndpoint validates a service base URL (endpoints.cbr, ...) as the
// provider's plan-time validator and New both do. The client appends the API
// version itself (/v3/{project_id}/..., /v2/...), so a version in the path
// would be sent twice and reach an API that does not exist.
func CheckEndpoint(attr, raw string) error {
	_, err := normalizeBaseURL(attr, raw)
	if err != nil {
		return err
	}
	u, _ := url.Parse(strings.TrimSpace(raw))
	for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
		if versionSegment.MatchString(seg) {
			return configErr("Invalid URL", fmt.Sprintf("%s %q contains the API version path %q, which the provider appends itself "+
				"(for example /v3/{project_id}/backups/...). Drop the path: use %s://%s.", attr, raw, u.Path, u.Scheme, u.Host), attr)
		}
	}
	return nil
}

// CheckAuthURL validates auth_url, which includes the IAM version (/v3) and
// nothing after it: the client appends /auth/tokens and /auth/projects.
func CheckAuthURL(raw string) error {
	if _, err := normalizeBaseURL("auth_url", raw); err != nil {
		return err
	}
	u, _ := url.Parse(strings.TrimSpace(raw))
	p := strings.TrimRight(u.Path, "/")
	switch {
	case strings.HasSuffix(p, "/v3"):
		return nil
	case strings.Contains(p, "/v3/"):
		return configErr("Invalid URL", fmt.Sprintf("auth_url %q goes on after /v3; the provider appends /auth/tokens and /auth/projects itself. "+
			"Drop the path after /v3: use %s://%s%s.", raw, u.Scheme, u.Host, p[:strings.Index(p, "/v3/")+3]), "auth_url")
	default:
		return configErr("Invalid URL", fmt.Sprintf("auth_url %q must end with the IAM version /v3, e.g. https://iam.cn-north-4.myhuaweicloud.com/v3. "+
			"To give only the host, set endpoints.iam instead.", raw), "auth_url")
	}
}

// normalizeBaseURL validates a base URL (http/https, host present, no query
// or fragment), drops a trailing slash and the scheme's default port so that
// the Host we sign equals the Host Go sends.
func normalizeBaseURL(attr, raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", configErr("Invalid URL", fmt.Sprintf("%s %q is not a valid URL: %v. Use scheme://host[:port], e.g. https://cbr.cn-north-4.myhuaweicloud.com.", attr, raw, err), attr)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", configErr("Invalid URL", fmt.Sprintf("%s %q must start with https:// or http://.", attr, raw), attr)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", configErr("Invalid URL", fmt.Sprintf("%s %q has no host.", attr, raw), attr)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", configErr("Invalid URL", fmt.Sprintf("%s %q must not contain a query, fragment or user info.", attr, raw), attr)
	}
	if p := u.Port(); (u.Scheme == "https" && p == "443") || (u.Scheme == "http" && p == "80") {
		u.Host = u.Hostname()
		if strings.Contains(u.Host, ":") { // IPv6 literal
			u.Host = "[" + u.Host + "]"
		}
	} else if p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", configErr("Invalid URL", fmt.Sprintf("%s %q has an invalid port.", attr, raw), attr)
		}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// resolved is the validated, defaulted configuration.
type resolved struct {
	kind      authKind
	endpoints map[Service]string // IAM maps to the auth URL (including /v3)
	waitMin   time.Duration
	waitMax   time.Duration
}

func resolveConfig(cfg *Config) (*resolved, error) {
	cfg.Region = strings.TrimSpace(cfg.Region)
	cfg.ProjectID = strings.TrimSpace(cfg.ProjectID)
	kind, err := checkCredentials(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, configErr("Missing Region", "region is required: it selects the default endpoints and the project. Set region, e.g. \"cn-north-4\".", "region")
	}
	if !regionRe.MatchString(cfg.Region) {
		return nil, configErr("Invalid Region", fmt.Sprintf("region %q must contain only letters, digits, '-' and '.', e.g. \"cn-north-4\".", cfg.Region), "region")
	}
	if cfg.MaxRetries < 0 {
		return nil, configErr("Invalid Retry Setting", fmt.Sprintf("max_retries must be 0 or more, got %d.", cfg.MaxRetries), "max_retries")
	}
	r := &resolved{kind: kind, endpoints: map[Service]string{}, waitMin: cfg.RetryWaitMin, waitMax: cfg.RetryWaitMax}
	if r.waitMin <= 0 {
		r.waitMin = defaultRetryWaitMin
	}
	if r.waitMax <= 0 {
		r.waitMax = max(defaultRetryWaitMax, r.waitMin)
	}
	if r.waitMin > r.waitMax {
		return nil, configErr("Invalid Retry Setting", fmt.Sprintf("RetryWaitMin (%s) is longer than RetryWaitMax (%s); set RetryWaitMin to at most RetryWaitMax.", r.waitMin, r.waitMax))
	}
	for _, e := range []struct {
		svc  Service
		attr string
		v    string
	}{
		{ServiceCBR, "endpoints.cbr", cfg.Endpoints.CBR},
		{ServiceVBS, "endpoints.vbs", cfg.Endpoints.VBS},
		{ServiceIMS, "endpoints.ims", cfg.Endpoints.IMS},
	} {
		v := e.v
		if v == "" {
			v = fmt.Sprintf("https://%s.%s.%s", e.svc, cfg.Region, defaultDomain)
		} else if err := CheckEndpoint(e.attr, v); err != nil {
			return nil, err
		}
		if r.endpoints[e.svc], err = normalizeBaseURL(e.attr, v); err != nil {
			return nil, err
		}
	}
	auth := cfg.AuthURL
	switch {
	case auth != "":
		if err := CheckAuthURL(auth); err != nil {
			return nil, err
		}
		if r.endpoints[ServiceIAM], err = normalizeBaseURL("auth_url", auth); err != nil {
			return nil, err
		}
	case cfg.Endpoints.IAM != "":
		if err := CheckEndpoint("endpoints.iam", cfg.Endpoints.IAM); err != nil {
			return nil, err
		}
		base, err := normalizeBaseURL("endpoints.iam", cfg.Endpoints.IAM)
		if err != nil {
			return nil, err
		}
		r.endpoints[ServiceIAM] = base + "/v3"
	default:
		r.endpoints[ServiceIAM] = fmt.Sprintf("https://iam.%s.%s/v3", cfg.Region, defaultDomain)
	}
	return r, nil
}
