package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

type backupShareMembersDataSourceModel struct {
	ID            types.String        `tfsdk:"id"`
	BackupID      types.String        `tfsdk:"backup_id"`
	Status        types.String        `tfsdk:"status"`
	DestProjectID types.String        `tfsdk:"dest_project_id"`
	VaultID       types.String        `tfsdk:"vault_id"`
	ImageID       types.String        `tfsdk:"image_id"`
	Members       []shareMemberFields `tfsdk:"members"`
}

var _ datasource.DataSourceWithConfigure = (*backupShareMembersDataSource)(nil)

// NewBackupShareMembersDataSource is data cbr_backup_share_members: every member of a CBR v3 backup
// share, optionally filtered.
func NewBackupShareMembersDataSource() datasource.DataSource {
	return &backupShareMembersDataSource{}
}

type backupShareMembersDataSource struct {
	dataSourceClient
}

func (d *backupShareMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_share_members"
}

func (d *backupShareMembersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(doc string, v validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, MarkdownDescription: doc, Validators: []validator.String{v}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of a CBR backup share (CBR v3 `GET /v3/{project_id}/backups/{backup_id}/members`), " +
			"following every page. Called by the backup's owner. `id` is the `backup_id`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Same as `backup_id`."},
			"backup_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID (UUID) of the shared backup.",
				Validators:          []validator.String{validators.UUID()},
			},
			"status": filter("Only members with this status: one of "+mdValueList(shareMemberStatuses)+". Default: any status.",
				stringvalidator.OneOf(shareMemberStatuses...)),
			"dest_project_id": filter("Only the member for this receiving project ID. Default: every project.", validators.ProjectID()),
			"vault_id":        filter("Only members that accepted the backup into this vault (UUID). Default: any vault.", validators.UUID()),
			"image_id":        filter("Only members with this registered image (UUID). Default: any image.", validators.UUID()),
			"members": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching members, in the order the API returns them.",
				NestedObject:        schema.NestedAttributeObject{Attributes: shareMemberFieldAttributes()},
			},
		},
	}
}

func (d *backupShareMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !d.ready(req, resp) {
		return
	}
	var m backupShareMembersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	backupID := m.BackupID.ValueString()
	got, err := cbr.ListMembers(ctx, d.client, backupID, cbr.ListOpts{
		Status:        m.Status.ValueString(),
		DestProjectID: m.DestProjectID.ValueString(),
		VaultID:       m.VaultID.ValueString(),
		ImageID:       m.ImageID.ValueString(),
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Listing Backup Share Members",
			fmt.Sprintf("list the members of backup %s (only the backup's owner can list them)", backupID), err)
		return
	}
	m.ID = types.StringValue(backupID)
	m.Members = make([]shareMemberFields, 0, len(got))
	for _, g := range got {
		m.Members = append(m.Members, newShareMemberFields(g))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
