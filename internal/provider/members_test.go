package provider

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// fakeMemberAPI is an in-memory memberAPI. Like CBR, it refuses a whole add when any project is a
// member already (conflict), unless perMember is set (IMS: one call per member).
type fakeMemberAPI struct {
	members   map[string]bool
	perMember bool
	calls     []string
	removeErr error
}

var errFakeConflict = &client.APIError{StatusCode: http.StatusConflict, Code: "FAKE.409", Message: "already a member"}

func (f *fakeMemberAPI) list(context.Context, *client.Client, string) ([]member, error) {
	f.calls = append(f.calls, "list")
	var out []member
	for _, p := range slices.Sorted(maps.Keys(f.members)) {
		out = append(out, member{ProjectID: p, Details: map[string]string{"status": "pending"}})
	}
	return out, nil
}

func (f *fakeMemberAPI) add(_ context.Context, _ *client.Client, _ string, ps []string) ([]member, error) {
	var out []member
	for _, p := range ps {
		f.calls = append(f.calls, "add "+p)
		if f.members[p] {
			if !f.perMember {
				out = nil // all or nothing
			}
			return out, errFakeConflict
		}
		if f.perMember {
			f.members[p] = true
		}
		out = append(out, member{ProjectID: p, Details: map[string]string{"status": "pending"}})
	}
	for _, m := range out {
		f.members[m.ProjectID] = true
	}
	return out, nil
}

func (f *fakeMemberAPI) remove(_ context.Context, _ *client.Client, _ string, m member) error {
	f.calls = append(f.calls, "remove "+m.ProjectID)
	if f.removeErr != nil {
		return f.removeErr
	}
	if !f.members[m.ProjectID] {
		return client.NewAPIError(client.ServiceCBR, http.StatusNotFound, nil, []byte(`{"error_code":"BackupService.6705","error_msg":"The share member does not exist."}`))
	}
	delete(f.members, m.ProjectID)
	return nil
}

func (f *fakeMemberAPI) isConflict(err error) bool { return errors.Is(err, errFakeConflict) }

func TestAddMembers(t *testing.T) {
	cases := []struct {
		name      string
		existing  []string
		perMember bool
		want      []string
		wantCalls []string
		wantErr   bool
	}{
		{name: "fresh", want: []string{"a", "b"}, wantCalls: []string{"add a", "add b"}},
		{name: "adopts one existing", existing: []string{"a"}, want: []string{"a", "b"},
			wantCalls: []string{"add a", "list", "add b"}},
		{name: "adopts all existing", existing: []string{"a", "b"}, want: []string{"a", "b"},
			wantCalls: []string{"add a", "list"}},
		{name: "per member adopts in the middle", existing: []string{"b"}, perMember: true, want: []string{"a", "b", "c"},
			wantCalls: []string{"add a", "add b", "list", "add c"}},
		{name: "unmanaged others ignored", existing: []string{"x"}, want: []string{"a"}, wantCalls: []string{"add a"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeMemberAPI{members: map[string]bool{}, perMember: tc.perMember}
			for _, p := range tc.existing {
				f.members[p] = true
			}
			got, err := addMembers(context.Background(), f, nil, "parent", tc.want)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if !slices.Equal(keys(got.members), tc.want) {
				t.Errorf("records for %v, want %v", keys(got.members), tc.want)
			}
			var adopted []string
			for p := range got.adopted {
				adopted = append(adopted, p)
			}
			slices.Sort(adopted)
			if wantAdopted := slices.DeleteFunc(slices.Clone(tc.existing), func(p string) bool { return !slices.Contains(tc.want, p) }); !slices.Equal(adopted, wantAdopted) {
				t.Errorf("adopted %v, want %v", adopted, wantAdopted)
			}
			if !slices.Equal(f.calls, tc.wantCalls) {
				t.Errorf("calls %v, want %v", f.calls, tc.wantCalls)
			}
		})
	}
}

// A conflict whose cause is not a wanted member being present is returned, not retried.
func TestAddMembersConflictWithoutAdoptable(t *testing.T) {
	f := &fakeMemberAPI{members: map[string]bool{}}
	api := conflictingAPI{f}
	_, err := addMembers(context.Background(), api, nil, "parent", []string{"a"})
	if !errors.Is(err, errFakeConflict) {
		t.Fatalf("err = %v, want the conflict", err)
	}
	if !slices.Equal(f.calls, []string{"list"}) {
		t.Errorf("calls %v", f.calls)
	}
}

type conflictingAPI struct{ *fakeMemberAPI }

func (conflictingAPI) add(context.Context, *client.Client, string, []string) ([]member, error) {
	return nil, errFakeConflict
}

func TestRemoveMembers(t *testing.T) {
	f := &fakeMemberAPI{members: map[string]bool{"a": true, "x": true}}
	actual := map[string]member{"a": {ProjectID: "a"}, "b": {ProjectID: "b"}}
	// b is already gone: not found counts as removed; x is unmanaged and untouched.
	if failed := removeMembers(context.Background(), f, nil, "parent", cloneMembers(actual), actual); len(failed) != 0 {
		t.Fatal(failed)
	}
	if len(actual) != 0 || !f.members["x"] {
		t.Errorf("actual %v, fake %v", actual, f.members)
	}

	// A gateway 404 is not "gone": the member stays, and the other removals still run.
	gw := &client.APIError{StatusCode: http.StatusNotFound, Code: "APIGW.0101", Message: "The API does not exist"}
	f = &fakeMemberAPI{members: map[string]bool{"a": true, "b": true}, removeErr: gw}
	actual = map[string]member{"a": {ProjectID: "a"}, "b": {ProjectID: "b"}}
	failed := removeMembers(context.Background(), f, nil, "parent", cloneMembers(actual), actual)
	if len(failed) != 2 || len(actual) != 2 || !slices.Equal(f.calls, []string{"remove a", "remove b"}) || !errors.Is(firstError(failed), gw) {
		t.Errorf("failed %v, actual %v, calls %v: failed removals must stay in actual, and each is tried", failed, actual, f.calls)
	}
}

func TestOutcome(t *testing.T) {
	var o outcome
	if o.String() != "" {
		t.Fatal("empty outcome renders text")
	}
	o.add("Shared", []string{"b", "a"})
	o.add("Not shared", nil)
	o.note("Done.")
	if got, want := o.String(), "\n\nShared: a, b.\nDone."; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}

func TestDiffMembers(t *testing.T) {
	added, removed := diffMembers([]string{"a", "b"}, []string{"b", "c"})
	if !slices.Equal(added, []string{"c"}) || !slices.Equal(removed, []string{"a"}) {
		t.Errorf("added %v removed %v", added, removed)
	}
}
