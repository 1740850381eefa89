"""``storytext.tokenize`` gives exactly the tokens of its first, plain implementation.

The tokenizer was rewritten for speed (it runs on every fetched
item); signatures in existing archives depend on its output, so the plain
version is kept here as the definition and compared on real and random text.
"""

from __future__ import annotations

import random
import re

from warta.core.asciiwords import FEW_OTHERS, NON_ASCII_WORD_CHAR, ascii_bytes
from warta.stories.text import (
    _ASCII_FOLD,
    _SENTENCE_END,
    _TOKEN,
    _WORDS,
    BOILERPLATE,
    DAY_NAMES,
    MONTHS,
    ORDINALS,
    STOPWORDS,
    Token,
    _ascii_norms,
    _number,
    _unicode_norms,
    body_norms,
    features,
    norms,
    shingle_set,
    split_sentences,
    tokenize,
)

from tests.support.story_corpus import build_corpus


def plain_tokenize(text: str) -> list[Token]:
    text = text[:20_000]
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        if m.group("sdate"):
            out.append(Token(f"{int(m.group('sd'))}/{int(m.group('sm'))}", "num"))
            if m.group("sy"):
                year = m.group("sy")
                out.append(Token(year if len(year) == 4 else "20" + year, "num"))
            continue
        if m.group("tdate"):
            out.append(Token(f"{int(m.group('td'))}/{MONTHS[m.group('tm').lower()]}", "num"))
            if m.group("ty"):
                out.append(Token(m.group("ty"), "num"))
            continue
        if m.group("ord"):
            out.append(Token("ke" + _number(m.group("on")), "num"))
            continue
        if m.group("num"):
            out.append(Token(_number(m.group("num")), "num"))
            continue
        raw = m.group("word")
        low = raw.lower()
        if low in ORDINALS:
            out.append(Token("ke" + ORDINALS[low], "num"))
            continue
        if low in DAY_NAMES:
            out.append(Token(low, "num"))
            continue
        if low in MONTHS and len(low) > 3:
            out.append(Token("bulan" + MONTHS[low], "num"))
            continue
        if low in STOPWORDS or low in BOILERPLATE or len(low) < 2:
            continue
        start = m.start()
        sentence_start = start == 0 or bool(_SENTENCE_END.search(text[max(0, start - 3):start]))
        out.append(Token(low, "name" if raw[0].isupper() and not sentence_start else "word"))
    return out


def test_tokens_of_labelled_reports() -> None:
    for row in build_corpus(6)[:80]:
        for text in (str(row["title"]), *split_sentences(str(row["content_html"]))):
            assert tokenize(text) == plain_tokenize(text)


def test_tokens_of_random_text() -> None:
    rnd = random.Random(11)
    with_digits = "aA1. ,/-:;“”()\nkeKE2345MaretSeninpertamaYang  ÄÖ_İı"
    no_digits = "aA. ,/-:;“”()\nkeKEMaretSeninpertamaYang  ÄÖ_İıǅ!?…\"'\t"
    for alphabet in (with_digits, no_digits):
        for _ in range(3000):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 70)))
            assert tokenize(text) == plain_tokenize(text), text


def test_norms_and_shingles_of_labelled_reports() -> None:
    """``norms``/``shingle_set`` (what signing uses) = the norms and shingles of ``features``."""
    for row in build_corpus(6)[:80]:
        title, body = str(row["title"]), str(row["content_html"])
        assert norms(title) == [t.norm for t in tokenize(title)]
        assert shingle_set(title, body) == features(title, body)[3]


def test_norms_and_shingles_of_random_text() -> None:
    rnd = random.Random(12)
    alphabet = ("aA1. ,/-:;“”()\nkeKE\u212a2345 Maret 12/3/2024 ke-2 Seninpertama Yang ÄÖ_İıǅ!?…"
                "\"'\t<p></p><br>&amp;")
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 90)))
        assert norms(text) == [t.norm for t in tokenize(text)], text
        assert shingle_set(text, text) == features(text, text)[3], text
    long_sentence = "Rapat 12 Maret 2025 di Kudus " * 1000  # longer than one sentence is read
    assert shingle_set("", long_sentence) == features("", long_sentence)[3]


def test_body_shingles_of_dates_at_sentence_breaks() -> None:
    """Written dates next to every kind of sentence break: ``body_norms`` only marks line breaks."""
    rnd = random.Random(13)
    pieces = ["12", "3", "2025", " ", "  ", "\n", ". ", "! ", "” ", "\" ", ".", "Maret", "mar", "Des",
              "Rapat", "A", "(", "“", "\t", "<p>", "</p>", "<br>", "ke-", "Kota", "/", "&#10;"]
    for _ in range(3000):
        body = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 40)))
        assert shingle_set("", body) == features("", body)[3], body


