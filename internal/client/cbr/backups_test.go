package cbr

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
)

const ownerProject = "4229d7a45436489f8c3dc2b1d35d4987"

// backupJSON is the published ListBackups example, as a receiver sees an accepted share.
const backupJSON = `{"id":"6df2b54c-dd62-4059-a07c-1b8f24f2725d","name":"backup_name","description":"backup_description",
 "checkpoint_id":"8b0851a8-adf3-4f4c-a914-dead08bf9664","project_id":"` + ownerProject + `",
 "vault_id":"4b27c05b-8ad7-48c6-a886-526666c035f0","resource_id":"94eba8b2-acc9-4d82-badc-127144cc5526",
 "resource_name":"ecs-1f0f-0002","resource_type":"OS::Nova::Server","resource_size":40,"resource_az":"az1.dc1",
 "provider_id":"0daac4c5-6707-4851-97ba-169e36266b66","status":"available","image_type":"backup",
 "created_at":"2019-05-10T07:59:12.084695","updated_at":null,"expired_at":null,"protected_at":null,
 "parent_id":null,"enterprise_project_id":"0","unknown_key":{"a":1},
 "extend_info":{"auto_trigger":true,"bootable":null,"encrypted":true,"os_images_data":[{"image_id":"img-1"}],"snapshot_id":null,
  "support_lld":true,"supported_restore_mode":"backup","architecture":"x86"},
 "children":[{"id":"5d822633-2bbf-4af8-a16e-5ab1c7705235","parent_id":"6df2b54c-dd62-4059-a07c-1b8f24f2725d"}]}`

func TestListBackupsDecode(t *testing.T) {
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		clienttest.JSON(w, 200, `{"count":2,"backups":[`+backupJSON+`,{"id":"own","project_id":"`+clienttest.ProjectID+`",
		 "created_at":"2020-02-21T07:00:54.065+00:00","vault_id":"v-own","resource_size":null,"extend_info":null}]}`)
	})
	list, err := ListBackups(context.Background(), c, ListBackupsOpts{
		OwnType: OwnTypeAllGranted, MemberStatus: StatusAccepted, ResourceType: ResourceTypeServer,
		Statuses: []string{"available", "error"}, VaultID: "4b27c05b-8ad7-48c6-a886-526666c035f0",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Backup{
		ID: "6df2b54c-dd62-4059-a07c-1b8f24f2725d", Name: "backup_name", Description: "backup_description",
		CheckpointID: "8b0851a8-adf3-4f4c-a914-dead08bf9664", ProjectID: ownerProject, VaultID: "4b27c05b-8ad7-48c6-a886-526666c035f0",
		ResourceID: "94eba8b2-acc9-4d82-badc-127144cc5526", ResourceName: "ecs-1f0f-0002", ResourceType: ResourceTypeServer,
		ResourceAZ: "az1.dc1", ResourceSizeGB: 40, Status: "available", ImageType: "backup",
		ProviderID: "0daac4c5-6707-4851-97ba-169e36266b66", EnterpriseProjectID: "0", CreatedAt: "2019-05-10T07:59:12.084695Z",
		Encrypted: true, ImageIDs: []string{"img-1"}, Shared: true, MemberStatus: StatusAccepted,
	}
	if len(list) != 2 || fmt.Sprintf("%+v", list[0]) != fmt.Sprintf("%+v", want) {
		t.Fatalf("got  %+v\nwant %+v", list, want)
	}
	own := list[1]
	if own.Shared || own.MemberStatus != "" || own.CreatedAt != "2020-02-21T07:00:54.065Z" || own.ResourceSizeGB != 0 {
		t.Fatalf("own backup = %+v", own)
	}
	call := s.Calls()[0]
	q := call.Query
	if call.Path != "/v3/"+clienttest.ProjectID+"/backups" || q["own_type"][0] != "all_granted" || q["member_status"][0] != "accepted" ||
		q["resource_type"][0] != ResourceTypeServer || !slices.Equal(q["status"], []string{"available", "error"}) ||
		q["limit"][0] != strconv.Itoa(backupsPageSize) || q["name"] != nil || q["offset"] != nil {
		t.Fatalf("request %s %v", call.Path, q)
	}
}

func TestListBackupsPaging(t *testing.T) {
	for _, tc := range []struct {
		total   int
		noCount bool
		gets    int
	}{{0, false, 1}, {1, false, 1}, {backupsPageSize, false, 1}, {450, false, 3}, {backupsPageSize, true, 2}, {450, true, 3}} {
		t.Run(fmt.Sprint(tc.total, tc.noCount), func(t *testing.T) {
			c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
				off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				var items []string
				for i := off; i < tc.total && i < off+limit; i++ {
					items = append(items, fmt.Sprintf(`{"id":"b%d","project_id":"%s"}`, i, ownerProject))
				}
				count := fmt.Sprintf(`"count":%d,`, tc.total)
				if tc.noCount {
					count = ""
				}
				clienttest.JSON(w, 200, `{`+count+`"backups":[`+strings.Join(items, ",")+`]}`)
			})
			list, err := ListBackups(context.Background(), c, ListBackupsOpts{OwnType: OwnTypeShared})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != tc.total || (tc.total > 0 && list[tc.total-1].ID != fmt.Sprint("b", tc.total-1)) {
				t.Fatalf("%d backups", len(list))
			}
			if got := len(s.Calls()); got != tc.gets {
				t.Fatalf("%d GETs, want %d", got, tc.gets)
			}
		})
	}
}

