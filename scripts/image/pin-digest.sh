#!/usr/bin/env bash
# Pins deploy/ (the kustomize base and the chart's default values) to the image `npm run image`
# built: its manifest digest changes with any source, dependency or Node change, so run this when
# releasing the image that deploy/ should name.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
archive=$(bash "$ROOT/scripts/image/build.sh")
digest=$(tar -xOf "$archive" index.json | grep -o '"digest":"sha256:[0-9a-f]*"' | head -1 | cut -d'"' -f4)
sed -i -E "s|(ghcr.io/meshtail/meshtail@)sha256:[0-9a-f]{64}|\1$digest|g" "$ROOT/deploy/kubernetes/daemonset.yaml"
sed -i -E "s|^(  digest: \")sha256:[0-9a-f]{64}\"|\1$digest\"|" "$ROOT/deploy/helm/meshtail/values.yaml"
echo "$digest"
