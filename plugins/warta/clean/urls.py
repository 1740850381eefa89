"""URLs: resolve relative ones against where the item lives, allow only http(s).

A relative ``src="/uploads/a.jpg"`` in a feed item means the *source's*
site; left alone it would point into the hub. Resolution uses the entry's
``xml:base`` when it stated one, else the item's own link, else the feed's
link. Resolution comes before sanitizing, so the allow-list judges the final URL.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "img": ("src",),
    "q": ("cite",),
    "blockquote": ("cite",),
    "iframe": ("src",),
    "embed": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
}
_ABSOLUTE_HTTP = re.compile(r"^https?://[^\s/?#]+", re.I)
_UNSAFE_CHARS = re.compile(r"[\"'<>\\`\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def safe_url(url: str | None) -> str | None:
    """Only absolute http(s) URLs without quote/space/control characters leave here."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if len(url) > 2048 or not _ABSOLUTE_HTTP.match(url) or _UNSAFE_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url


def base_for(xml_base: str | None, link: str | None) -> str | None:
    """The URL relative references in an entry are relative to."""
    for candidate in (xml_base, link):
        if safe_url(candidate):
            return candidate
    return None


def resolve(url: str, base: str | None) -> str:
    """``url`` made absolute against ``base`` (unchanged when it cannot be)."""
    url = url.strip().replace(" ", "%20")  # "WhatsApp Image 2024….jpeg" is common
    if not base or _ABSOLUTE_HTTP.match(url) or url.startswith(("#", "mailto:")):
        return url
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
        return url  # another scheme: left for the sanitizer to judge
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def resolve_tree(soup: BeautifulSoup, base: str | None) -> None:
    """Resolve every URL attribute in ``soup`` against ``base``; drop ``srcset`` (not allowed)."""
    for tag in [el for el in soup.descendants if isinstance(el, Tag) and el.name in URL_ATTRIBUTES]:
        for attr in URL_ATTRIBUTES[tag.name]:
            value = tag.get(attr)
            if isinstance(value, str) and value:
                tag[attr] = resolve(value, base)
        if tag.name == "img":
            lazy = tag.get("data-src") or tag.get("data-lazy-src")
            if isinstance(lazy, str) and lazy.strip() and (
                not tag.get("src") or str(tag.get("src")).startswith("data:")
            ):
                tag["src"] = resolve(lazy, base)
