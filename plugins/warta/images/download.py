"""Download untrusted image URLs safely: no private addresses, capped, re-validated.

An image URL comes from a feed anyone can write, so fetching it is a
server-side request made on the feed author's behalf. In production no
request may reach loopback, private, link-local (cloud metadata at
169.254.169.254), CGNAT or other non-global addresses — not directly, not via
a DNS name that resolves there, and not after a redirect. Two locks do it:

* every hop of a redirect chain is followed here (aiohttp's own following is
  off), and a host that is an IP literal is checked before connecting;
* host names are resolved by :class:`GuardedResolver`, which the connector
  uses for the very connection it opens, so a name cannot resolve to a public
  address for the check and a private one for the connect.

Bodies stream to a file in the cache and stop at the byte cap; the declared
``Content-Length`` is refused early when already too large.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from ..core.messages import image_error_message
from ..ingest.fetch import DEFAULT_USER_AGENT, _decoder

REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class DownloadPolicy:
    """Limits for image downloads (settings ``WARTA_IMAGE_*``)."""

    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 16
    per_host: int = 4
    allow_private: bool = False
    trusted_hosts: frozenset[str] = frozenset()
    """``host`` or ``host:port`` entries exempt from the address check (an internal CDN)."""
    allow_file: bool = False
    """Read ``file:`` URLs (offline demo, tests). Never on for feeds from the internet."""
    trusted_files: frozenset[str] = frozenset()
    """``file:`` URLs always readable: images of local Markdown articles in ``content/``."""
    file_root: Path | None = None
    """Base of relative ``file:name`` URLs (the registry folder, like feed URLs)."""
    user_agent: str = DEFAULT_USER_AGENT


@dataclass(frozen=True, slots=True)
class Download:
    """Outcome of one download. ``path`` holds the bytes when ``status`` is 2xx."""

    url: str
    status: int | None
    path: Path | None = None
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None
    error_class: str | None = None
    error_message: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error_class is None and self.status is not None and self.status < 300


class BlockedAddress(OSError):
    """The URL leads to an address Warta must not contact."""


class _TooLarge(Exception):
    pass


def is_public_address(value: str) -> bool:
    """True for globally routable unicast addresses only."""
    try:
        addr = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


class AddressGuard:
    """Decides whether a host/address may be contacted under a policy."""

    def __init__(self, policy: DownloadPolicy):
        self.policy = policy

    def trusted(self, host: str, port: int | None) -> bool:
        t = self.policy.trusted_hosts
        return host in t or f"{host}:{port}" in t

    def check(self, host: str, port: int | None, address: str) -> None:
        if self.policy.allow_private or self.trusted(host, port):
            return
        if not is_public_address(address):
            raise BlockedAddress(f"{host} → {address}")


class GuardedResolver(AbstractResolver):
    """DNS for the image connector: refuses names that resolve to non-public addresses."""

    def __init__(self, guard: AddressGuard):
        self.guard = guard
        self._inner = ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        infos = await self._inner.resolve(host, port, family)
        for info in infos:
            self.guard.check(host, port, info["host"])
        return infos

    async def close(self) -> None:
        await self._inner.close()


class ImageDownloader:
    """Fetch many image URLs concurrently (global and per-host limits). Never raises."""

    def __init__(self, policy: DownloadPolicy):
        self.policy = policy
        self.guard = AddressGuard(policy)
        self._sem = asyncio.Semaphore(policy.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> ImageDownloader:
        p = self.policy
        connector = aiohttp.TCPConnector(limit=p.concurrency, resolver=GuardedResolver(self.guard),
                                         ttl_dns_cache=300)
        self._session = aiohttp.ClientSession(
            connector=connector, auto_decompress=False, trust_env=False,
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "identity",
                     "Accept": "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8"},
            timeout=aiohttp.ClientTimeout(total=p.total_timeout, sock_connect=p.connect_timeout,
                                          sock_read=p.total_timeout),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def _host_sem(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.policy.per_host)
        return sem

    async def get(self, url: str, dest: Path, *, etag: str | None = None,
                  last_modified: str | None = None) -> Download:
        """Download ``url`` into ``dest`` (conditional when validators are given)."""
        if url.lower().startswith("file:"):
            return await asyncio.to_thread(self._file, url, etag)
        start = time.monotonic()
        try:
            async with self._sem:
                return await self._follow(url, dest, etag, last_modified)
        except BlockedAddress as exc:
            return _fail(url, "blocked", detail=str(exc))
        except _TooLarge:
            return _fail(url, "too_large", detail=str(self.policy.max_bytes))
        except TimeoutError:
            return _fail(url, "timeout", detail=f"{time.monotonic() - start:.0f}")
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, BlockedAddress) or isinstance(exc.__cause__, BlockedAddress):
                return _fail(url, "blocked", detail=str(exc.os_error))
            return _fail(url, "connection", detail=str(exc)[:160])
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            return _fail(url, "connection", detail=f"{type(exc).__name__}: {exc}"[:160])

    async def _follow(self, url: str, dest: Path, etag: str | None,
                      last_modified: str | None) -> Download:
        assert self._session is not None, "use ImageDownloader as an async context manager"
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return _fail(url, "blocked", detail=current[:120])
            host = parts.hostname
            if _is_ip(host):
                self.guard.check(host, parts.port, host)
            async with self._host_sem(host.lower()), self._session.get(
                    current, headers=headers, allow_redirects=False) as resp:
                if resp.status in REDIRECTS and resp.headers.get("Location"):
                    current = urljoin(current, resp.headers["Location"])
                    continue
                if resp.status == 304:
                    return Download(url, 304, etag=resp.headers.get("ETag") or etag,
                                    last_modified=resp.headers.get("Last-Modified") or last_modified)
                if resp.status >= 300:
                    return _fail(url, "http", status=resp.status)
                size = await self._stream(resp, dest)
                return Download(url, resp.status, path=dest, size=size,
                                etag=resp.headers.get("ETag"),
                                last_modified=resp.headers.get("Last-Modified"))
        return _fail(url, "redirects", detail=str(self.policy.max_redirects))

    async def _stream(self, resp: aiohttp.ClientResponse, dest: Path) -> int:
        cap = self.policy.max_bytes
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise _TooLarge
        dec = _decoder(resp.headers.get("Content-Encoding"))
        written = 0
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with dest.open("wb") as fh:
                async for chunk in resp.content.iter_chunked(65536):
                    data = chunk if dec is None else dec.decompress(chunk, cap + 1 - written)
                    written += len(data)
                    if written > cap:
                        raise _TooLarge
                    fh.write(data)
        except BaseException:
            with contextlib.suppress(OSError):
                dest.unlink()
            raise
        return written

    def _file(self, url: str, etag: str | None) -> Download:
        """``file:`` images (demo, local content). Only with ``allow_file``."""
        if not (self.policy.allow_file or url in self.policy.trusted_files):
            return _fail(url, "blocked", detail="file:")
        path = resolve_file_url(url, self.policy.file_root)
        try:
            st = path.stat()
        except OSError as exc:
            return _fail(url, "file", detail=exc.strerror or "")
        if not path.is_file():
            return _fail(url, "file", detail="bukan berkas")
        if st.st_size > self.policy.max_bytes:
            return _fail(url, "too_large", detail=str(self.policy.max_bytes))
        validator = f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
        if etag == validator:
            return Download(url, 304, etag=validator)
        return Download(url, 200, path=path, size=st.st_size, etag=validator)


def _fail(url: str, error_class: str, *, status: int | None = None, detail: str = "") -> Download:
    return Download(url, status, error_class=error_class,
                    error_message=image_error_message(error_class, status, detail))


async def download_all(policy: DownloadPolicy, jobs: list[tuple[str, Path, str | None, str | None]],
                       ) -> dict[str, Download]:
    """Download ``(url, dest, etag, last_modified)`` jobs concurrently; url → Download."""
    if not jobs:
        return {}
    async with ImageDownloader(policy) as dl:
        results = await asyncio.gather(*(dl.get(u, d, etag=e, last_modified=lm)
                                         for u, d, e, lm in jobs))
    return {r.url: r for r in results}


def resolve_file_url(url: str, root: Path | None) -> Path:
    """Path of a ``file:`` URL (relative ones against ``root``)."""
    rest = url[len("file:"):]
    if rest.startswith("/"):
        return Path(url2pathname(urlsplit(url).path))
    return (root or Path.cwd()) / url2pathname(rest)
