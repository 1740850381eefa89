"""Which image of an entry is worth showing: the lead image, and junk to drop.

Feeds and article bodies carry much more than photos: tracking pixels, share
buttons, emoji, author avatars, the site logo, WordPress thumbnails of 150 px.
Picking the first ``<img>`` blindly puts a 1×1 GIF or a logo at the top of a
news card. This module decides with what a feed offers *before* any download:
size hints (attributes, ``media:*`` width/height, ``-150x150`` file names) and
URL patterns. Pure functions, no I/O, so normalize can call them per entry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from ..core.records import MediaRef

MIN_LEAD_SIDE = 200
"""A lead image smaller than this on either side is an icon or thumbnail, not a photo."""

PIXEL_SIDE = 2
"""Images this small (either side) are tracking pixels or spacers."""

_JUNK_WORDS = re.compile(
    r"(?:^|[/_.\-])(?:logo|logos|icon|icons|favicon|avatar|avatars|gravatar|emoji|emojis|"
    r"smiley|smilies|spacer|blank|pixel|1x1|tracking|tracker|badge|button|btn|share|sharing|"
    r"sprite|sprites|loader|loading|lazy|placeholder|iklan|ads|advert|banner-ads)(?:[/_.\-]|$)",
    re.IGNORECASE,
)
_JUNK_HOSTS = (
    "feeds.feedburner.com", "feedburner.google.com", "stats.wp.com", "pixel.wp.com",
    "s.w.org", "gravatar.com", "secure.gravatar.com", "www.google-analytics.com",
    "google-analytics.com", "doubleclick.net", "googleadservices.com",
    "googlesyndication.com", "facebook.com", "www.facebook.com", "connect.facebook.net",
    "platform.twitter.com", "syndication.twitter.com", "counter.yadro.ru", "statcounter.com",
    "c.statcounter.com", "histats.com", "sstatic1.histats.com",
)
_SIZE_IN_NAME = re.compile(r"[-_](\d{1,4})x(\d{1,4})\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?)$", re.IGNORECASE)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_ROLE_RANK = {"content": 0, "enclosure": 1, "thumbnail": 2}


def image_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) or ``file:`` image URL, or None.

    ``file:`` is kept here because the offline demo names its images that way;
    whether such a URL may be *read* is decided at build time (a setting), so
    a hostile feed naming ``file:///etc/…`` gets nothing but a placeholder.
    """
    if not url:
        return None
    url = html.unescape(url.strip())
    if url.lower().startswith(("data:", "javascript:", "blob:")):
        return None
    if base and not re.match(r"^(?:https?|file):", url, re.IGNORECASE):
        url = urljoin(base, url)
    if not re.match(r"^(?:https?://[^\s/]+|file:)", url, re.IGNORECASE):
        return None
    if any(ch in url for ch in "\"'<>\x00\n\r\t "):
        return None
    return url


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip().rstrip("px"))
    except (TypeError, ValueError):
        return None


def size_hint(url: str, width: int | None = None, height: int | None = None) -> tuple[int | None, int | None]:
    """Declared size, else the ``-300x200.jpg`` size WordPress writes into file names."""
    if width or height:
        return width, height
    match = _SIZE_IN_NAME.search(urlsplit(url).path)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None, None


def is_pixel(width: int | None, height: int | None) -> bool:
    """A 1×1 (or 0×0) image: tracking pixel or spacer."""
    return any(side is not None and side <= PIXEL_SIDE for side in (width, height))


def is_junk_url(url: str) -> bool:
    """Trackers, avatars, logos, icons, emoji, share buttons — never a news photo."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in _JUNK_HOSTS):
        return True
    path = parts.path.lower()
    if path.endswith((".svg", ".ico")):
        return True
    return bool(_JUNK_WORDS.search(path)) or "/wp-includes/" in path or "/emoji/" in path


def is_meaningful(url: str, width: int | None = None, height: int | None = None,
                  *, min_side: int = MIN_LEAD_SIDE) -> bool:
    """Whether an image could be a news photo, judged from its URL and size hints."""
    if is_junk_url(url):
        return False
    w, h = size_hint(url, width, height)
    if is_pixel(w, h):
        return False
    return not any(side is not None and side < min_side for side in (w, h))


def img_tags(fragment: str) -> Iterable[dict[str, str]]:
    """Attributes of each ``<img>`` in sanitized HTML, in document order."""
    for tag in _IMG_TAG.finditer(fragment or ""):
        attrs: dict[str, str] = {}
        for m in _ATTR.finditer(tag.group(0)[4:]):
            attrs[m.group(1).lower()] = m.group(2) or m.group(3) or m.group(4) or ""
        yield attrs


def _is_image_media(m: MediaRef) -> bool:
    if m.type:
        return m.type.lower().startswith("image") or m.role == "thumbnail"
    if m.role == "enclosure":
        return bool(_IMAGE_EXT.search(urlsplit(m.url).path))
    return True


def pick_lead_image(media: Iterable[MediaRef], content_html: str, base: str | None = None) -> str | None:
    """The best lead image: ``media:content``, enclosure, thumbnail, then the first good ``<img>``.

    Among media, a declared larger image wins within the same role; a tiny or
    junk one is skipped rather than chosen.
    """
    candidates: list[tuple[int, int, int, str]] = []
    for order, m in enumerate(media):
        if not _is_image_media(m):
            continue
        url = image_url(m.url, base)
        if not url or not is_meaningful(url, m.width, m.height):
            continue
        w, h = size_hint(url, m.width, m.height)
        area = (w or 0) * (h or 0)
        candidates.append((_ROLE_RANK.get(m.role, 3), -area, order, url))
    if candidates:
        return min(candidates)[3]
    for attrs in img_tags(content_html):
        url = image_url(attrs.get("src"), base)
        if url and is_meaningful(url, _int(attrs.get("width")), _int(attrs.get("height"))):
            return url
    return None
