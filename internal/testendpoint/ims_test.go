package testendpoint

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

var imsTimeRe = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

func imsMembers(image string) string { return "/v2/images/" + image + "/members" }

func TestIMSLifecycle(t *testing.T) {
	s := startServer(t, DefaultWorld())
	r := call(t, s, "POST", imsMembers(FullECSImageID), ownerTok, map[string]any{"member": Receiver1ProjectID})
	expect(t, r, 200, "")
	if r.str("schema") != "/v2/schemas/member" || r.str("status") != "pending" || r.str("member_id") != Receiver1ProjectID ||
		r.str("image_id") != FullECSImageID || !imsTimeRe.MatchString(r.str("created_at")) || !imsTimeRe.MatchString(r.str("updated_at")) {
		t.Fatalf("add = %s", r.raw)
	}
	expect(t, call(t, s, "POST", imsMembers(FullECSImageID), ownerAK, map[string]any{"member": Receiver2ProjectID}), 200, "")

	r = call(t, s, "GET", imsMembers(FullECSImageID), ownerTok, nil)
	expect(t, r, 200, "")
	if r.str("schema") != "/v2/schemas/members" || len(r.body["members"].([]any)) != 2 {
		t.Fatalf("list = %s", r.raw)
	}
	pi, ok := r.body["page_info"].(map[string]any)
	if !ok || pi["current_count"] != 2.0 {
		t.Fatalf("page_info = %s", r.raw)
	}
	// Paging with limit and next_marker.
	r = call(t, s, "GET", imsMembers(FullECSImageID)+"?limit=1", ownerTok, nil)
	next := r.str("page_info.next_marker")
	if len(r.body["members"].([]any)) != 1 || next == "" {
		t.Fatalf("page 1 = %s", r.raw)
	}
	r = call(t, s, "GET", imsMembers(FullECSImageID)+"?limit=1&marker="+next, ownerTok, nil)
	expect(t, r, 200, "")
	if _, more := r.body["page_info"].(map[string]any)["next_marker"]; more || len(r.body["members"].([]any)) != 1 {
		t.Fatalf("page 2 = %s", r.raw)
	}
	// A member sees only itself.
	r = call(t, s, "GET", imsMembers(FullECSImageID), recv1Tok, nil)
	if ms := r.body["members"].([]any); len(ms) != 1 || ms[0].(map[string]any)["member_id"] != Receiver1ProjectID {
		t.Fatalf("member list = %s", r.raw)
	}

	m1 := imsMembers(FullECSImageID) + "/" + Receiver1ProjectID
	expect(t, call(t, s, "GET", m1, recv1Tok, nil), 200, "")
	expect(t, call(t, s, "GET", m1, ownerTok, nil), 200, "")
	expect(t, call(t, s, "GET", m1, recv2Tok, nil), 404, "IMG.0114")

	// Accepting the full-ECS image needs a fitting vault.
	acc := func(vault string) map[string]any {
		b := map[string]any{"status": "accepted"}
		if vault != "" {
			b["vault_id"] = vault
		}
		return b
	}
	for _, tc := range []struct {
		name   string
		c      cred
		body   any
		status int
		code   string
	}{
		{"no vault", recv1Tok, acc(""), 400, "IMG.0001"},
		{"unknown vault", recv1Tok, acc("6a1b7c2d-0000-4000-8000-0000000009ff"), 400, "IMG.0184"},
		{"malformed vault", recv1Tok, acc("v"), 400, "IMG.0184"},
		{"foreign vault", recv1Tok, acc(Receiver2ServerVaultID), 400, "IMG.0184"},
		{"disk vault", recv1Tok, acc(Receiver1DiskVaultID), 400, "IMG.0193"},
		{"full vault", recv1Tok, acc(Receiver1FullVaultID), 400, "IMG.0182"},
		{"owner updates", ownerTok, acc(Receiver1ServerVaultID), 403, "IMG.0106"},
		{"other member updates", recv2Tok, acc(Receiver2ServerVaultID), 403, "IMG.0106"},
		{"pending", recv1Tok, map[string]any{"status": "pending"}, 400, "IMG.0001"},
		{"bad json", recv1Tok, `{"status":`, 400, "IMG.0001"},
		{"unknown field", recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID, "x": 1}, 400, "IMG.0001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, s, "PUT", m1, tc.c, tc.body), tc.status, tc.code)
		})
	}
	r = call(t, s, "PUT", m1, recv1Tok, acc(Receiver1ServerVaultID))
	expect(t, r, 200, "")
	if r.str("status") != "accepted" || vaultUsed(t, s, Receiver1ServerVaultID) != 10 {
		t.Fatalf("accept = %s", r.raw)
	}
	expect(t, call(t, s, "PUT", m1, recv1Tok, acc(Receiver1ServerVaultID)), 200, "")
	if vaultUsed(t, s, Receiver1ServerVaultID) != 10 {
		t.Fatal("idempotent accept charged twice")
	}
	r = call(t, s, "PUT", m1, recv1Tok, map[string]any{"status": "rejected"})
	expect(t, r, 200, "")
	if r.str("status") != "rejected" || vaultUsed(t, s, Receiver1ServerVaultID) != 0 {
		t.Fatalf("reject = %s", r.raw)
	}
	expect(t, call(t, s, "PUT", m1, recv1Tok, acc(Receiver1ServerVaultID)), 200, "")

	// Delete: owner only; frees the vault.
	expect(t, call(t, s, "DELETE", m1, recv1Tok, nil), 403, "IMG.0106")
	expect(t, call(t, s, "DELETE", m1, ownerTok, nil), 204, "")
	if vaultUsed(t, s, Receiver1ServerVaultID) != 0 {
		t.Fatal("delete did not free the vault")
	}
	expect(t, call(t, s, "DELETE", m1, ownerTok, nil), 404, "IMG.0114")
	expect(t, call(t, s, "GET", m1, recv1Tok, nil), 404, "IMG.0027")
}

