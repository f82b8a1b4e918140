package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/zclconf/go-cty/cty"
)

type readmeChecker struct {
	ctx        context.Context
	server     tfprotov6.ProviderServer
	schemas    *tfprotov6.GetProviderSchemaResponse
	identities map[string]*tfprotov6.ResourceIdentitySchema

	aliases              map[string]bool // aliases of provider "cbr" blocks seen so far
	declared             map[string]bool // "cbr_x.name" and "data.cbr_x.name" seen so far
	sawRequiredProviders bool
	errs                 []string
}

func newReadmeChecker(t *testing.T) *readmeChecker {
	t.Helper()
	ctx := t.Context()
	server := providerserver.NewProtocol6(New("test")())()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(schemas.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %s", formatDiags(schemas.Diagnostics))
	}
	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return &readmeChecker{
		ctx: ctx, server: server, schemas: schemas, identities: ids.IdentitySchemas,
		aliases: map[string]bool{}, declared: map[string]bool{},
	}
}

func (c *readmeChecker) errorf(rng hcl.Range, format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf("README.md line %d: %s", rng.Start.Line, fmt.Sprintf(format, args...)))
}

// topLevelBlocks are the blocks a Terraform configuration may have (a CLI configuration is checked
// by checkCLIConfig).
var topLevelBlocks = map[string]bool{
	"terraform": true, "provider": true, "resource": true, "data": true, "ephemeral": true, "list": true,
	"variable": true, "output": true, "locals": true, "module": true, "import": true, "moved": true,
	"removed": true, "check": true,
}

func (c *readmeChecker) check(s hclSnippet) {
	if strings.HasPrefix(strings.TrimSpace(s.text), "provider_installation") {
		c.checkCLIConfig(s)
		return
	}
	file, diags := hclsyntax.ParseConfig([]byte(s.text), "README.md", hcl.Pos{Line: s.line, Column: 1})
	if diags.HasErrors() {
		c.errs = append(c.errs, fmt.Sprintf("README.md line %d: the snippet does not parse: %s", s.line, diags.Error()))
		return
	}
	body := file.Body.(*hclsyntax.Body)
	for _, a := range body.Attributes {
		c.errorf(a.SrcRange, "argument %q outside any block", a.Name)
	}
	// Declarations first: a reference may come before the block it refers to.
	for _, b := range body.Blocks {
		switch {
		case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "cbr":
			if a, ok := b.Body.Attributes["alias"]; ok {
				if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					c.aliases[v.AsString()] = true
				} else {
					c.errorf(a.SrcRange, "alias must be a literal string")
				}
			}
		case b.Type == "resource" && len(b.Labels) == 2:
			c.declared[b.Labels[0]+"."+b.Labels[1]] = true
		case b.Type == "data" && len(b.Labels) == 2:
			c.declared["data."+b.Labels[0]+"."+b.Labels[1]] = true
		}
	}
	for _, b := range body.Blocks {
		if !topLevelBlocks[b.Type] {
			c.errorf(b.TypeRange, "top-level block %q is not one Terraform knows", b.Type)
			continue
		}
		c.checkReferences(b.Body)
		isCBR := len(b.Labels) > 0 && strings.HasPrefix(b.Labels[0], "cbr_")
		switch {
		case b.Type == "terraform":
			c.checkTerraformBlock(b)
		case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "cbr":
			c.checkBody(b.Body, c.schemas.Provider.Block, `provider "cbr"`, []string{"alias"}, nil)
			c.validate(b, c.schemas.Provider, func(cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
				resp, err := c.server.ValidateProviderConfig(c.ctx, &tfprotov6.ValidateProviderConfigRequest{Config: cfg})
				return protoDiags(err, func() []*tfprotov6.Diagnostic { return resp.Diagnostics })
			})
		case b.Type == "resource" && isCBR:
			c.checkTyped(b, c.schemas.ResourceSchemas, "resource", resourceMeta, []string{"lifecycle", "provisioner", "connection"},
				func(cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
					resp, err := c.server.ValidateResourceConfig(c.ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: b.Labels[0], Config: cfg})
					return protoDiags(err, func() []*tfprotov6.Diagnostic { return resp.Diagnostics })
				})
		case b.Type == "data" && isCBR:
			c.checkTyped(b, c.schemas.DataSourceSchemas, "data source", resourceMeta, []string{"lifecycle"},
				func(cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
					resp, err := c.server.ValidateDataResourceConfig(c.ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: b.Labels[0], Config: cfg})
					return protoDiags(err, func() []*tfprotov6.Diagnostic { return resp.Diagnostics })
				})
		case b.Type == "ephemeral" && isCBR:
			c.checkTyped(b, c.schemas.EphemeralResourceSchemas, "ephemeral resource", resourceMeta, []string{"lifecycle"}, nil)
		case b.Type == "list" && isCBR:
			c.checkList(b)
		case b.Type == "import":
			c.checkImport(b)
		}
	}
}

