"""RawEntry → Item: the one place where hostile feed data becomes publishable.

:func:`normalize` is the single entry point (``aggregate`` calls it in
worker processes). It runs the steps in :mod:`warta.clean` in the order that
matters: parse, drop what can never be content,
resolve URLs, swap embeds, remove boilerplate, extract credits and the
dateline, then sanitize last with an allow-list. It never raises: an entry
that breaks a step still becomes a safe, plain item (:func:`_fallback`).
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from datetime import datetime

from bs4 import BeautifulSoup

from ..core.messages import UNTITLED
from ..core.records import Item, RawEntry, Source
from . import blocks, boilerplate, embeds, mojibake
from .category import classify
from .credits import read_credits
from .dateline import extract_place
from .dates import parse_date, sane
from .leadimage import pick_lead_image
from .rules import CleanRules, default_rules
from .sanitize import sanitize_html
from .summary import SUMMARY_MAX, SUMMARY_MIN, summarize
from .text import clean_title, collapse, neutralize, plain_line, plain_text, strip_controls
from .urls import URL_ATTRIBUTES, base_for, resolve_tree, safe_url

log = logging.getLogger(__name__)

__all__ = [
    "SUMMARY_MAX", "SUMMARY_MIN", "entry_key", "item_id", "normalize", "plain_text",
    "safe_url", "sanitize_html", "summarize",
]

MAX_CONTENT = 400_000
"""Characters of body HTML kept; a humas article is a few KB, a runaway page is cut."""
_TAGS = re.compile(r"<[^>]*>?")
MAX_DEPTH = 200
"""Deeper nesting than any article has is an attack on the cleaner's time: kept as plain text."""
AUTHOR_MAX = 120
TAG_MAX = 80
_URL_OPENER = blocks.opener(URL_ATTRIBUTES)
_EMBED_OPENER = blocks.opener(embeds.EMBED_TAGS)
_LINK_IMG_OPENER = blocks.opener({"a", "img"})


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


def lead_image(entry: RawEntry, content_html: str, base: str | None) -> str | None:
    """The entry's lead image URL: feed media first, then the body's first meaningful ``<img>``.

    Icons, tracking pixels, logos and tiny images are skipped (see :mod:`warta.clean.leadimage`).
    """
    return safe_url(pick_lead_image(entry.media, content_html, base))


def _drop_unsafe_images(soup: BeautifulSoup) -> None:
    """Images need an absolute http(s) source, and an ``alt`` (empty: decorative) for screen readers."""
    for img in blocks.tags(soup, {"img"}):
        if not safe_url(str(img.get("src") or "")):
            img.decompose()
        elif not isinstance(img.get("alt"), str):
            img["alt"] = ""


def _decode_text(text: str) -> str:
    """Tree text is already entity-decoded by the parser; only controls remain to drop."""
    return strip_controls(text)


def _line(value: str | None, limit: int) -> str:
    """A plain field (author, tag) with mojibake repaired, as characters or as entities."""
    return mojibake.repair(plain_line(mojibake.repair(value or ""), limit=limit))


def _title(value: str | None) -> str:
    """:func:`clean_title` of a title with mojibake repaired, as characters or as entities.

    Repaired before (C1 controls are dropped as control characters there) and
    after (entities are only read there).
    """
    return mojibake.repair(clean_title(mojibake.repair(value or "")))


def _dates(entry: RawEntry, source: Source, seen_local: datetime) -> tuple[datetime, bool,
                                                                            datetime | None]:
    tz = source.tz
    published = sane(parse_date(entry.published_raw, tz, reference=seen_local), seen_local)
    updated = sane(parse_date(entry.updated_raw, tz, reference=seen_local), seen_local)
    if published is None and updated is not None:
        published, updated = updated, None
    if published is None:
        return seen_local, True, updated
    return published, False, updated


def normalize(entry: RawEntry, source: Source, *, seen_at: datetime,
              rules: CleanRules | None = None) -> Item:
    """Clean one raw entry of ``source`` first seen at ``seen_at`` (aware).

    ``rules`` defaults to the shipped ``data/*.yml`` (loaded once per process).
    """
    try:
        return _normalize(entry, source, seen_at=seen_at, rules=rules or default_rules())
    except Exception:  # one bad entry must never stop its feed
        log.warning("%s: entri %r tidak dapat dibersihkan sepenuhnya; disimpan sebagai teks polos",
                    source.id, (entry.guid or entry.link or "")[:120], exc_info=True)
        return _fallback(entry, source, seen_at=seen_at)


