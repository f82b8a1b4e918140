# Sourced by examples/demo/run.sh and examples/terraform-test/run.sh: builds the provider and the
# test endpoint into a temporary directory, starts the endpoint with its default world, and writes
# a CLI configuration whose dev overrides use the provider just built (no registry, no init).
# Expects $repo and $cli; sets $work, $url and TF_CLI_CONFIG_FILE, and stops the endpoint on exit.
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

# Colour only on a terminal: piped into a log, escape codes are noise.
color=()
[ -t 1 ] || color=(-no-color)
