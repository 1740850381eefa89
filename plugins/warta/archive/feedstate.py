"""What the archive remembers of reading sources: feeds, pages, robots.txt, health, runs.

A failed feed is backed off (20 min doubling to a day), so hourly runs still try a feed
that failed once and a dead one costs one request a day. Validators (ETag,
Last-Modified, body hash) survive between runs; pages of feedless methods remember
their lastmod so unchanged pages are not fetched again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..core.records import FeedSpec, FetchResult, PageVisit
from .base import ArchiveBase, _dt, _iso
from .discovery import methods_by_source

BACKOFF_BASE = timedelta(minutes=20)
BACKOFF_CAP = timedelta(days=1)


def backoff_delay(consecutive_failures: int) -> timedelta:
    """20 min, 40 min, 80 min … capped at a day: hourly runs still try a feed that failed once."""
    if consecutive_failures <= 0:
        return timedelta(0)
    return min(BACKOFF_BASE * (2 ** min(consecutive_failures - 1, 16)), BACKOFF_CAP)



@dataclass(frozen=True, slots=True)
class SourceHealth:
    source_id: str
    last_attempt: datetime | None
    last_success: datetime | None
    last_status: str | None
    http_status: int | None
    error_class: str | None
    error_message: str | None
    consecutive_failures: int
    failing_since: datetime | None
    item_count: int
    newest_item: datetime | None
    feeds: tuple[FeedHealth, ...] = ()
    """Each ``feeds:`` entry of the source: its method and why it failed."""
    discovered: tuple[FeedSpec, ...] = ()
    """For a ``discover`` source: the ways of reading it the fetch run found."""


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """One ``feeds:`` entry's last outcome, for sources.json and the status page."""

    url: str
    method: str
    http_status: int | None
    error_class: str | None
    error_message: str | None
    note: str | None
    last_attempt: datetime | None
    last_success: datetime | None
    consecutive_failures: int


@dataclass(frozen=True, slots=True)
class PageState:
    """What the archive remembers of one article page or sitemap URL."""

    url: str
    kind: str
    lastmod: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    item_key: str | None
    error_class: str | None


@dataclass(frozen=True, slots=True)
class RobotsRecord:
    origin: str
    status: int | None
    body: str
    fetched_at: datetime



@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    consecutive_failures: int = 0
    next_attempt: datetime | None = None




