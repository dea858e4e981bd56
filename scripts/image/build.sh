#!/usr/bin/env bash
# `npm run image`: writes dist/meshtail-oci.tar, an OCI image archive (index.json, oci-layout, blobs)
# that also carries Docker's manifest.json, so `docker load`, `podman load` and
# `skopeo copy oci-archive:` all accept it. Built without a container daemon:
#   layer 1 (runtime): Node 24 (the `node` devDependency's binary), the shared libraries `ldd` says it
#                      needs (from this Debian host), /usr/bin/env, passwd/group with the non-root user
#                      65532, /tmp, /var/lib/meshtail
#   layer 2 (app):     /app with the sources (run as .ts by type stripping) and the production
#                      dependencies only (npm ci --omit=dev in a staging directory, cached by lockfile)
# Layers are deterministic (sorted names, mtime 0, numeric owners, gzip without a name or time), so
# the same inputs give the same digest. The Dockerfile beside this script does the same with a daemon.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${MESHTAIL_CACHE:-$HOME/.cache/meshtail}/image"
OUT="${1:-$ROOT/dist/meshtail-oci.tar}"
NODE="$(readlink -f "$ROOT/node_modules/node/bin/node")"
[ -x "$NODE" ] || { echo "image: node_modules/node/bin/node is missing; run npm ci" >&2; exit 1; }
"$NODE" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)' ||
  { echo "image: the node devDependency is not Node 24" >&2; exit 1; }

# Up to date: the same sources, lockfile, Node binary, host libraries and build scripts as last time.
APP_PATHS=(package.json package-lock.json bin agent processors receivers exporters scripts/image)
inputs=$( (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- "${APP_PATHS[@]}" | sort -z | xargs -0 sha256sum
  sha256sum "$NODE" /usr/bin/env; ldd "$NODE" | sed "s/ (0x[0-9a-f]*)//") | sha256sum | cut -d' ' -f1)
if [ -f "$OUT" ] && [ "$(cat "$OUT.inputs" 2>/dev/null)" = "$inputs" ] && [ "${MESHTAIL_IMAGE_FORCE:-}" != 1 ]; then
  echo "image: $OUT is up to date" >&2
  echo "$OUT"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$CACHE" "$(dirname "$OUT")"

# --- production dependencies, cached by the lockfile's digest -----------------------------------
lock=$(cat "$ROOT/package.json" "$ROOT/package-lock.json" | sha256sum | cut -c1-16)
deps="$CACHE/prod-deps-$lock"
if [ ! -d "$deps/node_modules" ]; then
  echo "image: npm ci --omit=dev (cached in $deps)" >&2
  rm -rf "$deps.tmp" && mkdir -p "$deps.tmp"
  cp "$ROOT/package.json" "$ROOT/package-lock.json" "$deps.tmp/"
  # No install scripts: none of the production dependencies needs one to run.
  (cd "$deps.tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >&2)
  rm -rf "$deps" && mv "$deps.tmp" "$deps"
fi

# --- layer 1: runtime ---------------------------------------------------------------------------
rt="$work/runtime"
mkdir -p "$rt/usr/local/bin" "$rt/usr/bin" "$rt/etc" "$rt/tmp" "$rt/proc" "$rt/sys" "$rt/dev" "$rt/var/lib/meshtail" "$rt/etc/meshtail"
cp "$NODE" "$rt/usr/local/bin/node"
cp /usr/bin/env "$rt/usr/bin/env"
# Each library under the path the loader looks for (symlinks resolved to their files).
for bin in "$NODE" /usr/bin/env; do
  ldd "$bin" | awk '/=>/ { print $3 } /^[ \t]*\// { print $1 }'
done | sort -u | while read -r lib; do
  [ -n "$lib" ] || continue
  mkdir -p "$rt$(dirname "$lib")"
  cp -L "$lib" "$rt$lib"
done
cat > "$rt/etc/passwd" <<'P'
root:x:0:0:root:/root:/sbin/nologin
meshtail:x:65532:65532:meshtail:/var/lib/meshtail:/sbin/nologin
P
cat > "$rt/etc/group" <<'G'
root:x:0:
meshtail:x:65532:
G
ln -s /app/bin/meshtail.js "$rt/usr/local/bin/meshtail"
chmod 1777 "$rt/tmp"
chmod 0700 "$rt/var/lib/meshtail"

# --- layer 2: app -------------------------------------------------------------------------------
app="$work/app/app"
mkdir -p "$app"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- package.json bin agent processors receivers exporters |
  grep -zv -e '\.test\.ts$' -e '/README\.md$' | xargs -0 cp --parents -t "$app")
cp -a "$deps/node_modules" "$app/node_modules"

# Deterministic tar: sorted, mtime 0, numeric owners (65532 owns the state directory), no atime/ctime.
layer() { # DIR OUT.tar.gz
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --mode='u+rwX,go+rX,go-w' -C "$1" -cf - . | gzip -n -6 > "$2"
}
# The state directory belongs to the non-root user: written as its own tar entry after the rest.
tar_runtime() {
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --exclude=./var/lib/meshtail --exclude=./tmp -C "$rt" -cf "$work/runtime.tar" .
  tar --mtime=@0 --numeric-owner --owner=65532 --group=65532 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --no-recursion -C "$rt" -rf "$work/runtime.tar" ./var/lib/meshtail
  tar --mtime=@0 --numeric-owner --owner=0 --group=0 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --no-recursion -C "$rt" -rf "$work/runtime.tar" ./tmp
  gzip -n -6 < "$work/runtime.tar" > "$work/runtime.tar.gz"
  rm "$work/runtime.tar"
}
tar_runtime
layer "$work/app" "$work/app.tar.gz"

version=$("$NODE" -p 'require(process.argv[1]).version' "$ROOT/package.json")
"$NODE" "$ROOT/scripts/image/oci-archive.ts" "$OUT" "$version" "$work/runtime.tar.gz" "$work/app.tar.gz" >&2
echo "$inputs" > "$OUT.inputs"
echo "$OUT"
