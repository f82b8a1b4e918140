package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// This file holds the receiver-side logic shared by cbr_backup_share_acceptance and
// cbr_image_share_acceptance: wait until the share is visible, set its status, read it back,
// reject it on destroy. Each resource supplies an acceptanceKind: its schema specifics, its two
// API calls and how an API member maps onto its model.

const (
	acceptanceStatusAccepted = "accepted"
	acceptanceStatusRejected = "rejected"

	// Default timeouts of the acceptance resources (overridable in the timeouts block).
	acceptanceDefaultCreateTimeout = 10 * time.Minute // covers the wait for the owner's side
	acceptanceDefaultUpdateTimeout = 5 * time.Minute
	acceptanceDefaultDeleteTimeout = 5 * time.Minute

	// Backoff of the wait for a share to become visible.
	acceptanceWaitInitialDelay = 500 * time.Millisecond
	acceptanceWaitMaxDelay     = 15 * time.Second
	acceptanceWaitFactor       = 2
)

// acceptanceWaitBackoff is the backoff of the share-visibility wait.
var acceptanceWaitBackoff = waitBackoff{Initial: acceptanceWaitInitialDelay, Max: acceptanceWaitMaxDelay, Factor: acceptanceWaitFactor}

// acceptanceStatuses are the statuses a receiver may set; the same slice feeds the validator and
// the documentation.
var acceptanceStatuses = []string{acceptanceStatusAccepted, acceptanceStatusRejected}

