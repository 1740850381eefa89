"""Feed bytes → :class:`RawEntry` records, with feedparser.

Parsing never touches the archive and never trusts what it reads: the
records it returns are cleaned later by :mod:`warta.clean.normalize`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import feedparser
import feedparser.mixin
import feedparser.urls

from ..core.records import MediaRef, RawEntry

# normalize resolves relative URLs against each item's own link (feedparser
# would use the feed's address) and sanitizes last with its nh3 allow-list,
# after turning video iframes into links — feedparser's sanitizer would
# already have dropped them. So both are off here.
FEEDPARSER_OPTIONS = {"resolve_relative_uris": False, "sanitize_html": False}


def _cp1252_table(mapping: Mapping[int, str], size: int = 0x2100) -> str:
    """feedparser's win-1252 fix-up ``mapping`` as a string indexed by code point.

    feedparser runs ``text.translate(_cp1252)`` on every element it reads. For
    text with any non-ASCII character ("“", "é": most humas reports) CPython
    looks each character up in that dict one by one, and each miss raises and
    clears a KeyError: it was ~40 % of parsing a feed. ``str.translate``
    accepts any table it can subscript by code point; this one holds every
    character below ``size`` (Latin, punctuation, currency signs) mapped to
    itself except the ones in ``mapping``, so a lookup never fails. A character
    at or above ``size`` raises IndexError, a LookupError, which ``translate``
    reads as "unchanged", exactly as the dict's KeyError. The result is the same
    string; tests/ingest/test_parse_feedparser.py compares the two tables.
    """
    chars = [chr(c) for c in range(size)]
    for code, char in mapping.items():
        chars[code] = char
    return "".join(chars)


def speed_up_feedparser() -> None:
    """Install the two feedparser speed-ups; idempotent, called before every parse.

    1. The win-1252 fix-up table as a string (:func:`_cp1252_table`).
    2. feedparser re-derives its base URI at every element's start tag,
       ``make_safe_absolute_uri(self.baseuri, xml_base or self.baseuri)``: two
       urlparse round trips for an answer that is the same for the whole feed (it
       was ~30 % of parsing). The function is pure (strings in, a string out; only
       the module's constant scheme list besides), so remembering its answers
       cannot change one; only the start-tag call site in feedparser.mixin uses this.

    Both are applied on first use rather than at import, so importing this module
    changes nothing in feedparser.
    """
    if isinstance(feedparser.mixin._cp1252, dict):  # type: ignore[attr-defined]
        feedparser.mixin._cp1252 = _cp1252_table(feedparser.mixin._cp1252)  # type: ignore[attr-defined]
    if feedparser.mixin.make_safe_absolute_uri is feedparser.urls.make_safe_absolute_uri:  # type: ignore[attr-defined]
        feedparser.mixin.make_safe_absolute_uri = functools.lru_cache(maxsize=256)(  # type: ignore[attr-defined]
            feedparser.urls.make_safe_absolute_uri
        )


class FeedParseError(Exception):
    """The bytes are not a feed. ``error_class`` is ``not_a_feed`` or ``invalid_feed``."""

    def __init__(self, error_class: str, detail: str = ""):
        self.error_class = error_class
        self.detail = detail
        super().__init__(f"{error_class}: {detail}")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    link: str | None
    entries: tuple[RawEntry, ...]
    version: str
    bozo: str | None = None
    """Why feedparser found the feed ill-formed, if it did (entries may still be fine)."""


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _media(entry: Mapping[str, Any]) -> tuple[MediaRef, ...]:
    out: list[MediaRef] = []
    for m in entry.get("media_content") or ():
        url = m.get("url")
        if url:
            out.append(MediaRef(url=url, type=m.get("type") or m.get("medium"),
                                width=_int(m.get("width")), height=_int(m.get("height"))))
    for m in entry.get("media_thumbnail") or ():
        url = m.get("url")
        if url:
            out.append(MediaRef(url=url, width=_int(m.get("width")),
                                height=_int(m.get("height")), role="thumbnail"))
    for link in entry.get("links") or ():
        if link.get("rel") == "enclosure" and link.get("href"):
            out.append(MediaRef(url=link["href"], type=link.get("type"), role="enclosure"))
    seen: set[str] = set()
    unique = []
    for m in out:
        if m.url not in seen:
            seen.add(m.url)
            unique.append(m)
    return tuple(unique)


def _content(entry: Mapping[str, Any]) -> tuple[str, str | None]:
    """The richest body the entry has, and the xml:base it was written against."""
    contents = entry.get("content") or ()
    best = None
    for c in contents:
        if (c.get("type") or "").endswith("html"):
            best = c
            break
    if best is None and contents:
        best = contents[0]
    if best is not None:
        return _text(best.get("value")), best.get("base")
    detail = entry.get("summary_detail") or {}
    return _text(entry.get("summary")), detail.get("base")


def _entry(entry: Mapping[str, Any], feed_link: str | None, doc_url: str | None) -> RawEntry:
    content, base = _content(entry)
    xml_base = base if base and base != doc_url else None  # stated by the feed, not its address
    summary = _text(entry.get("summary"))
    if summary == content:
        summary = ""
    authors = tuple(
        a["name"] for a in entry.get("authors") or () if isinstance(a, Mapping) and a.get("name")
    )
    if not authors and entry.get("author"):
        authors = (_text(entry.get("author")),)
    categories = tuple(
        t["term"] for t in entry.get("tags") or () if isinstance(t, Mapping) and t.get("term")
    )
    published = entry.get("published") or entry.get("created") or entry.get("dc_date")
    # Only an <updated> the feed states: feedparser's ``get("updated")`` falls back to
    # <published> (with a DeprecationWarning), which made every item look edited.
    updated = entry.get("updated") if "updated" in entry else None
    if not published:
        published, updated = updated, None
    guid = entry.get("id") or entry.get("guid")
    return RawEntry(
        guid=_text(guid).strip() or None,
        link=_text(entry.get("link")).strip() or None,
        title=_text(entry.get("title")),
        content_html=content,
        summary_html=summary,
        authors=authors,
        categories=categories,
        published_raw=_text(published) or None,
        updated_raw=_text(updated) or None,
        media=_media(entry),
        base_url=xml_base or (None if entry.get("link") else feed_link),
    )


def parse_feed(body: bytes, headers: Mapping[str, str] | None = None,
               url: str | None = None) -> ParsedFeed:
    """Parse feed bytes with the response headers (for the charset).

    Raises :class:`FeedParseError` when the bytes are an HTML page or nothing
    feedparser can read; a well-formed feed with zero entries is fine.
    """
    speed_up_feedparser()
    hdrs = dict(headers or {})
    if url:
        hdrs.setdefault("content-location", url)
    try:
        parsed = feedparser.parse(body, response_headers=hdrs, **FEEDPARSER_OPTIONS)
    except Exception as exc:  # feedparser can raise on pathological input
        raise FeedParseError("invalid_feed", f"{type(exc).__name__}: {exc}"[:200]) from exc
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    bozo = parsed.get("bozo_exception")
    if not version and not entries:
        head = body[:2048].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise FeedParseError("not_a_feed")
        raise FeedParseError("invalid_feed", str(bozo)[:200] if bozo else "format tidak dikenal")
    if not entries and bozo is not None and not isinstance(
        bozo, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    ):
        # Broken XML that yielded nothing: say so instead of "an empty feed".
        raise FeedParseError("invalid_feed", f"{type(bozo).__name__}: {bozo}"[:200])
    feed = parsed.get("feed") or {}
    link = _text(feed.get("link")) or None
    return ParsedFeed(
        title=_text(feed.get("title")),
        link=link,
        entries=tuple(_entry(e, link or url, hdrs.get("content-location")) for e in entries),
        version=version,
        bozo=f"{type(bozo).__name__}: {bozo}"[:300] if bozo else None,
    )
