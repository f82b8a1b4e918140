package testendpoint

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDefaultWorldMatchesContract(t *testing.T) {
	w := DefaultWorld()
	if _, err := prepareWorld(w); err != nil {
		t.Fatalf("default world invalid: %v", err)
	}
	if w.Region != DefaultRegion || time.Duration(w.TokenLifetime) != 24*time.Hour || !*w.DeletedBackupQuirk || w.AllowDiskBackupSharing {
		t.Fatalf("settings = %+v", w)
	}
	vaults := map[string]Vault{}
	for _, v := range w.Vaults {
		vaults[v.ID] = v
	}
	for _, tc := range []struct {
		id, project, typ string
		capacity, used   int
	}{
		{OwnerServerVaultID, OwnerProjectID, "server", 1000, -1},
		{Receiver1ServerVaultID, Receiver1ProjectID, "server", 1000, 0},
		{Receiver1DiskVaultID, Receiver1ProjectID, "disk", 1000, 0},
		{Receiver1FullVaultID, Receiver1ProjectID, "server", 50, 45},
		{Receiver2ServerVaultID, Receiver2ProjectID, "server", 1000, 0},
		{Receiver2DiskVaultID, Receiver2ProjectID, "disk", 1000, 0},
	} {
		v, ok := vaults[tc.id]
		if !ok || v.ProjectID != tc.project || v.ResourceType != tc.typ || v.CapacityGB != tc.capacity || (tc.used >= 0 && v.UsedGB != tc.used) {
			t.Errorf("vault %s = %+v", tc.id, v)
		}
	}
	backups := map[string]Backup{}
	for _, b := range w.Backups {
		backups[b.ID] = b
	}
	for _, tc := range []struct {
		id, typ, status string
		size            int
		encrypted       bool
	}{
		{ServerBackupID, "server", "available", 40, false},
		{ServerBackup2ID, "server", "available", 10, false},
		{DiskBackupID, "disk", "available", 20, false},
		{EncryptedBackupID, "server", "available", -1, true},
		{UnavailableBackupID, "server", "creating", -1, false},
		{DiskBackup2ID, "disk", "available", 5, false},
	} {
		b, ok := backups[tc.id]
		if !ok || b.ProjectID != OwnerProjectID || b.ResourceType != tc.typ || b.Status != tc.status || b.Encrypted != tc.encrypted || (tc.size > 0 && b.SizeGB != tc.size) {
			t.Errorf("backup %s = %+v", tc.id, b)
		}
	}
	imgs := map[string]Image{}
	for _, im := range w.Images {
		imgs[im.ID] = im
	}
	if imgs[FullECSImageID].BackupID != ServerBackup2ID || imgs[SystemImageID].BackupID != "" || imgs[FullECSImageID].ProjectID != OwnerProjectID {
		t.Errorf("images = %+v", w.Images)
	}
	// Every credential of the contract works.
	s := startServer(t, w)
	for _, tc := range []struct {
		user, password, domain, project string
	}{
		{OwnerUserName, OwnerPassword, OwnerDomainName, OwnerProjectID},
		{Receiver1UserName, Receiver1Password, Receiver1DomainName, Receiver1ProjectID},
		{Receiver2UserName, Receiver2Password, Receiver2DomainName, Receiver2ProjectID},
	} {
		r := call(t, s, "POST", "/v3/auth/tokens", noCred, tokenBody(tc.user, tc.password, tc.domain, map[string]any{"project": map[string]any{"name": DefaultRegion}}))
		expect(t, r, 201, "")
		if r.str("token.project.id") != tc.project || r.str("token.user.domain.name") != tc.domain {
			t.Errorf("%s token = %s", tc.user, r.raw)
		}
	}
	for _, c := range []cred{ownerTok, recv1Tok, recv2Tok, ownerAK, recv1AK, {ak: Receiver2AccessKey, sk: Receiver2SecretKey}, ownerTmp} {
		expect(t, call(t, s, "GET", "/v3/auth/projects", c, nil), 200, "")
	}
}

func TestDefaultWorldIsACopy(t *testing.T) {
	a := DefaultWorld()
	a.Backups[0].Status = "error"
	*a.DeletedBackupQuirk = false
	b := DefaultWorld()
	if b.Backups[0].Status != "available" || !*b.DeletedBackupQuirk {
		t.Fatal("DefaultWorld shares state between calls")
	}
	s := startServer(t, DefaultWorld())
	snap := s.World()
	snap.Vaults[0].UsedGB = 999
	snap.Users[0].AccessKeys[0].SecretKey = "x"
	if s.World().Vaults[0].UsedGB == 999 || s.World().Users[0].AccessKeys[0].SecretKey == "x" {
		t.Fatal("World() is not a deep copy")
	}
}

