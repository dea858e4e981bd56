#!/usr/bin/env bash
# Builds the real OpenTelemetry Collector used as the OTLP peer in integration tests and benchmarks.
# Recipe: ../shared/BACKENDS.md (builder generates, `go build` compiles; the builder's own tidy fails
# on the contrib file exporter's test-only imports). Cached by the manifest's content: the binary is
# otelcol-sink-<sha of the manifest>, so a changed manifest builds a new one (CI caches by path).
# Prints the binary's path. `--print-path` only prints it (test/support/collector.ts resolves it so);
# `--force` rebuilds.
set -euo pipefail
VERSION=v0.165.0
CACHE="${MESHTAIL_CACHE:-$HOME/.cache/meshtail}"
# output_path is relative: the builder runs in a temporary directory, and the text stays the same.
MANIFEST="dist: { name: otelcol-sink, description: meshtail test backend, output_path: ./out }
receivers:
  - { gomod: go.opentelemetry.io/collector/receiver/otlpreceiver $VERSION }
  - { gomod: github.com/open-telemetry/opentelemetry-collector-contrib/receiver/filelogreceiver $VERSION }
processors:
  - { gomod: go.opentelemetry.io/collector/processor/batchprocessor $VERSION }
  # from_context: metadata.x-scope-orgid makes the tenant header visible in the output (tenants test).
  # resourceprocessor rather than attributesprocessor: same actions (coreinternal/attraction), without
  # internal/filter, whose pkg/ottl/contexts/xprofile v0.165.0 zip the module proxy refuses (403).
  - { gomod: github.com/open-telemetry/opentelemetry-collector-contrib/processor/resourceprocessor $VERSION }
exporters:
  - { gomod: go.opentelemetry.io/collector/exporter/debugexporter $VERSION }
  - { gomod: go.opentelemetry.io/collector/exporter/otlphttpexporter $VERSION }
  - { gomod: github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter $VERSION }
extensions:
  - { gomod: github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage $VERSION }
"
SHA=$(printf '%s' "$MANIFEST" | sha256sum | cut -c1-12)
OUT="$CACHE/otelcol-sink-$SHA"
if [ "${1:-}" = "--print-path" ]; then echo "$OUT"; exit 0; fi
if [ -x "$OUT" ] && [ "${1:-}" != "--force" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "build-otelcol: Go is required to build the Collector" >&2; exit 1; }
mkdir -p "$CACHE"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOBIN="$CACHE/bin" go install "go.opentelemetry.io/collector/cmd/builder@$VERSION" >&2
printf '%s' "$MANIFEST" > "$work/builder.yaml"
# The builder writes go.mod, then its `go mod tidy` may fail on test-only imports of contrib modules;
# go.mod is usable either way and `go build -mod=mod` resolves what the build needs.
(cd "$work" && "$CACHE/bin/builder" --config builder.yaml --skip-compilation >&2) || [ -f "$work/out/go.mod" ]
(cd "$work/out" && GOFLAGS=-mod=mod go build -trimpath -o "$OUT.tmp" . >&2)
mv "$OUT.tmp" "$OUT"
echo "$OUT"
