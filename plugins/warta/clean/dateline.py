"""The dateline place: "SEMARANG – …", "Cilacap - …", "JAKARTA (ANTARA) - …".

A media name written as its domain may come first ("REPUBLIKA.CO.ID, JAKARTA --",
"TEMPO.CO, Jakarta -"): the place is the city after it.

Indonesian news opens with where it happened. The place goes to
``Item.place`` title-cased ("Semarang"), and stays in the text: it is part
of the sentence the reporter wrote.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .blocks import block_text, leaf_blocks

_DOMAIN = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+"
_DATELINE = re.compile(
    rf"^(?:{_DOMAIN}\s*,\s*)?"
    r"(?P<place>[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*){0,3})"
    r"\s*(?:,\s*[^–—\-()]{1,40}?)?\s*(?:\([^()]{1,40}\)\s*)?[–—-]{1,2}\s+\S")
NOT_PLACES = frozenset({"foto", "baca", "editor", "penulis", "catatan", "update", "video", "info",
                        "berita", "sumber", "keterangan", "reporter", "pewarta", "oleh"})
_IS_DOMAIN = re.compile(_DOMAIN + r"\Z")
_CAPTION_CREDIT = re.compile(r"\([^()/]{0,40}[A-Za-z][^()/]{0,40}/[^()/]{0,60}[A-Za-z][^()/]{0,60}\)\s*\Z")
"""A photo caption's closing credit: "(Liputan6.com/Yoppy Renato)", "(ANTARA FOTO/Budi)"."""
SCAN_BLOCKS = 4


def title_case(place: str) -> str:
    """ "KOTA BATU" → "Kota Batu"; mixed case as written ("Kab. Bekasi")."""
    words = []
    for word in place.split():
        if word.isupper() or word.islower():
            word = "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
        words.append(word)
    return " ".join(words)


def find_place(text: str) -> str | None:
    """The place of a dateline at the start of ``text``, title-cased."""
    match = _DATELINE.match(text)
    if not match or _CAPTION_CREDIT.search(text):
        return None
    place = match.group("place").strip(" .")
    if place.split()[0].lower().strip(".") in NOT_PLACES or any(c.isdigit() for c in place):
        return None
    if any(_IS_DOMAIN.match(word) for word in place.split()):  # a media name, not a place
        return None
    return title_case(place)


def extract_place(soup: BeautifulSoup, leaves: list[tuple[Tag, str]] | None = None) -> str | None:
    """Look at the first few text paragraphs (a photo caption may come first).

    ``leaves``: the leaf blocks with their texts, when the caller has them for
    the tree as it is (no walk then).
    """
    seen = 0
    read = leaves if leaves is not None else ((el, block_text(el)) for el in leaf_blocks(soup))
    for _el, text in read:
        if not text:
            continue
        place = find_place(text)
        if place:
            return place
        seen += 1
        if seen >= SCAN_BLOCKS:
            break
    return None
