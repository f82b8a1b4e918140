package testendpoint

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// Fuzz targets for every request decoder. The seeds run as ordinary tests; `go test
// -fuzz=FuzzX` explores further. Each asserts: no panic, no 5xx, a JSON error body.

func fuzzServe(t *testing.T, s *Server, method, path, token string, body []byte) {
	t.Helper()
	fuzzServeQuery(t, s, method, path, "", token, body)
}

// fuzzServeQuery sets the raw query directly so any bytes reach the server's parser.
func fuzzServeQuery(t *testing.T, s *Server, method, path, rawQuery, token string, body []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.URL.RawQuery = rawQuery
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s %q: status %d %s", method, path, body, rec.Code, rec.Body.Bytes())
	}
	if rec.Code >= 400 && !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s %s %q: error body is not JSON: %s", method, path, body, rec.Body.Bytes())
	}
}

func newFuzzServer(f *testing.F) *Server {
	s, err := New(DefaultWorld())
	if err != nil {
		f.Fatal(err)
	}
	return s
}

func FuzzCBRAddMembersBody(f *testing.F) {
	for _, seed := range []string{
		`{"members":["075e6035d300d48c2fd0c00b78b71ebf"]}`, `{"members":[]}`, `{"members":null}`, `{"members":[null]}`,
		`{"members":[1,2]}`, `{"members":"x"}`, `{"domains":["a"]}`, `[]`, `null`, `{`, ``, `{"members":["` + strings.Repeat("f", 32) + `"]}`,
		`{"members":["075e6035d300d48c2fd0c00b78b71ebf","075e6035d300d48c2fd0c00b78b71ebf"]}`, "{\"members\":[\"\\u0000\"]}",
	} {
		f.Add([]byte(seed))
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzServe(t, s, "POST", membersPath(OwnerProjectID, ServerBackupID), OwnerToken, body)
		s.mu.Lock()
		s.w.CBRMembers = s.w.CBRMembers[:0] // keep each input independent
		s.mu.Unlock()
	})
}

func FuzzCBRUpdateMemberBody(f *testing.F) {
	for _, seed := range []string{
		`{"status":"accepted","vault_id":"6a1b7c2d-0000-4000-8000-000000000201"}`, `{"status":"rejected"}`, `{"status":"pending"}`,
		`{"status":null}`, `{"status":1}`, `{"status":"accepted","vault_id":null}`, `{"vault_id":"x"}`, `{}`, `"accepted"`,
	} {
		f.Add([]byte(seed))
	}
	w := DefaultWorld()
	w.CBRMembers = []CBRMember{{ID: "aaaaaaaa-0000-4000-8000-000000000001", BackupID: ServerBackupID, DestProjectID: Receiver1ProjectID, Status: StatusPending, CreatedAt: defaultTime}}
	s, err := New(w)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzServe(t, s, "PUT", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), Receiver1Token, body)
	})
}

func FuzzCBRListQuery(f *testing.F) {
	for _, seed := range []string{"limit=1&offset=0", "sort=created_at:asc,id", "sort=:", "sort=,", "marker=x", "limit=99999999999999999999", "status=%ZZ", "vault_id=;"} {
		f.Add(seed)
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, q string) {
		fuzzServeQuery(t, s, "GET", membersPath(OwnerProjectID, ServerBackupID), q, OwnerToken, nil)
		fuzzServeQuery(t, s, "GET", vbsPath(OwnerProjectID)+"/detail", q, OwnerToken, nil)
		fuzzServeQuery(t, s, "GET", imsMembers(FullECSImageID), q, OwnerToken, nil)
	})
}

func FuzzVBSCreateBody(f *testing.F) {
	for _, seed := range []string{
		`{"shared":{"backup_id":"0b07081e-0000-4000-8000-000000000006","to_project_ids":["075e6035d300d48c2fd0c00b78b71ebf"]}}`,
		`{"shared":null}`, `{"shared":{"to_project_ids":[null]}}`, `{"shared":{"backup_id":[]}}`, `{"shared":[]}`, `{}`,
	} {
		f.Add([]byte(seed))
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzServe(t, s, "POST", vbsPath(OwnerProjectID), OwnerToken, body)
		s.mu.Lock()
		s.w.VBSShares = s.w.VBSShares[:0]
		s.mu.Unlock()
	})
}

func FuzzIMSBodies(f *testing.F) {
	for _, seed := range []string{
		`{"member":"075e6035d300d48c2fd0c00b78b71ebf"}`, `{"member":null}`, `{"member":1}`,
		`{"status":"accepted","vault_id":"6a1b7c2d-0000-4000-8000-000000000201"}`, `{"status":"rejected"}`, `{"status":["accepted"]}`,
	} {
		f.Add([]byte(seed))
	}
	w := DefaultWorld()
	w.ImageMembers = []ImageMember{{ImageID: FullECSImageID, MemberID: Receiver1ProjectID, Status: StatusPending, CreatedAt: defaultTime, UpdatedAt: defaultTime}}
	s, err := New(w)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzServe(t, s, "POST", imsMembers(SystemImageID), OwnerToken, body)
		fuzzServe(t, s, "PUT", imsMembers(FullECSImageID)+"/"+Receiver1ProjectID, Receiver1Token, body)
	})
}

func FuzzIAMTokenBody(f *testing.F) {
	for _, seed := range []string{
		`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"owner-admin","password":"Owner-Passw0rd!","domain":{"name":"owner-domain"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`,
		`{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"x","password":"y"}}},"scope":{"domain":{"id":null}}}}`,
		`{"auth":null}`, `{"auth":{"identity":{"methods":[null]}}}`, `{"auth":{"scope":{"project":{"domain":{}}}}}`,
	} {
		f.Add([]byte(seed))
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzServe(t, s, "POST", "/v3/auth/tokens", "", body)
	})
}

func FuzzLoadWorld(f *testing.F) {
	b, _ := json.Marshal(DefaultWorld())
	f.Add(b)
	f.Add([]byte(`{"region":"r","token_lifetime":-1}`))
	f.Add([]byte(`{"region":"r","tokens":[{"token":"t"}]}`))
	f.Add([]byte(`{"region":"r","cbr_members":[{}],"vbs_shares":[{}],"image_members":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := LoadWorld(bytes.NewReader(data))
		if err != nil {
			return
		}
		if _, err := New(w); err != nil {
			t.Fatalf("LoadWorld accepted a world New rejects: %v", err)
		}
	})
}
