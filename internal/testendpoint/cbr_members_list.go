package testendpoint

import (
	"fmt"
	"net/http"
	"strings"
)

// CBR v3 member list: GET /v3/{project_id}/backups/{backup_id}/members and its sort parameter.

// sortKey is one element of the sort parameter.
type sortKey struct {
	key  string
	desc bool
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
		// Seen in the wild: listing the members of a deleted backup answers this 401 body.
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
		if keys, err = parseSortSpec(v[0], "created_at", "updated_at", "status", "id"); err != nil {
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
	// Creation order is the last tie-breaker, so pages are deterministic.
	sortByKeys(list, keys, compareMembers)
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
