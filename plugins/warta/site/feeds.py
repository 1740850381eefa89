"""Listing → feeds: Atom and RSS for any list of articles (all news, a region, a source…).

Every listing page of the hub (home, region, source, category, institution
kind) has a feed. They are all written here, by one generic step: a
:class:`Listing` (key, title, page URL, newest-first articles) is turned into
neutral :class:`FeedEntry` records once per article, then handed to each
registered :class:`FeedFormat`. JSON Feed is one more format registered in
:data:`FORMATS`; nothing else knows about it. JSON Feed items are
built by :func:`warta.site.api.jsonfeed_item`, the contract of ``api/v1/latest.json``.

Summary-mode sources only allow a summary and a link back: their entries never
carry the body, in any format.

``WARTA_LISTING_FEED_CONTENT`` says which listing feeds carry whole reports
(:func:`full_text`). A report is in ~7 listing feeds and each hour changes
hundreds of them, so whole bodies in every listing feed made an hourly build
write hundreds of megabytes; by default entries carry the summary and the link,
and the whole text is in the report's page and ``api/v1/latest.json``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator

from ..clean.normalize import plain_text
from ..core.outfiles import write_if_changed
from ..core.settings import setting
from .api import JSONFEED_VERSION, jsonfeed_item, site_url


@dataclass(frozen=True, slots=True)
class Listing:
    """One listing of the hub, e.g. key ``wilayah/33`` → ``feeds/wilayah/33.atom.xml``."""

    key: str
    title: str
    page_url: str
    """Site-relative URL of the HTML listing page (``wilayah/33/``; ``""`` for home)."""
    articles: Sequence[Any]
    """Newest first; only the first :func:`listing_feed_items` are used."""
    description: str = ""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """What every feed format needs to know about one article (built once per article)."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str | None
    published: datetime
    updated: datetime | None
    author: str | None
    source_name: str | None
    source_url: str | None
    external_url: str | None
    categories: tuple[str, ...] = ()
    image: str | None = None
    jsonfeed: dict[str, Any] | None = None
    """The JSON Feed item (:func:`warta.site.api.jsonfeed_item`); None for an article outside the hub."""


@dataclass(frozen=True, slots=True)
class FeedFormat:
    """A feed flavour: file extension, MIME type, a label and a writer."""

    name: str
    extension: str
    mime: str
    label: str
    render: Callable[[Listing, Sequence[FeedEntry], dict[str, Any]], bytes]


EMPTY_FEED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
"""``updated`` of a listing feed without articles."""


_FRAGMENTS: dict[tuple[str, int], tuple[FeedEntry, str]] = {}
"""(format, id(entry)) → the entry and its serialized ``<entry>``/``<item>`` element.

An article is in ~7 listing feeds (all news, its source, region, province, kind,
category, topics); its element is the same in each, so it is serialized once per
build. Cleared by each :class:`ListingFeedWriter` (entries are per build)."""


def _cached_items(cls: type[SyndicationFeed]) -> type[SyndicationFeed]:
    """``cls`` writing each item from :data:`_FRAGMENTS` (feedgenerator's own output)."""

    class Cached(cls):  # type: ignore[valid-type, misc]
        def write_items(self, handler: Any) -> None:
            tag = "entry" if issubclass(cls, Atom1Feed) else "item"
            for item in self.items:
                entry = item.get("warta_entry")
                key = (tag, id(entry))
                hit = _FRAGMENTS.get(key) if entry is not None else None
                if hit is None or hit[0] is not entry:
                    buf = io.StringIO()
                    sub = SimplerXMLGenerator(buf, "utf-8", short_empty_elements=True)
                    sub.startElement(tag, self.item_attributes(item))
                    self.add_item_elements(sub, item)
                    sub.endElement(tag)
                    hit = (entry, buf.getvalue())
                    if entry is not None:
                        _FRAGMENTS[key] = hit
                handler.ignorableWhitespace(hit[1])  # SAX: written as is, start tag closed

    Cached.__name__ = cls.__name__
    return Cached


