package testendpoint

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// IMS (Glance v2) image members (REFERENCE A.3).

const imsTimeLayout = "2006-01-02T15:04:05Z"

// IMS error codes. Those marked (A.3) come from the published table; the others are the
// endpoint's choice where the docs are silent.
const (
	imsParam          = "IMG.0001" // invalid body or parameter (choice)
	imsImageNotFound  = "IMG.0027" // image not found or not visible, 404 (choice)
	imsShareSelf      = "IMG.0076" // cannot share with yourself (A.3)
	imsQuota          = "IMG.0088" // shared-image quota reached (A.3)
	imsNotOwner       = "IMG.0106" // image owner is another tenant, 403 (A.3 code, status chosen)
	imsBadTenant      = "IMG.0108" // tenant ID not in region (A.3)
	imsMemberExists   = "IMG.0112" // add tenant failed: already a member, 409 (A.3 code, status chosen)
	imsMemberNotFound = "IMG.0114" // query tenant failed: no such member, 404 (A.3 code, status chosen)
	imsVaultFull      = "IMG.0182" // insufficient vault capacity (A.3)
	imsVaultNotFound  = "IMG.0184" // failed to obtain vault (A.3)
	imsVaultNotServer = "IMG.0193" // vault is not a CBR server backup vault (A.3)
	imsMemberSchema   = "/v2/schemas/member"
	imsMembersSchema  = "/v2/schemas/members"
)

func imsTime(t time.Time) string { return t.UTC().Format(imsTimeLayout) }

// imsStamp is now at IMS precision (whole seconds).
func (s *Server) imsStamp() time.Time { return s.now().UTC().Truncate(time.Second) }

type imsMemberJSON struct {
	CreatedAt string `json:"created_at"`
	ImageID   string `json:"image_id"`
	MemberID  string `json:"member_id"`
	Schema    string `json:"schema"`
	Status    string `json:"status"`
	UpdatedAt string `json:"updated_at"`
}

func imsMemberWire(m *ImageMember) imsMemberJSON {
	return imsMemberJSON{CreatedAt: imsTime(m.CreatedAt), ImageID: m.ImageID, MemberID: m.MemberID,
		Schema: imsMemberSchema, Status: m.Status, UpdatedAt: imsTime(m.UpdatedAt)}
}

func imsError(status int, code, msg string) response { return nestedError(status, code, msg) }

func errImageMemberNotFound(imageID, member string) response {
	return imsError(http.StatusNotFound, imsMemberNotFound, fmt.Sprintf("Member %s of image %s does not exist.", member, imageID))
}

func (s *Server) findImage(id string) *Image {
	return findFirst(s.w.Images, func(im *Image) bool { return im.ID == id })
}

func (s *Server) findImageMember(imageID, member string) *ImageMember {
	return findFirst(s.w.ImageMembers, func(m *ImageMember) bool { return m.ImageID == imageID && m.MemberID == member })
}

// visibleImage returns the image when the caller owns it or is one of its members.
func (s *Server) visibleImage(rc *reqCtx) (*Image, *response) {
	id := rc.params["image"]
	if !isUUID(id) {
		r := imsError(http.StatusBadRequest, imsParam, fmt.Sprintf("Invalid image ID %q.", id))
		return nil, &r
	}
	im := s.findImage(id)
	me := rc.caller.projectID
	if im == nil || (im.ProjectID != me && s.findImageMember(id, me) == nil) {
		r := imsError(http.StatusNotFound, imsImageNotFound, fmt.Sprintf("Image %s does not exist.", id))
		return nil, &r
	}
	return im, nil
}

func (s *Server) imageMemberCount(imageID string) int {
	n := 0
	for _, m := range s.w.ImageMembers {
		if m.ImageID == imageID {
			n++
		}
	}
	return n
}

