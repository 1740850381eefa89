"""Where a fetch run parses feed bodies: worker processes, their spool directory, a byte budget.

Parsing and cleaning are CPU work: with many feeds they run in worker processes
(:mod:`.feedwork` is what a worker runs), so a slow feed never blocks the event loop and
both cores are used; with few, in a thread of the run's own process, which is cheaper
than starting workers. Bodies waiting for a worker wait in files of the run's spool
directory, not in memory, and the bodies waiting at once are bounded by bytes
(:class:`BodyBudget`). One :class:`FeedWorkers` serves a whole run; the feed method reads
through it (:attr:`warta.ingest.methods.Crawl.workers`).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType

from ..core.records import Source
from .feedwork import Parsed, parse_and_normalize, parse_spooled

WAITING_BYTES = 16 * 2**20
"""Feed bodies fetched but not parsed yet may hold this many bytes of memory (when the run
parses them in-process). Bounded by bytes, not by count, so that the last feeds of a run are
not held back behind a few large ones while the ones that hang run into their timeouts."""
SPOOL_BYTES = 256 * 2**20
"""…and this many bytes of disk when worker processes parse them: bodies wait spooled to
files, not in memory, so every feed starts as soon as the fetcher allows and a run's memory
does not grow with the size of its feeds."""
BODY_RESERVE = 64 * 1024
"""What a feed counts against the budget from the start of its fetch until its body is in
(a little more than a typical feed body)."""
SPOOL_PREFIX = "warta-spool-"
SPOOL_STALE_AFTER = 6 * 3600.0
"""A spool directory untouched this long belongs to a run that was killed: removed."""


def _remove_stale_spools(root: Path, *, keep: Path) -> None:
    """Remove the spool directories killed runs left in ``root`` (a run removes its own at
    its end; one killed with SIGKILL cannot). A live run writes a file into its spool per
    feed, so one untouched for :data:`SPOOL_STALE_AFTER` is not in use."""
    cutoff = time.time() - SPOOL_STALE_AFTER
    for old in root.glob(SPOOL_PREFIX + "*"):
        try:
            if old != keep and old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # gone meanwhile, or not ours to read


class BodyBudget:
    """Admits body-bearing fetches while the bodies waiting for a parser fit a budget
    (:data:`WAITING_BYTES` in memory, :data:`SPOOL_BYTES` spooled).

    Fetching runs far ahead of parsing, so without a bound a cold run holds
    every feed's body at once. A fetch enters with :data:`BODY_RESERVE`, and
    its :class:`Hold` is set to the body's real size once it is
    in; what it holds is returned when the feed is read. One fetch is always
    admitted, so a body larger than the whole budget still gets parsed.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self._changed = asyncio.Condition()

    def _fits(self) -> bool:
        return self.used == 0 or self.used + BODY_RESERVE <= self.limit

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[Hold]:
        async with self._changed:
            try:
                await self._changed.wait_for(self._fits)
            except asyncio.CancelledError:
                if self._fits():  # it may have been the one woken: wake another instead
                    self._changed.notify(1)
                raise
            self.used += BODY_RESERVE
            if self._fits():
                self._changed.notify(1)  # pass the room on: one waiter at a time, no stampede
        held = Hold(self, BODY_RESERVE)
        try:
            yield held
        finally:
            await held.resize(0)


@dataclass(slots=True)
class Hold:
    """One fetch's share of a :class:`BodyBudget`."""

    waiting: BodyBudget
    size: int

    async def resize(self, size: int) -> None:
        waiting = self.waiting
        async with waiting._changed:
            waiting.used += size - self.size
            self.size = size
            if waiting._fits():
                waiting._changed.notify(1)  # the admitted one passes the room on


class FeedWorkers:
    """The run's parsers: ``processes`` worker processes (0: a thread of this process).

    A context manager: leaving it stops the workers and removes the spool directory.
    """

    def __init__(self, processes: int):
        self.pool: ProcessPoolExecutor | None = None
        self.spool: Path | None = None
        """Where bodies wait for a worker (a directory of this run, removed at its end)."""
        self._spooled = 0
        self._budget: BodyBudget | None = None
        if processes > 0:
            # Its processes start at the first body, not here: a run of 304s needs none, and
            # two idle workers are ~120 MB of its peak (warming them up front took an all-304
            # run from 182 to 309 MB for ~0.2 s of a cold one).
            self.pool = ProcessPoolExecutor(max_workers=processes,
                                            mp_context=get_context("forkserver"))
            self.spool = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX))
            _remove_stale_spools(self.spool.parent, keep=self.spool)

    def __enter__(self) -> FeedWorkers:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        if self.spool is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
            self.spool = None

    def hold(self) -> AbstractAsyncContextManager[Hold]:
        """A share of the budget for a fetch whose body will come (see :class:`BodyBudget`)."""
        if self._budget is None:
            self._budget = BodyBudget(WAITING_BYTES if self.spool is None else SPOOL_BYTES)
        return self._budget.hold()

    async def parse(self, body: bytes, headers: Mapping[str, str], url: str, source: Source,
                    seen_at: datetime, held: Hold | None = None) -> Parsed | tuple[str, str]:
        """Feed bytes → :data:`~warta.ingest.feedwork.Parsed`, or ``(error_class, detail)``.

        With workers, the body waits for one in a file, not in memory: that is what counts
        against :data:`SPOOL_BYTES` (``held`` is resized to it), and the worker reads it from
        the page cache. For that to hold, the caller keeps no reference to ``body`` while
        it awaits this: it creates the coroutine, drops its own reference, then awaits.
        """
        if self.pool is None:
            args = (body, dict(headers), url, source, seen_at)
            return await asyncio.to_thread(parse_and_normalize, *args)
        assert self.spool is not None
        self._spooled += 1
        path = self.spool / f"{self._spooled}.body"
        size = len(body)
        try:
            path.write_bytes(body)
            del body  # the file is the only copy from here
            if held is not None:
                await held.resize(size)
            return await asyncio.get_running_loop().run_in_executor(
                self.pool, parse_spooled, str(path), dict(headers), url, source, seen_at)
        except Exception as exc:  # a full disk, or a worker died (e.g. out of memory)
            return ("internal", f"{type(exc).__name__}: {exc}"[:200])
        finally:
            path.unlink(missing_ok=True)  # read by the worker, or never to be
