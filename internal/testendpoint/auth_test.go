package testendpoint

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAuthentication(t *testing.T) {
	s := startServer(t, DefaultWorld())
	ownerList := membersPath(OwnerProjectID, ServerBackupID)
	tmpNoST := ownerTmp
	tmpNoST.securityToken = ""
	tmpBadST := ownerTmp
	tmpBadST.securityToken = "wrong-token"
	withProject := ownerAK
	withProject.projectID = OwnerProjectID
	foreignProject := ownerAK
	foreignProject.projectID = Receiver1ProjectID
	signHost := ownerAK
	signHost.signHost = true
	bad := ownerAK
	bad.badSignature = true
	skewAhead, skewBehind, skewOK := ownerAK, ownerAK, ownerAK
	skewAhead.dateOffset, skewBehind.dateOffset, skewOK.dateOffset = 20*time.Minute, -20*time.Minute, 10*time.Minute
	unknownAK := cred{ak: "NOSUCHAKTESTENDPOINT", sk: "whatever"}
	sig := strings.Repeat("ab", 32)

	tests := []struct {
		name     string
		path     string
		c        cred
		status   int
		code     string
		kind     string
		project  string
		contains string
	}{
		{"token", ownerList, ownerTok, 200, "", "token", OwnerProjectID, ""},
		{"aksk path project", ownerList, ownerAK, 200, "", "aksk", OwnerProjectID, ""},
		{"aksk X-Project-Id", ownerList, withProject, 200, "", "aksk", OwnerProjectID, ""},
		{"aksk signs host", ownerList, signHost, 200, "", "aksk", OwnerProjectID, ""},
		{"temporary aksk", ownerList, ownerTmp, 200, "", "aksk", OwnerProjectID, ""},
		{"skew within 15 minutes", ownerList, skewOK, 200, "", "aksk", OwnerProjectID, ""},
		{"no auth", ownerList, noCred, 401, "APIGW.0305", "none", "", "neither X-Auth-Token"},
		{"bad signature", ownerList, bad, 401, "APIGW.0301", "aksk", "", "verify aksk signature fail"},
		{"unknown AK", ownerList, unknownAK, 401, "APIGW.0301", "aksk", "", "not exist"},
		{"date ahead", ownerList, skewAhead, 401, "APIGW.0301", "aksk", "", "15 minutes"},
		{"date behind", ownerList, skewBehind, 401, "APIGW.0301", "aksk", "", "15 minutes"},
		{"missing security token", ownerList, tmpNoST, 401, "APIGW.0301", "aksk", "", "X-Security-Token is required"},
		{"wrong security token", ownerList, tmpBadST, 401, "APIGW.0301", "aksk", "", "invalid X-Security-Token"},
		{"unknown token", ownerList, cred{token: "no-such-token"}, 401, "APIGW.0301", "token", "", "decrypt token fail"},
		{"malformed authorization", ownerList, cred{rawAuth: "SDK-HMAC-SHA256 Access=x"}, 401, "APIGW.0305", "aksk", "", "Incorrect authentication information"},
		{"other scheme", ownerList, cred{rawAuth: "Bearer abc"}, 401, "APIGW.0305", "aksk", "", "unsupported"},
		{"date not signed", ownerList, cred{rawAuth: "SDK-HMAC-SHA256 Access=" + OwnerAccessKey + ", SignedHeaders=host, Signature=" + sig}, 401, "APIGW.0301", "aksk", "", "x-sdk-date must be"},
		{"token of another project", ownerList, recv1Tok, 403, "APIGW.0302", "token", "", Receiver1ProjectID},
		{"aksk of another domain", ownerList, recv1AK, 403, "APIGW.0302", "aksk", "", "does not belong"},
		{"aksk with foreign X-Project-Id", ownerList, foreignProject, 403, "APIGW.0302", "aksk", "", "does not belong"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.ClearRequests()
			r := call(t, s, "GET", tc.path, tc.c, nil)
			expect(t, r, tc.status, tc.code)
			if tc.status >= 400 {
				if got := r.str("request_id"); got == "" || got != r.header.Get("X-Request-Id") {
					t.Errorf("request_id %q does not match X-Request-Id %q", got, r.header.Get("X-Request-Id"))
				}
				if !strings.Contains(r.str("error_msg"), tc.contains) {
					t.Errorf("error_msg %q does not contain %q", r.str("error_msg"), tc.contains)
				}
			}
			recs := s.Requests()
			if len(recs) != 1 {
				t.Fatalf("logged %d requests", len(recs))
			}
			rec := recs[0]
			if rec.AuthKind != tc.kind || rec.Project != tc.project || rec.Status != tc.status || rec.Service != "cbr" || rec.Method != "GET" || rec.Path != tc.path {
				t.Errorf("record = %+v", rec)
			}
		})
	}
}

