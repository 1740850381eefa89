"""Safe HTML: allow-list, URLs resolved and checked, rel=noopener, embeds as links."""

from __future__ import annotations

import pytest
from warta.clean.normalize import normalize
from warta.ingest.parse import parse_feed

from tests.support.items import SEEN, entry, source
from tests.support.safety import html_problems, plain_problems

VECTORS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1><circle r=1></svg>",
    "<a href='javascript:window.__xss=1'>klik</a>",
    "<a href='JaVaScRiPt:alert(1)'>klik</a>",
    "<a href='jav&#x09;ascript:alert(1)'>klik</a>",
    "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)'>klik</a>",
    "<a href=' vbscript:msgbox(1)'>klik</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>klik</a>",
    "<img src='data:image/svg+xml,<svg onload=alert(1)>'>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
    "<object data='https://jahat.example/x.swf'></object><embed src='https://jahat.example/x'>",
    "<form action='https://jahat.example/'><input name=p><button>Kirim</button></form>",
    "<base href='https://jahat.example/'><meta http-equiv='refresh' content='0;url=https://jahat.example'>",
    "<p style='background:url(javascript:alert(1));width:expression(alert(1))'>gaya</p>",
    "<style>@import 'https://jahat.example/a.css'; body{background:red}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<details open ontoggle=alert(1)>x</details>",
    "<div onmouseover='alert(1)' id=x class=y>arah</div>",
    "<a href='/berita/lokal'>relatif</a><img src='foto.jpg'>",
    "<!--<img src=x onerror=alert(1)>--><![CDATA[<script>alert(1)</script>]]>",
    "<table background='javascript:alert(1)'><tr><td>sel</td></tr></table>",
    "<video poster=javascript:alert(1)><source onerror=alert(1)></video>",
]


@pytest.mark.parametrize("vector", VECTORS)
def test_content_allow_list(vector: str) -> None:
    item = normalize(entry(f"<p>Isi berita.</p>{vector}"), source(), seen_at=SEEN)
    assert html_problems(item.content_html) == []
    assert "javascript" not in item.content_html.lower()
    assert "__xss" not in item.content_html.replace("&lt;", "")  # only as escaped text, if at all
    assert plain_problems(item.summary) == []


def test_relative_urls_resolve_against_item_link() -> None:
    item = normalize(entry('<p><a href="../lain/">Lain</a> <a href="/profil">Profil</a>'
                           '<img src="foto/rapat baru.jpg"> <a href="#atas">Atas</a></p>',
                           link="https://uji.go.id/berita/2024/12/uji/"), source(), seen_at=SEEN)
    html = item.content_html
    assert 'href="https://uji.go.id/berita/2024/12/lain/"' in html
    assert 'href="https://uji.go.id/profil"' in html
    assert 'src="https://uji.go.id/berita/2024/12/uji/foto/rapat%20baru.jpg"' in html
    assert 'href="#atas"' not in html  # would point into the hub
    assert item.image == "https://uji.go.id/berita/2024/12/uji/foto/rapat%20baru.jpg"


def test_xml_base_wins_and_external_links_get_noopener() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://cdn.uji.go.id/arsip/">
<title>Uji</title><id>urn:uji</id><updated>2024-12-26T10:00:00+07:00</updated>
<entry><title>Rapat</title><id>urn:uji:1</id><link href="https://uji.go.id/berita/1"/>
<updated>2024-12-26T10:00:00+07:00</updated>
<content type="html">&lt;p&gt;&lt;img src="img/a.jpg"&gt; &lt;a href="https://kemendagri.go.id/"&gt;Kemendagri&lt;/a&gt;&lt;/p&gt;</content>
</entry></feed>"""
    raw = parse_feed(feed, {}, "https://uji.go.id/feed.atom").entries[0]
    item = normalize(raw, source(), seen_at=SEEN)
    assert 'src="https://cdn.uji.go.id/arsip/img/a.jpg"' in item.content_html
    assert '<a href="https://kemendagri.go.id/" rel="noopener">Kemendagri</a>' in item.content_html


def test_rss_relative_links_use_item_link_not_feed_address() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Uji</title>
<link>https://uji.go.id/</link><item><title>A</title><link>https://uji.go.id/berita/2024/a/</link>
<description><![CDATA[<p><img src="gambar.jpg"></p>]]></description></item></channel></rss>"""
    raw = parse_feed(feed, {}, "https://uji.go.id/feed/rss/").entries[0]
    item = normalize(raw, source(), seen_at=SEEN)
    assert 'src="https://uji.go.id/berita/2024/a/gambar.jpg"' in item.content_html


@pytest.mark.parametrize("src", [
    "https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0",
    "//www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
])
def test_youtube_iframe_becomes_linked_thumbnail(src: str) -> None:
    item = normalize(entry(f'<p>Simak videonya:</p><iframe width="560" height="315" src="{src}" '
                           'title="Rapat Paripurna" allowfullscreen></iframe>'), source(), seen_at=SEEN)
    html = item.content_html
    assert "iframe" not in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener">' in html
    assert 'src="https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"' in html
    assert "Tonton video di YouTube" in html and 'alt="Rapat Paripurna"' in html
    assert html_problems(html) == []


def test_other_embeds() -> None:
    html = normalize(entry(
        '<iframe src="https://player.vimeo.com/video/123456789"></iframe>'
        '<iframe src="https://www.google.com/maps/embed?pb=abc"></iframe>'
        '<iframe src="javascript:alert(1)"></iframe><iframe src="data:text/html,x"></iframe>'),
        source(), seen_at=SEEN).content_html
    assert 'href="https://vimeo.com/123456789"' in html
    assert 'href="https://www.google.com/maps/embed?pb=abc"' in html
    assert "javascript" not in html and "data:" not in html and "iframe" not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "/berita/relatif", "ftp://uji.go.id/a",
                                  "https://uji.go.id/a\"onmouseover=alert(1)", " data:text/html,x"])
def test_item_link_checked(link: str) -> None:
    assert normalize(entry(link=link), source(), seen_at=SEEN).link is None


def test_hostile_fields_are_plain() -> None:
    item = normalize(entry(title="<img src=x onerror=alert(1)>Judul &lt;svg onload=alert(1)&gt;",
                           authors=("<b onclick=alert(1)>Humas</b>", "&lt;script&gt;x&lt;/script&gt;"),
                           categories=("<i>Kesehatan</i>", "Topik&amp;lt;b&amp;gt;")),
                     source(), seen_at=SEEN)
    for text in (item.title, *item.authors, *item.tags):
        assert plain_problems(text) == []
    assert item.title == "Judul"
    assert item.authors == ("Humas",)
    assert item.tags[0] == "Kesehatan"
    assert item.category == "kesehatan"


def test_normalize_never_raises() -> None:
    weird = entry("<p>" * 5000 + "dalam" + "</p>" * 5000, title=None, published_raw="\x00",
                  authors=(None,), categories=(None, 5))  # type: ignore[arg-type]
    item = normalize(weird, source(), seen_at=SEEN)
    assert item.title and item.date_estimated
    assert html_problems(item.content_html) == []
