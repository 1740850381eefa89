"""Category keyword matching on lower-cased text gives exactly the IGNORECASE matches.

:func:`warta.clean.category.scores` scans lower-cased text with
case-sensitive patterns and skips categories none of whose lead words occur
(a speed-up). These tests hold it to the original definition: the
IGNORECASE pattern of each category over the text as written. Its runs of
``[\\w-]`` come from string methods (``category._runs``) unless a non-ASCII word
character forces the regex split; both ways are checked against the patterns and
against each other, and so are the hoax patterns' shortcuts.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from warta.clean import category
from warta.clean.category import scores
from warta.clean.rules import CategoryRules, default_rules


def reference_scores(title: str, body: str, terms: set[str], rules: CategoryRules) -> dict[str, int]:
    """The scoring as first written: every category's IGNORECASE pattern on the raw text."""
    out: dict[str, int] = {}
    for cat in rules.categories:
        score = category.FEED_WEIGHT if terms & cat.feed_terms else 0
        if cat.keywords is not None:
            score += rules.title_weight * len(cat.keywords.findall(title))
            per_word: dict[str, int] = {}
            for word in cat.keywords.findall(body):
                key = word.lower()
                per_word[key] = min(per_word.get(key, 0) + 1, rules.body_cap)
            score += sum(per_word.values())
        if score:
            out[cat.id] = score
    return out


def _keywords(rules: CategoryRules) -> list[str]:
    words: list[str] = []
    for cat in rules.categories:
        if cat.keywords is not None:
            words += re.findall(r"\(\?:(.*)\)\(\?:nya\)", cat.keywords.pattern)[0].split("|")
    return [w.replace(r"\s+", " ").replace("\\", "") for w in words]


FILLERS = ["warga", "Pemerintah", "di", "dan", "yang", "“", "”", "–", "-", ",", ".", "(", ")",
           "nya", "NYA", "  ", "\n", "\u00a0", "é", "ß", "_", "1", "Ünal", "ǅ"]
SPECIAL = ["İ", "ı", "ſ", "\u212a", "Σ"]


def _noisy_text(rnd: random.Random, keywords: list[str], special: bool) -> str:
    parts = []
    for _ in range(rnd.randrange(5, 80)):
        if rnd.random() < 0.35:
            kw = rnd.choice(keywords)
            variants = [kw, kw.upper(), kw.title(), kw.replace(" ", "  "), kw.replace(" ", "\n"),
                        kw + "nya", kw + "NYA", kw + "Nya", "-" + kw, kw + "-an", "x" + kw, kw + "x",
                        kw + "_", kw.replace(" ", " - "), kw.replace(" ", ", "), kw.replace(" ", "."),
                        kw.replace(" ", " “"), kw.replace(" ", "\u00a0")]
            if special:
                variants += [kw.replace("k", "\u212a"), kw.replace("s", "ſ"), kw.replace("i", "ı"),
                             kw.replace("i", "İ")]
            parts.append(rnd.choice(variants))
        else:
            parts.append(rnd.choice(FILLERS + SPECIAL if special else FILLERS))
        parts.append(rnd.choice([" ", "", " ", "\t", ", "]))
    return "".join(parts)


@pytest.mark.parametrize("seed", range(6))
def test_fast_scores_equal_ignorecase_scores(seed: int) -> None:
    rules = default_rules().categories
    keywords = _keywords(rules)
    assert len(keywords) > 100
    rnd = random.Random(seed)
    fast = 0
    for n in range(300):
        special = n % 4 == 0
        title = _noisy_text(rnd, keywords, special)[:200]
        body = _noisy_text(rnd, keywords, special)
        terms = {rnd.choice(["kesehatan", "berita", "bencana", ""])}
        fast += not category._CASE_SPECIAL.search(title + body)
        assert scores(title, body, terms, rules) == reference_scores(title, body, terms, rules)
    assert fast >= 200  # most texts take the lower-cased path