def _feedgenerator(cls: type[SyndicationFeed]) -> Callable[..., bytes]:
    cached = _cached_items(cls)

    def render(listing: Listing, entries: Sequence[FeedEntry], settings: dict[str, Any]) -> bytes:
        base = site_url(settings)
        fmt = ATOM if cls is Atom1Feed else RSS
        feed = cached(
            title=f"{settings.get('SITENAME', 'Warta')} — {listing.title}",
            link=f"{base}/{listing.page_url}",
            description=listing.description or listing.title,
            language="id",
            feed_url=f"{base}/{feed_path(listing.key, fmt)}",
            feed_guid=f"{base}/{feed_path(listing.key, fmt)}",
        )
        if not entries:
            # feedgenerator dates an empty feed "now"; a fixed date keeps the file unchanged
            # between builds (incremental output).
            feed.latest_post_date = lambda: EMPTY_FEED_DATE  # type: ignore[method-assign]
        for e in entries:
            feed.add_item(
                title=e.title,
                link=e.url,
                description=e.summary,
                content=e.content_html,
                author_name=e.author,
                pubdate=e.published,
                updateddate=e.updated or e.published,
                unique_id=e.id,
                categories=list(e.categories),
                warta_entry=e,
            )
        buf = io.StringIO()
        feed.write(buf, "utf-8")
        return buf.getvalue().encode("utf-8")

    return render


def _json_feed(listing: Listing, entries: Sequence[FeedEntry], settings: dict[str, Any]) -> bytes:
    """JSON Feed 1.1; items in the form of ``api/v1/latest.json``'s (summaries unless :func:`full_text`)."""
    base = site_url(settings)
    doc: dict[str, Any] = {
        "version": JSONFEED_VERSION,
        "title": f"{settings.get('SITENAME', 'Warta')} — {listing.title}",
        "home_page_url": f"{base}/{listing.page_url}",
        "feed_url": f"{base}/{feed_path(listing.key, JSON)}",
        "language": "id",
        "items": [e.jsonfeed for e in entries if e.jsonfeed is not None],
    }
    if listing.description:
        doc["description"] = listing.description
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")  # C encoder


ATOM = FeedFormat("atom", "atom.xml", "application/atom+xml", "Atom", _feedgenerator(Atom1Feed))
RSS = FeedFormat("rss", "rss.xml", "application/rss+xml", "RSS", _feedgenerator(Rss201rev2Feed))
JSON = FeedFormat("json", "json", "application/feed+json", "JSON Feed", _json_feed)
FORMATS: dict[str, FeedFormat] = {"atom": ATOM, "rss": RSS, "json": JSON}
"""Registered formats by name; ``WARTA_LISTING_FEED_FORMATS`` picks which are written."""


def feed_path(key: str, fmt: FeedFormat) -> str:
    """``wilayah/33`` + Atom → ``feeds/wilayah/33.atom.xml`` (site-relative)."""
    return f"feeds/{key}.{fmt.extension}"


