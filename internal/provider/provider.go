// Package provider implements the cbr Terraform provider: backup sharing on Huawei Cloud.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
	"github.com/backupshare/terraform-provider-cbr/internal/validators"
)

// defaultMaxRetries is how often a throttled (429), failing (5xx) or dropped request is retried
// when neither max_retries nor HW_MAX_RETRIES is set.
const defaultMaxRetries = 5

// maxMaxRetries bounds max_retries: more would keep a failing plan busy for hours.
const maxMaxRetries = 100

var _ provider.ProviderWithListResources = (*cbrProvider)(nil)

// New returns a constructor of the provider; version is the release version or "dev".
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &cbrProvider{version: version} }
}

type cbrProvider struct {
	version string
}

type providerModel struct {
	Region        types.String `tfsdk:"region"`
	ProjectID     types.String `tfsdk:"project_id"`
	AccessKey     types.String `tfsdk:"access_key"`
	SecretKey     types.String `tfsdk:"secret_key"`
	SecurityToken types.String `tfsdk:"security_token"`
	UserName      types.String `tfsdk:"user_name"`
	Password      types.String `tfsdk:"password"`
	DomainName    types.String `tfsdk:"domain_name"`
	Token         types.String `tfsdk:"token"`
	AuthURL       types.String `tfsdk:"auth_url"`
	Endpoints     types.Object `tfsdk:"endpoints"`
	Insecure      types.Bool   `tfsdk:"insecure"`
	MaxRetries    types.Number `tfsdk:"max_retries"`
}

type endpointsModel struct {
	CBR types.String `tfsdk:"cbr"`
	VBS types.String `tfsdk:"vbs"`
	IMS types.String `tfsdk:"ims"`
	IAM types.String `tfsdk:"iam"`
}

// envVars maps each provider argument to the environment variable it falls back to.
var envVars = map[string]string{
	"region":         "HW_REGION_NAME",
	"project_id":     "HW_PROJECT_ID",
	"access_key":     "HW_ACCESS_KEY",
	"secret_key":     "HW_SECRET_KEY",
	"security_token": "HW_SECURITY_TOKEN",
	"user_name":      "HW_USER_NAME",
	"password":       "HW_PASSWORD",
	"domain_name":    "HW_DOMAIN_NAME",
	"token":          "HW_AUTH_TOKEN",
	"auth_url":       "HW_AUTH_URL",
	"insecure":       "HW_INSECURE",
	"max_retries":    "HW_MAX_RETRIES",
}

func (p *cbrProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cbr"
	resp.Version = p.version
}

func envDoc(attr, text string) string {
	return fmt.Sprintf("%s Falls back to the `%s` environment variable.", text, envVars[attr])
}

