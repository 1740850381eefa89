"""One image run: URLs → cached, re-validated, processed images, with a report.

For each URL the cache decides first: a processed image checked recently is
reused as is (no network, no decoding); an older one is re-validated with a
conditional GET (304 → reused); a failure is not retried before its retry
time. Only new or changed bytes reach Pillow, in a process pool whose
submissions are held back while the decode memory they need (estimated from
the image header) would exceed the budget — a batch with a 50-megapixel photo
in it stays within the bound instead of decoding it next to three others.

The records come from the cache's index in a few queries, not one
``meta.json`` per image, and the files of an image are looked at only when the
index has not seen them on disk (:meth:`ImageRun._known`): a build where
nothing changed reads no file per image.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..core.messages import image_error_message
from ..core.records import ImageOutcome, ServedImage
from ..core.settings import setting
from .cache import CacheMeta, ImageCache, meta_from_result
from .download import Download, DownloadPolicy, download_all
from .process import (
    ProcessResult,
    ProcessSpec,
    decode_budget,
    initials,
    make_placeholder,
    probe,
    process_file,
)

log = logging.getLogger(__name__)

HOUR = 3600.0
INLINE_LIMIT = 2
"""Up to this many images, decoding in-process is cheaper than starting workers."""


@dataclass(frozen=True, slots=True)
class ImageConfig:
    """Everything an image run needs, read once from the Pelican settings."""

    cache_dir: Path
    download: DownloadPolicy = field(default_factory=DownloadPolicy)
    spec: ProcessSpec = field(default_factory=ProcessSpec)
    offline: bool = False
    """Use the cache only: nothing is downloaded, missing images get placeholders."""
    workers: int | None = None
    memory_mb: int = 768
    revalidate_after: float = 7 * 24 * HOUR
    retry_failed_after: float = 6 * HOUR
    verify_files: bool = False
    """Look at the derivative files of every cached image, not only of those the index has
    not seen on disk: for a build that fills an output from scratch, which links every file."""

    @staticmethod
    def cache_dir_of(settings: dict[str, Any]) -> Path:
        """``WARTA_IMAGE_CACHE``, relative to ``WARTA_ROOT`` (or the working folder)."""
        cache = Path(setting(settings, "WARTA_IMAGE_CACHE"))
        if not cache.is_absolute():
            cache = Path(setting(settings, "WARTA_ROOT") or Path.cwd()) / cache
        return cache

    @classmethod
    def from_settings(cls, settings: dict[str, Any], *, registry_root: Path | None = None,
                      trusted_files: Iterable[str] = ()) -> ImageConfig:
        cache = cls.cache_dir_of(settings)
        dl = DownloadPolicy(
            connect_timeout=float(setting(settings, "WARTA_IMAGE_CONNECT_TIMEOUT")),
            total_timeout=float(setting(settings, "WARTA_IMAGE_TIMEOUT")),
            max_bytes=int(setting(settings, "WARTA_IMAGE_MAX_BYTES")),
            concurrency=int(setting(settings, "WARTA_IMAGE_CONCURRENCY")),
            allow_private=bool(setting(settings, "WARTA_IMAGE_ALLOW_PRIVATE")),
            trusted_hosts=frozenset(setting(settings, "WARTA_IMAGE_TRUSTED_HOSTS") or ()),
            allow_file=bool(setting(settings, "WARTA_IMAGE_ALLOW_FILE")),
            trusted_files=frozenset(trusted_files),
            file_root=registry_root,
        )
        spec = ProcessSpec(
            widths=tuple(setting(settings, "WARTA_IMAGE_WIDTHS")),
            max_pixels=int(setting(settings, "WARTA_IMAGE_MAX_PIXELS")),
        )
        workers = setting(settings, "WARTA_IMAGE_WORKERS")
        return cls(
            cache_dir=cache, download=dl, spec=spec,
            offline=bool(setting(settings, "WARTA_IMAGES_OFFLINE")),
            workers=None if workers is None else int(workers),
            memory_mb=int(setting(settings, "WARTA_IMAGE_MEMORY_MB")),
            revalidate_after=float(setting(settings, "WARTA_IMAGE_REVALIDATE_HOURS")) * HOUR,
            retry_failed_after=float(setting(settings, "WARTA_IMAGE_RETRY_HOURS")) * HOUR,
        )


@dataclass(slots=True)
class ImageReport:
    """Counts of one run, for the build log and the benchmark."""

    requested: int = 0
    reused: int = 0
    revalidated: int = 0
    downloaded: int = 0
    processed: int = 0
    failed: int = 0
    offline: int = 0
    original_bytes: int = 0
    max_in_flight: int = 0
    """Most images decoding at once (the memory budget holds this down)."""
    seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Job:
    url: str
    path: Path
    digest: str
    size: int
    download: Download
    cost: int


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ImageRun:
    """Bring a set of URLs up to date in the cache; see the module docstring."""

    def __init__(self, config: ImageConfig, *, clock: Callable[[], float] = time.time):
        self.config = config
        self.cache = ImageCache(config.cache_dir)
        self.clock = clock
        self.report = ImageReport()
        self.outcomes: dict[str, ImageOutcome] = {}
        self._verified: dict[str, float | None] = {}
        """When each URL's files were last seen on disk (None: not known), for saving."""

    # -- outcomes ----------------------------------------------------------------------

    def _ok(self, meta: CacheMeta, *, attempted: bool) -> None:
        self.report.original_bytes += meta.original_bytes
        self.outcomes[meta.url] = ImageOutcome(meta.url, self.cache.served(meta), "ok",
                                               http_status=meta.http_status, attempted=attempted)

    def _failed(self, url: str, error_class: str, message: str | None, *, status: int | None,
                attempted: bool, remember: bool = True) -> None:
        message = message or image_error_message(error_class, status)
        self.report.failed += 1
        self.report.errors[error_class] = self.report.errors.get(error_class, 0) + 1
        if remember:
            self.cache.save(CacheMeta(url=url, status="failed", checked_at=self.clock(),
                                      version=self.config.spec.signature, error_class=error_class,
                                      error_message=message, http_status=status))
        self.outcomes[url] = ImageOutcome(url, None, "failed", error_class, message, status,
                                          attempted=attempted)

    # -- the run -------------------------------------------------------------------------

    def run(self, urls: Iterable[str]) -> dict[str, ImageOutcome]:
        start = time.monotonic()
        cfg = self.config
        now = self.clock()
        fetch: list[tuple[str, Path, str | None, str | None]] = []
        previous: dict[str, CacheMeta | None] = {}
        for url, meta, usable in self._known(list(dict.fromkeys(urls)), now):
            self.report.requested += 1
            if usable and meta is not None and (cfg.offline or now - meta.checked_at < cfg.revalidate_after):
                self.report.reused += 1
                self._ok(meta, attempted=False)
            elif (meta is not None and meta.status == "failed"
                  and (cfg.offline or now - meta.checked_at < cfg.retry_failed_after)):
                self._failed(url, meta.error_class or "internal", meta.error_message,
                             status=meta.http_status, attempted=False, remember=False)
            elif cfg.offline and not url.lower().startswith("file:"):
                self.report.offline += 1
                self.outcomes[url] = ImageOutcome(url, None, "offline", "offline",
                                                  image_error_message("offline"))
            else:
                previous[url] = meta if usable else None
                fetch.append((url, self.cache.tmp_path(url),
                              meta.etag if usable and meta else None,
                              meta.last_modified if usable and meta else None))
        downloads = asyncio.run(download_all(cfg.download, fetch)) if fetch else {}
        jobs: list[_Job] = []
        for url, dl in downloads.items():
            old = previous.get(url)
            if dl.not_modified and old is not None:
                self.report.revalidated += 1
                meta = old.touched(self.clock(), etag=dl.etag or old.etag,
                                   last_modified=dl.last_modified or old.last_modified)
                self.cache.save(meta, verified_at=self._verified.get(url))
                self._ok(meta, attempted=True)
            elif not dl.ok or dl.path is None:
                if old is not None:
                    # The source moved or lost it: keep serving our copy, check again later.
                    log.info("gambar %s: %s; salinan cache tetap dipakai", url, dl.error_message)
                    meta = old.touched(self.clock())
                    self.cache.save(meta, verified_at=self._verified.get(url))
                    self._ok(meta, attempted=True)
                else:
                    self._failed(url, dl.error_class or "http", dl.error_message,
                                 status=dl.status, attempted=True)
            else:
                self.report.downloaded += 1
                digest = _digest(dl.path)
                if old is not None and old.digest == digest:
                    meta = old.touched(self.clock(), etag=dl.etag, last_modified=dl.last_modified)
                    self.cache.save(meta, verified_at=self._verified.get(url))
                    self._ok(meta, attempted=True)
                    self._cleanup(dl.path)
                    continue
                head = probe(dl.path)
                cost = decode_budget(head[1], head[2], head[0], cfg.spec) if head else 1 << 20
                jobs.append(_Job(url, dl.path, digest, dl.size, dl, cost))
        self._process(jobs)
        self.report.seconds = time.monotonic() - start
        return self.outcomes

    def _known(self, urls: list[str], now: float) -> list[tuple[str, CacheMeta | None, bool]]:
        """Each URL's cache record and whether its processed files can be served as they are.

        Records come from the index in bulk; a URL it lacks is read from its
        ``meta.json`` and added. The files of a current record are looked at only
        when the index has not seen them (never checked, or a publish found one
        missing: a suspect folder), or for every image with ``verify_files``. What
        is learnt goes back to the index in a few statements.
        """
        cfg = self.config
        signature = cfg.spec.signature
        indexed, complete = self.cache.load_many(urls)
        suspects = self.cache.index.suspects()
        added: list[tuple[CacheMeta, float | None]] = []
        seen: list[str] = []
        doubted: list[str] = []
        known: list[tuple[str, CacheMeta | None, bool]] = []
        for url in urls:
            entry = indexed.get(url)
            if entry is not None:
                meta, verified = entry.meta, entry.verified_at
            else:
                meta, verified = (None if complete else self.cache.load(url)), None
            if suspects and self.cache.rel_dir(url) in suspects:
                verified = None
            usable = False
            if meta is not None and meta.status == "ok" and meta.version == signature:
                if verified is not None and not cfg.verify_files:
                    usable = True
                else:
                    usable = self.cache.files_present(meta)
                    if entry is not None and usable != (entry.verified_at is not None):
                        (seen if usable else doubted).append(url)
                    verified = now if usable else None
            if entry is None and meta is not None:
                added.append((meta, verified))
            self._verified[url] = verified
            known.append((url, meta, usable))
        self.cache.index.put_many(added)
        self.cache.index.set_verified(seen, now)
        self.cache.index.set_verified(doubted, None)
        # Every suspect is settled now; one this run did not ask about is not served, and
        # a publish that needs it and finds it incomplete marks it again.
        self.cache.index.drop_suspects(suspects)
        return known

    # -- processing ---------------------------------------------------------------------

    def _finish(self, job: _Job, result: ProcessResult) -> None:
        self._cleanup(job.path)
        if not result.ok:
            self._failed(job.url, result.error_class or "corrupt",
                         image_error_message(result.error_class or "corrupt", None, result.detail),
                         status=job.download.status, attempted=True)
            return
        self.report.processed += 1
        meta = meta_from_result(job.url, result, now=self.clock(), version=self.config.spec.signature,
                                digest=job.digest, original_bytes=job.size, etag=job.download.etag,
                                last_modified=job.download.last_modified,
                                http_status=job.download.status)
        self.cache.save(meta, verified_at=self.clock())
        self.cache.prune(job.url, job.digest[:8])
        self._ok(meta, attempted=True)

    def _cleanup(self, path: Path) -> None:
        if path.parent == self.cache.root / "tmp":
            with contextlib.suppress(OSError):
                path.unlink()

    def _args(self, job: _Job) -> tuple[Path, Path, str, ProcessSpec]:
        return job.path, self.cache.dir_for(job.url), job.digest[:8], self.config.spec

    def _process(self, jobs: list[_Job]) -> None:
        if not jobs:
            return
        workers = self.config.workers
        if workers is None:
            workers = min(2, os.cpu_count() or 1)
        if workers <= 0 or len(jobs) <= INLINE_LIMIT:
            for job in jobs:
                self.report.max_in_flight = 1
                self._finish(job, process_file(*self._args(job)))
            return
        budget = self.config.memory_mb * 1024 * 1024
        pending = deque(jobs)
        pool = _pool(workers)
        in_flight: dict[Future[ProcessResult], _Job] = {}
        used = 0
        completed_in_pool = 0
        try:
            while pending or in_flight:
                while pending and len(in_flight) < workers and (
                        not in_flight or used + pending[0].cost <= budget):
                    job = pending.popleft()
                    in_flight[pool.submit(process_file, *self._args(job))] = job
                    used += job.cost
                    self.report.max_in_flight = max(self.report.max_in_flight, len(in_flight))
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                broken = False
                for fut in done:
                    job = in_flight.pop(fut)
                    used -= job.cost
                    try:
                        result = fut.result()
                        completed_in_pool += 1
                    except BrokenProcessPool:
                        broken = True
                        pending.appendleft(job)
                        continue
                    except Exception as exc:
                        result = ProcessResult(error_class="internal",
                                               detail=f"{type(exc).__name__}: {exc}"[:160])
                    self._finish(job, result)
                if not broken:
                    continue
                # A worker died. Either workers cannot start at all here (then decode
                # in-process), or one image took a worker down (out of memory): the
                # images that were in flight fail, the rest go to a fresh pool.
                pool.shutdown(cancel_futures=True)
                victims = [*in_flight.values()]
                in_flight.clear()
                used = 0
                if completed_in_pool == 0:
                    log.warning("gambar: worker tidak dapat berjalan; diproses tanpa pool")
                    for job in [*victims, *pending]:
                        self._finish(job, process_file(*self._args(job)))
                    pending.clear()
                    break
                crashed = pending.popleft()
                for job in [crashed, *victims]:
                    self._finish(job, ProcessResult(error_class="internal",
                                                    detail="worker berhenti (memori?)"))
                pool = _pool(workers)
                completed_in_pool = 0
        finally:
            pool.shutdown()


