package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// The three owner-side member resources (CBR v3 backups, VBS v2 disk backups, IMS images) differ
// only in their API calls and detail fields. memberResource is their one implementation; a
// memberKind describes each type and a memberAPI adapts its API family.

// member is one current member of a parent (backup or image) as the API reports it.
type member struct {
	ProjectID string
	// Details holds the values of the kind's detail fields; "" is stored as null.
	Details map[string]string
}

// memberAPI is what a member resource needs from its API family.
type memberAPI interface {
	// list returns every current member of the parent (all pages).
	list(ctx context.Context, c *client.Client, parentID string) ([]member, error)
	// add makes projectIDs members, in as few calls as the API allows. On an error it returns the
	// members it did add before failing.
	add(ctx context.Context, c *client.Client, parentID string, projectIDs []string) ([]member, error)
	// remove ends one membership; the reconciler treats client.ErrNotFound as success.
	remove(ctx context.Context, c *client.Client, parentID string, m member) error
	// isConflict reports whether an add failed because (some of) the projects are members already.
	isConflict(err error) bool
}

// detailField is one attribute of the objects in member_details.
type detailField struct {
	Name, Description string
}

// memberKind describes one member resource type.
type memberKind struct {
	TypeName    string // "cbr_backup_share_member"
	Noun        string // "backup", "volume backup", "image": appears in messages
	ParentAttr  string // "backup_id" or "image_id"
	MaxMembers  int
	Description string // the resource's MarkdownDescription
	ParentDoc   string // MarkdownDescription of ParentAttr
	MembersDoc  string // appended to the common description of members
	Details     []detailField
	API         memberAPI
}

// memberResourceType is what every member resource implements.
type memberResourceType interface {
	resource.ResourceWithConfigure
	resource.ResourceWithImportState
	resource.ResourceWithModifyPlan
	resource.ResourceWithIdentity
}

// newMemberResource builds a member resource of the given kind and model; each type's constructor
// (in its resource_*.go file) calls it.
func newMemberResource[M memberModel](k *memberKind, newModel func() M) memberResourceType {
	return &memberResource[M]{kind: k, newModel: newModel}
}

type memberResource[M memberModel] struct {
	kind     *memberKind
	newModel func() M
	client   *client.Client
}

func (r *memberResource[M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.kind.TypeName
}

func (r *memberResource[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses sharing with the provider's own project. It needs the configured client, so
// it is skipped while the provider is not configured (unknown provider arguments during plan).
func (r *memberResource[M]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var members types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("members"), &members)...)
	if resp.Diagnostics.HasError() || members.IsNull() || members.IsUnknown() {
		return
	}
	own := r.client.ProjectID()
	for _, e := range members.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() || s.ValueString() != own {
			continue
		}
		resp.Diagnostics.AddAttributeError(path.Root("members").AtSetValue(s), "Cannot Share With Your Own Project",
			fmt.Sprintf("members contains %q, the project this provider configuration acts as. %s cannot be shared "+
				"with the project that owns it: remove %q from members (the owner always has access).", own, capitalize(withArticle(r.kind.Noun)), own))
	}
}

