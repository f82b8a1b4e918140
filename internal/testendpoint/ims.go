package testendpoint

import (
	"fmt"
	"net/http"
	"time"
)

// IMS (Glance v2) image members: GlanceAddImageMember, GlanceListImageMembers,
// GlanceShowImageMember, GlanceUpdateImageMember, GlanceDeleteImageMember.

const imsTimeLayout = "2006-01-02T15:04:05Z"

// IMS error codes. Those marked (published) come from the IMS error code table; the others are the
// endpoint's choice where the docs are silent.
const (
	imsParam          = "IMG.0001" // invalid body or parameter (choice)
	imsImageNotFound  = "IMG.0027" // image not found or not visible, 404 (choice)
	imsShareSelf      = "IMG.0076" // cannot share with yourself (published)
	imsQuota          = "IMG.0088" // shared-image quota reached (published)
	imsNotOwner       = "IMG.0106" // image owner is another tenant, 403 (published code, status chosen)
	imsBadTenant      = "IMG.0108" // tenant ID not in region (published)
	imsMemberExists   = "IMG.0112" // add tenant failed: already a member, 409 (published code, status chosen)
	imsMemberNotFound = "IMG.0114" // query tenant failed: no such member, 404 (published code, status chosen)
	imsVaultFull      = "IMG.0182" // insufficient vault capacity (published)
	imsVaultNotFound  = "IMG.0184" // failed to obtain vault (published)
	imsVaultNotServer = "IMG.0193" // vault is not a CBR server backup vault (published)
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

func (s *Server) findImage(id string) *Image {
	return findFirst(s.w.Images, func(im *Image) bool { return im.ID == id })
}

func (s *Server) findImageMember(imageID, member string) *ImageMember {
	return findFirst(s.w.ImageMembers, func(m *ImageMember) bool { return m.ImageID == imageID && m.MemberID == member })
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

// The handlers below check the request's shape and leave the rules to ims_rules.go.

// visibleImage is imageVisibleTo for the path's image and the caller.
func (s *Server) visibleImage(rc *reqCtx) (*Image, *response) {
	im, f := s.imageVisibleTo(rc.caller.projectID, rc.params["image"])
	if f != nil {
		r := f.response()
		return nil, &r
	}
	return im, nil
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
	m, f := s.shareImage(rc.caller.projectID, rc.params["image"], string(*req.Member))
	if f != nil {
		return f.response()
	}
	return jsonResponse(http.StatusOK, imsMemberWire(m))
}

// GET /v2/images/{image_id}/members: the owner sees all members, a member only itself.
// Without limit the page holds every member.
func (s *Server) imsListMembers(rc *reqCtx) response {
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	list, page, f := s.imageMemberPage(rc.caller.projectID, im, rc.r.URL.Query(), 0)
	if f != nil {
		return f.response()
	}
	out := make([]imsMemberJSON, 0, len(list))
	for _, m := range list {
		out = append(out, imsMemberWire(m))
	}
	// page_info is an object, as the published schema defines it (GlancePageInfo
	// {current_count, next_marker}); the published example shows a one-element array, but
	// the official SDK decodes the schema's object and fails on an array.
	return jsonResponse(http.StatusOK, map[string]any{"members": out, "schema": imsMembersSchema, "page_info": page})
}

// memberVisible is memberVisibleTo for the path's member and the caller.
func (s *Server) memberVisible(rc *reqCtx, im *Image) (*ImageMember, *response) {
	m, f := s.memberVisibleTo(rc.caller.projectID, im, rc.params["member"])
	if f != nil {
		r := f.response()
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
	m, f := s.answerImageShare(rc.caller.projectID, rc.params["image"], rc.params["member"], string(*req.Status), str(req.VaultID))
	if f != nil {
		return f.response()
	}
	return jsonResponse(http.StatusOK, imsMemberWire(m))
}

// DELETE /v2/images/{image_id}/members/{member_id}: owner only.
func (s *Server) imsDeleteMember(rc *reqCtx) response {
	if f := s.unshareImage(rc.caller.projectID, rc.params["image"], rc.params["member"]); f != nil {
		return f.response()
	}
	return response{status: http.StatusNoContent}
}
