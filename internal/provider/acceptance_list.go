package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

// The list resources of the acceptance types: for `terraform query` (Terraform 1.14+), what other
// projects shared with the provider's project. With -generate-config-out each result becomes an
// import block and a resource block that adopt the share: an accepted one as it is, a rejected one
// as rejected, and a pending one as accepted into the list block's vault_id, so that the apply
// that imports it also accepts it.

// sharedItem is one backup or image shared with the provider's project.
type sharedItem struct {
	ParentID, Name, Owner, MemberStatus string
	// VaultID is the receiver's vault, when the API tells it (an accepted CBR backup).
	VaultID string
	// NeedsVault: accepting it needs a vault (a backup, a full-ECS image).
	NeedsVault bool
}

type acceptanceListConfig struct {
	MemberStatus types.String `tfsdk:"member_status"`
	VaultID      types.String `tfsdk:"vault_id"`
}

// acceptanceListResource lists the shares of one acceptance kind.
type acceptanceListResource struct {
	typeName   string
	parentAttr string
	noun       string // "backup" or "image"
	list       func(ctx context.Context, c *client.Client, memberStatus string) ([]sharedItem, error)
	client     *client.Client
}

var _ list.ListResourceWithConfigure = (*acceptanceListResource)(nil)

func (l *acceptanceListResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = l.typeName
}

func (l *acceptanceListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *acceptanceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the %ss that other projects shared with the provider's project, as `%s` "+
			"resources to import. A pending share is proposed as accepted into `vault_id`, an accepted one as it is, a "+
			"rejected one as rejected.", l.noun, l.typeName),
		Attributes: map[string]listschema.Attribute{
			"member_status": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only shares with this status: one of " + mdValueList(shareMemberStatuses) +
					". Default: all three.",
				Validators: []validator.String{stringvalidator.OneOf(shareMemberStatuses...)},
			},
			"vault_id": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The vault (UUID) of the receiving project that the generated configuration accepts " +
					"pending shares into. Needed for backups and full-ECS images; without it, set `vault_id` in the " +
					"generated configuration before applying it.",
				Validators: []validator.String{validators.UUID()},
			},
		},
	}
}

func (l *acceptanceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg acceptanceListConfig
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if l.client == nil {
		var diags diag.Diagnostics
		requireClient(nil, &diags)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	items, err := l.list(ctx, l.client, cfg.MemberStatus.ValueString())
	if err != nil {
		var diags diag.Diagnostics
		addAPIError(&diags, "Error Listing Shared "+capitalize(l.noun)+"s",
			fmt.Sprintf("list the %ss shared with project %s", l.noun, l.client.ProjectID()), err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, it := range items {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(l.result(ctx, req, it, cfg.VaultID.ValueString())) {
				return
			}
		}
	}
}

// result is one share as an identity and, when asked for, the resource that adopts it.
func (l *acceptanceListResource) result(ctx context.Context, req list.ListRequest, it sharedItem, vaultID string) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = fmt.Sprintf("%s %s (%s) from project %s, %s", l.noun, it.Name, it.ParentID, it.Owner, it.MemberStatus)
	setShareIdentity(ctx, res.Identity, l.parentAttr, it.ParentID, l.client.ProjectID(), &res.Diagnostics)
	if !req.IncludeResource {
		return res
	}
	status, vault := acceptanceStatusAccepted, types.StringNull()
	switch {
	case it.MemberStatus == acceptanceStatusRejected:
		status = acceptanceStatusRejected
	case it.VaultID != "":
		vault = types.StringValue(it.VaultID)
	case vaultID != "" && it.NeedsVault:
		vault = types.StringValue(vaultID)
	}
	for attr, v := range map[string]any{
		l.parentAttr: it.ParentID, "id": it.ParentID, "status": status, "vault_id": vault, "member_id": l.client.ProjectID(),
	} {
		res.Diagnostics.Append(res.Resource.SetAttribute(ctx, path.Root(attr), v)...)
	}
	return res
}
