package testendpoint

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// VBS v2 os-vendor-backup-sharing: create, list, count, show and cancel shares. The docs list
// no sharing-specific error codes, so these are the endpoint's choice (documented in doc.go).
const (
	vbsParam         = "VolumeBackup.0001" // invalid body or query parameter
	vbsBackupMissing = "VolumeBackup.0064" // backup not found (404)
	vbsNotDisk       = "VolumeBackup.0100" // only disk backups can be shared through VBS
	vbsNotAvailable  = "VolumeBackup.0101" // backup not available
	vbsBadProject    = "VolumeBackup.0102" // malformed or unknown target project
	vbsOwnProject    = "VolumeBackup.0103" // target is the sharing project
	vbsAlreadyShared = "VolumeBackup.0104" // already shared to that project
	vbsShareMissing  = "VolumeBackup.0105" // share not found (404)
	vbsNotSharer     = "VolumeBackup.0106" // only the sharing project can cancel (403)
	maxVBSTargets    = 10
)

const vbsTimeLayout = "2006-01-02T15:04:05.000000"

func vbsBad(code, msg string) response { return nestedError(http.StatusBadRequest, code, msg) }

func (s *Server) findVBSShare(backupID, to string) *VBSShare {
	return findFirst(s.w.VBSShares, func(sh *VBSShare) bool { return sh.BackupID == backupID && sh.ToProjectID == to })
}

// vbsCreatedJSON is the create response item; the published example has these nulls.
type vbsCreatedJSON struct {
	BackupID      string  `json:"backup_id"`
	Deleted       *bool   `json:"deleted"`
	CreatedAt     *string `json:"created_at"`
	UpdatedAt     *string `json:"updated_at"`
	ToProjectID   string  `json:"to_project_id"`
	FromProjectID string  `json:"from_project_id"`
	DeletedAt     *string `json:"deleted_at"`
	ID            string  `json:"id"`
}

type vbsBackupJSON struct {
	AvailabilityZone    string  `json:"availability_zone"`
	Container           string  `json:"container"`
	CreatedAt           string  `json:"created_at"`
	DataTimestamp       string  `json:"data_timestamp"`
	Description         string  `json:"description"`
	FailReason          *string `json:"fail_reason"`
	HasDependentBackups bool    `json:"has_dependent_backups"`
	ID                  string  `json:"id"`
	IsIncremental       bool    `json:"is_incremental"`
	Name                string  `json:"name"`
	ObjectCount         int     `json:"object_count"`
	Size                int     `json:"size"`
	SnapshotID          string  `json:"snapshot_id"`
	Status              string  `json:"status"`
	UpdatedAt           string  `json:"updated_at"`
	VolumeID            string  `json:"volume_id"`
	ServiceMetadata     *string `json:"service_metadata"`
}

type vbsShareJSON struct {
	Backup        *vbsBackupJSON `json:"backup"`
	BackupID      string         `json:"backup_id"`
	CreatedAt     string         `json:"created_at"`
	FromProjectID string         `json:"from_project_id"`
	ID            string         `json:"id"`
	ToProjectID   string         `json:"to_project_id"`
	UpdatedAt     *string        `json:"updated_at"`
}

func (s *Server) vbsShareWire(sh *VBSShare) vbsShareJSON {
	out := vbsShareJSON{BackupID: sh.BackupID, CreatedAt: sh.CreatedAt.UTC().Format(vbsTimeLayout),
		FromProjectID: sh.FromProjectID, ID: sh.ID, ToProjectID: sh.ToProjectID}
	if b := s.findBackup(sh.BackupID); b != nil {
		t := b.CreatedAt.UTC().Format(vbsTimeLayout)
		out.Backup = &vbsBackupJSON{AvailabilityZone: s.w.Region + "a", Container: b.ID, CreatedAt: t, DataTimestamp: t,
			ID: b.ID, Name: b.Name, Size: b.SizeGB, Status: b.Status, UpdatedAt: t, VolumeID: b.ResourceID}
	}
	return out
}