def test_case_special_characters_are_complete() -> None:
    """Outside _CASE_SPECIAL, lower() maps one char to one char, keeps \\w/\\s, and an ASCII
    letter or digit matches (IGNORECASE) only characters that lower to it."""
    word, space = re.compile(r"\w"), re.compile(r"\s")
    ascii_ci = re.compile(r"[a-z0-9_\- ]", re.IGNORECASE)
    missing = []
    for cp in range(0x80, 0x110000):
        ch = chr(cp)
        low = ch.lower()
        odd = (len(low) != 1 or bool(ascii_ci.fullmatch(ch))
               or bool(word.match(ch)) != bool(word.match(low))
               or bool(space.match(ch)) != bool(space.match(low)) or (low.isascii() and low != ch))
        if odd and not category._CASE_SPECIAL.match(ch):
            missing.append(hex(cp))
    assert missing == []


def test_shipped_keywords_take_the_fast_path() -> None:
    rules = default_rules().categories
    with_keywords = [c for c in rules.categories if c.keywords is not None]
    assert with_keywords and all(c.words is not None for c in with_keywords)


def reference_is_hoax(title: str, body: str, terms: set[str], rules: CategoryRules) -> bool:
    if terms & rules.hoax_feed_terms:
        return True
    if any(p.search(title) for p in rules.hoax_title):
        return True
    return sum(1 for p in rules.hoax_body if p.search(body)) >= rules.hoax_body_min


HOAX_PHRASES = ["adalah hoaks", "merupakan HOAX", "Informasi tersebut tidak benar", "kabar itu palsu",
                "Faktanya:", "penjelasan :", "akun palsu", "yang mengatasnamakan",
                "tidak pernah mengeluarkan", "[HOAKS]", "[ Cek Fakta ]", "Klarifikasi", "berita bohong",
                "disinformasi", "Mengatasnamakan", "tidak  ada   memberikan", "pesan berantai penipuan",
                "VIDEO ini menyesatkan"]


@pytest.mark.parametrize("seed", range(4))
def test_fast_hoax_check_equals_ignorecase_check(seed: int) -> None:
    rules = default_rules().categories
    rnd = random.Random(100 + seed)
    decided = set()
    for n in range(400):
        special = n % 4 == 0
        words = FILLERS + (SPECIAL if special else [])

        def text(k: int, words: list[str] = words) -> str:
            parts = [rnd.choice(HOAX_PHRASES) if rnd.random() < 0.08 else rnd.choice(words)
                     for _ in range(k)]
            return " ".join(p.swapcase() if rnd.random() < 0.2 else p for p in parts)

        title, body = text(rnd.randrange(1, 12)), text(rnd.randrange(5, 120))
        expected = reference_is_hoax(title, body, set(), rules)
        decided.add(expected)
        assert category.is_hoax(title, body, set(), rules) == expected
    assert decided == {True, False}


@pytest.mark.parametrize("source", [r"[A-Z]+ hoaks", r"\x41lpha", r"(?P<w>hoaks)", r"(?i)hoaks",
                                    r"(hoaks) \1", r"\N{LATIN SMALL LETTER A}", "hoáks"])
def test_patterns_that_could_differ_get_no_twin(source: str) -> None:
    from warta.clean.rules import lowered_twin

    assert lowered_twin(re.compile(source, re.IGNORECASE)) is None


def test_shipped_hoax_patterns_have_twins() -> None:
    rules = default_rules().categories
    assert all(rules.hoax_title_lowered) and all(rules.hoax_body_lowered)


@pytest.mark.parametrize("source", [
    r"\b(adalah|merupakan)\s+(hoaks|tidak benar)\b", r"\bmengatasnamakan\b", r"(tidak pernah|tidak ada)",
    r"a(bc)?d", r"(ab|c)+x", r"(ab)*y", r"[ab]c\d{2}de", r"(?:ke|di)-?\d", r"(?=ab)a", r"a|bc",
    r"x(a(b|c)d)?e{1,2}f"])
