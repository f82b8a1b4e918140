package testendpoint

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// validate checks shapes and references; errors name the offending field. Each collection
// is checked in turn, against the indexes of the collections checked before it.
func (w *World) validate() error {
	v := worldCheck{w: w}
	if w.Region == "" {
		v.bad("region", "must not be empty")
	}
	if w.TokenLifetime < 0 {
		v.bad("token_lifetime", "must be positive (0 means the default 24h), not %s", time.Duration(w.TokenLifetime))
	}
	v.domains()
	v.projects()
	v.users()
	v.tokens()
	v.vaults()
	v.backups()
	v.images()
	v.cbrMembers()
	v.vbsShares()
	v.imageMembers()
	return errors.Join(v.errs...)
}

// worldCheck collects a world's errors and indexes what it has checked so far.
type worldCheck struct {
	w    *World
	errs []error

	domainIDs  map[string]bool
	projectsBy map[string]Project
	usersBy    map[string]User
	vaultsBy   map[string]Vault
	backupsBy  map[string]Backup
	imagesBy   map[string]Image
	shareIDs   map[string]bool // CBR member and VBS share IDs share one space
	pairs      map[string]bool // backup/project, "vbs/"backup/project and "ims/"image/project pairs
}

func (v *worldCheck) bad(field string, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("world: %s: %s", field, fmt.Sprintf(format, args...)))
}

func fieldAt(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }

func (v *worldCheck) domains() {
	v.domainIDs = map[string]bool{}
	names := map[string]bool{}
	for i, d := range v.w.Domains {
		f := fieldAt("domains", i)
		if d.ID == "" || d.Name == "" {
			v.bad(f, "id and name are required")
		}
		if v.domainIDs[d.ID] {
			v.bad(f+".id", "duplicate domain id %q", d.ID)
		}
		if names[d.Name] {
			v.bad(f+".name", "duplicate domain name %q", d.Name)
		}
		v.domainIDs[d.ID], names[d.Name] = true, true
	}
}

func (v *worldCheck) projects() {
	v.projectsBy = map[string]Project{}
	names := map[string]bool{}
	for i, p := range v.w.Projects {
		f := fieldAt("projects", i)
		if !isProjectID(p.ID) {
			v.bad(f+".id", "%q is not a project ID (32 lower-case hex digits)", p.ID)
		}
		if _, dup := v.projectsBy[p.ID]; dup {
			v.bad(f+".id", "duplicate project id %q", p.ID)
		}
		if p.Name == "" {
			v.bad(f+".name", "must not be empty")
		}
		if !v.domainIDs[p.DomainID] {
			v.bad(f+".domain_id", "domain %q does not exist", p.DomainID)
		}
		if names[p.DomainID+"/"+p.Name] {
			v.bad(f+".name", "duplicate project name %q in domain %q", p.Name, p.DomainID)
		}
		v.projectsBy[p.ID] = p
		names[p.DomainID+"/"+p.Name] = true
	}
}

func (v *worldCheck) users() {
	v.usersBy = map[string]User{}
	names := map[string]bool{}
	aks := map[string]bool{}
	for i, u := range v.w.Users {
		f := fieldAt("users", i)
		if u.ID == "" || u.Name == "" {
			v.bad(f, "id and name are required")
		}
		if _, dup := v.usersBy[u.ID]; dup {
			v.bad(f+".id", "duplicate user id %q", u.ID)
		}
		if !v.domainIDs[u.DomainID] {
			v.bad(f+".domain_id", "domain %q does not exist", u.DomainID)
		}
		if names[u.DomainID+"/"+u.Name] {
			v.bad(f+".name", "duplicate user name %q in domain %q", u.Name, u.DomainID)
		}
		for j, k := range u.AccessKeys {
			kf := fieldAt(f+".access_keys", j)
			if k.AccessKey == "" || k.SecretKey == "" {
				v.bad(kf, "access_key and secret_key are required")
			}
			if aks[k.AccessKey] {
				v.bad(kf+".access_key", "duplicate access key %q", k.AccessKey)
			}
			aks[k.AccessKey] = true
		}
		v.usersBy[u.ID] = u
		names[u.DomainID+"/"+u.Name] = true
	}
}

