"""RawEntry → Item: the one place where hostile feed data becomes publishable.

Order matters (AGGREGATORS.md lesson 9): resolve URLs first, clean, then
sanitize last with an allow-list. Dates without an offset are in the
source's own zone, never UTC.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import nh3
from bs4 import BeautifulSoup
from dateutil import parser as dateparser

from .imagepick import pick_lead_image
from .records import Item, RawEntry, Source

SUMMARY_MIN = 200
SUMMARY_MAX = 300
FUTURE_SLACK = timedelta(days=1)
EPOCH_FLOOR = datetime(1995, 1, 1).astimezone()

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_WS = re.compile(r"\s+")


def plain_text(fragment: str) -> str:
    """HTML or entity-laden text → one line of plain text."""
    if not fragment:
        return ""
    if "<" in fragment or "&" in fragment:
        fragment = BeautifulSoup(fragment, "html.parser").get_text(" ")
        fragment = html.unescape(fragment)
    return _WS.sub(" ", fragment).strip()


def sanitize_html(fragment: str) -> str:
    """Allow-list sanitize with nh3 (ammonia); external links get rel=noopener."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def summarize(text: str, *, low: int = SUMMARY_MIN, high: int = SUMMARY_MAX) -> str:
    """A summary of ``low``–``high`` characters ending at a sentence or word boundary."""
    if len(text) <= high:
        return text
    window = text[:high]
    cut = max(window.rfind(". ", low), window.rfind("! ", low), window.rfind("? ", low))
    if cut >= low:
        return window[: cut + 1]
    cut = window.rfind(" ", 0, high - 1)
    if cut < low // 2:
        cut = high - 1
    return window[:cut].rstrip(" ,;:–-") + "…"


def parse_date(raw: str | None, source: Source) -> datetime | None:
    """Parse a feed date; a date without an offset is in the source's zone."""
    if not raw or not raw.strip():
        return None
    raw = raw.strip()
    parsed: datetime | None = None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            try:
                parsed = dateparser.parse(raw, dayfirst=True)
            except (ValueError, OverflowError, TypeError):
                return None
    if parsed.tzinfo is None or (raw.endswith("-0000") and "GMT" not in raw):
        parsed = parsed.replace(tzinfo=source.tz)
    return parsed.astimezone(source.tz)


def sane_date(value: datetime | None, seen_at: datetime) -> datetime | None:
    """Reject the 1970 epoch, pre-web dates and dates more than a day ahead."""
    if value is None:
        return None
    if value < EPOCH_FLOOR or value > seen_at + FUTURE_SLACK:
        return None
    return value


def entry_key(entry: RawEntry) -> str:
    """Stable per-source identity: guid, else link, else a hash of the text."""
    if entry.guid:
        return entry.guid
    if entry.link:
        return entry.link
    digest = hashlib.sha1(
        (entry.title + "\x00" + entry.content_html[:2000]).encode("utf-8", "replace")
    ).hexdigest()
    return f"sha1:{digest}"


def item_id(source_id: str, key: str) -> str:
    """Hub-wide id of an item: never reused, never matched across sources."""
    return hashlib.sha1(f"{source_id}\x00{key}".encode("utf-8", "replace")).hexdigest()[:16]


def safe_url(url: str | None) -> str | None:
    """Only absolute http(s) URLs leave this function."""
    if not url:
        return None
    url = url.strip()
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        return None
    if any(ch in url for ch in "\"'<>\x00\n\r\t "):
        return None
    return url


def lead_image(entry: RawEntry, content_html: str) -> str | None:
    """The entry's lead image URL; icons, pixels and logos are skipped (see imagepick)."""
    return pick_lead_image(entry.media, content_html, entry.link or entry.base_url)


def normalize(entry: RawEntry, source: Source, *, seen_at: datetime) -> Item:
    """Clean one raw entry of ``source`` first seen at ``seen_at`` (aware)."""
    key = entry_key(entry)
    content = sanitize_html(entry.content_html or entry.summary_html)
    body_text = plain_text(content)
    summary_text = plain_text(entry.summary_html) or body_text
    title = plain_text(entry.title) or summarize(body_text, low=40, high=90) or "(tanpa judul)"
    seen_local = seen_at.astimezone(source.tz)
    published = sane_date(parse_date(entry.published_raw, source), seen_local)
    updated = sane_date(parse_date(entry.updated_raw, source), seen_local)
    estimated = published is None
    return Item(
        id=item_id(source.id, key),
        source_id=source.id,
        key=key,
        link=safe_url(entry.link),
        title=title,
        content_html=content,
        summary=summarize(summary_text),
        published=published or seen_local,
        date_estimated=estimated,
        updated=updated,
        authors=tuple(a for a in (plain_text(x) for x in entry.authors) if a),
        tags=tuple(dict.fromkeys(t for t in (plain_text(x) for x in entry.categories) if t)),
        category=None,
        image=lead_image(entry, content),
        place=None,
        via=entry.via,
    )
