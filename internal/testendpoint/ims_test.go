package testendpoint

import (
	"fmt"
	"regexp"
	"testing"
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
	pi, ok := r.body["page_info"].([]any)
	if !ok || len(pi) != 1 || pi[0].(map[string]any)["current_count"] != 2.0 {
		t.Fatalf("page_info = %s", r.raw)
	}
	// Paging with limit and next_marker.
	r = call(t, s, "GET", imsMembers(FullECSImageID)+"?limit=1", ownerTok, nil)
	next, _ := r.body["page_info"].([]any)[0].(map[string]any)["next_marker"].(string)
	if len(r.body["members"].([]any)) != 1 || next == "" {
		t.Fatalf("page 1 = %s", r.raw)
	}
	r = call(t, s, "GET", imsMembers(FullECSImageID)+"?limit=1&marker="+next, ownerTok, nil)
	expect(t, r, 200, "")
	if _, more := r.body["page_info"].([]any)[0].(map[string]any)["next_marker"]; more || len(r.body["members"].([]any)) != 1 {
		t.Fatalf("page 2 = %s", r.raw)
	}
	// A member sees only itself.
	r = call(t, s, "GET", imsMembers(FullECSImageID), recv1Tok, nil)
	if len(r.body["members"].([]any)) != 1 {
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
	tests := []struct {
		name   string
		path   string
		c      cred
		body   any
		status int
		code   string
	}{
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
