package testendpoint

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func backupsPath(project string) string { return "/v3/" + project + "/backups" }

// sharedBackupsWorld: every default backup created an hour apart (ServerBackupID oldest)
// and shares in every status.
//
//	receiver1: ServerBackupID accepted (server vault), ServerBackup2ID pending, DiskBackupID rejected
//	receiver2: ServerBackupID pending, EncryptedBackupID rejected, DiskBackup2ID accepted (disk vault)
func sharedBackupsWorld() World {
	w := DefaultWorld()
	for i := range w.Backups {
		w.Backups[i].CreatedAt = defaultTime.Add(time.Duration(i) * time.Hour)
	}
	for i := range w.Vaults {
		switch w.Vaults[i].ID {
		case Receiver1ServerVaultID:
			w.Vaults[i].UsedGB = 40
		case Receiver2DiskVaultID:
			w.Vaults[i].UsedGB = 5
		}
	}
	m := func(n int, backup, project, status, vault string) CBRMember {
		return CBRMember{ID: fmt.Sprintf("aaaaaaaa-0000-4000-8000-%012d", n), BackupID: backup, DestProjectID: project,
			Status: status, VaultID: vault, CreatedAt: defaultTime.Add(time.Duration(n) * time.Minute)}
	}
	w.CBRMembers = []CBRMember{
		m(1, ServerBackupID, Receiver1ProjectID, StatusAccepted, Receiver1ServerVaultID),
		m(2, ServerBackup2ID, Receiver1ProjectID, StatusPending, ""),
		m(3, DiskBackupID, Receiver1ProjectID, StatusRejected, ""),
		m(4, ServerBackupID, Receiver2ProjectID, StatusPending, ""),
		m(5, EncryptedBackupID, Receiver2ProjectID, StatusRejected, ""),
		m(6, DiskBackup2ID, Receiver2ProjectID, StatusAccepted, Receiver2DiskVaultID),
	}
	return w
}

// Owner's backups, newest first (the default order, created_at desc).
var ownerBackupsDesc = []string{DiskBackup2ID, UnavailableBackupID, EncryptedBackupID, DiskBackupID, ServerBackup2ID, ServerBackupID}

func listedIDs(t *testing.T, r result, key string) []string {
	t.Helper()
	list, ok := r.body[key].([]any)
	if !ok {
		t.Fatalf("no %s list: %s", key, r.raw)
	}
	ids := []string{}
	for _, b := range list {
		ids = append(ids, b.(map[string]any)["id"].(string))
	}
	return ids
}

