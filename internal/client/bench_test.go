package client_test

import (
	"context"
	"testing"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// BenchmarkListMembers measures one signed list call through the whole client (signing, transport,
// retry wrapper, decoding) against the in-process test endpoint (verification, routing, encoding).
func BenchmarkListMembers(b *testing.B) {
	w := testendpoint.DefaultWorld()
	srv, err := testendpoint.Start("127.0.0.1:0", w)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	cfg := ownerConfig(srv, "aksk")
	cfg.ProjectID = testendpoint.OwnerProjectID
	ctx := context.Background()
	c, err := client.New(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cbr.AddMembers(ctx, c, testendpoint.ServerBackupID, []string{testendpoint.Receiver1ProjectID, testendpoint.Receiver2ProjectID}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		members, err := cbr.ListMembers(ctx, c, testendpoint.ServerBackupID, cbr.ListOpts{})
		if err != nil || len(members) != 2 {
			b.Fatalf("ListMembers: %v (%d members)", err, len(members))
		}
		srv.ClearRequests() // keep the endpoint's request log from growing with b.N
	}
}