func TestIMSSystemImageAndAddErrors(t *testing.T) {
	s := startServer(t, DefaultWorld())
	sys := imsMembers(SystemImageID)
	expect(t, call(t, s, "POST", sys, ownerTok, map[string]any{"member": Receiver1ProjectID}), 200, "")
	// A plain image needs no vault.
	expect(t, call(t, s, "PUT", sys+"/"+Receiver1ProjectID, recv1Tok, map[string]any{"status": "accepted"}), 200, "")
	tests := []apiCase{
		{"duplicate", sys, ownerTok, map[string]any{"member": Receiver1ProjectID}, 409, "IMG.0112"},
		{"yourself", sys, ownerTok, map[string]any{"member": OwnerProjectID}, 400, "IMG.0076"},
		{"malformed project", sys, ownerTok, map[string]any{"member": "xyz"}, 400, "IMG.0108"},
		{"unknown project", sys, ownerTok, map[string]any{"member": fmt.Sprintf("%032x", 7)}, 400, "IMG.0108"},
		{"not the owner", sys, recv1Tok, map[string]any{"member": Receiver2ProjectID}, 403, "IMG.0106"},
		{"stranger", sys, recv2Tok, map[string]any{"member": Receiver1ProjectID}, 404, "IMG.0027"},
		{"unknown image", imsMembers("d164b5df-0000-4000-8000-0000000000ff"), ownerTok, map[string]any{"member": Receiver1ProjectID}, 404, "IMG.0027"},
		{"malformed image", imsMembers("img"), ownerTok, map[string]any{"member": Receiver1ProjectID}, 400, "IMG.0001"},
		{"missing member", sys, ownerTok, `{}`, 400, "IMG.0001"},
		{"member wrong type", sys, ownerTok, `{"member":["x"]}`, 400, "IMG.0001"},
		{"unknown field", sys, ownerTok, `{"member":"` + Receiver2ProjectID + `","status":"accepted"}`, 400, "IMG.0001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, s, "POST", tc.path, tc.c, tc.body), tc.status, tc.code)
		})
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?marker=!!", "?marker=bm9ib2R5"} {
		expect(t, call(t, s, "GET", sys+q, ownerTok, nil), 400, "IMG.0001")
	}
}

