"""Mojibake: text a publisher's CMS encoded twice, repaired with ftfy's encoding fixer only.

Humas sites often run a CMS that reads UTF-8 bytes as Windows-1252 and
writes the result out again as UTF-8, so "L’Oréal" reaches the feed as
``Lâ€™OrÃ©al`` and an opening quote as ``â€œ``; older ones hand out
Windows-1252 bytes labelled Latin-1, which leaves C1 control characters
(U+0080–U+009F) where the curly quotes and dashes were. Both are undone here
with ftfy (:data:`CONFIG`), restricted to encoding repair: its other fixes
(straightening curly quotes, decoding HTML entities, NFC, ligatures, width)
would change text that is right, and text that is right must come back
unchanged, character for character.

A text is handed to ftfy only when it holds a character that can start a
UTF-8 sequence misread in one of ftfy's single-byte encodings followed by one
that can continue it (ftfy's own tables, :data:`ftfy.chardata.UTF8_CLUES`), or a
C1 control character; Indonesian text has neither, so correct text costs one
regex scan (ASCII text not even that). Bodies are repaired once parsed
(:func:`repair_tree`): their text nodes and the attributes that are text, never
markup or URLs, and mojibake written as character references is seen too.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

import ftfy
from bs4 import BeautifulSoup, NavigableString, Tag
from ftfy import badness, chardata

CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=False,  # a space read as a lost U+00A0: ftfy's docs call it a false-positive risk
    replace_lossy_sequences=False,  # would put "�" where a byte is gone: a loss, not a repair
    decode_inconsistent_utf8=True,  # a title where one word is mojibake and the rest is right
    fix_c1_controls=True,  # Windows-1252 read as Latin-1
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
"""ftfy restricted to undoing wrong decodings (``fix_encoding`` and the C1 fix-up)."""

_CLUES = chardata.UTF8_CLUES
_LEADS = _CLUES["utf8_first_of_2"] + _CLUES["utf8_first_of_3"] + _CLUES["utf8_first_of_4"]
_SUSPECT = re.compile(f"[{_LEADS}][{_CLUES['utf8_continuation']}]|[\x80-\x9f]")
"""What any text ftfy would repair holds; correct Indonesian text never does."""
_LEAD_SET = frozenset(_LEADS)
_LEAD_NAMES = "|".join(sorted(
    (re.escape(name) for name, char in html5.items() if name.endswith(";") and char in _LEAD_SET),
    key=len, reverse=True))
_ENTITY = re.compile(f"&(?:#[0-9]{{2,7}};?|#[xX][0-9a-fA-F]{{2,6}};?|{_LEAD_NAMES})")


def suspect(text: str) -> bool:
    """Whether ``text`` may hold mojibake (a cheap test; :func:`repair` decides)."""
    return not text.isascii() and _SUSPECT.search(text) is not None


def repair(text: str) -> str:
    """``text`` with double-encoded UTF-8 and misread Windows-1252 undone; else unchanged."""
    if not text or not suspect(text):
        return text
    fixed = ftfy.fix_text(text, CONFIG)
    return fixed if fixed == text or not badness.is_bad(fixed) else text


def suspect_markup(markup: str) -> bool:
    """Whether an HTML fragment may hold mojibake, as characters or as character references.

    ``&Atilde;&copy;`` is mojibake too once parsed: a reference to a character
    that can start a misread UTF-8 sequence makes the fragment suspect.
    """
    if suspect(markup):
        return True
    if "&" not in markup:
        return False
    return any(html.unescape(m.group()) in _LEAD_SET for m in _ENTITY.finditer(markup))


TEXT_ATTRIBUTES = ("alt", "title")
"""Attributes that are text a reader sees; URLs are never touched (a link must stay the link)."""


def repair_tree(soup: BeautifulSoup) -> int:
    """Repair a parsed fragment in place: its text nodes and text attributes; returns changes.

    Only text changes: markup and URLs stay as they are.
    """
    changed = 0
    for node in list(soup.descendants):
        if type(node) is NavigableString:
            fixed = repair(node)
            if fixed != node:
                node.replace_with(NavigableString(fixed))
                changed += 1
        elif isinstance(node, Tag):
            for attr in TEXT_ATTRIBUTES:
                value = node.attrs.get(attr)
                if isinstance(value, str):
                    fixed = repair(value)
                    if fixed != value:
                        node.attrs[attr] = fixed
                        changed += 1
    return changed
