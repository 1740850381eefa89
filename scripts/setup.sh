#!/usr/bin/env bash
# Install what Warta needs into .venv (idempotent). Used by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat requirements.txt requirements-dev.txt pyproject.toml | sha1sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "${1:-requirements-dev.txt}"
  # The plugin package (plugins/warta) is importable as `warta` everywhere: Pelican, invoke, tests.
  .venv/bin/python -m pip install -q --no-deps -e .
  touch "$stamp"
fi
