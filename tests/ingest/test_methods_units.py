"""Small pure pieces of the feedless methods: sitemap parsing, WordPress posts, robots rules."""

from __future__ import annotations

import gzip

import pytest
from warta.ingest.methods.sitemap import SitemapError, parse_sitemap
from warta.ingest.methods.wordpress import NotPosts, api_root, parse_posts, post_entry, posts_url
from warta.ingest.robots import RobotsRules

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://contoh.go.id/berita/a</loc><lastmod>2024-12-02T10:20:00+08:00</lastmod>
  <news:news><news:publication><news:name>Contoh</news:name><news:language>id</news:language>
  </news:publication><news:publication_date>2024-12-02T10:15:00+08:00</news:publication_date>
  <news:title>Rapat Koordinasi Inflasi Daerah</news:title></news:news></url>
 <url><loc>  https://contoh.go.id/berita/b  </loc></url>
 <url><lastmod>2024-12-01</lastmod></url>
</urlset>"""


def test_news_sitemap_plain_and_gzip() -> None:
    for body in (NEWS, gzip.compress(NEWS)):
        sm = parse_sitemap(body)
        assert sm.kind == "urlset" and sm.news
        assert [c.url for c in sm.urls] == ["https://contoh.go.id/berita/a", "https://contoh.go.id/berita/b"]
        first = sm.urls[0]
        assert first.published_raw == "2024-12-02T10:15:00+08:00"
        assert first.title == "Rapat Koordinasi Inflasi Daerah"
        assert first.lastmod == "2024-12-02T10:20:00+08:00"


def test_sitemap_index_and_bad_bodies() -> None:
    idx = parse_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                        b"<sitemap><loc>https://contoh.go.id/s1.xml</loc></sitemap></sitemapindex>")
    assert idx.kind == "index" and idx.children[0].url == "https://contoh.go.id/s1.xml"
    with pytest.raises(SitemapError, match="HTML"):
        parse_sitemap(b"<!DOCTYPE html><html><body>Beranda</body></html>")
    with pytest.raises(SitemapError):
        parse_sitemap(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss>&e;</rss>')


def test_wordpress_urls_and_posts() -> None:
    assert api_root("https://contoh.go.id") == "https://contoh.go.id/wp-json/"
    assert api_root("https://contoh.go.id/wp-json/") == "https://contoh.go.id/wp-json/"
    assert posts_url("https://contoh.go.id/", 2).endswith("/wp-json/wp/v2/posts?_embed=1&per_page=20&page=2")
    post = {"id": 7, "date": "2024-12-02T10:15:00", "date_gmt": "2024-12-02T02:15:00",
            "guid": {"rendered": "https://contoh.go.id/?p=7"}, "link": "https://contoh.go.id/a/",
            "title": {"rendered": "Rapat &#8211; Inflasi"}, "content": {"rendered": "<p>Isi</p>"},
            "excerpt": {"rendered": "<p>Ringkas</p>"},
            "_embedded": {"wp:term": [[{"name": "Berita", "taxonomy": "category"}],
                                      [{"name": "Ekonomi &amp; Keuangan", "taxonomy": "post_tag"}]]}}
    e = post_entry(post)
    assert e is not None
    assert (e.guid, e.published_raw, e.via) == ("https://contoh.go.id/?p=7", "2024-12-02T02:15:00+00:00",
                                                "wordpress")
    assert e.categories == ("Berita", "Ekonomi & Keuangan")
    assert post_entry({**post, "content": {"rendered": "", "protected": True}}) is None
    with pytest.raises(NotPosts, match="rest_disabled"):
        parse_posts(b'{"code": "rest_disabled", "message": "x"}')
    with pytest.raises(NotPosts, match="HTML"):
        parse_posts(b"<html><body>x</body></html>")


def test_robots_rules() -> None:
    r = RobotsRules("https://contoh.go.id", 200, "User-agent: *\nDisallow: /admin/\n\n"
                    "User-agent: Warta\nDisallow: /arsip/\nCrawl-delay: 3\n"
                    "Sitemap: https://contoh.go.id/sitemap.xml\n")
    assert r.allowed("https://contoh.go.id/berita/a") and not r.allowed("https://contoh.go.id/arsip/x")
    assert r.allowed("https://contoh.go.id/admin/")  # our own group replaces the * group
    assert r.crawl_delay() == 3.0 and r.sitemaps() == ["https://contoh.go.id/sitemap.xml"]
    assert RobotsRules("https://x.go.id", 404, "").allowed("https://x.go.id/a")
    assert not RobotsRules("https://x.go.id", 503, "", unavailable=True).allowed("https://x.go.id/a")