func TestWorldJSONRoundTrip(t *testing.T) {
	s := startServer(t, DefaultWorld())
	expect(t, call(t, s, "POST", membersPath(OwnerProjectID, ServerBackupID), ownerTok, map[string]any{"members": []string{Receiver1ProjectID}}), 200, "")
	expect(t, call(t, s, "PUT", memberPath(Receiver1ProjectID, ServerBackupID, Receiver1ProjectID), recv1Tok, map[string]any{"status": "accepted", "vault_id": Receiver1ServerVaultID}), 200, "")
	expect(t, call(t, s, "POST", vbsPath(OwnerProjectID), ownerTok, shareBody(DiskBackup2ID, Receiver2ProjectID)), 200, "")
	expect(t, call(t, s, "POST", imsMembers(SystemImageID), ownerTok, map[string]any{"member": Receiver2ProjectID}), 200, "")
	snap := s.World()
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadWorld(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("snapshot not loadable: %v", err)
	}
	if !reflect.DeepEqual(loaded, snap) {
		t.Fatalf("round trip differs:\n%+v\n%+v", loaded, snap)
	}
	s2, err := New(DefaultWorld())
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.SetWorld(loaded); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s2.World(), snap) {
		t.Fatal("SetWorld did not restore the snapshot")
	}
	if len(snap.CBRMembers) != 1 || len(snap.VBSShares) != 1 || len(snap.ImageMembers) != 1 {
		t.Fatalf("live state missing: %+v", snap)
	}
}