func (p *cbrProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	endpointDoc := func(service, path string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Base URL of the %s API, `scheme://host[:port]` without an API version "+
				"(the provider appends `%s`). Default: `https://%s.{region}.myhuaweicloud.com`.", strings.ToUpper(service), path, service),
			Validators: []validator.String{urlValidator{what: "a service base URL without an API version path",
				check: func(v string) error { return client.CheckEndpoint("endpoints."+service, v) }}},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages backup sharing on Huawei Cloud: an owner project shares a CBR or VBS backup, or a " +
			"full-ECS image, with other projects, and each receiving project accepts it into one of its vaults or rejects it.\n\n" +
			"Configure exactly one kind of credentials: an access key pair (`access_key` + `secret_key`, with `security_token` " +
			"for temporary credentials), an IAM user (`user_name` + `password` + `domain_name`), or a ready `token`.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: envDoc("region", "Region of the projects and services, for example `cn-north-4`. Required (here or in the environment)."),
			},
			"project_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: envDoc("project_id", "Project that the provider acts as (32 lower-case hexadecimal characters). "+
					"When absent it is taken from the token's project scope, or looked up through IAM by the region's name."),
				Validators: []validator.String{validators.ProjectID()},
			},
			"access_key": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: envDoc("access_key", "Access key ID (AK) for `SDK-HMAC-SHA256` request signing. Needs `secret_key`."),
			},
			"secret_key": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: envDoc("secret_key", "Secret access key (SK) that belongs to `access_key`."),
			},
			"security_token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: envDoc("security_token", "Security token of temporary access keys; sent as `X-Security-Token`."),
			},
			"user_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: envDoc("user_name", "IAM user name for password authentication. Needs `password` and `domain_name`."),
			},
			"password": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: envDoc("password", "Password of `user_name`. The provider requests one IAM token per provider instance and renews it before it expires."),
			},
			"domain_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: envDoc("domain_name", "Account (domain) name that `user_name` belongs to."),
			},
			"token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: envDoc("token", "A ready IAM token, sent as `X-Auth-Token`. The provider cannot renew it."),
			},
			"auth_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: envDoc("auth_url", "IAM URL ending in `/v3` (the provider appends `/auth/tokens` and `/auth/projects`). "+
					"Default: `endpoints.iam` + `/v3` when that is set, else `https://iam.{region}.myhuaweicloud.com/v3`."),
				Validators: []validator.String{urlValidator{what: "an IAM URL ending in /v3", check: client.CheckAuthURL}},
			},
			"endpoints": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Overrides of the service base URLs, one by one. The test endpoint serves all four " +
					"services on one URL, so point all four at it.",
				Attributes: map[string]schema.Attribute{
					"cbr": endpointDoc("cbr", "/v3/{project_id}/..."),
					"vbs": endpointDoc("vbs", "/v2/{project_id}/..."),
					"ims": endpointDoc("ims", "/v2/images/..."),
					"iam": endpointDoc("iam", "/v3/..."),
				},
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: envDoc("insecure", "Skip TLS certificate verification. Default: `false`."),
			},
			// A number, not an int64: the framework cannot convert 1.5 to an int64 and would report
			// that as a provider bug; the validator names the attribute instead.
			"max_retries": schema.NumberAttribute{
				Optional: true,
				MarkdownDescription: envDoc("max_retries", fmt.Sprintf("How often a throttled (429), failed (5xx) or dropped request "+
					"is retried, with exponential backoff that honours `Retry-After`: a whole number from 0 to %d. Default: `%d`.",
					maxMaxRetries, defaultMaxRetries)),
				Validators: []validator.Number{wholeNumberValidator{min: 0, max: maxMaxRetries}},
			},
		},
	}
}

func (p *cbrProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A provider configured from another resource's output is unknown during plan. Leave the
	// provider unconfigured then: resources skip API-backed plan checks and apply configures it.
	if !req.Config.Raw.IsFullyKnown() {
		tflog.Debug(ctx, "provider configuration has unknown values; deferring client setup to apply")
		return
	}

	clientCfg, diags := p.clientConfig(ctx, cfg, req.TerraformVersion)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, err := client.New(ctx, clientCfg)
	if err != nil {
		addClientConfigError(&resp.Diagnostics, err)
		return
	}
	tflog.Debug(ctx, "provider configured", map[string]any{"region": c.Region(), "project_id": c.ProjectID()})
	resp.ResourceData = c
	resp.DataSourceData = c
	resp.ListResourceData = c
}

// clientConfig merges the configuration with the HW_* environment variables.
func (p *cbrProvider) clientConfig(ctx context.Context, cfg providerModel, tfVersion string) (client.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	str := func(v types.String, attr string) string {
		if !v.IsNull() {
			return v.ValueString()
		}
		return os.Getenv(envVars[attr])
	}
	out := client.Config{
		Region:        str(cfg.Region, "region"),
		ProjectID:     str(cfg.ProjectID, "project_id"),
		AccessKey:     str(cfg.AccessKey, "access_key"),
		SecretKey:     str(cfg.SecretKey, "secret_key"),
		SecurityToken: str(cfg.SecurityToken, "security_token"),
		UserName:      str(cfg.UserName, "user_name"),
		Password:      str(cfg.Password, "password"),
		DomainName:    str(cfg.DomainName, "domain_name"),
		Token:         str(cfg.Token, "token"),
		AuthURL:       str(cfg.AuthURL, "auth_url"),
		MaxRetries:    defaultMaxRetries,
		UserAgent:     fmt.Sprintf("terraform-provider-cbr/%s terraform/%s", p.version, tfVersion),
	}
	if out.Region == "" {
		diags.AddAttributeError(path.Root("region"), "Missing Region",
			"The provider needs a region, for example \"cn-north-4\". Set the region argument or the HW_REGION_NAME environment variable.")
	}

	if !cfg.Endpoints.IsNull() {
		var ep endpointsModel
		diags.Append(cfg.Endpoints.As(ctx, &ep, basetypes.ObjectAsOptions{})...)
		out.Endpoints = client.Endpoints{
			CBR: ep.CBR.ValueString(), VBS: ep.VBS.ValueString(), IMS: ep.IMS.ValueString(), IAM: ep.IAM.ValueString(),
		}
	}

	if !cfg.Insecure.IsNull() {
		out.Insecure = cfg.Insecure.ValueBool()
	} else if v := os.Getenv(envVars["insecure"]); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			diags.AddAttributeError(path.Root("insecure"), "Invalid HW_INSECURE",
				fmt.Sprintf("HW_INSECURE is %q; set it to true or false, or unset it.", v))
		}
		out.Insecure = b
	}

	if !cfg.MaxRetries.IsNull() {
		// The validator has checked it is a whole number in range.
		n, _ := cfg.MaxRetries.ValueBigFloat().Int64()
		out.MaxRetries = int(n)
	} else if v := os.Getenv(envVars["max_retries"]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxMaxRetries {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid HW_MAX_RETRIES",
				fmt.Sprintf("HW_MAX_RETRIES is %q; set it to a whole number from 0 to %d, or unset it.", v, maxMaxRetries))
		}
		out.MaxRetries = n
	}
	if cfg.ProjectID.IsNull() && out.ProjectID != "" && !validators.IsProjectID(out.ProjectID) {
		diags.AddAttributeError(path.Root("project_id"), "Invalid HW_PROJECT_ID",
			fmt.Sprintf("HW_PROJECT_ID is %q, which is not a project ID: it must be 32 lower-case hexadecimal characters, "+
				"for example \"075e6035d300d48c2fd0c00b78b71ebf\". Fix or unset it.", out.ProjectID))
	}
	return out, diags
}

