"""What the fetch run found out by itself about sources registered with ``discover: true``.

A registry entry may name only a homepage; the first fetch run looks for a
way of reading it (:mod:`warta.ingest.firstrun`) and keeps what it found here,
so the next runs read those methods without searching again. One row per
source: the homepage searched, the methods found (best first), and the search's
own failures and backoff, kept apart from the methods' fetch state (which is in
``feeds``, keyed by URL, like every registry feed's). The table is in
:mod:`warta.archive.schema` (migration 10).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..core.records import FeedSpec
from .base import ArchiveBase, _dt, _iso


@dataclass(frozen=True, slots=True)
class Discovered:
    """One source's search: what it found and when to search again."""

    source_id: str
    homepage: str
    methods: tuple[FeedSpec, ...]
    found_by: str | None
    items: int
    found_at: datetime | None
    last_attempt: datetime
    error_class: str | None
    error_message: str | None
    consecutive_failures: int
    next_attempt: datetime | None


def _specs_json(specs: Sequence[FeedSpec]) -> str:
    return json.dumps([{"method": s.method, "url": s.url, "options": dict(s.options)}
                       for s in specs], ensure_ascii=False)


def _specs(text: str) -> tuple[FeedSpec, ...]:
    return tuple(FeedSpec(url=str(d["url"]), method=str(d.get("method") or "feed"),
                          options={str(k): str(v) for k, v in (d.get("options") or {}).items()})
                 for d in json.loads(text or "[]"))


def _row(r: sqlite3.Row) -> Discovered:
    return Discovered(
        source_id=r["source_id"], homepage=r["homepage"], methods=_specs(r["methods"]),
        found_by=r["found_by"], items=int(r["items"]), found_at=_dt(r["found_at"]),
        last_attempt=datetime.fromisoformat(r["last_attempt"]), error_class=r["error_class"],
        error_message=r["error_message"], consecutive_failures=int(r["consecutive_failures"]),
        next_attempt=_dt(r["next_attempt"]))


def methods_by_source(conn: sqlite3.Connection) -> dict[str, tuple[FeedSpec, ...]]:
    """Source id → the ways of reading it found (for the health of every source at once)."""
    return {r[0]: _specs(r[1]) for r in conn.execute("SELECT source_id, methods FROM discovered")}


class DiscoveryStore(ArchiveBase):
    """The ``discovered`` table."""

    def discovered(self, source_id: str) -> Discovered | None:
        row = self.conn.execute("SELECT * FROM discovered WHERE source_id = ?",
                                (source_id,)).fetchone()
        return _row(row) if row is not None else None

    def all_discovered(self) -> Iterator[Discovered]:
        for row in self.conn.execute("SELECT * FROM discovered ORDER BY source_id"):
            yield _row(row)

    def record_discovery(self, source_id: str, homepage: str, *, now: datetime,
                         retry: Callable[[int], timedelta], methods: Sequence[FeedSpec] = (),
                         found_by: str | None = None, items: int = 0,
                         error_class: str | None = None,
                         error_message: str | None = None) -> Discovered:
        """Remember one search and return the row as stored.

        Methods found replace the old ones. A search that found nothing keeps the old
        methods of the same homepage (they have their own backoff in ``feeds``) and counts
        one more failure. ``retry`` maps the failures counted after this search (0 when
        it found something) to the wait before the next search.
        """
        prev = self.discovered(source_id)
        same = prev is not None and prev.homepage == homepage
        if methods:
            fails, kept_by, kept_items, found_at = 0, found_by, items, now
        elif prev is not None and same:
            methods, kept_by, kept_items, found_at = (prev.methods, prev.found_by, prev.items,
                                                      prev.found_at)
            fails = prev.consecutive_failures + 1
        else:
            fails, kept_by, kept_items, found_at = 1, None, 0, None
        wait = retry(fails)
        row = Discovered(
            source_id=source_id, homepage=homepage, methods=tuple(methods), found_by=kept_by,
            items=kept_items, found_at=found_at, last_attempt=now,
            error_class=None if fails == 0 else error_class,
            error_message=None if fails == 0 else error_message,
            consecutive_failures=fails, next_attempt=now + wait if wait else None)
        with self._writing():
            self.conn.execute(
                "INSERT OR REPLACE INTO discovered (source_id, homepage, methods, found_by, items, "
                "found_at, last_attempt, error_class, error_message, consecutive_failures, "
                "next_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row.source_id, row.homepage, _specs_json(row.methods), row.found_by, row.items,
                 _iso(row.found_at), _iso(row.last_attempt), row.error_class, row.error_message,
                 row.consecutive_failures, _iso(row.next_attempt)))
        return row