def _pool(workers: int) -> Executor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"),
                               max_tasks_per_child=200)


def run_images(urls: Iterable[str], config: ImageConfig, *,
               clock: Callable[[], float] = time.time) -> tuple[dict[str, ImageOutcome], ImageReport]:
    """Synchronous entry point used by the Pelican handler, tasks, tests and the benchmark."""
    run = ImageRun(config, clock=clock)
    try:
        outcomes = run.run(urls)
    finally:
        run.cache.close()
    return outcomes, run.report


def placeholder(config: ImageConfig, name: str, logo: ServedImage | None = None) -> ServedImage | None:
    """The stand-in image of a source (its logo, else its initials); generated once, cached."""
    cache = ImageCache(config.cache_dir)
    spec = config.spec
    logo_rel = logo.largest.webp if logo is not None and not logo.placeholder else ""
    key = hashlib.sha256(f"{initials(name)}\x00{logo_rel}\x00{spec.signature}".encode()).hexdigest()[:20]
    rel = f"placeholder/{key}"
    folder = cache.root / rel
    meta = cache.read_meta(folder)
    if meta is None or not cache.files_present(meta, folder):
        result = make_placeholder(folder, "p", spec, name=name,
                                  logo=cache.root / logo_rel if logo_rel else None)
        if not result.ok:
            log.warning("placeholder %s: %s", name, result.detail)
            return None
        meta = meta_from_result(f"placeholder:{key}", result, now=time.time(),
                                version=spec.signature, digest="", original_bytes=0, etag=None,
                                last_modified=None, http_status=None)
        cache.write_meta(folder, meta)
    return cache.served(meta, rel, placeholder=True)