// addClientConfigError turns the client's configuration error into a diagnostic that names both
// the arguments and their environment variables.
func addClientConfigError(diags *diag.Diagnostics, err error) {
	var ce *client.ConfigError
	if !errors.As(err, &ce) {
		var apiErr *client.APIError
		if errors.As(err, &apiErr) {
			summary := "Error Configuring the cbr Provider"
			if len(apiErr.Credentials) > 0 {
				summary = "Credentials Refused"
			}
			diags.AddError(summary, apiErrorDetail("set up the API client ("+configureStep(err, apiErr)+")", err))
			return
		}
		diags.AddError("Error Configuring the cbr Provider", "The provider could not set up its API client: "+err.Error())
		return
	}
	detail := ce.Detail
	if len(ce.Attributes) > 0 {
		var names []string
		for _, a := range ce.Attributes {
			if env, ok := envVars[a]; ok {
				names = append(names, fmt.Sprintf("%s (%s)", a, env))
			} else {
				names = append(names, a)
			}
		}
		detail += "\n\nArguments involved, with their environment variables: " + strings.Join(names, ", ") + "."
	}
	if len(ce.Attributes) == 1 {
		diags.AddAttributeError(attributePath(ce.Attributes[0]), ce.Summary, detail)
		return
	}
	diags.AddError(ce.Summary, detail)
}

// configureStep names the IAM call that failed while the client was set up: the client's own words
// when it wrapped the API error in them, else what the URL tells.
func configureStep(err error, apiErr *client.APIError) string {
	if step, ok := strings.CutSuffix(err.Error(), ": "+apiErr.Error()); ok && step != "" {
		return step
	}
	if strings.Contains(apiErr.URL, "/auth/tokens") {
		return "obtaining an IAM token"
	}
	return "looking up the project in IAM"
}

// attributePath turns the client's dotted argument names ("endpoints.cbr") into a framework path.
func attributePath(name string) path.Path {
	parts := strings.Split(name, ".")
	p := path.Root(parts[0])
	for _, part := range parts[1:] {
		p = p.AtName(part)
	}
	return p
}

func (p *cbrProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewBackupShareMemberResource,
		NewBackupShareAcceptanceResource,
		NewVolumeBackupShareMemberResource,
		NewImageShareMemberResource,
		NewImageShareAcceptanceResource,
	}
}

func (p *cbrProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewBackupShareMemberDataSource,
		NewBackupShareMembersDataSource,
		NewVolumeBackupSharesDataSource,
		NewSharedBackupsDataSource,
		NewSharedImagesDataSource,
	}
}

// ListResources are the list blocks of terraform query (Terraform 1.14+): what is shared with the
// provider's project, as acceptances to adopt.
func (p *cbrProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewBackupShareAcceptanceListResource,
		NewImageShareAcceptanceListResource,
	}
}
