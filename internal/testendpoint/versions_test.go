package testendpoint

import (
	"encoding/json"
	"testing"
)

func TestKeystoneVersionDiscovery(t *testing.T) {
	s := startServer(t, DefaultWorld())
	check := func(v map[string]any) {
		t.Helper()
		links := v["links"].([]any)
		mt := v["media-types"].([]any)[0].(map[string]any)
		if v["id"] != "v3.6" || v["status"] != "stable" || v["updated"] != "2016-04-04T00:00:00Z" || len(links) != 1 ||
			links[0].(map[string]any)["rel"] != "self" || links[0].(map[string]any)["href"] != s.URL()+"/v3/" ||
			mt["type"] != "application/vnd.openstack.identity-v3+json" || mt["base"] != "application/json" {
			t.Fatalf("version = %v", v)
		}
	}
	// No credentials needed; any credentials are ignored.
	for _, c := range []cred{noCred, ownerTok, {token: "bogus"}} {
		r := call(t, s, "GET", "/", c, nil)
		expect(t, r, 300, "")
		vals := r.body["versions"].(map[string]any)["values"].([]any)
		if len(vals) != 1 {
			t.Fatalf("versions = %s", r.raw)
		}
		check(vals[0].(map[string]any))
		r = call(t, s, "GET", "/v3", c, nil)
		expect(t, r, 200, "")
		check(r.body["version"].(map[string]any))
	}
	if r := call(t, s, "GET", "/", noCred, nil); r.header.Get("Content-Type") != "application/json;charset=UTF-8" {
		t.Fatalf("content type = %q", r.header.Get("Content-Type"))
	}
	for _, rec := range s.Requests() {
		if rec.Service != "iam" || rec.Status >= 400 {
			t.Fatalf("record = %+v", rec)
		}
	}
	for _, tc := range []struct{ method, path string }{{"POST", "/"}, {"DELETE", "/v3"}, {"GET", "/v3/"}, {"GET", "//"}} {
		expect(t, call(t, s, tc.method, tc.path, noCred, nil), 404, "APIGW.0101")
	}
}

// The member schemas decode into the official SDK's response models and describe the
// member the member calls answer.
func TestIMSMemberSchemas(t *testing.T) {
	s := startServer(t, DefaultWorld())
	var one struct {
		Name       string                    `json:"name"`
		Properties map[string]map[string]any `json:"properties"`
	}
	r := call(t, s, "GET", "/v2/schemas/member", recv2Tok, nil)
	expect(t, r, 200, "")
	if err := json.Unmarshal(r.raw, &one); err != nil || one.Name != "member" {
		t.Fatalf("member schema = %s (%v)", r.raw, err)
	}
	expect(t, call(t, s, "POST", imsMembers(SystemImageID), ownerTok, map[string]any{"member": Receiver1ProjectID}), 200, "")
	m := call(t, s, "GET", imsMembers(SystemImageID)+"/"+Receiver1ProjectID, ownerTok, nil)
	for k := range m.body {
		if _, ok := one.Properties[k]; !ok {
			t.Errorf("schema lacks %q", k)
		}
	}
	if st := one.Properties["status"]["enum"].([]any); len(st) != 3 {
		t.Errorf("status enum = %v", st)
	}
	var many struct {
		Name       string                       `json:"name"`
		Links      []struct{ Href, Rel string } `json:"links"`
		Properties map[string]map[string]any    `json:"properties"`
	}
	r = call(t, s, "GET", "/v2/schemas/members", ownerAK, nil)
	expect(t, r, 200, "")
	if err := json.Unmarshal(r.raw, &many); err != nil || many.Name != "members" || len(many.Links) != 1 || many.Links[0].Rel != "describedby" {
		t.Fatalf("members schema = %s (%v)", r.raw, err)
	}
	for _, k := range []string{"members", "schema", "page_info"} {
		if _, ok := many.Properties[k]; !ok {
			t.Errorf("members schema lacks %q", k)
		}
	}
	if items := many.Properties["members"]["items"].(map[string]any); items["name"] != "member" {
		t.Errorf("items = %v", items)
	}
	expect(t, call(t, s, "GET", "/v2/schemas/member", noCred, nil), 401, "APIGW.0305")
	expect(t, call(t, s, "GET", "/v2/schemas/image", ownerTok, nil), 404, "APIGW.0101")
}
