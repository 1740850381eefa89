"""Feeds, sitemaps, the Google News sitemap, robots.txt and the OPML of sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import feedparser
from warta.site import seo

from tests.support.site import FIXTURE_SOURCES, page

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "http://127.0.0.1:8000/"


def test_every_feed_validates(built_site):
    feeds = sorted((built_site.output / "feeds").rglob("*.xml"))
    assert len(feeds) > 1000  # all, every region, source, category and kind; Atom and RSS
    for f in feeds:
        parsed = feedparser.parse(f.read_bytes())
        assert not parsed.bozo, (f, parsed.get("bozo_exception"))
        assert parsed.version in ("atom10", "rss20"), f
        assert parsed.feed.get("language", "id") == "id"
    for key in ("semua", "wilayah/33", "wilayah/33.01", "sumber/uji-bpn-cilacap", "jenis/pemkab",
                "kategori/klarifikasi-hoaks"):
        for ext in ("atom.xml", "rss.xml"):
            parsed = feedparser.parse((built_site.output / "feeds" / f"{key}.{ext}").read_bytes())
            assert parsed.entries, key
            for e in parsed.entries:
                assert e.link.startswith(BASE + "berita/")
                assert e.id.startswith("tag:127.0.0.1,2024:")


def test_feed_contents_and_summary_mode(built_site):
    atom = feedparser.parse((built_site.output / "feeds/wilayah/33.01.atom.xml").read_bytes())
    titles = [e.title for e in atom.entries]
    assert "Seribu Sertifikat Tanah Dibagikan kepada Warga Cilacap" in titles
    assert "Pemkot Makassar Tata Ulang Pasar Terong" not in titles
    entry = next(e for e in atom.entries if e.title.startswith("Seribu Sertifikat"))
    # Listing feeds carry summaries (WARTA_LISTING_FEED_CONTENT); the body is on the page.
    assert "content" not in entry and "Bantuan berupa beras" in entry.summary
    assert "<p>" in page(built_site.output, entry.link[len(BASE) - 1:]).read_text()
    for ext in ("atom.xml", "rss.xml"):
        summary = feedparser.parse((built_site.output / f"feeds/sumber/uji-kemenkes.{ext}").read_bytes())
        (entry,) = summary.entries
        assert "content" not in entry  # summary-mode source: no body in our feeds
        assert "kegiatan.jpg" not in entry.summary and "<p>" not in entry.summary


def test_sitemap_parses_and_points_at_pages(built_site):
    out = built_site.output
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    locs = [u.findtext(f"{SM}loc") for u in root.iter(f"{SM}url")]
    assert BASE in locs and f"{BASE}wilayah/33.01/" in locs and f"{BASE}tentang/" in locs
    for loc in locs:
        assert loc.startswith(BASE)
        assert page(out, "/" + loc[len(BASE):]).is_file(), loc


def test_news_sitemap_rules(built_site):
    root = ET.parse(built_site.output / "sitemap-news.xml").getroot()
    urls = list(root.iter(f"{SM}url"))
    assert 0 < len(urls) <= 1000
    titles = set()
    for u in urls:
        news = u.find(f"{NEWS}news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Warta"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "id"
        date = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
        assert built_site.now - timedelta(hours=48) <= date <= built_site.now + timedelta(minutes=5)
        titles.add(news.findtext(f"{NEWS}title"))
    assert "Pemkot Makassar Tata Ulang Pasar Terong" in titles
    assert "Penyaluran KUR Bank Jateng Tumbuh di Triwulan Ketiga" in titles  # 40 h old


def test_news_sitemap_splits_past_1000(tmp_path):
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    src = SimpleNamespace(tz=UTC)
    arts = [SimpleNamespace(url=f"berita/{i}/", title=f"Judul {i}", date=now - timedelta(minutes=i),
                            warta=SimpleNamespace(source=src)) for i in range(2500)]
    arts.append(SimpleNamespace(url="lama/", title="Lama", date=now - timedelta(hours=49),
                                warta=SimpleNamespace(source=src)))
    written = seo.write_news_sitemap(arts, tmp_path, {"SITEURL": "https://warta.id",
                                                      "SITENAME": "Warta"}, now=now)
    index = ET.parse(tmp_path / "sitemap-news.xml").getroot()
    assert index.tag == f"{SM}sitemapindex"
    parts = [s.findtext(f"{SM}loc") for s in index.iter(f"{SM}sitemap")]
    assert parts == [f"https://warta.id/sitemaps/sitemap-news-{i}.xml" for i in (1, 2, 3)]
    counts = [len(list(ET.parse(tmp_path / f"sitemaps/sitemap-news-{i}.xml").getroot()
                       .iter(f"{SM}url"))) for i in (1, 2, 3)]
    assert counts == [1000, 1000, 500]  # the 49-hour-old article is left out
    assert len(written) == 4


def test_robots_points_at_sitemaps(built_site):
    text = (built_site.output / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text
    assert f"Sitemap: {BASE}sitemap.xml" in text
    assert f"Sitemap: {BASE}sitemap-news.xml" in text


def test_opml_lists_every_source_feed(built_site):
    out = built_site.output
    root = ET.parse(out / "sumber/sources.opml").getroot()
    assert root.tag == "opml" and root.get("version") == "2.0"
    feeds = {o.get("text"): o for o in root.iter("outline") if o.get("type") == "rss"}
    for spec in FIXTURE_SOURCES:
        o = feeds[spec["name"]]
        assert o.get("htmlUrl") == spec["homepage"]
        xml_url = o.get("xmlUrl")
        assert xml_url == f"{BASE}feeds/sumber/{spec['id']}.atom.xml"
        assert (out / xml_url[len(BASE):]).is_file()
    sources_yml = list(built_site.sources.rglob("*.yml"))
    assert len(feeds) == len(sources_yml)  # every registered source, demo ones included


def test_item_elements_serialized_once_equal_feedgenerator(tmp_path):
    """listing feeds reuse each article's <entry>/<item>; bytes equal feedgenerator's."""
    import io
    from datetime import UTC, datetime

    from feedgenerator import Atom1Feed, Rss201rev2Feed
    from warta.site import feeds as feeds_out
    from warta.site.feeds import FeedEntry, Listing

    when = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    entries = [FeedEntry(id=f"tag:warta.local,2024:{n}", url=f"http://127.0.0.1:8000/berita/{n}/",
                         title=f"Bupati meninjau <jalan> desa {n} & jembatan", summary="Ringkas.",
                         content_html=f"<p>Isi berita {n} &amp; foto.</p>", published=when,
                         updated=None, author="Humas Contoh", source_name="Pemkab Contoh",
                         source_url="https://contoh.go.id", external_url=None,
                         categories=("Pemerintahan",))
               for n in range(3)]
    settings = {"SITENAME": "Warta", "WARTA_DEV_SITEURL": "http://127.0.0.1:8000"}
    feeds_out.ListingFeedWriter(tmp_path, settings)  # a build starts: fragments cleared
    for fmt, cls in ((feeds_out.ATOM, Atom1Feed), (feeds_out.RSS, Rss201rev2Feed)):
        feeds_out._FRAGMENTS.clear()
        first = fmt.render(Listing("semua", "Semua berita", "", []), entries, settings)
        again = fmt.render(Listing("semua", "Semua berita", "", []), entries[1:], settings)
        assert len([k for k in feeds_out._FRAGMENTS if k[1] in {id(e) for e in entries}]) == 3

        class Plain(cls):  # feedgenerator's own item writer
            pass

        def ref(items: list[FeedEntry], fmt: feeds_out.FeedFormat = fmt) -> bytes:
            feed = Plain(title="Warta — Semua berita", link="http://127.0.0.1:8000/",
                         description="Semua berita", language="id",
                         feed_url=f"http://127.0.0.1:8000/{feeds_out.feed_path('semua', fmt)}",
                         feed_guid=f"http://127.0.0.1:8000/{feeds_out.feed_path('semua', fmt)}")
            for e in items:
                feed.add_item(title=e.title, link=e.url, description=e.summary,
                              content=e.content_html, author_name=e.author, pubdate=e.published,
                              updateddate=e.updated or e.published, unique_id=e.id,
                              categories=list(e.categories))
            buf = io.StringIO()
            feed.write(buf, "utf-8")
            return buf.getvalue().encode("utf-8")

        assert first == ref(entries) and again == ref(entries[1:])
        assert b"&lt;jalan&gt;" in first
