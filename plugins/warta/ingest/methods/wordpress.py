"""``wordpress:`` entries: posts through the WordPress REST API (``/wp-json/wp/v2/posts``).

The API gives what a feed often cuts: the full content, the excerpt, the
featured image, category and tag names (with ``_embed``) and ``date_gmt``,
an unambiguous UTC time. Page 1 is requested conditionally; older pages only
while every post on the newest page is still unknown (a site that published
more than a page since the last run), up to ``max_api_pages`` and
``X-WP-TotalPages``. When the API is switched off (404/401/403, an HTML page,
``rest_disabled``), the site's own feed is read instead and the health note
says so.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from ...core.messages import fetch_error_message
from ...core.records import FeedSpec, FetchResult, MediaRef, RawEntry, Source
from ..fetch import Fetcher
from . import JSON_ACCEPT, Crawl, MethodOutcome, fetch_listing

PER_PAGE = 20
API_OFF_STATUSES = frozenset({400, 401, 403, 404, 405, 410, 501})


def api_root(url: str) -> str:
    """``https://x.go.id/`` or ``…/wp-json/`` → ``https://x.go.id/wp-json/``."""
    if "/wp-json" in url:
        return url[: url.index("/wp-json") + len("/wp-json")] + "/"
    return urljoin(url if url.endswith("/") else url + "/", "wp-json/")


def site_root(url: str) -> str:
    if "/wp-json" in url:
        return url[: url.index("/wp-json")] + "/"
    return url if url.endswith("/") else url + "/"


def posts_url(url: str, page: int = 1, per_page: int = PER_PAGE) -> str:
    return f"{api_root(url)}wp/v2/posts?_embed=1&per_page={per_page}&page={page}"


def _rendered(value: Any) -> str:
    if isinstance(value, Mapping):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def post_entry(post: Mapping[str, Any]) -> RawEntry | None:
    """One post object (as WordPress returns it, with ``_embed``) → RawEntry."""
    if not isinstance(post, Mapping):
        return None
    content = post.get("content")
    if isinstance(content, Mapping) and content.get("protected"):
        return None  # password-protected: nothing public to show
    link = post.get("link") if isinstance(post.get("link"), str) else None
    guid = _rendered(post.get("guid")) or link or (str(post["id"]) if "id" in post else None)
    date_gmt = post.get("date_gmt")
    published = f"{date_gmt}+00:00" if isinstance(date_gmt, str) and date_gmt else None
    if published is None and isinstance(post.get("date"), str):
        published = post["date"]  # site-local without offset: normalize applies the source zone
    modified_gmt = post.get("modified_gmt")
    updated = f"{modified_gmt}+00:00" if isinstance(modified_gmt, str) and modified_gmt else None
    embedded = post.get("_embedded") if isinstance(post.get("_embedded"), Mapping) else {}
    media: list[MediaRef] = []
    for m in embedded.get("wp:featuredmedia") or ():
        if isinstance(m, Mapping) and isinstance(m.get("source_url"), str):
            details = m.get("media_details") if isinstance(m.get("media_details"), Mapping) else {}
            media.append(MediaRef(url=m["source_url"], type=m.get("mime_type") or "image",
                                  width=_int(details.get("width")),
                                  height=_int(details.get("height"))))
    categories: list[str] = []
    for group in embedded.get("wp:term") or ():
        for term in group if isinstance(group, list) else ():
            if isinstance(term, Mapping) and term.get("taxonomy") in ("category", "post_tag") \
                    and isinstance(term.get("name"), str):
                categories.append(html.unescape(term["name"]))
    authors = tuple(html.unescape(a["name"]) for a in embedded.get("author") or ()
                    if isinstance(a, Mapping) and isinstance(a.get("name"), str))
    return RawEntry(
        guid=guid.strip() if guid else None, link=link, title=_rendered(post.get("title")),
        content_html=_rendered(content), summary_html=_rendered(post.get("excerpt")),
        authors=authors, categories=tuple(dict.fromkeys(categories)),
        published_raw=published, updated_raw=updated, media=tuple(media), base_url=link,
        via="wordpress",
    )


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


class NotPosts(Exception):
    """The API answered, but not with a list of posts (switched off, or an HTML page)."""


def parse_posts(body: bytes) -> list[Mapping[str, Any]]:
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html")) or b"<html" in head:
        raise NotPosts("mengembalikan halaman HTML")
    try:
        data = json.loads(body.decode("utf-8-sig", "replace"))
    except ValueError as exc:
        raise NotPosts("jawaban bukan JSON") from exc
    if isinstance(data, Mapping):
        code = data.get("code")
        raise NotPosts(f"kode {code}" if code else "jawaban bukan daftar tulisan")
    if not isinstance(data, list):
        raise NotPosts("jawaban bukan daftar tulisan")
    return [p for p in data if isinstance(p, Mapping)]


def total_pages(headers: Mapping[str, str]) -> int:
    try:
        return max(1, int(headers.get("x-wp-totalpages", "1")))
    except ValueError:
        return 1


async def read(crawl: Crawl, source: Source, spec: FeedSpec, url: str) -> MethodOutcome:
    first = posts_url(url)
    listing = await fetch_listing(crawl, source, first, accept=JSON_ACCEPT, record_url=url)
    result = listing.result
    if listing.failure is not None:
        if listing.failure.error_class == "http" and result.status in API_OFF_STATUSES:
            reason = fetch_error_message("wp_api_off", None, f"HTTP {result.status}")
            return _fallback(result, url, reason)
        return listing.failure
    if not listing.changed:
        return MethodOutcome("not_modified", result, body_hash=listing.body_hash)
    assert result.body is not None
    try:
        posts = parse_posts(result.body)
    except NotPosts as exc:
        return _fallback(result, url, fetch_error_message("wp_api_off", None, str(exc)))
    entries = [e for e in (post_entry(p) for p in posts) if e is not None]
    pages = total_pages(result.headers)
    page, last_batch = 1, list(entries)
    while page < min(pages, crawl.policy.max_api_pages) and all_new(crawl, source, last_batch):
        page += 1
        more = await _page(crawl.fetcher, url, page)
        last_batch = [e for e in (post_entry(p) for p in more or ()) if e is not None]
        if not last_batch:
            break
        entries.extend(last_batch)
    return MethodOutcome("ok", result, entries=entries, body_hash=listing.body_hash, pages=page)


def all_new(crawl: Crawl, source: Source, batch: list[RawEntry]) -> bool:
    """True while the last page read held no post the archive already has."""
    keys = [e.guid or e.link or "" for e in batch]
    return bool(keys) and not crawl.archive.known_keys(source.id, keys)


async def _page(fetcher: Fetcher, url: str, page: int) -> list[Mapping[str, Any]] | None:
    res = await fetcher.fetch(posts_url(url, page), accept=JSON_ACCEPT)
    if not res.ok or res.body is None:
        return None
    try:
        return parse_posts(res.body)
    except NotPosts:
        return None


def _fallback(result: FetchResult, url: str, reason: str) -> MethodOutcome:
    feed = urljoin(site_root(url), "feed/")
    path = urlsplit(feed).path
    return MethodOutcome("fallback", result, fallback_url=feed, note=reason,
                         error_class="wp_api_off", error_message=f"{reason}; {path}")