def test_character_classes_of_the_ascii_path() -> None:
    """What ``_ascii_norms`` assumes of every code point (surrogates included), checked for all.

    Inside ASCII, ``_ASCII_FOLD`` lower-cases exactly the word letters
    (``[^\\W\\d_]``), turns exactly the ``\\d`` digits into ``0`` and all else
    into space; outside ASCII, ``NON_ASCII_WORD_CHAR`` finds exactly the
    ``\\w`` characters, so a text it finds nothing in has no letter or digit there.
    """
    everything = "".join(map(chr, range(0x110000)))
    letters = set("".join(_WORDS.findall(everything)))
    digits = set(re.findall(r"\d", everything))
    word = set(re.findall(r"\w", everything))
    for c in map(chr, range(128)):
        folded = chr(_ASCII_FOLD[ord(c)])
        if c in letters:
            assert c.isalpha() and folded == c.lower()
        elif c in digits:
            assert folded == "0"
        else:
            assert folded == " "
    assert set(_ASCII_FOLD[128:]) == {ord(" ")}
    outside = set(everything[128:]) - set(NON_ASCII_WORD_CHAR.findall(everything))
    assert outside == set(everything[128:]) - word
    assert outside == {c for c in everything[128:] if not c.isalnum()}
    assert not outside & (letters | digits)
    assert everything.encode("ascii", "replace") == everything[:128].encode() + b"?" * (0x110000 - 128)


def testascii_bytes_decides_as_the_scan() -> None:
    """``ascii_bytes`` tests each marked character, or scans the text when there are many."""
    rnd = random.Random(16)
    others = ["?", "“", "\xa0", "–", "\u0301", "\ud800", "é", "²", "\u3000", "a", "1", "_", " "]
    sizes = set()
    for _ in range(3000):
        weights = [rnd.random() ** 4 for _ in others]
        text = "".join(rnd.choices(others, weights, k=rnd.randrange(0, 3 * FEW_OTHERS)))
        raw = ascii_bytes(text)
        assert (raw is not None) == (NON_ASCII_WORD_CHAR.search(text) is None), text
        assert raw is None or raw == text.encode("ascii", "replace")
        sizes.add(text.encode("ascii", "replace").count(b"?") > FEW_OTHERS)
    assert sizes == {False, True}


UNICODE_PIECES = [
    "Rapat", "rapat", "yang", "Dan", "kedua", "Senin", "Maret", "mar", "Des", "ke-", "ke", "KE", "Ke-",
    "12", "3", "2025", "07", "1.234", "2,5", " ", "  ", "\n", "\t", "\x00", ". ", "! ", "?", "_", "-", "/",
    "“", "”", "…", "–", "\xa0", "\u2009", "\u3000", "é", "É", "²", "½", "Ⅻ", "٣", "१", "Σ", "ΟΔΟΣ", "σ", "ς",
    "İ", "ı", "İstanbul", "\u212a", "\u212ae-2", "ſ", "ǅ", "ß", "x²", "km²", "\u0301", "\U0001d400",
    "<p>", "</p>", "<br>", "&amp;", "&nbsp;", "&#178;",
]


def test_norms_of_random_unicode_text() -> None:
    """Both paths of ``norms`` against ``tokenize``: digits such as "²", Σ, İ, \\x00, no-break spaces."""
    rnd = random.Random(14)
    ascii_words = [p for p in UNICODE_PIECES if ascii_bytes(p) is not None]  # "“", "\xa0", "\u0301", ...
    paths = {True: 0, False: 0}
    for _ in range(3000):
        pieces = rnd.choice((UNICODE_PIECES, ascii_words))
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 40)))
        paths[ascii_bytes(text) is not None] += 1
        assert norms(text) == [t.norm for t in tokenize(text)], text
        assert shingle_set(text, text) == features(text, text)[3], text
        assert body_norms(text) == [t.norm for t in features("", text)[2]], text
    assert min(paths.values()) > 1000, paths


def test_ascii_path_equals_the_regex_path() -> None:
    """``_ascii_norms`` = ``_unicode_norms`` wherever it is used, on texts made for its digit rule.

    Its rule for where a digit token may start ("ke" in the 3 characters
    before the first digit) is tried with "ke", "KE", "ke-" and "k"/"e"
    pieces next to every kind of number, date and separator.
    """
    rnd = random.Random(15)
    pieces = ["12", "3", "2025", "07", "0", "1.234", "2,5", " ", "  ", "\n", "\x00", ". ", "” ", "“", ".",
              ",", "Maret", "mar", "Des", "DES", "Rapat", "A", "b", "(", ")", "\t", "ke-", "ke", "KE", "Ke-",
              "k", "e", "-", "/", "\xa0", "\u2009", "–", "?", "yang", "kedua", "Senin", "Agustus", "_", "x"]
    for _ in range(6000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 40)))
        raw = ascii_bytes(text)
        assert raw is not None
        assert _ascii_norms(text, raw) == [n.encode() for n in _unicode_norms(text)], text
        assert norms(text) == [t.norm for t in tokenize(text)], text
