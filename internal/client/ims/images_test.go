package ims

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
)

const sharer = "4229d7a45436489f8c3dc2b1d35d4987"

// The published ListImages example: a receiver's view of an accepted full-ECS image.
const wholeImageJSON = `{"id":"6596628c-42d4-4ff1-8660-8ea5ae61f243","name":"backup_whole_image",
 "owner":"` + sharer + `","status":"active","visibility":"shared","__imagetype":"shared","__whole_image":"true",
 "__backup_id":"6df2b54c-dd62-4059-a07c-1b8f24f2725d","__data_origin":"server_backup,6df2b54c-dd62-4059-a07c-1b8f24f2725d",
 "min_disk":40,"min_ram":0,"size":0,"__image_size":"42949672960","__os_type":"Linux","__isregistered":"true",
 "virtual_env_type":"FusionCompute","disk_format":"zvhd2","container_format":"bare","protected":false,"tags":[],
 "schema":"/v2/schemas/image","self":"/v2/images/6596628c-42d4-4ff1-8660-8ea5ae61f243",
 "created_at":"2024-11-06T06:28:58Z","updated_at":"2024-11-06T07:24:23Z"}`

func TestListSharedImagesDecode(t *testing.T) {
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		clienttest.JSON(w, 200, `{"images":[`+wholeImageJSON+`,
		 {"id":"bool-form","owner":"`+sharer+`","__whole_image":true,"__image_size":1024,"min_disk":null,"__backup_id":null},
		 {"id":"mine","owner":"`+clienttest.ProjectID+`","visibility":"shared"}]}`)
	})
	list, err := ListSharedImages(context.Background(), c, SharedImagesOpts{MemberStatus: StatusAccepted, Owner: sharer, Name: "backup_whole_image"})
	if err != nil {
		t.Fatal(err)
	}
	want := Image{
		ID: "6596628c-42d4-4ff1-8660-8ea5ae61f243", Name: "backup_whole_image", Owner: sharer, Status: "active", Visibility: "shared",
		ImageType: "shared", WholeImage: true, BackupID: "6df2b54c-dd62-4059-a07c-1b8f24f2725d",
		DataOrigin: "server_backup,6df2b54c-dd62-4059-a07c-1b8f24f2725d", MinDiskGB: 40, SizeBytes: 42949672960, OSType: "Linux",
		CreatedAt: "2024-11-06T06:28:58Z", UpdatedAt: "2024-11-06T07:24:23Z", MemberStatus: StatusAccepted,
	}
	if len(list) != 2 || list[0] != want {
		t.Fatalf("got  %+v\nwant %+v", list, want)
	}
	if b := list[1]; !b.WholeImage || b.SizeBytes != 1024 || b.BackupID != "" || b.MemberStatus != StatusAccepted {
		t.Fatalf("boolean and number forms: %+v", b)
	}
	call := s.Calls()[0]
	q := url.Values(call.Query)
	if call.Path != "/v2/cloudimages" || q.Get("visibility") != "shared" || q.Get("member_status") != "accepted" ||
		q.Get("__imagetype") != "shared" || q.Get("owner") != sharer || q.Get("name") != "backup_whole_image" ||
		q.Get("limit") != "500" || q["id"] != nil || q["marker"] != nil || q["__whole_image"] != nil {
		t.Fatalf("request %s %v", call.Path, q)
	}
}

func TestListSharedImagesStatusesAndPaging(t *testing.T) {
	const pending = imagesPageSize + 3
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		q := r.URL.Query()
		var all []string
		switch q.Get("member_status") {
		case StatusPending:
			for i := range pending {
				all = append(all, fmt.Sprintf("p%04d", i))
			}
		case StatusAccepted:
			all = []string{"a1"}
		case StatusRejected:
			all = []string{"p0001"} // rejected between two listings: kept once, as pending
		}
		start := 0
		if m := q.Get("marker"); m != "" {
			start = slices.Index(all, m) + 1
		}
		end := min(start+imagesPageSize, len(all))
		var items []string
		for _, id := range all[start:end] {
			items = append(items, `{"id":"`+id+`","owner":"`+sharer+`"}`)
		}
		clienttest.JSON(w, 200, `{"images":[`+strings.Join(items, ",")+`]}`)
	})
	whole := false
	list, err := ListSharedImages(context.Background(), c, SharedImagesOpts{WholeImage: &whole})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != pending+1 || list[0].MemberStatus != StatusPending || list[pending].ID != "a1" || list[pending].MemberStatus != StatusAccepted {
		t.Fatalf("%d images: first %+v last %+v", len(list), list[0], list[len(list)-1])
	}
	calls := s.Calls()
	var got []string
	for _, c := range calls {
		q := url.Values(c.Query)
		got = append(got, q.Get("member_status")+"/"+q.Get("marker"))
		if q.Get("__whole_image") != "false" {
			t.Fatalf("query %v", q)
		}
	}
	want := []string{"pending/", fmt.Sprintf("pending/p%04d", imagesPageSize-1), "accepted/", "rejected/"}
	if !slices.Equal(got, want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	if _, err := ListSharedImages(context.Background(), c, SharedImagesOpts{MemberStatus: "reject"}); err == nil || len(s.Calls()) != len(calls) {
		t.Fatalf("member status reject: %v", err)
	}
}

func TestListSharedImagesError(t *testing.T) {
	c, _ := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		clienttest.JSON(w, 400, `{"error":{"code":"IMG.0001","message":"invalid member_status"}}`)
	})
	if _, err := ListSharedImages(context.Background(), c, SharedImagesOpts{}); err == nil || !strings.Contains(err.Error(), "IMG.0001") {
		t.Fatalf("err = %v", err)
	}
}
