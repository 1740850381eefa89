"""Full-text search: Pagefind indexes of the built site, split into bounded bundles.

Runs after Pelican has written the site (a post-build step: ``cli.build``
calls :func:`index_site`; the hourly run can register the same function).
Only article pages are indexed (``berita/YYYY/MM/…``), and inside them only the
``data-pagefind-body`` element of ``article.html``.

Why bundles: Pagefind holds everything it indexes in one run in memory
(3.5 GiB at 20k whole pages, see ``benchmarks/search_bench.py``) and writes one
fragment file per page, and some static hosts cap a deploy near 20k files. So
the archive is split by publication date into runs of consecutive months of
at most ``WARTA_SEARCH_BUNDLE_MAX_PAGES`` articles, each a separate Pagefind
bundle indexed by its own Pagefind process: peak memory and files per bundle
follow that cap, not the archive. Each bundle costs a search-page visitor its
own Pagefind runtime (~100 KB), so bundles are as large as the cap allows and
a small site is one bundle. Bundles cover disjoint date ranges, newest first,
which is what lets the search page (``theme/static/js/cari.js``) sort by date
across bundles: concatenate each bundle's date-sorted results. (Pagefind's
own ``mergeIndex`` re-sorts merged results by score, and with a sort its
scores are per-bundle ranks, so it cannot do this.)

``output/pagefind/bundles.json`` lists the bundles for the search page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..core import buildstate
from ..core.outfiles import merge_tree, write_if_changed
from ..core.settings import DEFAULTS, setting
from .pagedigests import PageDigests
from .recent import RECENT_ID, Split, split_recent

log = logging.getLogger(__name__)

SEARCH_DIR = "pagefind"
STAGING_SUFFIX = ".baru"
"""``pagefind/<id>.baru/``: where Pagefind writes a bundle before it is merged into ``pagefind/<id>/``."""
MANIFEST = "bundles.json"
ARTICLE_ROOT = "berita"

UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's stock UIs, copied into every bundle; the hub's search page uses its own UI."""

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{2}$")


class SearchIndexError(RuntimeError):
    """Indexing failed; the message (Indonesian, for operators) names the bundle and the cause."""


@dataclass(frozen=True, slots=True)
class Bundle:
    """One Pagefind bundle: the article pages of a run of consecutive months."""

    months: tuple[str, ...]
    """``("2024-11", "2024-12", "2025-01")``, oldest first."""
    pages: int
    name: str = ""
    """The id when it is not the first month (:data:`~warta.search.recent.RECENT_ID`)."""
    only: tuple[str, ...] | None = None
    """Its page folders (``berita/2026/12/slug``) when it holds part of a month (the
    newest days, or a month less them); None: every page of its months."""

    @property
    def id(self) -> str:
        """The first month, ``2024-11``: stable while later months are added."""
        return self.name or self.months[0]

    @property
    def glob(self) -> str:
        """Pagefind ``--glob`` (relative to the site) selecting this bundle's pages."""
        folders = [m.replace("-", "/") for m in self.months]
        if len(folders) == 1:
            return f"{ARTICLE_ROOT}/{folders[0]}/**/*.html"
        return f"{ARTICLE_ROOT}/{{{','.join(folders)}}}/**/*.html"

    @property
    def path(self) -> str:
        """Site-relative folder of the bundle."""
        return f"{SEARCH_DIR}/{self.id}/"


@dataclass(slots=True)
class BundleReport:
    id: str
    pages: int
    seconds: float
    files: int
    bytes: int
    peak_rss: int = 0
    """Peak resident memory of the Pagefind process, in bytes."""
    reused: bool = False
    """Kept from the previous run: none of its pages changed (no Pagefind process)."""