// POST /v2/images/{image_id}/members
func (s *Server) imsAddMember(rc *reqCtx) response {
	var req struct {
		Member *jstr `json:"member"`
	}
	if err := decodeStrict(rc.body, &req); err != nil {
		return imsError(http.StatusBadRequest, imsParam, "Invalid request body: "+err.Error())
	}
	if req.Member == nil {
		return imsError(http.StatusBadRequest, imsParam, "member is required")
	}
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	me, member := rc.caller.projectID, string(*req.Member)
	if im.ProjectID != me {
		return imsError(http.StatusForbidden, imsNotOwner, fmt.Sprintf("The image owner is another tenant: only project %s can add members to image %s.", im.ProjectID, im.ID))
	}
	if member == me {
		return imsError(http.StatusBadRequest, imsShareSelf, "An image cannot be shared with yourself.")
	}
	if !isProjectID(member) || s.findProject(member) == nil {
		return imsError(http.StatusBadRequest, imsBadTenant, fmt.Sprintf("Tenant ID %q is not in this region.", member))
	}
	if s.findImageMember(im.ID, member) != nil {
		return imsError(http.StatusConflict, imsMemberExists, fmt.Sprintf("Failed to add the tenant: %s is already a member of image %s.", member, im.ID))
	}
	limit := maxImageMembers
	if im.BackupID != "" {
		limit = maxFullECSMembers
	}
	if s.imageMemberCount(im.ID) >= limit {
		return imsError(http.StatusBadRequest, imsQuota, fmt.Sprintf("The shared-image quota is reached: image %s already has %d members.", im.ID, limit))
	}
	now := s.imsStamp()
	m := ImageMember{ImageID: im.ID, MemberID: member, Status: StatusPending, CreatedAt: now, UpdatedAt: now}
	s.w.ImageMembers = append(s.w.ImageMembers, m)
	return jsonResponse(http.StatusOK, imsMemberWire(&m))
}

// GET /v2/images/{image_id}/members: the owner sees all members, a member only itself.
func (s *Server) imsListMembers(rc *reqCtx) response {
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	q := rc.r.URL.Query()
	limit, hasLimit, err := intParam(q, "limit", 1, 1000)
	if err != nil {
		return imsError(http.StatusBadRequest, imsParam, err.Error())
	}
	me := rc.caller.projectID
	var list []*ImageMember
	for i := range s.w.ImageMembers {
		m := &s.w.ImageMembers[i]
		if m.ImageID == im.ID && (im.ProjectID == me || m.MemberID == me) {
			list = append(list, m)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		if c := list[i].CreatedAt.Compare(list[j].CreatedAt); c != 0 {
			return c < 0
		}
		return list[i].MemberID < list[j].MemberID
	})
	// The marker is opaque (base64 of the last member ID), like the published "Mjc5NjE=".
	if mk := q.Get("marker"); mk != "" {
		raw, err := base64.StdEncoding.DecodeString(mk)
		pos := -1
		if err == nil {
			for i, m := range list {
				if m.MemberID == string(raw) {
					pos = i
				}
			}
		}
		if pos < 0 {
			return imsError(http.StatusBadRequest, imsParam, fmt.Sprintf("Invalid marker %q.", mk))
		}
		list = list[pos+1:]
	}
	page := map[string]any{}
	if hasLimit && len(list) > limit {
		list = list[:limit]
		page["next_marker"] = base64.StdEncoding.EncodeToString([]byte(list[len(list)-1].MemberID))
	}
	page["current_count"] = len(list)
	out := make([]imsMemberJSON, 0, len(list))
	for _, m := range list {
		out = append(out, imsMemberWire(m))
	}
	// page_info is an object, as the published schema defines it (GlancePageInfo
	// {current_count, next_marker}); the published example shows a one-element array, but
	// the official SDK decodes the schema's object and fails on an array.
	return jsonResponse(http.StatusOK, map[string]any{"members": out, "schema": imsMembersSchema, "page_info": page})
}

// memberVisible finds a member the caller may see: the owner any, a member itself.
func (s *Server) memberVisible(rc *reqCtx, im *Image) (*ImageMember, *response) {
	member := rc.params["member"]
	me := rc.caller.projectID
	m := s.findImageMember(im.ID, member)
	if m == nil || (im.ProjectID != me && member != me) {
		r := errImageMemberNotFound(im.ID, member)
		return nil, &r
	}
	return m, nil
}

// GET /v2/images/{image_id}/members/{member_id}
func (s *Server) imsShowMember(rc *reqCtx) response {
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	m, errResp := s.memberVisible(rc, im)
	if errResp != nil {
		return *errResp
	}
	return jsonResponse(http.StatusOK, imsMemberWire(m))
}

