package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
)

// fieldsNamed returns the fields with the given names, in the order of fields.
func fieldsNamed(fields []detailField, names ...string) []detailField {
	var out []detailField
	for _, f := range fields {
		if slices.Contains(names, f.Name) {
			out = append(out, f)
		}
	}
	return out
}

// cbrMemberFields are the fields of a CBR v3 share member that the provider exposes, with their
// documentation: the details of cbr_backup_share_member and the attributes of both member data
// sources.
var cbrMemberFields = []detailField{
	{"id", "ID of the share (member) record; stable for the life of the share."},
	{"status", "Share status: `pending` until the receiver acts, then `accepted` or `rejected`."},
	{"vault_id", "The receiver's vault that holds the accepted backup; null until accepted."},
	{"image_id", "ID of the image registered from the accepted backup; null when there is none."},
	{"created_at", "When the backup was shared, RFC 3339 UTC."},
	{"updated_at", "When the share last changed, RFC 3339 UTC; null if never."},
}

// NewBackupShareMemberResource is cbr_backup_share_member: the owner shares a CBR v3 backup with other projects.
func NewBackupShareMemberResource() resource.Resource {
	return newMemberResource(&backupShareMemberKind, func() *backupShareMemberModel { return &backupShareMemberModel{} })
}

// backupShareMemberModel is the state of cbr_backup_share_member.
type backupShareMemberModel struct {
	BackupID types.String `tfsdk:"backup_id"`
	memberCommon
}

func (m *backupShareMemberModel) common() *memberCommon { return &m.memberCommon }
func (m *backupShareMemberModel) parent() *types.String { return &m.BackupID }

var backupShareMemberKind = memberKind{
	TypeName:   "cbr_backup_share_member",
	Noun:       "backup",
	ParentAttr: "backup_id",
	MaxMembers: 10,
	Description: "Shares a CBR backup owned by the provider's project with other projects of the same region " +
		"(CBR v3 backup share members). Each receiving project then accepts the share into one of its vaults " +
		"with `cbr_backup_share_acceptance`, or rejects it.\n\n" +
		"Only the projects in `members` are managed: members that someone else added are left alone, and " +
		"destroying the resource removes only the managed members (which also removes an accepted backup from " +
		"the receiver's vault). A create that finds some members already present (a retried apply) adopts them; " +
		"a create that fails part-way unshares what it shared, so nothing is left that Terraform does not track.\n\n" +
		"`member_details` holds only what the owner's calls set. The status, vault and image of each share change " +
		"when the receiver acts, so they are not attributes of this resource (a receiver's accept would show up as a " +
		"change outside Terraform in the owner's next plan): read them with the `cbr_backup_share_members` data source.\n\n" +
		"Only available, unencrypted cloud server backups can be shared; disk backups need " +
		"`cbr_volume_backup_share_member` in regions where CBR refuses them.",
	ParentDoc: "ID of the backup to share, owned by the provider's project.",
	MembersDoc: " CBR allows at most 10 members per backup, counting members that others added, " +
		"so the API may refuse fewer than 10 here (`BackupService.6701`).",
	// Only what the owner's own calls set: status, vault and image change when the receiver acts,
	// and would show up as changes outside Terraform in the owner's next plan (data source
	// cbr_backup_share_members reads them live).
	Details: fieldsNamed(cbrMemberFields, "id", "created_at"),
	// CBR v3 adds all members in one POST and deletes each by its project ID.
	API: memberFuncs[cbr.Member]{
		List: func(ctx context.Context, c *client.Client, backupID string) ([]cbr.Member, error) {
			return cbr.ListMembers(ctx, c, backupID, cbr.ListOpts{})
		},
		Add: cbr.AddMembers,
		Remove: func(ctx context.Context, c *client.Client, backupID string, m member) error {
			return cbr.DeleteMember(ctx, c, backupID, m.ProjectID)
		},
		Convert: func(m cbr.Member) member {
			return member{ProjectID: m.DestProjectID, Details: map[string]string{
				"id": m.ID, "status": m.Status, "vault_id": m.VaultID, "image_id": m.ImageID,
				"created_at": m.CreatedAt, "updated_at": m.UpdatedAt,
			}}
		},
		Conflict: func(err error) bool { return client.HasCode(err, cbr.CodeAlreadyShared, cbr.CodeAlreadyMember) },
	},
}
