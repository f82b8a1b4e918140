package testendpoint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// keystoneClient is a small Keystone v3 client written the way Keystone clients work: it
// knows only an auth URL, discovers the v3 API, authenticates with a password, and finds
// every other service in the token's catalog. It has no endpoint overrides.
type keystoneClient struct {
	t       *testing.T
	http    *http.Client
	authURL string // as a user configures it, e.g. http://host:port
	token   string
	project string
	catalog []struct {
		Type      string `json:"type"`
		Name      string `json:"name"`
		Endpoints []struct {
			Interface string `json:"interface"`
			Region    string `json:"region"`
			RegionID  string `json:"region_id"`
			URL       string `json:"url"`
		} `json:"endpoints"`
	}
}

func (k *keystoneClient) do(method, url string, body any) (int, http.Header, []byte) {
	k.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		k.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if k.token != "" {
		req.Header.Set("X-Auth-Token", k.token)
	}
	resp, err := k.http.Do(req)
	if err != nil {
		k.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// discover reads the version document at the auth URL and returns the v3 API's URL.
func (k *keystoneClient) discover() string {
	st, _, b := k.do("GET", k.authURL, nil)
	var doc struct {
		Versions struct {
			Values []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
				Links  []struct{ Rel, Href string }
			} `json:"values"`
		} `json:"versions"`
	}
	if st != http.StatusMultipleChoices || json.Unmarshal(b, &doc) != nil {
		k.t.Fatalf("GET %s = %d %s", k.authURL, st, b)
	}
	for _, v := range doc.Versions.Values {
		if strings.HasPrefix(v.ID, "v3") && v.Status == "stable" {
			for _, l := range v.Links {
				if l.Rel == "self" {
					return l.Href
				}
			}
		}
	}
	k.t.Fatalf("no v3 in %s", b)
	return ""
}

func (k *keystoneClient) authenticate(user, password, domain, projectName string) {
	v3 := k.discover()
	body := tokenBody(user, password, domain, map[string]any{"project": map[string]any{"name": projectName, "domain": map[string]any{"name": domain}}})
	st, h, b := k.do("POST", strings.TrimSuffix(v3, "/")+"/auth/tokens", body)
	var tok struct {
		Token struct {
			Catalog json.RawMessage `json:"catalog"`
			Project struct {
				ID string `json:"id"`
			} `json:"project"`
		} `json:"token"`
	}
	if st != http.StatusCreated || json.Unmarshal(b, &tok) != nil || h.Get("X-Subject-Token") == "" {
		k.t.Fatalf("authenticate = %d %s", st, b)
	}
	if err := json.Unmarshal(tok.Token.Catalog, &k.catalog); err != nil {
		k.t.Fatalf("catalog %s: %v", tok.Token.Catalog, err)
	}
	k.token, k.project = h.Get("X-Subject-Token"), tok.Token.Project.ID
}

// endpoint is the URL of the service of type typ for region and interface, as a Keystone
// client picks it from the catalog.
func (k *keystoneClient) endpoint(typ, region, iface string) string {
	for _, svc := range k.catalog {
		if svc.Type != typ {
			continue
		}
		for _, ep := range svc.Endpoints {
			if ep.Interface == iface && (ep.RegionID == region || ep.Region == region) {
				return strings.TrimSuffix(ep.URL, "/")
			}
		}
	}
	k.t.Fatalf("no %s endpoint for %s/%s in %+v", typ, region, iface, k.catalog)
	return ""
}

func TestKeystoneClientFindsIMSInCatalog(t *testing.T) {
	s := startServer(t, DefaultWorld())
	owner := &keystoneClient{t: t, http: http.DefaultClient, authURL: s.URL()}
	owner.authenticate(OwnerUserName, OwnerPassword, OwnerDomainName, DefaultRegion)
	ims := owner.endpoint("image", DefaultRegion, "public")
	if ims != s.URL() {
		t.Fatalf("IMS endpoint = %q, want %q", ims, s.URL())
	}
	// An IMS call through the catalog's URL: share an image with the v1 batch call and wait.
	st, _, b := owner.do("POST", ims+"/v1/cloudimages/members", batchBody([]string{SystemImageID}, Receiver1ProjectID))
	var job struct {
		JobID  string `json:"job_id"`
		Status string `json:"status"`
	}
	if st != 200 || json.Unmarshal(b, &job) != nil || job.JobID == "" {
		t.Fatalf("batch add = %d %s", st, b)
	}
	id := job.JobID
	for i := 0; i < 3 && job.Status != "SUCCESS"; i++ {
		st, _, b = owner.do("GET", ims+"/v1/"+owner.project+"/jobs/"+id, nil)
		if st != 200 || json.Unmarshal(b, &job) != nil {
			t.Fatalf("job = %d %s", st, b)
		}
	}
	if job.Status != "SUCCESS" {
		t.Fatalf("job = %s", b)
	}
	// The receiver, also through its catalog, sees the share with the v2 call.
	recv := &keystoneClient{t: t, http: http.DefaultClient, authURL: s.URL() + "/"}
	recv.authenticate(Receiver1UserName, Receiver1Password, Receiver1DomainName, DefaultRegion)
	st, _, b = recv.do("GET", recv.endpoint("image", DefaultRegion, "public")+"/v2/images/"+SystemImageID+"/members/"+Receiver1ProjectID, nil)
	if st != 200 || !strings.Contains(string(b), `"status":"pending"`) {
		t.Fatalf("receiver's member = %d %s", st, b)
	}
	// The other services are there too, and work through their entries.
	st, _, b = recv.do("GET", recv.endpoint("identity", DefaultRegion, "public")+"/v3/auth/projects", nil)
	if st != 200 {
		t.Fatalf("identity = %d %s", st, b)
	}
	st, _, b = owner.do("GET", owner.endpoint("cbr", DefaultRegion, "public")+"/v3/"+owner.project+"/backups/"+ServerBackupID+"/members", nil)
	if st != 200 {
		t.Fatalf("cbr = %d %s", st, b)
	}
	st, _, b = owner.do("GET", owner.endpoint("vbs", DefaultRegion, "public")+"/v2/"+owner.project+"/os-vendor-backup-sharing/count", nil)
	if st != 200 {
		t.Fatalf("vbs = %d %s", st, b)
	}
	_ = owner.endpoint("volumev2", DefaultRegion, "public")
}

func TestTokenCatalog(t *testing.T) {
	w := DefaultWorld()
	w.Region = "eu-west-0"
	for i := range w.Projects {
		w.Projects[i].Name = "eu-west-0"
	}
	s := startServer(t, w)
	scope := map[string]any{"project": map[string]any{"name": "eu-west-0"}}
	type entry struct {
		ID, Name, Type string
		Endpoints      []map[string]string
	}
	create := func(query string, host string) (result, []entry, bool) {
		t.Helper()
		req := newTestRequest(t, s.URL(), "POST", "/v3/auth/tokens"+query, noCred, bodyBytes(t, tokenBody(OwnerUserName, OwnerPassword, OwnerDomainName, scope)))
		if host != "" {
			req.Host = host
		}
		r := sendReq(t, req)
		expect(t, r, 201, "")
		raw, ok := r.body["token"].(map[string]any)["catalog"]
		var cat []entry
		if ok {
			b, _ := json.Marshal(raw)
			if err := json.Unmarshal(b, &cat); err != nil {
				t.Fatal(err)
			}
		}
		return r, cat, ok
	}
	_, cat, ok := create("", "")
	if !ok || len(cat) != 5 {
		t.Fatalf("catalog = %+v", cat)
	}
	types := map[string]string{}
	ids := map[string]bool{}
	for _, e := range cat {
		types[e.Type] = e.Name
		if len(e.Endpoints) != 1 || len(e.ID) != 32 || ids[e.ID] {
			t.Fatalf("entry = %+v", e)
		}
		ids[e.ID] = true
		ep := e.Endpoints[0]
		if ep["interface"] != "public" || ep["region"] != "eu-west-0" || ep["region_id"] != "eu-west-0" || ep["url"] != s.URL() || len(ep["id"]) != 32 {
			t.Fatalf("endpoint = %v", ep)
		}
	}
	if fmt.Sprint(types) != "map[cbr:cbr identity:iam image:ims vbs:vbs volumev2:evs]" {
		t.Fatalf("services = %v", types)
	}
	// The URL is the base URL the request reached, by its Host header.
	port := s.URL()[strings.LastIndex(s.URL(), ":"):]
	if _, cat, _ := create("", "localhost"+port); cat[0].Endpoints[0]["url"] != "http://localhost"+port {
		t.Fatalf("url = %v", cat[0].Endpoints[0])
	}
	// Only a non-empty nocatalog omits it.
	for q, want := range map[string]bool{"?nocatalog": true, "?nocatalog=": true, "?nocatalog=true": false, "?nocatalog=0": false, "?nocatalog=&nocatalog=x": false} {
		if _, _, ok := create(q, ""); ok != want {
			t.Errorf("%s: catalog present = %v, want %v", q, ok, want)
		}
	}
	// Token validation carries the same catalog.
	r, _, _ := create("?nocatalog=1", "")
	req := newTestRequest(t, s.URL(), "GET", "/v3/auth/tokens", ownerTok, nil)
	req.Header.Set("X-Subject-Token", r.header.Get("X-Subject-Token"))
	v := sendReq(t, req)
	expect(t, v, 200, "")
	if c, ok := v.body["token"].(map[string]any)["catalog"].([]any); !ok || len(c) != 5 {
		t.Fatalf("validate = %s", v.raw)
	}
}

func TestTokenCatalogOverTLS(t *testing.T) {
	s, err := New(DefaultWorld())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(s)
	defer ts.Close()
	k := &keystoneClient{t: t, http: ts.Client(), authURL: ts.URL}
	k.authenticate(Receiver2UserName, Receiver2Password, Receiver2DomainName, DefaultRegion)
	ims := k.endpoint("image", DefaultRegion, "public")
	if ims != ts.URL || !strings.HasPrefix(ims, "https://") {
		t.Fatalf("IMS endpoint = %q, want %q", ims, ts.URL)
	}
	if st, _, b := k.do("GET", ims+"/v2/schemas/member", nil); st != 200 {
		t.Fatalf("schema = %d %s", st, b)
	}
}

func TestShowCatalog(t *testing.T) {
	s := startServer(t, DefaultWorld())
	for _, c := range []cred{recv1Tok, ownerAK} {
		r := call(t, s, "GET", "/v3/auth/catalog", c, nil)
		expect(t, r, 200, "")
		if cat := r.body["catalog"].([]any); len(cat) != 5 || r.str("links.self") != s.URL()+"/v3/auth/catalog" {
			t.Fatalf("catalog = %s", r.raw)
		}
	}
	domainTok := issueToken(t, s, OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"domain": map[string]any{"name": OwnerDomainName}})
	r := call(t, s, "GET", "/v3/auth/catalog", cred{token: domainTok}, nil)
	expect(t, r, 403, "")
	if !strings.Contains(string(r.raw), `"title":"Forbidden"`) {
		t.Fatalf("domain token = %s", r.raw)
	}
	expect(t, call(t, s, "GET", "/v3/auth/catalog", noCred, nil), 401, "")
}
