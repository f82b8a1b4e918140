package testendpoint

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

const (
	ownerPrivateImageID = "d164b5df-0000-4000-8000-000000000003" // owner's, 20 GB, no members
	receiver1ImageID    = "d164b5df-0000-4000-8000-000000000004" // receiver1's own, 5 GB
)

// sharedImagesWorld adds an unshared owner image and a receiver1 image to the default
// world, and members in every status:
//
//	receiver1: FullECSImageID accepted (server vault), SystemImageID pending
//	receiver2: FullECSImageID pending, SystemImageID rejected
//
// Every image has the same timestamps, so the default order (created_at desc) falls back
// on the id, descending: FullECSImageID, receiver1ImageID, ownerPrivateImageID, SystemImageID.
func sharedImagesWorld() World {
	w := DefaultWorld()
	w.Images = append(w.Images,
		Image{ID: ownerPrivateImageID, ProjectID: OwnerProjectID, Name: "owner-private-image", SizeGB: 20},
		Image{ID: receiver1ImageID, ProjectID: Receiver1ProjectID, Name: "receiver1-image", SizeGB: 5})
	for i := range w.Vaults {
		if w.Vaults[i].ID == Receiver1ServerVaultID {
			w.Vaults[i].UsedGB = 10
		}
	}
	m := func(image, member, status, vault string) ImageMember {
		return ImageMember{ImageID: image, MemberID: member, Status: status, VaultID: vault, CreatedAt: defaultTime, UpdatedAt: defaultTime}
	}
	w.ImageMembers = []ImageMember{
		m(FullECSImageID, Receiver1ProjectID, StatusAccepted, Receiver1ServerVaultID),
		m(SystemImageID, Receiver1ProjectID, StatusPending, ""),
		m(FullECSImageID, Receiver2ProjectID, StatusPending, ""),
		m(SystemImageID, Receiver2ProjectID, StatusRejected, ""),
	}
	return w
}

