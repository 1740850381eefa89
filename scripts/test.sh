#!/usr/bin/env bash
# One command for a fresh clone: install everything the tests need, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Browser tests use Debian's Chromium + ChromeDriver (version-matched, no download).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest -q "$@"
