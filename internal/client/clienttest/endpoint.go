package clienttest

import (
	"context"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// StartEndpoint starts the project's test endpoint with world w, closed at cleanup.
func StartEndpoint(t *testing.T, w testendpoint.World) *testendpoint.Server {
	t.Helper()
	srv, err := testendpoint.Start("127.0.0.1:0", w)
	if err != nil {
		t.Fatalf("starting the test endpoint: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// EndpointClient makes a client of srv with a token, or with an access key pair when sk is set
// (the project is then looked up through IAM). It retries once, without waiting.
func EndpointClient(t *testing.T, srv *testendpoint.Server, tokenOrAK, sk string) *client.Client {
	t.Helper()
	u := srv.URL()
	cfg := client.Config{
		Region: testendpoint.DefaultRegion, Endpoints: client.Endpoints{CBR: u, VBS: u, IMS: u, IAM: u},
		MaxRetries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
	}
	if sk != "" {
		cfg.AccessKey, cfg.SecretKey = tokenOrAK, sk
	} else {
		cfg.Token = tokenOrAK
	}
	c, err := client.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}