// PUT /v2/images/{image_id}/members/{member_id}: only the member itself.
func (s *Server) imsUpdateMember(rc *reqCtx) response {
	var req struct {
		Status  *jstr `json:"status"`
		VaultID *jstr `json:"vault_id"`
	}
	if err := decodeStrict(rc.body, &req); err != nil {
		return imsError(http.StatusBadRequest, imsParam, "Invalid request body: "+err.Error())
	}
	if req.Status == nil || (*req.Status != StatusAccepted && *req.Status != StatusRejected) {
		return imsError(http.StatusBadRequest, imsParam, fmt.Sprintf("status must be accepted or rejected, not %q", str(req.Status)))
	}
	status, vaultID := string(*req.Status), str(req.VaultID)
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	me, member := rc.caller.projectID, rc.params["member"]
	if member != me {
		return imsError(http.StatusForbidden, imsNotOwner, fmt.Sprintf("Not allowed to update members for image %s: only member %s can update its own status.", im.ID, member))
	}
	m, errResp := s.memberVisible(rc, im)
	if errResp != nil {
		return *errResp
	}
	size := im.SizeGB
	if status == StatusRejected {
		if m.Status == StatusAccepted && m.VaultID != "" {
			s.releaseVault(m.VaultID, size)
		}
		if m.Status != StatusRejected {
			m.Status, m.VaultID, m.UpdatedAt = StatusRejected, "", s.imsStamp()
		}
		return jsonResponse(http.StatusOK, imsMemberWire(m))
	}
	if im.BackupID != "" { // full-ECS image made from a CBR backup: it lands in a vault
		if vaultID == "" {
			return imsError(http.StatusBadRequest, imsParam, "vault_id is required when accepting a full-ECS image created from a CBR backup.")
		}
		if m.Status == StatusAccepted && m.VaultID == vaultID {
			return jsonResponse(http.StatusOK, imsMemberWire(m)) // idempotent
		}
		if !isUUID(vaultID) {
			return imsError(http.StatusBadRequest, imsVaultNotFound, fmt.Sprintf("Failed to obtain the vault %q.", vaultID))
		}
		v := s.findVault(vaultID)
		if v == nil || v.ProjectID != me {
			return imsError(http.StatusBadRequest, imsVaultNotFound, fmt.Sprintf("Failed to obtain the vault %s.", vaultID))
		}
		if v.ResourceType != ResourceServer {
			return imsError(http.StatusBadRequest, imsVaultNotServer, fmt.Sprintf("Vault %s is not a CBR server backup vault.", vaultID))
		}
		if v.UsedGB+size > v.CapacityGB {
			return imsError(http.StatusBadRequest, imsVaultFull, fmt.Sprintf("Insufficient vault capacity: vault %s has %d GB free, the image needs %d GB.", vaultID, v.CapacityGB-v.UsedGB, size))
		}
		if m.Status == StatusAccepted && m.VaultID != "" { // moving to another vault
			s.releaseVault(m.VaultID, size)
		}
		v.UsedGB += size
		m.VaultID = vaultID
	} else if m.Status == StatusAccepted {
		return jsonResponse(http.StatusOK, imsMemberWire(m)) // idempotent
	}
	m.Status, m.UpdatedAt = StatusAccepted, s.imsStamp()
	return jsonResponse(http.StatusOK, imsMemberWire(m))
}

// DELETE /v2/images/{image_id}/members/{member_id}: owner only.
func (s *Server) imsDeleteMember(rc *reqCtx) response {
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	me, member := rc.caller.projectID, rc.params["member"]
	if im.ProjectID != me {
		return imsError(http.StatusForbidden, imsNotOwner, fmt.Sprintf("The image owner is another tenant: only project %s can remove members of image %s.", im.ProjectID, im.ID))
	}
	for i := range s.w.ImageMembers {
		m := &s.w.ImageMembers[i]
		if m.ImageID == im.ID && m.MemberID == member {
			if m.Status == StatusAccepted && m.VaultID != "" {
				s.releaseVault(m.VaultID, im.SizeGB)
			}
			s.w.ImageMembers = append(s.w.ImageMembers[:i], s.w.ImageMembers[i+1:]...)
			return response{status: http.StatusNoContent}
		}
	}
	return errImageMemberNotFound(im.ID, member)
}
