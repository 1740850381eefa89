"""The dateline place: "SEMARANG – …", "Cilacap - …", "JAKARTA (ANTARA) - …".

Indonesian news opens with where it happened. The place goes to
``Item.place`` title-cased ("Semarang"), and stays in the text: it is part
of the sentence the reporter wrote.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .blocks import block_text, leaf_blocks

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*){0,3})"
    r"\s*(?:,\s*[^–—\-()]{1,40}?)?\s*(?:\([^()]{1,40}\)\s*)?[–—-]{1,2}\s+\S")
NOT_PLACES = frozenset({"foto", "baca", "editor", "penulis", "catatan", "update", "video", "info",
                        "berita", "sumber", "keterangan", "reporter", "pewarta", "oleh"})
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
    if not match:
        return None
    place = match.group("place").strip(" .")
    if place.split()[0].lower().strip(".") in NOT_PLACES or any(c.isdigit() for c in place):
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