// acceptanceCommon is the part of the model that every acceptance resource shares. It is embedded
// by value in each resource's model.
type acceptanceCommon struct {
	ID        types.String   `tfsdk:"id"`
	Status    types.String   `tfsdk:"status"`
	VaultID   types.String   `tfsdk:"vault_id"`
	MemberID  types.String   `tfsdk:"member_id"`
	CreatedAt types.String   `tfsdk:"created_at"`
	UpdatedAt types.String   `tfsdk:"updated_at"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

// acceptanceModel is what the shared code needs of a resource's model; A is the API's member type.
type acceptanceModel[A any] interface {
	common() *acceptanceCommon
	// parent is backup_id or image_id.
	parent() *types.String
	// fill copies an API member into the model. It sets vault_id only when the API returns one.
	fill(m A)
}

// acceptanceKind describes one acceptance resource type to the shared implementation.
type acceptanceKind[M acceptanceModel[A], A any] struct {
	typeName    string // e.g. "cbr_backup_share_acceptance"
	noun        string // title case, e.g. "Backup Share"
	parentAttr  string // "backup_id" or "image_id"
	parentDoc   string // describes the parent attribute
	description string // the resource's MarkdownDescription
	// attributes are the kind's own attributes, added to the shared ones.
	attributes map[string]schema.Attribute
	// rejectDoc says what rejecting does for this kind (one sentence).
	rejectDoc string
	// vaultDoc describes vault_id for this kind.
	vaultDoc string
	// vaultRequiredWhenAccepted makes a missing vault_id a plan-time error when accepting.
	vaultRequiredWhenAccepted bool
	newModel                  func() M
	get                       func(ctx context.Context, c *client.Client, parentID, memberID string) (A, error)
	update                    func(ctx context.Context, c *client.Client, parentID, memberID, status, vaultID string) (A, error)
	// ownedByCaller reports whether the provider's project owns the parent (one API call); the
	// create's wait asks it once, at the first "not found".
	ownedByCaller func(ctx context.Context, c *client.Client, parentID string) (bool, error)
	// updateHint optionally adds advice to a failed status update.
	updateHint func(err error, status, vaultID string) string
}

// errOwnShare stops the create's wait: the provider acts as the owner of the shared object.
var errOwnShare = errors.New("the provider's project owns the shared object")

// acceptanceResourceType is what every acceptance resource implements.
type acceptanceResourceType interface {
	resource.ResourceWithConfigure
	resource.ResourceWithImportState
	resource.ResourceWithValidateConfig
	resource.ResourceWithIdentity
}

// newAcceptanceResource builds an acceptance resource of the given kind; the return type checks
// at compile time that it implements import, configure and config validation.
func newAcceptanceResource[M acceptanceModel[A], A any](k *acceptanceKind[M, A]) acceptanceResourceType {
	return &acceptanceResource[M, A]{kind: k}
}

// acceptanceResource implements a receiver-side acceptance resource from its kind.
type acceptanceResource[M acceptanceModel[A], A any] struct {
	kind   *acceptanceKind[M, A]
	client *client.Client
}

func (r *acceptanceResource[M, A]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.kind.typeName
}

func (r *acceptanceResource[M, A]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// shareRef names the share in messages.
func (r *acceptanceResource[M, A]) shareRef(parentID string) string {
	return fmt.Sprintf("%s %s=%s for project %s", strings.ToLower(r.kind.noun), r.kind.parentAttr, parentID, r.client.ProjectID())
}

// statusVerb is the title-case verb of a status change, for diagnostics.
func acceptanceStatusVerb(status string) string {
	if status == acceptanceStatusRejected {
		return "Rejecting"
	}
	return "Accepting"
}

// setStatus PUTs the status and copies the answer into m.
func (r *acceptanceResource[M, A]) setStatus(ctx context.Context, m M, diags *diag.Diagnostics) {
	parent, c := m.parent().ValueString(), m.common()
	status, vault := c.Status.ValueString(), c.VaultID.ValueString()
	tflog.Debug(ctx, "setting share status", map[string]any{r.kind.parentAttr: parent, "status": status, "vault_id": vault})
	got, err := r.kind.update(ctx, r.client, parent, r.client.ProjectID(), status, vault)
	if err != nil {
		detail := apiErrorDetail(fmt.Sprintf("set the status of the %s to %q", r.shareRef(parent), status), err)
		if r.kind.updateHint != nil {
			if hint := r.kind.updateHint(err, status, vault); hint != "" {
				detail += "\n\n" + hint
			}
		}
		diags.AddError(fmt.Sprintf("Error %s %s", acceptanceStatusVerb(status), r.kind.noun), detail)
		return
	}
	r.fill(m, got)
}

// fill copies the API member into m, keeping the known vault_id when the API returns none (IMS
// never does; CBR not while the share is pending or rejected), so that no spurious replacement
// is planned.
func (r *acceptanceResource[M, A]) fill(m M, got A) {
	c := m.common()
	prior := c.VaultID
	c.VaultID = types.StringNull()
	m.fill(got)
	if c.VaultID.IsNull() {
		c.VaultID = prior
	}
	c.MemberID = types.StringValue(r.client.ProjectID())
}

// timeoutFunc is one of timeouts.Value's Create, Update or Delete methods.
type timeoutFunc = func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics)

// modelSource is the plan or the state of a request.
type modelSource interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// load is the common start of every CRUD operation: it checks the client, reads the model from
// src, and bounds ctx by the operation's timeout (when pick is not nil). cancel is never nil.
func (r *acceptanceResource[M, A]) load(ctx context.Context, src modelSource, pick timeoutFunc, def time.Duration, diags *diag.Diagnostics) (M, context.Context, context.CancelFunc, bool) {
	m := r.kind.newModel()
	if !requireClient(r.client, diags) {
		return m, ctx, func() {}, false
	}
	diags.Append(src.Get(ctx, m)...)
	if diags.HasError() || pick == nil {
		return m, ctx, func() {}, !diags.HasError()
	}
	timeout, d := pick(m.common().Timeouts, ctx, def)
	diags.Append(d...)
	opCtx, cancel := context.WithTimeout(ctx, timeout)
	return m, opCtx, cancel, !diags.HasError()
}

// setParent sets the parent attribute and id, which are the same.
func (r *acceptanceResource[M, A]) setParent(m M, id string) {
	*m.parent() = types.StringValue(id)
	m.common().ID = types.StringValue(id)
}

func (r *acceptanceResource[M, A]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	m, ctx, cancel, ok := r.load(ctx, req.Plan, timeouts.Value.Create, acceptanceDefaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	parent := m.parent().ValueString()
	// The owner's side may still be being applied (same configuration, other provider block):
	// until then the share does not exist for this project.
	probed := false
	_, err := waitFor(ctx, acceptanceWaitBackoff, func(ctx context.Context) (A, bool, error) {
		got, err := r.kind.get(ctx, r.client, parent, r.client.ProjectID())
		if errors.Is(err, client.ErrNotFound) && !probed {
			// Once: a provider that acts as the owner would wait for a share to itself forever.
			probed = true
			if own, probeErr := r.kind.ownedByCaller(ctx, r.client, parent); probeErr == nil && own {
				return got, true, errOwnShare
			}
		}
		if errors.Is(err, client.ErrNotFound) || ctx.Err() != nil {
			return got, false, err
		}
		return got, true, err
	})
	if errors.Is(err, errOwnShare) {
		resp.Diagnostics.AddAttributeError(path.Root(r.kind.parentAttr), "Cannot Accept Your Own Share",
			fmt.Sprintf("This resource's provider acts as project %s, which owns %s %s: a project cannot accept what it shares. "+
				"Give the resource the receiving project's provider configuration (for example provider = cbr.receiver).",
				r.client.ProjectID(), r.kind.parentAttr, parent))
		return
	}
	if err != nil {
		summary := fmt.Sprintf("Error Waiting for %s", r.kind.noun)
		if errors.Is(err, errWaitTimeout) {
			timeout, _ := m.common().Timeouts.Create(ctx, acceptanceDefaultCreateTimeout)
			resp.Diagnostics.AddError(summary, apiErrorDetail(
				fmt.Sprintf("find the %s within %s", r.shareRef(parent), timeout), err)+
				fmt.Sprintf("\n\nMake sure the owner has shared %s with this project (for example with a *_share_member resource), "+
					"that the provider acts as the receiving project, or raise timeouts.create.", parent))
			return
		}
		addAPIError(&resp.Diagnostics, summary, "read the "+r.shareRef(parent), err)
		return
	}
	r.setParent(m, parent)
	r.setStatus(ctx, m, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		r.save(ctx, m, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

func (r *acceptanceResource[M, A]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, ctx, cancel, ok := r.load(ctx, req.State, nil, 0, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	parent := m.parent().ValueString()
	got, err := r.kind.get(ctx, r.client, parent, r.client.ProjectID())
	if errors.Is(err, client.ErrNotFound) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("%s No Longer Exists", r.kind.noun),
			fmt.Sprintf("The %s was not found: the owner revoked the share or deleted the shared object. "+
				"It has been removed from the Terraform state; the next apply waits for it to be shared again.", r.shareRef(parent)))
		// The framework wants an identity after every read without errors, a removal included.
		setShareIdentity(ctx, resp.Identity, r.kind.parentAttr, parent, r.client.ProjectID(), &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Error Reading %s Acceptance", r.kind.noun), "read the "+r.shareRef(parent), err)
		return
	}
	r.setParent(m, parent)
	r.fill(m, got)
	r.save(ctx, m, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *acceptanceResource[M, A]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	m, ctx, cancel, ok := r.load(ctx, req.Plan, timeouts.Value.Update, acceptanceDefaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if ok {
		r.setStatus(ctx, m, &resp.Diagnostics)
	}
	if !resp.Diagnostics.HasError() {
		r.save(ctx, m, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

// Delete rejects the share: that is what giving up an accepted share means to the API, and it
// removes the copy from the receiver's vault. A share that is already gone is success.
func (r *acceptanceResource[M, A]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	m, ctx, cancel, ok := r.load(ctx, req.State, timeouts.Value.Delete, acceptanceDefaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if ok {
		resp.Diagnostics.Append(r.reject(ctx, m.parent().ValueString())...)
	}
}

// reject sets the share to rejected; not found means the owner already revoked it, which is the
// goal of a destroy too.
func (r *acceptanceResource[M, A]) reject(ctx context.Context, parent string) diag.Diagnostics {
	var diags diag.Diagnostics
	_, err := r.kind.update(ctx, r.client, parent, r.client.ProjectID(), acceptanceStatusRejected, "")
	if errors.Is(err, client.ErrNotFound) {
		tflog.Info(ctx, "share already gone; nothing to reject", map[string]any{r.kind.parentAttr: parent})
		return diags
	}
	if err != nil {
		addAPIError(&diags, fmt.Sprintf("Error Rejecting %s", r.kind.noun), "reject the "+r.shareRef(parent), err)
	}
	return diags
}

// IdentitySchema: the parent and the receiver's project.
func (r *acceptanceResource[M, A]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = shareIdentitySchema(r.kind.parentAttr, "The receiving project: the project the provider acts as.")
}

// save writes the state and the identity.
func (r *acceptanceResource[M, A]) save(ctx context.Context, m M, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	diags.Append(state.Set(ctx, m)...)
	setShareIdentity(ctx, identity, r.kind.parentAttr, m.parent().ValueString(), r.client.ProjectID(), diags)
}

// ImportState takes the parent ID (or an identity); Read then reads status and vault from the
// member record.
func (r *acceptanceResource[M, A]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importShare(ctx, r.client, r.kind.typeName, r.kind.parentAttr, req, resp)
}

// nullIfEmpty maps the API's empty (or null) strings to null.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
