package cbr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
)

const (
	backupID = "0b07081e-3ec7-4e77-8571-54e2947da422"
	recv     = "075e6035d300d48c2fd0c00b78b71ebf"
)

const memberJSON = `{"backup_id":"` + backupID + `","created_at":"2020-02-05T10:38:34.209782","dest_project_id":"` + recv + `",
 "id":"3c5a3015-c3a0-4dc6-a1e2-917b90f62319","image_id":null,"status":"pending","updated_at":null,"vault_id":null}`

func TestAddMembers(t *testing.T) {
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		clienttest.JSON(w, 200, `{"members":[`+memberJSON+`]}`)
	})
	ms, err := AddMembers(context.Background(), c, backupID, []string{recv})
	if err != nil {
		t.Fatal(err)
	}
	want := Member{ID: "3c5a3015-c3a0-4dc6-a1e2-917b90f62319", BackupID: backupID, DestProjectID: recv, Status: "pending", CreatedAt: "2020-02-05T10:38:34.209782Z"}
	if len(ms) != 1 || ms[0] != want {
		t.Fatalf("%+v", ms)
	}
	call := s.Calls()[0]
	if call.Method != "POST" || call.Path != "/v3/"+clienttest.ProjectID+"/backups/"+backupID+"/members" ||
		call.Body != `{"members":["`+recv+`"]}` || call.Header.Get("X-Language") != "en-us" {
		t.Fatalf("%+v", call)
	}
}

func TestListMembersPaging(t *testing.T) {
	for _, total := range []int{1, 100, 250} {
		t.Run(strconv.Itoa(total), func(t *testing.T) {
			c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
				off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				var items []string
				for i := off; i < total && i < off+limit; i++ {
					items = append(items, fmt.Sprintf(`{"id":"m%d","status":"pending","vault_id":null}`, i))
				}
				clienttest.JSON(w, 200, fmt.Sprintf(`{"count":%d,"members":[%s]}`, total, strings.Join(items, ",")))
			})
			ms, err := ListMembers(context.Background(), c, backupID, ListOpts{Status: "pending", DestProjectID: recv})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != total || ms[total-1].ID != fmt.Sprintf("m%d", total-1) {
				t.Fatalf("%d members", len(ms))
			}
			calls := s.Calls()
			if want := (total + listPageSize - 1) / listPageSize; len(calls) != want {
				t.Fatalf("%d GETs, want %d", len(calls), want)
			}
			q := calls[0].Query
			if q["status"][0] != "pending" || q["dest_project_id"][0] != recv || q["limit"][0] != "100" || q["image_id"] != nil {
				t.Fatalf("query %v", q)
			}
		})
	}
}

func TestGetUpdateDelete(t *testing.T) {
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch r.Method {
		case "DELETE":
			w.WriteHeader(204)
		case "PUT":
			clienttest.JSON(w, 200, `{"member":{"status":"accepted","vault_id":"v1","updated_at":"2020-02-24T09:36:00.479+08:00"}}`)
		default:
			clienttest.JSON(w, 404, `{"error_code":"BackupService.6705","error_msg":"The share member does not exist."}`)
		}
	})
	ctx := context.Background()
	_, err := GetMember(ctx, c, backupID, recv)
	if !errors.Is(err, client.ErrNotFound) || !client.HasCode(err, CodeMemberNotFound) {
		t.Fatalf("get: %v", err)
	}
	m, err := UpdateMemberStatus(ctx, c, backupID, clienttest.ProjectID, "accepted", "v1")
	if err != nil || m.Status != "accepted" || m.VaultID != "v1" || m.UpdatedAt != "2020-02-24T01:36:00.479Z" {
		t.Fatalf("update: %+v %v", m, err)
	}
	if _, err := UpdateMemberStatus(ctx, c, backupID, clienttest.ProjectID, "rejected", ""); err != nil {
		t.Fatal(err)
	}
	if err := DeleteMember(ctx, c, backupID, recv); err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	memberPath := "/v3/" + clienttest.ProjectID + "/backups/" + backupID + "/members/"
	if calls[1].Path != memberPath+clienttest.ProjectID || calls[1].Body != `{"status":"accepted","vault_id":"v1"}` {
		t.Fatalf("update call %+v", calls[1])
	}
	if calls[2].Body != `{"status":"rejected"}` {
		t.Fatalf("reject body %s", calls[2].Body)
	}
	if calls[3].Method != "DELETE" || calls[3].Path != memberPath+recv {
		t.Fatalf("delete call %+v", calls[3])
	}
	if err := DeleteMember(ctx, c, "", recv); err == nil {
		t.Fatal("empty backup id accepted")
	}
}
