"""The article page: attribution, credits, dates, summary mode, story siblings, JSON-LD, cards."""

from __future__ import annotations

import re

from tests.support.site import HOSTILE_TITLE, PageParser, article_path


def _article(site, key: str) -> str:
    return article_path(site.output, site.ids[key]).read_text(encoding="utf-8")


def test_jsonld_parses_and_names_the_humas_office_as_publisher(built_site):
    text = _article(built_site, "hoaks")
    (data,) = PageParser(text).jsonld()
    assert data["@type"] == "NewsArticle"
    assert data["publisher"]["name"] == "Pemerintah Kabupaten Cilacap (Uji)"
    assert data["publisher"]["url"] == "https://cilacapkab.go.id"
    assert data["publisher"]["logo"]["url"] == "https://cilacapkab.go.id/logo.png"
    assert data["author"] == [{"@type": "Person", "name": "Rina Astuti"}]
    assert data["headline"].startswith("Hoaks: Beredar Pesan")
    assert data["inLanguage"] == "id"
    assert data["datePublished"].endswith("+07:00")  # the source's own zone (WIB)


def test_jsonld_cannot_be_broken_out_of(built_site):
    text = _article(built_site, "hostile")
    parsed = PageParser(text)
    (data,) = parsed.jsonld()
    assert data["headline"] == HOSTILE_TITLE  # round-trips exactly
    assert "alert(" not in "".join(body for attrs, body in parsed.scripts
                                   if attrs.get("type") != "application/ld+json")
    assert len(parsed.scripts) == 1  # the title did not open a second <script>
    assert "<h1>Sosialisasi &lt;/script&gt;" in text


def test_credits_dateline_hoax_label_and_attribution(built_site):
    text = _article(built_site, "hoaks")
    assert 'class="label-hoaks" href="/kategori/klarifikasi-hoaks/">Klarifikasi hoaks</a>' in text
    assert "Penulis: Rina Astuti · Editor: Bagus Wicaksono · Foto: Humas Cilacap" in text
    assert '<span class="dateline">CILACAP</span>' in text
    assert 'href="/sumber/uji-pemkab-cilacap/"><strong>Pemerintah Kabupaten Cilacap (Uji)</strong>' in text
    assert '<link rel="canonical" href="https://cilacapkab.go.id/berita/hoaks-bantuan/">' in text


def test_date_in_the_source_zone(built_site):
    wita = _article(built_site, "uji-pemkot-makassar/pasar")
    assert re.search(r"\d{2}\.\d{2} WITA</time>", wita)
    wib = _article(built_site, "uji-pemkab-cilacap/banjir")
    assert re.search(r"\d{2}\.\d{2} WIB</time>", wib)


def test_estimated_and_modified_dates(built_site):
    text = _article(built_site, "estimated")
    assert "(perkiraan)" in text
    assert "Diperbarui <time" in text
    assert 'property="article:modified_time"' in text
    assert "(perkiraan)" not in _article(built_site, "uji-pemkab-cilacap/banjir")


def test_summary_mode_shows_summary_and_link_to_source(built_site):
    text = _article(built_site, "uji-kemenkes/imunisasi")
    assert "Baca selengkapnya di situs sumber" in text
    assert 'href="https://kemkes.go.id/berita/imunisasi/"' in text
    assert "foto/kegiatan.jpg\" alt=\"Petugas" not in text  # the body (with its photo) is not shown
    full = _article(built_site, "uji-pemkab-cilacap/banjir")
    assert "Baca selengkapnya di situs sumber" not in full
    assert "Bantuan berupa beras, selimut" in full


def test_other_reports_of_the_same_story(built_site):
    text = _article(built_site, "uji-pemkab-cilacap/banjir")
    section = text.split('id="judul-juga"', 1)[1].split("</section>", 1)[0]
    assert section.startswith(">Juga diberitakan oleh 2 instansi</h2>")
    assert "Kantah Cilacap Bantu Data Lahan" in section and "Bank Jateng Salurkan CSR" in section
    assert "Pemkab Cilacap Salurkan" not in section
    lonely = _article(built_site, "uji-pemkot-makassar/pasar")
    assert "Juga diberitakan oleh" not in lonely


def test_previous_next_and_related(built_site):
    text = _article(built_site, "uji-pemkab-cilacap/jalan")
    nav = text.split('class="sebelum-sesudah"', 1)[1].split("</nav>", 1)[0]
    assert 'rel="prev"' in nav and "Bupati Resmikan Gedung Sekolah" in nav  # older, same source
    assert 'rel="next"' in nav
    related = text.split('id="judul-terkait"', 1)[1].split("</section>", 1)[0]
    assert related.count('class="kartu"') >= 1
    assert "Perbaikan Jalan Kabupaten Ruas Jeruklegi" not in related


def test_open_graph_and_twitter(built_site):
    text = _article(built_site, "uji-pemkab-cilacap/banjir")
    assert '<meta property="og:type" content="article">' in text
    # og:image is our 1200×630 card, never the original; offline tests get the placeholder's.
    assert re.search(r'<meta property="og:image" content="http://127\.0\.0\.1:8000/media/[^"]+-social\.jpg">',
                     text)
    assert "og:image\" content=\"https://cilacapkab.go.id" not in text
    assert '<meta name="twitter:card" content="summary_large_image">' in text
    assert re.search(r'<meta property="og:url" content="http://127\.0\.0\.1:8000/berita/', text)


def test_links_in_bodies_from_feeds_are_not_vouched_for(built_site):
    """A feed body's links carry rel="noopener nofollow": a hacked source's injected links
    must not borrow the hub's standing. The archive keeps the body as cleaned."""
    import re

    bodies = []
    for path in (built_site.output / "berita").rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        bodies += re.findall(r'<div class="isi">(.*?)</div>', text, flags=re.S)
    links = [a for body in bodies for a in re.findall(r"<a [^>]*>", body)]
    feed_links = [a for a in links if "noopener" in a]
    assert feed_links  # the demo's bodies link to their sources' other pages
    assert all('rel="noopener nofollow"' in a for a in feed_links), feed_links[:3]
