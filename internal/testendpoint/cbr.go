package testendpoint

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// CBR v3 share members and backups (REFERENCE A.1).

const cbrTimeLayout = "2006-01-02T15:04:05.000000" // microseconds, no zone, as in the API examples

func cbrTime(t time.Time) string { return t.UTC().Format(cbrTimeLayout) }

func cbrTimePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := cbrTime(t)
	return &s
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// cbrMemberJSON is the wire Member: unset image_id, updated_at and vault_id are explicit nulls.
type cbrMemberJSON struct {
	BackupID      string  `json:"backup_id"`
	CreatedAt     string  `json:"created_at"`
	DestProjectID string  `json:"dest_project_id"`
	ID            string  `json:"id"`
	ImageID       *string `json:"image_id"`
	Status        string  `json:"status"`
	UpdatedAt     *string `json:"updated_at"`
	VaultID       *string `json:"vault_id"`
}

func cbrMemberWire(m *CBRMember) cbrMemberJSON {
	return cbrMemberJSON{BackupID: m.BackupID, CreatedAt: cbrTime(m.CreatedAt), DestProjectID: m.DestProjectID,
		ID: m.ID, ImageID: strPtr(m.ImageID), Status: m.Status, UpdatedAt: cbrTimePtr(m.UpdatedAt), VaultID: strPtr(m.VaultID)}
}

// CBR error codes (REFERENCE A.1.7).
const (
	cbrParam           = "BackupService.9900"
	cbrBackupNotFound  = "BackupService.6200"
	cbrVaultNotFound   = "BackupService.6105"
	cbrOnlyServer      = "BackupService.6700"
	cbrMaxShared       = "BackupService.6701"
	cbrNotAvailable    = "BackupService.6702"
	cbrAlreadyShared   = "BackupService.6703"
	cbrBadProject      = "BackupService.6704"
	cbrMemberNotFound  = "BackupService.6705"
	cbrBadUpdate       = "BackupService.6706"
	cbrEncrypted       = "BackupService.6709"
	cbrVaultType       = "BackupService.6713"
	cbrAlreadyMember   = "BackupService.6714"
	cbrVaultFull       = "BackupService.6129"
	cbrBackupHasImages = "BackupService.6204"
)

func cbrBadRequest(code, msg string) response { return cbrError(http.StatusBadRequest, code, msg) }

func cbrParamError(msg string) response {
	return cbrBadRequest(cbrParam, "Parameter verification failed: "+msg)
}

func errBadBackupID(id string) response {
	return cbrParamError(fmt.Sprintf("invalid backup_id %q: only UUIDs are supported", id))
}

func errBadMemberID(member string) response {
	return cbrParamError(fmt.Sprintf("invalid member_id %q: a member ID is a project ID", member))
}

func errBackupNotAvailable(status string) response {
	return cbrBadRequest(cbrNotAvailable, fmt.Sprintf("Only backups in the Available status can be shared. (status: %s)", status))
}

func errBackupNotFound(id string) response {
	return cbrError(http.StatusNotFound, cbrBackupNotFound, fmt.Sprintf("The backup does not exist. (backup_id: %s)", id))
}

func errMemberNotFound(backupID, member string) response {
	return cbrError(http.StatusNotFound, cbrMemberNotFound, fmt.Sprintf("The share member does not exist. (backup_id: %s, member_id: %s)", backupID, member))
}

func (s *Server) findBackup(id string) *Backup {
	return findFirst(s.w.Backups, func(b *Backup) bool { return b.ID == id })
}

func (s *Server) findVault(id string) *Vault {
	return findFirst(s.w.Vaults, func(v *Vault) bool { return v.ID == id })
}

func (s *Server) findCBRMember(backupID, project string) *CBRMember {
	return findFirst(s.w.CBRMembers, func(m *CBRMember) bool { return m.BackupID == backupID && m.DestProjectID == project })
}

func (s *Server) backupMembers(backupID string) []*CBRMember {
	var out []*CBRMember
	for i := range s.w.CBRMembers {
		if s.w.CBRMembers[i].BackupID == backupID {
			out = append(out, &s.w.CBRMembers[i])
		}
	}
	return out
}

func (s *Server) isDeletedBackup(id string) bool {
	for _, d := range s.w.DeletedBackupIDs {
		if d == id {
			return true
		}
	}
	return false
}

// releaseVault gives back capacity taken by an accepted copy.
func (s *Server) releaseVault(vaultID string, sizeGB int) {
	if v := s.findVault(vaultID); v != nil {
		v.UsedGB -= sizeGB
		if v.UsedGB < 0 {
			v.UsedGB = 0
		}
	}
}

