"""Paragraph structure: the unit every text rule works on is a *leaf block*.

Humas CMSs write paragraphs in every way: ``<p>``, ``<div>`` soup, text
separated by ``<br><br>``, or plain text with newlines. Rules such as "a
paragraph that is only 'Penulis : …'" need one shape, so loose text and
``<br>``-separated lines become ``<p>`` elements first. Readers see the same
words, as paragraphs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.exceptions import ParserRejectedMarkup
from bs4.formatter import HTMLFormatter

from .sanitize import sanitize_html

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
LEAF_TAGS = frozenset({
    "address", "blockquote", "dd", "div", "dt", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "p", "pre", "section", "td", "th", "article", "aside", "footer", "header", "center",
})
WRAP_CONTAINERS = frozenset({"div", "section", "article", "main", "blockquote", "td", "th", "dd",
                   "header", "footer", "aside", "center"})
MEDIA_TAGS = frozenset({"img", "figure", "video", "audio", "table"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "textarea", "title", "head",
                        "select", "applet", "frameset", "noembed", "noframes", "xmp", "plaintext"})
_SPACED = BLOCK_TAGS | {"br", "img"}
_INLINE_EMPTY = frozenset({"span", "strong", "b", "em", "i", "a", "font", "u"})
_EMPTYABLE = BLOCK_TAGS - {"hr", "td", "th", "tr"}
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")


def tags(root: BeautifulSoup | Tag, names: frozenset[str] | set[str]) -> list[Tag]:
    """Descendant elements named in ``names``, in document order.

    A plain walk: several times faster than ``find_all`` with a name set,
    which builds a matcher on every call (this runs many times per item).
    """
    return [el for el in root.descendants if isinstance(el, Tag) and el.name in names]


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_SENTENCE_END = frozenset(".!?:;…\"”’)]")
_LABEL = re.compile(r"[A-Z][\w.]*(?:[^\S\n][\w.]+){0,2}[^\S\n]*:")
"""A credit or caption label opening a line: "Penulis : …", "Foto: …", "Sumber berita:"."""
_LIST_MARK = re.compile(r"(?:[-•*·]|\d{1,2}[.)])\s")
_DATELINE_START = re.compile(r"[A-Z][A-Z.]{2,}(?:\s+[A-Z][A-Z.]+)*\s*[,(–—-]")
"""An upper-case place opening a line ("SEMARANG –", "JAKARTA (ANTARA) -"): a new paragraph."""
_WRAP_WIDTH = (40, 100)
_WRAP_SPREAD = 15


def _wrap_inside_sentence(line: str, after: str) -> bool:
    """Whether the newline between ``line`` and ``after`` is a hard wrap in mid-sentence.

    Yes when ``line`` stops without sentence punctuation and either ``after``
    goes on in lower case ("Petenis" / "peringkat") or ``line`` ends on a
    lower-case word ("pada" / "Minggu", "skor" / "6-4"). Credit and caption labels,
    list items and datelines are lines of their own whatever comes before.
    """
    if line[-1] in _SENTENCE_END or _LABEL.match(line) or _LABEL.match(after):
        return False
    if _LIST_MARK.match(after) or _DATELINE_START.match(after):
        return False
    return after[0].islower() or line.rsplit(None, 1)[-1].islower()


def _evenly_wrapped(lines: list[str]) -> bool:
    """Whether every line but the last has about one width, most not ending a sentence.

    Text wrapped at a column; short paragraphs that happen to be of one length
    end in full stops.
    """
    body = lines[:-1]
    widths = [len(line) for line in body]
    open_ended = sum(1 for line in body if line[-1] not in _SENTENCE_END)
    return (len(widths) >= 2 and min(widths) >= _WRAP_WIDTH[0] and max(widths) <= _WRAP_WIDTH[1]
            and max(widths) - min(widths) <= _WRAP_SPREAD and 2 * open_ended > len(body))


def text_paragraphs(text: str) -> list[str]:
    """The paragraphs of plain text, each on one line.

    A blank line always starts a paragraph. A single newline does too — some
    humas CMSs write one paragraph per line — unless it is a hard wrap: the
    text was wrapped at a column (ANTARA's CRLF-wrapped descriptions), or the
    line stops in mid-sentence (:func:`_wrap_inside_sentence`). A wrap becomes
    a space.
    """
    paragraphs: list[str] = []
    for chunk in _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if _evenly_wrapped(lines):
            paragraphs.append(" ".join(lines))
            continue
        current = lines[0]
        for line in lines[1:]:
            if _wrap_inside_sentence(current, line):
                current += " " + line
            else:
                paragraphs.append(current)
                current = line
        paragraphs.append(current)
    return paragraphs


def text_to_html(text: str) -> str:
    """Plain-text content (no tags at all) as ``<p>`` paragraphs (:func:`text_paragraphs`)."""
    return "".join(f"<p>{html.escape(html.unescape(p), quote=False)}</p>" for p in text_paragraphs(text))


def gone(el: object) -> bool:
    """Whether ``el`` was decomposed.

    Not ``el.decomposed``: on a Tag, bs4 looks ``_decomposed`` up through
    ``Tag.__getattr__``, which searches the whole subtree for a child tag of that
    name when the attribute is unset — it was a sixth of the clean-up's time.
    """
    return bool(getattr(el, "__dict__", {}).get("_decomposed"))


def opener(names: frozenset[str] | set[str] | Iterable[str]) -> re.Pattern[str]:
    """A pattern found in any markup that can give the tree an element named in ``names``.

    html.parser makes an element only from a start tag ``<name``, and names it
    with the lower-cased name; IGNORECASE finds every spelling that lower-cases
    to one of ``names`` (and a few more: a false positive only costs the walk
    it was meant to save). A tag that merely *starts* with a name also matches.
    """
    return re.compile("<(?:" + "|".join(sorted(re.escape(n) for n in names)) + ")", re.IGNORECASE)


_DROPPED_OPENER = opener(DROPPED_WITH_CONTENT)


def parse_markup(fragment: str) -> tuple[BeautifulSoup, str]:
    """:func:`parse`, and the markup the parser read (for :func:`opener` checks by the caller)."""
    if "\n" in fragment and not _TAG_LIKE.search(fragment):
        fragment = text_to_html(fragment)
    try:
        soup = BeautifulSoup(fragment, "html.parser")
    except ParserRejectedMarkup:  # html.parser gives up on some tricks ("<![><img …")
        fragment = sanitize_html(fragment)  # html5ever copes
        soup = BeautifulSoup(fragment, "html.parser")
    if _DROPPED_OPENER.search(fragment):  # most bodies have none: no walk
        for el in tags(soup, DROPPED_WITH_CONTENT):
            if not gone(el):
                el.decompose()
    return soup, fragment


def parse(fragment: str) -> BeautifulSoup:
    """Parse a content fragment; plain text is split into paragraphs first."""
    return parse_markup(fragment)[0]


def tree_text(soup: BeautifulSoup | Tag) -> str:
    """Text of a tree, words of adjacent blocks apart, inline markup not ("<b>a</b>." → "a.").

    What ``get_text`` gives once a space is inserted before and after every
    block, ``<br>`` and ``<img>``, read in one walk without touching the tree
    (inserting was a sixth of the clean-up): a space on entering such an
    element, the element's strings, and a space after its last descendant —
    where :meth:`~bs4.element.Tag.insert_after` would have linked it.
    """
    types = soup.interesting_string_types
    if types is None:
        types = Tag.MAIN_CONTENT_STRING_TYPES
    space = NavigableString in types if not isinstance(types, type) else types is NavigableString
    out: list[str] = []
    closing: dict[int, int] = {}
    for node in soup.descendants:
        if isinstance(node, Tag):
            if node.name in _SPACED and node is not soup:
                if space:
                    out.append(" ")
                last = node._last_descendant()
                closing[id(last)] = closing.get(id(last), 0) + 1
        elif type(node) is types if isinstance(types, type) else type(node) in types:
            out.append(node)
        if closing:
            count = closing.pop(id(node), 0)
            if count and space:
                out.append(" " * count)
    return collapse("".join(out))


def collapse(text: str) -> str:
    """Whitespace runs → one space, ends trimmed.

    ``" ".join(s.split())`` rather than a ``\\s+`` substitution: the same result
    (``str.split`` and ``re``'s ``\\s`` agree on every code point, see
    tests/clean/test_clean_tree_text.py) in a sixth of the time, and this runs for
    every paragraph several times per item.
    """
    return " ".join(text.split())


def block_text(el: Tag) -> str:
    """An element's text on one line, whitespace runs collapsed.

    A block holding one string of a type ``get_text`` reads (most paragraphs) is
    that string: read directly, without ``get_text``'s walk and generator (this
    runs for every paragraph several times per item).
    """
    contents = el.contents
    if len(contents) == 1:
        only = contents[0]
        types = el.interesting_string_types
        if types is None:
            types = Tag.MAIN_CONTENT_STRING_TYPES
        if type(only) is types if isinstance(types, type) else type(only) in types:
            return collapse(only)  # type: ignore[arg-type]
    return collapse(el.get_text(""))


def _is_blank(node: object) -> bool:
    return isinstance(node, NavigableString) and not node.strip()


def _runs(el: Tag, *, split_blocks: bool) -> list[list[object]]:
    """Children of ``el`` split into runs at ``<br>`` (and block children)."""
    runs: list[list[object]] = [[]]
    for child in list(el.children):
        if isinstance(child, Tag) and child.name == "br":
            child.extract()
            runs.append([])
        elif split_blocks and isinstance(child, Tag) and child.name in BLOCK_TAGS:
            runs.append([child])
            runs.append([])
        else:
            runs[-1].append(child)
    return [r for r in runs if r and not all(_is_blank(n) for n in r)]


def _has_direct(el: Tag, names: frozenset[str] | set[str]) -> bool:
    return any(isinstance(c, Tag) and c.name in names for c in el.children)


def paragraphize(soup: BeautifulSoup) -> None:
    """Loose inline runs → ``<p>``; ``<p>`` with ``<br>`` → several ``<p>``.

    The paragraphs and the containers are found in one walk: splitting a
    paragraph moves its children, in order, into new paragraphs where it stood
    and drops only ``<br>`` and blank strings, so the containers (none of which
    is a ``<p>``) are the same elements in the same document order after it.
    """
    found = tags(soup, WRAP_CONTAINERS | {"p"})
    for p in [el for el in found if el.name == "p"]:
        if not _has_direct(p, {"br"}):
            continue
        runs = _runs(p, split_blocks=False)
        for run in runs:
            new = soup.new_tag("p")
            for node in run:
                new.append(node.extract())  # type: ignore[union-attr]
            p.insert_before(new)
        p.decompose()
    containers = [soup, *(el for el in found if el.name in WRAP_CONTAINERS)]
    for el in containers:
        if el is not soup and not _has_direct(el, BLOCK_TAGS | {"br"}):
            continue
        for run in _runs(el, split_blocks=True):
            first = run[0]
            if len(run) == 1 and isinstance(first, Tag) and first.name in BLOCK_TAGS:
                continue
            new = soup.new_tag("p")
            first.insert_before(new)  # type: ignore[union-attr]
            for node in run:
                new.append(node.extract())  # type: ignore[union-attr]


def leaf_blocks(soup: BeautifulSoup) -> list[Tag]:
    """Blocks with no block inside them, in document order (linear time)."""
    inner = BLOCK_TAGS - {"hr"}
    non_leaf: set[int] = set()
    found = tags(soup, inner)
    for el in found:
        parent = el.parent
        while parent is not None and parent is not soup:
            if parent.name in inner:
                non_leaf.add(id(parent))
                break
            parent = parent.parent
    return [el for el in found if el.name in LEAF_TAGS and id(el) not in non_leaf]


def max_depth(soup: BeautifulSoup, limit: int) -> int:
    """Deepest element nesting, counting no further than ``limit`` + 1."""
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        stack.extend((c, depth + 1) for c in node.contents if isinstance(c, Tag))
    return deepest


def iter_after(el: Tag, root: BeautifulSoup) -> Iterator[object]:
    """Every node after ``el`` in document order, outside ``el`` itself."""
    node: Tag | BeautifulSoup | None = el
    while node is not None and node is not root:
        yield from list(node.next_siblings)
        node = node.parent


def has_media(el: Tag) -> bool:
    return el.name in MEDIA_TAGS or bool(tags(el, MEDIA_TAGS))


def remove_empty(soup: BeautifulSoup, empty: re.Pattern[str],
                 leaves: list[tuple[Tag, str]] | None = None) -> bool:
    """Drop blocks left with no words and no media (``&nbsp;``, "..", stray bullets).

    Blocks and inline elements are found in one walk: the blocks' pass only
    decomposes, which marks every element inside as gone, so the inline pass
    meets exactly the elements a second walk would find. ``leaves``: the leaf
    blocks with their texts, when the caller has them for the tree as it is
    (removing other blocks never changes a leaf's text). Returns whether
    anything was removed.
    """
    known = {id(el): (el, text) for el, text in leaves} if leaves is not None else {}
    removed = False
    found = tags(soup, _EMPTYABLE | _INLINE_EMPTY)
    for el in reversed(found):
        if el.name not in _EMPTYABLE or gone(el):
            continue
        read = known.get(id(el))
        text = read[1] if read is not None and read[0] is el else block_text(el)
        if not empty.fullmatch(text) or has_media(el):
            continue
        el.decompose()
        removed = True
    for el in found:
        if el.name not in _INLINE_EMPTY or gone(el):
            continue
        if not el.get_text().strip() and not has_media(el):
            el.decompose()
            removed = True
    return removed


_MINIMAL = HTMLFormatter.REGISTRY["minimal"]
_RAW_TEXT_PARENTS = frozenset(_MINIMAL.cdata_containing_tags or ())
_OUTPUT_ENCODING = "utf-8"  # what str(soup) passes bs4 as the eventual encoding


def _escape(text: str) -> str:
    """bs4's minimal entity substitution (``&``, ``<``, ``>``), without a regex call per string."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _start_tag(tag: Tag) -> str:
    """``tag``'s opening tag as bs4 writes it (attributes sorted, quoted as bs4 quotes them)."""
    if tag.hidden:
        return ""
    parts = []
    for key, value in sorted(tag.attrs.items()):
        if value is None:
            parts.append(key)
            continue
        if isinstance(value, (list, tuple)):
            value = " ".join(value)
        elif type(value) is not str:  # charset substitutions and the like: bs4 itself
            return tag._format_tag(_OUTPUT_ENCODING, _MINIMAL, opening=True)
        value = _escape(value)
        quote = '"'
        if '"' in value:
            if "'" in value:
                value = value.replace('"', "&quot;")
            else:
                quote = "'"
        parts.append(f"{key}={quote}{value}{quote}")
    prefix = f"{tag.prefix}:" if tag.prefix else ""
    attrs = " " + " ".join(parts) if parts else ""
    slash = "/" if tag.is_empty_element else ""
    return f"<{prefix}{tag.name}{attrs}{slash}>"


def serialize(soup: BeautifulSoup) -> str:
    """``str(soup)``, the same characters, in a third of the time.

    bs4 writes a tree through an event generator, a formatter lookup and a
    regex substitution per node (it was a seventh of the clean-up). This walks
    the same ``descendants`` order, closes elements the way bs4's event stream
    does (when the next node is not inside them), escapes text as the
    "minimal" formatter does, and leaves comments, doctypes and other special
    strings, and unusual attribute values, to bs4's own ``output_ready`` /
    ``_format_tag``. tests/clean/test_clean_tree_text.py compares it with ``str``.
    """
    out: list[str] = []
    open_tags: list[Tag] = []
    for node in soup.descendants:
        parent = node.parent
        while open_tags and parent is not open_tags[-1]:
            closed = open_tags.pop()
            if not closed.hidden:
                out.append(f"</{closed.prefix}:{closed.name}>" if closed.prefix else f"</{closed.name}>")
        kind = type(node)
        if kind is Tag:
            out.append(_start_tag(node))  # type: ignore[arg-type]
            if not node.is_empty_element:  # type: ignore[union-attr]
                open_tags.append(node)  # type: ignore[arg-type]
        elif kind is NavigableString:
            raw = parent is not None and parent.name in _RAW_TEXT_PARENTS
            out.append(node if raw else _escape(node))  # type: ignore[arg-type]
        else:
            out.append(node.output_ready(_MINIMAL))  # type: ignore[union-attr]
    while open_tags:
        closed = open_tags.pop()
        if not closed.hidden:
            out.append(f"</{closed.prefix}:{closed.name}>" if closed.prefix else f"</{closed.name}>")
    return "".join(out)
