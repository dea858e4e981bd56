#!/usr/bin/env bash
# Builds scripts/otlp-decode (our Go program over the official OTLP generated types) used by the
# conformance tests to decode meshtail's protobuf. Cached: does nothing when the binary exists.
set -euo pipefail
CACHE="${MESHTAIL_CACHE:-$HOME/.cache/meshtail}"
OUT="$CACHE/otlp-decode"
if [ -x "$OUT" ] && [ "${1:-}" != "--force" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "build-otlp-decode: Go is required" >&2; exit 1; }
mkdir -p "$CACHE"
cd "$(dirname "$0")/otlp-decode"
GOFLAGS=-mod=mod go build -trimpath -o "$OUT.tmp" . >&2
mv "$OUT.tmp" "$OUT"
echo "$OUT"
