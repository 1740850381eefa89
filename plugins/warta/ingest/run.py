"""One fetch run: registry → fetch → parse → normalize → archive, with a report.

Each ``feeds:`` entry is read by its method (:mod:`.methods`) and what the method gives is
archived on one path, whatever the method. The event loop only waits on the network;
parsing and cleaning are CPU work and run in worker processes when there are many feeds
(:mod:`.workers`), so a slow feed never blocks the rest and both cores are used. Each
entry is archived as one unit as soon as it is ready, and units commit a few at a time
(at most 0.5 s apart): a run killed midway keeps what it committed and reads the rest
again next time.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from ..archive.base import GROUP_SECONDS, utcnow
from ..archive.store import Archive
from ..core.messages import fetch_error_message, wp_fallback_note
from ..core.records import FeedSpec, FetchResult, Source
from ..stories.assign import assign_after_run
from ..stories.presign import PresignStore
from . import firstrun
from .feedwork import normalize_entries
from .fetch import Fetcher, FetchPolicy
from .methods import Crawl, MethodOutcome, method_for
from .polite import PageGate
from .robots import RobotsCache
from .workers import FeedWorkers

__all__ = ["Aggregator", "FeedOutcome", "RunReport", "SourceOutcome", "run_fetch"]

log = logging.getLogger(__name__)

INLINE_FEED_LIMIT = 40
"""Below this many feeds, parsing in-process is cheaper than starting workers."""


@dataclass(slots=True)
class FeedOutcome:
    url: str
    status: str  # ok | not_modified | error | deferred (backing off after failures)
    http_status: int | None = None
    error_class: str | None = None
    error_message: str | None = None
    new: int = 0
    updated: int = 0
    entries: int = 0
    method: str = "feed"
    """The registry method of this entry: feed | wordpress | sitemap | html."""
    used: str = "feed"
    """The method that actually produced the items (``feed`` when WordPress fell back)."""
    note: str | None = None
    pages: int = 0
    """Article or API pages requested beyond the entry's own URL."""
    warning: str | None = None
    """Why the feed was ill-formed although its entries could be recovered."""


@dataclass(slots=True)
class SourceOutcome:
    source_id: str
    status: str
    new: int = 0
    updated: int = 0
    error_class: str | None = None
    error_message: str | None = None
    feeds: list[FeedOutcome] = field(default_factory=list)
    discovered: str | None = None
    """The method this run found for a ``discover: true`` source (``feed``, ``wordpress`` …)."""


@dataclass(slots=True)
class RunReport:
    started: datetime
    finished: datetime | None = None
    sources: list[SourceOutcome] = field(default_factory=list)
    stories: dict[str, object] | None = None
    """What story assignment did after the fetch."""

    @property
    def duration(self) -> float:
        end = self.finished or utcnow()
        return (end - self.started).total_seconds()

    def count(self, status: str) -> int:
        return sum(1 for s in self.sources if s.status == status)

    @property
    def items_new(self) -> int:
        return sum(s.new for s in self.sources)

    @property
    def items_updated(self) -> int:
        return sum(s.updated for s in self.sources)

    def to_json(self) -> dict[str, object]:
        """Machine-readable run log (a line of JSON per run for operators)."""
        return {
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "duration_s": round(self.duration, 3),
            "sources_total": len(self.sources),
            "sources_ok": self.count("ok"),
            "sources_not_modified": self.count("not_modified"),
            "sources_failed": self.count("error"),
            "sources_deferred": self.count("deferred"),
            "sources_discovered": sum(1 for s in self.sources if s.discovered),
            "items_new": self.items_new,
            "items_updated": self.items_updated,
            "stories": self.stories,
            "sources": [asdict(s) for s in self.sources],
        }