func (v *worldCheck) tokens() {
	seen := map[string]bool{}
	for i, t := range v.w.Tokens {
		f := fieldAt("tokens", i)
		if t.Token == "" {
			v.bad(f+".token", "must not be empty")
		}
		if seen[t.Token] {
			v.bad(f+".token", "duplicate token")
		}
		seen[t.Token] = true
		u, ok := v.usersBy[t.UserID]
		if !ok {
			v.bad(f+".user_id", "user %q does not exist", t.UserID)
		}
		switch {
		case (t.ProjectID == "") == (t.DomainID == ""):
			v.bad(f, "exactly one of project_id and domain_id must be set")
		case t.ProjectID != "":
			if p, ok2 := v.projectsBy[t.ProjectID]; !ok2 {
				v.bad(f+".project_id", "project %q does not exist", t.ProjectID)
			} else if ok && p.DomainID != u.DomainID {
				v.bad(f+".project_id", "project %q is not in the user's domain", t.ProjectID)
			}
		default:
			if ok && t.DomainID != u.DomainID {
				v.bad(f+".domain_id", "domain %q is not the user's domain", t.DomainID)
			}
		}
	}
}

// owned checks what vaults, backups and images share: a unique lower-case UUID and an
// existing project.
func (v *worldCheck) owned(f, kind, id string, dup bool, projectID string) {
	if !isUUID(id) {
		v.bad(f+".id", "%q is not a lower-case UUID", id)
	}
	if dup {
		v.bad(f+".id", "duplicate %s id %q", kind, id)
	}
	if _, ok := v.projectsBy[projectID]; !ok {
		v.bad(f+".project_id", "project %q does not exist", projectID)
	}
}

func (v *worldCheck) resourceType(f, t string) {
	if t != ResourceServer && t != ResourceDisk {
		v.bad(f+".resource_type", "must be %q or %q, not %q", ResourceServer, ResourceDisk, t)
	}
}

func (v *worldCheck) vaults() {
	v.vaultsBy = map[string]Vault{}
	for i, vt := range v.w.Vaults {
		f := fieldAt("vaults", i)
		_, dup := v.vaultsBy[vt.ID]
		v.owned(f, "vault", vt.ID, dup, vt.ProjectID)
		v.resourceType(f, vt.ResourceType)
		if vt.CapacityGB <= 0 {
			v.bad(f+".capacity_gb", "must be positive")
		}
		if vt.UsedGB < 0 || vt.UsedGB > vt.CapacityGB {
			v.bad(f+".used_gb", "must be between 0 and capacity_gb (%d)", vt.CapacityGB)
		}
		v.vaultsBy[vt.ID] = vt
	}
}

// backups checks the backups and the IDs of deleted ones.
func (v *worldCheck) backups() {
	v.backupsBy = map[string]Backup{}
	for i, b := range v.w.Backups {
		f := fieldAt("backups", i)
		_, dup := v.backupsBy[b.ID]
		v.owned(f, "backup", b.ID, dup, b.ProjectID)
		v.resourceType(f, b.ResourceType)
		if !backupStatuses[b.Status] {
			v.bad(f+".status", "unknown backup status %q", b.Status)
		}
		if b.SizeGB <= 0 {
			v.bad(f+".size_gb", "must be positive")
		}
		if vt, ok := v.vaultsBy[b.VaultID]; !ok {
			v.bad(f+".vault_id", "vault %q does not exist", b.VaultID)
		} else {
			if vt.ProjectID != b.ProjectID {
				v.bad(f+".vault_id", "vault %q belongs to another project", b.VaultID)
			}
			if vt.ResourceType != b.ResourceType {
				v.bad(f+".vault_id", "vault %q holds %s backups, not %s", b.VaultID, vt.ResourceType, b.ResourceType)
			}
		}
		v.backupsBy[b.ID] = b
	}
	for i, id := range v.w.DeletedBackupIDs {
		if _, ok := v.backupsBy[id]; ok {
			v.bad(fieldAt("deleted_backup_ids", i), "backup %q still exists", id)
		}
	}
}

func (v *worldCheck) images() {
	v.imagesBy = map[string]Image{}
	for i, im := range v.w.Images {
		f := fieldAt("images", i)
		_, dup := v.imagesBy[im.ID]
		v.owned(f, "image", im.ID, dup, im.ProjectID)
		if im.BackupID != "" {
			if b, ok := v.backupsBy[im.BackupID]; !ok {
				v.bad(f+".backup_id", "backup %q does not exist", im.BackupID)
			} else if b.ResourceType != ResourceServer {
				v.bad(f+".backup_id", "backup %q is not a server backup", im.BackupID)
			}
		}
		if im.SizeGB < 0 {
			v.bad(f+".size_gb", "must not be negative")
		}
		v.imagesBy[im.ID] = im
	}
}