// POST /v2/{project_id}/os-vendor-backup-sharing: all-or-nothing.
func (s *Server) vbsCreate(rc *reqCtx) response {
	var req struct {
		Shared *struct {
			BackupID     *jstr   `json:"backup_id"`
			ToProjectIDs *[]jstr `json:"to_project_ids"`
		} `json:"shared"`
	}
	if err := decodeStrict(rc.body, &req); err != nil {
		return vbsBad(vbsParam, "Invalid request body: "+err.Error())
	}
	if req.Shared == nil || req.Shared.BackupID == nil || req.Shared.ToProjectIDs == nil {
		return vbsBad(vbsParam, "shared.backup_id and shared.to_project_ids are required")
	}
	backupID, targets := string(*req.Shared.BackupID), *req.Shared.ToProjectIDs
	if !isUUID(backupID) {
		return vbsBad(vbsParam, fmt.Sprintf("Invalid backup_id %q", backupID))
	}
	if len(targets) < 1 || len(targets) > maxVBSTargets {
		return vbsBad(vbsParam, fmt.Sprintf("to_project_ids must hold 1 to %d project IDs, got %d", maxVBSTargets, len(targets)))
	}
	if dup, ok := firstDuplicate(targets); ok {
		return vbsBad(vbsParam, fmt.Sprintf("duplicate project ID %q in to_project_ids", dup))
	}
	me := rc.caller.projectID
	b := s.findBackup(backupID)
	if b == nil || b.ProjectID != me {
		return nestedError(http.StatusNotFound, vbsBackupMissing, fmt.Sprintf("Backup %s could not be found.", backupID))
	}
	if b.ResourceType != ResourceDisk {
		return vbsBad(vbsNotDisk, fmt.Sprintf("Backup %s is a cloud server backup; only disk backups can be shared through VBS (use CBR members).", backupID))
	}
	if b.Status != "available" {
		return vbsBad(vbsNotAvailable, fmt.Sprintf("Backup %s is %s; only available backups can be shared.", backupID, b.Status))
	}
	for _, jt := range targets {
		t := string(jt)
		switch {
		case !isProjectID(t) || s.findProject(t) == nil:
			return vbsBad(vbsBadProject, fmt.Sprintf("Invalid project ID %q: no such project in this region.", t))
		case t == me:
			return vbsBad(vbsOwnProject, "A backup cannot be shared with its own project.")
		case s.findVBSShare(b.ID, t) != nil || s.findCBRMember(b.ID, t) != nil:
			return vbsBad(vbsAlreadyShared, fmt.Sprintf("Backup %s has already been shared to project %s.", b.ID, t))
		}
	}
	now := s.stamp()
	out := make([]vbsCreatedJSON, 0, len(targets))
	for _, jt := range targets {
		sh := VBSShare{ID: newUUID(), BackupID: b.ID, FromProjectID: me, ToProjectID: string(jt), CreatedAt: now}
		s.w.VBSShares = append(s.w.VBSShares, sh)
		out = append(out, vbsCreatedJSON{BackupID: sh.BackupID, ToProjectID: sh.ToProjectID, FromProjectID: me, ID: sh.ID})
	}
	return jsonResponse(http.StatusOK, map[string]any{"shared": out})
}

// vbsFilter returns the shares matching the list query, sorted, before paging.
func (s *Server) vbsFilter(rc *reqCtx) ([]*VBSShare, *response) {
	q := rc.r.URL.Query()
	bad := func(msg string) ([]*VBSShare, *response) {
		r := vbsBad(vbsParam, msg)
		return nil, &r
	}
	toMe := false
	if v := q.Get("share_to_me"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return bad(fmt.Sprintf("share_to_me must be true or false, not %q", v))
		}
		toMe = b
	}
	sortKey := "created_at"
	if v := q.Get("sort_key"); v != "" {
		switch v {
		case "name", "status", "container_format", "disk_format", "size", "id", "created_at", "updated_at":
			sortKey = v
		default:
			return bad(fmt.Sprintf("invalid sort_key %q", v))
		}
	}
	desc := true
	if v := q.Get("sort_dir"); v != "" {
		if v != "asc" && v != "desc" {
			return bad(fmt.Sprintf("invalid sort_dir %q (use asc or desc)", v))
		}
		desc = v == "desc"
	}
	me := rc.caller.projectID
	var out []*VBSShare
	for i := range s.w.VBSShares {
		sh := &s.w.VBSShares[i]
		if toMe && sh.ToProjectID != me || !toMe && sh.FromProjectID != me {
			continue
		}
		b := s.findBackup(sh.BackupID)
		if b == nil {
			continue
		}
		if v := q.Get("backup_id"); v != "" && v != sh.BackupID ||
			q.Get("to_project_id") != "" && q.Get("to_project_id") != sh.ToProjectID ||
			q.Get("from_project_id") != "" && q.Get("from_project_id") != sh.FromProjectID ||
			q.Get("volume_id") != "" && q.Get("volume_id") != b.ResourceID ||
			q.Get("status") != "" && q.Get("status") != b.Status ||
			q.Get("name") != "" && !strings.Contains(b.Name, q.Get("name")) {
			continue
		}
		out = append(out, sh)
	}
	key := func(sh *VBSShare) string {
		b := s.findBackup(sh.BackupID)
		switch sortKey {
		case "name":
			return b.Name
		case "status":
			return b.Status
		case "size":
			return fmt.Sprintf("%012d", b.SizeGB)
		case "id":
			return sh.ID
		}
		return sh.CreatedAt.UTC().Format(vbsTimeLayout)
	}
	sort.SliceStable(out, func(i, j int) bool {
		c := strings.Compare(key(out[i]), key(out[j]))
		if desc {
			c = -c
		}
		return c < 0
	})
	return out, nil
}

