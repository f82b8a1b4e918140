package ims

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
)

const imageID = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"

func member(id string) string {
	return `{"created_at":"2016-09-01T02:05:14Z","image_id":"` + imageID + `","member_id":"` + id +
		`","schema":"/v2/schemas/member","status":"pending","updated_at":"2016-09-01T02:05:14Z"}`
}

func TestListMembersPageInfoShapes(t *testing.T) {
	for name, pages := range map[string]map[string]string{
		"object": {
			"":         `{"members":[` + member("a") + `,` + member("b") + `],"page_info":{"current_count":2,"next_marker":"Mjc5NjE="},"schema":"/v2/schemas/members"}`,
			"Mjc5NjE=": `{"members":[` + member("c") + `],"page_info":{"current_count":1,"next_marker":""}}`,
		},
		"array": {
			"":         `{"members":[` + member("a") + `,` + member("b") + `],"page_info":[{"current_count":2,"next_marker":"Mjc5NjE="}]}`,
			"Mjc5NjE=": `{"members":[` + member("c") + `],"page_info":[{"current_count":1}]}`,
		},
		"absent": {
			"": `{"members":[` + member("a") + `,` + member("b") + `,` + member("c") + `]}`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				clienttest.JSON(w, 200, pages[r.URL.Query().Get("marker")])
			})
			ms, err := ListMembers(context.Background(), c, imageID)
			if err != nil || len(ms) != 3 || ms[2].MemberID != "c" || ms[0].Schema != "/v2/schemas/member" {
				t.Fatalf("%+v %v", ms, err)
			}
			if len(s.Calls()) != len(pages) || s.Calls()[0].Path != "/v2/images/"+imageID+"/members" {
				t.Fatalf("%d calls", len(s.Calls()))
			}
		})
	}
}

func TestMemberCalls(t *testing.T) {
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch {
		case r.Method == "POST" && strings.Contains(string(body), "dup"):
			clienttest.JSON(w, 409, `{"error":{"code":"IMG.0112","message":"member exists"}}`)
		case r.Method == "POST", r.Method == "PUT":
			clienttest.JSON(w, 200, member("p2"))
		case r.Method == "DELETE":
			w.WriteHeader(204)
		default:
			clienttest.JSON(w, 404, `{"error":{"code":"IMG.0114","message":"member not found"}}`)
		}
	})
	ctx := context.Background()
	m, err := AddMember(ctx, c, imageID, "p2")
	if err != nil || m.MemberID != "p2" || m.CreatedAt != "2016-09-01T02:05:14Z" {
		t.Fatalf("%+v %v", m, err)
	}
	if _, err := AddMember(ctx, c, imageID, "dup"); !client.HasCode(err, "IMG.0112") {
		t.Fatalf("dup: %v", err)
	}
	if _, err := GetMember(ctx, c, imageID, "p9"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("get: %v", err)
	}
	if _, err := UpdateMemberStatus(ctx, c, imageID, "p2", "accepted", "v1"); err != nil {
		t.Fatal(err)
	}
	if err := DeleteMember(ctx, c, imageID, "p2"); err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	if calls[0].Body != `{"member":"p2"}` || calls[3].Path != "/v2/images/"+imageID+"/members/p2" || calls[3].Body != `{"status":"accepted","vault_id":"v1"}` {
		t.Fatalf("%+v", calls)
	}
}
