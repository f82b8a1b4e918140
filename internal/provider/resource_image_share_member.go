package provider

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/client/ims"
)

// imageMaxMembers is IMS's limit for system and data-disk images; full-ECS images allow only 10,
// which the API enforces (the image type is not known at plan time).
const imageMaxMembers = 256

// NewImageShareMemberResource is cbr_image_share_member: the owner shares an IMS image with other projects.
func NewImageShareMemberResource() resource.Resource {
	return newMemberResource(&imageShareMemberKind, func() *imageShareMemberModel { return &imageShareMemberModel{} })
}

// imageShareMemberModel is the state of cbr_image_share_member.
type imageShareMemberModel struct {
	ImageID types.String `tfsdk:"image_id"`
	memberCommon
}

func (m *imageShareMemberModel) common() *memberCommon { return &m.memberCommon }
func (m *imageShareMemberModel) parent() *types.String { return &m.ImageID }

var imageShareMemberKind = memberKind{
	TypeName:   "cbr_image_share_member",
	Noun:       "image",
	ParentAttr: "image_id",
	MaxMembers: imageMaxMembers,
	Description: "Shares an IMS image owned by the provider's project with other projects of the same region " +
		"(IMS v2 image members), one API call per member. Receivers accept with `cbr_image_share_acceptance`; " +
		"a full-ECS image made from a CBR backup needs the receiver's `vault_id` to be accepted.\n\n" +
		"Only the projects in `members` are managed: members that someone else added are left alone, and " +
		"destroying the resource removes only the managed members. A create that finds some members already " +
		"present (a retried apply) adopts them. IMS takes one member per call: a create that fails part-way (an " +
		"unknown project, the 10-member limit of full-ECS images) unshares the members it added before the failure, " +
		"and an update records exactly the members that were added.\n\n" +
		"Each member's status changes when its receiver acts, so it is not an attribute of this resource (it would " +
		"show up as a change outside Terraform in the owner's next plan); `member_details` holds only when each " +
		"project was shared.",
	ParentDoc: "ID of the image to share, owned by the provider's project.",
	MembersDoc: " The plan accepts up to 256 projects, the limit for system and data-disk images; " +
		"full-ECS images can be shared with at most 10 projects, which the API enforces at apply time.",
	// Only what the owner's call sets: status and updated_at change when the receiver acts.
	Details: []detailField{
		{"created_at", "When the image was shared, RFC 3339 UTC."},
	},
	// IMS v2 takes one member per POST or DELETE, and answers an existing member with 409.
	API: memberFuncs[ims.Member]{
		List: ims.ListMembers,
		Add:  oneByOne(ims.AddMember),
		Remove: func(ctx context.Context, c *client.Client, imageID string, m member) error {
			return ims.DeleteMember(ctx, c, imageID, m.ProjectID)
		},
		Convert: func(m ims.Member) member {
			return member{ProjectID: m.MemberID, Details: map[string]string{
				"status": m.Status, "created_at": m.CreatedAt, "updated_at": m.UpdatedAt,
			}}
		},
		Conflict: statusIn(http.StatusConflict),
	},
}
