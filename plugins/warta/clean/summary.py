"""A plain-text summary of 200–300 characters that ends where a reader expects.

Prefer the end of a sentence inside the window; never cut after an
abbreviation or initial ("Drs.", "H.", "M."); else cut at a word boundary
and add "…". Shorter texts are kept whole.
"""

from __future__ import annotations

import re

SUMMARY_MIN = 200
SUMMARY_MAX = 300
ABBREVIATIONS = frozenset({
    "dr", "drs", "dra", "ir", "h", "hj", "prof", "no", "st", "sh", "se", "mm", "mh", "mt", "msi",
    "mip", "kab", "kec", "kel", "jl", "jln", "tn", "ny", "sdr", "bpk", "yth", "a.md", "s.h", "s.e",
    "s.pd", "s.sos", "s.kom", "m.m", "m.si", "m.pd", "dll", "dsb", "dkk", "pt", "cv", "tbk", "km",
    "rp", "vol", "hlm", "ttd", "pol", "kom", "brigjen", "kombes", "letkol", "kol", "mayjen",
})
_END = re.compile(r"[.!?…][\"'”’)]*(?=\s|$)")
_ELLIPSIS = "…"


def _is_sentence_end(text: str, end: int, dot: int) -> bool:
    """``text[dot]`` ends a sentence (not an abbreviation) and something new follows."""
    if text[dot] == ".":
        start = text.rfind(" ", 0, dot) + 1
        word = text[start:dot].lower().lstrip("(\"'“")
        if len(word) <= 1 or word in ABBREVIATIONS or ("." in word and len(word) <= 6):
            return False
        if word.isdigit():
            return False
    rest = text[end:].lstrip()
    return not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘("


def summarize(text: str, *, low: int = SUMMARY_MIN, high: int = SUMMARY_MAX) -> str:
    """``text`` (one line of plain text) shortened to ``low``–``high`` characters."""
    text = text.strip()
    if len(text) <= high:
        return text
    best = -1
    for match in _END.finditer(text, 0, high + 1):
        end = match.end()
        if end > high:
            break
        if end >= low and _is_sentence_end(text, end, match.start()):
            best = end
    if best > 0:
        return text[:best]
    cut = text.rfind(" ", low + 3, high)  # room for the ellipsis and stripped punctuation
    if cut < 0:
        return text[: high - 1] + _ELLIPSIS
    return text[:cut].rstrip(" ,;:–—-(") + _ELLIPSIS
