"""Polite, bounded, failure-isolating HTTP (and file://) fetching of feeds.

What other feed aggregators learned the hard way: bound concurrency
globally *and* per host (many pemda share one host or WAF), cap every body and
every wait, retry 5xx and timeouts with backoff, and make an unchanged feed
cost nothing (ETag / Last-Modified → 304). One failing feed yields a
:class:`FetchResult` with an error; it never raises into the others.
"""

from __future__ import annotations

import asyncio
import copy
import random
import time
import zlib
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

import aiohttp

from ..core.messages import fetch_error_message
from ..core.records import FetchResult
from ..core.version import __version__

if TYPE_CHECKING:
    from .polite import PageGate

DEFAULT_USER_AGENT = (
    f"Warta/{__version__} (agregator berita humas pemerintah; +https://warta.id/tentang/)"
)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits for one fetch run. Defaults suit an hourly national run."""

    total_concurrency: int = 200
    per_host_concurrency: int = 4
    connect_timeout: float = 5.0
    read_timeout: float = 8.0
    total_timeout: float = 10.0
    """A feed that needs more than this is retried next hour; waiting longer holds up the run."""
    max_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    """Extra attempts after a 5xx or a dropped connection."""
    timeout_retries: int = 0
    """Extra attempts after a timeout. None by default: each costs a whole ``total_timeout``
    at the end of the run, and the feed's backoff brings it back next hour."""
    backoff_base: float = 0.5
    max_retry_after: float = 10.0
    user_agent: str = DEFAULT_USER_AGENT
    # Reading sites without a feed (API, sitemaps, article pages).
    page_per_host_concurrency: int = 2
    """Article pages of one host fetched at once (1–2 is polite)."""
    page_delay: float = 1.0
    """Seconds between two article-page requests to one host (robots Crawl-delay may raise it)."""
    max_crawl_delay: float = 10.0
    max_page_bytes: int = 3 * 1024 * 1024
    max_pages_per_source: int = 30
    """Article pages fetched per source per run; the rest wait for the next run."""
    max_api_pages: int = 5
    max_sitemaps_per_source: int = 5
    sitemap_index_ttl: float = 6 * 3600.0
    """A sitemap index with news sitemaps is re-read this often; its news sitemaps every run."""
    robots_ttl: float = 24 * 3600.0


class _TooLarge(Exception):
    pass


def _decoder(encoding: str | None) -> zlib._Decompress | None:
    enc = (encoding or "").lower().strip()
    if enc in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return zlib.decompressobj()
    return None


