package ims_test

// ListSharedImages against the project's test endpoint, which follows the published API
// independently of this client.

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
	"github.com/backupshare/terraform-provider-cbr/internal/client/ims"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

func imageStatuses(list []ims.Image) []string {
	out := []string{}
	for _, im := range list {
		out = append(out, im.ID+"="+im.MemberStatus)
	}
	return out
}

func TestEndpoint_ListSharedImages(t *testing.T) {
	ctx := context.Background()
	srv := clienttest.StartEndpoint(t, testendpoint.DefaultWorld())
	owner := clienttest.EndpointClient(t, srv, testendpoint.OwnerAccessKey, testendpoint.OwnerSecretKey)
	recv1 := clienttest.EndpointClient(t, srv, testendpoint.Receiver1AccessKey, testendpoint.Receiver1SecretKey)
	recv2 := clienttest.EndpointClient(t, srv, testendpoint.Receiver2Token, "")

	for _, id := range []string{testendpoint.FullECSImageID, testendpoint.SystemImageID} {
		for _, p := range []string{testendpoint.Receiver1ProjectID, testendpoint.Receiver2ProjectID} {
			if _, err := ims.AddMember(ctx, owner, id, p); err != nil {
				t.Fatalf("AddMember: %v", err)
			}
		}
	}
	if _, err := ims.UpdateMemberStatus(ctx, recv1, testendpoint.FullECSImageID, testendpoint.Receiver1ProjectID, "accepted", testendpoint.Receiver1ServerVaultID); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if _, err := ims.UpdateMemberStatus(ctx, recv2, testendpoint.SystemImageID, testendpoint.Receiver2ProjectID, "rejected", ""); err != nil {
		t.Fatalf("reject: %v", err)
	}

	list, err := ims.ListSharedImages(ctx, recv1, ims.SharedImagesOpts{})
	if err != nil {
		t.Fatal(err)
	}
	// Within a status the endpoint lists by id, descending (same creation times).
	if got, want := imageStatuses(list), []string{testendpoint.SystemImageID + "=pending", testendpoint.FullECSImageID + "=accepted"}; !slices.Equal(got, want) {
		t.Fatalf("receiver1 sees %v, want %v", got, want)
	}
	full := list[1]
	if full.Owner != testendpoint.OwnerProjectID || !full.WholeImage || full.BackupID != testendpoint.ServerBackup2ID ||
		full.DataOrigin != "server_backup,"+testendpoint.ServerBackup2ID || full.SizeBytes != 10<<30 || full.Status != "active" ||
		full.Name != "full-ecs-image" || full.CreatedAt == "" || full.Visibility != "shared" || full.ImageType != "shared" {
		t.Fatalf("full-ECS image %+v", full)
	}
	if list[0].WholeImage || list[0].BackupID != "" {
		t.Fatalf("system image %+v", list[0])
	}
	list, err = ims.ListSharedImages(ctx, recv2, ims.SharedImagesOpts{})
	if got, want := imageStatuses(list), []string{testendpoint.FullECSImageID + "=pending", testendpoint.SystemImageID + "=rejected"}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("receiver2 sees %v (%v), want %v", got, err, want)
	}
	// The owner's own shared images are not "shared with" it.
	if list, err := ims.ListSharedImages(ctx, owner, ims.SharedImagesOpts{}); err != nil || len(list) != 0 {
		t.Fatalf("owner sees %v, %v", imageStatuses(list), err)
	}

	yes := true
	for _, tc := range []struct {
		name string
		opts ims.SharedImagesOpts
		want []string
	}{
		{"pending", ims.SharedImagesOpts{MemberStatus: "pending"}, []string{testendpoint.FullECSImageID + "=pending"}},
		{"rejected", ims.SharedImagesOpts{MemberStatus: "rejected"}, []string{testendpoint.SystemImageID + "=rejected"}},
		{"accepted", ims.SharedImagesOpts{MemberStatus: "accepted"}, nil},
		{"whole image", ims.SharedImagesOpts{WholeImage: &yes}, []string{testendpoint.FullECSImageID + "=pending"}},
		{"owner", ims.SharedImagesOpts{Owner: testendpoint.Receiver1ProjectID}, nil},
		{"id", ims.SharedImagesOpts{ID: testendpoint.SystemImageID}, []string{testendpoint.SystemImageID + "=rejected"}},
		{"name", ims.SharedImagesOpts{Name: "full-ecs-image"}, []string{testendpoint.FullECSImageID + "=pending"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, err := ims.ListSharedImages(ctx, recv2, tc.opts)
			if got := imageStatuses(list); err != nil || !slices.Equal(got, append([]string{}, tc.want...)) {
				t.Fatalf("got %v (%v), want %v", got, err, tc.want)
			}
		})
	}
}

// Paging by marker: /v2/cloudimages returns no marker, so the client asks again after
// every full page.
func TestEndpoint_ListSharedImagesPaging(t *testing.T) {
	w := testendpoint.DefaultWorld()
	const n = 620
	for i := range n {
		id := fmt.Sprintf("d164b5df-0000-4000-9000-%012d", i)
		w.Images = append(w.Images, testendpoint.Image{ID: id, ProjectID: testendpoint.OwnerProjectID, Name: fmt.Sprint("bulk-", i), SizeGB: 1})
		w.ImageMembers = append(w.ImageMembers, testendpoint.ImageMember{ImageID: id, MemberID: testendpoint.Receiver1ProjectID,
			Status: testendpoint.StatusPending, CreatedAt: time.Unix(0, 0), UpdatedAt: time.Unix(0, 0)})
	}
	srv := clienttest.StartEndpoint(t, w)
	recv1 := clienttest.EndpointClient(t, srv, testendpoint.Receiver1Token, "")
	list, err := ims.ListSharedImages(context.Background(), recv1, ims.SharedImagesOpts{MemberStatus: "pending"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, im := range list {
		seen[im.ID] = true
	}
	if len(list) != n || len(seen) != n {
		t.Fatalf("%d images (%d distinct), want %d", len(list), len(seen), n)
	}
	gets := 0
	for _, r := range srv.Requests() {
		if r.Path == "/v2/cloudimages" {
			gets++
			if r.Status != 200 || r.Service != "ims" {
				t.Fatalf("%s?%s: %d (%s)", r.Path, r.Query, r.Status, r.Service)
			}
		}
	}
	if gets != 2 {
		t.Fatalf("%d GETs for %d images, want 2 pages", gets, n)
	}
}