// resourceMeta are the meta-arguments of resource, data and ephemeral blocks.
var resourceMeta = []string{"count", "for_each", "provider", "depends_on"}

// checkTyped checks a resource, data or ephemeral block against the schema of its type.
func (c *readmeChecker) checkTyped(b *hclsyntax.Block, schemas map[string]*tfprotov6.Schema, kind string, meta, metaBlocks []string,
	validate func(*tfprotov6.DynamicValue) []*tfprotov6.Diagnostic) {
	typeName := b.Labels[0]
	schema, ok := schemas[typeName]
	if !ok {
		c.errorf(b.LabelRanges[0], "unknown %s type %q; the provider has %s", kind, typeName, strings.Join(sortedKeys(schemas), ", "))
		return
	}
	where := fmt.Sprintf("%s %q", b.Type, typeName)
	c.checkBody(b.Body, schema.Block, where, meta, metaBlocks)
	if validate != nil {
		c.validate(b, schema, validate)
	}
}

// checkBody checks the arguments and nested blocks of a body against a schema block.
func (c *readmeChecker) checkBody(body *hclsyntax.Body, block *tfprotov6.SchemaBlock, where string, meta, metaBlocks []string) {
	attrs := map[string]*tfprotov6.SchemaAttribute{}
	for _, a := range block.Attributes {
		attrs[a.Name] = a
	}
	blocks := map[string]*tfprotov6.SchemaNestedBlock{}
	for _, nb := range block.BlockTypes {
		blocks[nb.TypeName] = nb
	}
	for name, a := range body.Attributes {
		if slices.Contains(meta, name) {
			if name == "provider" {
				c.checkProviderRef(a.Expr)
			}
			continue
		}
		sa, ok := attrs[name]
		if !ok {
			c.errorf(a.NameRange, "unknown argument %q in %s; it has %s", name, where, strings.Join(sortedKeys(attrs), ", "))
			continue
		}
		if sa.Computed && !sa.Optional && !sa.Required {
			c.errorf(a.NameRange, "%s: read-only attribute %q cannot be set", where, name)
		}
		if sa.NestedType != nil && sa.NestedType.Nesting == tfprotov6.SchemaObjectNestingModeSingle {
			c.checkObjectKeys(a.Expr, sa.NestedType.Attributes, where+" "+name)
		}
	}
	for name, sa := range attrs {
		if _, ok := body.Attributes[name]; sa.Required && !ok {
			c.errorf(body.SrcRange, "%s: missing required argument %q", where, name)
		}
	}
	for _, nb := range body.Blocks {
		if slices.Contains(metaBlocks, nb.Type) || nb.Type == "dynamic" {
			continue
		}
		sb, ok := blocks[nb.Type]
		if !ok {
			c.errorf(nb.TypeRange, "unknown block %q in %s; it has %s", nb.Type, where, strings.Join(sortedKeys(blocks), ", "))
			continue
		}
		c.checkBody(nb.Body, sb.Block, where+" "+nb.Type, nil, nil)
	}
	for name, sb := range blocks {
		if sb.MinItems > 0 && !slices.ContainsFunc(body.Blocks, func(b *hclsyntax.Block) bool { return b.Type == name }) {
			c.errorf(body.SrcRange, "%s: missing required block %q", where, name)
		}
	}
}