def _normalize(entry: RawEntry, source: Source, *, seen_at: datetime, rules: CleanRules) -> Item:
    key = entry_key(entry)
    base = base_for(entry.base_url, entry.link)
    link_base = base_for(entry.link, entry.base_url)
    raw_html = (entry.content_html or entry.summary_html or "")[:MAX_CONTENT]
    soup, markup = blocks.parse_markup(raw_html)
    if mojibake.suspect_markup(markup):  # before any step reads the text ("MATARAM â€“")
        mojibake.repair_tree(soup)
    # Steps that only look at some elements are skipped when the markup cannot hold one
    # (blocks.opener): each is a walk over the whole tree, and most bodies are plain <p>s.
    # Every element needs its own "<", so nesting needs as many.
    if markup.count("<") > MAX_DEPTH and blocks.max_depth(soup, MAX_DEPTH) > MAX_DEPTH:
        raise ValueError(f"nesting deeper than {MAX_DEPTH}")
    if _URL_OPENER.search(markup):
        resolve_tree(soup, base or link_base)
    swapped = bool(_EMBED_OPENER.search(markup))
    if swapped:  # replacements add <a> and <img>: the checks below no longer hold
        embeds.replace_embeds(soup)
    bp = rules.for_source(source.id)
    boilerplate.drop_selected(soup, bp.drop_selectors, markup)
    if swapped or _LINK_IMG_OPENER.search(markup):
        boilerplate.remove_tracking(soup, bp.tracking_hosts)
        _drop_unsafe_images(soup)
    blocks.paragraphize(soup)
    boilerplate.strip_text(soup, bp.strip_text)
    # The leaf blocks and their texts, read once and handed on while no step changes the tree.
    leaves = boilerplate.apply_text_rules(soup, bp)
    credits, leaves = read_credits(soup, rules.credits, leaves)
    if blocks.remove_empty(soup, bp.empty, leaves):
        leaves = None
    place = extract_place(soup, leaves)
    content = sanitize_html(blocks.serialize(soup))
    body_text = neutralize(_decode_text(blocks.tree_text(soup)))

    if not body_text and entry.summary_html:
        body_text = mojibake.repair(plain_text(entry.summary_html))
    title = _title(entry.title) or summarize(body_text, low=40, high=90) or UNTITLED
    seen_local = seen_at.astimezone(source.tz)
    published, estimated, updated = _dates(entry, source, seen_local)
    tags = tuple(dict.fromkeys(t for t in (_line(x, TAG_MAX) for x in entry.categories) if t))
    return Item(
        id=item_id(source.id, key),
        source_id=source.id,
        key=key,
        link=safe_url(entry.link),
        title=title,
        content_html=content,
        summary=summarize(body_text),
        published=published,
        date_estimated=estimated,
        updated=updated,
        authors=tuple(dict.fromkeys(a for a in (_line(x, AUTHOR_MAX) for x in entry.authors) if a)),
        tags=tags,
        category=classify(title, body_text, tags, rules.categories),
        image=lead_image(entry, content, base or link_base),
        place=place,
        credits=credits,
        via=entry.via,
    )


def _fallback(entry: RawEntry, source: Source, *, seen_at: datetime) -> Item:
    """The entry as escaped plain text: safe whatever broke above."""
    key = entry_key(entry)
    raw = _TAGS.sub(" ", (entry.content_html or entry.summary_html or "")[:MAX_CONTENT])
    text = neutralize(collapse(strip_controls(mojibake.repair(html.unescape(raw)))))[:20_000]
    return Item(
        id=item_id(source.id, key),
        source_id=source.id,
        key=key,
        link=safe_url(entry.link),
        title=_title(entry.title) or UNTITLED,
        content_html=f"<p>{html.escape(text)}</p>" if text else "",
        summary=summarize(text),
        published=seen_at.astimezone(source.tz),
        date_estimated=True,
        via=entry.via,
    )
