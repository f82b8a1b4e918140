package testendpoint

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var cbrTimeRe = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$`)

func vaultUsed(t *testing.T, s *Server, id string) int {
	t.Helper()
	for _, v := range s.World().Vaults {
		if v.ID == id {
			return v.UsedGB
		}
	}
	t.Fatalf("no vault %s", id)
	return 0
}

// steppingClock returns a clock that advances one second per call, for distinct timestamps.
func steppingClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func TestCBRMemberLifecycle(t *testing.T) {
	s := startServer(t, DefaultWorld())
	owner := membersPath(OwnerProjectID, ServerBackupID)
	r1Member := memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID)

	r := call(t, s, "POST", owner, ownerTok, map[string]any{"members": []string{Receiver1ProjectID}})
	expect(t, r, 200, "")
	for _, null := range []string{`"image_id":null`, `"updated_at":null`, `"vault_id":null`} {
		if !strings.Contains(string(r.raw), null) {
			t.Errorf("add response lacks %s: %s", null, r.raw)
		}
	}
	m := r.body["members"].([]any)[0].(map[string]any)
	if m["status"] != "pending" || m["dest_project_id"] != Receiver1ProjectID || m["backup_id"] != ServerBackupID ||
		!isUUID(m["id"].(string)) || !cbrTimeRe.MatchString(m["created_at"].(string)) || r.body["count"] != 1.0 {
		t.Fatalf("add response = %s", r.raw)
	}

	r = call(t, s, "GET", owner, ownerAK, nil)
	expect(t, r, 200, "")
	if r.body["count"] != 1.0 || len(r.body["members"].([]any)) != 1 {
		t.Fatalf("list = %s", r.raw)
	}
	expect(t, call(t, s, "GET", memberPath(OwnerProjectID, ServerBackupID, Receiver1ProjectID), ownerTok, nil), 200, "")
	r = call(t, s, "GET", r1Member, recv1Tok, nil)
	expect(t, r, 200, "")
	if r.str("member.status") != "pending" {
		t.Fatalf("show = %s", r.raw)
	}
	expect(t, call(t, s, "GET", memberPath(Receiver2ProjectID, ServerBackupID, Receiver1ProjectID), recv2Tok, nil), 404, "BackupService.6705")
	expect(t, call(t, s, "GET", "/v3/"+Receiver1ProjectID+"/backups/"+ServerBackupID, recv1Tok, nil), 404, "BackupService.6200")

	// Accept: the backup lands in the receiver's vault.
	r = call(t, s, "PUT", r1Member, recv1AK, map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID})
	expect(t, r, 200, "")
	if r.str("member.status") != "accepted" || r.str("member.vault_id") != Receiver1ServerVaultID ||
		!cbrTimeRe.MatchString(r.str("member.updated_at")) || !strings.Contains(string(r.raw), `"image_id":null`) {
		t.Fatalf("accept = %s", r.raw)
	}
	if got := vaultUsed(t, s, Receiver1ServerVaultID); got != 40 {
		t.Fatalf("vault used = %d, want 40", got)
	}
	r = call(t, s, "GET", "/v3/"+Receiver1ProjectID+"/backups/"+ServerBackupID, recv1Tok, nil)
	expect(t, r, 200, "")
	if r.str("backup.vault_id") != Receiver1ServerVaultID || r.str("backup.project_id") != OwnerProjectID || r.str("backup.id") != ServerBackupID {
		t.Fatalf("receiver backup = %s", r.raw)
	}
	r = call(t, s, "GET", "/v3/"+OwnerProjectID+"/backups/"+ServerBackupID, ownerTok, nil)
	expect(t, r, 200, "")
	if r.str("backup.vault_id") != OwnerServerVaultID || r.str("backup.resource_type") != "OS::Nova::Server" {
		t.Fatalf("owner backup = %s", r.raw)
	}

	// Transitions.
	expect(t, call(t, s, "PUT", r1Member, recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID}), 200, "")
	expect(t, call(t, s, "PUT", r1Member, recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1FullVaultID}), 400, "BackupService.6706")
	expect(t, call(t, s, "PUT", r1Member, recv1Tok, map[string]any{"status": "pending"}), 400, "BackupService.6706")
	if got := vaultUsed(t, s, Receiver1ServerVaultID); got != 40 {
		t.Fatalf("idempotent accept changed the vault: used %d", got)
	}
	r = call(t, s, "PUT", r1Member, recv1Tok, map[string]any{"status": "rejected"})
	expect(t, r, 200, "")
	if r.str("member.status") != "rejected" || !strings.Contains(string(r.raw), `"vault_id":null`) {
		t.Fatalf("reject = %s", r.raw)
	}
	if got := vaultUsed(t, s, Receiver1ServerVaultID); got != 0 {
		t.Fatalf("vault used after reject = %d", got)
	}
	expect(t, call(t, s, "GET", "/v3/"+Receiver1ProjectID+"/backups/"+ServerBackupID, recv1Tok, nil), 404, "BackupService.6200")
	expect(t, call(t, s, "PUT", r1Member, recv1Tok, map[string]any{"status": "rejected"}), 200, "")
	expect(t, call(t, s, "PUT", r1Member, recv1Tok, map[string]any{"status": "pending"}), 400, "BackupService.6706")
	expect(t, call(t, s, "PUT", r1Member, recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID}), 200, "")

	// The owner deletes the member: the copy leaves the receiver's vault.
	r = call(t, s, "DELETE", memberPath(OwnerProjectID, ServerBackupID, Receiver1ProjectID), ownerTok, nil)
	expect(t, r, 204, "")
	if len(r.raw) != 0 {
		t.Errorf("204 with a body: %s", r.raw)
	}
	if got := vaultUsed(t, s, Receiver1ServerVaultID); got != 0 {
		t.Fatalf("vault used after delete = %d", got)
	}
	expect(t, call(t, s, "GET", r1Member, recv1Tok, nil), 404, "BackupService.6705")
	expect(t, call(t, s, "DELETE", memberPath(OwnerProjectID, ServerBackupID, Receiver1ProjectID), ownerTok, nil), 404, "BackupService.6705")
}

func TestCBRAddMemberErrors(t *testing.T) {
	w := DefaultWorld()
	w.CBRMembers = []CBRMember{{ID: "aaaaaaaa-0000-4000-8000-000000000001", BackupID: ServerBackupID, DestProjectID: Receiver1ProjectID, Status: StatusPending, CreatedAt: defaultTime}}
	s := startServer(t, w)
	owner := membersPath(OwnerProjectID, ServerBackupID)
	elevens := make([]string, 11)
	for i := range elevens {
		elevens[i] = fmt.Sprintf("%032x", i+1)
	}
	tests := []struct {
		name     string
		path     string
		c        cred
		body     any
		status   int
		code     string
		contains string
	}{
		{"invalid json", owner, ownerTok, `{"members":[`, 400, "BackupService.9900", ""},
		{"empty body", owner, ownerTok, "", 400, "BackupService.9900", ""},
		{"trailing data", owner, ownerTok, `{"members":["` + Receiver2ProjectID + `"]} {}`, 400, "BackupService.9900", ""},
		{"members not a list", owner, ownerTok, `{"members":"` + Receiver2ProjectID + `"}`, 400, "BackupService.9900", "members"},
		{"number member", owner, ownerTok, `{"members":[1]}`, 400, "BackupService.9900", ""},
		{"null member", owner, ownerTok, `{"members":[null]}`, 400, "BackupService.9900", ""},
		{"unknown field", owner, ownerTok, `{"members":["` + Receiver2ProjectID + `"],"foo":1}`, 400, "BackupService.9900", "foo"},
		{"missing members", owner, ownerTok, `{}`, 400, "BackupService.9900", "required"},
		{"null body", owner, ownerTok, `null`, 400, "BackupService.9900", "required"},
		{"empty list", owner, ownerTok, `{"members":[]}`, 400, "BackupService.9900", "1 to 10"},
		{"eleven members", owner, ownerTok, map[string]any{"members": elevens}, 400, "BackupService.9900", "1 to 10"},
		{"duplicate in list", owner, ownerTok, map[string]any{"members": []string{Receiver2ProjectID, Receiver2ProjectID}}, 400, "BackupService.9900", "duplicate"},
		{"domains", owner, ownerTok, map[string]any{"members": []string{Receiver2ProjectID}, "domains": []string{Receiver2DomainID}}, 400, "BackupService.9900", "domains"},
		{"malformed backup id", membersPath(OwnerProjectID, "not-a-uuid"), ownerTok, map[string]any{"members": []string{Receiver2ProjectID}}, 400, "BackupService.9900", ""},
		{"unknown backup", membersPath(OwnerProjectID, "0b07081e-0000-4000-8000-0000000000ff"), ownerTok, map[string]any{"members": []string{Receiver2ProjectID}}, 404, "BackupService.6200", ""},
		{"someone else's backup", membersPath(Receiver1ProjectID, ServerBackupID), recv1Tok, map[string]any{"members": []string{Receiver2ProjectID}}, 404, "BackupService.6200", ""},
		{"disk backup", membersPath(OwnerProjectID, DiskBackupID), ownerTok, map[string]any{"members": []string{Receiver2ProjectID}}, 400, "BackupService.6700", ""},
		{"unavailable backup", membersPath(OwnerProjectID, UnavailableBackupID), ownerTok, map[string]any{"members": []string{Receiver2ProjectID}}, 400, "BackupService.6702", ""},
		{"encrypted backup", membersPath(OwnerProjectID, EncryptedBackupID), ownerTok, map[string]any{"members": []string{Receiver2ProjectID}}, 400, "BackupService.6709", ""},
		{"malformed project", owner, ownerTok, map[string]any{"members": []string{"ABC"}}, 400, "BackupService.6704", "ABC"},
		{"own project", owner, ownerTok, map[string]any{"members": []string{OwnerProjectID}}, 400, "BackupService.6704", "own project"},
		{"unknown project", owner, ownerTok, map[string]any{"members": []string{strings.Repeat("ab", 16)}}, 400, "BackupService.6704", "does not exist"},
		{"already a member", owner, ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}, 400, "BackupService.6714", Receiver1ProjectID},
		{"all or nothing", owner, ownerTok, map[string]any{"members": []string{Receiver2ProjectID, Receiver1ProjectID}}, 400, "BackupService.6714", Receiver1ProjectID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, "POST", tc.path, tc.c, tc.body)
			expect(t, r, tc.status, tc.code)
			if !strings.Contains(r.str("error_msg"), tc.contains) {
				t.Errorf("error_msg %q lacks %q", r.str("error_msg"), tc.contains)
			}
			if got := len(s.World().CBRMembers); got != 1 {
				t.Fatalf("a failed add changed the members: %d", got)
			}
		})
	}
}

func TestCBRMemberLimit(t *testing.T) {
	w := DefaultWorld()
	w.Domains = append(w.Domains, Domain{ID: "extra-domain", Name: "extra"})
	for i := 1; i <= 11; i++ {
		w.Projects = append(w.Projects, Project{ID: fmt.Sprintf("%032x", i), Name: fmt.Sprintf("p%d", i), DomainID: "extra-domain"})
	}
	for i := 1; i <= 9; i++ {
		w.CBRMembers = append(w.CBRMembers, CBRMember{ID: fmt.Sprintf("aaaaaaaa-0000-4000-8000-%012d", i), BackupID: ServerBackupID,
			DestProjectID: fmt.Sprintf("%032x", i), Status: StatusPending, CreatedAt: defaultTime})
	}
	s := startServer(t, w)
	path := membersPath(OwnerProjectID, ServerBackupID)
	r := call(t, s, "POST", path, ownerTok, map[string]any{"members": []string{fmt.Sprintf("%032x", 10), fmt.Sprintf("%032x", 11)}})
	expect(t, r, 400, "BackupService.6701")
	r = call(t, s, "POST", path, ownerTok, map[string]any{"members": []string{fmt.Sprintf("%032x", 10)}})
	expect(t, r, 200, "")
	if r.body["count"] != 10.0 {
		t.Errorf("count = %v", r.body["count"])
	}
	expect(t, call(t, s, "POST", path, ownerTok, map[string]any{"members": []string{fmt.Sprintf("%032x", 11)}}), 400, "BackupService.6701")
}

func TestCBRUpdateMemberErrors(t *testing.T) {
	w := DefaultWorld()
	w.CBRMembers = []CBRMember{{ID: "aaaaaaaa-0000-4000-8000-000000000001", BackupID: ServerBackupID, DestProjectID: Receiver1ProjectID, Status: StatusPending, CreatedAt: defaultTime}}
	s := startServer(t, w)
	p := memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID)
	accept := func(vault string) map[string]any { return map[string]any{"status": "accepted", "vault_id": vault} }
	tests := []apiCase{
		{"invalid json", p, recv1Tok, `{`, 400, "BackupService.9900"},
		{"unknown status", p, recv1Tok, map[string]any{"status": "maybe"}, 400, "BackupService.9900"},
		{"missing status", p, recv1Tok, map[string]any{"vault_id": Receiver1ServerVaultID}, 400, "BackupService.9900"},
		{"status wrong type", p, recv1Tok, `{"status":true}`, 400, "BackupService.9900"},
		{"unknown field", p, recv1Tok, map[string]any{"status": "rejected", "reason": "x"}, 400, "BackupService.9900"},
		{"vault_id not a uuid", p, recv1Tok, accept("vault-1"), 400, "BackupService.9900"},
		{"accept without vault", p, recv1Tok, map[string]any{"status": "accepted"}, 400, "BackupService.9900"},
		{"malformed member id", memberPath(Receiver1ProjectID, ServerBackupID, "x"), recv1Tok, accept(Receiver1ServerVaultID), 400, "BackupService.9900"},
		{"unknown backup", memberPath(Receiver1ProjectID, "0b07081e-0000-4000-8000-0000000000ff", Receiver1ProjectID), recv1Tok, accept(Receiver1ServerVaultID), 404, "BackupService.6200"},
		{"unknown vault", p, recv1Tok, accept("6a1b7c2d-0000-4000-8000-0000000009ff"), 404, "BackupService.6105"},
		{"another project's vault", p, recv1Tok, accept(Receiver2ServerVaultID), 404, "BackupService.6105"},
		{"vault type mismatch", p, recv1Tok, accept(Receiver1DiskVaultID), 400, "BackupService.6713"},
		{"vault full", p, recv1Tok, accept(Receiver1FullVaultID), 400, "BackupService.6129"},
		{"owner updates", memberPath(OwnerProjectID, ServerBackupID, Receiver1ProjectID), ownerTok, accept(Receiver1ServerVaultID), 400, "BackupService.6706"},
		{"stranger updates", memberPath(Receiver2ProjectID, ServerBackupID, Receiver1ProjectID), recv2Tok, accept(Receiver2ServerVaultID), 404, "BackupService.6705"},
		{"non-member updates itself", memberPath(Receiver2ProjectID, ServerBackupID, Receiver2ProjectID), recv2Tok, accept(Receiver2ServerVaultID), 404, "BackupService.6705"},
		{"pending", p, recv1Tok, map[string]any{"status": "pending"}, 400, "BackupService.6706"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, s, "PUT", tc.path, tc.c, tc.body), tc.status, tc.code)
			if m := s.World().CBRMembers[0]; m.Status != StatusPending || m.VaultID != "" {
				t.Fatalf("a failed update changed the member: %+v", m)
			}
			if vaultUsed(t, s, Receiver1FullVaultID) != 45 {
				t.Fatal("a failed update changed a vault")
			}
		})
	}
}

func TestCBRDiskSharingWhenAllowed(t *testing.T) {
	w := DefaultWorld()
	w.AllowDiskBackupSharing = true
	s := startServer(t, w)
	expect(t, call(t, s, "POST", membersPath(OwnerProjectID, DiskBackupID), ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}), 200, "")
	p := memberPath(Receiver1ProjectID, DiskBackupID, Receiver1ProjectID)
	expect(t, call(t, s, "PUT", p, recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID}), 400, "BackupService.6713")
	expect(t, call(t, s, "PUT", p, recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1DiskVaultID}), 200, "")
	if vaultUsed(t, s, Receiver1DiskVaultID) != 20 {
		t.Fatal("disk vault not charged")
	}
	// A disk backup already shared through VBS cannot be shared again through CBR.
	expect(t, call(t, s, "POST", "/v2/"+OwnerProjectID+"/os-vendor-backup-sharing", ownerTok,
		map[string]any{"shared": map[string]any{"backup_id": DiskBackupID, "to_project_ids": []string{Receiver2ProjectID}}}), 200, "")
	expect(t, call(t, s, "POST", membersPath(OwnerProjectID, DiskBackupID), ownerTok, map[string]any{"members": []string{Receiver2ProjectID}}), 400, "BackupService.6703")
}

func TestCBRListMembers(t *testing.T) {
	s := startServer(t, DefaultWorld())
	s.SetNow(steppingClock())
	path := membersPath(OwnerProjectID, ServerBackupID)
	expect(t, call(t, s, "POST", path, ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}), 200, "")
	expect(t, call(t, s, "POST", path, ownerTok, map[string]any{"members": []string{Receiver2ProjectID}}), 200, "")
	expect(t, call(t, s, "PUT", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok,
		map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID}), 200, "")
	ids := map[string]string{}
	for _, m := range s.World().CBRMembers {
		ids[m.DestProjectID] = m.ID
	}
	byID := []string{Receiver1ProjectID, Receiver2ProjectID}
	if ids[Receiver2ProjectID] < ids[Receiver1ProjectID] {
		byID = []string{Receiver2ProjectID, Receiver1ProjectID}
	}
	tests := []struct {
		query string
		count int
		want  []string // dest projects in order
	}{
		{"", 2, []string{Receiver2ProjectID, Receiver1ProjectID}},
		{"?sort=created_at:asc", 2, []string{Receiver1ProjectID, Receiver2ProjectID}},
		{"?sort=updated_at:desc", 2, []string{Receiver1ProjectID, Receiver2ProjectID}},
		{"?sort=status:asc,created_at", 2, []string{Receiver1ProjectID, Receiver2ProjectID}},
		{"?sort=id:asc", 2, byID},
		{"?status=accepted", 1, []string{Receiver1ProjectID}},
		{"?status=pending", 1, []string{Receiver2ProjectID}},
		{"?dest_project_id=" + Receiver2ProjectID, 1, []string{Receiver2ProjectID}},
		{"?vault_id=" + Receiver1ServerVaultID, 1, []string{Receiver1ProjectID}},
		{"?image_id=d164b5df-1bc3-4c3f-893e-3e471fd16e64", 0, nil},
		{"?limit=1", 2, []string{Receiver2ProjectID}},
		{"?limit=1&offset=1", 2, []string{Receiver1ProjectID}},
		{"?offset=5", 2, nil},
		{"?marker=" + ids[Receiver2ProjectID], 2, []string{Receiver1ProjectID}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := call(t, s, "GET", path+tc.query, ownerTok, nil)
			expect(t, r, 200, "")
			if r.body["count"] != float64(tc.count) {
				t.Errorf("count = %v, want %d", r.body["count"], tc.count)
			}
			var got []string
			for _, m := range r.body["members"].([]any) {
				got = append(got, m.(map[string]any)["dest_project_id"].(string))
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("members = %v, want %v", got, tc.want)
			}
		})
	}
	for _, q := range []string{"?status=bogus", "?vault_id=abc", "?limit=0", "?limit=x", "?offset=-1", "?sort=name", "?sort=created_at:up",
		"?sort=", "?sort=" + strings.Repeat("id,", 90), "?marker=aaaaaaaa-0000-4000-8000-000000000001"} {
		expect(t, call(t, s, "GET", path+q, ownerTok, nil), 400, "BackupService.9900")
	}
	// Only the owner lists.
	expect(t, call(t, s, "GET", membersPath(Receiver1ProjectID, ServerBackupID), recv1Tok, nil), 404, "BackupService.6200")
}

func TestCBRDeleteBackup(t *testing.T) {
	for _, quirk := range []bool{true, false} {
		t.Run(fmt.Sprintf("quirk=%v", quirk), func(t *testing.T) {
			w := DefaultWorld()
			w.DeletedBackupQuirk = &quirk
			s := startServer(t, w)
			path := membersPath(OwnerProjectID, ServerBackupID)
			expect(t, call(t, s, "POST", path, ownerTok, map[string]any{"members": []string{Receiver1ProjectID, Receiver2ProjectID}}), 200, "")
			expect(t, call(t, s, "PUT", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok,
				map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID}), 200, "")
			expect(t, call(t, s, "DELETE", "/v3/"+Receiver1ProjectID+"/backups/"+ServerBackupID, recv1Tok, nil), 404, "BackupService.6200")
			expect(t, call(t, s, "DELETE", "/v3/"+OwnerProjectID+"/backups/"+ServerBackup2ID, ownerTok, nil), 400, "BackupService.6204")
			expect(t, call(t, s, "DELETE", "/v3/"+OwnerProjectID+"/backups/"+ServerBackupID, ownerTok, nil), 204, "")
			if vaultUsed(t, s, Receiver1ServerVaultID) != 0 || vaultUsed(t, s, OwnerServerVaultID) != 33 {
				t.Fatal("vaults not released")
			}
			r := call(t, s, "GET", path, ownerTok, nil)
			if quirk {
				expect(t, r, 401, "")
				if string(r.raw) != `{"unauthorized":{"code":"401","message":"Malformed request url"}}` {
					t.Errorf("quirk body = %s", r.raw)
				}
			} else {
				expect(t, r, 404, "BackupService.6200")
			}
			expect(t, call(t, s, "GET", memberPath(OwnerProjectID, ServerBackupID, Receiver1ProjectID), ownerTok, nil), 404, "BackupService.6200")
			expect(t, call(t, s, "GET", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok, nil), 404, "BackupService.6200")
			expect(t, call(t, s, "PUT", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok, map[string]any{"status": "rejected"}), 404, "BackupService.6200")
			expect(t, call(t, s, "DELETE", memberPath(OwnerProjectID, ServerBackupID, Receiver1ProjectID), ownerTok, nil), 404, "BackupService.6200")
			expect(t, call(t, s, "POST", path, ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}), 404, "BackupService.6200")
			expect(t, call(t, s, "GET", "/v3/"+OwnerProjectID+"/backups/"+ServerBackupID, ownerTok, nil), 404, "BackupService.6200")
			// The deletion survives a snapshot round trip.
			snap := s.World()
			if len(snap.DeletedBackupIDs) != 1 || len(snap.CBRMembers) != 0 {
				t.Fatalf("snapshot = %+v", snap.DeletedBackupIDs)
			}
			s2 := startServer(t, snap)
			r = call(t, s2, "GET", path, ownerTok, nil)
			if quirk {
				expect(t, r, 401, "")
			} else {
				expect(t, r, 404, "BackupService.6200")
			}
		})
	}
}

func TestCBRReceiverPermissions(t *testing.T) {
	s := startServer(t, DefaultWorld())
	expect(t, call(t, s, "POST", membersPath(OwnerProjectID, ServerBackupID), ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}), 200, "")
	expect(t, call(t, s, "POST", membersPath(Receiver1ProjectID, ServerBackupID), recv1Tok, map[string]any{"members": []string{Receiver2ProjectID}}), 404, "BackupService.6200")
	expect(t, call(t, s, "DELETE", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok, nil), 404, "BackupService.6200")
	expect(t, call(t, s, "GET", memberPath(OwnerProjectID, ServerBackupID, Receiver2ProjectID), ownerTok, nil), 404, "BackupService.6705")
	expect(t, call(t, s, "GET", memberPath(Receiver1ProjectID, ServerBackupID, "bad"), recv1Tok, nil), 400, "BackupService.9900")
	expect(t, call(t, s, "GET", "/v3/"+Receiver1ProjectID+"/backups/nope", recv1Tok, nil), 400, "BackupService.9900")
	expect(t, call(t, s, "DELETE", "/v3/"+OwnerProjectID+"/backups/0b07081e-0000-4000-8000-0000000000ff", ownerTok, nil), 404, "BackupService.6200")
}

// Concurrent adds and accepts from several goroutines: the race detector and the final
// state check that the lock covers everything.
func TestCBRConcurrentRequests(t *testing.T) {
	s := startServer(t, DefaultWorld())
	var wg sync.WaitGroup
	for _, b := range []string{ServerBackupID, ServerBackup2ID} {
		for _, rc := range []struct {
			project string
			c       cred
			vault   string
		}{{Receiver1ProjectID, recv1Tok, Receiver1ServerVaultID}, {Receiver2ProjectID, recv2Tok, Receiver2ServerVaultID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				call(t, s, "POST", membersPath(OwnerProjectID, b), ownerTok, map[string]any{"members": []string{rc.project}})
				call(t, s, "PUT", memberPath(rc.project, b, rc.project), rc.c, map[string]any{"status": "accepted", "vault_id": rc.vault})
				call(t, s, "GET", membersPath(OwnerProjectID, b), ownerAK, nil)
				_ = s.World()
			}()
		}
	}
	wg.Wait()
	if n := len(s.World().CBRMembers); n != 4 {
		t.Fatalf("members = %d", n)
	}
	if vaultUsed(t, s, Receiver1ServerVaultID) != 50 || vaultUsed(t, s, Receiver2ServerVaultID) != 50 {
		t.Fatal("vault accounting is off")
	}
}
