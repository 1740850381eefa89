"""Incremental output: render only pages whose inputs changed since the last build.

Pelican renders and writes every page on every build; with 100,000 archived
articles that is most of an hourly run spent re-rendering pages nobody
changed. :class:`IncrementalWriter` (returned from ``signals.get_writer``)
computes, before rendering, a digest of everything a page is made of:

- a *salt*: the theme's templates, the plugin's code, the Pelican version and
  the (non-volatile) settings — a theme or settings change re-renders all;
- the template name, the output path, and the keyword arguments the page is
  written with (an article and its navigation — story, prev/next, related —
  or one page of a listing: its articles, its number, its neighbours' URLs).
  An article's own digest covers its content, summary and every metadata field.

When the digest equals the one recorded for that file by the previous build and
the file is still there, the page is neither rendered nor written. Pages whose
templates read the whole site (home, archives, lists of categories/sources…)
are always rendered, but written only if their bytes changed. The digests are
kept in a small JSON *build state* next to the output folder; it is removed at
the start of a build and written at the end, so a build that crashes leaves
no state and the next one is a full build. Pages the previous build wrote and
this one did not (an article taken down, a listing with fewer pages) are
deleted at the end.

Listings of categories and topics are paginated *from the oldest*
(:func:`stable_pages`): page ``halaman/N/`` always holds the same articles, and
new articles only change the first page — so an hour of news rewrites a few
pages per listing instead of every page of every listing it touches.

What the digest does not see, by design: the contents of ``all_articles`` and
of whole paginated lists beyond the page's own slice (no Warta template reads
them on a skip-eligible page). ``tests/site/test_incremental.py`` checks that an
incremental build after new items equals a full build byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pelican.paginator import Page, Paginator
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from ..core import buildstate
from ..core.messages import PAGE_LABEL_LATEST, page_label_range
from ..core.outfiles import remove_empty_folders, write_atomic
from ..core.settings import setting
from . import parallel, witness
from .digests import (
    FINGERPRINTS_KEY,
    Fingerprints,
    Unfingerprintable,
    build_salt,
    short_digest,
)

log = logging.getLogger(__name__)

STATE_VERSION = buildstate.STATE_VERSION


SKIP_AFTER_FIRST = frozenset({"index"})
"""Templates whose first page reads the whole site (the home page) but whose other
pages show only their own slice of articles: those are skip-eligible."""

# -- digests -------------------------------------------------------------------------------

def state_path(settings: Mapping[str, Any]) -> Path:
    """``WARTA_BUILD_STATE`` or ``<output folder>.warta-state.json`` next to it."""
    return buildstate.state_path(settings)


_STATES: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
"""Build state file → (its mtime and size, its data): read once per build, by two steps."""


def load_state(path: Path) -> dict[str, Any]:
    """The previous build's state at ``path`` ({} if none or unreadable)."""
    try:
        st = os.stat(path)
    except OSError:
        return {}
    key = (st.st_mtime_ns, st.st_size)
    cached = _STATES.get(str(path))
    if cached is not None and cached[0] == key:
        return cached[1]
    data = buildstate.read_state(path)
    if not data:
        return {}
    _STATES.clear()
    _STATES[str(path)] = (key, data)
    return data


_ODD_PARTS = frozenset(("", ".", ".."))
"""Path parts that make an output name need Pelican's own join (see ``_locate``)."""
# -- stable pagination ---------------------------------------------------------------------


