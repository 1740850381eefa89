#!/usr/bin/env bash
# One command for a fresh clone: install, build the demo hub from demo/ (no network), serve it
# at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh requirements-dev.txt
exec .venv/bin/invoke demo "$@"
