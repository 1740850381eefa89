"""The built hub as HTML: every page Indonesian, no broken internal link, the pages the issue names."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.support.site import HOSTILE_TITLE, PageParser, article_path, html_pages, page

DEV_SITEURL = "http://127.0.0.1:8000"


def _internal_target(output: Path, href: str) -> Path | None:
    if href.startswith(DEV_SITEURL):
        href = href[len(DEV_SITEURL):] or "/"
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return page(output, unquote(parts.path))


def test_every_page_is_indonesian_and_has_one_h1(built_site):
    pages = html_pages(built_site.output)
    assert len(pages) > 600  # every province and regency/city has a page
    for p in pages:
        text = p.read_text(encoding="utf-8")
        parsed = PageParser(text)
        assert parsed.lang == "id", p
        assert len(re.findall(r"<h1[ >]", text)) == 1, p


def test_no_broken_internal_link(built_site):
    out = built_site.output
    broken = []
    for p in html_pages(out):
        parsed = PageParser(p.read_text(encoding="utf-8"))
        for _tag, href, _attrs in parsed.links:
            if href.startswith("#"):
                assert href[1:] in parsed.ids, (p, href)
                continue
            target = _internal_target(out, href)
            if target is not None and not target.is_file():
                broken.append((str(p.relative_to(out)), href))
    assert broken == []


def test_no_third_party_requests(built_site):
    """Scripts, styles and icons all come from the site (images may be the source's, for now)."""
    for p in html_pages(built_site.output):
        for tag, href, attrs in PageParser(p.read_text(encoding="utf-8")).links:
            if tag == "script" or (tag == "link" and attrs.get("rel") in ("stylesheet", "icon")):
                assert _internal_target(built_site.output, href) is not None, (p, href)
        assert "<script src" not in p.read_text(encoding="utf-8")


def test_region_pages_for_province_and_regency(built_site):
    out = built_site.output
    province = page(out, "/wilayah/33/").read_text(encoding="utf-8")
    regency = page(out, "/wilayah/33.01/").read_text(encoding="utf-8")
    assert "<h1>Jawa Tengah</h1>" in province
    # The province lists its regencies/cities and every institution operating in it.
    assert 'href="/wilayah/33.01/">Kabupaten Cilacap</a>' in province
    for sid in ("uji-pemkab-cilacap", "uji-bpn-cilacap", "uji-bumd-jateng"):
        assert f'href="/sumber/{sid}/"' in province
    assert "uji-pemkot-makassar" not in province
    # The regency page: pemda and the vertical agency, not the provincial BUMD.
    assert "<h1>Kabupaten Cilacap</h1>" in regency
    assert 'href="/sumber/uji-pemkab-cilacap/"' in regency
    assert "Instansi vertikal" in regency and 'href="/sumber/uji-bpn-cilacap/"' in regency
    assert 'href="/sumber/uji-bumd-jateng/"' not in regency
    assert "Seribu Sertifikat Tanah Dibagikan" in regency  # the vertical agency's news
    index = page(out, "/wilayah/").read_text(encoding="utf-8")
    assert index.count('href="/wilayah/') >= 38
    assert "Kementerian Kesehatan (Uji)" in index  # national bodies listed apart
    assert page(out, "/wilayah/73.71/").is_file()
    assert "zona waktu WITA" in page(out, "/wilayah/73.71/").read_text(encoding="utf-8")


def _section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    start = html.index(f'<section aria-labelledby="{heading_id}">')
    return html[start:html.index("</section>", start)]


def _state_of(section: str, source_id: str) -> str:
    """The state badge text next to a source's link in a region page section."""
    m = re.search(rf'href="/sumber/{source_id}/">[^<]*</a>(?: <span class="meta">[^<]*</span>)? '
                  r'<span class="keadaan keadaan-(\w+)"><span class="tersembunyi">keadaan: </span>'
                  r'([^<]+)</span>', section)
    assert m is not None, (source_id, section)
    return f"{m.group(1)}:{m.group(2)}"


def test_region_pages_say_who_covers_them_and_in_what_state(built_site):
    from tests.support.site import UNVERIFIED

    out = built_site.output
    regency = page(out, "/wilayah/33.01/").read_text(encoding="utf-8")
    own = _section(regency, "judul-pemda")
    # The regency's own government: the pemkab read fine, the council found on no feed yet.
    assert _state_of(own, "uji-pemkab-cilacap") == "ok:ok"
    assert _state_of(own, UNVERIFIED) == "unverified:belum diverifikasi"
    assert "uji-bpn-cilacap" not in own
    others = _section(regency, "judul-instansi")
    assert _state_of(others, "uji-bpn-cilacap") == "ok:ok"
    assert "belum diverifikasi" in others and "halaman status sumber" in others  # the legend
    # A regency whose only office fails: its pemda says so.
    banyumas = _section(page(out, "/wilayah/33.02/").read_text(encoding="utf-8"), "judul-pemda")
    assert _state_of(banyumas, "pemkab-banyumas") == "error:gagal"
    # The province: its own government apart from the regencies' pemda, which are listed
    # among the other institutions with the regency they belong to.
    province = page(out, "/wilayah/33/").read_text(encoding="utf-8")
    own = _section(province, "judul-pemda")
    assert 'href="/sumber/pemprov-jateng/"' in own and "pemkab-banyumas" not in own
    others = _section(province, "judul-instansi")
    assert _state_of(others, "pemkab-banyumas") == "error:gagal"
    assert _state_of(others, UNVERIFIED) == "unverified:belum diverifikasi"
    # A regency nobody registered says that its government is not in the hub yet.
    empty = _section(page(out, "/wilayah/33.03/").read_text(encoding="utf-8"), "judul-pemda")
    assert "belum terdaftar" in empty and 'href="/bergabung/"' in empty
    # The status page lists the unverified source as such, with why.
    status = page(out, "/status/").read_text(encoding="utf-8")
    row = status[status.index(f'id="sumber-{UNVERIFIED}"'):]
    row = row[:row.index("</tr>")]
    assert "belum diverifikasi" in row and "beranda tidak dapat dibuka" in row


def test_source_pages_and_directory(built_site):
    out = built_site.output
    src = page(out, "/sumber/uji-pemkab-cilacap/").read_text(encoding="utf-8")
    assert '<img src="https://cilacapkab.go.id/logo.png"' in src and 'loading="lazy"' in src
    assert 'href="https://cilacapkab.go.id"' in src
    assert 'href="/jenis/pemkab/">Pemerintah kabupaten</a>' in src
    assert 'href="/wilayah/33.01/">Kabupaten Cilacap, Jawa Tengah</a>' in src
    assert "Pemkab Cilacap Salurkan Bantuan Korban Banjir" in src
    directory = page(out, "/sumber/").read_text(encoding="utf-8")
    for sid in ("uji-pemkab-cilacap", "uji-kemenkes", "pemprov-jateng"):
        assert f'href="/sumber/{sid}/"' in directory
    assert 'href="/sumber/sources.opml"' in directory


def test_kind_category_tag_archive_and_static_pages(built_site):
    out = built_site.output
    kind = page(out, "/jenis/instansi-vertikal/").read_text(encoding="utf-8")
    assert "uji-bpn-cilacap" in kind and "Layanan Loket Pertanahan" in kind
    assert page(out, "/jenis/").is_file()
    hoax = page(out, "/kategori/klarifikasi-hoaks/").read_text(encoding="utf-8")
    assert "<h1>Klarifikasi hoaks</h1>" in hoax and "Tautan Palsu" in hoax
    assert page(out, "/kategori/").is_file() and page(out, "/topik/bencana/").is_file()
    year = f"{built_site.now:%Y}"
    # A year page lists its months with their counts; the reports are on the month pages.
    year_page = page(out, f"/arsip/{year}/").read_text(encoding="utf-8")
    months = re.findall(rf'<a href="/arsip/{year}/(\d\d)/">[^<]+</a> <span class="meta">\((\d+) berita\)',
                        year_page)
    assert months and "/berita/" not in year_page.split("<main", 1)[1]
    for month, count in months:
        month_page = page(out, f"/arsip/{year}/{month}/").read_text(encoding="utf-8")
        assert month_page.count("<li><time") == int(count)
    assert f"<p>{sum(int(c) for _, c in months)} berita.</p>" in year_page
    assert page(out, "/arsip/").is_file()
    for path, words in (("/tentang/", "Tentang Warta"), ("/bergabung/", "Cara humas bergabung"),
                        ("/404.html", "Halaman tidak ditemukan")):
        assert words in page(out, path).read_text(encoding="utf-8")


def test_home_one_entry_per_story_with_blocks(built_site):
    home = page(built_site.output, "/").read_text(encoding="utf-8")
    main = home.split('<main', 1)[1]
    top = main.split('id="judul-terbaru"', 1)[0]
    assert "Sorotan hari ini" in top
    # The three reports of the flood story appear as one entry, noting the others.
    flood_titles = ("Pemkab Cilacap Salurkan Bantuan Korban Banjir", "Kantah Cilacap Bantu Data Lahan",
                    "Bank Jateng Salurkan CSR untuk Korban Banjir")
    assert sum(top.count(t) for t in flood_titles) == 1
    assert "Juga diberitakan oleh 2 instansi lain" in top
    for label in ("Pemerintah provinsi", "Pemerintah kabupaten/kota", "Kementerian dan lembaga",
                  "BUMN dan BUMD", "Klarifikasi hoaks terbaru"):
        assert f">{label}</h2>" in main
    assert "&lt;/script&gt;&lt;script&gt;" in home
    assert HOSTILE_TITLE not in home


def test_listing_pages_link_their_feeds(built_site):
    out = built_site.output
    for path, feed in (("/", "semua"), ("/wilayah/33/", "wilayah/33"),
                       ("/sumber/uji-kemenkes/", "sumber/uji-kemenkes"),
                       ("/kategori/klarifikasi-hoaks/", "kategori/klarifikasi-hoaks"),
                       ("/jenis/bumd/", "jenis/bumd")):
        parsed = PageParser(page(out, path).read_text(encoding="utf-8"))
        alternates = {a.get("type"): href for tag, href, a in parsed.links
                      if tag == "link" and a.get("rel") == "alternate"}
        for mime, ext in (("application/atom+xml", "atom.xml"), ("application/rss+xml", "rss.xml")):
            assert alternates[mime] == f"{DEV_SITEURL}/feeds/{feed}.{ext}", path
            assert (out / "feeds" / f"{feed}.{ext}").is_file()


def test_images_are_lazy(built_site):
    for p in html_pages(built_site.output):
        for tag, _src, attrs in PageParser(p.read_text(encoding="utf-8")).links:
            if tag == "img":
                assert attrs.get("loading") == "lazy", p
                assert attrs.get("alt") is not None, p


def test_article_body_images_get_lazy_loading(built_site):
    text = article_path(built_site.output, built_site.ids["uji-pemkab-cilacap/banjir"]).read_text(
        encoding="utf-8")
    body = text.split('<div class="isi">', 1)[1].split("</div>", 1)[0]
    imgs = [a for tag, _src, a in PageParser(body).links if tag == "img"]
    assert [(a["src"], a["loading"]) for a in imgs] == [
        ("https://cilacapkab.go.id/foto/kegiatan.jpg", "lazy")]
    # The lead image is the body's first image: shown once, not twice.
    assert len(re.findall(r"<img[^>]*kegiatan\.jpg", text)) == 1