func backupByID(t *testing.T, r result, id string) map[string]any {
	t.Helper()
	for _, b := range r.body["backups"].([]any) {
		if m := b.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("backup %s not listed: %s", id, r.raw)
	return nil
}

func TestCBRListBackupsBody(t *testing.T) {
	s := startServer(t, sharedBackupsWorld())
	r := call(t, s, "GET", backupsPath(OwnerProjectID), ownerTok, nil)
	expect(t, r, 200, "")
	if got := listedIDs(t, r, "backups"); !slices.Equal(got, ownerBackupsDesc) || r.body["count"] != 6.0 {
		t.Fatalf("owner list = %v count %v", got, r.body["count"])
	}
	if len(r.body) != 2 {
		t.Errorf("body keys beyond backups and count: %s", r.raw)
	}
	for _, key := range []string{"id", "name", "checkpoint_id", "project_id", "vault_id", "resource_id", "resource_name",
		"resource_az", "resource_size", "resource_type", "provider_id", "status", "image_type", "created_at", "updated_at",
		"expired_at", "protected_at", "parent_id", "description", "extend_info", "children", "replication_records",
		"enterprise_project_id", "incremental", "version"} {
		for _, b := range r.body["backups"].([]any) {
			if _, ok := b.(map[string]any)[key]; !ok {
				t.Fatalf("backup lacks %q: %v", key, b)
			}
		}
	}
	disk := backupByID(t, r, DiskBackupID)
	if disk["resource_type"] != "OS::Cinder::Volume" || disk["provider_id"] != cbrProviderDisk || disk["vault_id"] != OwnerDiskVaultID ||
		disk["resource_size"] != 20.0 || disk["version"] != 3.0 || disk["incremental"] != false || disk["expired_at"] != nil ||
		disk["parent_id"] != nil || disk["enterprise_project_id"] != "0" || disk["project_id"] != OwnerProjectID {
		t.Errorf("disk backup = %v", disk)
	}
	srv := backupByID(t, r, ServerBackupID)
	if srv["resource_type"] != "OS::Nova::Server" || srv["provider_id"] != cbrProviderServer || srv["name"] != "server-backup" {
		t.Errorf("server backup = %v", srv)
	}
	for _, f := range []string{"created_at", "updated_at", "protected_at"} {
		if v, _ := srv[f].(string); !cbrTimeRe.MatchString(v) {
			t.Errorf("%s = %v, want the CBR time format", f, srv[f])
		}
	}

	// A receiver sees the owner's project; the vault is its own once accepted, else null.
	r = call(t, s, "GET", backupsPath(Receiver1ProjectID)+"?own_type=shared", recv1Tok, nil)
	expect(t, r, 200, "")
	acc, pend := backupByID(t, r, ServerBackupID), backupByID(t, r, ServerBackup2ID)
	if acc["project_id"] != OwnerProjectID || acc["vault_id"] != Receiver1ServerVaultID || acc["id"] != ServerBackupID {
		t.Errorf("accepted share = %v", acc)
	}
	if pend["vault_id"] != nil || pend["project_id"] != OwnerProjectID || !strings.Contains(string(r.raw), `"vault_id":null`) {
		t.Errorf("pending share = %v", pend)
	}
	if got := s.Requests(); got[len(got)-1].Service != "cbr" {
		t.Errorf("request logged as service %q", got[len(got)-1].Service)
	}
}

func TestCBRListBackupsFilters(t *testing.T) {
	s := startServer(t, sharedBackupsWorld())
	own, r1, r2 := backupsPath(OwnerProjectID), backupsPath(Receiver1ProjectID), backupsPath(Receiver2ProjectID)
	servers := []string{UnavailableBackupID, EncryptedBackupID, ServerBackup2ID, ServerBackupID}
	tests := []struct {
		name  string
		path  string
		c     cred
		query string
		want  []string
	}{
		{"owner default private", own, ownerTok, "", ownerBackupsDesc},
		{"owner private", own, ownerAK, "own_type=private", ownerBackupsDesc},
		{"owner shared", own, ownerTok, "own_type=shared", nil},
		{"owner all_granted", own, ownerTok, "own_type=all_granted", ownerBackupsDesc},
		{"owner member_status ignored for own", own, ownerTok, "member_status=accepted", ownerBackupsDesc},
		{"owner all_granted member_status", own, ownerTok, "own_type=all_granted&member_status=pending", ownerBackupsDesc},
		{"owner server type", own, ownerTok, "resource_type=OS::Nova::Server", servers},
		{"owner disk type", own, ownerTok, "resource_type=OS::Cinder::Volume", []string{DiskBackup2ID, DiskBackupID}},
		{"owner documented type not in world", own, ownerTok, "resource_type=OS::Sfs::Turbo", nil},
		{"owner vault", own, ownerTok, "vault_id=" + OwnerDiskVaultID, []string{DiskBackup2ID, DiskBackupID}},
		{"owner status", own, ownerTok, "status=creating", []string{UnavailableBackupID}},
		{"owner repeated status", own, ownerTok, "status=creating&status=available", ownerBackupsDesc},
		{"owner status none", own, ownerTok, "status=error", nil},
		{"name exact", own, ownerTok, "name=disk-backup", []string{DiskBackupID}},
		{"name not a substring match", own, ownerTok, "name=disk", nil},
		{"resource_id", own, ownerTok, "resource_id=5b4d0a4c-0000-4000-8000-000000000002", []string{ServerBackup2ID}},
		{"resource_name", own, ownerTok, "resource_name=server-backup", []string{ServerBackupID}},
		{"checkpoint_id", own, ownerTok, "checkpoint_id=" + EncryptedBackupID, []string{EncryptedBackupID}},
		{"parent_id", own, ownerTok, "parent_id=" + ServerBackupID, nil},
		{"resource_az", own, ownerTok, "resource_az=cn-north-4a", ownerBackupsDesc},
		{"other resource_az", own, ownerTok, "resource_az=cn-north-4b", nil},
		{"image_type backup", own, ownerTok, "image_type=backup", ownerBackupsDesc},
		{"image_type replication", own, ownerTok, "image_type=replication", nil},
		{"enterprise project 0", own, ownerTok, "enterprise_project_id=0", ownerBackupsDesc},
		{"all granted eps", own, ownerTok, "enterprise_project_id=all_granted_eps", ownerBackupsDesc},
		{"other enterprise project", own, ownerTok, "enterprise_project_id=" + Receiver1ServerVaultID, nil},
		{"time window", own, ownerTok, "start_time=2024-01-02T05:00:00Z&end_time=2024-01-02T06:04:05Z", []string{EncryptedBackupID, DiskBackupID}},
		{"used_percent 7", own, ownerTok, "used_percent=7", servers},
		{"used_percent 8", own, ownerTok, "used_percent=8", nil},
		{"flags without effect", own, ownerTok, "dec=false&incremental=true&show_replication=true&unknown=x", ownerBackupsDesc},
		{"sort name asc", own, ownerTok, "sort=name:asc", []string{DiskBackupID, DiskBackup2ID, EncryptedBackupID, ServerBackupID, ServerBackup2ID, UnavailableBackupID}},
		{"sort two keys", own, ownerTok, "sort=status:asc,created_at:asc", []string{ServerBackupID, ServerBackup2ID, DiskBackupID, EncryptedBackupID, DiskBackup2ID, UnavailableBackupID}},
		{"sort id", own, ownerTok, "sort=id", []string{ServerBackupID, DiskBackup2ID, UnavailableBackupID, EncryptedBackupID, DiskBackupID, ServerBackup2ID}},

		{"receiver1 private", r1, recv1Tok, "", nil},
		{"receiver1 shared", r1, recv1Tok, "own_type=shared", []string{DiskBackupID, ServerBackup2ID, ServerBackupID}},
		{"receiver1 all_granted", r1, recv1AK, "own_type=all_granted", []string{DiskBackupID, ServerBackup2ID, ServerBackupID}},
		{"receiver1 accepted", r1, recv1Tok, "own_type=shared&member_status=accepted", []string{ServerBackupID}},
		{"receiver1 pending", r1, recv1Tok, "own_type=shared&member_status=pending", []string{ServerBackup2ID}},
		{"receiver1 rejected", r1, recv1Tok, "own_type=shared&member_status=rejected", []string{DiskBackupID}},
		{"receiver1 accepted servers", r1, recv1Tok, "own_type=shared&member_status=accepted&resource_type=OS::Nova::Server&limit=100", []string{ServerBackupID}},
		{"receiver1 disk", r1, recv1Tok, "own_type=shared&resource_type=OS::Cinder::Volume", []string{DiskBackupID}},
		{"receiver1 its vault", r1, recv1Tok, "own_type=shared&vault_id=" + Receiver1ServerVaultID, []string{ServerBackupID}},
		{"receiver1 owner's vault", r1, recv1Tok, "own_type=shared&vault_id=" + OwnerServerVaultID, nil},
		{"receiver1 used_percent", r1, recv1Tok, "own_type=shared&used_percent=4", []string{ServerBackupID}},
		{"receiver1 status", r1, recv1Tok, "own_type=shared&status=available&member_status=pending", []string{ServerBackup2ID}},
		{"receiver2 shared", r2, recv2Tok, "own_type=shared", []string{DiskBackup2ID, EncryptedBackupID, ServerBackupID}},
		{"receiver2 accepted", r2, recv2Tok, "own_type=shared&member_status=accepted", []string{DiskBackup2ID}},
		{"receiver2 pending", r2, recv2Tok, "own_type=shared&member_status=pending", []string{ServerBackupID}},
		{"receiver2 rejected", r2, recv2Tok, "own_type=shared&member_status=rejected", []string{EncryptedBackupID}},
		{"receiver2 its disk vault", r2, recv2Tok, "own_type=all_granted&vault_id=" + Receiver2DiskVaultID, []string{DiskBackup2ID}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if tc.query != "" {
				path += "?" + tc.query
			}
			r := call(t, s, "GET", path, tc.c, nil)
			expect(t, r, 200, "")
			got := listedIDs(t, r, "backups")
			if !slices.Equal(got, append([]string{}, tc.want...)) {
				t.Fatalf("ids = %v, want %v", got, tc.want)
			}
			if r.body["count"] != float64(len(tc.want)) {
				t.Fatalf("count = %v, want %d", r.body["count"], len(tc.want))
			}
		})
	}
}

