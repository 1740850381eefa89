"""feedparser, as :mod:`warta.ingest.parse` runs it: its two speed-ups give feedparser's own answers.

``warta.ingest.parse`` swaps feedparser's win-1252 fix-up dict for an equivalent
string table and remembers feedparser's base-URI answers (both ~⅓ of parsing
a feed). These tests hold them to what feedparser does unchanged.
"""

from __future__ import annotations

import feedparser.html
import feedparser.mixin
from warta.ingest import parse
from warta.ingest.parse import parse_feed


def test_importing_the_parser_changes_nothing_until_it_parses() -> None:
    import subprocess
    import sys

    code = ("import feedparser.mixin, feedparser.urls; import warta.ingest.parse as p; "
            "assert isinstance(feedparser.mixin._cp1252, dict); "
            "assert feedparser.mixin.make_safe_absolute_uri is feedparser.urls.make_safe_absolute_uri; "
            "p.speed_up_feedparser(); assert isinstance(feedparser.mixin._cp1252, str)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cp1252_table_translates_every_code_point_like_feedparsers_dict() -> None:
    parse.speed_up_feedparser()
    everything = "".join(chr(c) for c in range(0x110000))
    assert everything.translate(feedparser.mixin._cp1252) == everything.translate(feedparser.html._cp1252)
    assert isinstance(feedparser.mixin._cp1252, str)  # the table warta.ingest.parse installed


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


def test_remembered_base_uris_stay_per_feed() -> None:
    """One worker parses many feeds: each entry's xml:base resolves against its own feed."""
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Uji</title><id>urn:uji</id>
<entry xml:base="berita/"><title>Satu</title><id>urn:1</id>
<content type="html">&lt;p&gt;Isi&lt;/p&gt;</content></entry>
<entry xml:base="/lain/"><title>Dua</title><id>urn:2</id>
<content type="html">&lt;p&gt;Isi&lt;/p&gt;</content></entry>
</feed>"""
    feeds = (("https://a.go.id", "/rss/"), ("https://b.go.id", "/x/"), ("https://a.go.id", "/rss/"))
    for host, folder in feeds:
        first, second = parse_feed(atom, {}, host + folder + "feed.xml").entries
        assert first.base_url == host + folder + "berita/"
        assert second.base_url == host + "/lain/"
    assert parse.feedparser.mixin.make_safe_absolute_uri.cache_info().hits > 0  # type: ignore[attr-defined]


def test_only_a_stated_update_date_is_read_and_feedparser_never_warns() -> None:
    """feedparser answers ``get("updated")`` with <pubDate> (and a DeprecationWarning) when a
    feed has no update date; the hub must not take that for an edit."""
    import warnings

    rss = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Uji</title><link>https://uji.go.id/</link>
<item><title>Satu</title><link>https://uji.go.id/1</link>
<pubDate>Tue, 24 Nov 2026 09:00:00 +0700</pubDate></item></channel></rss>"""
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Uji</title><id>urn:uji</id>
<entry><title>Dua</title><id>urn:2</id><published>2026-11-24T09:00:00+07:00</published>
<updated>2026-11-24T11:30:00+07:00</updated></entry></feed>"""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = parse_feed(rss, {}, "https://uji.go.id/feed").entries[0]
        edited = parse_feed(atom, {}, "https://uji.go.id/atom").entries[0]
    assert plain.published_raw == "Tue, 24 Nov 2026 09:00:00 +0700"
    assert plain.updated_raw is None
    assert edited.published_raw == "2026-11-24T09:00:00+07:00"
    assert edited.updated_raw == "2026-11-24T11:30:00+07:00"
