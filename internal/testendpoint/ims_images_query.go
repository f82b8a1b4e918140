package testendpoint

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Query parameters of the IMS image lists (GlanceListImages, ListImages).

// imageListQuery is a parsed, validated image list query.
type imageListQuery struct {
	visibility   string // "" (own and accepted-shared), public, private, shared, community
	memberStatus string // status of the shared-with-me images: accepted (default), pending, rejected, all
	imageType    string
	owner, id    string
	name, status string
	wholeImage   string // "true"/"false" (/v2/cloudimages)
	arch         string // x86/arm (/v2/cloudimages)
	noEnterprise bool   // an enterprise project that holds no world image
	times        []timeCond
	props        map[string]string // any other parameter: an image property to equal
	limit        int
	marker       string
	sort         []sortKey
}

// imsListParams are the parameters both lists interpret; imsCloudParams only
// /v2/cloudimages. Any other parameter filters by the image property of that name, as
// in Glance (an image without it does not match).
var (
	imsListParams = map[string]bool{
		"limit": true, "marker": true, "sort_key": true, "sort_dir": true, "sort": true, "visibility": true,
		"member_status": true, "__imagetype": true, "owner": true, "id": true, "name": true, "status": true,
		"created_at": true, "updated_at": true,
	}
	imsCloudParams = map[string]bool{"__whole_image": true, "enterprise_project_id": true, "flavor_id": true, "architecture": true}
	imsSortKeys    = []string{"created_at", "updated_at", "name", "id", "status", "size", "min_disk", "min_ram", "disk_format", "container_format"}
	imsStatuses    = []string{"queued", "saving", "active", "killed", "deleted", "pending_delete", "deactivated", "uploading", "importing"}
	imsTimeOps     = []string{"gt", "gte", "lt", "lte", "eq", "neq"}
)

// timeCond is a created_at/updated_at filter "<op>:<UTC time>".
type timeCond struct {
	field, op string
	t         time.Time
}

func (c timeCond) holds(v string) bool {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return false
	}
	switch c.op {
	case "gt":
		return t.After(c.t)
	case "gte":
		return !t.Before(c.t)
	case "lt":
		return t.Before(c.t)
	case "lte":
		return !t.After(c.t)
	case "eq":
		return t.Equal(c.t)
	}
	return !t.Equal(c.t) // neq
}

func oneOf(name, v string, allowed ...string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("invalid %s %q (use %s)", name, v, strings.Join(allowed, ", "))
	}
	return nil
}

// parseImageListQuery validates q for the Glance list (cloud false) or /v2/cloudimages.
// Bad values are 400 IMG.0001 (the endpoint's parameter code).
func parseImageListQuery(q url.Values, cloud bool) (imageListQuery, error) {
	for k, vs := range q {
		if len(vs) > 1 {
			return imageListQuery{}, fmt.Errorf("%s must be given once", k)
		}
	}
	p := imageListQuery{memberStatus: StatusAccepted, limit: 25, sort: []sortKey{{key: "created_at", desc: true}}}
	if cloud {
		p.limit = 500
	}
	get := func(k string) (string, bool) {
		v, ok := q[k]
		if !ok {
			return "", false
		}
		return v[0], true
	}
	checks := []struct {
		name    string
		to      *string
		allowed []string
	}{
		{"visibility", &p.visibility, []string{"public", "private", "shared", "community"}},
		{"member_status", &p.memberStatus, []string{StatusAccepted, StatusPending, StatusRejected, "all"}},
		{"__imagetype", &p.imageType, []string{"gold", "private", "shared", "market"}},
		{"status", &p.status, imsStatuses},
	}
	if cloud { // the Huawei enums: no community, no member_status=all (Glance upstream has both)
		checks[0].allowed, checks[1].allowed = checks[0].allowed[:3], checks[1].allowed[:3]
	}
	for _, c := range checks {
		if v, ok := get(c.name); ok {
			if err := oneOf(c.name, v, c.allowed...); err != nil {
				return p, err
			}
			*c.to = v
		}
	}
	p.owner, _ = get("owner")
	p.id, _ = get("id")
	p.name, _ = get("name")
	p.marker, _ = get("marker")
	for _, f := range []string{"created_at", "updated_at"} {
		if v, ok := get(f); ok {
			op, ts, _ := strings.Cut(v, ":")
			t, err := time.Parse(time.RFC3339, ts)
			if !slices.Contains(imsTimeOps, op) || err != nil {
				return p, fmt.Errorf("invalid %s %q (use <op>:<UTC time>, op one of %s)", f, v, strings.Join(imsTimeOps, ", "))
			}
			p.times = append(p.times, timeCond{field: f, op: op, t: t})
		}
	}
	if v, ok := get("limit"); ok {
		n, err := strconv.Atoi(v)
		switch {
		case cloud && (err != nil || n < 1 || n > 1000):
			return p, fmt.Errorf("limit must be an integer from 1 to 1000, not %q", v)
		case err != nil || n < 0:
			return p, fmt.Errorf("limit must be a non-negative integer, not %q", v)
		}
		p.limit = min(n, 1000) // Glance caps larger limits at its maximum
	}
	if err := p.parseSort(get); err != nil {
		return p, err
	}
	p.props = map[string]string{}
	for k, v := range q {
		switch {
		case imsListParams[k]:
		case cloud && imsCloudParams[k]:
			if err := p.parseCloudParam(k, v[0]); err != nil {
				return p, err
			}
		default:
			p.props[k] = v[0]
		}
	}
	return p, nil
}

// parseSort reads sort_key/sort_dir (Glance classic) or sort=key[:dir],... (not both).
func (p *imageListQuery) parseSort(get func(string) (string, bool)) error {
	key, hasKey := get("sort_key")
	dir, hasDir := get("sort_dir")
	spec, hasSpec := get("sort")
	switch {
	case hasSpec && (hasKey || hasDir):
		return fmt.Errorf("sort cannot be combined with sort_key or sort_dir")
	case hasSpec:
		keys, err := parseSortSpec(spec, imsSortKeys...)
		if err != nil {
			return err
		}
		p.sort = keys
	case hasKey || hasDir:
		sk := sortKey{key: "created_at", desc: true}
		if hasKey {
			if err := oneOf("sort_key", key, imsSortKeys...); err != nil {
				return err
			}
			sk.key = key
		}
		if hasDir {
			if err := oneOf("sort_dir", dir, "asc", "desc"); err != nil {
				return err
			}
			sk.desc = dir == "desc"
		}
		p.sort = []sortKey{sk}
	}
	return nil
}

// parseCloudParam reads the filters only /v2/cloudimages documents.
func (p *imageListQuery) parseCloudParam(k, v string) error {
	switch k {
	case "__whole_image":
		if err := oneOf(k, v, "true", "false"); err != nil {
			return err
		}
		p.wholeImage = v
	case "enterprise_project_id":
		// World images are all in the default enterprise project "0".
		if v != "0" && v != "all_granted_eps" && !isUUID(v) {
			return fmt.Errorf("invalid enterprise_project_id %q (use 0, an ID or all_granted_eps)", v)
		}
		p.noEnterprise = isUUID(v)
	case "architecture":
		if err := oneOf(k, v, "x86", "arm"); err != nil {
			return err
		}
		p.arch = v
	case "flavor_id":
		// Accepted without effect: every world image fits every flavor (inference).
	}
	return nil
}
