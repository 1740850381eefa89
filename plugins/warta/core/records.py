"""Typed records passed between the stages of the pipeline.

registry → fetch → parse → normalize → archive → stories → site. Each stage
takes and returns these small frozen records, never a dict that grows keys on
the way, so a newcomer can read what crosses each boundary here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One way of reading a source: a feed URL, or an API/sitemap/page.

    ``method`` is ``feed`` for RSS/Atom/RDF/JSON Feed URLs. ``options`` holds
    method-specific settings such as CSS selectors.
    """

    url: str
    method: str = "feed"
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Source:
    """A humas office as declared in its registry YAML file."""

    id: str
    name: str
    kind: str
    homepage: str
    feeds: tuple[FeedSpec, ...] = ()
    """Empty only for a ``discover`` source: its methods are then found on the first run."""
    region: str | None = None
    short_name: str | None = None
    mode: str = "full"
    active: bool = True
    logo: str | None = None
    path: Path | None = None
    timezone: str = "Asia/Jakarta"
    """IANA zone of the source, derived from its province (national bodies: WIB)."""
    discover: bool = False
    """``discover: true``: the fetch run looks for the site's feed or other reading method
    itself (:mod:`warta.ingest.firstrun`) when ``feeds`` is empty."""
    ref: tuple[str, ...] = ()
    """Where the entry's addresses came from (information for reviewers and open data)."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def province(self) -> str | None:
        """Two-digit province code, or None for national bodies."""
        return self.region.split(".")[0] if self.region else None

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class MediaRef:
    """An image or enclosure a feed entry points to (media:content, enclosure…)."""

    url: str
    type: str | None = None
    width: int | None = None
    height: int | None = None
    role: str = "content"  # content | thumbnail | enclosure


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as the feed gave it: nothing cleaned, nothing trusted.

    Dates are kept as the raw strings because feedparser assumes UTC when a
    date has no offset, while humas feeds mean their own zone (WIB/WITA/WIT).
    """

    guid: str | None
    link: str | None
    title: str
    content_html: str
    summary_html: str
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published_raw: str | None = None
    updated_raw: str | None = None
    media: tuple[MediaRef, ...] = ()
    base_url: str | None = None
    via: str = "feed"

    def to_json(self) -> dict[str, object]:
        return {
            "guid": self.guid,
            "link": self.link,
            "title": self.title,
            "content_html": self.content_html,
            "summary_html": self.summary_html,
            "authors": list(self.authors),
            "categories": list(self.categories),
            "published_raw": self.published_raw,
            "updated_raw": self.updated_raw,
            "media": [
                {"url": m.url, "type": m.type, "width": m.width, "height": m.height, "role": m.role}
                for m in self.media
            ],
            "base_url": self.base_url,
            "via": self.via,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> RawEntry:
        media = tuple(MediaRef(**m) for m in data.get("media", ()))  # type: ignore[arg-type]
        return cls(
            guid=data.get("guid"),  # type: ignore[arg-type]
            link=data.get("link"),  # type: ignore[arg-type]
            title=str(data.get("title") or ""),
            content_html=str(data.get("content_html") or ""),
            summary_html=str(data.get("summary_html") or ""),
            authors=tuple(data.get("authors") or ()),  # type: ignore[arg-type]
            categories=tuple(data.get("categories") or ()),  # type: ignore[arg-type]
            published_raw=data.get("published_raw"),  # type: ignore[arg-type]
            updated_raw=data.get("updated_raw"),  # type: ignore[arg-type]
            media=media,
            base_url=data.get("base_url"),  # type: ignore[arg-type]
            via=str(data.get("via") or "feed"),
        )


@dataclass(frozen=True, slots=True)
class Item:
    """A cleaned item, ready to archive and publish.

    Every text field is safe: ``title``, ``summary``, ``authors`` and ``tags``
    are plain text; ``content_html`` went through the allow-list sanitizer.
    """

    id: str
    source_id: str
    key: str
    link: str | None
    title: str
    content_html: str
    summary: str
    published: datetime
    date_estimated: bool = False
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    category: str | None = None
    image: str | None = None
    place: str | None = None
    credits: Mapping[str, str] = field(default_factory=dict)
    via: str = "feed"


@dataclass(frozen=True, slots=True)
class ArchivedItem:
    """An item as the archive holds it, with the hub's own bookkeeping."""

    item: Item
    first_seen: datetime
    last_seen: datetime
    modified_at: datetime | None
    story: str
    content_hash: str = ""
    """``archive.content_hash`` of this version: what readers see, as one digest."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one HTTP (or file) request for a feed produced."""

    url: str
    status: int | None
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error_class: str | None = None
    error_message: str | None = None
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error_class is None and self.status is not None and self.status < 400


@dataclass(frozen=True, slots=True)
class ImageVariant:
    """One width of a served image: a WebP and its JPEG fallback (paths under ``media/``)."""

    width: int
    height: int
    webp: str
    jpeg: str
    webp_bytes: int = 0
    jpeg_bytes: int = 0


@dataclass(frozen=True, slots=True)
class ServedImage:
    """An image as the site serves it: derivatives we host, never the original URL.

    ``placeholder`` is True for the stand-in shown when the real image failed
    (or the item has none): the source's logo or initials on a neutral ground.
    """

    variants: tuple[ImageVariant, ...]
    social: str
    """1200×630 JPEG for ``og:image`` (path under ``media/``)."""
    width: int
    height: int
    original_bytes: int = 0
    placeholder: bool = False

    @property
    def largest(self) -> ImageVariant:
        return self.variants[-1]

    def variant(self, width: int) -> ImageVariant:
        """The smallest variant at least ``width`` wide (else the largest)."""
        for v in self.variants:
            if v.width >= width:
                return v
        return self.variants[-1]


@dataclass(frozen=True, slots=True)
class ImageOutcome:
    """What became of one image URL in one build."""

    url: str
    image: ServedImage | None
    status: str  # ok | failed | offline
    error_class: str | None = None
    error_message: str | None = None
    http_status: int | None = None
    attempted: bool = False
    """True when this build touched the network/decoder for it (health counts only those)."""


@dataclass(frozen=True, slots=True)
class PageVisit:
    """One article page or sitemap fetched by a feedless method.

    The archive keeps these per source and URL, so the next run fetches only
    pages it has not seen, or whose sitemap ``lastmod`` changed.
    """

    url: str
    kind: str = "article"  # article | sitemap
    lastmod: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    item_key: str | None = None
    http_status: int | None = None
    error_class: str | None = None
    error_message: str | None = None


_HASH_JSON = json.JSONEncoder()
"""``json.dumps`` with its defaults, as one shared encoder: the hash is taken for every item a
fetch reads (~19,000 in a cold run), and a call through ``dumps`` sets up its arguments anew."""
_HASH_JSON_SORTED = json.JSONEncoder(sort_keys=True)
"""``json.dumps(…, sort_keys=True)``: that call built a new encoder each time."""


def content_hash(item: Item) -> str:
    """Hash of what readers see; an unchanged hash means nothing to update.

    Lives here (re-exported by :mod:`warta.archive.store`) so fetch workers can tie a
    story signature to an item version without importing the archive.
    The JSON parts are exactly ``json.dumps`` of a list (a tuple encodes the same)
    and of a key-sorted dict: stored hashes must not change.
    """
    credits = item.credits
    parts = [
        item.title, item.content_html, item.summary, item.link or "",
        "" if item.date_estimated else item.published.isoformat(),
        item.image or "",
        _HASH_JSON.encode(item.tags) if item.tags else "[]",
        _HASH_JSON.encode(item.authors) if item.authors else "[]",
        item.category or "", item.place or "",
        (_HASH_JSON_SORTED.encode(credits if type(credits) is dict else dict(credits))
         if credits else "{}"),
    ]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()