func imageByID(t *testing.T, r result, id string) map[string]any {
	t.Helper()
	for _, im := range r.body["images"].([]any) {
		if m := im.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("image %s not listed: %s", id, r.raw)
	return nil
}

func TestIMSListImagesBody(t *testing.T) {
	s := startServer(t, sharedImagesWorld())
	r := call(t, s, "GET", "/v2/images?visibility=shared&member_status=all", recv1Tok, nil)
	expect(t, r, 200, "")
	if r.str("schema") != "/v2/schemas/images" || r.str("first") != "/v2/images?member_status=all&visibility=shared" || r.body["next"] != nil || len(r.body) != 3 {
		t.Fatalf("glance envelope = %s", r.raw)
	}
	full := imageByID(t, r, FullECSImageID)
	want := map[string]any{
		"owner": OwnerProjectID, "name": "full-ecs-image", "status": "active", "visibility": "shared", "__imagetype": "shared",
		"__whole_image": "true", "__backup_id": ServerBackup2ID, "__data_origin": "server_backup," + ServerBackup2ID,
		"__image_size": "10737418240", "min_disk": 10.0, "min_ram": 0.0, "protected": false, "virtual_size": nil,
		"schema": "/v2/schemas/image", "self": "/v2/images/" + FullECSImageID, "file": "/v2/images/" + FullECSImageID + "/file",
		"container_format": "bare", "disk_format": "zvhd2", "__os_type": "Linux", "enterprise_project_id": "0",
	}
	for k, v := range want {
		if got, ok := full[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	for _, f := range []string{"created_at", "updated_at"} {
		if v, _ := full[f].(string); !imsTimeRe.MatchString(v) {
			t.Errorf("%s = %v, want the IMS time format", f, full[f])
		}
	}
	if tags, ok := full["tags"].([]any); !ok || len(tags) != 0 {
		t.Errorf("tags = %v, want []", full["tags"])
	}
	sys := imageByID(t, r, SystemImageID)
	if _, ok := sys["__backup_id"]; ok || sys["__whole_image"] != "false" {
		t.Errorf("system image = %v", sys)
	}
	// The owner sees its shared images as shared and the others as private.
	r = call(t, s, "GET", "/v2/images", ownerTok, nil)
	if v := imageByID(t, r, ownerPrivateImageID); v["visibility"] != "private" || v["__imagetype"] != "private" {
		t.Errorf("unshared own image = %v", v)
	}
	if v := imageByID(t, r, SystemImageID); v["visibility"] != "shared" || v["__imagetype"] != "shared" || v["owner"] != OwnerProjectID {
		t.Errorf("shared own image = %v", v)
	}
	// /v2/cloudimages: the images list alone.
	r = call(t, s, "GET", "/v2/cloudimages?__imagetype=shared&visibility=shared&member_status=accepted", recv1Tok, nil)
	expect(t, r, 200, "")
	if len(r.body) != 1 || !slices.Equal(listedIDs(t, r, "images"), []string{FullECSImageID}) {
		t.Fatalf("cloudimages = %s", r.raw)
	}
	for _, rec := range s.Requests() {
		if rec.Service != "ims" {
			t.Errorf("%s logged as service %q", rec.Path, rec.Service)
		}
	}
}

func TestIMSListImagesFilters(t *testing.T) {
	s := startServer(t, sharedImagesWorld())
	const full, sys, ownPriv, r1img = FullECSImageID, SystemImageID, ownerPrivateImageID, receiver1ImageID
	tests := []struct {
		name  string
		c     cred
		path  string // "glance", "cloud" or "both"
		query string
		want  []string
	}{
		{"owner default", ownerTok, "both", "", []string{full, ownPriv, sys}},
		{"owner shared", ownerTok, "both", "visibility=shared", []string{full, sys}},
		{"owner shared pending: own images unaffected", ownerAK, "both", "visibility=shared&member_status=pending", []string{full, sys}},
		{"owner private", ownerTok, "both", "visibility=private", []string{ownPriv}},
		{"owner public", ownerTok, "both", "visibility=public", nil},
		{"receiver1 default: own and accepted", recv1Tok, "both", "", []string{full, r1img}},
		{"receiver1 shared", recv1Tok, "both", "visibility=shared", []string{full}},
		{"receiver1 shared accepted recipe", recv1AK, "both", "member_status=accepted&visibility=shared&__imagetype=shared", []string{full}},
		{"receiver1 shared pending", recv1Tok, "both", "visibility=shared&member_status=pending", []string{sys}},
		{"receiver1 pending recipe", recv1Tok, "both", "member_status=pending&visibility=shared&__imagetype=shared", []string{sys}},
		{"receiver1 shared rejected", recv1Tok, "both", "visibility=shared&member_status=rejected", nil},
		{"receiver1 shared all", recv1Tok, "glance", "visibility=shared&member_status=all", []string{full, sys}},
		{"receiver1 private", recv1Tok, "both", "visibility=private", []string{r1img}},
		{"receiver1 community", recv1Tok, "glance", "visibility=community", nil},
		{"receiver1 imagetype private", recv1Tok, "both", "__imagetype=private", []string{r1img}},
		{"receiver1 imagetype gold", recv1Tok, "both", "__imagetype=gold", nil},
		{"receiver1 pending without visibility", recv1Tok, "both", "member_status=pending", []string{r1img, sys}},
		{"receiver1 by owner", recv1Tok, "glance", "member_status=all&owner=" + OwnerProjectID, []string{full, sys}},
		{"receiver1 own by owner", recv1Tok, "both", "owner=" + Receiver1ProjectID, []string{r1img}},
		{"receiver1 by id", recv1Tok, "both", "id=" + full, []string{full}},
		{"receiver1 by id not accepted", recv1Tok, "both", "id=" + sys, nil},
		{"receiver1 by name", recv1Tok, "both", "name=system-image&visibility=shared&member_status=pending", []string{sys}},
		{"name is exact", recv1Tok, "both", "name=system", nil},
		{"status active", recv1Tok, "both", "status=active", []string{full, r1img}},
		{"status queued", recv1Tok, "both", "status=queued", nil},
		{"property __whole_image", recv1Tok, "glance", "member_status=all&__whole_image=true", []string{full}},
		{"property __whole_image false", recv1Tok, "glance", "member_status=all&__whole_image=false", []string{r1img, sys}},
		{"cloud __whole_image", recv1Tok, "cloud", "member_status=pending&__whole_image=false", []string{r1img, sys}},
		{"property __backup_id", recv2Tok, "both", "visibility=shared&member_status=pending&__backup_id=" + ServerBackup2ID, []string{full}},
		{"property number", ownerTok, "both", "min_disk=20", []string{ownPriv}},
		{"property __os_type", ownerTok, "both", "__os_type=Linux", []string{full, ownPriv, sys}},
		{"unknown property", ownerTok, "both", "colour=blue", nil},
		{"created_at gte", ownerTok, "both", "created_at=gte:2024-01-01T00:00:00Z", []string{full, ownPriv, sys}},
		{"created_at lt", ownerTok, "both", "created_at=lt:2024-01-01T00:00:00Z", nil},
		{"updated_at eq", ownerTok, "both", "updated_at=eq:2024-01-02T03:04:05Z", []string{full, ownPriv, sys}},
		{"updated_at neq", ownerTok, "both", "updated_at=neq:2024-01-02T03:04:05Z", nil},
		{"enterprise project 0", ownerTok, "cloud", "enterprise_project_id=0", []string{full, ownPriv, sys}},
		{"all granted eps", ownerTok, "cloud", "enterprise_project_id=all_granted_eps", []string{full, ownPriv, sys}},
		{"other enterprise project", ownerTok, "cloud", "enterprise_project_id=" + Receiver1ServerVaultID, nil},
		{"architecture x86", ownerTok, "cloud", "architecture=x86", []string{full, ownPriv, sys}},
		{"architecture arm", ownerTok, "cloud", "architecture=arm", nil},
		{"flavor_id without effect", ownerTok, "cloud", "flavor_id=s6.large.2", []string{full, ownPriv, sys}},
		{"receiver2 default", recv2Tok, "both", "", nil},
		{"receiver2 pending", recv2Tok, "both", "visibility=shared&member_status=pending", []string{full}},
		{"receiver2 rejected", recv2Tok, "both", "visibility=shared&member_status=rejected", []string{sys}},
		{"sort name desc", ownerTok, "glance", "sort_key=name&sort_dir=desc", []string{sys, ownPriv, full}},
		{"sort_dir only", ownerTok, "both", "sort_dir=asc", []string{sys, ownPriv, full}},
		{"sort size asc", ownerTok, "both", "sort=size:asc", []string{full, ownPriv, sys}},
		{"sort size desc, name", ownerTok, "both", "sort=size,name:asc", []string{sys, ownPriv, full}},
		{"sort id asc", ownerTok, "cloud", "sort_key=id&sort_dir=asc", []string{sys, ownPriv, full}},
	}
	for _, tc := range tests {
		for _, p := range []string{"/v2/images", "/v2/cloudimages"} {
			if (tc.path == "glance" && p != "/v2/images") || (tc.path == "cloud" && p != "/v2/cloudimages") {
				continue
			}
			t.Run(tc.name+" "+p, func(t *testing.T) {
				r := call(t, s, "GET", p+"?"+tc.query, tc.c, nil)
				expect(t, r, 200, "")
				if got := listedIDs(t, r, "images"); !slices.Equal(got, append([]string{}, tc.want...)) {
					t.Fatalf("ids = %v, want %v", got, tc.want)
				}
			})
		}
	}
}

func TestIMSListImagesPaging(t *testing.T) {
	w := sharedImagesWorld()
	for i := range 510 {
		w.Images = append(w.Images, Image{ID: fmt.Sprintf("d164b5df-0000-4000-9000-%012d", i), ProjectID: OwnerProjectID, Name: fmt.Sprint("bulk-", i), SizeGB: 1})
	}
	s := startServer(t, w)
	const total = 513 // the owner's three images and the bulk ones

	// Glance: default 25 per page, next links to follow, first without the marker.
	seen := map[string]bool{}
	next, pages := "/v2/images", 0
	for next != "" {
		r := call(t, s, "GET", next, ownerTok, nil)
		expect(t, r, 200, "")
		ids := listedIDs(t, r, "images")
		if pages++; len(ids) != 25 && r.body["next"] != nil {
			t.Fatalf("page %d has %d images and a next link", pages, len(ids))
		}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("image %s listed twice", id)
			}
			seen[id] = true
		}
		if r.str("first") != "/v2/images" {
			t.Fatalf("first = %q", r.str("first"))
		}
		next = r.str("next")
		if next != "" && !strings.HasPrefix(next, "/v2/images?marker=") {
			t.Fatalf("next = %q", next)
		}
	}
	if len(seen) != total || pages != (total+24)/25 {
		t.Fatalf("glance paging: %d images in %d pages", len(seen), pages)
	}
	// The filters and limit survive in next and first; the marker only in next.
	r := call(t, s, "GET", "/v2/images?visibility=private&limit=2&marker=d164b5df-0000-4000-9000-000000000100", ownerTok, nil)
	if r.str("first") != "/v2/images?limit=2&visibility=private" ||
		r.str("next") != "/v2/images?limit=2&marker=d164b5df-0000-4000-9000-000000000098&visibility=private" {
		t.Fatalf("links = %q, %q", r.str("first"), r.str("next"))
	}
	r = call(t, s, "GET", "/v2/images?limit=0", ownerTok, nil)
	if ids := listedIDs(t, r, "images"); len(ids) != 0 || r.body["next"] != nil {
		t.Fatalf("limit=0 = %s", r.raw)
	}
	r = call(t, s, "GET", "/v2/images?limit=5000", ownerTok, nil)
	if ids := listedIDs(t, r, "images"); len(ids) != total || r.body["next"] != nil {
		t.Fatalf("limit=5000: %d images", len(ids))
	}

	// /v2/cloudimages: default 500, the next page by marker=<last id>, no links.
	r = call(t, s, "GET", "/v2/cloudimages", ownerTok, nil)
	ids := listedIDs(t, r, "images")
	if len(ids) != 500 || len(r.body) != 1 {
		t.Fatalf("cloud page 1: %d images, body keys %d", len(ids), len(r.body))
	}
	r = call(t, s, "GET", "/v2/cloudimages?marker="+ids[499], ownerTok, nil)
	rest := listedIDs(t, r, "images")
	if len(rest) != total-500 || slices.Contains(ids, rest[0]) {
		t.Fatalf("cloud page 2: %d images", len(rest))
	}
	// A marker hidden by the filter still positions the page.
	r = call(t, s, "GET", "/v2/cloudimages?visibility=shared&marker="+ownerPrivateImageID, ownerTok, nil)
	if got := listedIDs(t, r, "images"); !slices.Equal(got, []string{SystemImageID}) {
		t.Fatalf("marker hidden by the filter: %v", got)
	}
}

func TestIMSListImagesErrors(t *testing.T) {
	s := startServer(t, sharedImagesWorld())
	g, c := "/v2/images?", "/v2/cloudimages?"
	tests := []apiCase{
		{"visibility", g + "visibility=all", ownerTok, nil, 400, imsParam},
		{"member_status -ed forms only", g + "member_status=accept", ownerTok, nil, 400, imsParam},
		{"imagetype", g + "__imagetype=public", ownerTok, nil, 400, imsParam},
		{"status", g + "status=available", ownerTok, nil, 400, imsParam},
		{"negative limit", g + "limit=-1", ownerTok, nil, 400, imsParam},
		{"limit text", g + "limit=many", ownerTok, nil, 400, imsParam},
		{"sort_key", g + "sort_key=owner", ownerTok, nil, 400, imsParam},
		{"sort_dir", g + "sort_dir=up", ownerTok, nil, 400, imsParam},
		{"sort and sort_key", g + "sort=name:asc&sort_key=name", ownerTok, nil, 400, imsParam},
		{"sort key", g + "sort=owner:asc", ownerTok, nil, 400, imsParam},
		{"created_at without op", g + "created_at=2024-01-02T03:04:05Z", ownerTok, nil, 400, imsParam},
		{"created_at bad op", g + "created_at=after:2024-01-02T03:04:05Z", ownerTok, nil, 400, imsParam},
		{"updated_at bad time", g + "updated_at=gt:2024-01-02", ownerTok, nil, 400, imsParam},
		{"unknown marker", g + "marker=d164b5df-0000-4000-8000-0000000000ff", ownerTok, nil, 400, imsParam},
		{"marker of an image not visible", g + "marker=" + receiver1ImageID, recv2Tok, nil, 400, imsParam},
		{"repeated parameter", g + "visibility=shared&visibility=private", ownerTok, nil, 400, imsParam},
		{"cloud limit 0", c + "limit=0", ownerTok, nil, 400, imsParam},
		{"cloud limit 1001", c + "limit=1001", ownerTok, nil, 400, imsParam},
		{"cloud member_status all", c + "member_status=all", ownerTok, nil, 400, imsParam},
		{"cloud community", c + "visibility=community", ownerTok, nil, 400, imsParam},
		{"cloud whole image", c + "__whole_image=yes", ownerTok, nil, 400, imsParam},
		{"cloud enterprise project", c + "enterprise_project_id=default", ownerTok, nil, 400, imsParam},
		{"cloud architecture", c + "architecture=sparc", ownerTok, nil, 400, imsParam},
		{"cloud unknown marker", c + "marker=x", ownerTok, nil, 400, imsParam},

		{"glance no credentials", "/v2/images", noCred, nil, 401, codeNoAuth},
		{"cloud no credentials", "/v2/cloudimages", noCred, nil, 401, codeNoAuth},
		{"bad signature", "/v2/cloudimages", cred{ak: Receiver1AccessKey, sk: Receiver1SecretKey, badSignature: true}, nil, 401, codeBadIAMAuth},
		{"X-Project-Id of another domain", "/v2/images", cred{ak: Receiver1AccessKey, sk: Receiver1SecretKey, projectID: OwnerProjectID}, nil, 403, codeNotAllowed},
		{"unknown API", "/v2/images/detail", ownerTok, nil, 404, "APIGW.0101"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, "GET", tc.path, tc.c, nil)
			expect(t, r, tc.status, tc.code)
			if tc.code == imsParam && r.str("error.message") == "" {
				t.Errorf("no error.message: %s", r.raw)
			}
		})
	}
	// Valid credentials of every kind; AK/SK without X-Project-Id uses the domain's
	// project named after the region.
	for _, c := range []cred{ownerTmp, recv1AK, {ak: Receiver1AccessKey, sk: Receiver1SecretKey, projectID: Receiver1ProjectID}} {
		r := call(t, s, "GET", "/v2/images?visibility=shared", c, nil)
		expect(t, r, 200, "")
	}
	r := call(t, s, "GET", "/v2/images?visibility=shared", recv1AK, nil)
	if got := listedIDs(t, r, "images"); !slices.Equal(got, []string{FullECSImageID}) {
		t.Fatalf("AK/SK receiver sees %v", got)
	}
}

