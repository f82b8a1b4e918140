package provider

import (
	"fmt"
	"slices"
	"strings"

	hclv1 "github.com/hashicorp/hcl"
	hclv1ast "github.com/hashicorp/hcl/hcl/ast"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/zclconf/go-cty/cty"
)

// checkTerraformBlock checks required_providers.
func (c *readmeChecker) checkTerraformBlock(b *hclsyntax.Block) {
	for _, rp := range b.Body.Blocks {
		if rp.Type != "required_providers" {
			continue
		}
		for name, a := range rp.Body.Attributes {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || !v.Type().IsObjectType() {
				c.errorf(a.SrcRange, "required_providers.%s must be an object such as { source = \"backupshare/cbr\" }", name)
				continue
			}
			source := ""
			if v.Type().HasAttribute("source") {
				if s := v.GetAttr("source"); s.Type() == cty.String && !s.IsNull() {
					source = s.AsString()
				}
			}
			for attr := range v.Type().AttributeTypes() {
				if attr != "source" && attr != "version" && attr != "configuration_aliases" {
					c.errorf(a.SrcRange, "required_providers.%s: unknown key %q", name, attr)
				}
			}
			if name != "cbr" && !strings.HasSuffix(source, "/cbr") {
				continue
			}
			c.sawRequiredProviders = true
			if name != "cbr" || source != "backupshare/cbr" {
				c.errorf(a.SrcRange, "required_providers: %s with source %q; want cbr = { source = \"backupshare/cbr\" }", name, source)
			}
		}
	}
}

// checkCLIConfig checks a CLI configuration file (the provider_installation block), which
// Terraform and OpenTofu read with the HCL 1 parser: quoted keys, as in dev_overrides, are not
// HCL 2 native syntax.
func (c *readmeChecker) checkCLIConfig(s hclSnippet) {
	at := hcl.Range{Start: hcl.Pos{Line: s.line}}
	file, err := hclv1.Parse(s.text)
	if err != nil {
		c.errorf(at, "the CLI configuration does not parse: %v", err)
		return
	}
	root, ok := file.Node.(*hclv1ast.ObjectList)
	if !ok {
		c.errorf(at, "the CLI configuration does not parse as a list of blocks")
		return
	}
	overrides := 0
	for _, pi := range root.Filter("provider_installation").Items {
		obj, ok := pi.Val.(*hclv1ast.ObjectType)
		if !ok {
			c.errorf(at, "provider_installation must be a block")
			continue
		}
		for _, method := range obj.List.Items {
			kind := itemKey(method)
			switch kind {
			case "direct", "filesystem_mirror", "network_mirror":
				continue
			case "dev_overrides":
			default:
				c.errorf(at, "provider_installation has an unknown block %q", kind)
				continue
			}
			list, ok := method.Val.(*hclv1ast.ObjectType)
			if !ok {
				c.errorf(at, "dev_overrides must be a block")
				continue
			}
			for _, o := range list.List.Items {
				addr := itemKey(o)
				overrides++
				if addr != "registry.terraform.io/backupshare/cbr" && addr != "registry.opentofu.org/backupshare/cbr" {
					c.errorf(at, "dev_overrides names %q; the provider is registry.terraform.io/backupshare/cbr "+
						"(OpenTofu: registry.opentofu.org/backupshare/cbr)", addr)
				}
				if lit, ok := o.Val.(*hclv1ast.LiteralType); !ok || lit.Token.Value() == nil {
					c.errorf(at, "dev_overrides %q must be a directory (a string)", addr)
				}
			}
		}
	}
	if overrides == 0 {
		c.errorf(at, "the CLI configuration overrides no provider")
	}
}

func itemKey(item *hclv1ast.ObjectItem) string {
	if len(item.Keys) == 0 {
		return ""
	}
	if s, ok := item.Keys[0].Token.Value().(string); ok {
		return s
	}
	return item.Keys[0].Token.Text
}

// checkList checks a list block (terraform query) against the list resource's schema.
func (c *readmeChecker) checkList(b *hclsyntax.Block) {
	typeName := b.Labels[0]
	schema, ok := c.schemas.ListResourceSchemas[typeName]
	if !ok {
		c.errorf(b.LabelRanges[0], "unknown list resource type %q; the provider has %s", typeName,
			strings.Join(sortedKeys(c.schemas.ListResourceSchemas), ", "))
		return
	}
	where := fmt.Sprintf("list %q", typeName)
	for name, a := range b.Body.Attributes {
		switch name {
		case "provider":
			c.checkProviderRef(a.Expr)
		case "count", "for_each", "include_resource", "limit":
		default:
			c.errorf(a.NameRange, "unknown argument %q in %s; arguments of the list resource go in its config block", name, where)
		}
	}
	if _, ok := b.Body.Attributes["provider"]; !ok {
		c.errorf(b.Body.SrcRange, "%s: missing required argument \"provider\"", where)
	}
	for _, nb := range b.Body.Blocks {
		if nb.Type != "config" {
			c.errorf(nb.TypeRange, "unknown block %q in %s", nb.Type, where)
			continue
		}
		c.checkBody(nb.Body, schema.Block, where+" config", nil, nil)
	}
}

// checkImport checks an import block: its target type and its identity.
func (c *readmeChecker) checkImport(b *hclsyntax.Block) {
	for name, a := range b.Body.Attributes {
		switch name {
		case "provider":
			c.checkProviderRef(a.Expr)
		case "to", "id", "identity", "for_each":
		default:
			c.errorf(a.NameRange, "unknown argument %q in import", name)
		}
	}
	to, ok := b.Body.Attributes["to"]
	if !ok {
		c.errorf(b.Body.SrcRange, "import: missing required argument \"to\"")
		return
	}
	tr, diags := hcl.AbsTraversalForExpr(to.Expr)
	if diags.HasErrors() || !strings.HasPrefix(tr.RootName(), "cbr_") {
		return
	}
	typeName := tr.RootName()
	if _, ok := c.schemas.ResourceSchemas[typeName]; !ok {
		c.errorf(to.SrcRange, "import to an unknown resource type %q", typeName)
		return
	}
	_, hasID := b.Body.Attributes["id"]
	identity, hasIdentity := b.Body.Attributes["identity"]
	if hasID == hasIdentity {
		c.errorf(b.Body.SrcRange, "import: set exactly one of id and identity")
	}
	if !hasIdentity {
		return
	}
	schema, ok := c.identities[typeName]
	if !ok {
		c.errorf(identity.SrcRange, "resource type %q has no identity", typeName)
		return
	}
	var attrs []*tfprotov6.SchemaAttribute
	for _, a := range schema.IdentityAttributes {
		attrs = append(attrs, &tfprotov6.SchemaAttribute{Name: a.Name})
	}
	c.checkObjectKeys(identity.Expr, attrs, "identity of "+typeName)
	if obj, ok := identity.Expr.(*hclsyntax.ObjectConsExpr); ok {
		for _, a := range schema.IdentityAttributes {
			if a.RequiredForImport && !slices.ContainsFunc(obj.Items, func(it hclsyntax.ObjectConsItem) bool { return hcl.ExprAsKeyword(it.KeyExpr) == a.Name }) {
				c.errorf(identity.SrcRange, "identity of %s: missing %q, required for import", typeName, a.Name)
			}
		}
	}
}
