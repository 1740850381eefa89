"""Lead image choice and junk detection (pure functions) and the picture markup."""

from __future__ import annotations

from datetime import UTC, datetime

from warta.clean.leadimage import image_url, is_junk_url, pick_lead_image, size_hint
from warta.clean.normalize import normalize
from warta.core.records import ImageVariant, MediaRef, RawEntry, ServedImage, Source
from warta.images.template import ImageIndex, picture_html

SRC = Source(id="uji", name="Humas Uji", kind="pemkab", homepage="https://contoh.go.id",
             feeds=(), region="33.01")


def test_media_content_beats_thumbnail_and_small_or_junk_media_is_skipped():
    media = (
        MediaRef("https://contoh.go.id/logo.png", type="image/png"),
        MediaRef("https://contoh.go.id/thumb-150x150.jpg", role="thumbnail"),
        MediaRef("https://contoh.go.id/foto/rapat.jpg", type="image/jpeg", width=1600, height=1200),
        MediaRef("https://contoh.go.id/berkas.pdf", type="application/pdf", role="enclosure"),
    )
    assert pick_lead_image(media, "") == "https://contoh.go.id/foto/rapat.jpg"
    assert pick_lead_image(media[:2], "") is None  # a logo and a 150 px thumbnail: nothing
    bigger = (MediaRef("https://contoh.go.id/a.jpg", width=400, height=300),
              MediaRef("https://contoh.go.id/b.jpg", width=1200, height=800))
    assert pick_lead_image(bigger, "") == "https://contoh.go.id/b.jpg"
    enclosure = (MediaRef("https://contoh.go.id/dok/foto.JPG", role="enclosure"),)
    assert pick_lead_image(enclosure, "") == "https://contoh.go.id/dok/foto.JPG"


def test_first_meaningful_img_in_content():
    html = ('<p><img src="https://stats.wp.com/g.gif?x=1"> '
            '<img src="https://contoh.go.id/pixel.gif" width="1" height="1">'
            '<img src="https://contoh.go.id/wp-content/themes/x/icon-share.png">'
            '<img src="https://secure.gravatar.com/avatar/abc?s=96">'
            '<img src="https://contoh.go.id/uploads/foto-kecil-100x75.jpg">'
            '<img src="/wp-content/uploads/2026/11/jembatan.jpg" alt="Jembatan"></p>')
    assert pick_lead_image((), html, "https://contoh.go.id/berita/jembatan/") == \
        "https://contoh.go.id/wp-content/uploads/2026/11/jembatan.jpg"


def test_junk_patterns_and_size_hints():
    assert is_junk_url("https://contoh.go.id/wp-content/uploads/logo-pemkab.png")
    assert is_junk_url("https://contoh.go.id/images/favicon.ico")
    assert is_junk_url("https://www.facebook.com/tr?id=1&ev=PageView")
    assert is_junk_url("https://contoh.go.id/s/emoji/1f600.svg")
    assert not is_junk_url("https://contoh.go.id/wp-content/uploads/2026/11/upacara-hari-pahlawan.jpg")
    assert not is_junk_url("https://contoh.go.id/uploads/downloads/foto.jpg")
    assert size_hint("https://contoh.go.id/a-300x200.jpg") == (300, 200)
    assert size_hint("https://contoh.go.id/a.jpg", 10, None) == (10, None)


def test_image_url_cleaning():
    assert image_url("javascript:alert(1)") is None
    assert image_url("data:image/png;base64,AAAA") is None
    assert image_url("foto.jpg", "https://contoh.go.id/berita/") == "https://contoh.go.id/berita/foto.jpg"
    assert image_url("https://contoh.go.id/a b.jpg") is None
    assert image_url("file:../images/a.jpg") == "file:../images/a.jpg"


def test_normalize_uses_the_picker():
    entry = RawEntry(guid="1", link="https://contoh.go.id/b/1/", title="Judul",
                     content_html='<p><img src="https://contoh.go.id/pixel.gif" width="1" height="1">'
                                  '<img src="https://contoh.go.id/foto/panen.jpg"></p>',
                     summary_html="")
    item = normalize(entry, SRC, seen_at=datetime(2026, 11, 23, tzinfo=UTC))
    assert item.image == "https://contoh.go.id/foto/panen.jpg"


def _served(placeholder: bool = False) -> ServedImage:
    variants = tuple(ImageVariant(w, w * 3 // 4, f"ab/k/d-{w}.webp", f"ab/k/d-{w}.jpg")
                     for w in (320, 640, 1024))
    return ServedImage(variants=variants, social="ab/k/d-social.jpg", width=2000, height=1500,
                       placeholder=placeholder)


def test_picture_markup_contract():
    index = ImageIndex(media_url="/media", site_url="https://warta.id",
                       images={"https://contoh.go.id/f.jpg": _served()},
                       placeholders={"uji": _served(placeholder=True)})
    html = str(picture_html("https://contoh.go.id/f.jpg", 'Bupati "meninjau"', sizes="50vw",
                            css_class="kartu", index=index))
    assert html.startswith("<picture><source type=\"image/webp\" srcset=\"/media/ab/k/d-320.webp 320w, "
                           "/media/ab/k/d-640.webp 640w, /media/ab/k/d-1024.webp 1024w\" sizes=\"50vw\">")
    assert 'src="/media/ab/k/d-640.jpg"' in html and "d-1024.jpg 1024w" in html
    assert 'width="1024" height="768"' in html and 'loading="lazy"' in html
    assert 'alt="Bupati &#34;meninjau&#34;"' in html and 'class="kartu"' in html
    assert "contoh.go.id" not in html
    eager = str(picture_html("https://contoh.go.id/f.jpg", "", eager=True, index=index))
    assert 'loading="eager" fetchpriority="high"' in eager
    ph = str(picture_html(None, "Judul", index=index, source=SRC))
    assert "warta-placeholder" in ph and 'alt=""' in ph
    assert str(picture_html(None, "x", index=index)) == ""
    # Without an index (images disabled) the foundation behaviour remains.
    plain = str(picture_html("https://contoh.go.id/f.jpg", "x"))
    assert plain.startswith('<img src="https://contoh.go.id/f.jpg"') and 'loading="lazy"' in plain
    assert str(picture_html("javascript:x", "x")) == ""
