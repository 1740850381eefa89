"""Boilerplate out: what a humas CMS wraps around the news, removed by data rules.

The rules (:class:`~warta.clean.rules.BoilerplateRules`, from
``data/boilerplate.yml``) say *what* to remove; this module only knows the
kinds of rule. Text rules match the whole text of a paragraph (see
:mod:`.blocks`), so a sentence that merely mentions "iklan" stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from .blocks import block_text, gone, has_media, iter_after, leaf_blocks, tags
from .rules import BoilerplateRules

_SIZE = re.compile(r"^\s*(\d+)(?:px)?\s*$")
_STYLE_PIXEL = re.compile(r"(?:^|;)\s*(?:width|height)\s*:\s*[0-2]px|display\s*:\s*none", re.I)


def _tracked(url: object, hosts: frozenset[str]) -> bool:
    if not isinstance(url, str) or not hosts:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host:
        return False
    where = host + parts.path
    return any(host == h or host.endswith("." + h) or ("/" in h and where.startswith(h))
               for h in hosts)


def _is_pixel(img: Tag) -> bool:
    for attr in ("width", "height"):
        value = img.get(attr)
        match = _SIZE.match(value) if isinstance(value, str) else None
        if match and int(match.group(1)) <= 2:
            return True
    style = img.get("style")
    return isinstance(style, str) and bool(_STYLE_PIXEL.search(style))


def remove_tracking(soup: BeautifulSoup, hosts: frozenset[str]) -> None:
    """Tracking pixels (tiny or hidden images, tracker hosts) and tracker links."""
    for el in tags(soup, {"img", "a"}):
        if gone(el):
            continue
        if el.name == "img":
            doomed = _is_pixel(el) or _tracked(el.get("src"), hosts)
        else:
            doomed = _tracked(el.get("href"), hosts)
        if doomed:
            el.decompose()


_CLASS_ONLY = re.compile(r"^(?P<tag>[a-z][a-z0-9]*)?\.(?P<cls>[A-Za-z_][\w-]*)$")


_CLASS_ATTR = re.compile("class", re.IGNORECASE)

_K = TypeVar("_K")
_V = TypeVar("_V")


def _per_object(make: Callable[[_K], _V]) -> Callable[[_K], _V]:
    """``make``, computed once per argument object and kept.

    The arguments are a source's rules (tuples of selectors or patterns, a
    rules object): the same objects for every item of a run, so told apart by
    identity, which costs nothing, where hashing a tuple of patterns would cost
    a walk over it each call. The object is held with its value, so its id is
    not reused by another while the entry exists.
    """
    kept: dict[int, tuple[_K, _V]] = {}

    def cached(key: _K) -> _V:
        known = kept.get(id(key))
        if known is not None and known[0] is key:
            return known[1]
        value = make(key)
        kept[id(key)] = (key, value)
        return value

    return cached


@_per_object
def _split_selectors(selectors: tuple[str, ...]) -> tuple[dict[str, set[str | None]], list[str]]:
    """Class → tags wanted (None: any) of the plain selectors, and the other selectors.

    Kept per tuple: a source's selectors are the same for every item, and
    reading them was most of this step for an item without a ``class`` attribute.
    """
    classes: dict[str, set[str | None]] = {}
    others = []
    for sel in selectors:
        m = _CLASS_ONLY.match(sel.strip())
        if m:
            classes.setdefault(m.group("cls"), set()).add(m.group("tag"))
        else:
            others.append(sel)
    return classes, others


def drop_selected(soup: BeautifulSoup, selectors: tuple[str, ...], markup: str | None = None) -> None:
    """Remove elements matching CSS selectors (plain ``.class``/``tag.class`` ones in one walk).

    ``markup``, the text ``soup`` was parsed from, lets the walk be skipped when
    no attribute in it can be named ``class`` (html.parser lower-cases names), or
    none has a value (a bare ``class`` is no class); "=" is tested first, as it
    is far cheaper than a case-blind search.
    """
    if not selectors:
        return
    classes, others = _split_selectors(selectors)
    doomed = []
    if classes and (markup is None or ("=" in markup and _CLASS_ATTR.search(markup))):
        for el in soup.descendants:
            if isinstance(el, Tag) and el.attrs.get("class"):
                for cls in el.attrs["class"]:
                    wanted = classes.get(cls)
                    if wanted and (None in wanted or el.name in wanted):
                        doomed.append(el)
                        break
    if others:
        doomed.extend(soup.select(", ".join(others)))
    for el in doomed:
        if not gone(el):
            el.decompose()


def strip_text(soup: BeautifulSoup, patterns: tuple[re.Pattern[str], ...]) -> None:
    """Remove what ``patterns`` match from every string of the tree, pattern after pattern.

    A string none of them finds anything in is left as it is without the
    substitutions (a search costs less than a ``sub`` that replaces nothing). Each
    pattern searches on its own: joined into one alternation they would lose
    the literal prefix the regex engine skips ahead with, and scan slower.
    """
    if not patterns:
        return
    for node in [n for n in soup.descendants if isinstance(n, NavigableString)]:
        for pattern in patterns:
            if pattern.search(node):
                break
        else:
            continue
        text = str(node)
        new = text
        for pattern in patterns:
            new = pattern.sub("", new)
        if new != text:
            node.replace_with(NavigableString(new))


_UNSAFE_TO_JOIN = re.compile(r"\\[0-9]|\(\?P=|\(\?\(")
"""Group references (``\\1``, ``(?P=name)``, ``(?(1)…)``) that joining patterns would renumber."""


def _join(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """``patterns`` as one alternation, which matches where one of them does; None when
    there are none or they cannot be joined as written (different flags, a group
    reference, or a global inline flag, which must open the pattern)."""
    if len(patterns) == 1:
        return patterns[0]
    if not patterns or len({p.flags for p in patterns}) != 1 or any(
            _UNSAFE_TO_JOIN.search(p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


_joined = _per_object(_join)
""":func:`_join`, kept per tuple of patterns. One ``fullmatch`` per paragraph instead of
one per rule: the rules fail at their first characters, so the calls themselves were the
cost (~175 per item)."""


@_per_object
def _some_rule(rules: BoilerplateRules) -> Callable[[str], bool]:
    """Whether a text is one that cut_from, drop_related or drop_blocks would act on."""
    every = rules.cut_from + rules.drop_related + rules.drop_blocks
    joined = _join(every)
    test: Callable[[str], bool]
    if joined is not None:
        test = lambda text: joined.fullmatch(text) is not None  # noqa: E731
    else:
        test = lambda text: any(p.fullmatch(text) for p in every)  # noqa: E731
    return test


def _matches(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    joined = _joined(patterns)
    if joined is not None:
        return joined.fullmatch(text) is not None
    return any(p.fullmatch(text) for p in patterns)


def _link_only(el: object) -> bool:
    if not isinstance(el, Tag):
        return False
    if el.name in ("ul", "ol"):
        return True
    links = el.find_all("a")
    if not links and el.name != "a":
        return False
    inside = "".join(a.get_text("") for a in links) if el.name != "a" else el.get_text("")
    return bool(inside.strip()) and len(inside.strip()) >= len(el.get_text("").strip()) - 3


def drop_blocks(el: Tag) -> None:
    """Remove a block, but keep an image it carries (only its text goes)."""
    if has_media(el):
        for node in el.find_all(string=True):
            node.replace_with("")
    else:
        el.decompose()


def apply_text_rules(soup: BeautifulSoup, rules: BoilerplateRules) -> list[tuple[Tag, str]] | None:
    """cut_from, drop_related and drop_blocks over the leaf blocks, in that order.

    The second pass reuses the texts the first one read: a leaf it read comes
    before the cut (if any), so neither the cut nor anything since changed it;
    without a cut the first pass changed nothing, so its leaves are still the leaves.

    Every leaf is read first, and one test per leaf (the rules joined) says
    whether any rule can act at all: for most items none can, and the tree is
    left as it is. Returns the leaf blocks with their texts when no rule changed
    anything, for :func:`~warta.clean.credits.read_credits` to read instead of
    walking the tree and reading every paragraph again; else None.
    """
    blocks = leaf_blocks(soup)
    read = [(el, block_text(el)) for el in blocks]
    some_rule = _some_rule(rules)
    if not any(some_rule(text) for _, text in read):
        return read  # most items: no paragraph is boilerplate, nothing to cut or drop
    texts: dict[int, tuple[Tag, str]] = {}
    cut = False
    for i, (el, text) in enumerate(read):  # read before any change: still the texts
        if i == 0 or gone(el):
            continue  # never cut the whole article away
        if _matches(rules.cut_from, text):
            for node in list(iter_after(el, soup)):
                node.extract()
            el.decompose()
            cut = True
            break
        texts[id(el)] = (el, text)
    kept: list[tuple[Tag, str]] | None = None if cut else []
    for el in leaf_blocks(soup) if cut else blocks:  # nothing cut: nothing changed
        if gone(el):
            kept = None
            continue
        known = texts.get(id(el))
        text = known[1] if known is not None and known[0] is el else block_text(el)
        if _matches(rules.drop_related, text):
            for sib in list(el.next_siblings):
                if isinstance(sib, NavigableString) and not sib.strip():
                    continue
                if _link_only(sib):
                    sib.extract()
                    continue
                break
            el.decompose()
            kept = None
        elif _matches(rules.drop_blocks, text):
            drop_blocks(el)
            kept = None
        elif kept is not None:
            kept.append((el, text))
    return kept


def remove_boilerplate(soup: BeautifulSoup, rules: BoilerplateRules) -> None:
    """Everything but paragraph structure (done by the caller) and empty blocks."""
    drop_selected(soup, rules.drop_selectors)
    remove_tracking(soup, rules.tracking_hosts)
    strip_text(soup, rules.strip_text)
    apply_text_rules(soup, rules)
