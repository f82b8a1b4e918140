package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

// clientFromProviderData is the Configure step shared by every resource and data source. It returns
// nil without an error while the provider is not configured yet (unknown provider arguments during
// plan); callers that need the API then use requireClient.
func clientFromProviderData(data any, diags *diag.Diagnostics) *client.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*client.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *client.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return c
}

// requireClient reports an error when an operation that calls the API runs on an unconfigured provider.
func requireClient(c *client.Client, diags *diag.Diagnostics) bool {
	if c != nil {
		return true
	}
	diags.AddError("Provider Not Configured",
		"The cbr provider has no API client: its configuration was not known when this operation ran. "+
			"Make sure every provider argument is known at apply time.")
	return false
}

// addAPIError adds an error diagnostic for a failed API call. The detail says what the provider was
// doing, and the API's HTTP status, error code, message and request ID, so that a user can act on
// it or quote it to support.
func addAPIError(diags *diag.Diagnostics, summary, doing string, err error) {
	diags.AddError(summary, apiErrorDetail(doing, err))
}

func apiErrorDetail(doing string, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Could not %s.", doing)
	var retryErr *client.RetryError
	if errors.As(err, &retryErr) {
		fmt.Fprintf(&b, " The provider tried %d times (max_retries) and gave up.", retryErr.Attempts)
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Fprintf(&b, "\n\nThe API answered HTTP %d", apiErr.StatusCode)
		if apiErr.Code != "" {
			fmt.Fprintf(&b, " with error code %s", apiErr.Code)
		}
		if apiErr.Message != "" {
			fmt.Fprintf(&b, ": %s", apiErr.Message)
		}
		b.WriteString(".")
		if hint := hintForCode(apiErr.Code); hint != "" {
			b.WriteString("\n\n" + hint)
		}
		if apiErr.RequestID != "" {
			fmt.Fprintf(&b, "\n\nRequest ID: %s", apiErr.RequestID)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "\n\n%s", err.Error())
	return b.String()
}

// hintForCode says what to do about the sharing errors users meet most (REFERENCE A.1.7, A.3).
func hintForCode(code string) string {
	switch code {
	case "BackupService.6700":
		return "Only cloud server backups can be shared with CBR in this region; share a server backup, or use cbr_volume_backup_share_member for a disk backup."
	case "BackupService.6701":
		return "A backup can be shared with at most 10 projects; remove members elsewhere first."
	case "BackupService.6702":
		return "Only backups in the available status can be shared; wait until the backup is available."
	case "BackupService.6704":
		return "Check the project IDs in members: each must be an existing project in this region, other than your own."
	case "BackupService.6709":
		return "Backups of servers with encrypted disks cannot be shared."
	case "BackupService.6713":
		return "The vault's resource type must match the backup's: accept a server backup into a server backup vault."
	case "BackupService.6114", "BackupService.6129", "BackupService.6142", "IMG.0182":
		return "The destination vault does not have enough free capacity for the backup; expand the vault or choose another one."
	case "BackupService.6105", "IMG.0184":
		return "The vault does not exist in the receiving project; check vault_id."
	case "IMG.0193":
		return "vault_id must be a CBR server backup vault of the receiving project."
	}
	return ""
}

// dataSourceClient is the API client of a data source and the Configure that sets it; every data
// source of this package embeds it.
type dataSourceClient struct {
	client *client.Client
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// importByParentID is the import of every resource of this provider: the ID is the parent's (a
// backup or an image), which is also the resource's id; Read fills in the rest.
func importByParentID(ctx context.Context, typeName, parentAttr string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if !validators.IsUUID(id) {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not a valid %s. Import %s by its %s, a lower-case UUID such as "+
				"\"0b07081e-3ec7-4e77-8571-54e2947da422\".", req.ID, parentAttr, typeName, parentAttr))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(parentAttr), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
