package testendpoint

import (
	"strings"
	"testing"
)

func vbsPath(project string) string { return "/v2/" + project + "/os-vendor-backup-sharing" }

func shareBody(backup string, to ...string) map[string]any {
	return map[string]any{"shared": map[string]any{"backup_id": backup, "to_project_ids": to}}
}

func TestVBSLifecycle(t *testing.T) {
	s := startServer(t, DefaultWorld())
	r := call(t, s, "POST", vbsPath(OwnerProjectID), ownerTok, shareBody(DiskBackup2ID, Receiver1ProjectID, Receiver2ProjectID))
	expect(t, r, 200, "")
	shared := r.body["shared"].([]any)
	if len(shared) != 2 {
		t.Fatalf("create = %s", r.raw)
	}
	for _, null := range []string{`"deleted":null`, `"created_at":null`, `"updated_at":null`, `"deleted_at":null`} {
		if !strings.Contains(string(r.raw), null) {
			t.Errorf("create response lacks %s: %s", null, r.raw)
		}
	}
	first := shared[0].(map[string]any)
	if first["from_project_id"] != OwnerProjectID || first["to_project_id"] != Receiver1ProjectID || first["backup_id"] != DiskBackup2ID || !isUUID(first["id"].(string)) {
		t.Fatalf("share = %v", first)
	}
	shareID := first["id"].(string)

	// Lists: by me (owner), to me (receiver), with filters and paging.
	tests := []struct {
		name  string
		c     cred
		path  string
		query string
		n     int
	}{
		{"by me", ownerTok, vbsPath(OwnerProjectID), "", 2},
		{"by me, to_project_id", ownerTok, vbsPath(OwnerProjectID), "?to_project_id=" + Receiver2ProjectID, 1},
		{"by me, backup_id", ownerTok, vbsPath(OwnerProjectID), "?backup_id=" + DiskBackupID, 0},
		{"by me, share_to_me=false", ownerAK, vbsPath(OwnerProjectID), "?share_to_me=false&from_project_id=" + OwnerProjectID, 2},
		{"to me (owner)", ownerTok, vbsPath(OwnerProjectID), "?share_to_me=true", 0},
		{"to me (receiver)", recv1Tok, vbsPath(Receiver1ProjectID), "?share_to_me=true", 1},
		{"by receiver", recv1Tok, vbsPath(Receiver1ProjectID), "", 0},
		{"limit", ownerTok, vbsPath(OwnerProjectID), "?limit=1", 1},
		{"offset", ownerTok, vbsPath(OwnerProjectID), "?limit=1&offset=1", 1},
		{"name filter", ownerTok, vbsPath(OwnerProjectID), "?name=disk-backup-2&status=available", 2},
		{"sort", ownerTok, vbsPath(OwnerProjectID), "?sort_key=id&sort_dir=asc", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, "GET", tc.path+"/detail"+tc.query, tc.c, nil)
			expect(t, r, 200, "")
			list := r.body["shared"].([]any)
			if len(list) != tc.n {
				t.Fatalf("got %d shares: %s", len(list), r.raw)
			}
			for _, it := range list {
				sh := it.(map[string]any)
				if !cbrTimeRe.MatchString(sh["created_at"].(string)) || sh["backup"].(map[string]any)["id"] != DiskBackup2ID {
					t.Errorf("share = %v", sh)
				}
			}
		})
	}
	// The "sort" and "offset" rows above count; here the order and the pages themselves.
	listIDs := func(query string) []string {
		t.Helper()
		r := call(t, s, "GET", vbsPath(OwnerProjectID)+"/detail"+query, ownerTok, nil)
		expect(t, r, 200, "")
		var ids []string
		for _, it := range r.body["shared"].([]any) {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		return ids
	}
	asc, desc := listIDs("?sort_key=id&sort_dir=asc"), listIDs("?sort_key=id&sort_dir=desc")
	if len(asc) != 2 || asc[0] >= asc[1] || len(desc) != 2 || desc[0] != asc[1] || desc[1] != asc[0] {
		t.Errorf("sorted by id: asc %v, desc %v", asc, desc)
	}
	page1, page2 := listIDs("?sort_key=id&sort_dir=asc&limit=1"), listIDs("?sort_key=id&sort_dir=asc&limit=1&offset=1")
	if len(page1) != 1 || len(page2) != 1 || page1[0] != asc[0] || page2[0] != asc[1] {
		t.Errorf("pages %v and %v, want %v split in two", page1, page2, asc)
	}
	r = call(t, s, "GET", vbsPath(OwnerProjectID)+"/detail?limit=1", ownerTok, nil)
	if links, ok := r.body["shared_links"].([]any); !ok || !strings.Contains(links[0].(map[string]any)["href"].(string), "offset=1") {
		t.Errorf("shared_links = %s", r.raw)
	}
	r = call(t, s, "GET", vbsPath(OwnerProjectID)+"/count", ownerTok, nil)
	expect(t, r, 200, "")
	if r.body["count"] != 2.0 {
		t.Errorf("count = %s", r.raw)
	}

	// Show from both ends; a stranger does not see it.
	expect(t, call(t, s, "GET", vbsPath(OwnerProjectID)+"/"+shareID, ownerTok, nil), 200, "")
	r = call(t, s, "GET", vbsPath(Receiver1ProjectID)+"/"+shareID, recv1Tok, nil)
	expect(t, r, 200, "")
	if r.str("shared.id") != shareID {
		t.Errorf("show = %s", r.raw)
	}
	expect(t, call(t, s, "GET", vbsPath(Receiver2ProjectID)+"/"+shareID, recv2Tok, nil), 404, "VolumeBackup.0105")

	// Cancel: the receiver may not, the owner may, by share ID and then by backup ID.
	expect(t, call(t, s, "DELETE", vbsPath(Receiver1ProjectID)+"/"+shareID, recv1Tok, nil), 403, "VolumeBackup.0106")
	r = call(t, s, "DELETE", vbsPath(OwnerProjectID)+"/"+shareID, ownerTok, nil)
	expect(t, r, 200, "")
	if len(r.raw) != 0 {
		t.Errorf("cancel body = %s", r.raw)
	}
	expect(t, call(t, s, "DELETE", vbsPath(OwnerProjectID)+"/"+shareID, ownerTok, nil), 404, "VolumeBackup.0105")
	expect(t, call(t, s, "DELETE", vbsPath(OwnerProjectID)+"/"+DiskBackup2ID+"?is_backup_id=true", ownerTok, nil), 200, "")
	if n := len(s.World().VBSShares); n != 0 {
		t.Fatalf("shares left: %d", n)
	}
	expect(t, call(t, s, "DELETE", vbsPath(OwnerProjectID)+"/"+DiskBackup2ID+"?is_backup_id=true", recv1Tok, nil), 403, "APIGW.0302")
	expect(t, call(t, s, "DELETE", vbsPath(Receiver1ProjectID)+"/"+DiskBackup2ID+"?is_backup_id=true", recv1Tok, nil), 404, "VolumeBackup.0064")
}

