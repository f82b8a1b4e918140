package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// addResult is what an add of several projects achieved.
type addResult struct {
	// members holds every wanted project that is a member now, with its record.
	members map[string]member
	// adopted are the projects that were members before this add (a retried apply): they are never
	// rolled back, because this add did not make them.
	adopted map[string]bool
}

// addMembers makes every project in want a member of the parent and returns their records.
//
// A create that is retried after a crash or a partial failure finds some members already there:
// the API then refuses the add (CBR 6703/6714, VBS 400, IMS 409). Those members are adopted from
// one list call, and only the missing ones are added again. If the list shows none of them, the
// refusal had another cause and is returned as it was.
func addMembers(ctx context.Context, api memberAPI, c *client.Client, parentID string, want []string) (addResult, error) {
	res := addResult{members: map[string]member{}, adopted: map[string]bool{}}
	added, err := api.add(ctx, c, parentID, want)
	recordMembers(res.members, added, want)
	if err == nil || !api.isConflict(err) {
		return res, err
	}
	current, listErr := api.list(ctx, c, parentID)
	if listErr != nil {
		return res, err
	}
	for _, m := range current {
		if _, done := res.members[m.ProjectID]; !done && slices.Contains(want, m.ProjectID) {
			res.members[m.ProjectID] = m
			res.adopted[m.ProjectID] = true
		}
	}
	if len(res.adopted) == 0 {
		return res, err
	}
	missing := res.missing(want)
	if len(missing) == 0 {
		return res, nil
	}
	added, err = api.add(ctx, c, parentID, missing)
	recordMembers(res.members, added, want)
	return res, err
}

// missing returns the wanted projects that are not members.
func (r addResult) missing(want []string) []string {
	var out []string
	for _, p := range want {
		if _, ok := r.members[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// confirm lists the parent after a failed add and records every wanted project that is a member
// now: a call whose answer was lost (a dropped connection, a 5xx after the last retry) may have
// succeeded all the same.
func (r addResult) confirm(ctx context.Context, api memberAPI, c *client.Client, parentID string, want []string) error {
	current, err := api.list(ctx, c, parentID)
	if err != nil {
		return err
	}
	for _, m := range current {
		if _, ok := r.members[m.ProjectID]; !ok && slices.Contains(want, m.ProjectID) {
			r.members[m.ProjectID] = m
		}
	}
	return nil
}

// recordMembers stores the records of wanted projects (an API may echo others).
func recordMembers(dst map[string]member, ms []member, want []string) {
	for _, m := range ms {
		if slices.Contains(want, m.ProjectID) {
			dst[m.ProjectID] = m
		}
	}
}

// removeMembers ends each membership in remove, in a stable order, and deletes each one it ended
// from actual. A member that is already gone counts as removed. It goes on after a failure, so
// that one refused removal does not leave the others in place, and returns the failures.
func removeMembers(ctx context.Context, api memberAPI, c *client.Client, parentID string, remove, actual map[string]member) map[string]error {
	failed := map[string]error{}
	for _, p := range slices.Sorted(maps.Keys(remove)) {
		if err := api.remove(ctx, c, parentID, remove[p]); err != nil && !errors.Is(err, client.ErrNotFound) {
			failed[p] = err
			continue
		}
		delete(actual, p)
	}
	return failed
}

// gone returns the projects that are no longer in actual.
func gone(projects []string, actual map[string]member) []string {
	var out []string
	for _, p := range projects {
		if _, still := actual[p]; !still {
			out = append(out, p)
		}
	}
	return out
}

// firstError returns the error of the first project, in sorted order, or nil.
func firstError(failed map[string]error) error {
	if len(failed) == 0 {
		return nil
	}
	return failed[slices.Sorted(maps.Keys(failed))[0]]
}

// outcome renders which projects a failed change reached, for the error's detail.
type outcome struct {
	lines []string
}

func (o *outcome) add(label string, projects []string) {
	if len(projects) > 0 {
		o.lines = append(o.lines, fmt.Sprintf("%s: %s.", label, strings.Join(slices.Sorted(slices.Values(projects)), ", ")))
	}
}

func (o *outcome) note(s string) { o.lines = append(o.lines, s) }

func (o *outcome) String() string {
	if len(o.lines) == 0 {
		return ""
	}
	return "\n\n" + strings.Join(o.lines, "\n")
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
