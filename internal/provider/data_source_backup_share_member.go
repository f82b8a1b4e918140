package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

var _ datasource.DataSourceWithConfigure = (*backupShareMemberDataSource)(nil)

// NewBackupShareMemberDataSource is data cbr_backup_share_member: one member of a CBR v3 backup share.
func NewBackupShareMemberDataSource() datasource.DataSource {
	return &backupShareMemberDataSource{}
}

type backupShareMemberDataSource struct {
	dataSourceClient
}

// dataSourceClient is the API client of a data source and the Configure that sets it; the data
// sources of this package embed it.
type dataSourceClient struct {
	client *client.Client
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// shareMemberFields are the attributes of a CBR share member, shared by both member data sources.
type shareMemberFields struct {
	ID            types.String `tfsdk:"id"`
	DestProjectID types.String `tfsdk:"dest_project_id"`
	Status        types.String `tfsdk:"status"`
	VaultID       types.String `tfsdk:"vault_id"`
	ImageID       types.String `tfsdk:"image_id"`
	CreatedAt     types.String `tfsdk:"created_at"`
	UpdatedAt     types.String `tfsdk:"updated_at"`
}

type backupShareMemberDataSourceModel struct {
	BackupID types.String `tfsdk:"backup_id"`
	MemberID types.String `tfsdk:"member_id"`
	shareMemberFields
}

// shareMemberStatuses are the statuses a CBR share member can have.
var shareMemberStatuses = []string{"pending", acceptanceStatusAccepted, acceptanceStatusRejected}

func newShareMemberFields(m cbr.Member) shareMemberFields {
	return shareMemberFields{
		ID:            nullIfEmpty(m.ID),
		DestProjectID: nullIfEmpty(m.DestProjectID),
		Status:        nullIfEmpty(m.Status),
		VaultID:       nullIfEmpty(m.VaultID),
		ImageID:       nullIfEmpty(m.ImageID),
		CreatedAt:     nullIfEmpty(m.CreatedAt),
		UpdatedAt:     nullIfEmpty(m.UpdatedAt),
	}
}

// shareMemberFieldAttributes describes shareMemberFields; skip leaves out attributes the caller
// declares itself.
func shareMemberFieldAttributes(skip ...string) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"id":              schema.StringAttribute{Computed: true, MarkdownDescription: "ID of the share (member) record; stable for the life of the share."},
		"dest_project_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The receiving project."},
		"status":          schema.StringAttribute{Computed: true, MarkdownDescription: "Share status: one of " + mdValueList(shareMemberStatuses) + "."},
		"vault_id":        schema.StringAttribute{Computed: true, MarkdownDescription: "The receiver's vault that holds the accepted backup; null until accepted."},
		"image_id":        schema.StringAttribute{Computed: true, MarkdownDescription: "ID of the image registered from the accepted backup; null when there is none."},
		"created_at":      schema.StringAttribute{Computed: true, MarkdownDescription: "When the share was created (RFC 3339, UTC)."},
		"updated_at":      schema.StringAttribute{Computed: true, MarkdownDescription: "When the share last changed (RFC 3339, UTC); null when it never changed."},
	}
	for _, s := range skip {
		delete(attrs, s)
	}
	return attrs
}

func (d *backupShareMemberDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_share_member"
}

func (d *backupShareMemberDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := shareMemberFieldAttributes()
	attrs["backup_id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "ID (UUID) of the shared backup.",
		Validators:          []validator.String{validators.UUID()},
	}
	attrs["member_id"] = schema.StringAttribute{
		Optional: true,
		Computed: true,
		MarkdownDescription: "Project ID of the member to read. Default: the provider's project, which suits a receiver " +
			"reading its own share; an owner passes the receiving project.",
		Validators: []validator.String{validators.ProjectID()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one member of a CBR backup share (CBR v3 `GET /v3/{project_id}/backups/{backup_id}/members/{member_id}`): " +
			"either the owner reading a receiving project, or a receiver reading its own share. " +
			"`id` is the share record's ID.",
		Attributes: attrs,
	}
}

func (d *backupShareMemberDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !requireClient(d.client, &resp.Diagnostics) {
		return
	}
	var m backupShareMemberDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	memberID := m.MemberID.ValueString()
	if memberID == "" {
		memberID = d.client.ProjectID()
	}
	backupID := m.BackupID.ValueString()
	got, err := cbr.GetMember(ctx, d.client, backupID, memberID)
	if err != nil {
		doing := fmt.Sprintf("read member %s of backup %s", memberID, backupID)
		if errors.Is(err, client.ErrNotFound) {
			addAPIError(&resp.Diagnostics, "Backup Share Member Not Found", doing+
				": the backup is not shared with that project, or the provider's project can see neither the backup nor the member", err)
			return
		}
		addAPIError(&resp.Diagnostics, "Error Reading Backup Share Member", doing, err)
		return
	}
	m.MemberID = types.StringValue(memberID)
	m.shareMemberFields = newShareMemberFields(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
