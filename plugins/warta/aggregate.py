"""One fetch run: registry → fetch → parse → normalize → archive, with a report.

The event loop only waits on the network; parsing and cleaning are CPU work
and run in worker processes when there are many feeds, so a slow feed never
blocks the rest and both cores are used. Each feed is archived in its own
transaction as soon as it is ready: a run killed midway keeps what it did.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from .archive import Archive, StoreOutcome, utcnow
from .fetch import Fetcher, FetchPolicy
from .messages import fetch_error_message
from .normalize import normalize
from .parse import FeedParseError, parse_feed
from .records import FeedSpec, FetchResult, Item, RawEntry, Source
from .registry import resolve_feed_url
from .stories import assign_after_run

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


@dataclass(slots=True)
class RunReport:
    started: datetime
    finished: datetime | None = None
    sources: list[SourceOutcome] = field(default_factory=list)
    stories: dict[str, object] | None = None
    """What story assignment did after the fetch (issue 6)."""

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
            "items_new": self.items_new,
            "items_updated": self.items_updated,
            "stories": self.stories,
            "sources": [asdict(s) for s in self.sources],
        }


def parse_and_normalize(
    body: bytes, headers: dict[str, str], url: str, source: Source, seen_at: datetime
) -> tuple[list[tuple[Item, RawEntry]], str | None] | tuple[str, str]:
    """Worker-side: bytes → ``(cleaned items, bozo warning)``, or ``(error_class, detail)``.

    Runs in a worker process, so it must be a picklable top-level function and
    must never raise: a crash here would count against every feed in the batch.
    """
    try:
        parsed = parse_feed(body, headers, url)
    except FeedParseError as exc:
        return (exc.error_class, exc.detail)
    out: list[tuple[Item, RawEntry]] = []
    seen_ids: set[str] = set()
    for raw in parsed.entries:
        try:
            item = normalize(raw, source, seen_at=seen_at)
        except Exception:  # one bad entry must not drop the rest of its feed
            continue
        if item.id in seen_ids:
            continue  # repeated guid within one feed: keep the first
        seen_ids.add(item.id)
        out.append((item, raw))
    return out, parsed.bozo


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

    async def run(self) -> RunReport:
        report = RunReport(started=self.clock())
        feed_count = sum(len(s.feeds) for s in self.sources)
        workers = self.workers
        if workers is None:
            workers = 0 if feed_count < INLINE_FEED_LIMIT else min(2, os.cpu_count() or 1)
        pool: Executor | None = None
        if workers > 0:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"))
        try:
            async with Fetcher(self.policy) as fetcher:
                tasks = [self._source(fetcher, pool, s) for s in self.sources]
                for coro in asyncio.as_completed(tasks):
                    outcome = await coro
                    report.sources.append(outcome)
                    if self.on_progress:
                        self.on_progress(outcome)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        report.stories = assign_after_run(self.archive)
        report.finished = self.clock()
        report.sources.sort(key=lambda s: s.source_id)
        self.archive.record_run(report.started, report.finished, report.to_json())
        return report

    async def _source(self, fetcher: Fetcher, pool: Executor | None,
                      source: Source) -> SourceOutcome:
        outcomes = [await self._feed(fetcher, pool, source, spec) for spec in source.feeds]
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
            feeds=outcomes,
        )

    async def _feed(self, fetcher: Fetcher, pool: Executor | None, source: Source,
                    spec: FeedSpec) -> FeedOutcome:
        url = resolve_feed_url(spec.url, self.registry_root)
        if spec.method != "feed":
            result = FetchResult(url=url, status=None, error_class="internal",
                                 error_message=fetch_error_message(
                                     "internal", None, f"metode '{spec.method}' belum didukung"))
            self.archive.record_feed(source.id, result, now=self.clock())
            return FeedOutcome(url, "error", None, result.error_class, result.error_message)
        state = self.archive.feed_state(url)
        if (not self.force and state is not None and state.next_attempt is not None
                and self.clock() < state.next_attempt):
            return FeedOutcome(url, "deferred", error_message=(
                f"menunggu jadwal ulang setelah {state.consecutive_failures} kali gagal"))
        result = await fetcher.fetch(
            url, etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
        )
        now = self.clock()
        if result.not_modified:
            self.archive.record_feed(source.id, result, now=now)
            return FeedOutcome(url, "not_modified", 304)
        if not result.ok or result.body is None:
            self.archive.record_feed(source.id, result, now=now)
            return FeedOutcome(url, "error", result.status, result.error_class,
                               result.error_message)
        body_hash = hashlib.sha256(result.body).hexdigest()
        if state is not None and state.body_hash == body_hash:
            # Same bytes as last time (a server without validators): nothing to parse.
            self.archive.record_feed(source.id, result, now=now, body_hash=body_hash)
            return FeedOutcome(url, "not_modified", result.status)
        args = (result.body, dict(result.headers), result.final_url or url, source, now)
        if pool is None:
            parsed = await asyncio.to_thread(parse_and_normalize, *args)
        else:
            try:
                parsed = await asyncio.get_running_loop().run_in_executor(
                    pool, parse_and_normalize, *args)
            except Exception as exc:  # a worker died (e.g. out of memory)
                parsed = ("internal", f"{type(exc).__name__}: {exc}"[:200])
        if isinstance(parsed[0], str):
            ecls, detail = parsed
            msg = fetch_error_message(ecls, None, detail)
            self.archive.record_feed(source.id, result, now=now, error_class=ecls,
                                     error_message=msg)
            return FeedOutcome(url, "error", result.status, ecls, msg)
        pairs, warning = parsed
        stored: StoreOutcome = self.archive.store_items(pairs, now=now)
        self.archive.record_feed(source.id, result, now=now, body_hash=body_hash)
        return FeedOutcome(url, "ok", result.status, new=stored.new, updated=stored.updated,
                           entries=len(pairs), warning=warning)


def run_fetch(archive: Archive, sources: Sequence[Source], *, registry_root: Path,
              policy: FetchPolicy | None = None, workers: int | None = None, force: bool = False,
              clock: Callable[[], datetime] = utcnow,
              on_progress: Callable[[SourceOutcome], None] | None = None) -> RunReport:
    """Synchronous entry point used by tasks and tests."""
    agg = Aggregator(archive, sources, registry_root=registry_root, policy=policy,
                     workers=workers, force=force, clock=clock, on_progress=on_progress)
    return asyncio.run(agg.run())