func TestCBRListBackupsErrors(t *testing.T) {
	s := startServer(t, sharedBackupsWorld())
	own := backupsPath(OwnerProjectID) + "?"
	tests := []apiCase{
		{"own_type all", own + "own_type=all", ownerTok, nil, 400, cbrParam},
		{"own_type upper case", own + "own_type=SHARED", ownerTok, nil, 400, cbrParam},
		{"own_type empty", own + "own_type=", ownerTok, nil, 400, cbrParam},
		{"member_status accept", own + "member_status=accept", ownerTok, nil, 400, cbrParam},
		{"member_status reject", own + "member_status=reject", ownerTok, nil, 400, cbrParam},
		{"resource_type short", own + "resource_type=server", ownerTok, nil, 400, cbrParam},
		{"vault_id not a uuid", own + "vault_id=vault-1", ownerTok, nil, 400, cbrParam},
		{"unknown status", own + "status=available&status=broken", ownerTok, nil, 400, cbrParam},
		{"image_type", own + "image_type=snapshot", ownerTok, nil, 400, cbrParam},
		{"enterprise project", own + "enterprise_project_id=default", ownerTok, nil, 400, cbrParam},
		{"dec not a bool", own + "dec=yes", ownerTok, nil, 400, cbrParam},
		{"incremental not a bool", own + "incremental=1", ownerTok, nil, 400, cbrParam},
		{"start_time date only", own + "start_time=2024-01-02", ownerTok, nil, 400, cbrParam},
		{"end_time with offset", own + "end_time=2024-01-02T00:00:00%2B08:00", ownerTok, nil, 400, cbrParam},
		{"used_percent 0", own + "used_percent=0", ownerTok, nil, 400, cbrParam},
		{"used_percent 101", own + "used_percent=101", ownerTok, nil, 400, cbrParam},
		{"limit 0", own + "limit=0", ownerTok, nil, 400, cbrParam},
		{"limit 1001", own + "limit=1001", ownerTok, nil, 400, cbrParam},
		{"limit text", own + "limit=ten", ownerTok, nil, 400, cbrParam},
		{"offset negative", own + "offset=-1", ownerTok, nil, 400, cbrParam},
		{"sort key", own + "sort=size", ownerTok, nil, 400, cbrParam},
		{"sort direction", own + "sort=name:up", ownerTok, nil, 400, cbrParam},
		{"sort too long", own + "sort=" + strings.Repeat("id,", 90), ownerTok, nil, 400, cbrParam},
		{"unknown marker", own + "marker=" + Receiver1ServerVaultID, ownerTok, nil, 400, cbrParam},
		{"marker not visible", backupsPath(Receiver1ProjectID) + "?own_type=shared&marker=" + EncryptedBackupID, recv1Tok, nil, 400, cbrParam},
		{"repeated own_type", own + "own_type=shared&own_type=private", ownerTok, nil, 400, cbrParam},
		{"repeated limit", own + "limit=1&limit=2", ownerTok, nil, 400, cbrParam},

		{"no credentials", backupsPath(OwnerProjectID), noCred, nil, 401, codeNoAuth},
		{"bad signature", backupsPath(OwnerProjectID), cred{ak: OwnerAccessKey, sk: OwnerSecretKey, badSignature: true}, nil, 401, codeBadIAMAuth},
		{"unknown token", backupsPath(OwnerProjectID), cred{token: "nope"}, nil, 401, codeBadIAMAuth},
		{"another project's path", backupsPath(OwnerProjectID) + "?own_type=shared", recv1Tok, nil, 403, codeNotAllowed},
		{"receiver AK/SK at the owner's path", backupsPath(OwnerProjectID), recv1AK, nil, 403, codeNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, "GET", tc.path, tc.c, nil)
			expect(t, r, tc.status, tc.code)
			if tc.code == cbrParam && !strings.HasPrefix(r.str("error_msg"), "Parameter verification failed: ") {
				t.Errorf("error_msg = %q", r.str("error_msg"))
			}
		})
	}
	// Temporary AK/SK with its security token works like any credential.
	expect(t, call(t, s, "GET", backupsPath(OwnerProjectID), ownerTmp, nil), 200, "")
	expect(t, call(t, s, "GET", backupsPath(OwnerProjectID), cred{ak: OwnerAccessKey, sk: OwnerSecretKey, projectID: OwnerProjectID}, nil), 200, "")
}