def test_literal_needs_are_contained_in_every_match(source: str) -> None:
    """What the hoax twins are pre-checked with must hold for every text the pattern matches."""
    from warta.clean.rules import literal_needs

    pattern = re.compile(source)
    needs = literal_needs(pattern)
    rnd = random.Random(source)
    pieces = ["a", "b", "c", "d", "e", "f", "x", "y", " ", "1", "-", "ke", "di", "adalah", "hoaks",
              "tidak", "tidak benar", "pernah", "ada", "mengatasnamakan", "merupakan", "12",
              " adalah hoaks ", "bc12de"]
    matched = 0
    for _ in range(4000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 12)))
        if pattern.search(text):
            matched += 1
            assert all(any(s in text for s in alts) for alts in needs), (source, text, needs)
    assert matched


def test_shipped_hoax_patterns_have_literal_needs() -> None:
    rules = default_rules().categories
    assert len(rules.hoax_body_needs) == len(rules.hoax_body_lowered)
    assert all(rules.hoax_body_needs) and all(rules.hoax_title_needs)


# Texts whose runs take ``category._runs`` (no non-ASCII word character): separators that are not
# ASCII, whitespace of every kind between the words of a keyword, "-nya", hyphens and underscores.
RUN_FILLERS = ["warga", "Pemerintah", "di", "dan", "yang", "masing-masing", "Kab.", "(", ")", ",", ".", ":",
               "nya", "NYA", "-", "--", "_", "1", "3.739", "21/8", "?", "“", "”", "‘", "’", "–", "—", "…",
               "·", "•", "©", "\ufffd", "\u00a0", "\u2009", "\u3000", "\u2028", "\x85", "\x1c", "\x00", "😀"]
GAPS = [" ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", " \u2009 ", "\u3000", "\x85", "\x1c", " - ", ", ",
        " “", ".", "_", ""]


def _run_text(rnd: random.Random, keywords: list[str]) -> str:
    parts = []
    for _ in range(rnd.randrange(0, 90)):
        if rnd.random() < 0.4:
            words = rnd.choice(keywords).split(" ")
            kw = rnd.choice(GAPS[:11] if rnd.random() < 0.8 else GAPS).join(words)
            kw = rnd.choice([kw, kw.upper(), kw.title(), kw + "nya", kw + "NYA", kw + "-nya", "-" + kw,
                             kw + "-", kw + "_", "x" + kw, kw + "x", kw + "nyanya"])
            parts.append(kw)
        else:
            parts.append(rnd.choice(RUN_FILLERS))
        parts.append(rnd.choice(GAPS))
    return "".join(parts)


@pytest.mark.parametrize("seed", range(6))
def test_runs_path_scores_equal_ignorecase_scores(seed: int) -> None:
    rules = default_rules().categories
    keywords = _keywords(rules)
    rnd = random.Random(1000 + seed)
    runs = 0
    for _ in range(300):
        title, body = _run_text(rnd, keywords)[:200], _run_text(rnd, keywords)
        runs += category._runs(body.lower()) is not None
        assert scores(title, body, set(), rules) == reference_scores(title, body, set(), rules)
    assert runs == 300  # every text took the C-speed cut into runs


@pytest.mark.parametrize("seed", range(4))
def test_runs_path_hits_equal_split_hits(seed: int) -> None:
    """The two ways of finding keywords agree hit for hit, in order, whitespace included."""
    rules = default_rules().categories
    keywords, count = _keywords(rules), len(rules.categories)
    rnd = random.Random(2000 + seed)
    multi = 0
    texts = ["", " ", "-", "nya", "\u00a0", keywords[0], "“" + keywords[0] + "”"]
    texts += [_run_text(rnd, keywords).lower() for _ in range(400)]
    for text in texts:
        assert category._runs(text) is not None
        hits = category._keyword_hits(text, rules, count)
        assert hits == category._split_hits(text, rules, count), text
        multi += any(not hit.isalnum() for cat_hits in hits for hit in cat_hits)
    assert multi > 100  # many texts held a multi-word keyword (or a hyphen), the delicate case


