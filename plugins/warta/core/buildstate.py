"""Where the incremental build keeps its state, and what later steps may read of it.

The build writes ``<output>.warta-state.json`` when it finishes
(:mod:`warta.site.incremental`): among other things the input digest of every
page it wrote or kept. A page whose digest is the same as when a later step
last looked at it has the same bytes — the build neither rendered nor wrote
it — so the search index need not look at it again (:mod:`warta.search.pagefind`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .outfiles import beside
from .settings import setting

STATE_VERSION = 1
STATE_SUFFIX = ".warta-state.json"


def state_path(settings: Mapping[str, Any], output: str | Path | None = None) -> Path:
    """``WARTA_BUILD_STATE``, or ``<output folder>.warta-state.json`` next to it
    (``output``, else the settings' ``OUTPUT_PATH``)."""
    explicit = setting(settings, "WARTA_BUILD_STATE")
    if explicit:
        return Path(explicit)
    return beside(output if output is not None else settings["OUTPUT_PATH"], STATE_SUFFIX)


def read_state(path: Path) -> dict[str, Any]:
    """The state a finished build left at ``path`` ({} if none, unreadable or of another
    version)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else {}


def page_digests(path: Path) -> dict[str, str]:
    """Output path → input digest of each page the last finished build wrote or kept
    ({} when there is no such build: every page is then looked at)."""
    pages = read_state(path).get("pages")
    return pages if isinstance(pages, dict) else {}
