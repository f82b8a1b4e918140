package testendpoint

import (
	"fmt"
	"net/http"
)

// One CBR v3 backup: its wire shape, ShowBackup and DeleteBackup (ListBackups is in cbr_backups.go).

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
// (seeing its own vault and the source project, as ShowBackup answers a recipient).
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
