package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

// memberSchemaVersion is the schema version of the member resources.
const memberSchemaVersion = 0

func (r *memberResource[M]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.kind
	detailAttrs := make(map[string]schema.Attribute, len(k.Details))
	for _, f := range k.Details {
		detailAttrs[f.Name] = schema.StringAttribute{Computed: true, MarkdownDescription: f.Description}
	}
	resp.Schema = schema.Schema{
		Version:             memberSchemaVersion,
		MarkdownDescription: k.Description,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: fmt.Sprintf("The `%s`; also the import ID.", k.ParentAttr),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			k.ParentAttr: schema.StringAttribute{
				Required:            true,
				MarkdownDescription: k.ParentDoc + " A lower-case UUID. Changing it replaces the resource.",
				Validators:          []validator.String{validators.UUID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"members": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: fmt.Sprintf("Project IDs (32 lower-case hexadecimal characters) to share the %s with: "+
					"1 to %d projects, not the provider's own project. Changes are applied in place: added projects are "+
					"shared with, removed ones unshared. Only these projects are managed: members that others added are "+
					"never changed and never shown as drift. Being a set, a project listed twice counts once.%s",
					k.Noun, k.MaxMembers, k.MembersDoc),
				Validators: []validator.Set{
					memberCountValidator{max: k.MaxMembers, noun: k.Noun},
					setvalidator.ValueStringsAre(validators.ProjectID()),
				},
			},
			"member_details": schema.MapNestedAttribute{
				Computed: true,
				MarkdownDescription: fmt.Sprintf("What the API reports about each managed member, keyed by project ID. "+
					"A member that was removed outside Terraform is missing here and in `members` until the next apply "+
					"shares the %s with it again.", k.Noun),
				NestedObject: schema.NestedAttributeObject{Attributes: detailAttrs},
			},
		},
	}
}

// memberCommon is the part of every member resource's model that the shared code reads and
// writes; each type's model (in its resource_*.go file) embeds it next to its parent attribute.
type memberCommon struct {
	ID            types.String `tfsdk:"id"`
	Members       types.Set    `tfsdk:"members"`
	MemberDetails types.Map    `tfsdk:"member_details"`
}

// memberModel is what the shared code needs of a type's model.
type memberModel interface {
	common() *memberCommon
	// parent is backup_id or image_id.
	parent() *types.String
}

func (k *memberKind) detailType() types.ObjectType {
	t := map[string]attr.Type{}
	for _, f := range k.Details {
		t[f.Name] = types.StringType
	}
	return types.ObjectType{AttrTypes: t}
}

// fill sets m to the given managed projects, with details from records.
func (k *memberKind) fill(ctx context.Context, m memberModel, parentID string, managed []string, records map[string]member, diags *diag.Diagnostics) {
	managed = slices.Sorted(slices.Values(managed))
	objType := k.detailType()
	details := map[string]attr.Value{}
	for _, p := range managed {
		rec, ok := records[p]
		if !ok {
			continue
		}
		vals := map[string]attr.Value{}
		for _, f := range k.Details {
			if v := rec.Details[f.Name]; v != "" {
				vals[f.Name] = types.StringValue(v)
			} else {
				vals[f.Name] = types.StringNull()
			}
		}
		obj, d := types.ObjectValue(objType.AttrTypes, vals)
		diags.Append(d...)
		details[p] = obj
	}
	members, d := types.SetValueFrom(ctx, types.StringType, managed)
	diags.Append(d...)
	detailMap, d := types.MapValue(objType, details)
	diags.Append(d...)
	*m.parent() = types.StringValue(parentID)
	c := m.common()
	c.ID, c.Members, c.MemberDetails = types.StringValue(parentID), members, detailMap
}

// memberMap returns the managed members of m with the details recorded in state (VBS needs the
// share ID to cancel a share).
func (k *memberKind) memberMap(m memberModel) map[string]member {
	c := m.common()
	out := map[string]member{}
	for _, p := range setStrings(c.Members) {
		out[p] = member{ProjectID: p, Details: map[string]string{}}
	}
	if c.MemberDetails.IsNull() || c.MemberDetails.IsUnknown() {
		return out
	}
	for p, v := range c.MemberDetails.Elements() {
		rec, ok := out[p]
		obj, isObj := v.(types.Object)
		if !ok || !isObj {
			continue
		}
		attrs := obj.Attributes()
		for _, f := range k.Details {
			if s, ok := attrs[f.Name].(types.String); ok && !s.IsNull() && !s.IsUnknown() {
				rec.Details[f.Name] = s.ValueString()
			}
		}
	}
	return out
}

// memberCountValidator checks that members holds 1 to max projects. An unknown set is left to
// apply time; of a partly unknown set only the known elements count toward the maximum.
type memberCountValidator struct {
	max  int
	noun string
}

func (v memberCountValidator) Description(context.Context) string {
	return fmt.Sprintf("must hold 1 to %d project IDs", v.max)
}

func (v memberCountValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v memberCountValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n, known := len(req.ConfigValue.Elements()), 0
	for _, e := range req.ConfigValue.Elements() {
		if !e.IsUnknown() {
			known++
		}
	}
	switch {
	case n == 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Too Few Members",
			fmt.Sprintf("%s is empty. List at least one project ID to share the %s with, or remove the resource to stop sharing.", req.Path, v.noun))
	case known > v.max: // unknown elements may still turn out equal to others
		resp.Diagnostics.AddAttributeError(req.Path, "Too Many Members",
			fmt.Sprintf("%s lists %d projects, but %s can be shared with at most %d. Remove %d of them.", req.Path, known, withArticle(v.noun), v.max, known-v.max))
	}
}
