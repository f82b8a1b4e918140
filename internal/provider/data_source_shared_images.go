package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/client/ims"
)

type sharedImagesDataSourceModel struct {
	ID           types.String       `tfsdk:"id"`
	MemberStatus types.String       `tfsdk:"member_status"`
	Images       []sharedImageModel `tfsdk:"images"`
}

type sharedImageModel struct {
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	OwnerProjectID types.String `tfsdk:"owner_project_id"`
	MemberStatus   types.String `tfsdk:"member_status"`
	WholeImage     types.Bool   `tfsdk:"whole_image"`
	BackupID       types.String `tfsdk:"backup_id"`
	Status         types.String `tfsdk:"status"`
	CreatedAt      types.String `tfsdk:"created_at"`
}

var _ datasource.DataSourceWithConfigure = (*sharedImagesDataSource)(nil)

// NewSharedImagesDataSource is data cbr_shared_images: the IMS images other projects shared with
// the provider's project.
func NewSharedImagesDataSource() datasource.DataSource {
	return &sharedImagesDataSource{}
}

type sharedImagesDataSource struct {
	dataSourceClient
}

func (d *sharedImagesDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "cbr_shared_images"
}

func (d *sharedImagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := dataSourceComputed
	attrs := sharedListAttributes("images")
	attrs["images"] = schema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: "The shared images: pending first, then accepted, then rejected, each in the API's order.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id":               computed("Image ID: the `image_id` of `cbr_image_share_acceptance`."),
			"name":             computed("Image name."),
			"owner_project_id": computed("The project that owns and shared the image."),
			"member_status":    computed("This project's share status: " + mdValueList(shareMemberStatuses) + "."),
			"whole_image": schema.BoolAttribute{Computed: true, MarkdownDescription: "A full-ECS image: accepting it " +
				"needs a `vault_id` when it was made from a CBR backup."},
			"backup_id":  computed("The CBR backup the image was made from; null when there is none."),
			"status":     computed("Image status, e.g. `active`."),
			"created_at": computed("When the image was made (RFC 3339, UTC)."),
		}},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the images that other projects shared with the provider's project (IMS `ListImages`, " +
			"`GET /v2/cloudimages?visibility=shared&member_status=...&__imagetype=shared`), with the project's share status, " +
			"following every page. The usual input of a `for_each` that accepts every pending image with " +
			"`cbr_image_share_acceptance`; `whole_image` tells which ones need a `vault_id`." + sharedListNote("image"),
		Attributes: attrs,
	}
}

func (d *sharedImagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !d.ready(req, resp) {
		return
	}
	var m sharedImagesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := ims.ListSharedImages(ctx, d.client, ims.SharedImagesOpts{MemberStatus: m.MemberStatus.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Listing Shared Images", "list the images shared with project "+d.client.ProjectID(), err)
		return
	}
	m.ID = types.StringValue(d.client.ProjectID())
	m.Images = make([]sharedImageModel, 0, len(got))
	for _, im := range got {
		m.Images = append(m.Images, sharedImageModel{
			ID: nullIfEmpty(im.ID), Name: nullIfEmpty(im.Name), OwnerProjectID: nullIfEmpty(im.Owner),
			MemberStatus: nullIfEmpty(im.MemberStatus), WholeImage: types.BoolValue(im.WholeImage),
			BackupID: nullIfEmpty(im.BackupID), Status: nullIfEmpty(im.Status), CreatedAt: nullIfEmpty(im.CreatedAt),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
