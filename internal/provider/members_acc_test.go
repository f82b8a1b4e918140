package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// memberTestKind describes one member resource type to the shared acceptance scenarios below.
type memberTestKind struct {
	kind   *memberKind
	parent func(e *accEnv) string
	cred   credKind
	// addPath is the path pattern (countRequests) of the add call; the list call adds listSuffix to
	// it, the remove call a member or share ID.
	addPath, listSuffix string
	// faultBase is the add call's path as a fault pattern of the test endpoint ("*" one segment).
	faultBase string
	// perMemberAdd: the API takes one member per add call (IMS); otherwise one call adds all.
	perMemberAdd bool
	// details are the expected values of each fresh member's details, by attribute.
	details func(e *accEnv) map[string]knownvalue.Check
	// deleteParent removes the parent from the world, as a deleted backup or image.
	deleteParent func(w *testendpoint.World, id string)
}

// addCalls is how many add requests sharing with n new projects takes.
func (tk *memberTestKind) addCalls(n int) int {
	if tk.perMemberAdd {
		return n
	}
	return 1
}

func (tk *memberTestKind) addr() string { return tk.kind.TypeName + ".test" }

// config renders the provider block and one member resource.
func (tk *memberTestKind) config(t *testing.T, e *accEnv, parentID string, members ...string) string {
	t.Helper()
	return e.providerBlock(t, "", e.Owner, tk.cred) + tk.resourceBlock(parentID, members...)
}

func (tk *memberTestKind) resourceBlock(parentID string, members ...string) string {
	quoted := make([]string, len(members))
	for i, m := range members {
		quoted[i] = m
		if !strings.HasPrefix(m, "terraform_data.") {
			quoted[i] = fmt.Sprintf("%q", m)
		}
	}
	return fmt.Sprintf("\nresource %q \"test\" {\n  %s = %q\n  members = [%s]\n}\n",
		tk.kind.TypeName, tk.kind.ParentAttr, parentID, strings.Join(quoted, ", "))
}

// currentMembers lists the parent's members through the API, sorted.
func (tk *memberTestKind) currentMembers(c *client.Client, parentID string) ([]string, error) {
	ms, err := tk.kind.API.list(context.Background(), c, parentID)
	var out []string
	for _, m := range ms {
		out = append(out, m.ProjectID)
	}
	slices.Sort(out)
	return out, err
}

// outOfBand adds or removes members as someone else would; it fails the test on error.
func (tk *memberTestKind) outOfBand(t *testing.T, c *client.Client, parentID string, add, remove []string) {
	t.Helper()
	ctx := context.Background()
	if len(add) > 0 {
		if _, err := tk.kind.API.add(ctx, c, parentID, add); err != nil {
			t.Fatalf("adding %v out of band: %v", add, err)
		}
	}
	if len(remove) > 0 {
		ms, err := tk.kind.API.list(ctx, c, parentID)
		if err != nil {
			t.Fatalf("listing members: %v", err)
		}
		for _, m := range ms {
			if slices.Contains(remove, m.ProjectID) {
				if err := tk.kind.API.remove(ctx, c, parentID, m); err != nil {
					t.Fatalf("removing %s out of band: %v", m.ProjectID, err)
				}
			}
		}
	}
}

// expectMembers checks through the API that present are members and absent are not.
func (tk *memberTestKind) expectMembers(c *client.Client, parentID string, present, absent []string) error {
	cur, err := tk.currentMembers(c, parentID)
	if err != nil {
		return fmt.Errorf("listing members of %s: %w", parentID, err)
	}
	for _, p := range present {
		if !slices.Contains(cur, p) {
			return fmt.Errorf("%s is not a member of %s (members: %v)", p, parentID, cur)
		}
	}
	for _, p := range absent {
		if slices.Contains(cur, p) {
			return fmt.Errorf("%s is still a member of %s (members: %v)", p, parentID, cur)
		}
	}
	return nil
}

// checkDestroyed is a CheckDestroy: the managed members are gone and the unmanaged ones remain;
// locally, also that destroy took exactly one remove call per managed member.
func (tk *memberTestKind) checkDestroyed(t *testing.T, e *accEnv, parentID string, managed, unmanaged []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if err := tk.expectMembers(e.apiClient(t, e.Owner), parentID, unmanaged, managed); err != nil {
			return err
		}
		return tk.expectCalls(e, -1, -1, len(managed))(nil)
	}
}

// clear empties the endpoint's request log (a PreConfig); no-op against the real cloud.
func memberClearRequests(e *accEnv) func() {
	return func() {
		if e.Endpoint != nil {
			e.Endpoint.ClearRequests()
		}
	}
}

// expectCalls checks the request log since the last clear: add, list and remove counts (-1 skips
// one). Every check also makes sure the VBS mass cancel (is_backup_id) was never sent.
func (tk *memberTestKind) expectCalls(e *accEnv, adds, lists, removes int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.Endpoint == nil {
			return nil
		}
		recs := e.requests()
		for _, r := range recs {
			if strings.Contains(r.Query, "is_backup_id") {
				return fmt.Errorf("the mass cancel was called: %s %s?%s", r.Method, r.Path, r.Query)
			}
		}
		for _, c := range []struct {
			what, method, path string
			want               int
		}{{"add", "POST", tk.addPath, adds}, {"list", "GET", tk.addPath + tk.listSuffix, lists}, {"remove", "DELETE", tk.addPath + "/[^/]+", removes}} {
			if got := countRequests(recs, c.method, c.path); c.want >= 0 && got != c.want {
				return fmt.Errorf("%d %s calls, want %d; requests:\n%s", got, c.what, c.want, describeRequests(recs))
			}
		}
		return nil
	}
}

// stateChecks checks id, parent, members and that member_details has exactly the managed members.
func (tk *memberTestKind) stateChecks(e *accEnv, parentID string, members ...string) []statecheck.StateCheck {
	addr := tk.addr()
	mv := make([]knownvalue.Check, len(members))
	for i, m := range members {
		mv[i] = knownvalue.StringExact(m)
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(parentID)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New(tk.kind.ParentAttr), knownvalue.StringExact(parentID)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("members"), knownvalue.SetExact(mv)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("member_details"), knownvalue.MapSizeExact(len(members))),
	}
	for _, m := range members {
		for name, want := range tk.details(e) {
			checks = append(checks, statecheck.ExpectKnownValue(addr,
				tfjsonpath.New("member_details").AtMapKey(m).AtMapKey(name), want))
		}
	}
	return checks
}