@dataclass(slots=True)
class SearchReport:
    """What one indexing run did (printed by ``invoke build``, read by the benchmark)."""

    bundles: list[BundleReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(b.pages for b in self.bundles)

    @property
    def files(self) -> int:
        return sum(b.files for b in self.bundles)

    @property
    def bytes(self) -> int:
        return sum(b.bytes for b in self.bundles)

    @property
    def peak_rss(self) -> int:
        """Bundles are indexed one after another: the peak is the largest bundle's."""
        return max((b.peak_rss for b in self.bundles), default=0)

    @property
    def reused(self) -> int:
        return sum(1 for b in self.bundles if b.reused)


def _count_pages(month_dir: Path, rel_month: str, pages: PageDigests | None) -> int:
    """Article pages in ``berita/YYYY/MM`` (one folder with an index.html per article)."""
    n = 0
    with os.scandir(month_dir) as it:
        for entry in it:
            if entry.is_dir() and (
                    pages.has_page(f"{rel_month}/{entry.name}") if pages is not None
                    else os.path.isfile(os.path.join(entry.path, "index.html"))):
                n += 1
    return n


def month_counts(output_dir: Path, pages: PageDigests | None = None) -> dict[str, dict[str, int]]:
    """Year → month → number of article pages, from the built site's folders.

    ``pages``: asked whether a folder holds a page (it knows the build's pages without
    looking at each file).
    """
    root = Path(output_dir) / ARTICLE_ROOT
    out: dict[str, dict[str, int]] = {}
    if not root.is_dir():
        return out
    for year in sorted(p for p in root.iterdir() if p.is_dir() and _YEAR.match(p.name)):
        months = {m.name: _count_pages(m, f"{ARTICLE_ROOT}/{year.name}/{m.name}", pages)
                  for m in sorted(year.iterdir()) if m.is_dir() and _MONTH.match(m.name)}
        months = {m: n for m, n in months.items() if n}
        if months:
            out[year.name] = months
    return out


def plan_bundles(counts: dict[str, dict[str, int]],
                 max_pages: int = DEFAULTS["WARTA_SEARCH_BUNDLE_MAX_PAGES"]) -> list[Bundle]:
    """Bundles newest first, each a run of consecutive months of at most ``max_pages`` pages.

    A site under ``max_pages`` articles is one bundle (one set of Pagefind
    files to download). Otherwise the newest month is a bundle of its own (it
    is the one an hour of news changes) and older months are packed from the
    oldest on, so their boundaries never move. A single month bigger than
    ``max_pages`` stays one bundle (logged: Pagefind's memory then grows with it).
    """
    bundles: list[Bundle] = []
    run: list[str] = []
    size = 0
    ordered = [(year, month, n) for year, months in sorted(counts.items())
               for month, n in sorted(months.items())]
    newest: tuple[str, str, int] | None = None
    if sum(n for _y, _m, n in ordered) > max_pages and len(ordered) > 1:
        # The month receiving the news gets a bundle of its own: an hourly run re-indexes
        # one month, not up to max_pages of older news packed with it. Older
        # months are packed as before; their last bundle grows once a month.
        newest = ordered.pop()
    for year, month, n in ordered:
        if run and size + n > max_pages:
            bundles.append(Bundle(tuple(run), size))
            run, size = [], 0
        if n > max_pages:
            log.warning("pencarian: bulan %s-%s berisi %d halaman, melebihi batas %d per bundel",
                        year, month, n, max_pages)
        run.append(f"{year}-{month}")
        size += n
    if run:
        bundles.append(Bundle(tuple(run), size))
    if newest is not None:
        bundles.append(Bundle((f"{newest[0]}-{newest[1]}",), newest[2]))
    return bundles[::-1]


INDEX_FORMAT = "2"
"""Bumped when how a bundle is indexed changes (flags, post-processing): every bundle is redone."""

def bundle_inputs(site: Path, bundle: Bundle, executable: Path, pages: PageDigests) -> str:
    """Digest of what a bundle is indexed from: each article page's path and indexed part.

    The incremental build writes a page only when its bytes change,
    and a page whose size and mtime are unchanged is not read again. A page
    that was rewritten only because its navigation changed (a newer article
    of its source appeared) keeps its digest, see :func:`indexed_part`, so an
    hourly run re-indexes the bundle receiving news, not the 100,000-page
    archive. The Pagefind binary is part of the digest (an upgrade re-indexes
    everything).
    """
    h = hashlib.blake2b(digest_size=16)
    st = executable.stat()
    h.update(f"{INDEX_FORMAT}\0{executable.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    if bundle.only is not None:
        for rel in bundle.only:
            if (page := pages.of(rel)) is not None:
                h.update(f"{rel}\0{page[0]}\n".encode())
        return h.hexdigest()
    for month in bundle.months:
        rel_month = f"{ARTICLE_ROOT}/{month.replace('-', '/')}"
        folder = site / rel_month
        h.update(f"{month}\n".encode())
        try:
            names = sorted(e.name for e in os.scandir(folder) if e.is_dir())
        except OSError:
            continue
        for name in names:
            if (page := pages.of(f"{rel_month}/{name}")) is not None:
                h.update(f"{name}\0{page[0]}\n".encode())
    return h.hexdigest()


def read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """Bundle id → its entry in a previous ``bundles.json`` (empty if none or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {b["id"]: b for b in data.get("bundles", []) if isinstance(b, dict) and "id" in b}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the pinned ``pagefind[bin]`` PyPI package."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise SearchIndexError(
            "Pagefind tidak terpasang: jalankan 'pip install -r requirements.txt' "
            "(paket pagefind[bin])") from exc
    return Path(get_executable())


def _dir_stats(path: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def run_pagefind(site: Path, bundle: Bundle, *, executable: Path | None = None) -> BundleReport:
    """Index one bundle with its own Pagefind process (memory is freed when it exits).

    Pagefind writes a whole bundle folder; it writes into a staging folder beside
    the bundle's, which is then merged in (:func:`~warta.core.outfiles.merge_tree`)
    so the files whose bytes did not change — most fragments, the scripts and
    the WebAssembly — keep their mtime and a sync of the site skips them.
    """
    exe = executable or pagefind_executable()
    final = site / bundle.path
    staging = final.with_name(final.name + STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)
    source, glob = site, bundle.glob
    if bundle.only is not None:  # part of a month: Pagefind reads a tree of just those pages
        source, glob = _page_tree(site, bundle), f"{ARTICLE_ROOT}/**/*.html"
    cmd = [str(exe), "--site", str(source), "--glob", glob,
           "--output-path", str(staging.resolve()), "--force-language", "id", "--quiet"]
    try:
        seconds, usage = _run(cmd, bundle)
    finally:
        if source != site:
            shutil.rmtree(source, ignore_errors=True)
    for name in UNUSED_BUNDLE_FILES:
        (staging / name).unlink(missing_ok=True)
    merge_tree(staging, final)
    files, size = _dir_stats(final)
    return BundleReport(bundle.id, bundle.pages, seconds, files, size,
                        peak_rss=usage.ru_maxrss * 1024)


def _page_tree(site: Path, bundle: Bundle) -> Path:
    """A folder beside the site (never published) holding the bundle's pages at their site
    paths, as hard links (a copy where links are refused): their URLs in the index are the
    site's."""
    tree = Path(tempfile.mkdtemp(prefix=f"{_tree_prefix(site)}{bundle.id}-", dir=site.parent))
    assert bundle.only is not None
    for rel in bundle.only:
        page = site / rel / "index.html"
        linked = tree / rel / "index.html"
        linked.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, linked)
        except FileNotFoundError:
            continue  # gone since the plan: a later run indexes without it
        except OSError:
            shutil.copyfile(page, linked)
    return tree


def _tree_prefix(site: Path) -> str:
    return f".{site.name}.cari-"


def _remove_stale_trees(site: Path) -> None:
    """Page trees a killed run left beside the site (:func:`_page_tree`)."""
    prefix = _tree_prefix(site)
    try:
        stale = [e.path for e in os.scandir(site.parent) if e.name.startswith(prefix)
                 and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


def _run(cmd: list[str], bundle: Bundle) -> tuple[float, Any]:
    """Run Pagefind; its seconds and resource usage (peak memory). Raises on failure."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT)
        # wait4 (not wait) to learn this process's own peak memory for the report.
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            log_file.seek(0)
            detail = log_file.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            raise SearchIndexError(
                f"pencarian: Pagefind gagal mengindeks bundel {bundle.id} "
                f"(kode keluar {proc.returncode}): {' / '.join(detail)}")
    return seconds, usage


def search_enabled(settings: dict[str, Any]) -> bool:
    return bool(setting(settings, "WARTA_SEARCH"))


def index_site(output_dir: str | Path, settings: dict[str, Any] | None = None, *,
               incremental: bool = True, built: Mapping[str, str] | None = None) -> SearchReport:
    """Index the built site at ``output_dir``, re-indexing only bundles whose pages changed.

    ``incremental=False`` (``invoke search-index --full``) throws every bundle away first.
    ``built``: the build's page digests (:class:`PageDigests`); by default those of the
    last finished build's state beside the output.

    Settings: ``WARTA_SEARCH`` (False: do nothing), ``WARTA_SEARCH_BUNDLE_MAX_PAGES``.
    Raises :class:`SearchIndexError` when Pagefind is missing or fails; the
    site itself is already written by then and stays usable without search.
    """
    settings = settings or {}
    report = SearchReport()
    if not search_enabled(settings):
        return report
    site = Path(output_dir)
    max_pages = int(setting(settings, "WARTA_SEARCH_BUNDLE_MAX_PAGES"))
    _remove_stale_trees(site)
    if built is None:
        built = buildstate.page_digests(buildstate.state_path(settings, site))
    page_digests = PageDigests(site, built)
    bundles = plan_site(site, max_pages, int(setting(settings, "WARTA_SEARCH_RECENT_DAYS")),
                        page_digests)
    exe = pagefind_executable()
    target = site / SEARCH_DIR
    previous = read_manifest(target / MANIFEST) if incremental else {}
    if not incremental and target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    inputs: dict[str, str] = {}
    wanted = {b.id for b in bundles}  # a bundle's folder is pagefind/<id>/
    for entry in os.scandir(target):  # bundles of a previous plan that no longer exist
        if entry.is_dir() and entry.name not in wanted:
            shutil.rmtree(entry.path)
    for bundle in bundles:
        digest = inputs[bundle.id] = bundle_inputs(site, bundle, exe, page_digests)
        old = previous.get(bundle.id)
        folder = site / bundle.path
        if (old is not None and old.get("input") == digest and old.get("months") ==
                list(bundle.months) and (folder / "pagefind-entry.json").is_file()):
            # A kept bundle's files are as its run left them: counted then, not walked again
            # (a bundle is thousands of fragment files).
            files, size = ((old["files"], old["bytes"])
                           if isinstance(old.get("files"), int) and isinstance(old.get("bytes"), int)
                           else _dir_stats(folder))
            report.bundles.append(BundleReport(bundle.id, bundle.pages, 0.0, files, size,
                                               reused=True))
            continue
        # The manifest goes before a bundle changes: a run killed mid-way leaves no digest
        # claiming a half-made bundle. An hour that changes no bundle leaves it as it was.
        (target / MANIFEST).unlink(missing_ok=True)
        report.bundles.append(run_pagefind(site, bundle, executable=exe))
    report.seconds = time.perf_counter() - started
    sizes = {b.id: (b.files, b.bytes) for b in report.bundles}
    write_manifest(target / MANIFEST, bundles, inputs, sizes)
    page_digests.save()
    log.info("Warta: pencarian %d halaman dalam %d bundel, %d tetap (%.1f dtk)",
             report.pages, len(bundles), report.reused, report.seconds)
    return report


def plan_site(site: Path, max_pages: int, recent_days: int, pages: PageDigests) -> list[Bundle]:
    """The bundles of the built site, newest first: :func:`plan_bundles` by month, and once
    there are several, the newest ``recent_days`` as a bundle of their own before them
    (:mod:`warta.search.recent`)."""
    counts = month_counts(site, pages)
    total = sum(n for months in counts.values() for n in months.values())
    if total <= max_pages or recent_days <= 0:
        return plan_bundles(counts, max_pages)
    newest = sorted(f"{y}-{m}" for y, months in counts.items() for m in months)
    split = split_recent(newest[-(recent_days // 28 + 2):], lambda m: _dated_pages(site, m, pages),
                         recent_days)
    if split is None:
        return plan_bundles(counts, max_pages)
    for month, moved in split.moved.items():
        year, mm = month.split("-")
        counts[year][mm] -= moved
        if not counts[year][mm]:
            del counts[year][mm]
    counts = {y: months for y, months in counts.items() if months}
    bundles = [_narrowed(site, b, split, pages) for b in plan_bundles(counts, max_pages)]
    recent = Bundle(tuple(sorted(split.moved)), len(split.recent), name=RECENT_ID,
                    only=split.recent)
    return [recent, *bundles]


def _month_pages(site: Path, month: str, pages: PageDigests) -> list[str]:
    """Site-relative folders of a month's article pages."""
    rel_month = f"{ARTICLE_ROOT}/{month.replace('-', '/')}"
    try:
        names = sorted(e.name for e in os.scandir(site / rel_month) if e.is_dir())
    except OSError:
        return []
    return [f"{rel_month}/{n}" for n in names if pages.has_page(f"{rel_month}/{n}")]


def _dated_pages(site: Path, month: str, pages: PageDigests) -> list[tuple[str, str]]:
    return [(rel, page[1]) for rel in _month_pages(site, month, pages)
            if (page := pages.of(rel)) is not None]


def _narrowed(site: Path, bundle: Bundle, split: Split, pages: PageDigests) -> Bundle:
    """``bundle`` with its pages listed when one of its months lost its newest days."""
    if not any(m in split.older for m in bundle.months):
        return bundle
    only = [rel for m in bundle.months
            for rel in (split.older[m] if m in split.older else _month_pages(site, m, pages))]
    return Bundle(bundle.months, len(only), only=tuple(only))


def write_manifest(path: Path, bundles: Sequence[Bundle],
                   inputs: dict[str, str] | None = None,
                   sizes: dict[str, tuple[int, int]] | None = None) -> None:
    """``bundles.json``: what the search page loads, newest bundle first.

    ``input`` is each bundle's :func:`bundle_inputs` digest, for the next run; ``files``
    and ``bytes`` (``sizes``) what its folder holds.
    """
    data = {
        "version": 1,
        "order": "newest-first",
        "bundles": [{"id": b.id, "path": b.path, "pages": b.pages, "months": list(b.months),
                     **({"input": inputs[b.id]} if inputs and b.id in inputs else {}),
                     **({"files": sizes[b.id][0], "bytes": sizes[b.id][1]}
                        if sizes and b.id in sizes else {})}
                    for b in bundles],
    }
    write_if_changed(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


_DURING_BUILD: dict[str, tuple[threading.Thread, list[BaseException]]] = {}
"""Output folder → the indexing thread started during its build, and its error if any."""


def start_during_build(generator: Any, writer: Any = None) -> None:
    """``article_writer_finalized``: index while the rest of the site is written.

    Search bundles hold article pages only, and those are all on disk once
    Pelican's article generator has written them; the plugin's listings, feeds
    and dashboard take as long again. Pagefind runs as its own process, so
    indexing now puts the machine's second core to work instead of leaving it
    for after the build (the hourly run's wall time). Only when the
    build was asked to index (``WARTA_SEARCH_DURING_BUILD``, set by
    :func:`warta.ops.cli.build` with ``search=True``).
    """
    settings = generator.settings
    if not (search_enabled(settings) and setting(settings, "WARTA_SEARCH_DURING_BUILD")):
        return
    output = str(Path(generator.output_path).resolve())
    errors: list[BaseException] = []

    # The writer's page digests: the state file beside the output is written only at the
    # end of the build, and every article page is decided by now.
    built = getattr(writer, "pages", None)

    def run() -> None:
        try:
            index_site(output, settings, built=built)
        except BaseException as exc:  # reported by finish_during_build; the caller retries
            errors.append(exc)

    thread = threading.Thread(target=run, name="warta-search", daemon=True)
    _DURING_BUILD[output] = (thread, errors)
    thread.start()


def finish_during_build(output_dir: str | Path) -> BaseException | None:
    """Wait for the indexing started by :func:`start_during_build`; its error, if any."""
    entry = _DURING_BUILD.pop(str(Path(output_dir).resolve()), None)
    if entry is None:
        return None
    thread, errors = entry
    thread.join()
    if errors:
        log.warning("pencarian: pengindeksan selama build gagal (%s); diulang sesudah build",
                    errors[0])
        return errors[0]
    return None


def on_finalized(pelican_obj: Any) -> None:
    """``signals.finalized``: a build never ends with its indexing still running."""
    finish_during_build(pelican_obj.output_path)


def search_step(output_dir: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """``WARTA_POSTPROCESS`` step (``"warta.search.pagefind:search_step"``, in ``pelicanconf.py``):
    the hourly run indexes here and logs the figures."""
    return report_dict(index_site(output_dir, settings))


def report_dict(report: SearchReport) -> dict[str, Any]:
    return {"seconds": report.seconds, "pages": report.pages, "files": report.files,
            "bytes": report.bytes, "peak_rss": report.peak_rss, "reused": report.reused,
            "bundles": [asdict(b) for b in report.bundles]}