async def _read_capped(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """Read and decompress a body, never holding more than ``max_bytes``.

    Decompression is ours (``auto_decompress=False``) so that ``max_length``
    bounds every inflate step: a gzip bomb stops at the cap instead of
    expanding in memory first.
    """
    dec = _decoder(resp.headers.get("Content-Encoding"))
    out = bytearray()
    async for chunk in resp.content.iter_chunked(65536):
        if dec is None:
            out += chunk
        else:
            data = dec.decompress(chunk, max_bytes + 1 - len(out))
            out += data
            if dec.unconsumed_tail and len(out) > max_bytes:
                raise _TooLarge
        if len(out) > max_bytes:
            raise _TooLarge
    if dec is not None:
        out += dec.flush()
        if len(out) > max_bytes:
            raise _TooLarge
    return bytes(out)


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return max(0.0, seconds) if seconds <= cap else None


class Fetcher:
    """Fetch many URLs concurrently under global and per-host limits.

    ``file_root`` is the folder relative ``file:`` URLs are read from: the
    registry folder, so that ``file:../feeds/x.xml`` lets the offline demo
    registry travel with the repository. Such a URL stays as the registry writes
    it in every result, so the archive, the health pages and the API never learn
    where the registry lies on this machine.
    """

    def __init__(self, policy: FetchPolicy | None = None, *, file_root: Path | None = None):
        self.policy = policy or FetchPolicy()
        self.file_root = file_root
        self._global = asyncio.Semaphore(self.policy.total_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._session: aiohttp.ClientSession | None = None
        self._gate: PageGate | None = None

    def paced(self, gate: PageGate) -> Fetcher:
        """This client (same session and limits) with each request also keeping ``gate``'s
        per-host pace: paced before it queues for the global and per-host slots, and spaced
        again once through (:meth:`PageGate.leaving`), since two requests that queued a gap
        apart can be let through together."""
        view = copy.copy(self)
        view._gate = gate
        return view

    async def __aenter__(self) -> Fetcher:
        p = self.policy
        connector = aiohttp.TCPConnector(limit=p.total_concurrency, ttl_dns_cache=300)
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            headers={
                "User-Agent": p.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, "
                "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
            },
            timeout=aiohttp.ClientTimeout(
                total=p.total_timeout, sock_connect=p.connect_timeout, sock_read=p.read_timeout
            ),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def _host_sem(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.policy.per_host_concurrency)
        return sem

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None,
        max_bytes: int | None = None, accept: str | None = None,
    ) -> FetchResult:
        """Fetch one URL; conditional when validators are given. Never raises.

        ``max_bytes`` lowers the body cap (article pages); ``accept`` replaces
        the feed-oriented Accept header (pages, JSON APIs).
        """
        cap = max_bytes or self.policy.max_bytes
        if url.startswith("file:"):
            return await asyncio.to_thread(_read_file, url, cap, self.file_root)
        headers: dict[str, str] = {}
        if accept:
            headers["Accept"] = accept
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = 0
        timeouts = 0
        while True:
            result, retry_in = await self._attempt(url, headers, cap)
            if result.error_class == "timeout":
                timeouts += 1
                if timeouts > self.policy.timeout_retries:
                    return result
            if retry_in is None or attempts >= self.policy.retries:
                return result
            attempts += 1
            await asyncio.sleep(retry_in)

    async def _attempt(
        self, url: str, headers: Mapping[str, str], max_bytes: int
    ) -> tuple[FetchResult, float | None]:
        """One request. Returns the result and, if worth retrying, the delay."""
        p = self.policy
        assert self._session is not None, "use Fetcher as an async context manager"
        backoff = p.backoff_base * (1 + random.random())
        start = time.monotonic()

        def fail(cls: str, status: int | None = None, detail: str = "") -> FetchResult:
            return FetchResult(
                url=url,
                status=status,
                error_class=cls,
                error_message=fetch_error_message(cls, status, detail),
                elapsed=time.monotonic() - start,
            )

        gate = self._gate
        async with (gate.slot(url) if gate is not None else nullcontext(), self._global,
                    self._host_sem(url)):
            if gate is not None:
                await gate.leaving(url)
            try:
                async with self._session.get(
                    url, headers=headers, max_redirects=p.max_redirects, allow_redirects=True
                ) as resp:
                    status = resp.status
                    hdrs = {k.lower(): v for k, v in resp.headers.items()}
                    if status == 304:
                        return FetchResult(
                            url=url, status=304, headers=hdrs, final_url=str(resp.url),
                            etag=hdrs.get("etag"), last_modified=hdrs.get("last-modified"),
                            elapsed=time.monotonic() - start,
                        ), None
                    if status >= 400:
                        retry = None
                        if status >= 500 or status == 429:
                            retry = _retry_after(hdrs.get("retry-after"), p.max_retry_after)
                            if retry is None and status != 429:
                                retry = backoff
                        return fail("http", status), retry
                    body = await _read_capped(resp, max_bytes)
                    return FetchResult(
                        url=url, status=status, body=body, headers=hdrs,
                        final_url=str(resp.url), etag=hdrs.get("etag"),
                        last_modified=hdrs.get("last-modified"),
                        elapsed=time.monotonic() - start,
                    ), None
            except _TooLarge:
                return fail("too_large", detail=str(max_bytes)), None
            except aiohttp.TooManyRedirects:
                return fail("redirects", detail=str(p.max_redirects)), None
            except TimeoutError:
                return fail("timeout"), backoff
            except aiohttp.ClientConnectorCertificateError as exc:
                return fail("tls", detail=str(exc)[:200]), None
            except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
                return fail("connection", detail=str(exc)[:200]), backoff
            except zlib.error as exc:
                return fail("encoding", detail=str(exc)[:200]), None
            except aiohttp.ClientError as exc:
                return fail("http", detail=str(exc)[:200]), None


def _read_file(url: str, max_bytes: int, root: Path | None = None) -> FetchResult:
    """file: URLs: the offline demo and the feedparser corpus run use them.

    A relative one (``file:../feeds/x.xml``) is read from ``root`` (the working
    folder without one); the result names ``url`` as given either way.
    """
    start = time.monotonic()
    if url.startswith("file:") and not url.startswith("file:/"):
        path = (root or Path.cwd()) / url2pathname(url[len("file:"):])
    else:
        path = Path(url2pathname(urlsplit(url).path))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return FetchResult(url=url, status=None, error_class="too_large",
                               error_message=fetch_error_message("too_large", None, str(max_bytes)))
        body = path.read_bytes()
    except OSError as exc:
        return FetchResult(url=url, status=None, error_class="file",
                           error_message=fetch_error_message("file", None, exc.strerror or ""))
    return FetchResult(url=url, status=200, body=body, final_url=url,
                       elapsed=time.monotonic() - start)
