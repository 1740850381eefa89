"""robots.txt: asked once a day per site, obeyed for every feedless method.

Feeds are an explicit invitation to machines, so (like other feed readers)
plain feed URLs are not checked; the WordPress API, sitemaps, listing pages
and article pages are crawling, and crawling asks robots.txt first.

Rules follow RFC 9309: a 4xx robots.txt means "no rules" (allow all); a 5xx
or unreachable one means "assume complete disallow" until it can be read.
The parsed file is cached in the archive for ``FetchPolicy.robots_ttl``
(RFC 9309 allows 24 hours) so an unchanged hour costs no robots request.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from protego import Protego

from ..archive.store import Archive
from .fetch import Fetcher

ROBOTS_TOKEN = "Warta"
"""The product token robots.txt groups are matched against (``User-agent: Warta``)."""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsRules:
    """One site's robots.txt, parsed once. ``unavailable``: a 5xx or unreachable file."""

    def __init__(self, origin: str, status: int | None, body: str, *, unavailable: bool = False):
        self.origin = origin
        self.status = status
        self.body = body
        self.unavailable = unavailable
        self._parser = Protego.parse(body) if body.strip() else None

    def allowed(self, url: str) -> bool:
        if self.unavailable:
            return False
        if self._parser is None:
            return True
        return bool(self._parser.can_fetch(url, ROBOTS_TOKEN))

    def crawl_delay(self) -> float | None:
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(ROBOTS_TOKEN)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        return list(self._parser.sitemaps) if self._parser is not None else []


class RobotsCache:
    """Per-run front of the archive's robots table; one fetch per origin at most."""

    def __init__(self, archive: Archive | None, fetcher: Fetcher, *, ttl: float,
                 now: datetime):
        self.archive = archive
        self.fetcher = fetcher
        self.ttl = timedelta(seconds=ttl)
        self.now = now
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules(self, url: str) -> RobotsRules:
        """The rules for ``url``'s site; concurrent callers share one request."""
        origin = origin_of(url)
        if origin in self._rules:
            return self._rules[origin]
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._rules:
                self._rules[origin] = await self._load(url, origin)
        return self._rules[origin]

    async def _load(self, url: str, origin: str) -> RobotsRules:
        if urlsplit(url).scheme == "file":
            return RobotsRules(origin, None, "")
        cached = self.archive.robots(origin) if self.archive is not None else None
        if cached is not None and self.now - cached.fetched_at < self.ttl:
            rules = self._from(origin, cached.status, cached.body)
        else:
            result = await self.fetcher.fetch(f"{origin}/robots.txt", max_bytes=512 * 1024,
                                              accept="text/plain, */*;q=0.5")
            body = ""
            if result.ok and result.body is not None:
                # RFC 9309: parse at least 500 KiB; undecodable bytes are dropped.
                body = result.body.decode("utf-8", "replace")
            status = result.status
            rules = self._from(origin, status, body)
            if self.archive is not None and not rules.unavailable:
                self.archive.save_robots(origin, status, body, now=self.now)
        return rules

    @staticmethod
    def _from(origin: str, status: int | None, body: str) -> RobotsRules:
        if status is None or status >= 500:
            return RobotsRules(origin, status, "", unavailable=True)
        if status >= 400:
            return RobotsRules(origin, status, "")
        return RobotsRules(origin, status, body)
