package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client/vbs"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

type volumeBackupSharesDataSourceModel struct {
	ID       types.String             `tfsdk:"id"`
	BackupID types.String             `tfsdk:"backup_id"`
	Shares   []volumeBackupShareModel `tfsdk:"shares"`
}

type volumeBackupShareModel struct {
	ID            types.String `tfsdk:"id"`
	BackupID      types.String `tfsdk:"backup_id"`
	FromProjectID types.String `tfsdk:"from_project_id"`
	ToProjectID   types.String `tfsdk:"to_project_id"`
	CreatedAt     types.String `tfsdk:"created_at"`
	UpdatedAt     types.String `tfsdk:"updated_at"`
}

var _ datasource.DataSourceWithConfigure = (*volumeBackupSharesDataSource)(nil)

// NewVolumeBackupSharesDataSource is data cbr_volume_backup_shares: the VBS v2 disk backup shares
// made to the provider's project.
func NewVolumeBackupSharesDataSource() datasource.DataSource {
	return &volumeBackupSharesDataSource{}
}

type volumeBackupSharesDataSource struct {
	dataSourceClient
}

func (d *volumeBackupSharesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_volume_backup_shares"
}

func (d *volumeBackupSharesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := dataSourceComputed
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the disk backup shares that other projects made to the provider's project through VBS v2 " +
			"(`GET /v2/{project_id}/os-vendor-backup-sharing/detail?share_to_me=true`), following every page. " +
			"VBS shares need no acceptance: a listed backup is usable at once.",
		Attributes: map[string]schema.Attribute{
			"id": computed("The provider's project ID, followed by `/` and `backup_id` when that filter is set."),
			"backup_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only shares of this disk backup (UUID). Default: every backup shared with this project.",
				Validators:          []validator.String{validators.UUID()},
			},
			"shares": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The shares made to this project, in the order the API returns them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":              computed("ID of the share."),
					"backup_id":       computed("ID of the shared disk backup."),
					"from_project_id": computed("The project that shared the backup."),
					"to_project_id":   computed("The receiving project (the provider's project)."),
					"created_at":      computed("When the share was made (RFC 3339, UTC); null when the API does not say."),
					"updated_at":      computed("When the share last changed (RFC 3339, UTC); null when it never changed."),
				}},
			},
		},
	}
}

func (d *volumeBackupSharesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !d.ready(req, resp) {
		return
	}
	var m volumeBackupSharesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := vbs.ListShares(ctx, d.client, vbs.ListOpts{ShareToMe: true, BackupID: m.BackupID.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Listing Volume Backup Shares",
			"list the disk backup shares made to project "+d.client.ProjectID(), err)
		return
	}
	id := d.client.ProjectID()
	if b := m.BackupID.ValueString(); b != "" {
		id += "/" + b
	}
	m.ID = types.StringValue(id)
	m.Shares = make([]volumeBackupShareModel, 0, len(got))
	for _, s := range got {
		m.Shares = append(m.Shares, volumeBackupShareModel{
			ID:            nullIfEmpty(s.ID),
			BackupID:      nullIfEmpty(s.BackupID),
			FromProjectID: nullIfEmpty(s.FromProjectID),
			ToProjectID:   nullIfEmpty(s.ToProjectID),
			CreatedAt:     nullIfEmpty(s.CreatedAt),
			UpdatedAt:     nullIfEmpty(s.UpdatedAt),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
