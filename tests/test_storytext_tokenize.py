"""``storytext.tokenize`` gives exactly the tokens of its first, plain implementation.

The tokenizer was rewritten for speed (issue 2: it runs on every fetched
item); signatures in existing archives depend on its output, so the plain
version is kept here as the definition and compared on real and random text.
"""

from __future__ import annotations

import random

from warta.storytext import (
    _SENTENCE_END,
    _TOKEN,
    BOILERPLATE,
    DAY_NAMES,
    MONTHS,
    ORDINALS,
    STOPWORDS,
    Token,
    _number,
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
