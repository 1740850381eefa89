"""Credits out of the text, into ``Item.credits``: who wrote, edited, photographed.

Humas end an article with "Penulis : Ar, Humas Jateng" / "Editor : Ul,
Diskominfo Jateng", or a code "(ags/HUMAS MENPANRB)"; captions carry
"(Foto: Pemkab Cilacap)". The theme shows them as one credit line, so they
leave the body. Keys (``penulis``, ``editor``, ``foto``, ``kode`` …) come
from ``data/credits.yml``.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from .blocks import block_text, gone, leaf_blocks
from .boilerplate import drop_blocks
from .rules import CreditRules
from .text import plain_line

CREDIT_MAX = 100
"""A longer "Foto: …" is a caption describing the photo, not a credit."""
CODE_KEY = "kode"
_SPACES = re.compile(r"[ \t]{2,}")
_SENTENCE_END = ".!?\"'”’)"


class _Credits:
    def __init__(self, rules: CreditRules):
        self.rules = rules
        self.found: dict[str, str] = {}

    def key(self, label: str) -> str:
        return self.rules.labels.get(" ".join(label.lower().split()), "lainnya")

    def add(self, key: str, value: str) -> None:
        value = plain_line(value.strip(" .,;:|–—-"), limit=CREDIT_MAX + 20)
        if not value:
            return
        current = self.found.get(key)
        if current is None:
            self.found[key] = value
        elif value not in current:
            self.found[key] = f"{current}, {value}"


def _remove_text(el: Tag, fragment: str) -> bool:
    """Remove ``fragment`` from the one text node of ``el`` that holds it."""
    for node in el.find_all(string=True):
        text = str(node)
        if fragment in text:
            new = _SPACES.sub(" ", text.replace(fragment, "", 1))
            node.replace_with(NavigableString(new.rstrip() if text.rstrip().endswith(fragment)
                                              else new))
            return True
    return False


def _credit_line(el: Tag, text: str, credits: _Credits) -> bool:
    rules = credits.rules
    if len(text) > 300 or not rules.line.match(text):
        return False
    pairs = list(rules.pair.finditer(text))
    if not pairs or any(len(m.group("value").strip()) > CREDIT_MAX for m in pairs):
        return False
    for m in pairs:
        credits.add(credits.key(m.group("label")), m.group("value"))
    drop_blocks(el)
    return True


def _trailing_code(leaves: list[tuple[Tag, str | None]], credits: _Credits) -> bool:
    """The code closing the last paragraph ("(ags/HUMAS …)"); whether the tree changed.

    A text of None in ``leaves`` is read again (the paragraph lost a credit).
    """
    for el, known in reversed(leaves):
        if gone(el):
            continue
        text = block_text(el) if known is None else known
        if not text:
            continue
        last = None
        for m in credits.rules.trailing_code.finditer(text):
            last = m
        if last is None or text[last.end():].strip():
            return False
        before = text[: last.start()].rstrip()
        if before and before[-1] not in _SENTENCE_END:
            return False
        credits.add(CODE_KEY, last.group("kode"))
        if not before:
            drop_blocks(el)
        else:
            _remove_text(el, last.group(0))
        return True
    return False


def extract_credits(soup: BeautifulSoup, rules: CreditRules,
                    leaves: list[tuple[Tag, str]] | None = None) -> dict[str, str]:
    """Find, record and remove every credit in ``soup``; returns ``{key: value}``."""
    return read_credits(soup, rules, leaves)[0]


def read_credits(soup: BeautifulSoup, rules: CreditRules,
                 leaves: list[tuple[Tag, str]] | None = None,
                 ) -> tuple[dict[str, str], list[tuple[Tag, str]] | None]:
    """:func:`extract_credits`, and ``leaves`` back when it changed nothing (else None).

    ``leaves``: the leaf blocks and their texts, when the caller has them for the
    tree as it is now (see :func:`~warta.clean.boilerplate.apply_text_rules`).
    Reading them all first is reading them as the loop goes: a leaf holds no
    other block, so removing a credit from one leaves every other one as it was.
    Handed back unchanged, the later steps read them instead of the tree.
    """
    credits = _Credits(rules)
    if leaves is None:
        leaves = [(el, block_text(el)) for el in leaf_blocks(soup)]
    after: list[tuple[Tag, str | None]] = []
    changed = False
    for el, text in leaves:
        if not text:
            after.append((el, text))
            continue
        if _credit_line(el, text, credits):
            changed = True
            after.append((el, None))
            continue
        touched = False
        for m in list(rules.paren.finditer(text)):
            if len(m.group("value").strip()) <= CREDIT_MAX:
                credits.add(credits.key(m.group("label")), m.group("value"))
                _remove_text(el, m.group(0))
                touched = True
        changed = changed or touched
        after.append((el, None if touched else text))
    changed = _trailing_code(after, credits) or changed
    return credits.found, None if changed else leaves
