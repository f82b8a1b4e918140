package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
	"github.com/backupshare/terraform-provider-cbr/internal/client/ims"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// Helpers of the receiver-side tests. They create and revoke shares through the API as the owner,
// so that these tests do not depend on the owner-side resources.

// acceptanceTestShareBackup shares a backup with the given projects as the owner.
func acceptanceTestShareBackup(t *testing.T, env *accEnv, backupID string, projects ...string) {
	t.Helper()
	owner := env.apiClient(t, env.Owner)
	if _, err := cbr.AddMembers(context.Background(), owner, backupID, projects); err != nil {
		t.Fatalf("sharing backup %s with %v: %v", backupID, projects, err)
	}
	// Leave a shared environment (the real cloud) as it was found.
	t.Cleanup(func() {
		for _, p := range projects {
			if err := cbr.DeleteMember(context.Background(), owner, backupID, p); err != nil && !errors.Is(err, client.ErrNotFound) {
				t.Errorf("cleanup: revoking backup %s from %s: %v", backupID, p, err)
			}
		}
	})
}

// acceptanceTestRevokeBackup removes a member as the owner.
func acceptanceTestRevokeBackup(t *testing.T, env *accEnv, backupID, project string) {
	t.Helper()
	if err := cbr.DeleteMember(context.Background(), env.apiClient(t, env.Owner), backupID, project); err != nil {
		t.Fatalf("revoking backup %s from %s: %v", backupID, project, err)
	}
}

// acceptanceTestShareImage shares an image with a project as the owner.
func acceptanceTestShareImage(t *testing.T, env *accEnv, imageID, project string) {
	t.Helper()
	owner := env.apiClient(t, env.Owner)
	if _, err := ims.AddMember(context.Background(), owner, imageID, project); err != nil {
		t.Fatalf("sharing image %s with %s: %v", imageID, project, err)
	}
	t.Cleanup(func() {
		if err := ims.DeleteMember(context.Background(), owner, imageID, project); err != nil && !errors.Is(err, client.ErrNotFound) {
			t.Errorf("cleanup: revoking image %s from %s: %v", imageID, project, err)
		}
	})
}

func acceptanceTestRevokeImage(t *testing.T, env *accEnv, imageID, project string) {
	t.Helper()
	if err := ims.DeleteMember(context.Background(), env.apiClient(t, env.Owner), imageID, project); err != nil {
		t.Fatalf("revoking image %s from %s: %v", imageID, project, err)
	}
}

// acceptanceTestWorldVault returns a vault of the endpoint's live world.
func acceptanceTestWorldVault(env *accEnv, id string) (testendpoint.Vault, bool) {
	for _, v := range env.Endpoint.World().Vaults {
		if v.ID == id {
			return v, true
		}
	}
	return testendpoint.Vault{}, false
}

// acceptanceTestNoCalls fails when any CBR or IMS API call was logged: validation must stop a
// plan before the API is asked anything.
func acceptanceTestNoCalls(t *testing.T, env *accEnv) {
	t.Helper()
	for _, r := range env.requests() {
		if r.Service == "cbr" || r.Service == "ims" || r.Service == "vbs" {
			t.Fatalf("validation errors must not call the API, but the log has:\n%s", describeRequests(env.requests()))
		}
	}
}

// acceptanceTestExample reads an example configuration of this repository.
func acceptanceTestExample(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/" + rel)
	if err != nil {
		t.Fatalf("reading example: %v", err)
	}
	return string(b)
}

