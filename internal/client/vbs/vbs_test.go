package vbs

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
)

const backupID = "066b1e37-9305-4057-97e5-2e99b21fc71d"

func TestCreateGetCancel(t *testing.T) {
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch r.Method {
		case "POST":
			clienttest.JSON(w, 200, `{"shared":[{"backup_id":"`+backupID+`","deleted":null,"created_at":null,"updated_at":null,
				"to_project_id":"p2","from_project_id":"p1","deleted_at":null,"id":"s1"}]}`)
		case "GET":
			clienttest.JSON(w, 200, `{"shared":{"id":"s1","backup_id":"`+backupID+`","created_at":"2017-08-10T12:25:40.480424","backup":{"id":"x"}}}`)
		case "DELETE":
			w.WriteHeader(200)
		}
	})
	ctx := context.Background()
	shares, err := CreateShares(ctx, c, backupID, []string{"p2"})
	if err != nil || len(shares) != 1 || shares[0] != (Share{ID: "s1", BackupID: backupID, FromProjectID: "p1", ToProjectID: "p2"}) {
		t.Fatalf("%+v %v", shares, err)
	}
	sh, err := GetShare(ctx, c, "s1")
	if err != nil || sh.CreatedAt != "2017-08-10T12:25:40.480424Z" {
		t.Fatalf("%+v %v", sh, err)
	}
	if err := CancelShare(ctx, c, "s1"); err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	base := "/v2/" + clienttest.ProjectID + "/os-vendor-backup-sharing"
	if calls[0].Path != base || calls[0].Body != `{"shared":{"backup_id":"`+backupID+`","to_project_ids":["p2"]}}` {
		t.Fatalf("create %+v", calls[0])
	}
	if calls[2].Method != "DELETE" || calls[2].Path != base+"/s1" || len(calls[2].Query) != 0 {
		t.Fatalf("cancel must not send is_backup_id: %+v", calls[2])
	}
}

func TestListSharesPaging(t *testing.T) {
	total := 130
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var items []string
		for i := off; i < total && i < off+limit; i++ {
			items = append(items, fmt.Sprintf(`{"id":"s%d","to_project_id":"p%d"}`, i, i))
		}
		clienttest.JSON(w, 200, `{"shared":[`+strings.Join(items, ",")+`]}`)
	})
	got, err := ListShares(context.Background(), c, ListOpts{BackupID: backupID, ShareToMe: true})
	if err != nil || len(got) != total {
		t.Fatalf("%d %v", len(got), err)
	}
	calls := s.Calls()
	if len(calls) != 2 || calls[0].Path != "/v2/"+clienttest.ProjectID+"/os-vendor-backup-sharing/detail" {
		t.Fatalf("%d calls, %s", len(calls), calls[0].Path)
	}
	q := calls[1].Query
	if q["share_to_me"][0] != "true" || q["backup_id"][0] != backupID || q["offset"][0] != "100" || q["limit"][0] != "100" {
		t.Fatalf("query %v", q)
	}
}