func (r *memberResource[M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ok := r.load(ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	parentID := plan.parent().ValueString()
	want := setStrings(plan.common().Members)
	res, err := r.add(ctx, parentID, want)
	if err == nil {
		// State comes from the add responses: no extra list call after create.
		r.save(ctx, &resp.State, resp.Identity, parentID, want, res.members, &resp.Diagnostics)
		return
	}
	// Failed part-way: undo what this create shared, so that nothing stays shared that the state
	// does not hold. What cannot be undone is recorded; Terraform then marks the resource tainted,
	// and the next apply or destroy removes it.
	var out outcome
	undo := map[string]member{}
	for p, m := range res.members {
		if !res.adopted[p] {
			undo[p] = m
		}
	}
	out.add("Shared before the failure", keys(undo))
	out.add("Not shared", res.missing(want))
	remaining := cloneMembers(undo)
	failed := removeMembers(ctx, r.kind.API, r.client, parentID, undo, remaining)
	switch {
	case len(undo) > 0 && len(failed) == 0:
		out.note("The provider unshared those again, so nothing is left shared that Terraform does not track. Fix the cause and apply again.")
	case len(failed) > 0:
		out.add("Unsharing them again failed for", keys(remaining))
		for _, p := range keys(remaining) {
			out.note(fmt.Sprintf("  %s: %v", p, failed[p]))
		}
		out.note("Terraform records these in the state and marks the resource tainted: the next apply or destroy unshares them.")
		r.save(ctx, &resp.State, resp.Identity, parentID, keys(remaining), remaining, &resp.Diagnostics)
	}
	var adopted []string
	for p := range res.adopted {
		adopted = append(adopted, p)
	}
	out.add("Already members before this apply (left as they are)", adopted)
	resp.Diagnostics.AddError("Error Sharing "+r.kind.title(), apiErrorDetail(r.kind.doing("share", parentID, want), err)+out.String())
}

// add runs addMembers and, when it fails, lists the members once to learn what the failed call
// really did. A failure whose effect is complete all the same (a lost answer) is no failure.
func (r *memberResource[M]) add(ctx context.Context, parentID string, want []string) (addResult, error) {
	res, err := addMembers(ctx, r.kind.API, r.client, parentID, want)
	if err == nil {
		return res, nil
	}
	if listErr := res.confirm(ctx, r.kind.API, r.client, parentID, want); listErr != nil {
		tflog.Warn(ctx, "could not list the members after a failed add", map[string]any{"error": listErr.Error()})
		return res, err
	}
	if len(res.missing(want)) == 0 {
		tflog.Warn(ctx, "an add failed, but every project is a member: the answer was lost", map[string]any{"error": err.Error()})
		return res, nil
	}
	return res, err
}

func (r *memberResource[M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, ok := r.load(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	parentID := state.parent().ValueString()
	current, err := r.kind.API.list(ctx, r.client, parentID)
	if errors.Is(err, client.ErrNotFound) {
		resp.Diagnostics.AddWarning(r.kind.title()+" No Longer Exists",
			fmt.Sprintf("The %s %s was not found (%v), so its shares are gone. Removing %s from the state; "+
				"the next plan creates it again if the configuration still declares it.", r.kind.Noun, parentID, err, r.kind.TypeName))
		// The framework wants an identity after every read without errors, a removal included.
		setShareIdentity(ctx, resp.Identity, r.kind.ParentAttr, parentID, r.client.ProjectID(), &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading "+r.kind.title()+" Share Members",
			fmt.Sprintf("list the members of %s %s", r.kind.Noun, parentID), err)
		return
	}
	byProject := indexMembers(current)
	var managed []string
	if state.common().Members.IsNull() {
		// Import: every current member becomes managed.
		for p := range byProject {
			managed = append(managed, p)
		}
	} else {
		// Only managed members stay; one that vanished leaves members, so the plan re-adds it.
		for _, p := range setStrings(state.common().Members) {
			if _, ok := byProject[p]; ok {
				managed = append(managed, p)
			}
		}
	}
	r.save(ctx, &resp.State, resp.Identity, parentID, managed, byProject, &resp.Diagnostics)
}

func (r *memberResource[M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, okPlan := r.load(ctx, req.Plan, &resp.Diagnostics)
	state, okState := r.load(ctx, req.State, &resp.Diagnostics)
	if !okPlan || !okState {
		return
	}
	parentID := plan.parent().ValueString()
	prior := r.kind.memberMap(state)
	added, removed := diffMembers(setStrings(state.common().Members), setStrings(plan.common().Members))

	// Remove first: it frees room under the API's member limit for the added ones.
	actual := cloneMembers(prior)
	failed := removeMembers(ctx, r.kind.API, r.client, parentID, pick(prior, removed), actual)
	var res addResult
	var addErr error
	if len(failed) == 0 && len(added) > 0 {
		res, addErr = r.add(ctx, parentID, added)
		for p, m := range res.members {
			actual[p] = m
		}
	}
	// Record what really happened, also after a partial failure, so the next plan shows the rest.
	r.save(ctx, &resp.State, resp.Identity, parentID, keys(actual), actual, &resp.Diagnostics)
	if len(failed) == 0 && addErr == nil {
		return
	}
	var out outcome
	out.add("Unshared", gone(removed, actual))
	out.add("Still shared (unsharing failed)", slices.Sorted(maps.Keys(failed)))
	out.add("Shared", keys(res.members))
	if len(failed) > 0 {
		out.add("Not shared yet (sharing waits until the removals succeed)", added)
	} else {
		out.add("Not shared", res.missing(added))
	}
	out.note("The state records exactly these results; the next apply retries the rest.")
	if len(failed) > 0 {
		resp.Diagnostics.AddError("Error Unsharing "+r.kind.title(), apiErrorDetail(r.kind.doing("unshare", parentID, removed), firstError(failed))+out.String())
		return
	}
	resp.Diagnostics.AddError("Error Sharing "+r.kind.title(), apiErrorDetail(r.kind.doing("share", parentID, added), addErr)+out.String())
}

// Delete removes every managed member. One that cannot be removed stays in the state (the others
// leave it), so that state and cloud agree and the next destroy retries only what is left.
func (r *memberResource[M]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ok := r.load(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	parentID := state.parent().ValueString()
	prior := r.kind.memberMap(state)
	remaining := cloneMembers(prior)
	failed := removeMembers(ctx, r.kind.API, r.client, parentID, prior, remaining)
	if len(failed) == 0 {
		return
	}
	r.save(ctx, &resp.State, resp.Identity, parentID, keys(remaining), remaining, &resp.Diagnostics)
	var out outcome
	out.add("Unshared", gone(keys(prior), remaining))
	out.add("Still shared", keys(remaining))
	resp.Diagnostics.AddError("Error Unsharing "+r.kind.title(), apiErrorDetail(r.kind.doing("unshare", parentID, keys(prior)), firstError(failed))+out.String())
}

// IdentitySchema: the parent and the owner's project.
func (r *memberResource[M]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = shareIdentitySchema(r.kind.ParentAttr, "The owner's project: the project the provider acts as.")
}

// ImportState takes the parent ID (or an identity); Read then adopts every current member.
func (r *memberResource[M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importShare(ctx, r.client, r.kind.TypeName, r.kind.ParentAttr, req, resp)
}

// load is the start of every API-backed operation: a configured client and the model from src.
func (r *memberResource[M]) load(ctx context.Context, src modelSource, diags *diag.Diagnostics) (M, bool) {
	m := r.newModel()
	if !requireClient(r.client, diags) {
		return m, false
	}
	diags.Append(src.Get(ctx, m)...)
	return m, !diags.HasError()
}

// save writes the state (the given managed projects, with details from records) and the identity.
func (r *memberResource[M]) save(ctx context.Context, dst *tfsdk.State, identity *tfsdk.ResourceIdentity, parentID string, managed []string, records map[string]member, diags *diag.Diagnostics) {
	m := r.newModel()
	r.kind.fill(ctx, m, parentID, managed, records, diags)
	if diags.HasError() {
		return
	}
	diags.Append(dst.Set(ctx, m)...)
	setShareIdentity(ctx, identity, r.kind.ParentAttr, parentID, r.client.ProjectID(), diags)
}

// title is the noun in Title Case for diagnostic summaries: "Volume Backup".
func (k *memberKind) title() string {
	words := strings.Fields(k.Noun)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// doing phrases an operation for apiErrorDetail: "share backup X with projects a, b".
func (k *memberKind) doing(verb, parentID string, projects []string) string {
	prep := "with"
	if verb == "unshare" {
		prep = "from"
	}
	return fmt.Sprintf("%s %s %s %s project(s) %s", verb, k.Noun, parentID, prep, strings.Join(projects, ", "))
}
