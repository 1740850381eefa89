"""Whether a text's words are all ASCII, and its bytes when they are.

Splitting words with ``bytes.translate`` and ``split`` is several times faster
than a regex over ``\\w``, and exact as long as no character beyond ASCII can
belong to a word. Humas reports are nearly always such texts: curly quotes,
dashes and no-break spaces are not word characters. Story signing
(:mod:`warta.stories.text`) and category keywords (:mod:`warta.clean.category`)
both take that path, and the slower one for any other text.
"""

from __future__ import annotations

import re

NON_ASCII_WORD_CHAR = re.compile(r"[^\x00-\x7f\W]")
"""A character beyond ASCII that ``\\w`` accepts: a letter, a digit (``\\d`` or
not, as "²"), or any other that may belong to a word."""
FEW_OTHERS = 64
"""Up to this many ``?`` and non-ASCII characters, :func:`ascii_bytes` tests
them one by one (~0.1 µs each); beyond, ``NON_ASCII_WORD_CHAR`` scans the text
(~8 µs for a 400-word report)."""


def ascii_bytes(text: str) -> bytes | None:
    """``text`` in ASCII, one ``?`` for each other character; None if one is a ``\\w`` character.

    What the word splitters of :mod:`warta.stories.text` and
    :mod:`warta.clean.category` need: a text whose words and digits are all
    ASCII (most reports; curly quotes, dashes and no-break spaces are not
    ``\\w``), and its bytes. The encoding marks every character to test
    with a ``?``; non-ASCII ``\\w`` is ``str.isalnum`` (both are CPython's
    ``Py_UNICODE_ISALNUM``, and ``_`` is ASCII).
    """
    raw = text.encode("ascii", "replace")
    if text.isascii():
        return raw
    if raw.count(b"?") > FEW_OTHERS:
        return raw if NON_ASCII_WORD_CHAR.search(text) is None else None
    find = raw.find
    at = find(b"?")
    while at >= 0:
        if text[at].isalnum():
            return None
        at = find(b"?", at + 1)
    return raw
