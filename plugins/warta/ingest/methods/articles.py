"""Shared by the sitemap and listing-page methods: fetch article pages politely, extract.

Only pages the archive has not seen (or whose sitemap ``lastmod`` changed)
are requested, at most ``max_pages_per_source`` per run, newest first; the
rest are remembered as ``deferred`` and taken first next run. Each request is
checked against robots.txt, paced by :class:`~warta.ingest.polite.PageGate`, capped
at ``max_page_bytes`` and conditional when the page was fetched before.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, replace

from ...archive.feedstate import PageState
from ...core.messages import fetch_error_message, pages_note
from ...core.records import FeedSpec, FetchResult, PageVisit, RawEntry, Source
from ..extract import extract_article
from . import PAGE_ACCEPT, Crawl, MethodOutcome

RETRY_CLASSES = frozenset({"deferred", "timeout", "connection", "robots_unavailable"})
"""Page errors worth retrying on a run where the listing itself did not change."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article URL a sitemap or listing page offered."""

    url: str
    lastmod: str | None = None
    published_raw: str | None = None
    title: str | None = None


@dataclass(slots=True)
class PageBatch:
    entries: list[RawEntry]
    visits: list[PageVisit]
    fetched: int = 0
    skipped_robots: int = 0
    failed: int = 0
    deferred: int = 0


def wanted(crawl: Crawl, source: Source, candidates: list[Candidate]) -> list[Candidate]:
    """Candidates not archived yet, or changed since (sitemap lastmod), or left over."""
    states = crawl.archive.page_states(source.id, (c.url for c in candidates))
    out: list[Candidate] = []
    for c in candidates:
        st = states.get(c.url)
        if st is None or st.error_class is not None or st.item_key is None:
            failed_for_good = (st is not None and st.error_class is not None
                               and st.error_class not in RETRY_CLASSES)
            if failed_for_good and (not c.lastmod or c.lastmod == st.lastmod):
                continue  # a 404 or non-HTML page is retried only once its lastmod changes
            out.append(c)
        elif c.lastmod and c.lastmod != st.lastmod:
            out.append(c)
    return out


def pending(crawl: Crawl, source: Source) -> list[Candidate]:
    """Pages deferred or failed transiently on an earlier run."""
    return [Candidate(url) for url in crawl.archive.pending_pages(source.id, RETRY_CLASSES)]


async def fetch_pages(crawl: Crawl, source: Source, spec: FeedSpec, candidates: list[Candidate],
                      *, via: str) -> PageBatch:
    """Fetch and extract up to the per-run cap of ``candidates`` (already filtered, best first)."""
    cap = max(0, crawl.policy.max_pages_per_source)
    todo, later = candidates[:cap], candidates[cap:]
    batch = PageBatch(entries=[], visits=[PageVisit(c.url, lastmod=None, error_class="deferred",
                                                    error_message="menunggu giliran")
                                          for c in later])
    batch.deferred = len(later)
    states = crawl.archive.page_states(source.id, (c.url for c in todo))
    results = await asyncio.gather(*(
        _one(crawl, source, spec, c, states.get(c.url), via) for c in todo))
    for entry, visit in results:
        batch.visits.append(visit)
        if visit.error_class == "robots":
            batch.skipped_robots += 1
        elif visit.error_class is not None:
            batch.failed += 1
        if visit.http_status is not None:
            batch.fetched += 1
        if entry is not None:
            batch.entries.append(entry)
    return batch


async def _one(crawl: Crawl, source: Source, spec: FeedSpec, c: Candidate, state: PageState | None,
               via: str) -> tuple[RawEntry | None, PageVisit]:
    def failed(cls: str, status: int | None, message: str) -> tuple[None, PageVisit]:
        return None, PageVisit(c.url, lastmod=c.lastmod, http_status=status, error_class=cls,
                               error_message=message)

    rules = await crawl.robots.rules(c.url)
    if not rules.allowed(c.url):
        cls = "robots_unavailable" if rules.unavailable else "robots"
        return failed(cls, None, fetch_error_message(cls, None, c.url))
    delay = min(rules.crawl_delay() or 0.0, crawl.policy.max_crawl_delay)
    async with crawl.gate.slot(c.url, delay):
        result: FetchResult = await crawl.fetcher.fetch(
            c.url, etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            max_bytes=crawl.policy.max_page_bytes, accept=PAGE_ACCEPT)
    if result.not_modified:
        return None, PageVisit(c.url, lastmod=c.lastmod, http_status=304,
                               item_key=state.item_key if state else None)
    if not result.ok or result.body is None:
        return failed(result.error_class or "http", result.status, result.error_message or "")
    ctype = result.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if ctype and "html" not in ctype and ctype not in ("text/plain", "application/octet-stream"):
        return failed("not_html", result.status, fetch_error_message("not_html", None, ctype))
    body_hash = hashlib.sha256(result.body).hexdigest()
    if state is not None and state.body_hash == body_hash and state.item_key:
        return None, PageVisit(c.url, lastmod=c.lastmod, http_status=result.status,
                               etag=result.etag, last_modified=result.last_modified,
                               body_hash=body_hash, item_key=state.item_key)
    page_url = result.final_url or c.url
    ex = await asyncio.to_thread(extract_article, result.body, page_url, source,
                                 selectors=spec.options, headers=result.headers)
    if ex.empty:
        return failed("extract_failed", result.status,
                      fetch_error_message("extract_failed", None, c.url))
    entry = ex.to_raw_entry(via)
    # The page is authoritative; the sitemap's news fields only fill gaps.
    if not entry.published_raw and c.published_raw:
        entry = replace(entry, published_raw=c.published_raw)
    if not entry.title and c.title:
        entry = replace(entry, title=c.title)
    # Key the item by the URL the listing gave, so a redirect cannot duplicate it.
    entry = replace(entry, guid=c.url)
    return entry, PageVisit(c.url, lastmod=c.lastmod, etag=result.etag,
                            last_modified=result.last_modified, body_hash=body_hash,
                            item_key=c.url, http_status=result.status)


def outcome_from(batch: PageBatch, result: FetchResult, body_hash: str | None) -> MethodOutcome:
    return MethodOutcome(
        status="ok", result=result, entries=batch.entries, visits=batch.visits,
        body_hash=body_hash, pages=batch.fetched,
        note=pages_note(batch.fetched, batch.skipped_robots, batch.failed, batch.deferred),
    )
