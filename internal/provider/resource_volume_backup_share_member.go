package provider

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/vbs"
)

// NewVolumeBackupShareMemberResource is cbr_volume_backup_share_member: the owner shares an EVS disk backup through VBS v2.
func NewVolumeBackupShareMemberResource() resource.Resource {
	return newMemberResource(&volumeBackupShareMemberKind, func() *volumeBackupShareMemberModel { return &volumeBackupShareMemberModel{} })
}

// volumeBackupShareMemberModel is the state of cbr_volume_backup_share_member.
type volumeBackupShareMemberModel struct {
	BackupID types.String `tfsdk:"backup_id"`
	memberCommon
}

func (m *volumeBackupShareMemberModel) common() *memberCommon { return &m.memberCommon }
func (m *volumeBackupShareMemberModel) parent() *types.String { return &m.BackupID }

var volumeBackupShareMemberKind = memberKind{
	TypeName:   "cbr_volume_backup_share_member",
	Noun:       "volume backup",
	ParentAttr: "backup_id",
	MaxMembers: 10,
	Description: "Shares an EVS disk backup owned by the provider's project with other projects through the " +
		"VBS v2 `os-vendor-backup-sharing` API. VBS sharing takes effect at once: receivers have no accept step.\n\n" +
		"Only the projects in `members` are managed. Each managed share is cancelled by its own share ID; the " +
		"provider never uses the cancel-all call (`is_backup_id=true`), so shares that others made survive. " +
		"A create that finds some shares already present (a retried apply) adopts them.\n\n" +
		"VBS lists shares with a filter, so a deleted backup is not reported as missing: its shares just " +
		"disappear, and the next plan proposes to share it again (which then fails with the API's error).",
	ParentDoc: "ID of the EVS disk backup to share, owned by the provider's project.",
	// No times: the create answer of VBS has none (null), so they would change on the next refresh;
	// data source cbr_volume_backup_shares reads them.
	Details: []detailField{
		{"id", "Share ID; the provider cancels the share by this ID."},
		{"from_project_id", "The sharing (owner) project."},
	},
	// VBS v2 makes all shares in one POST and cancels each by its share ID. It answers a share that
	// exists already with a 400 (or 409) without a documented code; the reconciler adopts only
	// projects that the list then really shows.
	API: memberFuncs[vbs.Share]{
		List: func(ctx context.Context, c *client.Client, backupID string) ([]vbs.Share, error) {
			return vbs.ListShares(ctx, c, vbs.ListOpts{BackupID: backupID})
		},
		Add:    vbs.CreateShares,
		Remove: cancelVolumeBackupShare,
		Convert: func(s vbs.Share) member {
			return member{ProjectID: s.ToProjectID, Details: map[string]string{
				"id": s.ID, "from_project_id": s.FromProjectID, "created_at": s.CreatedAt, "updated_at": s.UpdatedAt,
			}}
		},
		Conflict: statusIn(http.StatusBadRequest, http.StatusConflict),
	},
}

// cancelVolumeBackupShare cancels one share by its ID, never with the mass cancel
// (is_backup_id=true). A state without the ID (not expected) looks the share up first.
func cancelVolumeBackupShare(ctx context.Context, c *client.Client, backupID string, m member) error {
	id := m.Details["id"]
	if id == "" {
		ss, err := vbs.ListShares(ctx, c, vbs.ListOpts{BackupID: backupID, ToProjectID: m.ProjectID})
		if err != nil {
			return err
		}
		for _, s := range ss {
			if s.ToProjectID == m.ProjectID && s.BackupID == backupID {
				id = s.ID
			}
		}
		if id == "" {
			return nil // no such share: the goal is met
		}
	}
	return vbs.CancelShare(ctx, c, id)
}