func TestListSharedBackups(t *testing.T) {
	byStatus := map[string]string{
		StatusPending:  `{"id":"p1","project_id":"` + ownerProject + `","vault_id":null},{"id":"p2","project_id":"` + ownerProject + `"}`,
		StatusAccepted: `{"id":"a1","project_id":"` + ownerProject + `","vault_id":"v1"},{"id":"mine","project_id":"` + clienttest.ProjectID + `"}`,
		StatusRejected: `{"id":"p2","project_id":"` + ownerProject + `"}`, // moved from pending meanwhile
	}
	c, s := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		clienttest.JSON(w, 200, `{"backups":[`+byStatus[r.URL.Query().Get("member_status")]+`]}`)
	})
	list, err := ListSharedBackups(context.Background(), c, ListBackupsOpts{OwnType: OwnTypePrivate, ResourceType: ResourceTypeServer})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range list {
		got = append(got, b.ID+"="+b.MemberStatus)
		if !b.Shared {
			t.Errorf("%s not marked shared", b.ID)
		}
	}
	if want := []string{"p1=pending", "p2=pending", "a1=accepted"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	calls := s.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d GETs, want one per status", len(calls))
	}
	for i, st := range MemberStatuses {
		q := calls[i].Query
		if q["own_type"][0] != OwnTypeShared || q["member_status"][0] != st || q["resource_type"][0] != ResourceTypeServer {
			t.Fatalf("call %d query %v", i, q)
		}
	}

	// One status: one listing.
	list, err = ListSharedBackups(context.Background(), c, ListBackupsOpts{MemberStatus: StatusAccepted})
	if err != nil || len(list) != 1 || list[0].ID != "a1" || list[0].MemberStatus != StatusAccepted || len(s.Calls()) != 4 {
		t.Fatalf("accepted only: %+v, %v, %d calls", list, err, len(s.Calls()))
	}
	// The old accept/reject forms are refused before any call.
	if _, err := ListSharedBackups(context.Background(), c, ListBackupsOpts{MemberStatus: "accept"}); err == nil || len(s.Calls()) != 4 {
		t.Fatalf("member status accept: %v", err)
	}
}

func TestListBackupsError(t *testing.T) {
	c, _ := clienttest.New(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		clienttest.JSON(w, 400, `{"error_code":"BackupService.9900","error_msg":"Parameter verification failed: invalid own_type"}`)
	})
	_, err := ListBackups(context.Background(), c, ListBackupsOpts{OwnType: "all"})
	if err == nil || !strings.Contains(err.Error(), "BackupService.9900") {
		t.Fatalf("err = %v", err)
	}
}
