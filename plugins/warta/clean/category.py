"""One hub category per item, from a controlled vocabulary kept in ``data/categories.yml``.

Hoax clarifications come first: they must be labelled as such wherever they
appear. Then the source's own feed categories, then keywords in the title
(weighted) and text. Nothing matched: the vocabulary's fallback.
"""

from __future__ import annotations

from collections.abc import Iterable

from .rules import CategoryRules, default_rules

HOAX = "klarifikasi-hoaks"
"""The id the theme and the JSON API key the hoax label on (a public contract)."""
FEED_WEIGHT = 5
BODY_SCAN = 4000


def _term(text: str) -> str:
    return " ".join(text.lower().replace("&amp;", "&").split())


def is_hoax(title: str, body: str, terms: set[str], rules: CategoryRules) -> bool:
    """A clarification of a hoax: said so in the title, the feed category, or twice in the text."""
    if terms & rules.hoax_feed_terms:
        return True
    if any(p.search(title) for p in rules.hoax_title):
        return True
    hits = sum(1 for p in rules.hoax_body if p.search(body))
    return hits >= rules.hoax_body_min


def scores(title: str, body: str, terms: set[str], rules: CategoryRules) -> dict[str, int]:
    out: dict[str, int] = {}
    for cat in rules.categories:
        score = FEED_WEIGHT if terms & cat.feed_terms else 0
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


def classify(title: str, body: str, feed_categories: Iterable[str], rules: CategoryRules) -> str:
    """The hub category id for an item (never None)."""
    terms = {_term(t) for t in feed_categories if t}
    body = body[:BODY_SCAN]
    if is_hoax(title, body, terms, rules):
        return HOAX
    ranked = scores(title, body, terms, rules)
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
