"""``blocks.tree_text`` reads exactly what the inserting version gave (a speed-up).

The first version inserted a space before and after every block, ``<br>`` and
``<img>`` and then called ``get_text``; the walk that replaced it must give
the same text for any tree the clean-up can meet.
"""

from __future__ import annotations

import copy
import random
import re

from bs4 import BeautifulSoup
from warta.clean import blocks

_WS = re.compile(r"\s+")


def inserting_tree_text(soup: BeautifulSoup) -> str:
    for el in blocks.tags(soup, blocks._SPACED):
        el.insert_before(" ")
        el.insert_after(" ")
    return _WS.sub(" ", soup.get_text("")).strip()


PIECES = ["<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<img src='a.jpg'>", "<b>", "</b>",
          "<li>", "<ul>", "</ul>", "<table><tr><td>", "</td></tr></table>", "<span>", "</span>",
          "<!-- komentar -->", "<![CDATA[x]]>", "<ruby>漢<rt>kan</rt></ruby>", "<h2>", "</h2>",
          "<figure><figcaption>", "</figcaption></figure>", "&nbsp;", "&amp;", " ", "\n",
          "Bupati", "meninjau", "jalan.", "“Kami”", "<em>", "</em>", "<hr>", "<rt><br></rt>"]


def test_same_text_as_inserting_spaces() -> None:
    rnd = random.Random(2)
    for _ in range(3000):
        fragment = "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(1, 40)))
        soup = blocks.parse(fragment)
        if rnd.random() < 0.5:
            blocks.paragraphize(soup)  # a tree the clean-up has already reshaped
        expected = inserting_tree_text(copy.copy(soup))
        assert blocks.tree_text(soup) == expected, fragment


def test_does_not_touch_the_tree() -> None:
    soup = blocks.parse("<p>a<br>b</p><div><img src='x.jpg'>c</div>")
    before = str(soup)
    assert blocks.tree_text(soup) == "a b c"
    assert str(soup) == before


def test_split_join_collapses_like_the_regex() -> None:
    """``block_text``/``tree_text``/``collapse`` use ``" ".join(s.split())`` for ``\\s+`` → " "."""
    import sys

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if _WS.fullmatch(chr(c))]
    assert spaces == [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    rnd = random.Random(5)
    alphabet = ["a", "Ä", ".", *spaces]
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30)))
        assert " ".join(text.split()) == _WS.sub(" ", text).strip()


SERIALIZE_PIECES = [*PIECES, "<a href='x?a=1&b=2'>", "</a>", "<p title='say \"hi\"'>",
                    "<p title=\"it's\">", "<p title='both \"a\" it&apos;s'>", "<input disabled>",
                    "<p class='a  b'>", "&lt;script&gt;", "1 < 2 > 0 & 3", "<!DOCTYPE html>",
                    "<?php x ?>", "<meta charset=latin1>", "<svg:rect x=1>", "</svg:rect>",
                    "<pre>", "</pre>", "<textarea>a<b</textarea>", "<script>1<2</script>"]


def test_serialize_is_str() -> None:
    """``blocks.serialize`` writes what ``str(soup)`` writes, for parsed and reshaped trees."""
    rnd = random.Random(7)
    for _ in range(3000):
        fragment = "".join(rnd.choice(SERIALIZE_PIECES) for _ in range(rnd.randrange(1, 40)))
        soup = BeautifulSoup(fragment, "html.parser") if rnd.random() < 0.3 else blocks.parse(fragment)
        if rnd.random() < 0.5:
            blocks.paragraphize(soup)
        assert blocks.serialize(soup) == str(soup), fragment


def test_block_text_is_get_text() -> None:
    """``block_text``'s one-string shortcut reads what ``get_text`` reads."""
    rnd = random.Random(8)
    for _ in range(2000):
        fragment = "".join(rnd.choice(SERIALIZE_PIECES) for _ in range(rnd.randrange(1, 20)))
        soup = blocks.parse(fragment)
        for el in [soup, *blocks.tags(soup, blocks.BLOCK_TAGS | {"b", "span", "rt", "a"})]:
            assert blocks.block_text(el) == " ".join(el.get_text("").split()), fragment
