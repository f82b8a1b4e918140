// Package validators holds the plan-time string validators shared by the provider's resources and
// data sources. Each one names what is wrong and what a valid value looks like.
package validators

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	// Huawei Cloud project IDs are 32 lower-case hexadecimal characters.
	projectIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
	// Backup, vault and image IDs are UUIDs in canonical lower-case form.
	uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// IsProjectID reports whether s has the shape of a Huawei Cloud project ID.
func IsProjectID(s string) bool { return projectIDPattern.MatchString(s) }

// IsUUID reports whether s is a canonical lower-case UUID.
func IsUUID(s string) bool { return uuidPattern.MatchString(s) }

// ProjectID validates a Huawei Cloud project ID.
func ProjectID() validator.String {
	return patternValidator{
		match:   IsProjectID,
		kind:    "project ID",
		title:   "Project ID",
		example: "075e6035d300d48c2fd0c00b78b71ebf",
		shape:   "32 lower-case hexadecimal characters",
	}
}

// UUID validates a backup, vault or image ID.
func UUID() validator.String {
	return patternValidator{
		match:   IsUUID,
		kind:    "UUID",
		title:   "UUID",
		example: "0b07081e-3ec7-4e77-8571-54e2947da422",
		shape:   "a lower-case UUID (8-4-4-4-12 hexadecimal digits)",
	}
}

type patternValidator struct {
	match   func(string) bool
	kind    string // in a sentence
	title   string // in a diagnostic summary
	example string
	shape   string
}

func (v patternValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a %s: %s", v.kind, v.shape)
}

func (v patternValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v patternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if v.match(value) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.title,
		fmt.Sprintf("%q is not a valid %s: it must be %s, for example %q. Check the value you set for %s.",
			value, v.kind, v.shape, v.example, attributeName(req.Path)))
}

// attributeName renders the attribute a value belongs to as a user wrote it: "members" rather than
// the framework's path notation for a set element (members[Value("...")]).
func attributeName(p path.Path) string {
	var names []string
	for _, step := range p.Steps() {
		if name, ok := step.(path.PathStepAttributeName); ok {
			names = append(names, string(name))
		}
	}
	if len(names) == 0 {
		return p.String()
	}
	return strings.Join(names, ".")
}