func TestWaitFor(t *testing.T) {
	fast := waitBackoff{Initial: time.Millisecond, Max: 4 * time.Millisecond, Factor: 2}
	notYet := errors.New("not yet")

	t.Run("ready after retries", func(t *testing.T) {
		calls := 0
		v, err := waitFor(context.Background(), fast, func(context.Context) (int, bool, error) {
			calls++
			if calls < 4 {
				return 0, false, notYet
			}
			return 42, true, nil
		})
		if err != nil || v != 42 || calls != 4 {
			t.Fatalf("got %d, %v after %d calls; want 42, nil after 4", v, err, calls)
		}
	})
	t.Run("fatal error stops at once", func(t *testing.T) {
		calls := 0
		boom := errors.New("boom")
		_, err := waitFor(context.Background(), fast, func(context.Context) (int, bool, error) {
			calls++
			return 0, true, boom
		})
		if !errors.Is(err, boom) || calls != 1 {
			t.Fatalf("got %v after %d calls", err, calls)
		}
	})
	t.Run("deadline keeps the last error", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := waitFor(ctx, fast, func(context.Context) (int, bool, error) { return 0, false, notYet })
		if !errors.Is(err, errWaitTimeout) || !errors.Is(err, notYet) {
			t.Fatalf("got %v; want a timeout wrapping the last error", err)
		}
	})
	t.Run("backoff grows to the max", func(t *testing.T) {
		var stamps []time.Time
		b := waitBackoff{Initial: 5 * time.Millisecond, Max: 10 * time.Millisecond, Factor: 2}
		_, _ = waitFor(context.Background(), b, func(context.Context) (int, bool, error) {
			stamps = append(stamps, time.Now())
			return 0, len(stamps) == 4, nil
		})
		// delays: 5, 10, 10 (capped)
		if total := stamps[3].Sub(stamps[0]); total < 25*time.Millisecond {
			t.Fatalf("three waits took %s; want at least 25ms", total)
		}
	})
}

// TestAcceptanceDeleteRevokedShare calls Delete when the owner has revoked the share between
// refresh and destroy (which a Terraform test cannot order): the reject PUT answers not found and
// that is success.
func TestAcceptanceDeleteRevokedShare(t *testing.T) {
	testAccParallel(t)
	env := newAccEnv(t)
	env.localOnly(t)
	ctx := context.Background()
	c := env.apiClient(t, env.Receiver1)

	for _, tc := range []struct {
		name string
		r    fwresource.Resource
		id   string
	}{
		{"backup", NewBackupShareAcceptanceResource(), env.ServerBackupID},
		{"image", NewImageShareAcceptanceResource(), env.SystemImageID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cr := &fwresource.ConfigureResponse{}
			tc.r.(fwresource.ResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: c}, cr)
			var sr fwresource.SchemaResponse
			tc.r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
			state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
			parent := "backup_id"
			if tc.name == "image" {
				parent = "image_id"
				acceptanceTestShareImage(t, env, tc.id, env.Receiver1.ProjectID)
				acceptanceTestRevokeImage(t, env, tc.id, env.Receiver1.ProjectID)
			} else {
				acceptanceTestShareBackup(t, env, tc.id, env.Receiver1.ProjectID)
				acceptanceTestRevokeBackup(t, env, tc.id, env.Receiver1.ProjectID)
			}
			if d := state.SetAttribute(ctx, path.Root(parent), tc.id); d.HasError() {
				t.Fatalf("state: %v", d)
			}
			env.Endpoint.ClearRequests()
			var resp fwresource.DeleteResponse
			tc.r.Delete(ctx, fwresource.DeleteRequest{State: state}, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("delete of a revoked share failed: %v", resp.Diagnostics)
			}
			if n := countRequests(env.requests(), "PUT", ".*/members/"+env.Receiver1.ProjectID); n != 1 {
				t.Fatalf("want 1 PUT, got %d:\n%s", n, describeRequests(env.requests()))
			}
		})
	}
}

// TestAcceptanceErrorDetail checks the shape of an API error diagnostic: title-case summary, what
// happened, the API code and the hint.
func TestAcceptanceErrorDetail(t *testing.T) {
	testAccParallel(t)
	err := &client.APIError{StatusCode: 400, Code: "IMG.0001", Message: "vault_id is required", RequestID: "req-1"}
	if h := imageVaultHint(err, acceptanceStatusAccepted, ""); !regexp.MustCompile(`vault_id is required`).MatchString(h) {
		t.Fatalf("hint %q", h)
	}
	for _, tc := range []struct {
		status, vault string
	}{{acceptanceStatusRejected, ""}, {acceptanceStatusAccepted, "6a1b7c2d-0000-4000-8000-000000000201"}} {
		if h := imageVaultHint(err, tc.status, tc.vault); h != "" {
			t.Fatalf("no hint expected for %v, got %q", tc, h)
		}
	}
	if h := imageVaultHint(fmt.Errorf("wrapped: %w", &client.APIError{StatusCode: 404}), acceptanceStatusAccepted, ""); h != "" {
		t.Fatalf("no hint expected for a 404, got %q", h)
	}
}

