"""Which article pages changed since the search index last looked, and what of them it reads.

An hourly run must re-index only the bundles whose pages changed, and must find
that out without reading 100,000 pages (:class:`PageDigests`); a page's
navigation changing (a newer report of its office) must not count as a change
of what is indexed (:func:`indexed_part`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.outfiles import beside, write_atomic
from .recent import page_date

log = logging.getLogger(__name__)

BODY_START = b"data-pagefind-body"
BODY_END = b"<!--/pagefind-body-->"
"""Placed by ``article.html`` right after the ``data-pagefind-body`` element."""


def indexed_part(page: bytes) -> bytes:
    """The part of an article page Pagefind reads: its ``data-pagefind-body`` element.

    Every filter, sort key and meta field of an article page sits inside that
    element (``_search_data.html``), and Pagefind ignores the rest of a page
    once any page has a body element. What follows it (the source's
    previous/next links, the other reports of the story, related news) changes
    whenever a neighbour is published, and must not cost a re-index of its
    whole bundle. The end marker is searched from the right, so a marker
    smuggled into an article's text only widens the digested part. A page
    without both markers is digested whole: a change still re-indexes.
    """
    start = page.find(BODY_START)
    end = page.rfind(BODY_END)
    if start < 0 or end < start:
        return page
    return page[start:end]


class PageDigests:
    """Per-page digests of :func:`indexed_part`, cached by size and mtime between runs.

    Kept next to the output folder (``<output>.search-pages.json``, like the
    link check's cache) and not inside it, so it is never published. Only
    pages whose size or mtime changed since the last run are read again: an
    hourly run reads the few thousand pages the build wrote, not 100,000.

    ``built``: the build's input digest of each page (:mod:`warta.core.buildstate`).
    A page whose digest is the one recorded beside its entry was neither rendered
    nor written since: it is not even looked at (a ``stat`` per page is, at a
    million reports, a read from the disk each).
    """

    VERSION = 3

    def __init__(self, site: Path, built: Mapping[str, str] | None = None) -> None:
        self.site = Path(site)
        self.path = beside(site, ".search-pages.json")
        self.built: Mapping[str, str] = built or {}
        self.old: dict[str, list[Any]] = {}
        self.new: dict[str, list[Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == self.VERSION and isinstance(data.get("pages"), dict):
                self.old = data["pages"]
        except (OSError, ValueError, AttributeError):
            pass

    def has_page(self, rel: str) -> bool:
        """Whether page folder ``rel`` holds its ``index.html`` (the build's pages are known)."""
        return f"{rel}/index.html" in self.built or os.path.isfile(
            os.path.join(self.site, rel, "index.html"))

    def _entry(self, rel: str, path: str, st: os.stat_result, built: str) -> list[Any]:
        """``[size, mtime, digest of the indexed part, date key, build digest]`` of one page."""
        entry = self.new.get(rel) or self.old.get(rel)
        if (entry is not None and len(entry) == 5 and entry[0] == st.st_size
                and entry[1] == st.st_mtime_ns):
            entry = [*entry[:4], built]
            self.new[rel] = entry
            return entry
        with open(path, "rb") as fh:
            page = fh.read()
        part = indexed_part(page)
        entry = [st.st_size, st.st_mtime_ns, hashlib.blake2b(part, digest_size=12).hexdigest(),
                 page_date(part), built]
        self.new[rel] = entry
        return entry

    def of(self, rel: str) -> tuple[str, str] | None:
        """Digest of the indexed part and Pagefind date key
        (:func:`~warta.search.recent.page_date`) of the page in folder ``rel`` of the site;
        None when it is gone."""
        built = self.built.get(f"{rel}/index.html") or ""
        if built:
            entry = self.new.get(rel) or self.old.get(rel)
            if entry is not None and len(entry) == 5 and entry[4] == built:
                self.new[rel] = entry
                return str(entry[2]), str(entry[3])
        path = os.path.join(self.site, rel, "index.html")
        try:
            entry = self._entry(rel, path, os.stat(path), built)
        except OSError:
            return None
        return str(entry[2]), str(entry[3])

    def save(self) -> None:
        try:
            write_atomic(self.path, json.dumps({"version": self.VERSION, "pages": self.new},
                                               separators=(",", ":")).encode("utf-8"))
        except OSError as exc:  # only a cache: the next run reads every page again
            log.warning("pencarian: cache %s tidak dapat ditulis: %s", self.path, exc)
