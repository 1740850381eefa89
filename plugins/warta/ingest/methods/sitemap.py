"""``sitemap:`` entries: article URLs from a sitemap or sitemap index, news sitemaps first.

A sitemap index lists child sitemaps with their ``lastmod``; a child whose
``lastmod`` did not change since the last run is not requested again, so an
unchanged site costs one request (the index, conditional). Article URLs come
with ``lastmod`` and, in news sitemaps, ``news:publication_date`` and
``news:title``; only URLs not archived yet, or whose ``lastmod`` changed, are
fetched and extracted.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass
from datetime import timedelta

from lxml import etree

from ...archive.feedstate import PageState
from ...core.messages import fetch_error_message
from ...core.records import FeedSpec, FetchResult, PageVisit, Source
from . import XML_ACCEPT, Crawl, MethodOutcome, fetch_listing
from .articles import Candidate, fetch_pages, outcome_from, pending, wanted

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
"""The sitemaps.org limit for one (uncompressed) sitemap file."""


class SitemapError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class ChildRef:
    url: str
    lastmod: str | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    kind: str  # index | urlset
    children: tuple[ChildRef, ...] = ()
    urls: tuple[Candidate, ...] = ()
    news: bool = False


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(el: etree._Element, name: str) -> str | None:
    for child in el:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def parse_sitemap(body: bytes) -> Sitemap:
    """Parse a sitemap or index (plain or gzip). Raises :class:`SitemapError`."""
    if body[:2] == b"\x1f\x8b":
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = d.decompress(body, MAX_SITEMAP_BYTES)
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise SitemapError(f"gzip rusak: {exc}") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(str(exc)[:200]) from exc
    if root is None:
        head = body[:512].lower()
        raise SitemapError("alamat ini mengembalikan halaman HTML" if b"<html" in head
                           else "bukan XML")
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = []
        for sm in root:
            if _local(sm.tag) != "sitemap":
                continue
            loc = _child_text(sm, "loc")
            if loc:
                children.append(ChildRef(loc, _child_text(sm, "lastmod")))
        return Sitemap("index", children=tuple(children))
    if kind != "urlset":
        raise SitemapError("alamat ini mengembalikan halaman HTML" if kind == "html"
                           else f"elemen akar <{kind}> bukan urlset atau sitemapindex")
    urls: list[Candidate] = []
    news = False
    for u in root:
        if _local(u.tag) != "url":
            continue
        loc = _child_text(u, "loc")
        if not loc:
            continue
        published = title = None
        for child in u:
            if _local(child.tag) == "news":
                news = True
                published = _child_text(child, "publication_date")
                title = _child_text(child, "title")
        urls.append(Candidate(loc, _child_text(u, "lastmod"), published, title))
    return Sitemap("urlset", urls=tuple(urls), news=news)


def _is_news(url: str) -> bool:
    return "news" in url.lower() or "berita" in url.lower()


def _newest_first(c: Candidate) -> str:
    return c.published_raw or c.lastmod or ""


async def read(crawl: Crawl, source: Source, spec: FeedSpec, url: str) -> MethodOutcome:
    """Read one ``sitemap:`` entry.

    An index that lists news sitemaps is itself re-read only every
    ``sitemap_index_ttl``: news sitemaps change every hour while their index
    often keeps a stale ``lastmod``, so on other runs the news sitemaps are
    asked directly (conditionally) — still one request when nothing changed.
    """
    news = crawl.archive.pages_of_kind(source.id, "news-sitemap")
    index_at = crawl.archive.page_fetched_at(source.id, url)
    ttl = timedelta(seconds=crawl.policy.sitemap_index_ttl)
    if news and index_at is not None and crawl.now - index_at < ttl:
        result = FetchResult(url=url, status=304)
        return await _news_only(crawl, source, spec, result, news, [])
    listing = await fetch_listing(crawl, source, url, accept=XML_ACCEPT)
    if listing.failure is not None:
        return listing.failure
    result = listing.result
    index_visit = PageVisit(url, kind="index", http_status=result.status)
    if not listing.changed:
        if news:
            return await _news_only(crawl, source, spec, result, news, [index_visit],
                                    body_hash=listing.body_hash)
        left = pending(crawl, source)
        if not left:
            return MethodOutcome("not_modified", result, body_hash=listing.body_hash,
                                 visits=[index_visit])
        batch = await fetch_pages(crawl, source, spec, left, via="sitemap")
        batch.visits.append(index_visit)
        return outcome_from(batch, result, listing.body_hash)
    assert result.body is not None
    try:
        top = parse_sitemap(result.body)
    except SitemapError as exc:
        return _invalid(result, str(exc))
    candidates: list[Candidate] = []
    visits: list[PageVisit] = [index_visit]
    if top.kind == "urlset":
        candidates = sorted(top.urls, key=_newest_first, reverse=True)
    else:
        # news sitemaps first, then the most recently changed
        children = sorted(top.children, key=lambda c: c.lastmod or "", reverse=True)
        children = sorted(children, key=lambda c: not _is_news(c.url))
        states = crawl.archive.page_states(source.id, (c.url for c in children))
        todo = [c for c in children
                if c.url not in states or states[c.url].error_class is not None
                or not c.lastmod or c.lastmod != states[c.url].lastmod
                or states[c.url].kind == "news-sitemap"]
        for child in todo[: crawl.policy.max_sitemaps_per_source]:
            cand, visit = await _child(crawl, source, child, states.get(child.url))
            visits.append(visit)
            candidates.extend(sorted(cand, key=_newest_first, reverse=True))
    return await _articles(crawl, source, spec, result, candidates, visits, listing.body_hash)


async def _news_only(crawl: Crawl, source: Source, spec: FeedSpec, result: FetchResult,
                     news: list[str], visits: list[PageVisit],
                     body_hash: str | None = None) -> MethodOutcome:
    """Re-read only the news sitemaps an index listed (conditional requests)."""
    states = crawl.archive.page_states(source.id, news)
    candidates: list[Candidate] = []
    for url in news[: crawl.policy.max_sitemaps_per_source]:
        st = states.get(url)
        cand, visit = await _child(crawl, source, ChildRef(url, st.lastmod if st else None), st)
        visits.append(visit)
        candidates.extend(sorted(cand, key=_newest_first, reverse=True))
    if not candidates and not pending(crawl, source):
        return MethodOutcome("not_modified", result, visits=visits, body_hash=body_hash)
    return await _articles(crawl, source, spec, result, candidates, visits, body_hash)


async def _articles(crawl: Crawl, source: Source, spec: FeedSpec, result: FetchResult,
                    candidates: list[Candidate], visits: list[PageVisit],
                    body_hash: str | None) -> MethodOutcome:
    candidates = [*candidates, *pending(crawl, source)]  # left over from earlier runs
    seen: set[str] = set()
    unique = [c for c in candidates if not (c.url in seen or seen.add(c.url))]
    batch = await fetch_pages(crawl, source, spec, wanted(crawl, source, unique), via="sitemap")
    batch.visits.extend(visits)
    return outcome_from(batch, result, body_hash)


async def _child(crawl: Crawl, source: Source, child: ChildRef,
                 state: PageState | None) -> tuple[list[Candidate], PageVisit]:
    """One child sitemap, conditional; an unchanged body yields no candidates."""
    st = state
    was_news = st is not None and st.kind == "news-sitemap"
    kind = "news-sitemap" if was_news or _is_news(child.url) else "sitemap"
    rules = await crawl.robots.rules(child.url)
    if not rules.allowed(child.url):
        cls = "robots_unavailable" if rules.unavailable else "robots"
        return [], PageVisit(child.url, kind=kind, error_class=cls,
                             error_message=fetch_error_message(cls, None, child.url))
    res = await crawl.fetcher.fetch(child.url, etag=st.etag if st else None,
                                    last_modified=st.last_modified if st else None,
                                    accept=XML_ACCEPT)
    if res.not_modified:
        return [], PageVisit(child.url, kind=kind, lastmod=child.lastmod, http_status=304)
    if not res.ok or res.body is None:
        return [], PageVisit(child.url, kind=kind, http_status=res.status,
                             error_class=res.error_class, error_message=res.error_message)
    body_hash = hashlib.sha256(res.body).hexdigest()
    try:
        sm = parse_sitemap(res.body)
    except SitemapError as exc:
        return [], PageVisit(child.url, kind=kind, http_status=res.status,
                             error_class="invalid_sitemap",
                             error_message=fetch_error_message("invalid_sitemap", None, str(exc)))
    visit = PageVisit(child.url, kind="news-sitemap" if sm.news else kind, lastmod=child.lastmod,
                      etag=res.etag, last_modified=res.last_modified, body_hash=body_hash,
                      http_status=res.status)
    if st is not None and st.body_hash == body_hash:
        return [], visit  # same bytes as last time (a server without validators)
    return list(sm.urls), visit


def _invalid(result: FetchResult, detail: str) -> MethodOutcome:
    msg = fetch_error_message("invalid_sitemap", None, detail)
    return MethodOutcome("error", result, error_class="invalid_sitemap", error_message=msg)
