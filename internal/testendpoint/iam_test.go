package testendpoint

import (
	"strings"
	"testing"
)

func tokenBody(name, password, domain string, scope map[string]any) map[string]any {
	user := map[string]any{"name": name, "password": password, "domain": map[string]any{"name": domain}}
	return map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{"user": user}},
		"scope":    scope,
	}}
}

func issueToken(t *testing.T, s *Server, name, password, domain string, scope map[string]any) string {
	t.Helper()
	r := call(t, s, "POST", "/v3/auth/tokens", noCred, tokenBody(name, password, domain, scope))
	expect(t, r, 201, "")
	tok := r.header.Get("X-Subject-Token")
	if tok == "" {
		t.Fatal("no X-Subject-Token")
	}
	return tok
}

func TestIAMCreateToken(t *testing.T) {
	s := startServer(t, DefaultWorld())
	byID := map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{"user": map[string]any{"id": Receiver1UserID, "password": Receiver1Password}}},
		"scope":    map[string]any{"project": map[string]any{"id": Receiver1ProjectID}},
	}}
	tests := []struct {
		name        string
		query       string
		body        any
		wantProject string
		wantDomain  string
		catalog     bool
	}{
		{"project by name with domain", "", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"name": DefaultRegion, "domain": map[string]any{"name": OwnerDomainName}}}), OwnerProjectID, "", true},
		{"project by name, user's domain", "", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"name": DefaultRegion}}), OwnerProjectID, "", true},
		{"project by id", "?nocatalog=true", tokenBody(Receiver2UserName, Receiver2Password, Receiver2DomainName, map[string]any{"project": map[string]any{"id": Receiver2ProjectID}}), Receiver2ProjectID, "", false},
		{"user by id", "", byID, Receiver1ProjectID, "", true},
		{"domain by name", "", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"domain": map[string]any{"name": OwnerDomainName}}), "", OwnerDomainID, true},
		{"domain by id", "?nocatalog=1", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"domain": map[string]any{"id": OwnerDomainID}}), "", OwnerDomainID, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.ClearRequests()
			r := call(t, s, "POST", "/v3/auth/tokens"+tc.query, noCred, tc.body)
			expect(t, r, 201, "")
			tok := r.header.Get("X-Subject-Token")
			if tok == "" {
				t.Fatal("no X-Subject-Token")
			}
			if got := r.str("token.project.id"); got != tc.wantProject {
				t.Errorf("project = %q, want %q", got, tc.wantProject)
			}
			if got := r.str("token.domain.id"); got != tc.wantDomain {
				t.Errorf("domain = %q, want %q", got, tc.wantDomain)
			}
			tokMap := r.body["token"].(map[string]any)
			if _, ok := tokMap["catalog"]; ok != tc.catalog {
				t.Errorf("catalog present = %v, want %v", ok, tc.catalog)
			}
			for _, f := range []string{"expires_at", "issued_at"} {
				if v := r.str("token." + f); !strings.HasSuffix(v, "Z") || len(v) != len("2020-01-04T09:05:22.701000Z") {
					t.Errorf("%s = %q", f, v)
				}
			}
			if r.str("token.user.id") == "" || r.str("token.user.domain.name") == "" {
				t.Errorf("user missing: %s", r.raw)
			}
			if rec := s.Requests()[0]; rec.AuthKind != "password" || rec.Service != "iam" || rec.Status != 201 {
				t.Errorf("record = %+v", rec)
			}
			// The token works where its scope allows.
			if tc.wantProject != "" {
				expect(t, call(t, s, "GET", "/v3/auth/projects", cred{token: tok}, nil), 200, "")
				r := call(t, s, "GET", "/v3/"+tc.wantProject+"/backups/"+ServerBackupID+"/members/"+tc.wantProject, cred{token: tok}, nil)
				if r.status == 401 || r.status == 403 {
					t.Errorf("project token refused: %s", r.raw)
				}
			} else {
				expect(t, call(t, s, "GET", membersPath(OwnerProjectID, ServerBackupID), cred{token: tok}, nil), 403, "APIGW.0302")
			}
		})
	}
}

