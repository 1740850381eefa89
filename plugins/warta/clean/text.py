"""Plain text: what titles, authors, tags, credits, places and summaries are.

Every such field is plain text everywhere it goes (page, ``<title>``, meta,
JSON-LD, feeds, JSON API). Two properties make that robust even when an
output forgets to escape, or unescapes on the way (Jinja's ``striptags``
does): entities are decoded until stable, so ``&amp;lt;script&amp;gt;``
cannot survive one decoding and become a tag in the next; and a ``<`` that
could open a tag (followed by a letter, ``/``, ``!`` or ``?``) becomes the
look-alike "＜", so no plain field can ever form markup. ``a < b`` is untouched.
"""

from __future__ import annotations

import html
import re

import nh3
from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup

from .blocks import collapse, tree_text

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u200b\u2028\u2029\ufeff]")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENCODED_TAG_OPEN = re.compile(r"&(?:amp;)*(?:lt|#0*60|#x0*3c)(?:;|(?=[A-Za-z/!?]))(?=[A-Za-z/!?])",
                               re.IGNORECASE)
_HAS_MARKUP = re.compile(r"<[A-Za-z/!?]|&[#A-Za-z]")
TAG_OPEN_LOOKALIKE = "\uff1c"  # FULLWIDTH LESS-THAN SIGN
TITLE_MAX = 300
LINE_MAX = 200


def strip_controls(text: str) -> str:
    """Drop XML-illegal and invisible control characters: they break the XML feeds the hub writes."""
    return _CONTROL.sub("", text)


def html_to_text(fragment: str) -> str:
    """Text content of an HTML fragment (scripts and styles dropped), one line."""
    if not fragment:
        return ""
    if not _HAS_MARKUP.search(fragment):
        return collapse(strip_controls(fragment))
    try:
        soup = BeautifulSoup(fragment, "html.parser")
    except ParserRejectedMarkup:  # html.parser gives up on some tricks ("<![><img …")
        text = nh3.clean(fragment, tags=set(), clean_content_tags={"script", "style"})
        return collapse(strip_controls(html.unescape(text)))
    for el in soup.find_all(["script", "style", "noscript", "template"]):
        el.decompose()
    return collapse(strip_controls(tree_text(soup)))


def _decode(text: str, rounds: int = 3) -> str:
    for _ in range(rounds):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def neutralize(text: str) -> str:
    """Make sure ``text`` cannot open a tag, however an output treats it.

    Also when an output decodes entities once or twice on the way ("&lt;b",
    "&amp;lt;b"): the encoded opener becomes the look-alike too.
    """
    text = _ENCODED_TAG_OPEN.sub(TAG_OPEN_LOOKALIKE, text)
    return _TAG_OPEN.sub(TAG_OPEN_LOOKALIKE, text)


def plain_line(value: str | None, *, limit: int = LINE_MAX) -> str:
    """Any hostile string (HTML, entities, double-encoded) → one safe line of text."""
    if not value:
        return ""
    text = str(value)
    # No tag and no entity (most titles and tags): what _unmarked's loop comes to at once.
    text = _unmarked(text) if "<" in text or "&" in text else collapse(strip_controls(text))
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit - 1)
        text = text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:–-") + "…"
    return neutralize(text)


def _unmarked(text: str) -> str:
    """``text`` with tags and entities (up to three layers deep) read as text, one line."""
    for _ in range(3):  # markup hidden behind one or two layers of entities
        text = _decode(html_to_text(text))
        if not _HAS_MARKUP.search(text):
            break
    return collapse(strip_controls(text))


def clean_title(value: str | None) -> str:
    """Titles: entities decoded, tags gone, whitespace collapsed, bounded length."""
    return plain_line(value, limit=TITLE_MAX)


def plain_text(fragment: str) -> str:
    """HTML → safe one-line plain text of any length (summaries, JSON ``summary``)."""
    return neutralize(collapse(_decode(html_to_text(fragment))))
