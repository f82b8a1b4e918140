package testendpoint

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
)

// The rules of IMS image sharing, shared by the Glance v2 member calls (ims.go), which
// answer a broken rule as an HTTP error, and the v1 batch calls (ims_v1.go), which record it
// in their job. Every function runs under the state lock; me is the caller's project.

// imsFail is a broken IMS rule: the HTTP status a v2 call answers, the IMG code and message.
type imsFail struct {
	status int
	code   string
	msg    string
}

func (f *imsFail) response() response { return imsError(f.status, f.code, f.msg) }

func imsFailf(status int, code, format string, args ...any) *imsFail {
	return &imsFail{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

func memberNotFound(imageID, member string) *imsFail {
	return imsFailf(http.StatusNotFound, imsMemberNotFound, "Member %s of image %s does not exist.", member, imageID)
}

// imageVisibleTo returns image id when project me owns it or is one of its members.
func (s *Server) imageVisibleTo(me, id string) (*Image, *imsFail) {
	if !isUUID(id) {
		return nil, imsFailf(http.StatusBadRequest, imsParam, "Invalid image ID %q.", id)
	}
	im := s.findImage(id)
	if im == nil || (im.ProjectID != me && s.findImageMember(id, me) == nil) {
		return nil, imsFailf(http.StatusNotFound, imsImageNotFound, "Image %s does not exist.", id)
	}
	return im, nil
}

// memberVisibleTo finds a member project me may see: the owner any, a member itself.
func (s *Server) memberVisibleTo(me string, im *Image, member string) (*ImageMember, *imsFail) {
	m := s.findImageMember(im.ID, member)
	if m == nil || (im.ProjectID != me && member != me) {
		return nil, memberNotFound(im.ID, member)
	}
	return m, nil
}

// shareImage adds project member to image imageID: only the owner, never itself, only a
// known project, once, within the quota (10 members for a full-ECS image, 256 otherwise).
func (s *Server) shareImage(me, imageID, member string) (*ImageMember, *imsFail) {
	im, f := s.imageVisibleTo(me, imageID)
	if f != nil {
		return nil, f
	}
	if im.ProjectID != me {
		return nil, imsFailf(http.StatusForbidden, imsNotOwner, "The image owner is another tenant: only project %s can add members to image %s.", im.ProjectID, im.ID)
	}
	if member == me {
		return nil, imsFailf(http.StatusBadRequest, imsShareSelf, "An image cannot be shared with yourself.")
	}
	if !isProjectID(member) || s.findProject(member) == nil {
		return nil, imsFailf(http.StatusBadRequest, imsBadTenant, "Tenant ID %q is not in this region.", member)
	}
	if s.findImageMember(im.ID, member) != nil {
		return nil, imsFailf(http.StatusConflict, imsMemberExists, "Failed to add the tenant: %s is already a member of image %s.", member, im.ID)
	}
	limit := maxImageMembers
	if im.BackupID != "" {
		limit = maxFullECSMembers
	}
	if s.imageMemberCount(im.ID) >= limit {
		return nil, imsFailf(http.StatusBadRequest, imsQuota, "The shared-image quota is reached: image %s already has %d members.", im.ID, limit)
	}
	now := s.imsStamp()
	s.w.ImageMembers = append(s.w.ImageMembers, ImageMember{ImageID: im.ID, MemberID: member, Status: StatusPending, CreatedAt: now, UpdatedAt: now})
	return &s.w.ImageMembers[len(s.w.ImageMembers)-1], nil
}

// answerImageShare sets member's answer (status accepted or rejected, already checked) to
// the share of image imageID. Only the member itself answers. Accepting a full-ECS image
// needs a server vault of the member's with room for the image, which is charged to it;
// rejecting frees it; accepting into another vault moves the charge.
func (s *Server) answerImageShare(me, imageID, member, status, vaultID string) (*ImageMember, *imsFail) {
	im, f := s.imageVisibleTo(me, imageID)
	if f != nil {
		return nil, f
	}
	if member != me {
		return nil, imsFailf(http.StatusForbidden, imsNotOwner, "Not allowed to update members for image %s: only member %s can update its own status.", im.ID, member)
	}
	m, f := s.memberVisibleTo(me, im, member)
	if f != nil {
		return nil, f
	}
	size := im.SizeGB
	if status == StatusRejected {
		if m.Status == StatusAccepted && m.VaultID != "" {
			s.releaseVault(m.VaultID, size)
		}
		if m.Status != StatusRejected {
			m.Status, m.VaultID, m.UpdatedAt = StatusRejected, "", s.imsStamp()
		}
		return m, nil
	}
	if im.BackupID != "" { // full-ECS image made from a CBR backup: it lands in a vault
		if vaultID == "" {
			return nil, imsFailf(http.StatusBadRequest, imsParam, "vault_id is required when accepting a full-ECS image created from a CBR backup.")
		}
		if m.Status == StatusAccepted && m.VaultID == vaultID {
			return m, nil // idempotent
		}
		if !isUUID(vaultID) {
			return nil, imsFailf(http.StatusBadRequest, imsVaultNotFound, "Failed to obtain the vault %q.", vaultID)
		}
		v := s.findVault(vaultID)
		if v == nil || v.ProjectID != me {
			return nil, imsFailf(http.StatusBadRequest, imsVaultNotFound, "Failed to obtain the vault %s.", vaultID)
		}
		if v.ResourceType != ResourceServer {
			return nil, imsFailf(http.StatusBadRequest, imsVaultNotServer, "Vault %s is not a CBR server backup vault.", vaultID)
		}
		if v.UsedGB+size > v.CapacityGB {
			return nil, imsFailf(http.StatusBadRequest, imsVaultFull, "Insufficient vault capacity: vault %s has %d GB free, the image needs %d GB.", vaultID, v.CapacityGB-v.UsedGB, size)
		}
		if m.Status == StatusAccepted && m.VaultID != "" { // moving to another vault
			s.releaseVault(m.VaultID, size)
		}
		v.UsedGB += size
		m.VaultID = vaultID
	} else if m.Status == StatusAccepted {
		return m, nil // idempotent
	}
	m.Status, m.UpdatedAt = StatusAccepted, s.imsStamp()
	return m, nil
}

// unshareImage removes member from image imageID (owner only) and frees its vault charge.
func (s *Server) unshareImage(me, imageID, member string) *imsFail {
	im, f := s.imageVisibleTo(me, imageID)
	if f != nil {
		return f
	}
	if im.ProjectID != me {
		return imsFailf(http.StatusForbidden, imsNotOwner, "The image owner is another tenant: only project %s can remove members of image %s.", im.ProjectID, im.ID)
	}
	for i := range s.w.ImageMembers {
		m := &s.w.ImageMembers[i]
		if m.ImageID == im.ID && m.MemberID == member {
			if m.Status == StatusAccepted && m.VaultID != "" {
				s.releaseVault(m.VaultID, im.SizeGB)
			}
			s.w.ImageMembers = append(s.w.ImageMembers[:i], s.w.ImageMembers[i+1:]...)
			return nil
		}
	}
	return memberNotFound(im.ID, member)
}

// imageMemberPage is one page of the members of im that me may see (the owner all, a member
// itself), oldest first. limit is 1-1000; without it the page holds defaultLimit members
// (0: all). The marker is opaque: base64 of the last member ID of the previous page, like
// the published "Mjc5NjE=". page_info is the object the published schema defines.
func (s *Server) imageMemberPage(me string, im *Image, q url.Values, defaultLimit int) ([]*ImageMember, map[string]any, *imsFail) {
	limit, hasLimit, err := intParam(q, "limit", 1, 1000)
	if err != nil {
		return nil, nil, imsFailf(http.StatusBadRequest, imsParam, "%s", err.Error())
	}
	if !hasLimit {
		limit = defaultLimit
	}
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
			return nil, nil, imsFailf(http.StatusBadRequest, imsParam, "Invalid marker %q.", mk)
		}
		list = list[pos+1:]
	}
	page := map[string]any{}
	if limit > 0 && len(list) > limit {
		list = list[:limit]
		page["next_marker"] = base64.StdEncoding.EncodeToString([]byte(list[len(list)-1].MemberID))
	}
	page["current_count"] = len(list)
	return list, page, nil
}

// imsSnapshot and imsRestore make a batch all or nothing: the only state IMS sharing
// changes is the member list and the vaults' usage.
type imsState struct {
	members []ImageMember
	vaults  []Vault
}

func (s *Server) imsSnapshot() imsState {
	return imsState{members: append([]ImageMember{}, s.w.ImageMembers...), vaults: append([]Vault{}, s.w.Vaults...)}
}

func (s *Server) imsRestore(st imsState) { s.w.ImageMembers, s.w.Vaults = st.members, st.vaults }
