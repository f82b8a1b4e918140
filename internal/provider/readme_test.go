package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README's HCL snippets are not applied by any test (make demo applies examples/demo, which is
// not in the README), so TestREADMEHCLSnippets checks each ```hcl block of README.md against the
// provider itself, without a CLI and without TF_ACC:
//
//   - it parses (hclsyntax; a CLI configuration with the HCL 1 parser that Terraform and OpenTofu
//     read CLI configuration files with) and has only top-level blocks that Terraform knows;
//   - required_providers declares cbr with source "backupshare/cbr";
//   - dev_overrides in a CLI configuration name registry.terraform.io/backupshare/cbr or
//     registry.opentofu.org/backupshare/cbr;
//   - every provider "cbr", resource "cbr_*", data "cbr_*", ephemeral "cbr_*" and list "cbr_*" block
//     is of a type the provider has, sets only arguments and blocks its schema has (nested objects
//     such as endpoints = { ... } included), never a read-only one, and every required one;
//   - an import block targets a resource type of the provider, and its identity = { ... } sets only
//     identity attributes, every one required for import;
//   - the values pass the provider's own validation (ValidateProviderConfig, ValidateResourceConfig,
//     ValidateDataResourceConfig), with everything that refers to something else (var.x, another
//     resource) unknown, as Terraform sends it;
//   - provider = cbr.x names an alias of a provider "cbr" block in the same snippet or an earlier one
//     (a snippet may continue an earlier one), and a reference to cbr_x.name.attr or
//     data.cbr_x.name.attr names a block declared in the same or an earlier snippet and an attribute
//     of that type.
func TestREADMEHCLSnippets(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	snippets, err := hclSnippets(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	if len(snippets) == 0 {
		t.Fatal("README.md has no ```hcl snippet: the extraction is broken")
	}
	c := newReadmeChecker(t)
	for _, s := range snippets {
		c.check(s)
	}
	if !c.sawRequiredProviders {
		t.Error("no README snippet declares cbr in required_providers: \"Using the provider\" should show it")
	}
	for _, e := range c.errs {
		t.Error(e)
	}
	t.Logf("checked %d HCL snippets of README.md", len(snippets))
}

// TestREADMECheckerCatchesMistakes makes sure that the checker fails on the mistakes it exists for,
// so that TestREADMEHCLSnippets passing means something.
func TestREADMECheckerCatchesMistakes(t *testing.T) {
	const good = `
provider "cbr" {
  alias  = "owner"
  region = "cn-north-4"
}

resource "cbr_backup_share_member" "share" {
  provider  = cbr.owner
  backup_id = "0b07081e-3ec7-4e77-8571-54e2947da422"
  members   = ["075e6035d300d48c2fd0c00b78b71ebf"]
}
`
	cases := []struct {
		name, snippet, want string
	}{
		{"good", good, ""},
		{"misspelled argument", strings.Replace(good, "backup_id =", "backupid  =", 1), `unknown argument "backupid"`},
		{"misspelled provider argument", strings.Replace(good, "region =", "regoin =", 1), `unknown argument "regoin"`},
		{"missing required argument", strings.Replace(good, `  members   = ["075e6035d300d48c2fd0c00b78b71ebf"]`, "", 1), `missing required argument "members"`},
		{"read-only argument", strings.Replace(good, "provider  = cbr.owner", "provider  = cbr.owner\n  id = \"x\"", 1), `read-only attribute "id"`},
		{"unknown resource type", strings.Replace(good, "cbr_backup_share_member", "cbr_backup_share_members", 1), `unknown resource type "cbr_backup_share_members"`},
		{"undefined alias", strings.Replace(good, "cbr.owner", "cbr.receiver", 1), `provider = cbr.receiver`},
		{"invalid value", strings.Replace(good, `"0b07081e-3ec7-4e77-8571-54e2947da422"`, `"not-a-uuid"`, 1), "Invalid UUID"},
		{"nested key", strings.Replace(good, `region = "cn-north-4"`, `endpoints = { cbrr = "http://127.0.0.1:8080" }`, 1), `unknown key "cbrr" in provider "cbr" endpoints`},
		{"wrong source", `terraform {
  required_providers {
    cbr = { source = "hashicorp/cbr" }
  }
}`, `source "hashicorp/cbr"`},
		{"wrong dev override", `provider_installation {
  dev_overrides {
    "registry.terraform.io/hashicorp/cbr" = "/bin"
  }
  direct {}
}`, `dev_overrides names "registry.terraform.io/hashicorp/cbr"`},
		{"misspelled block", strings.Replace(good, `resource "cbr_backup_share_member"`, `resources "cbr_backup_share_member"`, 1), `top-level block "resources"`},
		{"unknown attribute reference", good + `
output "x" {
  value = cbr_backup_share_member.share.backupid
}`, `no attribute "backupid"`},
		{"undeclared resource reference", good + `
output "x" {
  value = cbr_backup_share_member.other.backup_id
}`, `cbr_backup_share_member.other is not declared`},
		{"syntax error", strings.Replace(good, "}", "", 1), "parse"},
		{"import by identity", good + `
import {
  to       = cbr_backup_share_member.share
  identity = { backup_id = "0b07081e-3ec7-4e77-8571-54e2947da422" }
}`, ""},
		{"misspelled identity key", good + `
import {
  to       = cbr_backup_share_member.share
  identity = { backupid = "0b07081e-3ec7-4e77-8571-54e2947da422" }
}`, `unknown key "backupid" in identity of cbr_backup_share_member`},
		{"import to an unknown type", `
import {
  to = cbr_backup_share.share
  id = "0b07081e-3ec7-4e77-8571-54e2947da422"
}`, `import to an unknown resource type "cbr_backup_share"`},
		{"unknown list resource type", good + `
list "cbr_backup_share_members" "all" {
  provider = cbr.owner
}`, `unknown list resource type "cbr_backup_share_members"`},
		{"misspelled list argument", good + `
list "cbr_backup_share_acceptance" "all" {
  provider = cbr.owner
  config {
    no_such_argument = "x"
  }
}`, `unknown argument "no_such_argument" in list "cbr_backup_share_acceptance" config`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newReadmeChecker(t)
			c.check(hclSnippet{line: 1, text: tc.snippet})
			got := strings.Join(c.errs, "\n")
			switch {
			case tc.want == "" && got != "":
				t.Fatalf("unexpected errors:\n%s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Fatalf("want an error containing %q, got:\n%s", tc.want, got)
			}
		})
	}
}

// hclSnippet is the text of one fenced HCL block and the README line of its first line.
type hclSnippet struct {
	line int
	text string
}

var (
	hclFenceOpen = regexp.MustCompile("^```(hcl|terraform|tf)\\s*$")
	fenceClose   = regexp.MustCompile("^```\\s*$")
)

// hclSnippets returns every ```hcl (or ```terraform, ```tf) block of a Markdown text.
func hclSnippets(markdown string) ([]hclSnippet, error) {
	var out []hclSnippet
	lines := strings.Split(markdown, "\n")
	for i := 0; i < len(lines); i++ {
		if !hclFenceOpen.MatchString(lines[i]) {
			continue
		}
		start := i + 1
		for i++; i < len(lines) && !fenceClose.MatchString(lines[i]); i++ {
		}
		if i == len(lines) {
			return nil, fmt.Errorf("README.md line %d: the HCL block is never closed", start)
		}
		out = append(out, hclSnippet{line: start + 1, text: strings.Join(lines[start:i], "\n") + "\n"})
	}
	return out, nil
}
