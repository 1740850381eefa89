"""Embedded players → a safe link (with a thumbnail for YouTube), never an iframe.

Humas posts embed their YouTube videos; an iframe is a window into another
origin, heavy on cheap phones and a way to run anything. A linked thumbnail
keeps the video one tap away. Other http(s) iframes (maps, social posts)
become a plain link; anything else is dropped.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag

from ..core.messages import EMBED_LINK, VIDEO_LINK
from .blocks import gone, tags
from .text import plain_line
from .urls import safe_url

EMBED_TAGS = frozenset({"iframe", "embed", "object", "video"})
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{3,12}$")


def youtube_id(url: str | None) -> str | None:
    """The 11-character id in any YouTube URL form (embed, watch, youtu.be, shorts)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    candidate = None
    if host == "youtu.be" and segments:
        candidate = segments[0]
    elif host == "youtube.com" or host.endswith((".youtube.com", "youtube-nocookie.com")):
        if segments[:1] in (["embed"], ["v"], ["shorts"], ["live"]) and len(segments) > 1:
            candidate = segments[1]
        elif segments[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [None])[0]
    return candidate if candidate and _VIDEO_ID.match(candidate) else None


def vimeo_id(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host not in ("vimeo.com", "player.vimeo.com", "www.vimeo.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    candidate = segments[-1] if segments else None
    return candidate if candidate and _VIMEO_ID.match(candidate) else None


def _embed_url(tag: Tag) -> str | None:
    for attr in ("src", "data", "data-src"):
        value = tag.get(attr)
        if isinstance(value, str) and value.strip():
            return value.strip()
    source = tag.find(["source", "param"], attrs={"src": True}) or tag.find(
        "param", attrs={"name": re.compile("^movie$", re.I)})
    if source is not None:
        value = source.get("src") or source.get("value")
        if isinstance(value, str):
            return value.strip()
    return None


def _link(soup: BeautifulSoup, href: str, text: str) -> Tag:
    a = soup.new_tag("a", href=href)
    a.string = text
    return a


def replace_embeds(soup: BeautifulSoup) -> None:
    """Swap every embed in ``soup`` for its safe stand-in (URLs already resolved)."""
    for tag in tags(soup, EMBED_TAGS):
        if gone(tag):
            continue
        url = _embed_url(tag)
        title = plain_line(str(tag.get("title") or ""), limit=120)
        vid = youtube_id(url)
        replacement: Tag | None = None
        if vid:
            watch = f"https://www.youtube.com/watch?v={vid}"
            replacement = soup.new_tag("figure")
            a = soup.new_tag("a", href=watch)
            a.append(soup.new_tag("img", src=f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg",
                                  alt=title or VIDEO_LINK.format(site="YouTube"),
                                  width="480", height="360"))
            replacement.append(a)
            caption = soup.new_tag("figcaption")
            caption.append(_link(soup, watch, VIDEO_LINK.format(site="YouTube")))
            replacement.append(caption)
        elif (vimeo := vimeo_id(url)) is not None:
            replacement = soup.new_tag("p")
            replacement.append(_link(soup, f"https://vimeo.com/{vimeo}",
                                     VIDEO_LINK.format(site="Vimeo")))
        elif tag.name == "iframe" and (href := safe_url(url)):
            replacement = soup.new_tag("p")
            replacement.append(_link(soup, href, title or EMBED_LINK))
        if replacement is not None:
            tag.replace_with(replacement)
        else:
            tag.decompose()
