package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

// sharedListAttributes are the attributes cbr_shared_backups and cbr_shared_images have in common:
// the project ID and the member_status filter of the things (backups, images) they list.
func sharedListAttributes(things string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": dataSourceComputed("The provider's project ID."),
		"member_status": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Only " + things + " whose share has this status: one of " + mdValueList(shareMemberStatuses) + ". Default: all three.",
			Validators:          []validator.String{stringvalidator.OneOf(shareMemberStatuses...)},
		},
	}
}

// sharedListNote ends the description of cbr_shared_backups and cbr_shared_images (thing: backup,
// image): why a listing without member_status costs one call per status.
func sharedListNote(thing string) string {
	return "\n\nThe API does not return the share status with each " + thing + ", so without `member_status` the data " +
		"source lists once per status."
}

// sharedBackupResourceTypes are the resource_type filter values of cbr_shared_backups.
var sharedBackupResourceTypes = []string{cbr.ResourceTypeServer, cbr.ResourceTypeVolume}

type sharedBackupsDataSourceModel struct {
	ID           types.String        `tfsdk:"id"`
	MemberStatus types.String        `tfsdk:"member_status"`
	ResourceType types.String        `tfsdk:"resource_type"`
	VaultID      types.String        `tfsdk:"vault_id"`
	Backups      []sharedBackupModel `tfsdk:"backups"`
}

type sharedBackupModel struct {
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	OwnerProjectID types.String `tfsdk:"owner_project_id"`
	MemberStatus   types.String `tfsdk:"member_status"`
	ResourceType   types.String `tfsdk:"resource_type"`
	ResourceSizeGB types.Int64  `tfsdk:"resource_size_gb"`
	Status         types.String `tfsdk:"status"`
	VaultID        types.String `tfsdk:"vault_id"`
	CreatedAt      types.String `tfsdk:"created_at"`
}

var _ datasource.DataSourceWithConfigure = (*sharedBackupsDataSource)(nil)

// NewSharedBackupsDataSource is data cbr_shared_backups: the CBR backups other projects shared
// with the provider's project.
func NewSharedBackupsDataSource() datasource.DataSource {
	return &sharedBackupsDataSource{}
}

type sharedBackupsDataSource struct {
	dataSourceClient
}

func (d *sharedBackupsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "cbr_shared_backups"
}

func (d *sharedBackupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := dataSourceComputed
	attrs := sharedListAttributes("backups")
	maps.Copy(attrs, map[string]schema.Attribute{
		"resource_type": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Only backups of this resource type: " + mdValueList(sharedBackupResourceTypes) + " (server or disk backups). Default: both.",
			Validators:          []validator.String{stringvalidator.OneOf(sharedBackupResourceTypes...)},
		},
		"vault_id": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Only backups accepted into this vault (UUID) of the provider's project.",
			Validators:          []validator.String{validators.UUID()},
		},
		"backups": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The shared backups: pending first, then accepted, then rejected, each in the API's order.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":               computed("Backup ID: the `backup_id` of `cbr_backup_share_acceptance`."),
				"name":             computed("Backup name."),
				"owner_project_id": computed("The project that owns and shared the backup."),
				"member_status":    computed("This project's share status: " + mdValueList(shareMemberStatuses) + "."),
				"resource_type":    computed("`OS::Nova::Server` for a server backup, `OS::Cinder::Volume` for a disk backup."),
				"resource_size_gb": schema.Int64Attribute{Computed: true, MarkdownDescription: "Size of the backed-up resource, GB: the vault needs this much free capacity to accept it."},
				"status":           computed("Backup status, e.g. `available`."),
				"vault_id":         computed("The vault of this project that holds the backup once accepted; null before."),
				"created_at":       computed("When the backup was made (RFC 3339, UTC)."),
			}},
		},
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the CBR backups that other projects shared with the provider's project (CBR `ListBackups` " +
			"with `own_type=shared`), with the project's share status, following every page. The usual input of a `for_each` " +
			"that accepts every pending share with `cbr_backup_share_acceptance`." + sharedListNote("backup"),
		Attributes: attrs,
	}
}

func (d *sharedBackupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !d.ready(req, resp) {
		return
	}
	var m sharedBackupsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := cbr.ListSharedBackups(ctx, d.client, cbr.ListBackupsOpts{
		MemberStatus: m.MemberStatus.ValueString(), ResourceType: m.ResourceType.ValueString(), VaultID: m.VaultID.ValueString(),
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Listing Shared Backups", "list the backups shared with project "+d.client.ProjectID(), err)
		return
	}
	m.ID = types.StringValue(d.client.ProjectID())
	m.Backups = make([]sharedBackupModel, 0, len(got))
	for _, b := range got {
		vault := types.StringNull()
		if b.MemberStatus == acceptanceStatusAccepted {
			vault = nullIfEmpty(b.VaultID)
		}
		m.Backups = append(m.Backups, sharedBackupModel{
			ID: nullIfEmpty(b.ID), Name: nullIfEmpty(b.Name), OwnerProjectID: nullIfEmpty(b.ProjectID),
			MemberStatus: nullIfEmpty(b.MemberStatus), ResourceType: nullIfEmpty(b.ResourceType),
			ResourceSizeGB: types.Int64Value(int64(b.ResourceSizeGB)), Status: nullIfEmpty(b.Status),
			VaultID: vault, CreatedAt: nullIfEmpty(b.CreatedAt),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