class Aggregator:
    """Fetch every active source into the archive."""

    def __init__(self, archive: Archive, sources: Sequence[Source], *, registry_root: Path,
                 policy: FetchPolicy | None = None, workers: int | None = None,
                 clock: Callable[[], datetime] = utcnow, force: bool = False,
                 on_progress: Callable[[SourceOutcome], None] | None = None):
        self.archive = archive
        self.sources = [s for s in sources if s.active]
        self.registry_root = registry_root
        self.policy = policy or FetchPolicy()
        self.workers = workers
        self.clock = clock
        self.force = force
        """Ignore per-feed backoff and try every feed now (operators: ``--force``)."""
        self.on_progress = on_progress
        self._presigned: PresignStore | None = None
        """Story signatures of the items this run stored, computed by the workers."""

    async def run(self) -> RunReport:
        report = RunReport(started=self.clock())
        # A source still to be searched for is expected to find one feed.
        feed_count = sum(len(s.feeds) or int(s.discover) for s in self.sources)
        workers = self.workers
        if workers is None:
            workers = 0 if feed_count < INLINE_FEED_LIMIT else min(2, os.cpu_count() or 1)
        with FeedWorkers(workers) as feed_workers:
            async with Fetcher(self.policy, file_root=self.registry_root) as fetcher:
                crawl = Crawl(
                    fetcher=fetcher, archive=self.archive, policy=self.policy, now=report.started,
                    robots=RobotsCache(self.archive, fetcher, ttl=self.policy.robots_ttl,
                                       now=report.started),
                    gate=PageGate(self.policy.page_per_host_concurrency, self.policy.page_delay),
                    workers=feed_workers, clock=self.clock,
                )
                tasks = [self._source(crawl, s) for s in self.sources]
                with self.archive.grouped_commits():
                    ticker = asyncio.create_task(self._commit_ticker())
                    try:
                        for coro in asyncio.as_completed(tasks):
                            outcome = await coro
                            report.sources.append(outcome)
                            if self.on_progress:
                                self.on_progress(outcome)
                    finally:
                        ticker.cancel()
        try:
            report.stories = assign_after_run(self.archive, self._presigned)
        finally:
            if self._presigned is not None:
                self._presigned.close()
                self._presigned = None
        report.finished = self.clock()
        report.sources.sort(key=lambda s: s.source_id)
        self.archive.record_run(report.started, report.finished, report.to_json())
        return report

    async def _commit_ticker(self) -> None:
        """Commit the open group of feeds every :data:`~warta.archive.store.GROUP_SECONDS`, so
        finished feeds never wait uncommitted for slow ones (nothing awaits inside a unit:
        at any await the group holds only whole feeds)."""
        while True:
            await asyncio.sleep(GROUP_SECONDS)
            self.archive.commit_group()

    async def _source(self, crawl: Crawl, source: Source) -> SourceOutcome:
        specs = source.feeds
        found: str | None = None
        if not specs and source.discover:
            resolved = await firstrun.resolve(crawl, source, now=self.clock(), force=self.force)
            if resolved.status == "deferred":
                return SourceOutcome(source_id=source.id, status="deferred",
                                     error_message=resolved.error_message)
            if resolved.status == "error":
                self.archive.record_source(source.id, now=self.clock(), status="error",
                                           error_class=resolved.error_class,
                                           error_message=resolved.error_message)
                return SourceOutcome(source_id=source.id, status="error",
                                     error_class=resolved.error_class,
                                     error_message=resolved.error_message)
            specs, found = resolved.specs, resolved.found
        outcomes = [await self._feed(crawl, source, spec) for spec in specs]
        failed = [f for f in outcomes if f.status == "error"]
        if outcomes and all(f.status == "deferred" for f in outcomes):
            # Backing off: the health row keeps the last real outcome.
            return SourceOutcome(source_id=source.id, status="deferred", feeds=outcomes)
        if failed and len(failed) == len(outcomes):
            status = "error"
        elif all(f.status == "not_modified" for f in outcomes):
            status = "not_modified"
        else:
            status = "ok"
        first_err = failed[0] if failed else None
        self.archive.record_source(
            source.id, now=self.clock(), status=status,
            http_status=outcomes[0].http_status if outcomes else None,
            error_class=first_err.error_class if first_err else None,
            error_message=first_err.error_message if first_err else None,
        )
        return SourceOutcome(
            source_id=source.id, status=status,
            new=sum(f.new for f in outcomes), updated=sum(f.updated for f in outcomes),
            error_class=first_err.error_class if first_err else None,
            error_message=first_err.error_message if first_err else None,
            feeds=outcomes, discovered=found,
        )

    async def _feed(self, crawl: Crawl, source: Source, spec: FeedSpec) -> FeedOutcome:
        url = spec.url  # a relative file: URL is read from the registry root (Fetcher.file_root)
        deferred = self._deferred(url, spec.method)
        if deferred is not None:
            return deferred
        outcome = await self._read(crawl, spec.method, source, spec, url)
        if outcome.status == "fallback" and outcome.fallback_url:
            return await self._fallback(crawl, source, spec, url, outcome)
        return await self._store(source, spec.method, outcome)

    def _deferred(self, url: str, method: str) -> FeedOutcome | None:
        """The outcome of an entry still backing off after failures (None: read it now)."""
        state = self.archive.feed_state(url)
        if (not self.force and state is not None and state.next_attempt is not None
                and self.clock() < state.next_attempt):
            return FeedOutcome(url, "deferred", method=method, used=method, error_message=(
                f"menunggu jadwal ulang setelah {state.consecutive_failures} kali gagal"))
        return None

    async def _read(self, crawl: Crawl, method: str, source: Source, spec: FeedSpec,
                    url: str) -> MethodOutcome:
        try:
            return await method_for(method)(crawl, source, spec, url)
        except Exception as exc:  # a bug in one method must not stop the other sources
            detail = f"{type(exc).__name__}: {exc}"[:200]
            result = FetchResult(url=url, status=None, error_class="internal",
                                 error_message=fetch_error_message("internal", None, detail))
            return MethodOutcome("error", result, error_class="internal",
                                 error_message=result.error_message)

    async def _store(self, source: Source, method: str, outcome: MethodOutcome) -> FeedOutcome:
        """Archive what a method read, one path for every method: its items (normalized
        here when it gave raw entries), the pages it visited and the entry's fetch state
        in one feed batch, with the story signatures it computed."""
        now = outcome.read_at or self.clock()
        result = outcome.result
        url = result.url
        if outcome.status in ("error", "fallback"):
            self.archive.record_feed(source.id, result, now=now, error_class=outcome.error_class,
                                     error_message=outcome.error_message, method=method,
                                     note=outcome.note)
            return FeedOutcome(url, "error", result.status, outcome.error_class,
                               outcome.error_message, method=method, used=method,
                               note=outcome.note, pages=outcome.pages)
        pairs = outcome.pairs
        if pairs is None:
            pairs = (await asyncio.to_thread(normalize_entries, outcome.entries, source, now)
                     if outcome.entries else [])
        presigned = outcome.presigned
        # The worker hashed each item for its story signature: the parent need not again.
        hashes = {item_id: p.content_hash for item_id, p in presigned.items()} if presigned else None
        if presigned is not None and self._presigned is None:
            try:
                self._presigned = PresignStore(self.archive.conn)
            except sqlite3.Error:  # derived data: the items are signed from the archive instead
                log.warning("tabel sementara tanda tangan cerita tidak dapat dibuat", exc_info=True)
        with self.archive.feed_batch():
            stored = self.archive.store_items(pairs, now=now, hashes=hashes)
            self.archive.record_pages(source.id, outcome.visits, now=now)
            self.archive.record_feed(source.id, result, now=now, body_hash=outcome.body_hash,
                                     method=method, note=outcome.note)
            if (presigned is not None and (stored.new or stored.updated)
                    and self._presigned is not None):
                try:  # in the feed's transaction: one commit
                    self._presigned.put(presigned)
                except sqlite3.Error:  # derived data: signed from the archive instead
                    log.warning("%s: tanda tangan cerita tidak dapat disimpan sementara",
                                source.id, exc_info=True)
        status = "not_modified" if outcome.status == "not_modified" else "ok"
        return FeedOutcome(url, status, result.status, new=stored.new, updated=stored.updated,
                           entries=len(pairs), method=method, used=method, note=outcome.note,
                           pages=outcome.pages, warning=outcome.warning)

    async def _fallback(self, crawl: Crawl, source: Source, spec: FeedSpec, url: str,
                        outcome: MethodOutcome) -> FeedOutcome:
        """WordPress API off: read the site's feed, and say so in the health note."""
        assert outcome.fallback_url is not None
        feed = self._deferred(outcome.fallback_url, "feed")
        if feed is None:
            read = await self._read(crawl, "feed", source, spec, outcome.fallback_url)
            feed = await self._store(source, "feed", read)
        note = wp_fallback_note(outcome.note or "", outcome.fallback_url)
        if feed.status == "deferred":  # the fallback feed is backing off: nothing to record
            feed.url, feed.method, feed.used, feed.note = url, spec.method, "feed", note
            return feed
        if feed.status == "error":
            ecls = outcome.error_class
            emsg = f"{outcome.error_message}; feed juga gagal: {feed.error_message}"
        else:
            ecls = emsg = None
        result = outcome.result
        self.archive.record_feed(source.id, FetchResult(url=url, status=result.status), now=self.clock(),
                                 error_class=ecls, error_message=emsg, method=spec.method, note=note)
        feed.url, feed.method, feed.used, feed.note = url, spec.method, "feed", note
        if ecls is not None:
            feed.error_class, feed.error_message = ecls, emsg
        return feed


def run_fetch(archive: Archive, sources: Sequence[Source], *, registry_root: Path,
              policy: FetchPolicy | None = None, workers: int | None = None, force: bool = False,
              clock: Callable[[], datetime] = utcnow,
              on_progress: Callable[[SourceOutcome], None] | None = None) -> RunReport:
    """Synchronous entry point used by tasks and tests."""
    agg = Aggregator(archive, sources, registry_root=registry_root, policy=policy,
                     workers=workers, force=force, clock=clock, on_progress=on_progress)
    return asyncio.run(agg.run())
