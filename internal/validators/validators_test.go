package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestValidators(t *testing.T) {
	cases := []struct {
		name    string
		v       validator.String
		value   types.String
		wantErr string
	}{
		{"project ok", ProjectID(), types.StringValue("075e6035d300d48c2fd0c00b78b71ebf"), ""},
		{"project upper case", ProjectID(), types.StringValue("075E6035D300D48C2FD0C00B78B71EBF"), "32 lower-case hexadecimal"},
		{"project too short", ProjectID(), types.StringValue("075e6035"), "not a valid project ID"},
		{"project uuid", ProjectID(), types.StringValue("0b07081e-3ec7-4e77-8571-54e2947da422"), "not a valid project ID"},
		{"project null", ProjectID(), types.StringNull(), ""},
		{"project unknown", ProjectID(), types.StringUnknown(), ""},
		{"uuid ok", UUID(), types.StringValue("0b07081e-3ec7-4e77-8571-54e2947da422"), ""},
		{"uuid no dashes", UUID(), types.StringValue("0b07081e3ec74e77857154e2947da422"), "not a valid UUID"},
		{"uuid empty", UUID(), types.StringValue(""), "not a valid UUID"},
		{"uuid null", UUID(), types.StringNull(), ""},
	}
	setElement := path.Root("members").AtSetValue(types.StringValue("075E6035D300D48C2FD0C00B78B71EBF"))
	var resp validator.StringResponse
	ProjectID().ValidateString(context.Background(), validator.StringRequest{Path: setElement, ConfigValue: types.StringValue("075E6035D300D48C2FD0C00B78B71EBF")}, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "value you set for members.") {
		t.Fatalf("a set element's error should name the attribute members plainly, got %v", resp.Diagnostics)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := validator.StringRequest{Path: path.Root("backup_id"), ConfigValue: tc.value}
			var resp validator.StringResponse
			tc.v.ValidateString(context.Background(), req, &resp)
			if tc.wantErr == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %v", resp.Diagnostics)
				}
				return
			}
			if !resp.Diagnostics.HasError() {
				t.Fatalf("expected an error containing %q", tc.wantErr)
			}
			detail := resp.Diagnostics.Errors()[0].Detail()
			if !strings.Contains(detail, tc.wantErr) || !strings.Contains(detail, "backup_id") {
				t.Fatalf("detail %q should contain %q and name the attribute", detail, tc.wantErr)
			}
		})
	}
}
