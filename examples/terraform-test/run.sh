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

work=$(mktemp -d)
endpoint_pid=""
cleanup() {
  if [ -n "$endpoint_pid" ]; then kill "$endpoint_pid" 2>/dev/null || true; wait "$endpoint_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building the provider and the test endpoint"
mkdir -p "$work/bin"
(cd "$repo" && go build -o "$work/bin/terraform-provider-cbr" . && go build -o "$work/testendpoint" ./internal/testendpoint/cmd/testendpoint)

echo "== starting the test endpoint"
"$work/testendpoint" -listen 127.0.0.1:0 >"$work/endpoint.log" 2>&1 &
endpoint_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n '1s/^listening on //p' "$work/endpoint.log")
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then echo "the test endpoint did not start:" >&2; cat "$work/endpoint.log" >&2; exit 1; fi
echo "test endpoint: $url"

# Each CLI resolves backupshare/cbr under its own registry's host, so only that one is overridden.
host=registry.terraform.io
if "$cli" version 2>/dev/null | head -n 1 | grep -q OpenTofu; then host=registry.opentofu.org; fi
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "$host/backupshare/cbr" = "$work/bin"
  }
  direct {}
}
TFRC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

color=()
[ -t 1 ] || color=(-no-color)

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