func TestLoadWorldErrors(t *testing.T) {
	base := func() map[string]any {
		var m map[string]any
		b, _ := json.Marshal(DefaultWorld())
		_ = json.Unmarshal(b, &m)
		return m
	}
	set := func(path string, v any) map[string]any {
		m := base()
		var cur any = m
		parts := strings.Split(path, ".")
		for i, p := range parts {
			last := i == len(parts)-1
			switch c := cur.(type) {
			case map[string]any:
				if last {
					c[p] = v
				} else {
					cur = c[p]
				}
			case []any:
				idx, _ := strconv.Atoi(p)
				if last {
					c[idx] = v
				} else {
					cur = c[idx]
				}
			}
		}
		return m
	}
	tests := []struct {
		name string
		doc  any
		want string
	}{
		{"unknown top field", set("colour", 1), "colour"},
		{"unknown nested field", set("vaults.0.size", 1), "size"},
		{"wrong type", set("token_lifetime", true), "duration"},
		{"bad duration", set("token_lifetime", "soon"), "soon"},
		{"empty region", set("region", ""), "region"},
		{"project domain", set("projects.0.domain_id", "nope"), "projects[0].domain_id"},
		{"project id shape", set("projects.1.id", "P1"), "projects[1].id"},
		{"user domain", set("users.0.domain_id", "nope"), "users[0].domain_id"},
		{"duplicate ak", set("users.1.access_keys.0.access_key", OwnerAccessKey), "users[1].access_keys[0].access_key"},
		{"token user", set("tokens.0.user_id", "ghost"), "tokens[0].user_id"},
		{"token scope", set("tokens.0.domain_id", OwnerDomainID), "tokens[0]"},
		{"token foreign project", set("tokens.0.project_id", Receiver1ProjectID), "tokens[0].project_id"},
		{"vault type", set("vaults.0.resource_type", "tape"), "vaults[0].resource_type"},
		{"vault over capacity", set("vaults.0.used_gb", 5000), "vaults[0].used_gb"},
		{"vault project", set("vaults.0.project_id", "0000000000000000000000000000000a"), "vaults[0].project_id"},
		{"backup vault", set("backups.0.vault_id", Receiver1ServerVaultID), "backups[0].vault_id"},
		{"backup vault type", set("backups.0.vault_id", OwnerDiskVaultID), "backups[0].vault_id"},
		{"backup status", set("backups.0.status", "sleeping"), "backups[0].status"},
		{"backup id", set("backups.0.id", "b1"), "backups[0].id"},
		{"image backup", set("images.0.backup_id", "0b07081e-0000-4000-8000-0000000000ff"), "images[0].backup_id"},
		{"image of disk backup", set("images.0.backup_id", DiskBackupID), "images[0].backup_id"},
		{"member backup", set("cbr_members", []any{map[string]any{"id": "aaaaaaaa-0000-4000-8000-000000000001", "backup_id": "0b07081e-0000-4000-8000-0000000000ff", "dest_project_id": Receiver1ProjectID, "status": "pending", "created_at": "2024-01-01T00:00:00Z"}}), "cbr_members[0].backup_id"},
		{"member status", set("cbr_members", []any{map[string]any{"id": "aaaaaaaa-0000-4000-8000-000000000001", "backup_id": ServerBackupID, "dest_project_id": Receiver1ProjectID, "status": "maybe", "created_at": "2024-01-01T00:00:00Z"}}), "cbr_members[0].status"},
		{"accepted without vault", set("cbr_members", []any{map[string]any{"id": "aaaaaaaa-0000-4000-8000-000000000001", "backup_id": ServerBackupID, "dest_project_id": Receiver1ProjectID, "status": "accepted", "created_at": "2024-01-01T00:00:00Z"}}), "cbr_members[0].vault_id"},
		{"member own project", set("cbr_members", []any{map[string]any{"id": "aaaaaaaa-0000-4000-8000-000000000001", "backup_id": ServerBackupID, "dest_project_id": OwnerProjectID, "status": "pending", "created_at": "2024-01-01T00:00:00Z"}}), "cbr_members[0].dest_project_id"},
		{"share from", set("vbs_shares", []any{map[string]any{"id": "bbbbbbbb-0000-4000-8000-000000000001", "backup_id": DiskBackup2ID, "from_project_id": Receiver1ProjectID, "to_project_id": Receiver2ProjectID, "created_at": "2024-01-01T00:00:00Z"}}), "vbs_shares[0].from_project_id"},
		{"image member image", set("image_members", []any{map[string]any{"image_id": "d164b5df-0000-4000-8000-0000000000ff", "member_id": Receiver1ProjectID, "status": "pending", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}}), "image_members[0].image_id"},
		{"deleted backup still there", set("deleted_backup_ids", []any{ServerBackupID}), "deleted_backup_ids[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := json.Marshal(tc.doc)
			_, err := LoadWorld(bytes.NewReader(b))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadWorld error = %v, want one naming %q", err, tc.want)
			}
			s, _ := New(DefaultWorld())
			var w World
			if json.Unmarshal(b, &w) == nil {
				before := s.World()
				if err := s.SetWorld(w); err != nil && !reflect.DeepEqual(s.World(), before) {
					t.Fatal("a rejected SetWorld changed the state")
				}
			}
		})
	}
	if _, err := LoadWorld(strings.NewReader(`{"region":"r"} {}`)); err == nil {
		t.Fatal("trailing data accepted")
	}
	// Decoding errors name the field and the JSON type, without Go type names.
	_, err := LoadWorld(strings.NewReader(`{"region":"r","vaults":[{"capacity_gb":"big"}]}`))
	if err == nil || !strings.Contains(err.Error(), `"vaults.capacity_gb"`) || strings.Contains(err.Error(), "Go struct") {
		t.Fatalf("wrong-type error = %v", err)
	}
}

func TestLoadWorldDefaults(t *testing.T) {
	w, err := LoadWorld(strings.NewReader(`{"region":"eu-west-0","token_lifetime":3600}`))
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(w.TokenLifetime) != time.Hour || w.DeletedBackupQuirk == nil || !*w.DeletedBackupQuirk || w.CBRMembers == nil {
		t.Fatalf("defaults = %+v", w)
	}
	w, err = LoadWorld(strings.NewReader(`{"region":"eu-west-0"}`))
	if err != nil || time.Duration(w.TokenLifetime) != 24*time.Hour {
		t.Fatalf("default lifetime = %v, %v", w.TokenLifetime, err)
	}
}

func TestTokenLifetimeFromWorld(t *testing.T) {
	w := DefaultWorld()
	w.TokenLifetime = Duration(time.Minute)
	s := startServer(t, w)
	base := time.Now()
	s.SetNow(func() time.Time { return base })
	tok := issueToken(t, s, OwnerUserName, OwnerPassword, OwnerDomainName, map[string]any{"domain": map[string]any{"name": OwnerDomainName}})
	expect(t, call(t, s, "GET", "/v3/auth/projects", cred{token: tok}, nil), 200, "")
	s.SetNow(func() time.Time { return base.Add(time.Minute) })
	expect(t, call(t, s, "GET", "/v3/auth/projects", cred{token: tok}, nil), 401, "")
}

func TestNewRejectsUnencodableWorld(t *testing.T) {
	w := DefaultWorld()
	w.Backups[0].CreatedAt = time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := New(w); err == nil {
		t.Fatal("New accepted a world that cannot be encoded")
	}
}
