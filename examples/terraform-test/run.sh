#!/usr/bin/env bash
# make tftest: runs `terraform test` in every folder next to this script, with the provider built
# from source (dev overrides in a temporary CLI config, no `terraform init`). endpoint/ runs against
# a test endpoint started here with its default world; mock/ uses mock_provider and needs none.
# Works with Terraform and OpenTofu; fails when any suite fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cli=${TF_CLI_BIN:-$(command -v terraform || command -v tofu || true)}
if [ -z "$cli" ]; then
  echo "make tftest needs terraform or tofu on PATH (or run make tools)" >&2
  exit 1
fi

# shellcheck source=examples/with-endpoint.sh
source "$repo/examples/with-endpoint.sh"

failed=()
for dir in "$here"/*/; do
  name=$(basename "$dir")
  ls "$dir"*.tftest.hcl >/dev/null 2>&1 || continue
  echo "== $name: $(basename "$cli") test"
  args=()
  # Only a configuration that declares the variable may be given it.
  if grep -q '^variable "endpoint"' "$dir"*.tf 2>/dev/null; then args=(-var "endpoint=$url"); fi
  if ! "$cli" -chdir="$dir" test "${color[@]}" "${args[@]}"; then failed+=("$name"); fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "tftest failed: ${failed[*]}" >&2
  exit 1
fi
echo "== every terraform test suite passed"
