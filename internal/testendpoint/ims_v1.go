package testendpoint

import (
	"fmt"
	"net/http"
)

// IMS v1 image sharing, Huawei's extension of the Glance member calls: the asynchronous batch
// member calls (BatchAddMembers, BatchUpdateMembers, BatchDeleteMembers) and the v1 member list
// and show (ListImageMembers, ShowImageMember). The rules are the v2 calls' (ims_rules.go);
// a batch checks only the request's shape itself and answers 400 IMG.0001 for a bad one.
// Anything the rules refuse fails the job instead, with the code the v2 call would answer.

// imsBatchMembersBody is BatchAddMembersRequestBody, used by POST and DELETE.
type imsBatchMembersBody struct {
	Images        *[]jstr `json:"images"`
	Projects      *[]jstr `json:"projects"`
	Domains       *[]jstr `json:"domains"`
	Organizations *[]jstr `json:"organizations"`
}

// imsBatchUpdateBody is BatchUpdateMembersRequestBody (PUT).
type imsBatchUpdateBody struct {
	Images    *[]jstr `json:"images"`
	ProjectID *jstr   `json:"project_id"`
	Status    *jstr   `json:"status"`
	VaultID   *jstr   `json:"vault_id"`
}

// imsMemberV1JSON is a v1 member: the v2 member plus member_type (always "project": the
// endpoint shares with projects only; urn belongs to organization members).
type imsMemberV1JSON struct {
	imsMemberJSON
	MemberType string `json:"member_type"`
}

func imsMemberV1Wire(m *ImageMember) imsMemberV1JSON {
	return imsMemberV1JSON{imsMemberJSON: imsMemberWire(m), MemberType: "project"}
}

func badBatch(format string, args ...any) response {
	return imsError(http.StatusBadRequest, imsParam, fmt.Sprintf(format, args...))
}

// idList checks a required list of IDs: present, not empty, no duplicates.
func idList(name string, list *[]jstr) ([]jstr, *response) {
	if list == nil || len(*list) == 0 {
		r := badBatch("%s is required and must not be empty", name)
		return nil, &r
	}
	if dup, ok := firstDuplicate(*list); ok {
		r := badBatch("%s lists %q twice", name, dup)
		return nil, &r
	}
	return *list, nil
}

// parseBatchMembers reads the POST and DELETE body: images and projects are required
// (domains and organizations, in open beta on the cloud, are not supported here).
func parseBatchMembers(body []byte) (images, projects []jstr, errResp *response) {
	var req imsBatchMembersBody
	if err := decodeStrict(body, &req); err != nil {
		r := badBatch("Invalid request body: %s", err.Error())
		return nil, nil, &r
	}
	for _, l := range []struct {
		name string
		ids  *[]jstr
	}{{"domains", req.Domains}, {"organizations", req.Organizations}} {
		if l.ids != nil && len(*l.ids) > 0 {
			r := badBatch("sharing with %s is not supported by the test endpoint: use projects", l.name)
			return nil, nil, &r
		}
	}
	if images, errResp = idList("images", req.Images); errResp != nil {
		return nil, nil, errResp
	}
	if projects, errResp = idList("projects", req.Projects); errResp != nil {
		return nil, nil, errResp
	}
	return images, projects, nil
}

// POST /v1/cloudimages/members: share every image with every project (owner only).
func (s *Server) imsBatchAddMembers(rc *reqCtx) response {
	images, projects, errResp := parseBatchMembers(rc.body)
	if errResp != nil {
		return *errResp
	}
	me := rc.caller.projectID
	var steps []func() (imsJobResult, *imsFail)
	for _, img := range images {
		for _, p := range projects {
			steps = append(steps, func() (imsJobResult, *imsFail) {
				return memberJobResult(s.shareImage(me, string(img), string(p)))
			})
		}
	}
	return s.runIMSJob(me, jobTypeAdd, steps)
}

// DELETE /v1/cloudimages/members: stop sharing every image with every project (owner only).
func (s *Server) imsBatchDeleteMembers(rc *reqCtx) response {
	images, projects, errResp := parseBatchMembers(rc.body)
	if errResp != nil {
		return *errResp
	}
	me := rc.caller.projectID
	var steps []func() (imsJobResult, *imsFail)
	for _, img := range images {
		for _, p := range projects {
			steps = append(steps, func() (imsJobResult, *imsFail) {
				// The published delete job lists no results (inference from its example).
				return imsJobResult{}, s.unshareImage(me, string(img), string(p))
			})
		}
	}
	return s.runIMSJob(me, jobTypeDelete, steps)
}

// PUT /v1/cloudimages/members: project_id (the caller itself) answers the share of every
// image: accepted (vault_id for a full-ECS image) or rejected; there is no pending.
func (s *Server) imsBatchUpdateMembers(rc *reqCtx) response {
	var req imsBatchUpdateBody
	if err := decodeStrict(rc.body, &req); err != nil {
		return badBatch("Invalid request body: %s", err.Error())
	}
	images, errResp := idList("images", req.Images)
	if errResp != nil {
		return *errResp
	}
	if str(req.ProjectID) == "" {
		return badBatch("project_id is required")
	}
	status := str(req.Status)
	if status != StatusAccepted && status != StatusRejected {
		return badBatch("status must be accepted or rejected, not %q", status)
	}
	me, member, vaultID := rc.caller.projectID, str(req.ProjectID), str(req.VaultID)
	var steps []func() (imsJobResult, *imsFail)
	for _, img := range images {
		steps = append(steps, func() (imsJobResult, *imsFail) {
			return memberJobResult(s.answerImageShare(me, string(img), member, status, vaultID))
		})
	}
	return s.runIMSJob(me, jobTypeUpdate, steps)
}

// memberJobResult is a job step's result for the member that its call made or answered.
func memberJobResult(m *ImageMember, f *imsFail) (imsJobResult, *imsFail) {
	if f != nil {
		return imsJobResult{}, f
	}
	return imsJobResult{ImageID: m.ImageID, ProjectID: m.MemberID, Status: "success"}, nil
}

// GET /v1/{project_id}/cloudimages/{image_id}/members[?limit=&marker=]: as the v2 list
// (the owner sees all members, a member only itself), 500 members a page by default.
func (s *Server) imsListMembersV1(rc *reqCtx) response {
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	list, page, f := s.imageMemberPage(rc.caller.projectID, im, rc.r.URL.Query(), 500)
	if f != nil {
		return f.response()
	}
	out := make([]imsMemberV1JSON, 0, len(list))
	for _, m := range list {
		out = append(out, imsMemberV1Wire(m))
	}
	return jsonResponse(http.StatusOK, map[string]any{"members": out, "schema": imsMembersSchema, "page_info": page})
}

// GET /v1/{project_id}/cloudimages/{image_id}/members/{member_id}: the bare member.
func (s *Server) imsShowMemberV1(rc *reqCtx) response {
	im, errResp := s.visibleImage(rc)
	if errResp != nil {
		return *errResp
	}
	m, errResp := s.memberVisible(rc, im)
	if errResp != nil {
		return *errResp
	}
	return jsonResponse(http.StatusOK, imsMemberV1Wire(m))
}
