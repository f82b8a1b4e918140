package provider

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// addMembers makes every project in want a member of the parent and returns their records.
//
// A create that is retried after a crash or a partial failure finds some members already there:
// the API then refuses the add (CBR 6703/6714, VBS 400, IMS 409). Those members are adopted from
// one list call, and only the missing ones are added again. If the list shows none of them, the
// refusal had another cause and is returned as it was.
func addMembers(ctx context.Context, api memberAPI, c *client.Client, parentID string, want []string) (map[string]member, error) {
	got := map[string]member{}
	added, err := api.add(ctx, c, parentID, want)
	recordMembers(got, added, want)
	if err == nil || !api.isConflict(err) {
		return got, err
	}
	current, listErr := api.list(ctx, c, parentID)
	if listErr != nil {
		return got, err
	}
	adopted := 0
	for _, m := range current {
		if _, done := got[m.ProjectID]; !done && slices.Contains(want, m.ProjectID) {
			got[m.ProjectID] = m
			adopted++
		}
	}
	if adopted == 0 {
		return got, err
	}
	var missing []string
	for _, p := range want {
		if _, ok := got[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return got, nil
	}
	added, err = api.add(ctx, c, parentID, missing)
	recordMembers(got, added, want)
	return got, err
}

// recordMembers stores the records of wanted projects (an API may echo others).
func recordMembers(dst map[string]member, ms []member, want []string) {
	for _, m := range ms {
		if slices.Contains(want, m.ProjectID) {
			dst[m.ProjectID] = m
		}
	}
}

// removeMembers ends each membership in remove, in a stable order, deleting it from actual as it
// goes. A member that is already gone counts as removed. It stops at the first other error.
func removeMembers(ctx context.Context, api memberAPI, c *client.Client, parentID string, remove, actual map[string]member) error {
	for _, p := range slices.Sorted(maps.Keys(remove)) {
		if err := api.remove(ctx, c, parentID, remove[p]); err != nil && !errors.Is(err, client.ErrNotFound) {
			return err
		}
		delete(actual, p)
	}
	return nil
}

// diffMembers returns the projects in desired but not in current, and those in current but not in desired.
func diffMembers(current, desired []string) (added, removed []string) {
	for _, p := range desired {
		if !slices.Contains(current, p) {
			added = append(added, p)
		}
	}
	for _, p := range current {
		if !slices.Contains(desired, p) {
			removed = append(removed, p)
		}
	}
	return added, removed
}

func indexMembers(ms []member) map[string]member {
	out := make(map[string]member, len(ms))
	for _, m := range ms {
		out[m.ProjectID] = m
	}
	return out
}

// pick returns the entries of m for the given projects; a project without an entry gets a bare one.
func pick(m map[string]member, projects []string) map[string]member {
	out := make(map[string]member, len(projects))
	for _, p := range projects {
		if v, ok := m[p]; ok {
			out[p] = v
		} else {
			out[p] = member{ProjectID: p}
		}
	}
	return out
}

func cloneMembers(m map[string]member) map[string]member { return maps.Clone(m) }

func keys(m map[string]member) []string { return slices.Sorted(maps.Keys(m)) }

// setStrings returns the known string elements of a set, sorted.
func setStrings(s types.Set) []string {
	var out []string
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok && !v.IsNull() && !v.IsUnknown() {
			out = append(out, v.ValueString())
		}
	}
	slices.Sort(out)
	return out
}