class FeedStateStore(ArchiveBase):
    """Fetch outcomes per feed and source, pages seen, robots.txt, and run records."""

    def feed_state(self, url: str) -> FeedState | None:
        row = self.conn.execute(
            "SELECT url, etag, last_modified, body_hash, consecutive_failures, next_attempt "
            "FROM feeds WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        return FeedState(row["url"], row["etag"], row["last_modified"], row["body_hash"],
                         row["consecutive_failures"], _dt(row["next_attempt"]))

    def record_feed(self, source_id: str, result: FetchResult, *, now: datetime,
                    body_hash: str | None = None, error_class: str | None = None,
                    error_message: str | None = None, method: str = "feed",
                    note: str | None = None) -> None:
        """Remember one feed's fetch outcome (validators on success, error otherwise)."""
        err_cls = error_class or result.error_class
        err_msg = error_message or result.error_message
        ok = err_cls is None
        prev = self.feed_state(result.url)
        fails = 0 if ok else (prev.consecutive_failures if prev else 0) + 1
        next_attempt = None if ok else now + backoff_delay(fails)
        with self._writing():
            self.conn.execute(
                """
                INSERT INTO feeds (url, source_id, etag, last_modified, body_hash, last_attempt,
                                   last_success, http_status, error_class, error_message,
                                   consecutive_failures, next_attempt, method, note)
                VALUES (:url, :sid, :etag, :lm, :hash, :now, :success, :status, :ecls, :emsg, :fails,
                        :next, :method, :note)
                ON CONFLICT (url) DO UPDATE SET
                    source_id = excluded.source_id,
                    method = excluded.method,
                    note = excluded.note,
                    etag = COALESCE(excluded.etag, feeds.etag),
                    last_modified = COALESCE(excluded.last_modified, feeds.last_modified),
                    body_hash = COALESCE(excluded.body_hash, feeds.body_hash),
                    last_attempt = excluded.last_attempt,
                    last_success = COALESCE(excluded.last_success, feeds.last_success),
                    http_status = excluded.http_status,
                    error_class = excluded.error_class,
                    error_message = excluded.error_message,
                    consecutive_failures = excluded.consecutive_failures,
                    next_attempt = excluded.next_attempt
                """,
                {
                    "url": result.url, "sid": source_id,
                    "etag": result.etag if ok else None,
                    "lm": result.last_modified if ok else None,
                    "hash": body_hash if ok else None,
                    "now": _iso(now), "success": _iso(now) if ok else None,
                    "status": result.status, "ecls": err_cls, "emsg": err_msg,
                    "fails": fails, "next": _iso(next_attempt), "method": method, "note": note,
                },
            )

    def record_source(self, source_id: str, *, now: datetime, status: str,
                      http_status: int | None = None, error_class: str | None = None,
                      error_message: str | None = None) -> None:
        """Roll one source's feeds up into its health row."""
        ok = status != "error"
        with self._writing():
            self.conn.execute(
                """
                INSERT INTO sources (id, last_attempt, last_success, last_status, http_status,
                                     error_class, error_message, consecutive_failures, failing_since)
                VALUES (:id, :now, :success, :status, :http, :ecls, :emsg, :fails, :since)
                ON CONFLICT (id) DO UPDATE SET
                    last_attempt = excluded.last_attempt,
                    last_success = COALESCE(excluded.last_success, sources.last_success),
                    last_status = excluded.last_status,
                    http_status = excluded.http_status,
                    error_class = excluded.error_class,
                    error_message = excluded.error_message,
                    consecutive_failures = CASE WHEN excluded.error_class IS NULL THEN 0
                                                ELSE sources.consecutive_failures + 1 END,
                    failing_since = CASE WHEN excluded.error_class IS NULL THEN NULL
                                         ELSE COALESCE(sources.failing_since, excluded.last_attempt)
                                    END
                """,
                {
                    "id": source_id, "now": _iso(now), "success": _iso(now) if ok else None,
                    "status": status, "http": http_status,
                    "ecls": None if ok else error_class, "emsg": None if ok else error_message,
                    "fails": 0 if ok else 1, "since": None if ok else _iso(now),
                },
            )

    def health(self) -> dict[str, SourceHealth]:
        counts = {
            r["source_id"]: (r["n"], r["newest"])
            for r in self.conn.execute(
                "SELECT source_id, COUNT(*) AS n, MAX(published_ts) AS newest FROM items "
                "GROUP BY source_id"
            )
        }
        feeds: dict[str, list[FeedHealth]] = {}
        for f in self.conn.execute("SELECT * FROM feeds ORDER BY rowid"):
            feeds.setdefault(f["source_id"], []).append(FeedHealth(
                url=f["url"], method=f["method"], http_status=f["http_status"],
                error_class=f["error_class"], error_message=f["error_message"], note=f["note"],
                last_attempt=_dt(f["last_attempt"]), last_success=_dt(f["last_success"]),
                consecutive_failures=f["consecutive_failures"],
            ))
        found = methods_by_source(self.conn)
        out: dict[str, SourceHealth] = {}
        for r in self.conn.execute("SELECT * FROM sources"):
            n, newest = counts.get(r["id"], (0, None))
            out[r["id"]] = SourceHealth(
                source_id=r["id"], last_attempt=_dt(r["last_attempt"]),
                last_success=_dt(r["last_success"]), last_status=r["last_status"],
                http_status=r["http_status"], error_class=r["error_class"],
                error_message=r["error_message"],
                consecutive_failures=r["consecutive_failures"],
                failing_since=_dt(r["failing_since"]), item_count=n,
                newest_item=datetime.fromtimestamp(newest, UTC) if newest else None,
                feeds=tuple(feeds.get(r["id"], ())), discovered=found.get(r["id"], ()),
            )
        return out

    def record_run(self, started: datetime, finished: datetime, report: dict[str, object]) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO runs (started, finished, report) VALUES (?, ?, ?)",
                (_iso(started), _iso(finished), json.dumps(report, ensure_ascii=False)),
            )

    def page_states(self, source_id: str, urls: Iterable[str]) -> dict[str, PageState]:
        """The per-URL cache: which pages of ``source_id`` were seen, with what lastmod."""
        wanted = list(dict.fromkeys(urls))
        out: dict[str, PageState] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.conn.execute(
                "SELECT url, kind, lastmod, etag, last_modified, body_hash, item_key, error_class "
                f"FROM pages WHERE source_id = ? AND url IN ({', '.join('?' * len(chunk))})",
                [source_id, *chunk],
            )
            for r in rows:
                out[r["url"]] = PageState(r["url"], r["kind"], r["lastmod"], r["etag"],
                                          r["last_modified"], r["body_hash"], r["item_key"],
                                          r["error_class"])
        return out

    def record_pages(self, source_id: str, visits: Iterable[PageVisit], *, now: datetime) -> None:
        """Remember pages fetched this run (after their items were stored)."""
        now_iso = _iso(now)
        with self._writing():
            for v in visits:
                self.conn.execute(
                    """
                    INSERT INTO pages (source_id, url, kind, lastmod, etag, last_modified, body_hash,
                                       item_key, first_seen, last_fetched, http_status, error_class,
                                       error_message)
                    VALUES (:sid, :url, :kind, :lastmod, :etag, :lm, :hash, :key, :now, :now,
                            :status, :ecls, :emsg)
                    ON CONFLICT (source_id, url) DO UPDATE SET
                        kind = excluded.kind,
                        lastmod = excluded.lastmod,
                        etag = COALESCE(excluded.etag, pages.etag),
                        last_modified = COALESCE(excluded.last_modified, pages.last_modified),
                        body_hash = COALESCE(excluded.body_hash, pages.body_hash),
                        item_key = COALESCE(excluded.item_key, pages.item_key),
                        last_fetched = excluded.last_fetched,
                        http_status = excluded.http_status,
                        error_class = excluded.error_class,
                        error_message = excluded.error_message
                    """,
                    {"sid": source_id, "url": v.url, "kind": v.kind,
                     "lastmod": v.lastmod, "etag": v.etag,
                     "lm": v.last_modified, "hash": v.body_hash, "key": v.item_key, "now": now_iso,
                     "status": v.http_status, "ecls": v.error_class, "emsg": v.error_message},
                )

    def pending_pages(self, source_id: str, error_classes: Iterable[str]) -> list[str]:
        """Pages left for later (deferred by the per-run cap, or failed transiently)."""
        classes = list(error_classes)
        rows = self.conn.execute(
            f"SELECT url FROM pages WHERE source_id = ? AND kind = 'article' AND error_class IN "
            f"({', '.join('?' * len(classes))}) ORDER BY first_seen, url",
            [source_id, *classes],
        )
        return [r["url"] for r in rows]

    def pages_of_kind(self, source_id: str, kind: str) -> list[str]:
        """URLs of one kind (e.g. ``news-sitemap``) remembered for ``source_id``."""
        rows = self.conn.execute(
            "SELECT url FROM pages WHERE source_id = ? AND kind = ? AND error_class IS NULL "
            "ORDER BY url", (source_id, kind))
        return [r["url"] for r in rows]

    def page_fetched_at(self, source_id: str, url: str) -> datetime | None:
        row = self.conn.execute("SELECT last_fetched FROM pages WHERE source_id = ? AND url = ?",
                                (source_id, url)).fetchone()
        return _dt(row["last_fetched"]) if row else None

    def robots(self, origin: str) -> RobotsRecord | None:
        row = self.conn.execute("SELECT * FROM robots WHERE origin = ?", (origin,)).fetchone()
        if row is None:
            return None
        fetched = _dt(row["fetched_at"])
        assert fetched is not None
        return RobotsRecord(row["origin"], row["status"], row["body"] or "", fetched)

    def save_robots(self, origin: str, status: int | None, body: str, *, now: datetime) -> None:
        with self._writing():
            self.conn.execute(
                "INSERT INTO robots (origin, status, body, fetched_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (origin) DO UPDATE SET status = excluded.status, body = excluded.body, "
                "fetched_at = excluded.fetched_at",
                (origin, status, body, _iso(now)),
            )