func TestIAMCreateTokenErrors(t *testing.T) {
	s := startServer(t, DefaultWorld())
	proj := map[string]any{"project": map[string]any{"name": DefaultRegion}}
	const badBody = `{"error":{"code":400,"message":"The request body is invalid","title":"Bad Request"}}`
	const wrongPass = `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`
	const noAccess = `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`
	tests := []struct {
		name   string
		body   any
		status int
		exact  string
	}{
		{"wrong password", tokenBody(OwnerUserName, "nope", OwnerDomainName, proj), 401, wrongPass},
		{"unknown user", tokenBody("ghost", OwnerPassword, OwnerDomainName, proj), 401, wrongPass},
		{"user in another domain", tokenBody(OwnerUserName, OwnerPassword, Receiver1DomainName, proj), 401, wrongPass},
		{"foreign project id", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"id": Receiver1ProjectID}}), 401, noAccess},
		{"foreign project domain", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"name": DefaultRegion, "domain": map[string]any{"name": Receiver1DomainName}}}), 401, noAccess},
		{"unknown project name", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"name": "eu-west-0"}}), 401, noAccess},
		{"foreign domain scope", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"domain": map[string]any{"id": Receiver1DomainID}}), 401, noAccess},
		{"invalid json", `{"auth":`, 400, badBody},
		{"empty body", "", 400, badBody},
		{"array body", `[]`, 400, badBody},
		{"wrong type", `{"auth":{"identity":{"methods":"password"}}}`, 400, badBody},
		{"unknown field", `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"a","password":"b","domain":{"name":"c"}}}},"scope":{"project":{"name":"x"}},"extra":1}}`, 400, badBody},
		{"missing scope", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, nil), 400, badBody},
		{"two scopes", tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"name": DefaultRegion}, "domain": map[string]any{"name": OwnerDomainName}}), 400, badBody},
		{"token method", `{"auth":{"identity":{"methods":["token"],"token":{"id":"x"}},"scope":{"project":{"name":"cn-north-4"}}}}`, 400, badBody},
		{"name without domain", `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"owner-admin","password":"Owner-Passw0rd!"}}},"scope":{"project":{"name":"cn-north-4"}}}}`, 400, badBody},
		{"null password", `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"owner-admin","password":null,"domain":{"name":"owner-domain"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`, 400, badBody},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, "POST", "/v3/auth/tokens", noCred, tc.body)
			expect(t, r, tc.status, "")
			if tc.exact != "" && string(r.raw) != tc.exact {
				t.Errorf("body = %s, want %s", r.raw, tc.exact)
			}
			if r.header.Get("X-Subject-Token") != "" {
				t.Error("a failed request returned a token")
			}
		})
	}
}

func TestIAMValidateToken(t *testing.T) {
	s := startServer(t, DefaultWorld())
	if n := len(s.IssuedTokens()); n != 0 {
		t.Fatalf("issued tokens before any request: %d", n)
	}
	tok := issueToken(t, s, OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"name": DefaultRegion}})
	if got := s.IssuedTokens(); len(got) != 1 || got[0] != tok {
		t.Fatalf("IssuedTokens = %v", got)
	}
	req := newTestRequest(t, s.URL(), "GET", "/v3/auth/tokens", ownerTok, nil)
	req.Header.Set("X-Subject-Token", tok)
	r := sendReq(t, req)
	expect(t, r, 200, "")
	if r.str("token.project.id") != OwnerProjectID || r.header.Get("X-Subject-Token") != tok {
		t.Errorf("validate = %s", r.raw)
	}
	req = newTestRequest(t, s.URL(), "GET", "/v3/auth/tokens", ownerTok, nil)
	req.Header.Set("X-Subject-Token", "bogus")
	expect(t, sendReq(t, req), 404, "")
	expect(t, call(t, s, "GET", "/v3/auth/tokens", ownerTok, nil), 400, "")
}

func TestIAMListProjects(t *testing.T) {
	s := startServer(t, DefaultWorld())
	tests := []struct {
		name  string
		path  string
		c     cred
		count int
	}{
		{"aksk without project", "/v3/auth/projects", ownerAK, 1},
		{"aksk name filter", "/v3/auth/projects?name=" + DefaultRegion, recv1AK, 1},
		{"aksk other name", "/v3/auth/projects?name=eu-west-0", ownerAK, 0},
		{"token", "/v3/auth/projects", recv2Tok, 1},
		{"keystone projects", "/v3/projects?name=" + DefaultRegion, ownerAK, 1},
		{"temporary aksk", "/v3/auth/projects", ownerTmp, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, "GET", tc.path, tc.c, nil)
			expect(t, r, 200, "")
			ps := r.body["projects"].([]any)
			if len(ps) != tc.count {
				t.Fatalf("projects = %s", r.raw)
			}
			if _, ok := r.body["links"].(map[string]any); !ok {
				t.Errorf("links missing: %s", r.raw)
			}
			if tc.count == 1 {
				p := ps[0].(map[string]any)
				if p["name"] != DefaultRegion || p["enabled"] != true || p["domain_id"] == "" || p["id"] == "" {
					t.Errorf("project = %v", p)
				}
			}
		})
	}
	// IAM answers auth failures in its own shape.
	r := call(t, s, "GET", "/v3/auth/projects", noCred, nil)
	expect(t, r, 401, "")
	if !strings.Contains(string(r.raw), `"title":"Unauthorized"`) {
		t.Errorf("body = %s", r.raw)
	}
}
