"""One hub category per item, from a controlled vocabulary kept in ``data/categories.yml``.

Hoax clarifications come first: they must be labelled as such wherever they
appear. Then the source's own feed categories, then keywords in the title
(weighted) and text. Nothing matched: the vocabulary's fallback.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import compress

from .rules import CategoryRules, default_rules

HOAX = "klarifikasi-hoaks"
"""The id the theme and the JSON API key the hoax label on (a public contract)."""
FEED_WEIGHT = 5
BODY_SCAN = 4000


_SPLIT = re.compile(r"([\w-]+)")
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a\u03a3]")
"""The only characters for which ``str.lower()`` is not a one-to-one, context-free map
that keeps ``\\w``/``\\s`` and agrees with IGNORECASE on ASCII letters (İ → "i̇",
ı, ſ and the Kelvin sign match i/s/k under IGNORECASE, Σ lowers by context). Checked
over every code point in tests/test_clean_category_speed.py."""


def _term(text: str) -> str:
    return " ".join(text.lower().replace("&amp;", "&").split())


_CASE_SPECIAL_CHARS = _CASE_SPECIAL.pattern[1:-1]  # the class's characters


def _lowerable(*texts: str) -> bool:
    """Whether no text holds a :data:`_CASE_SPECIAL` character.

    Five ``in`` tests (a character search each) rather than the class regex,
    which tried every position of a 4,000-character body: ten times faster.
    """
    for text in texts:
        if text.isascii():
            continue
        for ch in _CASE_SPECIAL_CHARS:
            if ch in text:
                return False
    return True


def _has_needs(lowered: str, need: tuple[tuple[str, ...], ...], seen: dict[str, bool]) -> bool:
    """Whether ``lowered`` holds one substring of each group of ``need``.

    Plain loops rather than ``all(any(…))``: the generators cost more than the
    ``in`` tests themselves on a 4,000-character body (this runs per pattern per
    item). ``seen`` remembers the tests already made on ``lowered``: patterns share
    words ("hoaks", "tidak benar", "palsu"), and a miss reads the whole body.
    """
    for alts in need:
        for s in alts:
            found = seen.get(s)
            if found is None:
                found = seen[s] = s in lowered
            if found:
                break
        else:
            return False
    return True


def _each_found(patterns: tuple[re.Pattern[str], ...], twins: tuple[re.Pattern[str] | None, ...],
                text: str, lowered: str | None,
                needs: tuple[tuple[tuple[str, ...], ...], ...] = ()) -> Iterator[bool]:
    """Whether each pattern occurs in ``text``, in turn, through its case-sensitive twin
    when it has one (lazily: the caller may stop once it knows enough).

    A twin is not even tried when ``lowered`` lacks a substring its every
    match contains (``needs``, see :func:`~warta.clean.rules.literal_needs`).
    """
    if lowered is None or len(twins) != len(patterns):
        for p in patterns:
            yield bool(p.search(text))
        return
    if len(needs) != len(twins):
        needs = ((),) * len(twins)
    seen: dict[str, bool] = {}
    for p, t, need in zip(patterns, twins, needs, strict=True):
        yield (_has_needs(lowered, need, seen) and bool(t.search(lowered))) if t is not None \
            else bool(p.search(text))


def is_hoax(title: str, body: str, terms: set[str], rules: CategoryRules,
            lowered: tuple[str, str] | bool | None = False) -> bool:
    """A clarification of a hoax: said so in the title, the feed category, or twice in the text.

    ``lowered`` is what :func:`_lowered` gives for ``title`` and ``body`` when the
    caller already has it (``classify`` shares it with :func:`scores`); left
    ``False``, it is computed here. The body's patterns are tried only until
    the count is decided either way (the last ones rarely need trying).
    """
    if terms & rules.hoax_feed_terms:
        return True
    if lowered is False:
        lowered = _lowered(title, body)
    low_title, low_body = lowered if isinstance(lowered, tuple) else (None, None)
    if any(_each_found(rules.hoax_title, rules.hoax_title_lowered, title, low_title,
                       rules.hoax_title_needs)):
        return True
    wanted, left, hits = rules.hoax_body_min, len(rules.hoax_body), 0
    for found in _each_found(rules.hoax_body, rules.hoax_body_lowered, body, low_body,
                             rules.hoax_body_needs):
        hits += found
        left -= 1
        if hits >= wanted:
            return True
        if hits + left < wanted:
            return False
    return hits >= wanted


def _lowered(title: str, body: str) -> tuple[str, str] | None:
    """``title`` and ``body`` lower-cased, or None when lower-casing is not a safe stand-in
    for IGNORECASE on them (:data:`_CASE_SPECIAL`)."""
    return (title.lower(), body.lower()) if _lowerable(title, body) else None


def _keyword_hits(text: str, rules: CategoryRules, count: int) -> list[list[str]]:
    """Per category, what its keyword pattern's ``findall`` returns on lower-cased ``text``.

    Without the regex: the text is split once into runs of ``[\\w-]`` and the
    gaps between them. A keyword match starts at a run (the pattern's
    look-behind), its words are whole runs separated by whitespace-only gaps,
    and the last one may carry ``-nya`` (the look-ahead ends it with the run).
    Scanning runs left to right and, per category, taking the first keyword in
    its alternation order that matches, then going on after it, is ``findall``.
    """
    parts = _SPLIT.split(text)  # gap, run, gap, run, …, gap
    runs = parts[1::2]
    table = rules.keyword_table
    hits: list[list[str]] = [[] for _ in range(count)]
    free = [0] * count  # per category: first run a new match may start at
    last_run = len(runs) - 1
    # Indices of the runs that can start a keyword, picked out at C speed: most runs can't.
    for i in compress(range(len(runs)), map(table.__contains__, runs)):
        for cat, words in table[runs[i]]:
            if free[cat] > i:
                continue
            if len(words) == 1:  # the table only starts it at its word or word+"nya": a match
                hits[cat].append(runs[i])
                free[cat] = i + 1
                continue
            end = i + len(words) - 1
            if end > last_run:
                continue
            ok = True
            for k in range(len(words) - 1):
                if runs[i + k] != words[k] or not parts[2 * (i + k) + 2].isspace():
                    ok = False
                    break
            last = runs[end]
            if ok and (last == words[-1] or last == words[-1] + "nya"):
                hits[cat].append("".join(parts[2 * i + 1:2 * end + 2]))
                free[cat] = end + 1
    return hits


def scores(title: str, body: str, terms: set[str], rules: CategoryRules,
           lowered: tuple[str, str] | bool | None = False) -> dict[str, int]:
    """Each category's score: feed terms, keywords in the title (weighted) and body (capped).

    Keywords are matched on lower-cased text by :func:`_keyword_hits`, the
    same matches as the IGNORECASE patterns for a fraction of the time (they
    were ~40 % of the clean-up of a 400-word report). Text holding one of the
    few characters where lower-casing and IGNORECASE disagree, and categories
    whose keywords are not plain words, take the patterns. ``lowered``: as for
    :func:`is_hoax`.
    """
    if lowered is False:
        lowered = _lowered(title, body)
    fast = isinstance(lowered, tuple)
    count = len(rules.categories)
    if isinstance(lowered, tuple):
        title_hits = _keyword_hits(lowered[0], rules, count)
        body_hits = _keyword_hits(lowered[1], rules, count)
    out: dict[str, int] = {}
    for index, cat in enumerate(rules.categories):
        score = FEED_WEIGHT if terms & cat.feed_terms else 0
        if cat.keywords is not None:
            if fast and cat.words is not None:
                in_title, in_body = title_hits[index], body_hits[index]
                # Hits of lower-cased text are lower-case already (table words and the
                # whitespace between them): counted as they are, at C speed.
                per_word = Counter(in_body)
            else:
                in_title, in_body = cat.keywords.findall(title), cat.keywords.findall(body)
                per_word = Counter(word.lower() for word in in_body)
            score += rules.title_weight * len(in_title)
            cap = rules.body_cap
            score += sum(n if n < cap else cap for n in per_word.values())
        if score:
            out[cat.id] = score
    return out


def classify(title: str, body: str, feed_categories: Iterable[str], rules: CategoryRules) -> str:
    """The hub category id for an item (never None)."""
    terms = {_term(t) for t in feed_categories if t}
    body = body[:BODY_SCAN]
    lowered = _lowered(title, body)  # once for both: lower-casing 4,000 characters twice showed
    if is_hoax(title, body, terms, rules, lowered):
        return HOAX
    ranked = scores(title, body, terms, rules, lowered)
    best, best_score = rules.fallback, rules.min_score - 1
    for cat in rules.categories:  # file order breaks ties
        score = ranked.get(cat.id, 0)
        if score > best_score:
            best, best_score = cat.id, score
    return best


def category_id(name: str | None, rules: CategoryRules) -> str | None:
    """A category a human wrote ("Kesehatan", "pariwisata-budaya") → vocabulary id, if any."""
    if not name:
        return None
    wanted = _term(name)
    for cat in rules.categories:
        if wanted in (cat.id, _term(cat.label), cat.id.replace("-", " ")):
            return cat.id
    if wanted in (rules.fallback, _term(rules.fallback_label)):
        return rules.fallback
    return None


def label(category_id: str | None) -> str:
    """Reader-facing name of a category id ("pariwisata-budaya" → "Pariwisata & Budaya")."""
    return default_rules().categories.label(category_id)