def enabled_formats(settings: dict[str, Any]) -> list[FeedFormat]:
    names = setting(settings, "WARTA_LISTING_FEED_FORMATS")
    return [FORMATS[n] for n in names if n in FORMATS]


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A ``<link rel="alternate">`` for a listing page."""

    mime: str
    title: str
    href: str
    label: str


def feed_links(key: str, title: str, settings: dict[str, Any]) -> list[FeedLink]:
    base = site_url(settings)
    return [FeedLink(f.mime, f"{title} ({f.label})", f"{base}/{feed_path(key, f)}", f.label)
            for f in enabled_formats(settings)]


def tag_uri(settings: dict[str, Any], item_id: str) -> str:
    """A stable entry id that survives slug changes (RFC 4151 tag URI)."""
    host = urlsplit(site_url(settings)).hostname or "warta.local"
    return f"tag:{host},2024:{item_id}"


FEED_CONTENT_MODES = ("summary", "source", "full")
"""``WARTA_LISTING_FEED_CONTENT``: whole reports in no listing feed, in the per-source feeds
(``feeds/sumber/<id>.*``) only, or in every listing feed."""


def full_text(key: str, settings: dict[str, Any]) -> bool:
    """Whether the feeds of listing ``key`` carry whole reports (else summaries)."""
    mode = setting(settings, "WARTA_LISTING_FEED_CONTENT")
    if mode not in FEED_CONTENT_MODES:
        raise ValueError(f"WARTA_LISTING_FEED_CONTENT harus salah satu dari {FEED_CONTENT_MODES}, "
                         f"bukan {mode!r} (unknown listing feed content)")
    return mode == "full" or (mode == "source" and key.startswith("sumber/"))


ALL_KEY = "semua"
"""The all-news listing (``feeds/semua.*``)."""


def listing_feed_items(key: str, settings: dict[str, Any]) -> int:
    """How many of a listing's newest reports its feeds carry.

    The all-news feed takes ``FEED_MAX_ITEMS`` (it gains hundreds of reports an
    hour at peak; ``api/v1/latest.json`` holds more). A region, source, kind,
    category or topic gains a few a day, so ``WARTA_LISTING_FEED_ITEMS`` (10) of
    them span days for a reader polling hourly, as WordPress's default 10 does
    for the offices' own feeds — and each hour rewrites hundreds of these feeds
    in three formats, so their length is most of what an hourly build writes.
    """
    if key == ALL_KEY:
        return int(settings.get("FEED_MAX_ITEMS") or 50)
    return int(setting(settings, "WARTA_LISTING_FEED_ITEMS"))


def feed_entry(article: Any, settings: dict[str, Any], *, full: bool = True) -> FeedEntry:
    """The neutral entry of ``article``; ``full=False`` leaves the body out (summary only)."""
    base = site_url(settings)
    info = getattr(article, "warta", None)
    source = info.source if info else None
    summary_only = not full or bool(source and source.mode == "summary" and not info.is_local)
    date = article.date.astimezone(source.tz) if source else article.date
    modified = getattr(article, "modified", None)
    authors = getattr(article, "authors", None) or []
    category = getattr(article, "category", None)
    return FeedEntry(
        id=tag_uri(settings, info.id if info else article.slug),
        url=f"{base}/{article.url}",
        title=str(article.title),
        summary=plain_text(article.summary),
        content_html=None if summary_only else article.content,
        published=date,
        updated=modified.astimezone(date.tzinfo) if modified else None,
        author=plain_text(str(authors[0])) if authors else (source.display_name if source else None),
        source_name=source.name if source else None,
        source_url=source.homepage if source else None,
        external_url=info.external_url if info else None,
        categories=(str(category),) if category else (),
        image=getattr(article, "image", None),
        jsonfeed=jsonfeed_item(article, base, full=full) if info else None,
    )


@dataclass(slots=True)
class ListingFeedWriter:
    """Writes every format of many listings, building each article's entry only once."""

    output_path: Path
    settings: dict[str, Any]
    formats: list[FeedFormat] = field(default_factory=list)
    tracker: Any = None
    """The build's :class:`~warta.site.incremental.IncrementalWriter`, or None (always render).

    With it, a feed whose inputs — listing fields, its newest articles, settings,
    templates and code (the writer's salt) — equal the previous build's is
    neither rendered nor written (an hour of news touches a few dozen
    of the ~3,000 listing feeds)."""
    _entries: dict[tuple[int, bool], FeedEntry] = field(default_factory=dict)
    written: int = 0
    reused: int = 0

    def __post_init__(self) -> None:
        if not self.formats:
            self.formats = enabled_formats(self.settings)
        _FRAGMENTS.clear()  # a new build: last build's entries are gone

    def entries(self, articles: Iterable[Any], *, full: bool, limit: int) -> list[FeedEntry]:
        """The first ``limit`` of ``articles`` as entries, each built once per build."""
        out = []
        for article in articles:
            key = (id(article), full)
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = feed_entry(article, self.settings, full=full)
            out.append(entry)
            if len(out) >= limit:
                break
        return out

    def _digest(self, listing: Listing, rel: str, limit: int) -> str | None:
        track = getattr(self.tracker, "input_digest", None)
        if track is None:
            return None
        newest = list(islice(listing.articles, limit))
        return track("listing-feed", rel, listing.key, listing.title, listing.page_url,
                     listing.description, newest)

    def write(self, listing: Listing) -> list[Path]:
        entries: list[FeedEntry] | None = None
        limit = listing_feed_items(listing.key, self.settings)
        paths = []
        for fmt in self.formats:
            rel = feed_path(listing.key, fmt)
            path = self.output_path / rel
            paths.append(path)
            if (self.tracker is not None
                    and self.tracker.reuse(rel, self._digest(listing, rel, limit))):
                self.reused += 1
                continue
            if entries is None:
                entries = self.entries(listing.articles, limit=limit,
                                       full=full_text(listing.key, self.settings))
            path.parent.mkdir(parents=True, exist_ok=True)
            write_if_changed(path, fmt.render(listing, entries, self.settings))
            self.written += 1
        return paths
