package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// urlValidator runs one of the client's URL checks at plan time, so that a URL the client would
// refuse in Configure (or, worse, accept and then send to a path that does not exist) is reported
// on its attribute by terraform validate and plan.
type urlValidator struct {
	what  string
	check func(string) error
}

func (v urlValidator) Description(context.Context) string { return "must be " + v.what }

func (v urlValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v urlValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	err := v.check(req.ConfigValue.ValueString())
	var ce *client.ConfigError
	switch {
	case err == nil:
	case errors.As(err, &ce):
		resp.Diagnostics.AddAttributeError(req.Path, ce.Summary, ce.Detail)
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", err.Error())
	}
}

// wholeNumberValidator accepts whole numbers from min to max.
type wholeNumberValidator struct{ min, max int64 }

func (v wholeNumberValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a whole number from %d to %d", v.min, v.max)
}

func (v wholeNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeNumberValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	f := req.ConfigValue.ValueBigFloat()
	n, acc := f.Int64()
	if acc == big.Exact && n >= v.min && n <= v.max {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
		fmt.Sprintf("%s is %s, but it must be a whole number from %d to %d. Set it to, for example, %d.",
			req.Path, f.Text('g', -1), v.min, v.max, defaultMaxRetries))
}
