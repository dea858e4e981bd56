#!/usr/bin/env bash
# Builds Helm v4.3.2 (helm.sh/helm/v4, from the Go module proxy) for the chart tests: the proxy
# serves tags only and `go install` refuses a module with replace directives, so cmd/helm is built
# through a small wrapper module (as docs/BACKENDS' Jaeger recipe). Cached: does nothing when present.
set -euo pipefail
VERSION=v4.3.2
CACHE="${MESHTAIL_CACHE:-$HOME/.cache/meshtail}"
OUT="$CACHE/helm-$VERSION"
if [ -x "$OUT" ] && [ "${1:-}" != "--force" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "build-helm: Go is required" >&2; exit 1; }
mkdir -p "$CACHE"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
go mod init helm-build >&2
go get -tool "helm.sh/helm/v4/cmd/helm@$VERSION" >&2
go build -trimpath -o "$OUT.tmp" helm.sh/helm/v4/cmd/helm >&2
mv "$OUT.tmp" "$OUT"
echo "$OUT"