func (s *Server) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// ownedBackup returns the path's backup when the caller owns it; otherwise a 404 6200
// (a backup of another project is not visible at the caller's path).
func (s *Server) ownedBackup(rc *reqCtx) (*Backup, *response) {
	id := rc.params["backup"]
	if !isUUID(id) {
		r := errBadBackupID(id)
		return nil, &r
	}
	b := s.findBackup(id)
	if b == nil || b.ProjectID != rc.caller.projectID {
		r := errBackupNotFound(id)
		return nil, &r
	}
	return b, nil
}

// POST /v3/{project_id}/backups/{backup_id}/members: all-or-nothing.
func (s *Server) cbrAddMembers(rc *reqCtx) response {
	if id := rc.params["backup"]; !isUUID(id) {
		return errBadBackupID(id)
	}
	var req struct {
		Members *[]jstr `json:"members"`
		Domains *[]jstr `json:"domains"`
	}
	if err := decodeStrict(rc.body, &req); err != nil {
		return cbrParamError(err.Error())
	}
	if req.Domains != nil && len(*req.Domains) > 0 {
		return cbrParamError("domains is not supported by this endpoint (open beta in the cloud); use members")
	}
	if req.Members == nil {
		return cbrParamError("members is required")
	}
	members := *req.Members
	if len(members) < 1 || len(members) > maxCBRMembers {
		return cbrParamError(fmt.Sprintf("members must hold 1 to %d project IDs, got %d", maxCBRMembers, len(members)))
	}
	if dup, ok := firstDuplicate(members); ok {
		return cbrParamError(fmt.Sprintf("duplicate project ID %q in members", dup))
	}
	b, errResp := s.ownedBackup(rc)
	if errResp != nil {
		return *errResp
	}
	if b.ResourceType != ResourceServer && !(b.ResourceType == ResourceDisk && s.w.AllowDiskBackupSharing) {
		return cbrBadRequest(cbrOnlyServer, "Only cloud server backups can be shared.")
	}
	if b.Status != "available" {
		return errBackupNotAvailable(b.Status)
	}
	if b.Encrypted {
		return cbrBadRequest(cbrEncrypted, "Backup sharing is not allowed for cloud servers using encrypted disks.")
	}
	for _, jm := range members {
		m := string(jm)
		switch {
		case !isProjectID(m):
			return cbrBadRequest(cbrBadProject, fmt.Sprintf("Invalid project ID of the tenant for sharing: %q is not a project ID.", m))
		case m == b.ProjectID:
			return cbrBadRequest(cbrBadProject, fmt.Sprintf("Invalid project ID of the tenant for sharing: %s is the backup's own project.", m))
		case s.findProject(m) == nil:
			return cbrBadRequest(cbrBadProject, fmt.Sprintf("Invalid project ID of the tenant for sharing: project %s does not exist in this region.", m))
		case s.findCBRMember(b.ID, m) != nil:
			return cbrBadRequest(cbrAlreadyMember, fmt.Sprintf("A shared backup cannot be shared to the same member again. (member: %s)", m))
		case s.findVBSShare(b.ID, m) != nil:
			return cbrBadRequest(cbrAlreadyShared, fmt.Sprintf("The backup has been shared. (shared to %s through VBS)", m))
		}
	}
	existing := len(s.backupMembers(b.ID))
	if existing+len(members) > maxCBRMembers {
		return cbrBadRequest(cbrMaxShared, fmt.Sprintf("The maximum number of backups that can be shared has been reached. (%d members exist, %d requested, limit %d)", existing, len(members), maxCBRMembers))
	}
	now := s.stamp()
	out := make([]cbrMemberJSON, 0, len(members))
	for _, jm := range members {
		m := CBRMember{ID: newUUID(), BackupID: b.ID, DestProjectID: string(jm), Status: StatusPending, CreatedAt: now}
		s.w.CBRMembers = append(s.w.CBRMembers, m)
		out = append(out, cbrMemberWire(&m))
	}
	return jsonResponse(http.StatusOK, map[string]any{"members": out, "count": existing + len(members)})
}

// sortKey is one element of the sort parameter.
type sortKey struct {
	key  string
	desc bool
}

func parseCBRSort(v string) ([]sortKey, error) {
	if len(v) > 255 {
		return nil, fmt.Errorf("sort is longer than 255 characters")
	}
	var keys []sortKey
	for _, part := range strings.Split(v, ",") {
		k, dir, hasDir := strings.Cut(part, ":")
		switch k {
		case "created_at", "updated_at", "status", "id":
		default:
			return nil, fmt.Errorf("invalid sort key %q (use created_at, updated_at, status or id)", k)
		}
		sk := sortKey{key: k, desc: true}
		if hasDir {
			switch dir {
			case "asc":
				sk.desc = false
			case "desc":
			default:
				return nil, fmt.Errorf("invalid sort direction %q (use asc or desc)", dir)
			}
		}
		keys = append(keys, sk)
	}
	return keys, nil
}