func TestCBRListBackupsPaging(t *testing.T) {
	s := startServer(t, sharedBackupsWorld())
	own := backupsPath(OwnerProjectID)
	get := func(q url.Values) result {
		t.Helper()
		r := call(t, s, "GET", own+"?"+q.Encode(), ownerTok, nil)
		expect(t, r, 200, "")
		if r.body["count"] != 6.0 {
			t.Fatalf("count = %v, want the total 6 on every page", r.body["count"])
		}
		return r
	}
	// Offset paging.
	var byOffset []string
	for off := 0; ; off += 4 {
		ids := listedIDs(t, get(url.Values{"limit": {"4"}, "offset": {fmt.Sprint(off)}}), "backups")
		if len(ids) == 0 {
			break
		}
		byOffset = append(byOffset, ids...)
	}
	// Marker paging.
	var byMarker []string
	q := url.Values{"limit": {"4"}}
	for {
		ids := listedIDs(t, get(q), "backups")
		if len(ids) == 0 {
			break
		}
		byMarker = append(byMarker, ids...)
		q.Set("marker", ids[len(ids)-1])
	}
	if !slices.Equal(byOffset, ownerBackupsDesc) || !slices.Equal(byMarker, ownerBackupsDesc) {
		t.Fatalf("offset paging %v, marker paging %v, want %v", byOffset, byMarker, ownerBackupsDesc)
	}
	// marker then offset; marker with a filter that hides the marker itself.
	r := get(url.Values{"marker": {UnavailableBackupID}, "offset": {"1"}, "limit": {"2"}})
	if got := listedIDs(t, r, "backups"); !slices.Equal(got, []string{DiskBackupID, ServerBackup2ID}) {
		t.Fatalf("marker+offset = %v", got)
	}
	r = call(t, s, "GET", own+"?resource_type=OS::Nova::Server&marker="+DiskBackupID, ownerTok, nil)
	if got := listedIDs(t, r, "backups"); !slices.Equal(got, []string{ServerBackup2ID, ServerBackupID}) || r.body["count"] != 4.0 {
		t.Fatalf("marker hidden by the filter: %v count %v", got, r.body["count"])
	}
	if got := listedIDs(t, get(url.Values{"offset": {"6"}}), "backups"); len(got) != 0 {
		t.Fatalf("offset past the end = %v", got)
	}
	if !strings.Contains(string(get(url.Values{"offset": {"99"}}).raw), `"backups":[]`) {
		t.Fatal("an empty page is not an empty list")
	}

	// Default limit 1000 over a larger world; the receiver pages through its shares.
	w := DefaultWorld()
	for i := range 1200 {
		id := fmt.Sprintf("0b07081e-0000-4000-9000-%012d", i)
		w.Backups = append(w.Backups, Backup{ID: id, ProjectID: OwnerProjectID, Name: fmt.Sprint("bulk-", i), ResourceType: ResourceServer,
			Status: "available", SizeGB: 1, VaultID: OwnerServerVaultID, CreatedAt: defaultTime.Add(time.Duration(i) * time.Second)})
		if i%2 == 0 {
			w.CBRMembers = append(w.CBRMembers, CBRMember{ID: fmt.Sprintf("aaaaaaaa-0000-4000-9000-%012d", i), BackupID: id,
				DestProjectID: Receiver1ProjectID, Status: StatusPending, CreatedAt: defaultTime})
		}
	}
	big := startServer(t, w)
	r = call(t, big, "GET", own, ownerTok, nil)
	if n := len(listedIDs(t, r, "backups")); n != 1000 || r.body["count"] != 1206.0 {
		t.Fatalf("default page: %d backups, count %v", n, r.body["count"])
	}
	seen := map[string]bool{}
	for off := 0; off < 700; off += 250 {
		r = call(t, big, "GET", backupsPath(Receiver1ProjectID)+fmt.Sprintf("?own_type=shared&member_status=pending&limit=250&offset=%d", off), recv1Tok, nil)
		for _, id := range listedIDs(t, r, "backups") {
			seen[id] = true
		}
		if r.body["count"] != 600.0 {
			t.Fatalf("receiver count = %v", r.body["count"])
		}
	}
	if len(seen) != 600 {
		t.Fatalf("receiver paged through %d distinct shares, want 600", len(seen))
	}
}