// memberStatus and memberVault check what CBR members and image members share.
func (v *worldCheck) memberStatus(f, s string) {
	if s != StatusPending && s != StatusAccepted && s != StatusRejected {
		v.bad(f, "unknown status %q", s)
	}
}

func (v *worldCheck) memberVault(f, vaultID, project string) {
	if vaultID == "" {
		return
	}
	if vt, ok := v.vaultsBy[vaultID]; !ok {
		v.bad(f, "vault %q does not exist", vaultID)
	} else if vt.ProjectID != project {
		v.bad(f, "vault %q does not belong to project %q", vaultID, project)
	}
}

// pair reports whether key was seen before and records it.
func (v *worldCheck) pair(key string) bool {
	if v.pairs == nil {
		v.pairs = map[string]bool{}
	}
	seen := v.pairs[key]
	v.pairs[key] = true
	return seen
}

// shareID checks a CBR member's or VBS share's ID and records it.
func (v *worldCheck) shareID(f, id string) {
	if v.shareIDs == nil {
		v.shareIDs = map[string]bool{}
	}
	if !isUUID(id) || v.shareIDs[id] {
		v.bad(f+".id", "%q is not a unique lower-case UUID", id)
	}
	v.shareIDs[id] = true
}

func (v *worldCheck) cbrMembers() {
	for i, m := range v.w.CBRMembers {
		f := fieldAt("cbr_members", i)
		v.shareID(f, m.ID)
		b, found := v.backupsBy[m.BackupID]
		if !found {
			v.bad(f+".backup_id", "backup %q does not exist", m.BackupID)
		}
		if _, ok := v.projectsBy[m.DestProjectID]; !ok {
			v.bad(f+".dest_project_id", "project %q does not exist", m.DestProjectID)
		} else if found && b.ProjectID == m.DestProjectID {
			v.bad(f+".dest_project_id", "a backup cannot be shared with its own project")
		}
		if v.pair(m.BackupID + "/" + m.DestProjectID) {
			v.bad(f, "duplicate member %q of backup %q", m.DestProjectID, m.BackupID)
		}
		v.memberStatus(f+".status", m.Status)
		if m.Status == StatusAccepted && m.VaultID == "" {
			v.bad(f+".vault_id", "an accepted member needs a vault")
		}
		if m.Status != StatusAccepted && m.VaultID != "" {
			v.bad(f+".vault_id", "only an accepted member has a vault")
		}
		v.memberVault(f+".vault_id", m.VaultID, m.DestProjectID)
		if m.CreatedAt.IsZero() {
			v.bad(f+".created_at", "is required")
		}
	}
}

func (v *worldCheck) vbsShares() {
	for i, sh := range v.w.VBSShares {
		f := fieldAt("vbs_shares", i)
		v.shareID(f, sh.ID)
		b, ok := v.backupsBy[sh.BackupID]
		if !ok {
			v.bad(f+".backup_id", "backup %q does not exist", sh.BackupID)
		} else if sh.FromProjectID != b.ProjectID {
			v.bad(f+".from_project_id", "must be the backup's project %q", b.ProjectID)
		}
		if _, ok := v.projectsBy[sh.ToProjectID]; !ok || sh.ToProjectID == sh.FromProjectID {
			v.bad(f+".to_project_id", "project %q does not exist or is the sharing project", sh.ToProjectID)
		}
		if v.pair("vbs/" + sh.BackupID + "/" + sh.ToProjectID) {
			v.bad(f, "duplicate share of backup %q to %q", sh.BackupID, sh.ToProjectID)
		}
	}
}

func (v *worldCheck) imageMembers() {
	for i, m := range v.w.ImageMembers {
		f := fieldAt("image_members", i)
		im, found := v.imagesBy[m.ImageID]
		if !found {
			v.bad(f+".image_id", "image %q does not exist", m.ImageID)
		}
		if _, ok := v.projectsBy[m.MemberID]; !ok {
			v.bad(f+".member_id", "project %q does not exist", m.MemberID)
		} else if found && im.ProjectID == m.MemberID {
			v.bad(f+".member_id", "an image cannot be shared with its own project")
		}
		if v.pair("ims/" + m.ImageID + "/" + m.MemberID) {
			v.bad(f, "duplicate member %q of image %q", m.MemberID, m.ImageID)
		}
		v.memberStatus(f+".status", m.Status)
		v.memberVault(f+".vault_id", m.VaultID, m.MemberID)
	}
}