@pytest.mark.parametrize("seed", range(3))
def test_runs_are_the_regex_runs_one_character_per_separator(seed: int) -> None:
    rnd = random.Random(3000 + seed)
    alphabet = [*"aZ09_- .,\n\t", *RUN_FILLERS, "é", "ß", "²", "ǅ", "\u0660", "Ünal"]
    foreign = 0
    for _ in range(500):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40)))
        tokens = category._runs(text)
        if any(not ch.isascii() and re.match(r"\w", ch) for ch in text):
            foreign += 1
            assert tokens is None  # a non-ASCII word character: the regex split decides
            continue
        assert tokens is not None
        assert [t for t in tokens if t] == re.findall(r"[\w-]+", text)
        pos = 0
        for token in tokens:  # token i starts at the lengths of the ones before it, plus i
            assert text[pos:pos + len(token)] == token
            pos += len(token) + 1
        assert pos == len(text) + 1
    assert 50 < foreign < 450


def test_lower_equals_str_lower() -> None:
    """Through UTF-8 or not, ``_lower`` is ``str.lower`` for every code point, in any company."""
    same = [chr(cp) for cp in range(0x80, 0x110000) if chr(cp).lower() == chr(cp)]
    for start in range(0, len(same), 4096):
        text = "AbC " + "Q".join(same[start:start + 4096]) + " Z"
        assert category._lower(text) == text.lower()
    for cp in range(0x80, 0x110000):
        ch = chr(cp)
        if ch.lower() != ch:
            text = f"Ab{ch}C “{ch}σ Σ"
            assert category._lower(text) == text.lower(), hex(cp)
    assert category._lower("") == "" and category._lower("ABC") == "abc"


OVERLAPPING = """
fallback: umum
categories:
  satu:
    label: Satu
    keywords: [a b c, c, c d, b, tanah longsor, longsor, puting beliung, angin puting beliung,
               dana desa, desa, sekolahnya, x-ray, a b c d]
  dua:
    label: Dua
    keywords: [b c, d, dana, desa wisata, a, beliung, c d e f, banyak nya, e_f]
  tiga:
    label: Tiga
    keywords: [c d e, e, f, a b, nya, ray]
"""


@pytest.mark.parametrize("seed", range(3))
def test_overlapping_keywords_match_as_the_patterns_do(seed: int, tmp_path: Path) -> None:
    """Keywords that share words, end one another or start where another ends (absent from the
    shipped vocabulary, allowed in it): the hits are still the patterns' ``findall``."""
    from warta.clean.rules import load_categories

    path = tmp_path / "categories.yml"
    path.write_text(OVERLAPPING, encoding="utf-8")
    rules = load_categories(path)
    assert all(c.words is not None for c in rules.categories)
    keywords, count = _keywords(rules), len(rules.categories)
    rnd = random.Random(4000 + seed)
    for _ in range(400):
        title, body = _run_text(rnd, keywords)[:100], _run_text(rnd, keywords)
        assert scores(title, body, set(), rules) == reference_scores(title, body, set(), rules)
        for text in (title.lower(), body.lower()):
            hits = category._keyword_hits(text, rules, count)
            assert hits == [c.keywords.findall(text) for c in rules.categories], text


BOUNDARY_FIRST = [r"\b(adalah|merupakan)\s+(hoaks|tidak benar)\b", r"\bmengatasnamakan\b",
                  r"\b(tidak pernah|tidak ada)\s+(me)", r"\ba|b", r"\b|x", r"\b{x}", r"\b\w+-\w",
                  r"\b(?=ab)a", r"\b(faktanya|penjelasan)\s*:", r"\b(?<!-)ab", r"\bb$", r"\b^a",
                  "ab\\b", r"(a|b)\b"]


@pytest.mark.parametrize("source", BOUNDARY_FIRST)
def test_search_past_a_leading_boundary_equals_search(source: str) -> None:
    """``_search`` tries a ``\\b`` pattern only where it matches without the ``\\b``: same answer."""
    pattern = re.compile(source)
    rnd = random.Random(source)
    pieces = ["a", "b", "ab", "x", "-", " ", "\n", ":", "{x}", "é", "_", "1", "adalah", "hoaks",
              "tidak benar", "tidak pernah", "me", "faktanya", "penjelasan", "mengatasnamakan", "ke", "nya"]
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 14)))
        expected = pattern.search(text) is not None
        found += expected
        assert category._search(pattern, text) == expected, text
    assert 0 < found < 3000 or source == r"\b|x"