// acceptanceTestKind describes one acceptance resource type to the shared test bodies below; the
// test files of the two resources call these with their kind and add their own cases.
type acceptanceTestKind struct {
	resourceType string   // e.g. "cbr_backup_share_acceptance"
	parentAttr   string   // "backup_id" or "image_id"
	cred         credKind // credentials of the receiver's provider block
	memberPath   string   // request-log pattern of the receiver's member path
	faultPath    string   // the same as a fault path pattern
	notFoundBody string   // the API's body for a member that does not exist
	share        func(t *testing.T, env *accEnv, parentID string)
	revoke       func(t *testing.T, env *accEnv, parentID string)
	// status returns Receiver1's member status in the endpoint's world, "" when there is none.
	status func(env *accEnv, parentID string) string
	// importIgnore lists attributes an import cannot read, besides timeouts.
	importIgnore []string
}

func (k acceptanceTestKind) name() string { return k.resourceType + ".test" }

// config renders k's resource as Receiver1; empty status or vaultID leave the attribute out.
func (k acceptanceTestKind) config(t *testing.T, env *accEnv, parentID, status, vaultID string) string {
	t.Helper()
	body := fmt.Sprintf("  %s = %q\n", k.parentAttr, parentID)
	if status != "" {
		body += fmt.Sprintf("  status = %q\n", status)
	}
	if vaultID != "" {
		body += fmt.Sprintf("  vault_id = %q\n", vaultID)
	}
	return env.providerBlock(t, "", env.Receiver1, k.cred) + fmt.Sprintf("resource %q \"test\" {\n%s}\n", k.resourceType, body)
}

// checkDestroyed asks the endpoint that Receiver1's member is rejected (or gone) and that the
// vault no longer holds the shared object.
func (k acceptanceTestKind) checkDestroyed(env *accEnv, parentID, vaultID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == nil {
			return nil
		}
		if st := k.status(env, parentID); st != "" && st != testendpoint.StatusRejected {
			return fmt.Errorf("member %s of %s is %s after destroy; want rejected", env.Receiver1.ProjectID, parentID, st)
		}
		if v, ok := acceptanceTestWorldVault(env, vaultID); ok && v.UsedGB != 0 {
			return fmt.Errorf("vault %s still uses %d GB after destroy: the shared object was not removed", vaultID, v.UsedGB)
		}
		return nil
	}
}

// checkRequests asserts how many GETs and PUTs of the member path were logged since the last
// ClearRequests (local endpoint only); a negative count is not checked.
func (k acceptanceTestKind) checkRequests(env *accEnv, gets, puts int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == nil {
			return nil
		}
		recs := env.requests()
		g, p := countRequests(recs, "GET", k.memberPath), countRequests(recs, "PUT", k.memberPath)
		if (gets >= 0 && g != gets) || p != puts {
			return fmt.Errorf("want %d GET and %d PUT of %s, got %d and %d:\n%s", gets, puts, k.memberPath, g, p, describeRequests(recs))
		}
		return nil
	}
}

// checkStatus asserts Receiver1's member status in the endpoint's world.
func (k acceptanceTestKind) checkStatus(env *accEnv, parentID, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if env.Endpoint == nil {
			return nil
		}
		if got := k.status(env, parentID); got != want {
			return fmt.Errorf("member status is %q, want %q", got, want)
		}
		return nil
	}
}

func (k acceptanceTestKind) expect(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(k.name(), tfjsonpath.New(attr), v)
}

func testAccClearRequests(env *accEnv) func() {
	return func() {
		if env.Endpoint != nil {
			env.Endpoint.ClearRequests()
		}
	}
}

var (
	planUpdate = func(name string) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(name, plancheck.ResourceActionUpdate)}}
	}
)