// The listing follows the share's life: accept, reject, removal, backup deletion.
func TestCBRListBackupsFollowsShares(t *testing.T) {
	s := startServer(t, DefaultWorld())
	shared := backupsPath(Receiver1ProjectID) + "?own_type=shared&member_status="
	ids := func(status string) []string {
		t.Helper()
		r := call(t, s, "GET", shared+status, recv1Tok, nil)
		expect(t, r, 200, "")
		return listedIDs(t, r, "backups")
	}
	expect(t, call(t, s, "POST", membersPath(OwnerProjectID, ServerBackupID), ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}), 200, "")
	if got := ids("pending"); !slices.Equal(got, []string{ServerBackupID}) {
		t.Fatalf("pending after share = %v", got)
	}
	r1 := memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID)
	expect(t, call(t, s, "PUT", r1, recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID}), 200, "")
	if p, a := ids("pending"), ids("accepted"); len(p) != 0 || !slices.Equal(a, []string{ServerBackupID}) {
		t.Fatalf("after accept: pending %v accepted %v", p, a)
	}
	expect(t, call(t, s, "PUT", r1, recv1Tok, map[string]any{"status": "rejected"}), 200, "")
	if got := ids("rejected"); !slices.Equal(got, []string{ServerBackupID}) {
		t.Fatalf("rejected after reject = %v", got)
	}
	expect(t, call(t, s, "DELETE", memberPath(OwnerProjectID, ServerBackupID, Receiver1ProjectID), ownerTok, nil), 204, "")
	if got := ids("rejected"); len(got) != 0 {
		t.Fatalf("still listed after the member was removed: %v", got)
	}
	expect(t, call(t, s, "POST", membersPath(OwnerProjectID, ServerBackupID), ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}), 200, "")
	expect(t, call(t, s, "DELETE", backupsPath(OwnerProjectID)+"/"+ServerBackupID, ownerTok, nil), 204, "")
	if got := ids("pending"); len(got) != 0 {
		t.Fatalf("still listed after the backup was deleted: %v", got)
	}
	r := call(t, s, "GET", backupsPath(OwnerProjectID), ownerTok, nil)
	if got := listedIDs(t, r, "backups"); slices.Contains(got, ServerBackupID) || len(got) != 5 {
		t.Fatalf("owner list after delete = %v", got)
	}
}

func FuzzCBRListBackupsQuery(f *testing.F) {
	for _, seed := range []string{
		"", "own_type=shared&member_status=accepted", "limit=0", "limit=99999999999999999999", "offset=-1",
		"marker=" + ServerBackupID, "sort=name:asc,id", "sort=:", "status=available&status=", "start_time=%zz",
		"used_percent=1e2", "own_type=all_granted&vault_id=" + Receiver1ServerVaultID, "a=1&a=2", "%",
	} {
		f.Add(seed)
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		fuzzServeQuery(t, s, "GET", backupsPath(OwnerProjectID), rawQuery, OwnerToken, nil)
	})
}
