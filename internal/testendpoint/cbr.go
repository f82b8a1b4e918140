package testendpoint

import (
	"fmt"
	"net/http"
	"time"
)

// CBR v3 share members (AddMember, ShowMembersDetail, ShowMemberDetail, UpdateMemberStatus,
// DeleteMember) and what the CBR calls share: wire times, error codes, lookups.

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

// CBR error codes (CBR's published error code table).
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
