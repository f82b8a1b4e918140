package testendpoint

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// IMS image lists (GlanceListImages, ListImages): the Glance list GET /v2/images (deprecated by
// Huawei, still served) and Huawei's GET /v2/cloudimages. Both list the caller's own
// images and the images shared with it; they differ in the default limit, the response
// envelope and a few filters (imageListQuery).

type imsImageJSON struct {
	ID                  string   `json:"id"`
	Name                string   `json:"name"`
	Owner               string   `json:"owner"`
	Status              string   `json:"status"`
	Visibility          string   `json:"visibility"`
	ImageType           string   `json:"__imagetype"`
	WholeImage          string   `json:"__whole_image"`
	BackupID            string   `json:"__backup_id,omitempty"`
	DataOrigin          string   `json:"__data_origin,omitempty"`
	ImageSize           string   `json:"__image_size"`
	OSType              string   `json:"__os_type"`
	OSBit               string   `json:"__os_bit"`
	Platform            string   `json:"__platform"`
	IsRegistered        string   `json:"__isregistered"`
	VirtualEnvType      string   `json:"virtual_env_type"`
	DiskFormat          string   `json:"disk_format"`
	ContainerFormat     string   `json:"container_format"`
	MinDisk             int      `json:"min_disk"`
	MinRAM              int      `json:"min_ram"`
	Size                int      `json:"size"`
	VirtualSize         *int     `json:"virtual_size"`
	Protected           bool     `json:"protected"`
	Tags                []string `json:"tags"`
	EnterpriseProjectID string   `json:"enterprise_project_id"`
	CreatedAt           string   `json:"created_at"`
	UpdatedAt           string   `json:"updated_at"`
	Self                string   `json:"self"`
	File                string   `json:"file"`
	Schema              string   `json:"schema"`
}

// listedImage is an image as the caller sees it: its own (member nil) or shared with it.
type listedImage struct {
	im     *Image
	member *ImageMember
	vis    string // visibility and __imagetype: "private" or "shared"
}

// visibleImages lists, in world order, every image the caller may see: its own, and
// those with a member record for it in any status (a marker may name any of them).
// An own image is "shared" while it has members, else "private" (Glance visibility;
// Huawei gives __imagetype "shared" to images shared out, ListImages). A received image is
// "shared" in both (inference, as in the published ListImages example).
func (s *Server) visibleImages(me string) []listedImage {
	var out []listedImage
	for i := range s.w.Images {
		im := &s.w.Images[i]
		if im.ProjectID == me {
			vis := "private"
			if s.imageMemberCount(im.ID) > 0 {
				vis = "shared"
			}
			out = append(out, listedImage{im: im, vis: vis})
		} else if m := s.findImageMember(im.ID, me); m != nil {
			out = append(out, listedImage{im: im, member: m, vis: "shared"})
		}
	}
	return out
}

// imsImageWire renders an image. The world has no image timestamps, OS or formats:
// times are the default world's creation time and the rest is fixed (inference).
func imsImageWire(li listedImage) imsImageJSON {
	im := li.im
	j := imsImageJSON{
		ID: im.ID, Name: im.Name, Owner: im.ProjectID, Status: "active", Visibility: li.vis, ImageType: li.vis,
		WholeImage: strconv.FormatBool(im.BackupID != ""), ImageSize: strconv.FormatInt(int64(im.SizeGB)<<30, 10),
		OSType: "Linux", OSBit: "64", Platform: "Other", IsRegistered: "true", VirtualEnvType: "FusionCompute",
		DiskFormat: "zvhd2", ContainerFormat: "bare", MinDisk: im.SizeGB, Tags: []string{}, EnterpriseProjectID: "0",
		CreatedAt: imsTime(defaultTime), UpdatedAt: imsTime(defaultTime),
		Self: "/v2/images/" + im.ID, File: "/v2/images/" + im.ID + "/file", Schema: "/v2/schemas/image",
	}
	if im.BackupID != "" { // full-ECS image made from a CBR backup (ListImages markers)
		j.BackupID, j.DataOrigin = im.BackupID, "server_backup,"+im.BackupID
	}
	return j
}

func imsParamError(format string, args ...any) response {
	return imsError(http.StatusBadRequest, imsParam, fmt.Sprintf(format, args...))
}

