#!/usr/bin/env bash
# One command for a fresh clone: install everything the tests need, then run the whole suite.
# No test is skipped for want of a package: what the suite runs is installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages, by the command the suite calls:
#   chromium + chromedriver  browser tests (Debian's pair is version-matched, no download)
#   rsync, rclone            the rsync and object-storage publishing targets (ops.publish)
#   node + npm               the Decap CMS format round trip, and npm for axe-core below
declare -A PACKAGE_OF=([chromium]=chromium [chromedriver]=chromium-driver [rsync]=rsync
                       [rclone]=rclone [node]=nodejs [npm]=npm)
missing=()
for cmd in chromium chromedriver rsync rclone node npm; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$cmd]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: install ${missing[*]} (no apt-get on this machine)" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Accessibility audit: axe-core from npm, pinned, into a cache folder outside the repo.
AXE_VERSION=4.14.1
AXE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/warta/axe"
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] || \
   ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
  mkdir -p "$AXE_DIR"
  npm install --no-save --no-audit --no-fund --silent --prefix "$AXE_DIR" "axe-core@$AXE_VERSION"
fi
export WARTA_AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"
scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest -q -ra "$@"
