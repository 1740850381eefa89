"""Category keyword matching on lower-cased text gives exactly the IGNORECASE matches.

:func:`warta.clean.category.scores` scans lower-cased text with
case-sensitive patterns and skips categories none of whose lead words occur
(a speed-up, issue 2). These tests hold it to the original definition: the
IGNORECASE pattern of each category over the text as written.
"""

from __future__ import annotations

import random
import re

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