func TestExpiredTokenAndClock(t *testing.T) {
	s := startServer(t, DefaultWorld())
	tok := issueToken(t, s, OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"project": map[string]any{"name": DefaultRegion}})
	path := membersPath(OwnerProjectID, ServerBackupID)
	expect(t, call(t, s, "GET", path, cred{token: tok}, nil), 200, "")

	base := time.Now()
	s.SetNow(func() time.Time { return base.Add(24*time.Hour + time.Second) })
	expect(t, call(t, s, "GET", path, cred{token: tok}, nil), 401, "APIGW.0307")
	// Static tokens never expire.
	expect(t, call(t, s, "GET", path, ownerTok, nil), 200, "")
	// A signature made with the real clock is now a day off.
	expect(t, call(t, s, "GET", path, ownerAK, nil), 401, "APIGW.0301")
	s.SetNow(nil)
	expect(t, call(t, s, "GET", path, cred{token: tok}, nil), 200, "")
}

func TestStaticTokenExpiryAndDomainScope(t *testing.T) {
	w := DefaultWorld()
	w.Tokens = append(w.Tokens,
		StaticToken{Token: "expired", UserID: OwnerUserID, ProjectID: OwnerProjectID, ExpiresAt: time.Now().Add(-time.Hour)},
		StaticToken{Token: "domain-scoped", UserID: OwnerUserID, DomainID: OwnerDomainID})
	w.Users[0].AccessKeys = append(w.Users[0].AccessKeys, AccessKey{AccessKey: "EXPIREDTMPAK", SecretKey: "sk", SecurityToken: "st", ExpiresAt: time.Now().Add(-time.Minute)})
	s := startServer(t, w)
	path := membersPath(OwnerProjectID, ServerBackupID)
	expect(t, call(t, s, "GET", path, cred{token: "expired"}, nil), 401, "APIGW.0307")
	r := call(t, s, "GET", path, cred{token: "domain-scoped"}, nil)
	expect(t, r, 403, "APIGW.0302")
	expect(t, call(t, s, "GET", "/v3/auth/projects", cred{token: "domain-scoped"}, nil), 200, "")
	expect(t, call(t, s, "GET", path, cred{ak: "EXPIREDTMPAK", sk: "sk", securityToken: "st"}, nil), 401, "APIGW.0301")
}

// A token in the path of an IMS call (no project in the path) still needs a project scope;
// AK/SK falls back to the domain's region project.
func TestCallerProjectWithoutPathProject(t *testing.T) {
	s := startServer(t, DefaultWorld())
	path := "/v2/images/" + FullECSImageID + "/members"
	for _, c := range []cred{ownerTok, ownerAK, ownerTmp} {
		s.ClearRequests()
		expect(t, call(t, s, "GET", path, c, nil), 200, "")
		if rec := s.Requests()[0]; rec.Project != OwnerProjectID || rec.Service != "ims" {
			t.Errorf("record = %+v", rec)
		}
	}
	withProject := recv1AK
	withProject.projectID = Receiver1ProjectID
	expect(t, call(t, s, "GET", path, withProject, nil), 404, "IMG.0027")
}

func TestUnknownRouteAndBodyLimit(t *testing.T) {
	s := startServer(t, DefaultWorld())
	for _, tc := range []struct{ method, path string }{
		{"GET", "/v3/" + OwnerProjectID + "/vaults"},
		{"PATCH", membersPath(OwnerProjectID, ServerBackupID)},
		{"GET", "/nothing"},
		{"GET", "/v3//backups/x/members"},
		{"GET", "/v2/images/x/members/y/z"},
	} {
		r := call(t, s, tc.method, tc.path, ownerTok, nil)
		expect(t, r, http.StatusNotFound, "APIGW.0101")
	}
	big := `{"members":["` + strings.Repeat("a", maxBodyBytes) + `"]}`
	expect(t, call(t, s, "POST", membersPath(OwnerProjectID, ServerBackupID), ownerTok, big), 413, "APIGW.0201")
}

// A failed signature echoes the canonical request, but never the value of a signed
// X-Security-Token (the v3 SDK signs it) or any other secret.
func TestAuthErrorsEchoNoSecret(t *testing.T) {
	s := startServer(t, DefaultWorld())
	path := membersPath(OwnerProjectID, ServerBackupID)
	badTmp := ownerTmp
	badTmp.badSignature = true
	bad := ownerAK
	bad.badSignature = true
	for _, c := range []cred{badTmp, bad} {
		r := call(t, s, "GET", path, c, nil)
		expect(t, r, 401, "APIGW.0301")
		if !strings.Contains(r.str("error_msg"), "verify aksk signature fail, canonical request: GET|") {
			t.Errorf("error_msg = %q", r.str("error_msg"))
		}
		for _, secret := range []string{OwnerSecurityToken, OwnerSecretKey, OwnerTempSecretKey} {
			if strings.Contains(string(r.raw), secret) {
				t.Errorf("error body echoes a secret: %s", r.raw)
			}
		}
	}
	if r := call(t, s, "GET", path, badTmp, nil); !strings.Contains(r.str("error_msg"), "|x-security-token:***|") {
		t.Errorf("signed x-security-token not shown masked: %q", r.str("error_msg"))
	}
}