// The listing follows the member's life through the v2 member calls.
func TestIMSListImagesFollowsMembers(t *testing.T) {
	s := startServer(t, DefaultWorld())
	list := func(status string) []string {
		t.Helper()
		r := call(t, s, "GET", "/v2/cloudimages?"+url.Values{"visibility": {"shared"}, "member_status": {status}}.Encode(), recv1Tok, nil)
		expect(t, r, 200, "")
		return listedIDs(t, r, "images")
	}
	expect(t, call(t, s, "POST", imsMembers(SystemImageID), ownerTok, map[string]any{"member": Receiver1ProjectID}), 200, "")
	if got := list("pending"); !slices.Equal(got, []string{SystemImageID}) {
		t.Fatalf("pending = %v", got)
	}
	m := imsMembers(SystemImageID) + "/" + Receiver1ProjectID
	expect(t, call(t, s, "PUT", m, recv1Tok, map[string]any{"status": "accepted"}), 200, "")
	if p, a := list("pending"), list("accepted"); len(p) != 0 || !slices.Equal(a, []string{SystemImageID}) {
		t.Fatalf("after accept: pending %v accepted %v", p, a)
	}
	expect(t, call(t, s, "PUT", m, recv1Tok, map[string]any{"status": "rejected"}), 200, "")
	if got := list("rejected"); !slices.Equal(got, []string{SystemImageID}) {
		t.Fatalf("rejected = %v", got)
	}
	expect(t, call(t, s, "DELETE", imsMembers(SystemImageID)+"/"+Receiver1ProjectID, ownerTok, nil), 204, "")
	if got := list("rejected"); len(got) != 0 {
		t.Fatalf("listed after the member was removed: %v", got)
	}
}

func FuzzIMSListImagesQuery(f *testing.F) {
	for _, seed := range []string{
		"", "visibility=shared&member_status=pending", "limit=0", "limit=-5", "marker=" + FullECSImageID, "sort=:",
		"sort=size:asc,name", "created_at=gte:", "__whole_image=true", "a=1&a=2", "%zz", "sort_key=id&sort_dir=",
	} {
		f.Add(seed)
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		fuzzServeQuery(t, s, "GET", "/v2/images", rawQuery, Receiver1Token, nil)
		fuzzServeQuery(t, s, "GET", "/v2/cloudimages", rawQuery, Receiver1Token, nil)
	})
}
