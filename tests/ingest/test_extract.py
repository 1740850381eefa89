"""Article extraction: metadata first, then selectors, then trafilatura; Indonesian dates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from warta.clean.normalize import normalize, plain_text
from warta.core.records import Source
from warta.ingest.extract import extract_article, indonesian_date, links, usable_date

WITA = timezone(timedelta(hours=8))


def _source(tz: str = "Asia/Makassar") -> Source:
    return Source(id="uji", name="Uji", kind="pemkab", homepage="https://contoh.go.id", feeds=(),
                  region="73.06", timezone=tz)


PARAS = ("Pemerintah kabupaten menyalurkan bantuan benih padi kepada empat puluh kelompok tani di "
         "tujuh kecamatan menjelang musim tanam.",
         "Kepala dinas pertanian meminta penyuluh lapangan mendampingi petani sejak persemaian "
         "hingga panen agar hasilnya terpantau.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Senin, 2 Desember 2024 | 10:15 WITA", "2024-12-02T10:15:00+08:00"),
    ("2 Des 2024, pukul 10.15 WIB", "2024-12-02T10:15:00+07:00"),
    ("Rabu, 04/12/2024 08:05 WIT", "2024-12-04T08:05:00+09:00"),
    ("Diterbitkan 17 Agustus 2024 09:30", "2024-08-17T09:30:00+08:00"),  # source zone (WITA)
    ("Jumat, 6 September 2024", "2024-09-06"),
    ("31 Nopember 2024 10:00", None),  # no such day
    ("Senin, 2 Desember 2024 | 25:15 WITA", "2024-12-02"),  # no such hour: the day stays
    ("Nomor 12 tahun 2024", None),
])
def test_indonesian_date_text(text: str, expected: str | None) -> None:
    assert indonesian_date(text, _source()) == expected


def test_usable_date_keeps_machine_dates_raw() -> None:
    src = _source()
    assert usable_date("2024-12-02T10:15:00+08:00", src) == "2024-12-02T10:15:00+08:00"
    assert usable_date("Mon, 02 Dec 2024 02:15:00 GMT", src) == "Mon, 02 Dec 2024 02:15:00 GMT"
    assert usable_date("Senin, 2 Desember 2024 | 10:15 WITA", src) == "2024-12-02T10:15:00+08:00"
    assert usable_date("kemarin sore", src) is None


def test_yoast_graph_with_id_references() -> None:
    img = "https://contoh.go.id/wp-content/uploads/benih.jpg"
    page = f"""<html><head><title>Benih Padi - Diskominfo</title>
    <meta property="og:title" content="Judul OG - Diskominfo">
    <script type="application/ld+json">{{"@context":"https://schema.org","@graph":[
      {{"@type":"WebPage","@id":"https://contoh.go.id/benih/","name":"Halaman"}},
      {{"@type":["Article","NewsArticle"],"headline":"Benih Padi untuk Empat Puluh Kelompok Tani",
        "datePublished":"2024-12-02T10:15:00+08:00","image":{{"@id":"#img"}},
        "author":{{"@id":"#p"}},"keywords":["Pertanian","Gowa"]}},
      {{"@type":"ImageObject","@id":"#img","url":"{img}"}},
      {{"@type":"Person","@id":"#p","name":"Humas Setda"}}]}}</script></head>
    <body><nav>Beranda Profil</nav><article><h1>Benih Padi</h1>
    {''.join(f'<p>{p}</p>' for p in PARAS)}</article><footer>Hak cipta 2024</footer></body></html>"""
    ex = extract_article(page.encode(), "https://contoh.go.id/benih/", _source())
    assert ex.title == "Benih Padi untuk Empat Puluh Kelompok Tani" and ex.title_from == "jsonld"
    assert ex.published_raw == "2024-12-02T10:15:00+08:00" and ex.date_from == "jsonld"
    assert ex.image == img and ex.image_from == "jsonld"
    assert ex.authors == ("Humas Setda",)
    assert ex.categories == ("Pertanian", "Gowa")
    text = plain_text(ex.content_html)
    assert all(p in text for p in PARAS)
    assert "Beranda Profil" not in text and "Hak cipta" not in text


def test_open_graph_only_with_naive_time_uses_source_zone() -> None:
    page = f"""<html><head><meta property="og:site_name" content="Portal Kota">
    <meta property="og:title" content="Jembatan Baru Dibuka | Portal Kota">
    <meta property="article:published_time" content="2024-12-02T10:15:00">
    <meta property="og:image" content="/img/jembatan.jpg"></head>
    <body><div class="konten">{''.join(f'<p>{p}</p>' for p in PARAS)}</div>
    <ul class="share-buttons"><li>Sebarkan lewat Facebook</li></ul></body></html>"""
    src = _source("Asia/Jayapura")
    ex = extract_article(page, "https://kota.go.id/news/jembatan", src)
    assert ex.title == "Jembatan Baru Dibuka"
    assert ex.image == "https://kota.go.id/img/jembatan.jpg"
    item = normalize(ex.to_raw_entry("sitemap"), src, seen_at=datetime(2025, 1, 1, tzinfo=WITA))
    assert item.published == datetime(2024, 12, 2, 10, 15, tzinfo=timezone(timedelta(hours=9)))
    assert item.published.utcoffset() == timedelta(hours=9)
    assert item.via == "sitemap" and not item.date_estimated
    assert item.image == "https://kota.go.id/img/jembatan.jpg"


def test_indonesian_text_date_and_configured_selectors() -> None:
    page = f"""<html><body><div class="menu">Beranda | Profil</div>
    <div class="kanan"><span class="tgl">Kamis, 28 November 2024 | 08:00 WITA</span></div>
    <h1 class="judul">Vaksinasi Campak di Sekolah Dasar</h1>
    <div class="info"><span class="tanggal">Senin, 2 Desember 2024 | 10:15 WITA</span></div>
    <div class="foto"><img src="/gambar/logo-kecil.png" width="40">
    <img data-src="/upload/vaksin.jpg" src="data:,"></div>
    <div class="isi">{''.join(f'<p>{p}</p>' for p in PARAS)}<div class="bagikan">Bagikan ke WhatsApp</div>
    <a href="/lain">tautan relatif</a></div></body></html>"""
    src = _source()
    sel = {"title": "h1.judul", "date": "span.tanggal", "body": "div.isi", "image": "div.foto img"}
    ex = extract_article(page, "https://gowa.go.id/berita/1.html", src, selectors=sel)
    assert ex.date_from == "selector" and ex.published_raw == "2024-12-02T10:15:00+08:00"
    assert ex.body_from == "selector"
    assert "Bagikan" not in ex.content_html
    assert 'href="https://gowa.go.id/lain"' in ex.content_html
    # Without selectors: the date text is still found (the dated element, not the sidebar).
    auto = extract_article(page, "https://gowa.go.id/berita/1.html", src)
    assert auto.published_raw == "2024-12-02T10:15:00+08:00"
    assert auto.title == "Vaksinasi Campak di Sekolah Dasar"
    assert auto.image == "https://gowa.go.id/upload/vaksin.jpg"  # logo skipped, lazy src used


def test_time_datetime_and_charset_from_headers() -> None:
    body = ("<html><body><article><h2>Pasar Murah Digelar</h2>"
            "<time datetime='2024-12-02T03:15:00+00:00'>2 Des</time>"
            "<p>Warga antusias membeli beras dan minyak goreng dengan harga terjangkau di halaman "
            "kantor kecamatan sejak pagi hari.</p><p>Kegiatan ini digelar bersama Bulog dan "
            "dinas perdagangan untuk menekan inflasi menjelang akhir tahun.</p>"
            "<p>Caf\xe9 rakyat ikut membuka lapak.</p></article></body></html>").encode("latin-1")
    ex = extract_article(body, "https://contoh.go.id/pasar", _source(),
                         headers={"content-type": "text/html; charset=ISO-8859-1"})
    assert ex.published_raw == "2024-12-02T03:15:00+00:00" and ex.date_from == "time"
    assert "Café rakyat" in plain_text(ex.content_html)


def test_broken_json_ld_and_empty_pages_never_raise() -> None:
    ex = extract_article(b'<html><head><script type="application/ld+json">{not json</script>'
                         b"</head><body></body></html>", "https://contoh.go.id/x", _source())
    assert ex.empty
    assert extract_article(b"", "https://contoh.go.id/y", _source()).empty


def test_listing_links_are_absolute_unique_and_in_order() -> None:
    page = ('<base href="https://contoh.go.id/berita/"><h2 class="judul"><a href="satu.html">1</a></h2>'
            '<h2 class="judul"><a href="/berita/dua.html#komentar">2</a></h2>'
            '<h2 class="judul"><a href="satu.html">1 lagi</a></h2><h2 class="judul">tanpa tautan</h2>')
    assert links(page, "https://contoh.go.id/berita/", "h2.judul") == [
        "https://contoh.go.id/berita/satu.html", "https://contoh.go.id/berita/dua.html"]
