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

// shareMemberFieldAttributes describes shareMemberFields, from the same documentation as the
// member details of cbr_backup_share_member.
func shareMemberFieldAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"dest_project_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The receiving project."},
	}
	for _, f := range cbrMemberFields {
		attrs[f.Name] = schema.StringAttribute{Computed: true, MarkdownDescription: f.Description}
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
	if !d.ready(req, resp) {
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