// checkObjectKeys checks the keys of an object written out as { key = value, ... }.
func (c *readmeChecker) checkObjectKeys(expr hclsyntax.Expression, attrs []*tfprotov6.SchemaAttribute, where string) {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return // a reference (local.endpoints): its keys are checked where it is written, if at all
	}
	names := map[string]bool{}
	for _, a := range attrs {
		names[a.Name] = true
	}
	for _, item := range obj.Items {
		key := hcl.ExprAsKeyword(item.KeyExpr)
		if key == "" {
			if v, diags := item.KeyExpr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				key = v.AsString()
			}
		}
		if !names[key] {
			c.errorf(item.KeyExpr.Range(), "unknown key %q in %s; it has %s", key, where, strings.Join(sortedKeys(names), ", "))
		}
	}
}

// checkProviderRef checks that provider = cbr.x names a known alias.
func (c *readmeChecker) checkProviderRef(expr hcl.Expression) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		c.errorf(expr.Range(), "provider must be a reference such as cbr.owner")
		return
	}
	if tr.RootName() != "cbr" || len(tr) == 1 {
		return
	}
	if len(tr) != 2 {
		c.errorf(expr.Range(), "provider must be cbr or cbr.ALIAS")
		return
	}
	step, ok := tr[1].(hcl.TraverseAttr)
	if !ok {
		c.errorf(expr.Range(), "provider must be cbr or cbr.ALIAS")
		return
	}
	alias := step.Name
	if !c.aliases[alias] {
		c.errorf(expr.Range(), "provider = cbr.%s, but no provider \"cbr\" block in this snippet or an earlier one has alias = %q (aliases: %s)",
			alias, alias, strings.Join(sortedKeys(c.aliases), ", "))
	}
}

// checkReferences checks every reference to a cbr_ resource or data source in a body.
func (c *readmeChecker) checkReferences(body *hclsyntax.Body) {
	for name, a := range body.Attributes {
		if name == "provider" {
			continue // checked by checkProviderRef
		}
		for _, tr := range a.Expr.Variables() {
			c.checkReference(tr)
		}
	}
	for name, a := range body.Attributes {
		if name != "providers" {
			continue
		}
		if obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok { // module "x" { providers = { cbr = cbr.owner } }
			for _, item := range obj.Items {
				c.checkProviderRef(item.ValueExpr)
			}
		}
	}
	for _, b := range body.Blocks {
		c.checkReferences(b.Body)
	}
}

func (c *readmeChecker) checkReference(tr hcl.Traversal) {
	kind, schemas, steps := "resource", c.schemas.ResourceSchemas, tr
	key := tr.RootName()
	if key == "data" {
		kind, schemas, steps = "data source", c.schemas.DataSourceSchemas, tr[1:]
		if len(steps) == 0 {
			return
		}
		first, ok := steps[0].(hcl.TraverseAttr)
		if !ok {
			return
		}
		key = "data." + first.Name
		steps = append(hcl.Traversal{hcl.TraverseRoot{Name: first.Name, SrcRange: first.SrcRange}}, steps[1:]...)
	}
	typeName := steps.RootName()
	if !strings.HasPrefix(typeName, "cbr_") {
		return
	}
	schema, ok := schemas[typeName]
	if !ok {
		c.errorf(tr.SourceRange(), "reference to unknown %s type %q", kind, typeName)
		return
	}
	if len(steps) < 2 {
		return
	}
	name, ok := steps[1].(hcl.TraverseAttr)
	if !ok {
		return
	}
	if !c.declared[key+"."+name.Name] {
		c.errorf(tr.SourceRange(), "%s.%s is not declared in this snippet or an earlier one", key, name.Name)
		return
	}
	if len(steps) < 3 {
		return
	}
	var attr string
	switch s := steps[2].(type) {
	case hcl.TraverseAttr:
		attr = s.Name
	default:
		return // cbr_x.name[0] with count: not used in README
	}
	has := slices.ContainsFunc(schema.Block.Attributes, func(a *tfprotov6.SchemaAttribute) bool { return a.Name == attr }) ||
		slices.ContainsFunc(schema.Block.BlockTypes, func(b *tfprotov6.SchemaNestedBlock) bool { return b.TypeName == attr })
	if !has {
		c.errorf(tr.SourceRange(), "%s %q has no attribute %q", kind, typeName, attr)
	}
}
