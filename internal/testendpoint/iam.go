package testendpoint

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sort"
	"time"
)

// IAM (Keystone v3) subset: password tokens (KeystoneCreateUserTokenByPassword), token
// validation, project listing.

const iamTimeLayout = "2006-01-02T15:04:05.000000Z"

type iamRef struct {
	ID   *jstr `json:"id"`
	Name *jstr `json:"name"`
}

type iamTokenRequest struct {
	Auth *struct {
		Identity *struct {
			Methods  *[]jstr `json:"methods"`
			Password *struct {
				User *struct {
					ID       *jstr   `json:"id"`
					Name     *jstr   `json:"name"`
					Password *jstr   `json:"password"`
					Domain   *iamRef `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope *struct {
			Project *struct {
				ID     *jstr   `json:"id"`
				Name   *jstr   `json:"name"`
				Domain *iamRef `json:"domain"`
			} `json:"project"`
			Domain *iamRef `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

type iamIDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type iamScopedProject struct {
	Domain iamIDName `json:"domain"`
	ID     string    `json:"id"`
	Name   string    `json:"name"`
}

type iamTokenBody struct {
	Catalog   *[]catalogService `json:"catalog,omitempty"`
	ExpiresAt string            `json:"expires_at"`
	IssuedAt  string            `json:"issued_at"`
	Methods   []string          `json:"methods"`
	Project   *iamScopedProject `json:"project,omitempty"`
	Domain    *iamIDName        `json:"domain,omitempty"`
	Roles     []iamIDName       `json:"roles"`
	User      struct {
		Domain            iamIDName `json:"domain"`
		ID                string    `json:"id"`
		Name              string    `json:"name"`
		PasswordExpiresAt string    `json:"password_expires_at"`
	} `json:"user"`
}

const (
	iamBadBody   = "The request body is invalid"
	iamWrongPass = "The username or password is wrong."
	iamNoAccess  = "The request you have made requires authentication."
)

func str(p *jstr) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// resolveDomainRef finds a domain by id or name; ok is false when the ref matches nothing.
func (s *Server) resolveDomainRef(ref *iamRef) (*Domain, bool) {
	if ref == nil || (str(ref.ID) == "" && str(ref.Name) == "") {
		return nil, false
	}
	d := findFirst(s.w.Domains, func(d *Domain) bool {
		return (str(ref.ID) == "" || d.ID == str(ref.ID)) && (str(ref.Name) == "" || d.Name == str(ref.Name))
	})
	return d, d != nil
}

func (s *Server) iamCreateToken(rc *reqCtx) response {
	var req iamTokenRequest
	if err := decodeStrict(rc.body, &req); err != nil || req.Auth == nil || req.Auth.Identity == nil ||
		req.Auth.Identity.Methods == nil || req.Auth.Identity.Password == nil || req.Auth.Identity.Password.User == nil {
		return iamError(http.StatusBadRequest, iamBadBody)
	}
	if methods := *req.Auth.Identity.Methods; len(methods) != 1 || methods[0] != "password" {
		return iamError(http.StatusBadRequest, iamBadBody)
	}
	pu := req.Auth.Identity.Password.User
	if pu.Password == nil || (str(pu.ID) == "" && (str(pu.Name) == "" || pu.Domain == nil)) {
		return iamError(http.StatusBadRequest, iamBadBody)
	}
	sc := req.Auth.Scope
	if sc == nil || (sc.Project == nil) == (sc.Domain == nil) {
		return iamError(http.StatusBadRequest, iamBadBody)
	}
	if sc.Project != nil && str(sc.Project.ID) == "" && str(sc.Project.Name) == "" {
		return iamError(http.StatusBadRequest, iamBadBody)
	}

	// Find the user: by id, or by name within a domain given by id or name.
	var user *User
	if id := str(pu.ID); id != "" {
		user = s.findUser(id)
	} else if d, ok := s.resolveDomainRef(pu.Domain); ok {
		user = findFirst(s.w.Users, func(u *User) bool { return u.DomainID == d.ID && u.Name == str(pu.Name) })
	}
	if user == nil || subtle.ConstantTimeCompare([]byte(user.Password), []byte(str(pu.Password))) != 1 {
		return iamError(http.StatusUnauthorized, iamWrongPass)
	}

	now := s.now().UTC()
	t := issuedToken{userID: user.ID, methods: []string{"password"}, issuedAt: now,
		expiresAt: now.Add(time.Duration(s.w.TokenLifetime))}
	if sc.Project != nil {
		// A project name is a region name, unique within a domain: resolve it in the scope's
		// domain, or the user's when the scope names none.
		var proj *Project
		if id := str(sc.Project.ID); id != "" {
			proj = s.findProject(id)
		} else {
			domID := user.DomainID
			if sc.Project.Domain != nil {
				d, ok := s.resolveDomainRef(sc.Project.Domain)
				if !ok {
					return iamError(http.StatusUnauthorized, iamNoAccess)
				}
				domID = d.ID
			}
			proj = findFirst(s.w.Projects, func(p *Project) bool { return p.DomainID == domID && p.Name == str(sc.Project.Name) })
		}
		if proj == nil || proj.DomainID != user.DomainID {
			return iamError(http.StatusUnauthorized, iamNoAccess)
		}
		t.projectID = proj.ID
	} else {
		d, ok := s.resolveDomainRef(sc.Domain)
		if !ok || d.ID != user.DomainID {
			return iamError(http.StatusUnauthorized, iamNoAccess)
		}
		t.domainID = d.ID
	}
	tok := newTokenString()
	s.tokens[tok] = t
	body := s.tokenBody(t, s.catalogFor(rc.r))
	return jsonResponse(http.StatusCreated, map[string]any{"token": body}).withHeader("X-Subject-Token", tok)
}

// tokenBody is the token object of the create and validate answers. The token's user and
// project exist (resolveToken or iamCreateToken checked them); its scope is the user's domain.
// catalog nil omits the catalog (catalog.go).
func (s *Server) tokenBody(t issuedToken, catalog *[]catalogService) iamTokenBody {
	var body iamTokenBody
	u := s.findUser(t.userID)
	dom := s.findDomain(u.DomainID)
	body.Catalog = catalog
	exp := t.expiresAt
	if exp.IsZero() { // static tokens never expire; show a far date rather than none
		exp = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	iss := t.issuedAt
	if iss.IsZero() {
		iss = defaultTime
	}
	body.ExpiresAt = exp.UTC().Format(iamTimeLayout)
	body.IssuedAt = iss.UTC().Format(iamTimeLayout)
	body.Methods = t.methods
	body.Roles = []iamIDName{{ID: "0", Name: "te_admin"}}
	body.User.Domain = iamIDName{dom.ID, dom.Name}
	body.User.ID = u.ID
	body.User.Name = u.Name
	if t.projectID != "" {
		p := s.findProject(t.projectID)
		body.Project = &iamScopedProject{Domain: iamIDName{dom.ID, dom.Name}, ID: p.ID, Name: p.Name}
	} else if t.domainID != "" {
		body.Domain = &iamIDName{dom.ID, dom.Name}
	}
	return body
}

// IssuedTokens returns every token POST /v3/auth/tokens has issued (static world tokens
// excluded), sorted; tests use it to check that no token leaks into logs.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.tokens))
	for tok := range s.tokens {
		out = append(out, tok)
	}
	sort.Strings(out)
	return out
}

func newTokenString() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return "MII" + base64.RawURLEncoding.EncodeToString(b)
}

// iamValidateToken: GET /v3/auth/tokens with the token to check in X-Subject-Token.
func (s *Server) iamValidateToken(rc *reqCtx) response {
	subj := rc.r.Header.Get("X-Subject-Token")
	if subj == "" {
		return iamError(http.StatusBadRequest, "X-Subject-Token header is required")
	}
	t, ok := s.resolveToken(subj)
	if !ok || expired(t.expiresAt, s.now()) {
		return iamError(http.StatusNotFound, "Could not find token: the token is invalid or expired")
	}
	body := s.tokenBody(t, s.catalogFor(rc.r))
	return jsonResponse(http.StatusOK, map[string]any{"token": body}).withHeader("X-Subject-Token", subj)
}

type iamProjectJSON struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	DomainID    string            `json:"domain_id"`
	Enabled     bool              `json:"enabled"`
	IsDomain    bool              `json:"is_domain"`
	ParentID    string            `json:"parent_id"`
	Description string            `json:"description"`
	Links       map[string]string `json:"links"`
}

// iamListProjects: the caller's domain's projects, optionally filtered by exact name.
func (s *Server) iamListProjects(rc *reqCtx) response {
	base := "http://" + rc.r.Host
	name := rc.r.URL.Query().Get("name")
	out := []iamProjectJSON{}
	for _, p := range s.w.Projects {
		if p.DomainID != rc.caller.domainID || (name != "" && p.Name != name) {
			continue
		}
		out = append(out, iamProjectJSON{ID: p.ID, Name: p.Name, DomainID: p.DomainID, Enabled: true,
			ParentID: p.DomainID, Links: map[string]string{"self": base + "/v3/projects/" + p.ID}})
	}
	self := base + rc.r.URL.Path
	if rc.r.URL.RawQuery != "" {
		self += "?" + rc.r.URL.RawQuery
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"projects": out,
		"links":    map[string]any{"self": self, "next": nil, "previous": nil},
	})
}
