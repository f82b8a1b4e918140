package testendpoint

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"time"
)

// caller is an authenticated identity (how it authenticated is in the request record).
type caller struct {
	domainID  string
	projectID string // "" for a domain-scoped token
}

// issuedToken is a token created by POST /v3/auth/tokens.
type issuedToken struct {
	userID    string
	projectID string // "" when domain-scoped
	domainID  string // scope domain when domain-scoped
	methods   []string
	issuedAt  time.Time
	expiresAt time.Time
}

// authErr is an authentication failure; code is the gateway code (IAM routes use the
// Keystone body and ignore it).
type authErr struct {
	status int
	code   string
	msg    string
}

const iamAuthPrefix = "Incorrect IAM authentication information: "

// Gateway codes chosen for authentication failures (documented in doc.go).
const (
	codeBadIAMAuth   = "APIGW.0301" // bad signature, unknown AK or token, skew, security token
	codeNotAllowed   = "APIGW.0302" // authenticated but not allowed here (project mismatch)
	codeNoAuth       = "APIGW.0305" // no or malformed credentials
	codeTokenExpired = "APIGW.0307" // expired token
)

// findFirst returns a pointer into list to the first element that match accepts, or nil.
func findFirst[T any](list []T, match func(*T) bool) *T {
	for i := range list {
		if match(&list[i]) {
			return &list[i]
		}
	}
	return nil
}

func (s *Server) findUser(id string) *User {
	return findFirst(s.w.Users, func(u *User) bool { return u.ID == id })
}

func (s *Server) findProject(id string) *Project {
	return findFirst(s.w.Projects, func(p *Project) bool { return p.ID == id })
}

func (s *Server) findDomain(id string) *Domain {
	return findFirst(s.w.Domains, func(d *Domain) bool { return d.ID == id })
}

// resolveToken finds a static or issued token and checks that its user and scope still
// exist in the current world.
func (s *Server) resolveToken(tok string) (issuedToken, bool) {
	var t issuedToken
	found := false
	for _, st := range s.w.Tokens {
		if subtle.ConstantTimeCompare([]byte(st.Token), []byte(tok)) == 1 {
			t = issuedToken{userID: st.UserID, projectID: st.ProjectID, domainID: st.DomainID,
				methods: []string{"token"}, expiresAt: st.ExpiresAt}
			found = true
			break
		}
	}
	if !found {
		t, found = s.tokens[tok]
	}
	if !found {
		return issuedToken{}, false
	}
	u := s.findUser(t.userID)
	if u == nil {
		return issuedToken{}, false
	}
	if t.projectID != "" {
		if p := s.findProject(t.projectID); p == nil || p.DomainID != u.DomainID {
			return issuedToken{}, false
		}
	}
	return t, true
}

// expired reports whether a credential expiring at (zero: never) has expired at now.
func expired(at, now time.Time) bool {
	return !at.IsZero() && !now.Before(at)
}

// authenticate checks X-Auth-Token or an SDK-HMAC-SHA256 signature and works out the
// caller's project. pathProject is the project in the URL ("" when the path has none).
func (s *Server) authenticate(rc *reqCtx, pathProject string, needProject bool) (caller, *authErr) {
	r := rc.r
	var c caller
	if tok := r.Header.Get("X-Auth-Token"); tok != "" {
		// A token wins over a signature when a client sends both.
		rc.rec.AuthKind = "token"
		t, ok := s.resolveToken(tok)
		if !ok {
			return c, &authErr{http.StatusUnauthorized, codeBadIAMAuth, iamAuthPrefix + "decrypt token fail"}
		}
		if expired(t.expiresAt, s.now()) {
			return c, &authErr{http.StatusUnauthorized, codeTokenExpired, "The token must be updated."}
		}
		u := s.findUser(t.userID)
		c = caller{domainID: u.DomainID, projectID: t.projectID}
	} else if h := r.Header.Get("Authorization"); h != "" {
		rc.rec.AuthKind = "aksk"
		var aerr *authErr
		c, aerr = s.authenticateSignature(rc, h, pathProject)
		if aerr != nil {
			return c, aerr
		}
	} else {
		return c, &authErr{http.StatusUnauthorized, codeNoAuth,
			"Incorrect authentication information: neither X-Auth-Token nor an SDK-HMAC-SHA256 Authorization header was sent"}
	}
	if !needProject {
		return c, nil
	}
	if c.projectID == "" {
		return c, &authErr{http.StatusForbidden, codeNotAllowed,
			"The IAM user is not authorized to access the API: the credential is not scoped to a project (use a project-scoped token or X-Project-Id)"}
	}
	if pathProject != "" && pathProject != c.projectID {
		return c, &authErr{http.StatusForbidden, codeNotAllowed, fmt.Sprintf(
			"The IAM user is not authorized to access the API: project %q in the URL is not the caller's project %q", pathProject, c.projectID)}
	}
	return c, nil
}

func (s *Server) authenticateSignature(rc *reqCtx, header, pathProject string) (caller, *authErr) {
	r := rc.r
	a, err := parseSigAuthorization(header)
	if err != nil {
		return caller{}, &authErr{http.StatusUnauthorized, codeNoAuth, "Incorrect authentication information: " + err.Error()}
	}
	var user *User
	var key AccessKey
	for i := range s.w.Users {
		for _, k := range s.w.Users[i].AccessKeys {
			if k.AccessKey == a.AccessKey {
				user, key = &s.w.Users[i], k
			}
		}
	}
	if user == nil {
		return caller{}, &authErr{http.StatusUnauthorized, codeBadIAMAuth, iamAuthPrefix + "ak " + a.AccessKey + " not exist"}
	}
	now := s.now()
	if expired(key.ExpiresAt, now) {
		return caller{}, &authErr{http.StatusUnauthorized, codeBadIAMAuth, iamAuthPrefix + "the temporary access key has expired"}
	}
	if key.SecurityToken != "" {
		st := r.Header.Get("X-Security-Token")
		if st == "" {
			return caller{}, &authErr{http.StatusUnauthorized, codeBadIAMAuth, iamAuthPrefix + "X-Security-Token is required for a temporary access key"}
		}
		if subtle.ConstantTimeCompare([]byte(st), []byte(key.SecurityToken)) != 1 {
			return caller{}, &authErr{http.StatusUnauthorized, codeBadIAMAuth, iamAuthPrefix + "invalid X-Security-Token"}
		}
	}
	if err := verifySignature(r, rc.body, a, key.SecretKey, now); err != nil {
		return caller{}, &authErr{http.StatusUnauthorized, codeBadIAMAuth, iamAuthPrefix + err.Error()}
	}
	c := caller{domainID: user.DomainID}
	// Project: X-Project-Id, else the path's, else the domain's project named after the region.
	pid := r.Header.Get("X-Project-Id")
	if pid == "" {
		pid = pathProject
	}
	if pid == "" {
		if p := findFirst(s.w.Projects, func(p *Project) bool { return p.DomainID == user.DomainID && p.Name == s.w.Region }); p != nil {
			c.projectID = p.ID
		}
		return c, nil
	}
	if p := s.findProject(pid); p == nil || p.DomainID != user.DomainID {
		return caller{}, &authErr{http.StatusForbidden, codeNotAllowed, fmt.Sprintf(
			"The IAM user is not authorized to access the API: project %q does not belong to the access key's domain", pid)}
	}
	c.projectID = pid
	return c, nil
}
