package cbr_test

// ListBackups and ListSharedBackups against the project's test endpoint, which follows
// the published API independently of this client.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

func ids(list []cbr.Backup) []string {
	out := []string{}
	for _, b := range list {
		out = append(out, b.ID+"="+b.MemberStatus)
	}
	return out
}

func TestEndpoint_ListSharedBackups(t *testing.T) {
	ctx := context.Background()
	srv := clienttest.StartEndpoint(t, testendpoint.DefaultWorld())
	owner := clienttest.EndpointClient(t, srv, testendpoint.OwnerToken, "")
	recv1 := clienttest.EndpointClient(t, srv, testendpoint.Receiver1AccessKey, testendpoint.Receiver1SecretKey)
	recv2 := clienttest.EndpointClient(t, srv, testendpoint.Receiver2Token, "")

	// Nothing is shared yet; the owner holds the six default backups.
	if list, err := cbr.ListSharedBackups(ctx, recv1, cbr.ListBackupsOpts{}); err != nil || len(list) != 0 {
		t.Fatalf("before sharing: %v, %v", list, err)
	}
	own, err := cbr.ListBackups(ctx, owner, cbr.ListBackupsOpts{})
	if err != nil || len(own) != 6 {
		t.Fatalf("owner's backups: %d, %v", len(own), err)
	}
	for _, b := range own {
		if b.Shared || b.ProjectID != testendpoint.OwnerProjectID || b.VaultID == "" || b.CreatedAt == "" || b.MemberStatus != "" {
			t.Fatalf("own backup %+v", b)
		}
	}

	// Share two backups with both receivers; receiver1 accepts one and rejects the other.
	for _, id := range []string{testendpoint.ServerBackupID, testendpoint.ServerBackup2ID} {
		if _, err := cbr.AddMembers(ctx, owner, id, []string{testendpoint.Receiver1ProjectID, testendpoint.Receiver2ProjectID}); err != nil {
			t.Fatalf("AddMembers: %v", err)
		}
	}
	if _, err := cbr.UpdateMemberStatus(ctx, recv1, testendpoint.ServerBackupID, testendpoint.Receiver1ProjectID, "accepted", testendpoint.Receiver1ServerVaultID); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if _, err := cbr.UpdateMemberStatus(ctx, recv1, testendpoint.ServerBackup2ID, testendpoint.Receiver1ProjectID, "rejected", ""); err != nil {
		t.Fatalf("reject: %v", err)
	}

	list, err := cbr.ListSharedBackups(ctx, recv1, cbr.ListBackupsOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(list), []string{testendpoint.ServerBackupID + "=accepted", testendpoint.ServerBackup2ID + "=rejected"}; !slices.Equal(got, want) {
		t.Fatalf("receiver1 sees %v, want %v", got, want)
	}
	acc := list[0]
	if !acc.Shared || acc.ProjectID != testendpoint.OwnerProjectID || acc.VaultID != testendpoint.Receiver1ServerVaultID ||
		acc.ResourceType != cbr.ResourceTypeServer || acc.ResourceSizeGB != 40 || acc.Status != "available" || acc.Name != "server-backup" {
		t.Fatalf("accepted share %+v", acc)
	}
	if list[1].VaultID != "" {
		t.Fatalf("rejected share has vault %q", list[1].VaultID)
	}
	list, err = cbr.ListSharedBackups(ctx, recv2, cbr.ListBackupsOpts{})
	if got, want := ids(list), []string{testendpoint.ServerBackupID + "=pending", testendpoint.ServerBackup2ID + "=pending"}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("receiver2 sees %v (%v), want %v", got, err, want)
	}

	// Filters reach the endpoint.
	for _, tc := range []struct {
		name string
		opts cbr.ListBackupsOpts
		want []string
	}{
		{"accepted", cbr.ListBackupsOpts{MemberStatus: "accepted"}, []string{testendpoint.ServerBackupID + "=accepted"}},
		{"vault", cbr.ListBackupsOpts{VaultID: testendpoint.Receiver1ServerVaultID}, []string{testendpoint.ServerBackupID + "=accepted"}},
		{"disk", cbr.ListBackupsOpts{ResourceType: cbr.ResourceTypeVolume}, nil},
		{"status", cbr.ListBackupsOpts{Statuses: []string{"available", "error"}, Name: "server-backup-2"}, []string{testendpoint.ServerBackup2ID + "=rejected"}},
		{"sort", cbr.ListBackupsOpts{Sort: "name:desc"}, []string{testendpoint.ServerBackupID + "=accepted", testendpoint.ServerBackup2ID + "=rejected"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, err := cbr.ListSharedBackups(ctx, recv1, tc.opts)
			if got := ids(list); err != nil || !slices.Equal(got, append([]string{}, tc.want...)) {
				t.Fatalf("got %v (%v), want %v", got, err, tc.want)
			}
		})
	}
	// all_granted: the owner's own backups, no member status.
	all, err := cbr.ListBackups(ctx, owner, cbr.ListBackupsOpts{OwnType: cbr.OwnTypeAllGranted, ResourceType: cbr.ResourceTypeVolume})
	if err != nil || len(all) != 2 {
		t.Fatalf("owner all_granted disks: %v, %v", all, err)
	}
	// A parameter the service refuses is an API error with its code.
	_, err = cbr.ListBackups(ctx, recv1, cbr.ListBackupsOpts{OwnType: "all"})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "BackupService.9900" || apiErr.StatusCode != 400 {
		t.Fatalf("own_type=all: %v", err)
	}
}

// Paging by offset: as many GETs as pages, every share once.
func TestEndpoint_ListSharedBackupsPaging(t *testing.T) {
	w := testendpoint.DefaultWorld()
	const n = 450
	for i := range n {
		id := fmt.Sprintf("0b07081e-0000-4000-9000-%012d", i)
		w.Backups = append(w.Backups, testendpoint.Backup{ID: id, ProjectID: testendpoint.OwnerProjectID, Name: fmt.Sprint("bulk-", i),
			ResourceType: testendpoint.ResourceServer, Status: "available", SizeGB: 1, VaultID: testendpoint.OwnerServerVaultID})
		w.CBRMembers = append(w.CBRMembers, testendpoint.CBRMember{ID: fmt.Sprintf("aaaaaaaa-0000-4000-9000-%012d", i), BackupID: id,
			DestProjectID: testendpoint.Receiver1ProjectID, Status: testendpoint.StatusPending, CreatedAt: time.Unix(0, 0)})
	}
	srv := clienttest.StartEndpoint(t, w)
	recv1 := clienttest.EndpointClient(t, srv, testendpoint.Receiver1Token, "")
	list, err := cbr.ListSharedBackups(context.Background(), recv1, cbr.ListBackupsOpts{MemberStatus: "pending"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, b := range list {
		seen[b.ID] = true
	}
	if len(list) != n || len(seen) != n {
		t.Fatalf("%d backups (%d distinct), want %d", len(list), len(seen), n)
	}
	gets := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" && r.Path == "/v3/"+testendpoint.Receiver1ProjectID+"/backups" {
			gets++
			if r.Status != 200 {
				t.Fatalf("%s?%s: %d", r.Path, r.Query, r.Status)
			}
		}
	}
	if gets != 3 {
		t.Fatalf("%d GETs for %d backups, want 3 pages", gets, n)
	}
}
