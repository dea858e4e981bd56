#!/usr/bin/env bash
# Builds Jaeger v2 (cmd/jaeger, all-in-one with in-memory storage), the real traces backend for the
# end-to-end tests. Recipe: ../shared/BACKENDS.md: the module proxy serves tags only, and `go install`
# of the tag fails on a `replace` in Jaeger's go.mod, so a small wrapper module builds it. The tag
# v1.76.0 is the same commit as Jaeger v2.13.0. Cached as ~/.cache/meshtail/jaeger-<tag>.
# Prints the binary's path. `--print-path` only prints it (test/support/jaeger.ts resolves it so);
# `--force` rebuilds.
set -euo pipefail
VERSION=v1.76.0
CACHE="${MESHTAIL_CACHE:-$HOME/.cache/meshtail}"
OUT="$CACHE/jaeger-$VERSION"
if [ "${1:-}" = "--print-path" ]; then echo "$OUT"; exit 0; fi
if [ -x "$OUT" ] && [ "${1:-}" != "--force" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "build-jaeger: Go is required to build Jaeger" >&2; exit 1; }
mkdir -p "$CACHE"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  go mod init jaeger-build >&2
  go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$VERSION" >&2
  go build -trimpath -o "$OUT.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
)
mv "$OUT.tmp" "$OUT"
echo "$OUT"
