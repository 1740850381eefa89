"""The offline demo as ``invoke demo`` builds it: dated relative to the build day."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


@cache
def make_feeds() -> ModuleType:
    """demo/make_feeds.py (a script beside the demo's texts, not a package)."""
    spec = importlib.util.spec_from_file_location("make_feeds", ROOT / "demo" / "make_feeds.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def materialise(target: Path, now: datetime) -> Path:
    """Write the demo as published by ``now`` into ``target``; returns its registry folder."""
    return make_feeds().materialise(target, now)
