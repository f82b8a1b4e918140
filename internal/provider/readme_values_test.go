package provider

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// validate sends the block's configuration to the provider's own validation. Arguments that refer
// to anything (var.x, local.y, another resource) are unknown, as Terraform sends them during validate.
func (c *readmeChecker) validate(b *hclsyntax.Block, schema *tfprotov6.Schema, call func(*tfprotov6.DynamicValue) []*tfprotov6.Diagnostic) {
	val, err := blockValue(b.Body, schema.Block)
	if err != nil {
		c.errorf(b.DefRange(), "%s %s: %v", b.Type, strings.Join(b.Labels, "."), err)
		return
	}
	dv, err := tfprotov6.NewDynamicValue(schema.ValueType(), val)
	if err != nil {
		c.errorf(b.DefRange(), "%s %s: %v", b.Type, strings.Join(b.Labels, "."), err)
		return
	}
	for _, d := range call(&dv) {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			c.errorf(b.DefRange(), "%s %s does not validate: %s: %s", b.Type, strings.Join(b.Labels, "."), d.Summary, d.Detail)
		}
	}
}

// protoDiags returns the diagnostics of a response, or err as one.
func protoDiags(err error, diags func() []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	if err != nil {
		return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: err.Error()}}
	}
	return diags()
}

func formatDiags(diags []*tfprotov6.Diagnostic) string {
	var parts []string
	for _, d := range diags {
		parts = append(parts, d.Summary+": "+d.Detail)
	}
	return strings.Join(parts, "; ")
}

// blockValue builds the configuration value of a body for a schema block.
func blockValue(body *hclsyntax.Body, block *tfprotov6.SchemaBlock) (tftypes.Value, error) {
	typ := block.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for _, sa := range block.Attributes {
		t := sa.ValueType()
		a, ok := body.Attributes[sa.Name]
		if !ok {
			vals[sa.Name] = tftypes.NewValue(t, nil)
			continue
		}
		v, err := exprValue(a.Expr, t)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", sa.Name, err)
		}
		vals[sa.Name] = v
	}
	for _, nb := range block.BlockTypes {
		t := nb.ValueType()
		var elems []tftypes.Value
		for _, b := range body.Blocks {
			if b.Type != nb.TypeName {
				continue
			}
			v, err := blockValue(b.Body, nb.Block)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", nb.TypeName, err)
			}
			elems = append(elems, v)
		}
		switch nb.Nesting {
		case tfprotov6.SchemaNestedBlockNestingModeSingle, tfprotov6.SchemaNestedBlockNestingModeGroup:
			if len(elems) == 0 {
				vals[nb.TypeName] = tftypes.NewValue(t, nil)
			} else {
				vals[nb.TypeName] = elems[0]
			}
		case tfprotov6.SchemaNestedBlockNestingModeList, tfprotov6.SchemaNestedBlockNestingModeSet:
			vals[nb.TypeName] = tftypes.NewValue(t, elems)
		default:
			vals[nb.TypeName] = tftypes.NewValue(t, tftypes.UnknownValue)
		}
	}
	return tftypes.NewValue(typ, vals), nil
}

// exprValue evaluates an expression that refers to nothing; one that does is unknown.
func exprValue(expr hclsyntax.Expression, t tftypes.Type) (tftypes.Value, error) {
	if len(expr.Variables()) > 0 {
		return tftypes.NewValue(t, tftypes.UnknownValue), nil
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return tftypes.NewValue(t, tftypes.UnknownValue), nil // a function call, for example
	}
	return ctyToTF(v, t)
}

// ctyToTF converts an HCL value to the schema's type, as Terraform does before it sends it.
func ctyToTF(v cty.Value, t tftypes.Type) (tftypes.Value, error) {
	if !v.IsKnown() {
		return tftypes.NewValue(t, tftypes.UnknownValue), nil
	}
	if v.IsNull() {
		return tftypes.NewValue(t, nil), nil
	}
	switch {
	case t.Is(tftypes.String):
		cv, err := convert.Convert(v, cty.String)
		if err != nil {
			return tftypes.Value{}, err
		}
		return tftypes.NewValue(t, cv.AsString()), nil
	case t.Is(tftypes.Number):
		cv, err := convert.Convert(v, cty.Number)
		if err != nil {
			return tftypes.Value{}, err
		}
		return tftypes.NewValue(t, new(big.Float).Set(cv.AsBigFloat())), nil
	case t.Is(tftypes.Bool):
		cv, err := convert.Convert(v, cty.Bool)
		if err != nil {
			return tftypes.Value{}, err
		}
		return tftypes.NewValue(t, cv.True()), nil
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		var elemType tftypes.Type
		if l, ok := t.(tftypes.List); ok {
			elemType = l.ElementType
		} else {
			elemType = t.(tftypes.Set).ElementType
		}
		if !v.CanIterateElements() {
			return tftypes.Value{}, fmt.Errorf("a collection is needed, not %s", v.Type().FriendlyName())
		}
		var elems []tftypes.Value
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			e, err := ctyToTF(ev, elemType)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems = append(elems, e)
		}
		return tftypes.NewValue(t, elems), nil
	case t.Is(tftypes.Map{}):
		if !v.CanIterateElements() {
			return tftypes.Value{}, fmt.Errorf("a map is needed, not %s", v.Type().FriendlyName())
		}
		elems := map[string]tftypes.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			e, err := ctyToTF(ev, t.(tftypes.Map).ElementType)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems[k.AsString()] = e
		}
		return tftypes.NewValue(t, elems), nil
	case t.Is(tftypes.Object{}):
		if !v.Type().IsObjectType() && !v.Type().IsMapType() {
			return tftypes.Value{}, fmt.Errorf("an object is needed, not %s", v.Type().FriendlyName())
		}
		attrs := map[string]tftypes.Value{}
		for name, at := range t.(tftypes.Object).AttributeTypes {
			av := cty.NullVal(cty.DynamicPseudoType)
			if v.Type().IsObjectType() && v.Type().HasAttribute(name) {
				av = v.GetAttr(name)
			} else if v.Type().IsMapType() && v.HasIndex(cty.StringVal(name)).True() {
				av = v.Index(cty.StringVal(name))
			}
			e, err := ctyToTF(av, at)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			attrs[name] = e
		}
		return tftypes.NewValue(t, attrs), nil
	}
	return tftypes.NewValue(t, tftypes.UnknownValue), nil // dynamic: leave it to apply
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
