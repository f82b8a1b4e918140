package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/cbr"
)

type backupShareAcceptanceModel struct {
	BackupID      types.String `tfsdk:"backup_id"`
	DestProjectID types.String `tfsdk:"dest_project_id"`
	ShareID       types.String `tfsdk:"share_id"`
	ImageID       types.String `tfsdk:"image_id"`
	acceptanceCommon
}

// fill copies a CBR member; its vault_id is null unless the share is accepted.
func (m *backupShareAcceptanceModel) fill(api cbr.Member) {
	m.DestProjectID, m.ShareID, m.ImageID = nullIfEmpty(api.DestProjectID), nullIfEmpty(api.ID), nullIfEmpty(api.ImageID)
	m.Status, m.VaultID = types.StringValue(api.Status), nullIfEmpty(api.VaultID)
	m.CreatedAt, m.UpdatedAt = nullIfEmpty(api.CreatedAt), nullIfEmpty(api.UpdatedAt)
}

func (m *backupShareAcceptanceModel) common() *acceptanceCommon { return &m.acceptanceCommon }
func (m *backupShareAcceptanceModel) parent() *types.String     { return &m.BackupID }

// NewBackupShareAcceptanceResource is cbr_backup_share_acceptance: the receiver's side of a CBR v3
// backup share (the shared logic is in acceptance.go).
func NewBackupShareAcceptanceResource() resource.Resource {
	return newAcceptanceResource(backupShareAcceptanceKind())
}

// NewBackupShareAcceptanceListResource lists, for terraform query, the backups shared with the
// provider's project as cbr_backup_share_acceptance resources to import.
func NewBackupShareAcceptanceListResource() list.ListResource {
	return &acceptanceListResource{
		typeName: "cbr_backup_share_acceptance", parentAttr: "backup_id", noun: "backup",
		list: func(ctx context.Context, c *client.Client, status string) ([]sharedItem, error) {
			bs, err := cbr.ListSharedBackups(ctx, c, cbr.ListBackupsOpts{MemberStatus: status})
			out := make([]sharedItem, 0, len(bs))
			for _, b := range bs {
				it := sharedItem{ParentID: b.ID, Name: b.Name, Owner: b.ProjectID, MemberStatus: b.MemberStatus, NeedsVault: true}
				if b.MemberStatus == acceptanceStatusAccepted {
					it.VaultID = b.VaultID // the receiver's vault once accepted (ShowBackup, ListBackups)
				}
				out = append(out, it)
			}
			return out, err
		},
	}
}

func backupShareAcceptanceKind() *acceptanceKind[*backupShareAcceptanceModel, cbr.Member] {
	return &acceptanceKind[*backupShareAcceptanceModel, cbr.Member]{
		typeName:   "cbr_backup_share_acceptance",
		noun:       "Backup Share",
		parentAttr: "backup_id",
		parentDoc:  "ID of the shared backup.",
		description: "Accepts (or rejects) a CBR backup that another project shared with the provider's project " +
			"(CBR v3 `PUT /v3/{project_id}/backups/{backup_id}/members/{project_id}`).\n\n" +
			"Create waits, within `timeouts.create`, until the share is visible to this project, so one configuration " +
			"can share a backup (`cbr_backup_share_member`, owner provider) and accept it (receiver provider) in a single apply. " +
			"**Destroying this resource rejects the share and removes the backup from your vault.** " +
			"A share that the owner already revoked is removed from state on refresh, and its destroy succeeds.\n\n" +
			"Import by `backup_id`; `status` and `vault_id` are read from the share.",
		attributes: map[string]schema.Attribute{
			"dest_project_id": acceptanceComputed("The receiving project as the share records it (the same as `member_id`).", true),
			"share_id":        acceptanceComputed("ID of the share (member) record.", true),
			"image_id":        acceptanceComputed("ID of the image registered from the accepted backup, when there is one.", false),
		},
		rejectDoc: "rejecting an accepted share removes the backup from the vault.",
		vaultDoc: "ID (UUID) of the receiving project's vault that stores the accepted backup. Required when `status` is " +
			"`accepted`; its type must match the backup's (a server backup vault for a server backup) and it needs free " +
			"capacity for the backup.",
		vaultRequiredWhenAccepted: true,
		newModel:                  func() *backupShareAcceptanceModel { return &backupShareAcceptanceModel{} },
		get:                       cbr.GetMember,
		ownedByCaller: func(ctx context.Context, c *client.Client, backupID string) (bool, error) {
			owner, err := cbr.GetBackupProject(ctx, c, backupID)
			return owner == c.ProjectID(), err
		},
		update: cbr.UpdateMemberStatus,
	}
}