// GET /v2/{project_id}/os-vendor-backup-sharing/detail
func (s *Server) vbsList(rc *reqCtx) response {
	list, errResp := s.vbsFilter(rc)
	if errResp != nil {
		return *errResp
	}
	q := rc.r.URL.Query()
	limit, hasLimit, err := intParam(q, "limit", 1, 1000)
	if err != nil {
		return vbsBad(vbsParam, err.Error())
	}
	offset, _, err := intParam(q, "offset", 0, 1<<31-1)
	if err != nil {
		return vbsBad(vbsParam, err.Error())
	}
	list = list[min(offset, len(list)):]
	body := map[string]any{}
	if hasLimit && len(list) > limit {
		list = list[:limit]
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("offset", strconv.Itoa(offset+limit))
		body["shared_links"] = []map[string]string{{"href": "http://" + rc.r.Host + rc.r.URL.Path + "?" + next.Encode(), "rel": "next"}}
	}
	out := make([]vbsShareJSON, 0, len(list))
	for _, sh := range list {
		out = append(out, s.vbsShareWire(sh))
	}
	body["shared"] = out
	return jsonResponse(http.StatusOK, body)
}

// GET /v2/{project_id}/os-vendor-backup-sharing/count
func (s *Server) vbsCount(rc *reqCtx) response {
	list, errResp := s.vbsFilter(rc)
	if errResp != nil {
		return *errResp
	}
	return jsonResponse(http.StatusOK, map[string]int{"count": len(list)})
}

// GET /v2/{project_id}/os-vendor-backup-sharing/{share_id}: visible to both ends.
func (s *Server) vbsShow(rc *reqCtx) response {
	id := rc.params["share"]
	if !isUUID(id) {
		return vbsBad(vbsParam, fmt.Sprintf("Invalid share ID %q", id))
	}
	me := rc.caller.projectID
	if sh := findFirst(s.w.VBSShares, func(sh *VBSShare) bool {
		return sh.ID == id && (sh.FromProjectID == me || sh.ToProjectID == me)
	}); sh != nil {
		return jsonResponse(http.StatusOK, map[string]any{"shared": s.vbsShareWire(sh)})
	}
	return nestedError(http.StatusNotFound, vbsShareMissing, fmt.Sprintf("Backup share %s could not be found.", id))
}

// DELETE /v2/{project_id}/os-vendor-backup-sharing/{id}[?is_backup_id=true]
func (s *Server) vbsCancel(rc *reqCtx) response {
	id := rc.params["share"]
	byBackup := false
	if v := rc.r.URL.Query().Get("is_backup_id"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return vbsBad(vbsParam, fmt.Sprintf("is_backup_id must be true or false, not %q", v))
		}
		byBackup = b
	}
	if !isUUID(id) {
		return vbsBad(vbsParam, fmt.Sprintf("Invalid ID %q", id))
	}
	me := rc.caller.projectID
	if byBackup {
		b := s.findBackup(id)
		if b == nil || b.ProjectID != me {
			return nestedError(http.StatusNotFound, vbsBackupMissing, fmt.Sprintf("Backup %s could not be found.", id))
		}
		keep := s.w.VBSShares[:0]
		for _, sh := range s.w.VBSShares {
			if sh.BackupID != id {
				keep = append(keep, sh)
			}
		}
		s.w.VBSShares = keep
		return response{status: http.StatusOK}
	}
	for i := range s.w.VBSShares {
		sh := &s.w.VBSShares[i]
		if sh.ID != id || (sh.FromProjectID != me && sh.ToProjectID != me) {
			continue
		}
		if sh.FromProjectID != me {
			return nestedError(http.StatusForbidden, vbsNotSharer, "Only the project that shared the backup can cancel the share.")
		}
		s.w.VBSShares = append(s.w.VBSShares[:i], s.w.VBSShares[i+1:]...)
		return response{status: http.StatusOK}
	}
	return nestedError(http.StatusNotFound, vbsShareMissing, fmt.Sprintf("Backup share %s could not be found.", id))
}