func TestIMSFullECSLimit(t *testing.T) {
	w := DefaultWorld()
	w.Domains = append(w.Domains, Domain{ID: "extra-domain", Name: "extra"})
	for i := 1; i <= 11; i++ {
		p := fmt.Sprintf("%032x", i)
		w.Projects = append(w.Projects, Project{ID: p, Name: fmt.Sprintf("p%d", i), DomainID: "extra-domain"})
		if i <= 10 {
			w.ImageMembers = append(w.ImageMembers, ImageMember{ImageID: FullECSImageID, MemberID: p, Status: StatusPending, CreatedAt: defaultTime, UpdatedAt: defaultTime})
		}
	}
	s := startServer(t, w)
	expect(t, call(t, s, "POST", imsMembers(FullECSImageID), ownerTok, map[string]any{"member": fmt.Sprintf("%032x", 11)}), 400, "IMG.0088")
	expect(t, call(t, s, "POST", imsMembers(SystemImageID), ownerTok, map[string]any{"member": fmt.Sprintf("%032x", 11)}), 200, "")
}

// TestIMSListPageInfoSDKObjectShape: the official Go SDK decodes the list response into
// {members, schema, page_info: GlancePageInfo{next_marker string, current_count int32}},
// the published schema's object. An array (the published example's shape) makes the SDK
// fail with "readObjectStart: expect { or n, but found [". The request is made the way the
// SDK makes it: AK/SK, Content-Type application/json on a GET, signed user-agent,
// x-project-id and x-sdk-date.
func TestIMSListPageInfoSDKObjectShape(t *testing.T) {
	s := startServer(t, DefaultWorld())
	for _, p := range []string{Receiver1ProjectID, Receiver2ProjectID} {
		expect(t, call(t, s, "POST", imsMembers(FullECSImageID), ownerAK, map[string]any{"member": p}), 200, "")
	}
	type sdkPageInfo struct {
		NextMarker   string `json:"next_marker"`
		CurrentCount int32  `json:"current_count"`
	}
	type sdkList struct {
		Members  *[]map[string]any `json:"members"`
		Schema   *string           `json:"schema"`
		PageInfo *sdkPageInfo      `json:"page_info"`
	}
	get := func(query url.Values) sdkList {
		t.Helper()
		path := imsMembers(FullECSImageID)
		req, err := http.NewRequest("GET", s.URL()+path+"?"+query.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		date := time.Now().UTC().Format("20060102T150405Z")
		ua := "huaweicloud-usdk-go/3.0"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", ua)
		req.Header.Set("X-Project-Id", OwnerProjectID)
		req.Header.Set("X-Sdk-Date", date)
		cr, signed := testCanonicalRequest("GET", path, query, [][2]string{
			{"content-type", "application/json"}, {"user-agent", ua}, {"x-project-id", OwnerProjectID}, {"x-sdk-date", date},
		}, nil)
		req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+OwnerAccessKey+", SignedHeaders="+signed+
			", Signature="+testSignature(OwnerSecretKey, date, cr))
		r := sendReq(t, req)
		expect(t, r, 200, "")
		var l sdkList
		if err := json.Unmarshal(r.raw, &l); err != nil {
			t.Fatalf("the SDK's response model cannot decode %s: %v", r.raw, err)
		}
		if l.PageInfo == nil || l.Members == nil || l.Schema == nil || int(l.PageInfo.CurrentCount) != len(*l.Members) {
			t.Fatalf("list = %s", r.raw)
		}
		return l
	}
	all := get(url.Values{})
	if all.PageInfo.CurrentCount != 2 || all.PageInfo.NextMarker != "" {
		t.Fatalf("page_info = %+v", *all.PageInfo)
	}
	p1 := get(url.Values{"limit": {"1"}})
	if p1.PageInfo.CurrentCount != 1 || p1.PageInfo.NextMarker == "" {
		t.Fatalf("page 1 page_info = %+v", *p1.PageInfo)
	}
	p2 := get(url.Values{"limit": {"1"}, "marker": {p1.PageInfo.NextMarker}})
	if p2.PageInfo.CurrentCount != 1 || p2.PageInfo.NextMarker != "" || (*p2.Members)[0]["member_id"] == (*p1.Members)[0]["member_id"] {
		t.Fatalf("page 2 = %+v %+v", *p2.PageInfo, *p2.Members)
	}
}
