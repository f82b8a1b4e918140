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

work=$(mktemp -d)
endpoint_pid=""
cleanup() {
  if [ -n "$endpoint_pid" ]; then kill "$endpoint_pid" 2>/dev/null || true; wait "$endpoint_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building the provider and the test endpoint"
mkdir -p "$work/bin" "$work/config"
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

# Dev overrides make the CLI use the provider just built, with no registry and no init. Each CLI
# resolves backupshare/cbr under its own registry's host, so only that one is listed.
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
cp "$repo/examples/demo/main.tf" "$work/config/"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

# Colour only on a terminal: piped into a log, escape codes are noise.
color=()
[ -t 1 ] || color=(-no-color)

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
