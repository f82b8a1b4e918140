package provider

import (
	"context"
	"errors"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/ims"
)

// NewImageShareAcceptanceResource is cbr_image_share_acceptance: the receiver's side of an IMS v2
// image share (the shared logic is in acceptance.go).
func NewImageShareAcceptanceResource() resource.Resource {
	return newAcceptanceResource(imageShareAcceptanceKind())
}

type imageShareAcceptanceModel struct {
	ImageID types.String `tfsdk:"image_id"`
	acceptanceCommon
}

func (m *imageShareAcceptanceModel) common() *acceptanceCommon { return &m.acceptanceCommon }
func (m *imageShareAcceptanceModel) parent() *types.String     { return &m.ImageID }

// fill leaves vault_id alone: an IMS member does not carry it.
func (m *imageShareAcceptanceModel) fill(api ims.Member) {
	m.Status = types.StringValue(api.Status)
	m.CreatedAt, m.UpdatedAt = nullIfEmpty(api.CreatedAt), nullIfEmpty(api.UpdatedAt)
}

// imageVaultHint explains the most likely cause of a refused accept without vault_id: the image is
// a full-ECS image made from a CBR backup, which IMS accepts only into a vault.
func imageVaultHint(err error, status, vaultID string) string {
	var apiErr *client.APIError
	if status != acceptanceStatusAccepted || vaultID != "" || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		return ""
	}
	return "vault_id is required to accept this image: it is probably a full-ECS image created from a CBR backup, " +
		"which is accepted into a CBR server backup vault of the receiving project. Set vault_id and apply again."
}

// NewImageShareAcceptanceListResource lists, for terraform query, the images shared with the
// provider's project as cbr_image_share_acceptance resources to import. IMS does not return the
// vault of an accepted image, so only pending full-ECS images get the list block's vault_id.
func NewImageShareAcceptanceListResource() list.ListResource {
	return &acceptanceListResource{
		typeName: "cbr_image_share_acceptance", parentAttr: "image_id", noun: "image",
		list: func(ctx context.Context, c *client.Client, status string) ([]sharedItem, error) {
			images, err := ims.ListSharedImages(ctx, c, ims.SharedImagesOpts{MemberStatus: status})
			out := make([]sharedItem, 0, len(images))
			for _, im := range images {
				out = append(out, sharedItem{ParentID: im.ID, Name: im.Name, Owner: im.Owner, MemberStatus: im.MemberStatus, NeedsVault: im.WholeImage})
			}
			return out, err
		},
	}
}

func imageShareAcceptanceKind() *acceptanceKind[*imageShareAcceptanceModel, ims.Member] {
	return &acceptanceKind[*imageShareAcceptanceModel, ims.Member]{
		newModel: func() *imageShareAcceptanceModel { return &imageShareAcceptanceModel{} },
		get:      ims.GetMember,
		// Only the owner lists the members of an image without being one of them (a member sees
		// itself, anyone else gets a not-found).
		ownedByCaller: func(ctx context.Context, c *client.Client, imageID string) (bool, error) {
			ms, err := ims.ListMembers(ctx, c, imageID)
			if err != nil {
				return false, err
			}
			for _, m := range ms {
				if m.MemberID == c.ProjectID() {
					return false, nil
				}
			}
			return true, nil
		},
		update:     ims.UpdateMemberStatus,
		updateHint: imageVaultHint,
		typeName:   "cbr_image_share_acceptance",
		noun:       "Image Share",
		parentAttr: "image_id",
		parentDoc:  "ID of the shared image.",
		description: "Accepts (or rejects) an image that another project shared with the provider's project " +
			"(IMS v2 `PUT /v2/images/{image_id}/members/{project_id}`).\n\n" +
			"Create waits, within `timeouts.create`, until the share is visible to this project, so one configuration " +
			"can share an image (`cbr_image_share_member`, owner provider) and accept it (receiver provider) in a single apply. " +
			"**Destroying this resource rejects the share**: the image leaves your image list. A share that the owner already revoked is removed from state " +
			"on refresh, and its destroy succeeds.\n\n" +
			"Import by `image_id`. The API does not return the vault of an accepted image, so `vault_id` is kept as " +
			"configured and is null after an import.",
		rejectDoc: "rejecting hides the image from your image list (the IMS API documents that a rejected image can still be " +
			"used to create servers) and frees the vault of a full-ECS image.",
		vaultDoc: "ID (UUID) of a CBR server backup vault of the receiving project. Required by the API to accept a " +
			"full-ECS image created from a CBR backup (an accept without it fails with an error that says so); not " +
			"needed for other images. The API does not return it: it is kept as configured, and is null after an import.",
	}
}
