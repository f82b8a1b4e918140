#!/usr/bin/env bash
# Checks that the test endpoint runs without a clone, as README says:
#
#   go run github.com/backupshare/terraform-provider-cbr/internal/testendpoint/cmd/testendpoint@VERSION
#
# The working tree is published as VERSION (default v0.1.0) into a file-based module proxy
# (internal/tools/modproxy). Then, in an empty directory outside the repository and with an empty
# module cache, the go command fetches the module from that proxy (everything else from the usual
# GOPROXY) and must:
#   1. print "testendpoint VERSION" for -version (the version comes from the build information);
#   2. serve: print "listening on http://..." and answer /_testendpoint/health;
#   3. refuse to compile a program that imports the module's internal/testendpoint package: go run
#      of a main package under internal/ is allowed, importing an internal package is not.
# Exits non-zero on any failure. Needs git, and the network only for modules missing from the local
# module cache.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=${VERSION:-v0.1.0}
module=$(cd "$repo" && go list -m)
pkg="$module/internal/testendpoint/cmd/testendpoint"
upstream=$(go env GOPROXY)
localcache=$(go env GOMODCACHE)/cache/download

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  GOMODCACHE="$work/modcache" go clean -modcache 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== publishing the working tree as $module@$version into a file-based module proxy"
(cd "$repo" && go run ./internal/tools/modproxy -out "$work/proxy" -version "$version")

mkdir "$work/outside"
cd "$work/outside"
# The new proxy first, then the local module cache (a proxy layout too, so that known modules need no
# network), then the usual proxy. A private module cache, so no earlier $version is reused.
export GOPROXY="file://$work/proxy,file://$localcache,$upstream"
export GOSUMDB=off GOFLAGS=-mod=mod GOWORK=off GOPRIVATE= GONOPROXY= GONOSUMDB= GOMODCACHE="$work/modcache"
echo "== in an empty directory outside the repository: GOPROXY=file://<new proxy>,file://<module cache>,<go env GOPROXY>"

echo "== go run $pkg@$version -version"
got=$(go run "$pkg@$version" -version)
echo "$got"
if [ "$got" != "testendpoint $version" ]; then
  echo "FAIL: -version printed \"$got\", want \"testendpoint $version\"" >&2
  exit 1
fi

echo "== go run $pkg@$version -listen 127.0.0.1:0"
set -m # its own process group: go run leaves its child running when it is killed alone
go run "$pkg@$version" -listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
pid=$!
set +m
url=""
for _ in $(seq 1 600); do
  url=$(sed -n '1s/^listening on //p' "$work/stdout")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$url" ]; then
  echo "FAIL: no \"listening on\" line; stdout and stderr:" >&2
  cat "$work/stdout" "$work/stderr" >&2
  exit 1
fi
echo "listening on $url"
hostport=${url#http://}
if command -v curl >/dev/null; then
  health=$(curl -fsS "$url/_testendpoint/health")
else # bash's /dev/tcp
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
  printf 'GET /_testendpoint/health HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
  health=$(sed -n '$p' <&3)
  exec 3<&-
fi
if [ "$health" != '{"status":"ok"}' ]; then
  echo "FAIL: GET /_testendpoint/health answered \"$health\"" >&2
  exit 1
fi
echo "GET /_testendpoint/health: $health"
kill -TERM -- "-$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=""

echo "== a program importing $module/internal/testendpoint must not compile"
mkdir "$work/importer"
cd "$work/importer"
cat >go.mod <<MOD
module example.com/importer

go 1.26

require $module $version
MOD
cat >main.go <<GO
package main

import "$module/internal/testendpoint"

func main() { _ = testendpoint.DefaultWorld() }
GO
if out=$(go build -o /dev/null . 2>&1); then
  echo "FAIL: importing an internal package of $module compiled" >&2
  exit 1
fi
echo "$out" | grep -q "use of internal package .* not allowed" || {
  echo "FAIL: unexpected error: $out" >&2
  exit 1
}
echo "$out"
echo "OK: go run $pkg@$version works outside the repository"
