#!/usr/bin/env bash
# Builds the real OpenTelemetry Collector used as the OTLP peer in integration tests and benchmarks.
# Recipe: ../shared/BACKENDS.md (builder generates, `go build` compiles; the builder's own tidy fails
# on the contrib file exporter's test-only imports). Cached: does nothing when the binary exists.
set -euo pipefail
VERSION=v0.165.0
CACHE="${MESHTAIL_CACHE:-$HOME/.cache/meshtail}"
OUT="$CACHE/otelcol-sink"
if [ -x "$OUT" ] && [ "${1:-}" != "--force" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "build-otelcol: Go is required to build the Collector" >&2; exit 1; }
mkdir -p "$CACHE"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOBIN="$CACHE/bin" go install "go.opentelemetry.io/collector/cmd/builder@$VERSION" >&2
cat > "$work/builder.yaml" <<Y
dist: { name: otelcol-sink, description: meshtail test backend, output_path: $work/out }
receivers:
  - { gomod: go.opentelemetry.io/collector/receiver/otlpreceiver $VERSION }
  - { gomod: github.com/open-telemetry/opentelemetry-collector-contrib/receiver/filelogreceiver $VERSION }
processors: [ { gomod: go.opentelemetry.io/collector/processor/batchprocessor $VERSION } ]
exporters:
  - { gomod: go.opentelemetry.io/collector/exporter/debugexporter $VERSION }
  - { gomod: go.opentelemetry.io/collector/exporter/otlphttpexporter $VERSION }
  - { gomod: github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter $VERSION }
extensions:
  - { gomod: github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage $VERSION }
Y
# The builder writes go.mod, then its `go mod tidy` may fail on test-only imports of contrib modules;
# go.mod is usable either way and `go build -mod=mod` resolves what the build needs.
"$CACHE/bin/builder" --config "$work/builder.yaml" --skip-compilation >&2 || [ -f "$work/out/go.mod" ]
(cd "$work/out" && GOFLAGS=-mod=mod go build -trimpath -o "$OUT.tmp" . >&2)
mv "$OUT.tmp" "$OUT"
echo "$OUT"