func TestVBSErrors(t *testing.T) {
	w := DefaultWorld()
	w.VBSShares = []VBSShare{{ID: "bbbbbbbb-0000-4000-8000-000000000001", BackupID: DiskBackup2ID, FromProjectID: OwnerProjectID, ToProjectID: Receiver1ProjectID, CreatedAt: defaultTime}}
	s := startServer(t, w)
	p := vbsPath(OwnerProjectID)
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"invalid json", `{"shared":`, 400, "VolumeBackup.0001"},
		{"unknown field", `{"shared":{"backup_id":"` + DiskBackup2ID + `","to_project_ids":["` + Receiver2ProjectID + `"],"x":1}}`, 400, "VolumeBackup.0001"},
		{"missing shared", `{}`, 400, "VolumeBackup.0001"},
		{"wrong type", `{"shared":{"backup_id":1,"to_project_ids":[]}}`, 400, "VolumeBackup.0001"},
		{"empty list", shareBody(DiskBackup2ID), 400, "VolumeBackup.0001"},
		{"duplicates", shareBody(DiskBackup2ID, Receiver2ProjectID, Receiver2ProjectID), 400, "VolumeBackup.0001"},
		{"malformed backup", shareBody("x", Receiver2ProjectID), 400, "VolumeBackup.0001"},
		{"unknown backup", shareBody("0b07081e-0000-4000-8000-0000000000ff", Receiver2ProjectID), 404, "VolumeBackup.0064"},
		{"server backup", shareBody(ServerBackupID, Receiver2ProjectID), 400, "VolumeBackup.0100"},
		{"malformed project", shareBody(DiskBackup2ID, "nope"), 400, "VolumeBackup.0102"},
		{"own project", shareBody(DiskBackup2ID, OwnerProjectID), 400, "VolumeBackup.0103"},
		{"already shared", shareBody(DiskBackup2ID, Receiver2ProjectID, Receiver1ProjectID), 400, "VolumeBackup.0104"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, s, "POST", p, ownerTok, tc.body), tc.status, tc.code)
			if n := len(s.World().VBSShares); n != 1 {
				t.Fatalf("a failed create changed the shares: %d", n)
			}
		})
	}
	// Someone else's backup is not found.
	expect(t, call(t, s, "POST", vbsPath(Receiver1ProjectID), recv1Tok, shareBody(DiskBackup2ID, Receiver2ProjectID)), 404, "VolumeBackup.0064")
	for _, q := range []string{"?share_to_me=maybe", "?limit=0", "?offset=x", "?sort_key=color", "?sort_dir=up"} {
		expect(t, call(t, s, "GET", p+"/detail"+q, ownerTok, nil), 400, "VolumeBackup.0001")
	}
	expect(t, call(t, s, "GET", p+"/not-a-uuid", ownerTok, nil), 400, "VolumeBackup.0001")
	expect(t, call(t, s, "DELETE", p+"/"+DiskBackup2ID+"?is_backup_id=perhaps", ownerTok, nil), 400, "VolumeBackup.0001")

	// Unavailable disk backup.
	w2 := DefaultWorld()
	w2.Backups[5].Status = "error"
	s2 := startServer(t, w2)
	expect(t, call(t, s2, "POST", p, ownerTok, shareBody(DiskBackup2ID, Receiver2ProjectID)), 400, "VolumeBackup.0101")
}
