package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

// Every resource of this provider is identified by its parent (a backup or an image) and the
// project the provider acts as: the owner's for *_member, the receiver's for *_acceptance. Import
// takes the parent ID alone, or this identity in an import block (Terraform and OpenTofu 1.12+).

// identityProjectAttr is the identity attribute of the project.
const identityProjectAttr = "project_id"

func shareIdentitySchema(parentAttr, projectDoc string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			parentAttr: identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       fmt.Sprintf("The %s (a lower-case UUID).", parentAttr),
			},
			identityProjectAttr: identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       projectDoc + " When given on import, it must be that project.",
			},
		},
	}
}

// setShareIdentity writes the identity, when the CLI supports identities (identity is nil otherwise).
func setShareIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, parentAttr, parentID, projectID string, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	diags.Append(identity.SetAttribute(ctx, path.Root(parentAttr), parentID)...)
	diags.Append(identity.SetAttribute(ctx, path.Root(identityProjectAttr), projectID)...)
}

// importShare is the import of every resource: by the parent's ID, or by identity. Read fills in
// the rest.
func importShare(ctx context.Context, c *client.Client, typeName, parentAttr string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if req.ID == "" && req.Identity != nil {
		var parent, project types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(parentAttr), &parent)...)
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(identityProjectAttr), &project)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = parent.ValueString()
		if p := project.ValueString(); p != "" && c != nil && p != c.ProjectID() {
			resp.Diagnostics.AddAttributeError(path.Root(identityProjectAttr), "Identity of Another Project",
				fmt.Sprintf("The identity names project %s, but this provider configuration acts as project %s. Import %s "+
					"with the provider configuration of project %s, or leave project_id out of the identity.", p, c.ProjectID(), typeName, p))
			return
		}
	}
	if !validators.IsUUID(id) {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not a valid %s. Import %s by its %s, a lower-case UUID such as "+
				"\"0b07081e-3ec7-4e77-8571-54e2947da422\".", id, parentAttr, typeName, parentAttr))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(parentAttr), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if c != nil {
		setShareIdentity(ctx, resp.Identity, parentAttr, id, c.ProjectID(), &resp.Diagnostics)
	}
}
