#!/usr/bin/env bash
# Installs or builds every real peer the tests run against, so that `npm test` on a fresh machine
# skips nothing: Debian's logrotate and prometheus-alertmanager, and, from the Go module proxy, the
# OpenTelemetry Collector, Jaeger v2 and our OTLP decoder (each cached under ~/.cache/meshtail).
# `npm test` runs it first (pretest); it does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, named by the binary each provides.
declare -A DEBIAN=(
  [logrotate]=/usr/sbin/logrotate
  [prometheus-alertmanager]=/usr/bin/prometheus-alertmanager
)
missing=()
for pkg in "${!DEBIAN[@]}"; do
  [ -x "${DEBIAN[$pkg]}" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  echo "peers: installing ${missing[*]} (Debian)" >&2
  "${sudo[@]}" apt-get update -qq >&2
  # The packages' services are not started: tests run the binaries on loopback ports themselves.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Go-built peers; each script prints its cached path and builds only when it is missing.
for build in build-otelcol build-jaeger build-otlp-decode; do
  bash "scripts/$build.sh" >/dev/null
done
echo "peers: ready" >&2
