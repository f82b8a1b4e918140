package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
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

// withArticle puts "a" or "an" before a noun: "an image", "a backup".
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
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
		if apiErr.Code != "" && apiErr.Code != strconv.Itoa(apiErr.StatusCode) {
			fmt.Fprintf(&b, " with error code %s", apiErr.Code)
		}
		b.WriteString(sentence(apiErr.Message, ": "))
		for _, hint := range []string{credentialHint(apiErr), endpointHint(apiErr), hintForCode(apiErr.Code)} {
			if hint != "" {
				b.WriteString("\n\n" + hint)
			}
		}
		if apiErr.RequestID != "" {
			fmt.Fprintf(&b, "\n\nRequest ID: %s", apiErr.RequestID)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "\n\n%s", err.Error())
	return b.String()
}

// sentence renders an API message after prefix as one sentence: a message that ends in a full stop
// (most do) gets no second one.
func sentence(msg, prefix string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return "."
	}
	if strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "!") || strings.HasSuffix(msg, "?") || strings.HasSuffix(msg, "…(truncated)") {
		return prefix + msg
	}
	return prefix + msg + "."
}

// credentialHint says which arguments and variables to check when the API refused the credentials,
// for the credential kind in use only.
func credentialHint(e *client.APIError) string {
	if len(e.Credentials) == 0 {
		return ""
	}
	names := make([]string, len(e.Credentials))
	for i, a := range e.Credentials {
		names[i] = fmt.Sprintf("%s (%s)", a, envVars[a])
	}
	list := strings.Join(names[:len(names)-1], ", ")
	if list != "" {
		list += " and "
	}
	list += names[len(names)-1]
	hint := "The credentials were refused. Check " + list + "."
	switch e.Credentials[0] {
	case "token":
		hint += " A token is valid for 24 hours and the provider cannot renew it: get a new token, or use an access key pair."
	case "user_name":
		hint += " Also check that auth_url (HW_AUTH_URL) or endpoints.iam points at the IAM of the same cloud."
	default:
		if len(e.Credentials) == 3 {
			hint += " Temporary access keys expire together with their security token: get a new set."
		} else {
			hint += " The secret key must belong to the access key, and this machine's clock must be right: signatures more than 15 minutes off are refused."
		}
	}
	return hint
}

// endpointArgs names the provider arguments that select each service's URL.
var endpointArgs = map[client.Service]string{
	client.ServiceCBR: "endpoints.cbr",
	client.ServiceVBS: "endpoints.vbs",
	client.ServiceIMS: "endpoints.ims",
	client.ServiceIAM: "auth_url (HW_AUTH_URL) or endpoints.iam",
}

// endpointHint explains an answer that did not come from the service itself: a 404 that is not the
// service's own "does not exist" (an unknown API at the gateway, a proxy's page, a wrong host), or
// a body in no service's error format. It names the URL that answered and what to check.
func endpointHint(e *client.APIError) string {
	// A 404 that is not the service's "does not exist", or any answer that is neither the service's
	// nor the gateway's; refused credentials have their own hint.
	if e.NotFound() || len(e.Credentials) > 0 ||
		(e.StatusCode != http.StatusNotFound && (e.ServiceAnswer() || e.Gateway())) {
		return ""
	}
	arg := endpointArgs[e.Service]
	if arg == "" {
		arg = "endpoints"
	}
	what := "an answer in the API's own error format, but not one that says the object does not exist"
	switch {
	case e.Gateway():
		what = "the API gateway's: it does not know this API"
	case !e.ServiceAnswer():
		what = "not in the API's error format, so it probably came from a proxy or another server"
	}
	return fmt.Sprintf("%s %s answered; this answer is %s. The provider does not treat it as \"gone\". "+
		"Check %s: it must be the service's base URL, scheme://host[:port], without an API version path.", e.Method, e.URL, what, arg)
}

// hintForCode says what to do about the sharing errors users meet most (codes from the CBR and
// IMS published error code tables).
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

// dataSourceComputed is a computed string attribute of a data source.
func dataSourceComputed(doc string) dsschema.StringAttribute {
	return dsschema.StringAttribute{Computed: true, MarkdownDescription: doc}
}

// dataSourceClient is the API client of a data source and the Configure that sets it; every data
// source of this package embeds it.
type dataSourceClient struct {
	client *client.Client
}

// ready reports whether the data source can read. While the provider's configuration is not
// known (it depends on a resource not yet created), a data source cannot be read during plan: it is
// deferred when Terraform supports deferral, else the error says what to change.
func (d *dataSourceClient) ready(req datasource.ReadRequest, resp *datasource.ReadResponse) bool {
	if d.client != nil {
		return true
	}
	if req.ClientCapabilities.DeferralAllowed {
		resp.Deferred = &datasource.Deferred{Reason: datasource.DeferredReasonProviderConfigUnknown}
		return false
	}
	resp.Diagnostics.AddError("Provider Configuration Not Known Yet",
		"The cbr provider's configuration depends on values that are known only after apply (for example an attribute "+
			"of a resource that is not created yet), and Terraform reads data sources while it plans. Give the provider "+
			"arguments values that are known at plan time (literals, variables, or other data sources), or create what they "+
			"depend on first with terraform apply -target=<that resource>.")
	return false
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}
