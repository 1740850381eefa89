"""Report bodies, read from the archive when a page, feed or file first needs them.

A build turns every archived report into a Pelican article, but an hourly
build renders the pages of a few hundred: the others are settled
(:mod:`.settled`), and listings show summaries. Holding every body would cost
about 3 KB a report (320 MB at 100,000 reports, for nothing), so an archived
report's article carries a way to read its body instead (:data:`LOADER_ATTR`),
and Pelican's ``get_content`` calls it through the article's ``_get_content``.
Local Markdown articles keep their body in ``_content`` as Pelican reads it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..archive.store import Archive

LOADER_ATTR = "warta_load_body"
"""Article attribute: a callable returning the archived body (links marked, bridge.py)."""

BODY_KEY_ATTR = "warta_body_key"
"""Article attribute: a key that changes whenever the body does (the archive's content hash)."""


class BodyReader:
    """Bodies by report id, over one archive connection per process.

    Render workers are forked from the build (:mod:`.parallel`); an SQLite
    connection must not be used across a fork, so a worker opens its own. The
    parent's stays referenced (and is never closed by a worker).
    """

    def __init__(self, db: Path):
        self.db = db
        self._archives: dict[int, Archive] = {}

    def __call__(self, item_id: str) -> str:
        pid = os.getpid()
        archive = self._archives.get(pid)
        if archive is None:
            archive = self._archives[pid] = Archive(self.db)
        body = archive.body(item_id)
        if body is None:
            raise LookupError(f"{self.db}: berita {item_id} tidak ada lagi di arsip")
        return body


def body_of(article: Any) -> str:
    """The article's body as archived or written, before its images are rewritten."""
    load = getattr(article, LOADER_ATTR, None)
    return load() if load is not None else (getattr(article, "_content", "") or "")
