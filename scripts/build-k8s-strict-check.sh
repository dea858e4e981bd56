#!/usr/bin/env bash
# Builds scripts/k8s-strict-check (strict decoding of manifests against k8s.io/api v0.37.2) for the
# deploy tests. Cached: does nothing when the binary is newer than its sources.
set -euo pipefail
CACHE="${MESHTAIL_CACHE:-$HOME/.cache/meshtail}"
OUT="$CACHE/k8s-strict-check"
SRC="$(cd "$(dirname "$0")/k8s-strict-check" && pwd)"
if [ -x "$OUT" ] && [ "${1:-}" != "--force" ] && [ -z "$(find "$SRC" -newer "$OUT" -type f)" ]; then
  echo "$OUT"; exit 0
fi
command -v go >/dev/null || { echo "build-k8s-strict-check: Go is required" >&2; exit 1; }
mkdir -p "$CACHE"
cd "$SRC"
GOFLAGS=-mod=mod go build -trimpath -o "$OUT.tmp" . >&2
mv "$OUT.tmp" "$OUT"
echo "$OUT"