func compareMembers(a, b *CBRMember, key string) int {
	switch key {
	case "created_at":
		return a.CreatedAt.Compare(b.CreatedAt)
	case "updated_at":
		return a.UpdatedAt.Compare(b.UpdatedAt)
	case "status":
		return strings.Compare(a.Status, b.Status)
	default:
		return strings.Compare(a.ID, b.ID)
	}
}

// GET /v3/{project_id}/backups/{backup_id}/members
func (s *Server) cbrListMembers(rc *reqCtx) response {
	id := rc.params["backup"]
	if isUUID(id) && s.isDeletedBackup(id) && *s.w.DeletedBackupQuirk {
		// REFERENCE A.1.7: listing the members of a deleted backup has been seen to answer this.
		return jsonResponse(http.StatusUnauthorized, map[string]any{"unauthorized": map[string]string{"code": "401", "message": "Malformed request url"}})
	}
	b, errResp := s.ownedBackup(rc)
	if errResp != nil {
		return *errResp
	}
	q := rc.r.URL.Query()
	status := q.Get("status")
	if status != "" && status != StatusPending && status != StatusAccepted && status != StatusRejected {
		return cbrParamError(fmt.Sprintf("invalid status %q (use pending, accepted or rejected)", status))
	}
	vaultID := q.Get("vault_id")
	if vaultID != "" && !isUUID(vaultID) {
		return cbrParamError("Invalid vault_id provided.")
	}
	limit, hasLimit, err := intParam(q, "limit", 1, 1000)
	if err != nil {
		return cbrParamError(err.Error())
	}
	offset, _, err := intParam(q, "offset", 0, 1<<31-1)
	if err != nil {
		return cbrParamError(err.Error())
	}
	keys := []sortKey{{key: "created_at", desc: true}}
	if v, ok := q["sort"]; ok {
		if keys, err = parseCBRSort(v[0]); err != nil {
			return cbrParamError(err.Error())
		}
	}
	var list []*CBRMember
	for _, m := range s.backupMembers(b.ID) {
		if (q.Get("dest_project_id") == "" || m.DestProjectID == q.Get("dest_project_id")) &&
			(q.Get("image_id") == "" || m.ImageID == q.Get("image_id")) &&
			(status == "" || m.Status == status) &&
			(vaultID == "" || m.VaultID == vaultID) {
			list = append(list, m)
		}
	}
	// Stable sort keeps creation order as the last tie-breaker, so pages are deterministic.
	sort.SliceStable(list, func(i, j int) bool {
		for _, k := range keys {
			c := compareMembers(list[i], list[j], k.key)
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	total := len(list)
	if marker := q.Get("marker"); marker != "" {
		pos := -1
		for i, m := range list {
			if m.ID == marker {
				pos = i
			}
		}
		if pos < 0 {
			return cbrParamError(fmt.Sprintf("invalid marker %q: no such member record", marker))
		}
		list = list[pos+1:]
	}
	list = list[min(offset, len(list)):]
	if hasLimit && len(list) > limit {
		list = list[:limit]
	}
	out := make([]cbrMemberJSON, 0, len(list))
	for _, m := range list {
		out = append(out, cbrMemberWire(m))
	}
	return jsonResponse(http.StatusOK, map[string]any{"members": out, "count": total})
}

// memberForCaller applies the show/update permission rule: the owner sees every member,
// a receiver only itself; anyone else gets 6705.
func (s *Server) memberForCaller(rc *reqCtx) (*Backup, *CBRMember, *response) {
	id, member := rc.params["backup"], rc.params["member"]
	if !isUUID(id) {
		r := errBadBackupID(id)
		return nil, nil, &r
	}
	if !isProjectID(member) {
		r := errBadMemberID(member)
		return nil, nil, &r
	}
	b := s.findBackup(id)
	if b == nil {
		r := errBackupNotFound(id)
		return nil, nil, &r
	}
	me := rc.caller.projectID
	m := s.findCBRMember(b.ID, member)
	if m == nil || (b.ProjectID != me && member != me) {
		r := errMemberNotFound(b.ID, member)
		return nil, nil, &r
	}
	return b, m, nil
}

// GET /v3/{project_id}/backups/{backup_id}/members/{member_id}
func (s *Server) cbrShowMember(rc *reqCtx) response {
	_, m, errResp := s.memberForCaller(rc)
	if errResp != nil {
		return *errResp
	}
	return jsonResponse(http.StatusOK, map[string]any{"member": cbrMemberWire(m)})
}

// PUT /v3/{project_id}/backups/{backup_id}/members/{member_id}: the receiver accepts or rejects.
func (s *Server) cbrUpdateMember(rc *reqCtx) response {
	var req struct {
		Status  *jstr `json:"status"`
		VaultID *jstr `json:"vault_id"`
	}
	if err := decodeStrict(rc.body, &req); err != nil {
		return cbrParamError(err.Error())
	}
	if req.Status == nil {
		return cbrParamError("status is required")
	}
	status, vaultID := string(*req.Status), str(req.VaultID)
	if status != StatusPending && status != StatusAccepted && status != StatusRejected {
		return cbrParamError(fmt.Sprintf("invalid status %q (use accepted or rejected)", status))
	}
	if req.VaultID != nil && !isUUID(vaultID) {
		return cbrParamError("Invalid vault_id provided.")
	}
	b, m, errResp := s.memberForCaller(rc)
	if errResp != nil {
		return *errResp
	}
	if m.DestProjectID != rc.caller.projectID {
		return cbrBadRequest(cbrBadUpdate, fmt.Sprintf("Invalid update parameter value for the share member: only the member project %s can update its status.", m.DestProjectID))
	}
	switch status {
	case StatusPending:
		return cbrBadRequest(cbrBadUpdate, "Invalid update parameter value for the share member: the status cannot be set back to pending.")
	case StatusRejected:
		if m.Status == StatusRejected {
			break // idempotent
		}
		if m.Status == StatusAccepted {
			s.releaseVault(m.VaultID, b.SizeGB)
		}
		m.Status, m.VaultID, m.UpdatedAt = StatusRejected, "", s.stamp()
	case StatusAccepted:
		if vaultID == "" {
			return cbrParamError("vault_id is required when the status is accepted")
		}
		if m.Status == StatusAccepted {
			if m.VaultID == vaultID {
				break // idempotent
			}
			return cbrBadRequest(cbrBadUpdate, fmt.Sprintf("Invalid update parameter value for the share member: already accepted into vault %s; reject it first.", m.VaultID))
		}
		v := s.findVault(vaultID)
		if v == nil || v.ProjectID != rc.caller.projectID {
			return cbrError(http.StatusNotFound, cbrVaultNotFound, fmt.Sprintf("The vault does not exist. (vault_id: %s)", vaultID))
		}
		if v.ResourceType != b.ResourceType {
			return cbrBadRequest(cbrVaultType, fmt.Sprintf("The type of the vault accepting the shared backup and the backup resource type are different. (vault: %s, backup: %s)", v.ResourceType, b.ResourceType))
		}
		if b.Status != "available" {
			return errBackupNotAvailable(b.Status)
		}
		if v.UsedGB+b.SizeGB > v.CapacityGB {
			return cbrBadRequest(cbrVaultFull, fmt.Sprintf("The maximum capacity of the destination vault has been reached. (%d GB free, %d GB needed)", v.CapacityGB-v.UsedGB, b.SizeGB))
		}
		v.UsedGB += b.SizeGB
		m.Status, m.VaultID, m.UpdatedAt = StatusAccepted, vaultID, s.stamp()
	}
	return jsonResponse(http.StatusOK, map[string]any{"member": cbrMemberWire(m)})
}

// DELETE /v3/{project_id}/backups/{backup_id}/members/{member_id}: owner only.
func (s *Server) cbrDeleteMember(rc *reqCtx) response {
	member := rc.params["member"]
	b, errResp := s.ownedBackup(rc)
	if errResp != nil {
		return *errResp
	}
	if !isProjectID(member) {
		return errBadMemberID(member)
	}
	for i := range s.w.CBRMembers {
		m := &s.w.CBRMembers[i]
		if m.BackupID == b.ID && m.DestProjectID == member {
			if m.Status == StatusAccepted {
				s.releaseVault(m.VaultID, b.SizeGB)
			}
			s.w.CBRMembers = append(s.w.CBRMembers[:i], s.w.CBRMembers[i+1:]...)
			return response{status: http.StatusNoContent}
		}
	}
	return errMemberNotFound(b.ID, member)
}

type cbrBackupJSON struct {
	CheckpointID string         `json:"checkpoint_id"`
	CreatedAt    string         `json:"created_at"`
	Description  string         `json:"description"`
	ExpiredAt    *string        `json:"expired_at"`
	ExtendInfo   map[string]any `json:"extend_info"`
	ID           string         `json:"id"`
	ImageType    string         `json:"image_type"`
	Name         string         `json:"name"`
	ParentID     *string        `json:"parent_id"`
	ProjectID    string         `json:"project_id"`
	ProtectedAt  string         `json:"protected_at"`
	ResourceAZ   string         `json:"resource_az"`
	ResourceID   string         `json:"resource_id"`
	ResourceName string         `json:"resource_name"`
	ResourceSize int            `json:"resource_size"`
	ResourceType string         `json:"resource_type"`
	Status       string         `json:"status"`
	UpdatedAt    string         `json:"updated_at"`
	VaultID      string         `json:"vault_id"`
	ProviderID   string         `json:"provider_id"`
	Children     []any          `json:"children"`
	EnterpriseID string         `json:"enterprise_project_id"`
	Replications []any          `json:"replication_records"`
}

// cbrResourceType maps the world's server|disk to CBR's resource types.
func cbrResourceType(t string) string {
	if t == ResourceDisk {
		return "OS::Cinder::Volume"
	}
	return "OS::Nova::Server"
}

func (s *Server) cbrBackupWire(b *Backup, vaultID string) cbrBackupJSON {
	return cbrBackupJSON{
		CheckpointID: b.ID, CreatedAt: cbrTime(b.CreatedAt), ExtendInfo: map[string]any{
			"auto_trigger": false, "bootable": b.ResourceType == ResourceServer, "encrypted": b.Encrypted,
			"incremental": false, "snapshot_id": "", "support_lld": false, "supported_restore_mode": "backup",
		},
		ID: b.ID, ImageType: "backup", Name: b.Name, ProjectID: b.ProjectID, ProtectedAt: cbrTime(b.CreatedAt),
		ResourceAZ: s.w.Region + "a", ResourceID: b.ResourceID, ResourceName: b.Name, ResourceSize: b.SizeGB,
		ResourceType: cbrResourceType(b.ResourceType), Status: b.Status, UpdatedAt: cbrTime(b.CreatedAt),
		VaultID: vaultID, ProviderID: "0daac4c5-6707-4851-97ba-169e36266b66", Children: []any{},
		EnterpriseID: "0", Replications: []any{},
	}
}

// GET /v3/{project_id}/backups/{backup_id}: the owner, or a receiver that accepted it
// (seeing its own vault and the source project, REFERENCE A.1.8).
func (s *Server) cbrShowBackup(rc *reqCtx) response {
	id := rc.params["backup"]
	if !isUUID(id) {
		return errBadBackupID(id)
	}
	b := s.findBackup(id)
	if b == nil {
		return errBackupNotFound(id)
	}
	if b.ProjectID == rc.caller.projectID {
		return jsonResponse(http.StatusOK, map[string]any{"backup": s.cbrBackupWire(b, b.VaultID)})
	}
	if m := s.findCBRMember(b.ID, rc.caller.projectID); m != nil && m.Status == StatusAccepted {
		return jsonResponse(http.StatusOK, map[string]any{"backup": s.cbrBackupWire(b, m.VaultID)})
	}
	return errBackupNotFound(id)
}

// DELETE /v3/{project_id}/backups/{backup_id}: the owner removes the backup and every share of it.
func (s *Server) cbrDeleteBackup(rc *reqCtx) response {
	b, errResp := s.ownedBackup(rc)
	if errResp != nil {
		return *errResp
	}
	for _, im := range s.w.Images {
		if im.BackupID == b.ID {
			return cbrBadRequest(cbrBackupHasImages, fmt.Sprintf("The backup cannot be deleted because it has been used to create an image. (image_id: %s)", im.ID))
		}
	}
	keep := s.w.CBRMembers[:0]
	for _, m := range s.w.CBRMembers {
		if m.BackupID != b.ID {
			keep = append(keep, m)
		} else if m.Status == StatusAccepted {
			s.releaseVault(m.VaultID, b.SizeGB)
		}
	}
	s.w.CBRMembers = keep
	shares := s.w.VBSShares[:0]
	for _, sh := range s.w.VBSShares {
		if sh.BackupID != b.ID {
			shares = append(shares, sh)
		}
	}
	s.w.VBSShares = shares
	s.releaseVault(b.VaultID, b.SizeGB)
	id := b.ID
	for i := range s.w.Backups {
		if s.w.Backups[i].ID == id {
			s.w.Backups = append(s.w.Backups[:i], s.w.Backups[i+1:]...)
			break
		}
	}
	s.w.DeletedBackupIDs = append(s.w.DeletedBackupIDs, id)
	return response{status: http.StatusNoContent}
}