def stable_pages(count: int, per_page: int) -> list[tuple[int, int, int]]:
    """``(number, start, end)`` slices of a newest-first list, anchored at the oldest.

    Chunk ``c`` (1 = oldest) holds the articles ``(c-1)·P … c·P-1`` counted
    from the oldest and is page number ``c + 1`` (URL ``halaman/{c+1}/``); the
    first page (number 1) holds the newest chunk plus the ``count mod P`` newest
    articles (P to 2P-1 of them). Adding articles changes only the first page,
    until P of them have arrived: then one new numbered page appears.
    """
    per_page = max(1, per_page)
    chunks = max(1, count // per_page)
    front = count - (chunks - 1) * per_page
    pages = [(1, 0, front)]
    for c in range(chunks - 1, 0, -1):
        start = count - c * per_page
        pages.append((c + 1, start, start + per_page))
    return pages


class StablePaginator(Paginator):
    """A Pelican paginator whose pages come from :func:`stable_pages`."""

    def __init__(self, name: str, url: str, object_list: list[Any], settings: Mapping[str, Any],
                 per_page: int):
        super().__init__(name, url, object_list, settings, per_page)
        self.slices = stable_pages(len(object_list), per_page)
        self._num_pages = len(self.slices)

    def reading_page(self, position: int) -> StablePage:
        """The page at ``position`` in reading order (0 = first page, newest)."""
        number, start, end = self.slices[position]
        return StablePage(self.name, self.url, self.object_list[start:end], number, self,
                          self.settings, position=position, start=start, end=end)


class StablePage(Page):
    """A page of a :class:`StablePaginator`; ``label`` says which articles it holds."""

    def __init__(self, *args: Any, position: int, start: int, end: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.position = position
        count = self.paginator.count
        if position == 0:
            self.label = PAGE_LABEL_LATEST
        else:
            self.label = page_label_range(count - end + 1, count - start)

    def has_next(self) -> bool:
        return self.position + 1 < len(self.paginator.slices)

    def has_previous(self) -> bool:
        return self.position > 0

    def __repr__(self) -> str:
        return f"<StablePage {self.number} ({self.label})>"


# -- the writer ----------------------------------------------------------------------------


@dataclasses.dataclass
class BuildStats:
    rendered: int = 0
    skipped: int = 0
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    files_reused: int = 0
    """Other outputs (listing feeds) kept from the previous build: same input digest."""
    settled: int = 0
    """Report pages kept without a digest: no change near their report (settled.py)."""
    kept: int = 0
    """Listing and archive pages kept without a digest: none of their reports changed."""
    looked_up: int = 0
    """Files of the previous build whose presence was asked of the file system (:mod:`.witness`)."""

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


class IncrementalWriter(Writer):
    """Pelican's writer, rendering only pages whose input digest changed.

    With ``WARTA_INCREMENTAL`` false it renders every page (a full build) but
    still records digests, so the next build can be incremental.
    """

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        settings = self.settings
        self.incremental = bool(setting(settings, "WARTA_INCREMENTAL"))
        self.skip_templates = frozenset(setting(settings, "WARTA_SKIP_TEMPLATES"))
        self.stable_templates = frozenset(setting(settings, "WARTA_STABLE_PAGINATION"))
        self.fp = Fingerprints()
        self._adopted = False
        self.stats = BuildStats()
        self._root = os.path.abspath(self.output_path)
        self.state_file = state_path(settings)
        self.salt = build_salt(settings)
        self.previous: dict[str, str] = {}
        self.pages: dict[str, str] = {}
        previous = self._load_state()
        if self.incremental and previous.get("salt") == self.salt:
            self.previous = previous.get("pages", {})
        self.previous_paths = set(previous.get("pages", {}))
        self.present = witness.Witness.of_state(self._root, previous).check_all()
        """Which of the previous build's files are still there (:mod:`.witness`)."""
        self.processes = setting(settings, "WARTA_RENDER_PROCESSES")
        self.article_records: dict[str, Any] = {}
        """Per report, what the next build compares (:mod:`.settled`); saved with the state."""
        self._queue: list[parallel.PageJob] = []
        # A crash from here on must not leave digests for pages half-written.
        self.state_file.unlink(missing_ok=True)

    def _load_state(self) -> dict[str, Any]:
        data = load_state(self.state_file)
        _STATES.clear()  # the file is removed next; nothing else reads it in this build
        return data

    # -- Pelican's write_file, with a digest decision per output file ----------------------

    def write_file(self, name: Any, template: Any, context: dict[str, Any],
                   relative_urls: bool = False, paginated: dict[str, list[Any]] | None = None,
                   template_name: str | None = None, override_output: bool = False,
                   url: str | None = None, **kwargs: Any) -> None:
        if not name:
            return
        if not self._adopted:
            # Articles are final once the settled step has fingerprinted them (after images).
            self._adopted = True
            self.fp = context.get(FINGERPRINTS_KEY) or self.fp
            self.stats.looked_up += context.get(witness.LOOKED_UP_KEY, 0)
        tname = template_name or Path(getattr(template, "name", "") or "").stem
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (self.settings["PAGINATED_TEMPLATES"][template_name]
                        or self.settings["DEFAULT_PAGINATION"])
            if template_name in self.stable_templates:
                self._write_stable(name, template, context, relative_urls, paginated, tname,
                                   override_output, url, per_page, kwargs)
            else:
                self._write_paginated(name, template, context, relative_urls, paginated, tname,
                                      override_output, url, per_page, kwargs)
            return
        digest = self._digest(tname, name, context, kwargs, {})
        self._emit(template, context, name, kwargs, relative_urls, override_output, digest)

    def _write_paginated(self, name: str, template: Any, context: dict[str, Any],
                         relative_urls: bool, paginated: dict[str, list[Any]], tname: str,
                         override: bool, url: str | None, per_page: int,
                         kwargs: dict[str, Any]) -> None:
        paginators = {k: Paginator(name, url, v, self.settings, per_page)
                      for k, v in paginated.items()}
        num_pages = next(iter(paginators.values())).num_pages
        for page_num in range(num_pages):
            page_kwargs = kwargs.copy()
            page = None
            for key, p in paginators.items():
                previous_page = p.page(page_num) if page_num > 0 else None
                page = p.page(page_num + 1)
                next_page = p.page(page_num + 2) if page_num + 1 < p.num_pages else None
                page_kwargs.update({f"{key}_paginator": p, f"{key}_page": page,
                                    f"{key}_previous_page": previous_page,
                                    f"{key}_next_page": next_page})
            assert page is not None
            digest = self._digest(tname, page.save_as, context, page_kwargs, paginated,
                                  extra=(num_pages, p.count))
            self._emit(template, context, page.save_as, page_kwargs, relative_urls, override,
                       digest)

    def _write_stable(self, name: str, template: Any, context: dict[str, Any],
                      relative_urls: bool, paginated: dict[str, list[Any]], tname: str,
                      override: bool, url: str | None, per_page: int,
                      kwargs: dict[str, Any]) -> None:
        paginators = {k: StablePaginator(name, url or "", v, self.settings, per_page)
                      for k, v in paginated.items()}
        first = next(iter(paginators.values()))
        older = max((self._untouched_from(context, v, tname) for v in paginated.values()),
                    key=lambda n: float("inf") if n is None else n, default=None)
        carry = False
        for position in range(len(first.slices)):
            if carry and self._keep(first.reading_page(position).save_as, override):
                continue
            page_kwargs = kwargs.copy()
            page = None
            for key, p in paginators.items():
                page = p.reading_page(position)
                previous_page = p.reading_page(position - 1) if position > 0 else None
                next_page = p.reading_page(position + 1) if page.has_next() else None
                page_kwargs.update({f"{key}_paginator": p, f"{key}_page": page,
                                    f"{key}_previous_page": previous_page,
                                    f"{key}_next_page": next_page})
            assert page is not None
            digest = self._digest(tname, page.save_as, context, page_kwargs, paginated,
                                  eligible=position > 0 and tname in SKIP_AFTER_FIRST)
            self._emit(template, context, page.save_as, page_kwargs, relative_urls, override,
                       digest)
            # This page holds only reports older than every new or changed one and is as it
            # was, its neighbours included: so is every page past it (pages are anchored at
            # the oldest report, each one's digest takes its neighbours').
            carry = (position >= 1 and older is not None and first.slices[position][1] > older
                     and digest is not None
                     and self._previous(page.save_as) == digest)

    def _untouched_from(self, context: Mapping[str, Any], articles: list[Any],
                        tname: str) -> int | None:
        """The index (newest first) past which ``articles`` holds no new or changed report,
        or None when that cannot be known (no settled step, another state, a report gone).

        Listings are paginated from the oldest report, so their pages past that index hold
        the same reports as in the previous build (:mod:`.settled`).
        """
        touched = self._touched(context)
        if touched is None or not (tname in self.skip_templates or tname in SKIP_AFTER_FIRST):
            return None
        for n in range(len(articles) - 1, -1, -1):
            if _is_touched(articles[n], touched):
                return n
        return -1

    def _touched(self, context: Mapping[str, Any]) -> frozenset[str] | None:
        """Ids of the new and changed reports (:mod:`.settled`), or None when this build
        cannot trust them: no settled step, no previous state, or one of another salt."""
        touched = context.get("warta_touched")
        if touched is None or not self.previous or context.get("warta_settled_salt") != self.salt:
            return None
        return touched

    def _previous(self, name: str) -> str | None:
        """The digest the previous build recorded for page ``name``."""
        return self.previous.get(self._locate(name)[1])

    def _keep(self, name: str, override: bool) -> bool:
        """Keep page ``name`` as the previous build wrote it, if it did and the file is there."""
        path, rel = self._locate(name)
        kept = self.previous.get(rel)
        if not kept or not self.present.exists(rel, path):
            return False
        if self._claim(path, override):
            self.pages[rel] = kept
            self.stats.skipped += 1
            self.stats.kept += 1
        return True

    def _digest(self, tname: str, save_as: str, context: Mapping[str, Any],
                kwargs: Mapping[str, Any], paginated: Mapping[str, Any],
                extra: tuple[Any, ...] = (), eligible: bool = False) -> str | None:
        """The page's input digest, or None when it must be rendered."""
        if tname not in self.skip_templates and not eligible:
            return None
        if tname == "article" and "article" in kwargs:
            kept = self._settled_digest(save_as, context)
            if kept is not None:
                return kept
        if tname == "period_archives":
            kept = self._untouched_period(save_as, context, kwargs)
            if kept is not None:
                return kept
        fp = self.fp
        parts = [self.salt, tname, save_as, repr(extra)]
        try:
            for key in sorted(kwargs):
                value = kwargs[key]
                if key == "all_articles" or key in paginated:
                    continue  # not read by skip-eligible templates (see module doc)
                if isinstance(value, Page):
                    parts.append(f"{key}={self._page_fp(value)}")
                elif isinstance(value, Paginator):
                    continue  # what a page shows of it is in its Page
                else:
                    parts.append(f"{key}={fp.of(value)}")
            if tname == "article" and "article" in kwargs:
                info = getattr(kwargs["article"], "warta", None)
                navs = context.get("warta_nav") or {}
                parts.append(fp.of(navs.get(info.id) if info is not None else None))
            if tname == "period_archives":
                parts.append(fp.of(context.get("period")))
                parts.append(fp.of(context.get("period_num")))
        except Unfingerprintable as exc:
            log.debug("incremental: %s rendered (argument of type %s)", save_as, exc)
            return None
        return short_digest(*parts)

    def _settled_digest(self, save_as: str, context: Mapping[str, Any]) -> str | None:
        """The previous digest of a settled report's page (:mod:`.settled`), else None.

        Such a page has no navigation in this build: it must not be rendered,
        and is not, since the settled step only settles a page the previous build
        skipped by its digest and that still exists.
        """
        if save_as not in context.get("warta_settled", ()):
            return None
        if context.get("warta_settled_salt") != self.salt:
            raise RuntimeError("settled reports were decided against another build state")
        kept = self._previous(save_as)
        if not kept:
            raise RuntimeError(f"{save_as}: settled without a previous digest")
        self.stats.settled += 1
        return kept

    def _untouched_period(self, save_as: str, context: Mapping[str, Any],
                          kwargs: Mapping[str, Any]) -> str | None:
        """The previous digest of a year or month archive none of whose reports is new or
        changed (:mod:`.settled`), else None. Such a page is made of its period and its
        reports only, so it is as the previous build wrote it."""
        touched = self._touched(context)
        if touched is None or any(_is_touched(a, touched) for key in ("dates", "articles")
                                  for a in kwargs.get(key) or ()):
            return None
        kept = self._previous(save_as)
        if kept:
            self.stats.kept += 1
        return kept or None

    def _page_fp(self, page: Page) -> str:
        return short_digest(str(page.number), str(page.url), str(page.save_as),
                            str(getattr(page, "label", "")), str(page.has_next()),
                            str(page.has_previous()), *(self.fp.of(a) for a in page.object_list))

    # -- outputs made outside Pelican's templates (listing feeds) ------------------------

    def input_digest(self, kind: str, rel: str, *parts: Any) -> str | None:
        """Digest of an output file's inputs (``parts``: articles, strings, dataclasses).

        None when a part cannot be fingerprinted: the file is then always made.
        """
        try:
            return short_digest(self.salt, kind, rel, *(self.fp.of(p) for p in parts))
        except Unfingerprintable as exc:
            log.debug("incremental: %s made (input of type %s)", rel, exc)
            return None

    def reuse(self, rel: str, digest: str | None) -> bool:
        """Record ``rel`` (relative to the output folder) as an output of this build.

        True when the previous build made it from the same inputs and it is still
        there: the caller then neither renders nor writes it. Recorded files take
        part in the state like pages — a file this build no longer makes (the feed
        of a removed source) is deleted at the end.
        """
        self.pages[rel] = digest or ""
        if (digest is not None and self.previous.get(rel) == digest
                and self.present.exists(rel)):
            self.stats.files_reused += 1
            return True
        return False

    # -- rendering and writing ---------------------------------------------------------

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's duplicate-output bookkeeping (``Writer._open_w``) without opening."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)')
            return False
        if path in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously '
                "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def _emit(self, template: Any, context: dict[str, Any], name: str, kwargs: dict[str, Any],
              relative_urls: bool, override: bool, digest: str | None) -> None:
        path, rel = self._locate(name)
        if not self._claim(path, override):
            return
        if digest is not None:
            self.pages[rel] = digest
            if self.previous.get(rel) == digest and self.present.exists(rel, path):
                self.stats.skipped += 1
                return
        else:
            self.pages[rel] = ""
        self._queue.append(parallel.PageJob(template, context, name, kwargs, relative_urls, path))

    def flush(self) -> None:
        """Render every queued page, on every core (:mod:`.parallel`).

        Called once the pages that a later step reads from disk are all queued:
        when Pelican's article generator is done (search indexes article pages
        during the rest of the build) and at the end of the build.
        """
        queue, self._queue = self._queue, []
        if not queue:
            return
        changed, unchanged = parallel.run(queue, parallel.render_page,
                                          parallel.process_count(self.processes, len(queue)))
        self.stats.rendered += len(queue)
        self.stats.written += changed
        self.stats.unchanged += unchanged

    def _locate(self, name: str) -> tuple[str, str]:
        """Absolute output path of page ``name`` and its path relative to the output.

        A plain relative name (no empty, ``.`` or ``..`` part) is already both
        Pelican's ``sanitised_join`` result and its own relative path; working
        them out with abspath/relpath took ~3 s per 100,000 pages, mostly for
        pages that are then skipped. Anything else goes the long way.
        """
        if (name and not name.startswith("/") and "\\" not in name
                and not any(part in _ODD_PARTS for part in name.split("/"))):
            return os.path.join(self._root, name), name
        path = sanitised_join(self.output_path, name)
        return path, os.path.relpath(path, self.output_path)

    # -- end of build ------------------------------------------------------------------

    def finish(self) -> BuildStats:
        """Delete pages the previous build wrote and this one did not; save the state."""
        self.flush()
        self.stats.looked_up += self.present.looked_up
        out = Path(self.output_path).resolve()
        for rel in sorted(self.previous_paths - set(self.pages)):
            path = (out / rel).resolve()
            if out not in path.parents:
                continue
            try:
                path.unlink()
                self.stats.deleted += 1
            except FileNotFoundError:
                continue
            remove_empty_folders(path.parent, out)
        write_atomic(self.state_file, json.dumps(
            {"version": STATE_VERSION, "salt": self.salt, "stats": self.stats.as_dict(),
             "pages": self.pages, "articles": self.article_records,
             "witnesses": witness.record(str(out), self.pages)},
            ensure_ascii=False).encode("utf-8"))
        log.info("Warta: %d halaman dirender (%d ditulis, %d sama), %d dilewati, %d dihapus",
                 self.stats.rendered, self.stats.written, self.stats.unchanged,
                 self.stats.skipped, self.stats.deleted)
        return self.stats


def _is_touched(article: Any, touched: frozenset[str]) -> bool:
    """A new or changed report, or an article the settled step does not know (to be safe)."""
    info = getattr(article, "warta", None)
    return info is None or info.id in touched


def read_stats(settings: Mapping[str, Any]) -> dict[str, int]:
    """The page counts of the last finished build (for operators and benchmarks)."""
    try:
        data = json.loads(state_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return dict(data.get("stats", {}))


# -- signal handlers -----------------------------------------------------------------------


def get_writer(pelican_obj: Any) -> type[Writer]:
    """``signals.get_writer``: a writer class that registers itself on this Pelican run."""

    class _RunWriter(IncrementalWriter):
        def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
            super().__init__(output_path, settings=settings)
            pelican_obj.warta_writer = self

    return _RunWriter


def articles_written(generator: Any, writer: Any = None) -> None:
    """``article_writer_finalized``: article pages on disk before search starts indexing them."""
    if isinstance(writer, IncrementalWriter):
        writer.flush()


def finalized(pelican_obj: Any) -> None:
    """``signals.finalized``: finish the writer of this run (stale pages, state)."""
    writer = getattr(pelican_obj, "warta_writer", None)
    if isinstance(writer, IncrementalWriter):
        writer.finish()
