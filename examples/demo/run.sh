#!/usr/bin/env bash
# make demo: builds the provider, starts the test endpoint with its default world, applies this
# folder's configuration without `terraform init` (dev overrides in a temporary CLI config), prints
# the outputs, destroys, and stops the endpoint. Works with Terraform and OpenTofu.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cli=${TF_CLI_BIN:-$(command -v terraform || command -v tofu || true)}
if [ -z "$cli" ]; then
  echo "make demo needs terraform or tofu on PATH (or run make tools)" >&2
  exit 1
fi

# shellcheck source=examples/with-endpoint.sh
source "$repo/examples/with-endpoint.sh"
mkdir -p "$work/config"

cp "$repo/examples/demo/main.tf" "$work/config/"

echo "== apply (its outputs are printed at the end)"
"$cli" -chdir="$work/config" apply -auto-approve -input=false "${color[@]}" -var "endpoint=$url"
status=$("$cli" -chdir="$work/config" output -raw member_status)
echo "== destroy"
"$cli" -chdir="$work/config" destroy -auto-approve -input=false "${color[@]}" -var "endpoint=$url"
if [ "$status" != "accepted" ]; then
  echo "demo failed: member_status is \"$status\", expected \"accepted\"" >&2
  exit 1
fi
echo "== demo finished: the backup was shared, accepted into the receiver's vault, read back, and destroyed"
