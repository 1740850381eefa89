"""What a fetch worker process runs: feed bytes → cleaned items and their story signatures.

Kept apart from :mod:`warta.ingest.workers` and :mod:`warta.ingest.run` so a worker
imports only what it uses (feedparser, the clean-up, the story text features): not
aiohttp, the archive or the registry. A worker is ~15 MB smaller and starts faster.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..clean.normalize import normalize
from ..core.records import Item, RawEntry, Source
from ..stories.presign import Presigned, presign
from .parse import FeedParseError, parse_feed

log = logging.getLogger(__name__)

Parsed = tuple[list[tuple[Item, RawEntry]], str | None, dict[str, Presigned]]
"""A read feed: cleaned items, the bozo warning, and the items' story signatures."""


def parse_and_normalize(
    body: bytes, headers: dict[str, str], url: str, source: Source, seen_at: datetime
) -> Parsed | tuple[str, str]:
    """Worker-side: bytes → :data:`Parsed`, or ``(error_class, detail)``.

    Runs in a worker process, so it must be a picklable top-level function and
    must never raise: a crash here would count against every feed in the batch.
    The story signatures are computed here too: that is CPU work the parent
    would otherwise do alone, item after item, at the end of the run.
    """
    try:
        parsed = parse_feed(body, headers, url)
    except FeedParseError as exc:
        if exc.error_class == "not_a_feed":
            return (exc.error_class, urlsplit(url).path or url)
        return (exc.error_class, exc.detail)
    pairs = normalize_entries(parsed.entries, source, seen_at)
    return pairs, parsed.bozo, presign_items(pairs)


def parse_spooled(path: str, headers: dict[str, str], url: str, source: Source,
                  seen_at: datetime) -> Parsed | tuple[str, str]:
    """:func:`parse_and_normalize` of a body the parent spooled to ``path`` while it waited.

    The file is the parent's own copy of a body already under the size cap; it is
    removed once read (the parent removes it too if this never runs).
    """
    file = Path(path)
    try:
        body = file.read_bytes()
    except OSError as exc:
        return ("internal", f"{type(exc).__name__}: {exc}"[:200])
    file.unlink(missing_ok=True)
    return parse_and_normalize(body, headers, url, source, seen_at)


def presign_items(pairs: Sequence[tuple[Item, RawEntry]]) -> dict[str, Presigned]:
    """Story signatures of cleaned items (one that fails is signed later, from the archive)."""
    out: dict[str, Presigned] = {}
    for item, _raw in pairs:
        try:
            out[item.id] = presign(item)
        except Exception:  # derived data: never a reason to lose the item
            log.warning("%s: tanda tangan cerita gagal dihitung di pekerja", item.id, exc_info=True)
    return out


def normalize_entries(entries: Sequence[RawEntry], source: Source,
                      seen_at: datetime) -> list[tuple[Item, RawEntry]]:
    """Every reading method ends here: the one normalize path, duplicates dropped."""
    out: list[tuple[Item, RawEntry]] = []
    seen_ids: set[str] = set()
    for raw in entries:
        try:
            item = normalize(raw, source, seen_at=seen_at)
        except Exception:  # one bad entry must not drop the rest of its feed
            continue
        if item.id in seen_ids:
            continue  # repeated guid within one feed: keep the first
        seen_ids.add(item.id)
        out.append((item, raw))
    return out
