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

    @asynccontextmanager
    async def slot(self, url: str, delay: float | None = None) -> AsyncIterator[None]:
        host = urlsplit(url).netloc.lower()
        sem = self._sems.setdefault(host, asyncio.Semaphore(self.concurrency))
        lock = self._locks.setdefault(host, asyncio.Lock())
        gap = max(self.delay, delay or 0.0)
        loop = asyncio.get_running_loop()
        async with sem:
            async with lock:
                wait = self._next.get(host, 0.0) - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next[host] = loop.time() + gap
            yield
