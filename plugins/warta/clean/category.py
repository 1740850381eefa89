"""One hub category per item, from a controlled vocabulary kept in ``data/categories.yml``.

Hoax clarifications come first: they must be labelled as such wherever they
appear. Then the source's own feed categories, then keywords in the title
(weighted) and text. Nothing matched: the vocabulary's fallback.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import compress, islice

from ..core.asciiwords import ascii_bytes
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
over every code point in tests/clean/test_clean_category_fast.py."""


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


@functools.cache
def _after_boundary(twin: re.Pattern[str]) -> re.Pattern[str] | None:
    """``twin`` without its leading ``\\b``, or None when it has none.

    A pattern starting with ``\\b`` gets no prefix from the regex compiler, so
    ``search`` tries it at every position (~50 µs on a 4,000-character body);
    without it, its alternatives' first letters or literal prefix ("mengatasnamakan",
    "tidak ") let the engine skip ahead, 1.5 to 30 times faster. Dropping an
    assertion only widens a pattern (a leading ``\\b`` cannot take a quantifier):
    every match of ``twin`` starts where this one matches.
    """
    if not twin.pattern.startswith("\\b"):
        return None
    try:
        return re.compile(twin.pattern[2:], twin.flags)
    except re.error:
        return None


def _search(twin: re.Pattern[str], text: str) -> bool:
    """``bool(twin.search(text))``, trying ``twin`` only where :func:`_after_boundary` matches.

    Twins are searched only when a body holds all their needs (an article on fighting
    hoaxes has "hoaks", "adalah" and "berita" without a clarification), not rare.
    """
    wider = _after_boundary(twin)
    if wider is None:
        return twin.search(text) is not None
    found = wider.search(text)
    while found is not None:
        start = found.start()
        if twin.match(text, start):
            return True
        if start >= len(text):  # a later start would be taken as this one again (an empty match)
            return False
        found = wider.search(text, start + 1)
    return False


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
        yield (_has_needs(lowered, need, seen) and _search(t, lowered)) if t is not None \
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


_ASCII = bytes(range(128))


def _lower(text: str) -> str:
    """``text.lower()``, through UTF-8 when only its ASCII letters change.

    ``str.lower`` looks every character of a non-ASCII text up in the Unicode
    tables (a report is non-ASCII for one curly quote), ``bytes.lower`` maps
    ASCII bytes only and leaves UTF-8 sequences alone: the same string when
    each non-ASCII character is its own lower case ("“", "–", "é"; not "É"),
    in about two thirds of the time, checks included.
    """
    if text.isascii():
        return text.lower()
    raw = text.encode("utf-8", "surrogatepass")
    rest = raw.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    return raw.lower().decode("utf-8", "surrogatepass") if rest == rest.lower() else text.lower()


def _lowered(title: str, body: str) -> tuple[str, str] | None:
    """``title`` and ``body`` lower-cased, or None when lower-casing is not a safe stand-in
    for IGNORECASE on them (:data:`_CASE_SPECIAL`)."""
    return (_lower(title), _lower(body)) if _lowerable(title, body) else None


_RUN_BYTES = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")
_TO_SEPARATOR = bytes(b if b in _RUN_BYTES else 32 for b in range(256))
"""Byte table: ASCII ``[\\w-]`` stays, anything else becomes a space (one separator per character)."""


def _runs(text: str) -> list[str] | None:
    """``text`` cut at every character outside ``[\\w-]``: the runs, with an empty string
    between two separators in a row; None when a non-ASCII character is a word character.

    String methods in C instead of a regex split: the regex engine tests every
    character against ``[\\w-]`` and ``_SPLIT.split`` built a thousand strings for
    a report, the largest single cost of :func:`classify` (this is about three
    times faster). Every non-ASCII character becomes one ``?`` (a separator) in
    ``encode``, which is only right when none of them is ``\\w`` (rare in
    Indonesian news: "²", accented names); those texts take :func:`_split_hits`.
    One separator per character, so token ``i`` starts at ``i`` plus the lengths
    of the tokens before it: where :func:`_keyword_hits` reads the exact
    whitespace of a multi-word keyword back from ``text``.
    """
    raw = ascii_bytes(text)
    if raw is None:
        return None
    return raw.translate(_TO_SEPARATOR).decode("ascii").split(" ")


