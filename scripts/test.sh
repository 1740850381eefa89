#!/usr/bin/env bash
# One command for a fresh clone: install everything the tests need, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the tests run: Chromium + ChromeDriver for browser tests (version-matched, no
# download), rsync and rclone for the publish targets.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v rclone >/dev/null 2>&1 || missing+=(rclone)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Accessibility audit (issue 4): axe-core from npm, pinned, into a cache folder outside the repo.
AXE_VERSION=4.14.1
AXE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/warta/axe"
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] || \
   ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
  if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq npm >/dev/null
  fi
  mkdir -p "$AXE_DIR"
  npm install --no-save --no-audit --no-fund --silent --prefix "$AXE_DIR" "axe-core@$AXE_VERSION"
fi
export WARTA_AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"
scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest -q "$@"
