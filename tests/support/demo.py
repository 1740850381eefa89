"""The offline demo as ``invoke demo`` builds it: dated relative to the build day."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import ModuleType

import tasks


def make_feeds() -> ModuleType:
    """demo/make_feeds.py, loaded the way ``invoke demo`` loads it."""
    return tasks.demo_feeds()


def materialise(target: Path, now: datetime) -> Path:
    """Write the demo as published by ``now`` into ``target``; returns its registry folder."""
    return make_feeds().materialise(target, now)
