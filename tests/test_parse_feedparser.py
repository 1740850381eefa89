"""feedparser, as :mod:`warta.parse` runs it: its two speed-ups give feedparser's own answers.

``warta.parse`` swaps feedparser's win-1252 fix-up dict for an equivalent
string table (~⅓ of parsing a feed). These tests hold it to what feedparser
does unchanged.
"""

from __future__ import annotations

import feedparser.html
import feedparser.mixin
from warta.parse import parse_feed


def test_cp1252_table_translates_every_code_point_like_feedparsers_dict() -> None:
    everything = "".join(chr(c) for c in range(0x110000))
    assert everything.translate(feedparser.mixin._cp1252) == everything.translate(feedparser.html._cp1252)
    assert isinstance(feedparser.mixin._cp1252, str)  # the table warta.parse installed


def test_win1252_characters_in_a_feed_become_their_letters() -> None:
    # "&#150;" is the win-1252 byte for an en dash written as a code point: U+0096,
    # a control character, which feedparser maps to the dash it meant.
    rss = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Uji &#153;</title><link>https://uji.go.id/</link>
<item><title>Rapat &#150; “Kota” Ambon</title><link>https://uji.go.id/a</link>
<description>Isi &#147;kutipan&#148; é 😀 &#128;.</description></item></channel></rss>""".encode()
    parsed = parse_feed(rss, {}, "https://uji.go.id/feed")
    assert parsed.title == "Uji ™"
    entry = parsed.entries[0]
    assert entry.title == "Rapat – “Kota” Ambon"
    assert entry.content_html == "Isi “kutipan” é 😀 €."

