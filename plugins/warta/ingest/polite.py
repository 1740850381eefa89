"""Per-host pacing of article-page requests: 1–2 at once, a pause between starts.

The fetcher already bounds concurrency per host for feeds; crawling article
pages is heavier for a small pemda server, so pages go through this gate as
well: ``FetchPolicy.page_per_host_concurrency`` at once and at least
``page_delay`` seconds (or the site's robots.txt ``Crawl-delay``, capped)
between two request starts on one host.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit


class PageGate:
    """One per fetch run; keyed by host:port."""

    def __init__(self, concurrency: int, delay: float):
        self.concurrency = max(1, concurrency)
        self.delay = max(0.0, delay)
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}
        self._gaps: dict[str, float] = {}
        self._left: dict[str, float] = {}
        """When the host's last request went out (see :meth:`leaving`)."""
        self._leave_locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def slot(self, url: str, delay: float | None = None) -> AsyncIterator[None]:
        host = urlsplit(url).netloc.lower()
        sem = self._sems.setdefault(host, asyncio.Semaphore(self.concurrency))
        lock = self._locks.setdefault(host, asyncio.Lock())
        gap = self._gaps[host] = max(self.delay, delay or 0.0)
        loop = asyncio.get_running_loop()
        async with sem:
            async with lock:
                wait = self._next.get(host, 0.0) - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next[host] = loop.time() + gap
            yield

    async def leaving(self, url: str) -> None:
        """Call just before a request that went through :meth:`slot` goes out, once its
        client's own queue (global and per-host limits) let it through.

        Two requests to one host that passed the slot a gap apart may have waited in that
        queue together and be let out at once; the later one then waits here for the rest
        of the gap. Only such bunched requests wait, so a request rarely holds a client
        slot idle.
        """
        host = urlsplit(url).netloc.lower()
        loop = asyncio.get_running_loop()
        async with self._leave_locks.setdefault(host, asyncio.Lock()):
            last = self._left.get(host)
            if last is not None:
                wait = last + self._gaps.get(host, self.delay) - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
            self._left[host] = loop.time()
