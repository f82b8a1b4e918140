package client_test

// These tests run the client against the project's test endpoint, which implements the API from
// the published API documentation independently of this client: the endpoint's request log is the witness
// of how many calls were made and how they were authenticated.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
	"github.com/backupshare/terraform-provider-cbr/internal/client/clienttest"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// ownerConfig is a client configuration for the owner with the given kind of credentials and no
// project ID, so that the client has to find it.
func ownerConfig(srv *testendpoint.Server, kind string) client.Config {
	u := srv.URL()
	cfg := client.Config{
		Region:       testendpoint.DefaultRegion,
		Endpoints:    client.Endpoints{CBR: u, VBS: u, IMS: u, IAM: u},
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
	}
	switch kind {
	case "aksk":
		cfg.AccessKey, cfg.SecretKey = testendpoint.OwnerAccessKey, testendpoint.OwnerSecretKey
	case "temporary":
		cfg.AccessKey, cfg.SecretKey = testendpoint.OwnerTempAccessKey, testendpoint.OwnerTempSecretKey
		cfg.SecurityToken = testendpoint.OwnerSecurityToken
	case "password":
		cfg.UserName, cfg.Password, cfg.DomainName = testendpoint.OwnerUserName, testendpoint.OwnerPassword, testendpoint.OwnerDomainName
	case "token":
		cfg.Token = testendpoint.OwnerToken
	}
	return cfg
}

func countLogged(srv *testendpoint.Server, method, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func TestEndpoint_credentialKinds(t *testing.T) {
	srv := clienttest.StartEndpoint(t, testendpoint.DefaultWorld())
	for _, kind := range []string{"aksk", "temporary", "password", "token"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c, err := client.New(ctx, ownerConfig(srv, kind))
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			members, err := cbr.ListMembers(ctx, c, testendpoint.ServerBackupID, cbr.ListOpts{})
			if err != nil {
				t.Fatalf("ListMembers: %v", err)
			}
			if len(members) != 0 {
				t.Fatalf("expected no members in the default world, got %d", len(members))
			}
			if c.ProjectID() != testendpoint.OwnerProjectID {
				t.Fatalf("project ID resolved to %q, want the owner's %q", c.ProjectID(), testendpoint.OwnerProjectID)
			}
		})
	}
}

// N concurrent calls with password authentication share one IAM token; AK/SK asks IAM for none.
func TestEndpoint_tokenReuse(t *testing.T) {
	const n = 20
	for _, tc := range []struct {
		kind       string
		wantTokens int
	}{{"password", 1}, {"aksk", 0}} {
		t.Run(tc.kind, func(t *testing.T) {
			srv := clienttest.StartEndpoint(t, testendpoint.DefaultWorld())
			ctx := context.Background()
			cfg := ownerConfig(srv, tc.kind)
			cfg.ProjectID = testendpoint.OwnerProjectID
			c, err := client.New(ctx, cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := cbr.ListMembers(ctx, c, testendpoint.ServerBackupID, cbr.ListOpts{})
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("ListMembers: %v", err)
				}
			}
			if got := countLogged(srv, "POST", "/v3/auth/tokens"); got != tc.wantTokens {
				t.Fatalf("%d token requests for %d concurrent calls, want %d", got, n, tc.wantTokens)
			}
			if got := countLogged(srv, "GET", "/v3/"+testendpoint.OwnerProjectID+"/backups/"+testendpoint.ServerBackupID+"/members"); got != n {
				t.Fatalf("%d list calls logged, want %d", got, n)
			}
		})
	}
}

