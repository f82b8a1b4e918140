package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

// The schema and configuration checks of the acceptance resources (see acceptance.go).

// acceptanceVaultReplaceIf replaces the acceptance only when it moves from one vault to another:
// an accepted share cannot be moved in place (the API answers 6706), but setting a vault where
// there was none (rejected → accepted) or dropping it while rejecting is an in-place update.
func acceptanceVaultReplaceIf(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.StateValue.IsNull() && !req.PlanValue.IsNull() && !req.PlanValue.IsUnknown()
}

func (r *acceptanceResource[M, A]) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.kind
	attrs := map[string]schema.Attribute{
		"id": acceptanceComputed(fmt.Sprintf("Same as `%s`.", k.parentAttr), true),
		"status": schema.StringAttribute{
			Optional: true,
			Computed: true,
			Default:  stringdefault.StaticString(acceptanceStatusAccepted),
			MarkdownDescription: fmt.Sprintf("Status to set on the share: one of %s. Default: `%s`. Changing it updates the share in place; "+
				"%s A status changed outside Terraform (for example a share reset to `pending`) shows up as an update in the next plan.",
				mdValueList(acceptanceStatuses), acceptanceStatusAccepted, k.rejectDoc),
			Validators: []validator.String{stringvalidator.OneOf(acceptanceStatuses...)},
		},
		"vault_id": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: k.vaultDoc + " Moving an accepted share to another vault replaces the resource (reject, then accept).",
			Validators:          []validator.String{validators.UUID()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(acceptanceVaultReplaceIf,
				"Changing from one vault to another requires replacement.", "Changing from one vault to another requires replacement.")},
		},
		"member_id":  acceptanceComputed("The receiving project: the provider's project ID.", true),
		"created_at": acceptanceComputed("When the share was created (RFC 3339, UTC).", true),
		"updated_at": acceptanceComputed("When the share's status last changed (RFC 3339, UTC); null when it never changed.", false),
	}
	attrs[k.parentAttr] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: k.parentDoc + " A lower-case UUID. Changing it replaces the resource.",
		Validators:          []validator.String{validators.UUID()},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	for name, a := range k.attributes {
		attrs[name] = a
	}
	resp.Schema = schema.Schema{
		Version:             0,
		MarkdownDescription: k.description,
		Attributes:          attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true,
				CreateDescription: fmt.Sprintf("How long to wait for the share to become visible and set its status. Default: `%s`.", acceptanceDefaultCreateTimeout),
				UpdateDescription: fmt.Sprintf("How long a status change may take. Default: `%s`.", acceptanceDefaultUpdateTimeout),
				DeleteDescription: fmt.Sprintf("How long rejecting the share may take. Default: `%s`.", acceptanceDefaultDeleteTimeout),
			}),
		},
	}
}

// acceptanceComputed is a computed attribute; a stable one keeps its state value in plans.
func acceptanceComputed(doc string, stable bool) schema.StringAttribute {
	a := schema.StringAttribute{Computed: true, MarkdownDescription: doc}
	if stable {
		a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	}
	return a
}

// mdValueList renders values as "`a`, `b`".
func mdValueList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

func (r *acceptanceResource[M, A]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !r.kind.vaultRequiredWhenAccepted {
		return
	}
	var status, vault types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("status"), &status)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("vault_id"), &vault)...)
	if resp.Diagnostics.HasError() || status.IsUnknown() || !vault.IsNull() {
		return
	}
	if status.IsNull() || status.ValueString() == acceptanceStatusAccepted {
		resp.Diagnostics.AddAttributeError(path.Root("vault_id"), "Missing Vault ID",
			fmt.Sprintf("vault_id is required when status is %q (the default): the accepted %s is stored in that vault. "+
				"Set vault_id to a vault of the receiving project whose type matches the backup, or set status = %q.",
				acceptanceStatusAccepted, strings.ToLower(r.kind.noun), acceptanceStatusRejected))
	}
}