// GET /v2/images (Glance): {images, first, next, schema}; next only when a further page
// exists (GlanceListImages).
func (s *Server) imsGlanceListImages(rc *reqCtx) response {
	q := rc.r.URL.Query()
	page, more, errResp := s.listImages(rc, q, false)
	if errResp != nil {
		return *errResp
	}
	first := url.Values{}
	for k, v := range q {
		if k != "marker" {
			first[k] = v
		}
	}
	body := map[string]any{"images": page, "first": withQueryString("/v2/images", first), "schema": "/v2/schemas/images"}
	if more {
		first.Set("marker", page[len(page)-1].ID)
		body["next"] = withQueryString("/v2/images", first)
	}
	return jsonResponse(http.StatusOK, body)
}

// GET /v2/cloudimages (Huawei): {images} only; the next page is asked for with
// marker=<last image ID> (ListImages).
func (s *Server) imsCloudListImages(rc *reqCtx) response {
	page, _, errResp := s.listImages(rc, rc.r.URL.Query(), true)
	if errResp != nil {
		return *errResp
	}
	return jsonResponse(http.StatusOK, map[string]any{"images": page})
}

func withQueryString(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// listImages validates q, then sorts, positions the marker, filters and pages. more
// reports whether matches follow the page.
func (s *Server) listImages(rc *reqCtx, q url.Values, cloud bool) ([]imsImageJSON, bool, *response) {
	p, err := parseImageListQuery(q, cloud)
	if err != nil {
		r := imsParamError("%s", err.Error())
		return nil, false, &r
	}
	list := s.visibleImages(rc.caller.projectID)
	// Glance breaks ties by id, in the last key's direction.
	sortByKeys(list, append(slices.Clip(p.sort), sortKey{key: "id", desc: p.sort[len(p.sort)-1].desc}), compareImages)
	after := -1
	if p.marker != "" {
		for i, li := range list {
			if li.im.ID == p.marker {
				after = i
			}
		}
		if after < 0 { // Glance: 400 "Invalid marker. Image ... could not be found."
			r := imsParamError("Invalid marker. Image %s could not be found.", p.marker)
			return nil, false, &r
		}
	}
	page := []imsImageJSON{}
	for _, li := range list[after+1:] {
		w := imsImageWire(li)
		if !p.matches(li, &w) {
			continue
		}
		if len(page) == p.limit {
			return page, len(page) > 0, nil // limit=0 (Glance) is an empty page with no next
		}
		page = append(page, w)
	}
	return page, false, nil
}

// compareImages orders by one sort key; every world image has the same times, status
// and formats, so those keys tie and the id breaks them.
func compareImages(a, b listedImage, key string) int {
	switch key {
	case "name":
		return strings.Compare(a.im.Name, b.im.Name)
	case "id":
		return strings.Compare(a.im.ID, b.im.ID)
	case "size", "min_disk":
		return a.im.SizeGB - b.im.SizeGB
	}
	return 0
}

// matches applies the filters to an image and its wire form.
func (p *imageListQuery) matches(li listedImage, w *imsImageJSON) bool {
	if li.member == nil {
		if p.visibility != "" && p.visibility != li.vis {
			return false
		}
	} else if (p.visibility != "" && p.visibility != "shared") ||
		(p.memberStatus != "all" && li.member.Status != p.memberStatus) {
		return false
	}
	switch {
	case p.imageType != "" && p.imageType != w.ImageType,
		p.owner != "" && p.owner != w.Owner,
		p.id != "" && p.id != w.ID,
		p.name != "" && p.name != w.Name,
		p.status != "" && p.status != w.Status,
		p.wholeImage != "" && p.wholeImage != w.WholeImage,
		p.noEnterprise,
		p.arch != "" && p.arch != "x86": // world images are x86 (inference)
		return false
	}
	for _, c := range p.times {
		v := w.CreatedAt
		if c.field == "updated_at" {
			v = w.UpdatedAt
		}
		if !c.holds(v) {
			return false
		}
	}
	if len(p.props) == 0 {
		return true
	}
	var props map[string]any
	b, _ := json.Marshal(w)
	_ = json.Unmarshal(b, &props)
	for k, want := range p.props {
		if got, ok := props[k]; !ok || propString(got) != want {
			return false
		}
	}
	return true
}

// propString renders a wire property as a query value compares to it.
func propString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return "\x00" // null, lists and objects never equal a query value
}
