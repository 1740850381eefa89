"""The plugin's shape: stages import downwards only, and no module grows past a reader's page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import warta

PACKAGE = Path(warta.__file__).parent
MAX_LINES = 650


def test_stage_packages_depend_downwards_only() -> None:
    """The layers contract in pyproject.toml, checked by import-linter (lazy imports included)."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=PACKAGE.parents[1],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_no_module_is_longer_than_a_reader_can_hold() -> None:
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    too_long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not too_long, f"split these modules by what they do: {too_long}"
