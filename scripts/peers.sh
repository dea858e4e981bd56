#!/usr/bin/env bash
# Installs or builds every real peer the tests run against, so that `npm test` on a fresh machine
# skips nothing: Debian's logrotate, prometheus-alertmanager and prometheus (promtool), and, from the
# Go module proxy, the OpenTelemetry Collector, Jaeger v2, our OTLP decoder, Helm and our strict
# Kubernetes manifest checker (each cached under ~/.cache/meshtail).
# `npm test` runs it first (pretest); it does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, named by the binary each provides.
declare -A DEBIAN=(
  [logrotate]=/usr/sbin/logrotate
  [prometheus-alertmanager]=/usr/bin/prometheus-alertmanager
  [prometheus]=/usr/bin/promtool # promtool checks and unit-tests deploy/alerts
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
# Helm v4.3.2 and the strict manifest checker test deploy/ (test/unit/deploy). The OCI image is built
# by its own test when missing or stale (scripts/image/build.sh, cached by its inputs).
for build in build-otelcol build-jaeger build-otlp-decode build-helm build-k8s-strict-check; do
  bash "scripts/$build.sh" >/dev/null
done
echo "peers: ready" >&2