@functools.cache
def _phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    """A multi-word keyword as its category pattern matches it, from the start of its first run."""
    return re.compile(r"\s+".join(map(re.escape, words)) + r"(?:nya)?(?![\w-])")


def _keyword_hits(text: str, rules: CategoryRules, count: int) -> list[list[str]]:
    """Per category, what its keyword pattern's ``findall`` returns on lower-cased ``text``.

    Without the regex: the text is cut into runs of ``[\\w-]`` (:func:`_runs`).
    A keyword match starts at a run (the pattern's look-behind), its words are
    whole runs separated by whitespace-only gaps, and the last one may carry
    ``-nya`` (the look-ahead ends it with the run). Scanning runs left to right
    and, per category, taking the first keyword in its alternation order that
    matches, then going on after it, is ``findall``. A multi-word keyword whose
    second word is the next run is confirmed by :func:`_phrase` at the run's
    place in ``text``, which also gives the exact whitespace the hit holds.
    """
    tokens = _runs(text)
    if tokens is None:
        return _split_hits(text, rules, count)
    table = rules.keyword_table
    hits: list[list[str]] = [[] for _ in range(count)]
    free = [0] * count  # per category: first token a new match may start at
    size = len(tokens)
    at = pos = 0  # tokens[at] starts at text[pos]
    # Indices of the runs that can start a keyword, picked out at C speed: most runs can't.
    for i in compress(range(size), map(table.__contains__, tokens)):
        run = tokens[i]
        for cat, words in table[run]:
            if free[cat] > i:
                continue
            if len(words) == 1:  # the table only starts it at its word or word+"nya": a match
                hits[cat].append(run)
                free[cat] = i + 1
                continue
            j = i + 1
            while j < size and not tokens[j]:
                j += 1
            if j == size or (tokens[j] != words[1]
                             and (len(words) > 2 or tokens[j] != words[1] + "nya")):
                continue  # the next run is not the keyword's second word: no match, cheaply
            pos += sum(map(len, islice(tokens, at, i))) + i - at
            at = i
            match = _phrase(words).match(text, pos)
            if match is None:
                continue
            hits[cat].append(match.group())
            for _ in range(len(words) - 2):  # on to the token of its last word
                j += 1
                while not tokens[j]:
                    j += 1
            free[cat] = j + 1
    return hits


def _split_hits(text: str, rules: CategoryRules, count: int) -> list[list[str]]:
    """:func:`_keyword_hits` by a regex split into runs and the gaps between them.

    Slower, but right for any text: what a text holding a non-ASCII word
    character takes (see :func:`_runs`).
    """
    parts = _SPLIT.split(text)  # gap, run, gap, run, …, gap
    runs = parts[1::2]
    table = rules.keyword_table
    hits: list[list[str]] = [[] for _ in range(count)]
    free = [0] * count  # per category: first run a new match may start at
    last_run = len(runs) - 1
    for i in compress(range(len(runs)), map(table.__contains__, runs)):
        for cat, words in table[runs[i]]:
            if free[cat] > i:
                continue
            if len(words) == 1:
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
            cap = rules.body_cap
            if fast and cat.words is not None:
                in_title, in_body = title_hits[index], body_hits[index]
                score += rules.title_weight * len(in_title)
                if len(in_body) <= cap:  # no word can reach the cap: no need to count them
                    score += len(in_body)
                else:
                    # Hits of lower-cased text are lower-case already (table words and the
                    # whitespace between them): counted as they are, at C speed.
                    score += sum(n if n < cap else cap for n in Counter(in_body).values())
            else:
                in_title, in_body = cat.keywords.findall(title), cat.keywords.findall(body)
                score += rules.title_weight * len(in_title)
                per_word = Counter(word.lower() for word in in_body)
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