// A token that the server expired is renewed once and the call retried once.
func TestEndpoint_expiredTokenRenewal(t *testing.T) {
	srv := clienttest.StartEndpoint(t, testendpoint.DefaultWorld())
	ctx := context.Background()
	cfg := ownerConfig(srv, "password")
	c, err := client.New(ctx, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := cbr.ListMembers(ctx, c, testendpoint.ServerBackupID, cbr.ListOpts{}); err != nil {
		t.Fatalf("first call: %v", err)
	}
	before := countLogged(srv, "POST", "/v3/auth/tokens")
	// The server's clock jumps past the token's lifetime (24h); the client's does not.
	srv.SetNow(func() time.Time { return time.Now().Add(25 * time.Hour) })
	if _, err := cbr.ListMembers(ctx, c, testendpoint.ServerBackupID, cbr.ListOpts{}); err != nil {
		t.Fatalf("call after expiry: %v", err)
	}
	if got := countLogged(srv, "POST", "/v3/auth/tokens") - before; got != 1 {
		t.Fatalf("%d token renewals after the server expired the token, want 1", got)
	}
}

// Faults injected through the endpoint are retried within the budget; past it the error says so.
func TestEndpoint_retries(t *testing.T) {
	srv := clienttest.StartEndpoint(t, testendpoint.DefaultWorld())
	ctx := context.Background()
	cfg := ownerConfig(srv, "aksk")
	cfg.ProjectID = testendpoint.OwnerProjectID
	c, err := client.New(ctx, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	path := "/v3/*/backups/*/members"
	listPath := "/v3/" + testendpoint.OwnerProjectID + "/backups/" + testendpoint.ServerBackupID + "/members"

	t.Run("within the budget", func(t *testing.T) {
		srv.ClearRequests()
		srv.SetFaults([]testendpoint.Fault{
			{Method: "GET", Path: path, Status: 429, RetryAfter: 1, Count: 1},
			{Method: "GET", Path: path, Status: 503, Count: 1},
			{Method: "GET", Path: path, Drop: true, Count: 1},
		})
		start := time.Now()
		if _, err := cbr.ListMembers(ctx, c, testendpoint.ServerBackupID, cbr.ListOpts{}); err != nil {
			t.Fatalf("ListMembers with 3 faults and 3 retries: %v", err)
		}
		if waited := time.Since(start); waited < time.Second {
			t.Errorf("Retry-After: 1 was not honoured: the call finished after %v", waited)
		}
		if got := countLogged(srv, "GET", listPath); got != 4 {
			t.Fatalf("%d attempts logged, want 4 (3 faults + 1 success)", got)
		}
	})

	t.Run("past the budget", func(t *testing.T) {
		srv.ClearRequests()
		srv.SetFaults([]testendpoint.Fault{{Method: "GET", Path: path, Status: 503, Count: 10}})
		_, err := cbr.ListMembers(ctx, c, testendpoint.ServerBackupID, cbr.ListOpts{})
		if err == nil {
			t.Fatal("expected an error after the retry budget")
		}
		if !strings.Contains(err.Error(), "giving up after 4 attempts") || !strings.Contains(err.Error(), "503") {
			t.Fatalf("error %q should say how often it tried and what failed", err)
		}
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
			t.Fatalf("error should unwrap to the 503 APIError, got %#v", err)
		}
		if got := countLogged(srv, "GET", listPath); got != 4 {
			t.Fatalf("%d attempts logged, want 4", got)
		}
	})

	t.Run("POST retried after a dropped connection", func(t *testing.T) {
		srv.ClearFaults()
		srv.ClearRequests()
		srv.SetFaults([]testendpoint.Fault{{Method: "POST", Path: path, Drop: true, Count: 1}})
		members, err := cbr.AddMembers(ctx, c, testendpoint.ServerBackup2ID, []string{testendpoint.Receiver1ProjectID})
		if err != nil {
			t.Fatalf("AddMembers: %v", err)
		}
		if len(members) != 1 || members[0].DestProjectID != testendpoint.Receiver1ProjectID || members[0].Status != "pending" {
			t.Fatalf("unexpected members %+v", members)
		}
		postPath := "/v3/" + testendpoint.OwnerProjectID + "/backups/" + testendpoint.ServerBackup2ID + "/members"
		if got := countLogged(srv, "POST", postPath); got != 2 {
			t.Fatalf("%d POST attempts logged, want 2 (dropped + retried)", got)
		}
	})
}

// Not-found answers of the endpoint are recognised by errors.Is, including the 401 quirk.
func TestEndpoint_notFound(t *testing.T) {
	srv := clienttest.StartEndpoint(t, testendpoint.DefaultWorld())
	ctx := context.Background()
	c, err := client.New(ctx, ownerConfig(srv, "token"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cbr.GetMember(ctx, c, testendpoint.ServerBackupID, testendpoint.Receiver1ProjectID)
	if !errors.Is(err, client.ErrNotFound) || !client.HasCode(err, cbr.CodeMemberNotFound) {
		t.Fatalf("missing member: want ErrNotFound with %s, got %v", cbr.CodeMemberNotFound, err)
	}
	_, err = cbr.ListMembers(ctx, c, "0b07081e-0000-4000-8000-0000000000ff", cbr.ListOpts{})
	if !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("missing backup: want ErrNotFound, got %v", err)
	}
}
