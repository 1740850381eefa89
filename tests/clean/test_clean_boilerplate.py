"""Boilerplate out (rules in data, extensible per source); paragraphs kept intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from warta.clean.normalize import normalize
from warta.clean.rules import DATA_DIR, RulesError, load_rules

from tests.support.items import SEEN, entry, source

NEWS = ("Pemerintah Kabupaten Uji menyalurkan bantuan bibit padi kepada dua ratus kelompok tani "
        "di tujuh kecamatan.")
QUOTE = "“Bibit ini harus ditanam sebelum musim hujan berakhir,” kata Kepala Dinas Pertanian."


def clean(body: str, **kw: object) -> str:
    return normalize(entry(body), source(**kw), seen_at=SEEN).content_html


def test_ad_markers_glued_and_alone() -> None:
    html = clean(f"<p>waktu baca 2 menitADVERTISEMENT</p><p>{NEWS}</p><p>ADVERTISEMENT</p>"
                 f"<p>Iklan</p><p>{QUOTE}</p><div class='adsbygoogle'>promo</div>")
    assert "ADVERTISEMENT" not in html and "Iklan" not in html and "promo" not in html
    assert "waktu baca" not in html
    assert NEWS in html and "Bibit ini harus ditanam" in html


def test_sentence_mentioning_iklan_stays() -> None:
    text = "Pemkab melarang pemasangan iklan rokok di sekitar sekolah mulai tahun depan."
    assert text in clean(f"<p>{text}</p>")


@pytest.mark.parametrize("caption", [
    "WhatsApp Image 2024-12-20 at 09.41.07.jpeg 1.6 MB",
    "WhatsApp Image 2024-12-20 at 09.41.07 (1).jpeg",
    "IMG_20241220_094107.jpg (842 KB)",
    "Undangan Rapat Koordinasi.pdf 230 KB",
])
def test_attachment_captions(caption: str) -> None:
    html = clean(f"<p>{NEWS}</p><p>{caption}</p><p>{QUOTE}</p>")
    assert caption.split(".")[0] not in html
    assert NEWS in html


def test_attachment_caption_next_to_image_keeps_image() -> None:
    html = clean('<p><img src="/wp-content/uploads/2024/12/rapat.jpg" alt="Rapat">'
                 "WhatsApp Image 2024-12-20 at 09.41.07.jpeg 1.6 MB</p>" f"<p>{NEWS}</p>")
    assert 'src="https://uji.go.id/wp-content/uploads/2024/12/rapat.jpg"' in html
    assert "WhatsApp" not in html


def test_plain_text_body_with_newlines() -> None:
    body = (f"Uji – {NEWS}\n\n{QUOTE}\nWhatsApp Image 2024-12-20 at 09.41.07.jpeg 1.6 MB\n\n"
            "Penulis : Rin, Humas Uji\n\nEditor : Dwi\n\n\nBerita Terkait\n")
    item = normalize(entry(body), source(), seen_at=SEEN)
    assert item.content_html == f"<p>Uji – {NEWS}</p><p>{QUOTE}</p>"
    assert item.credits == {"penulis": "Rin, Humas Uji", "editor": "Dwi"}


def test_share_follow_blocks() -> None:
    html = clean(
        f"<p>{NEWS}</p><div class='sharedaddy sd-sharing-enabled'><h3>Bagikan ini:</h3>"
        "<ul><li><a href='https://facebook.com/sharer'>Facebook</a></li></ul></div>"
        "<p>Bagikan: Facebook Twitter WhatsApp</p>"
        "<p>Share this: Facebook, X, Telegram</p>"
        "<p>Ikuti kami di Instagram dan YouTube @pemkabuji</p>"
        "<p>Facebook | Twitter | WhatsApp | Email</p><p>Suka ini:</p><p>Memuat...</p>"
        f"<p>{QUOTE}</p>")
    assert NEWS in html and "Bibit ini" in html
    for junk in ("Bagikan", "Share", "Ikuti", "Facebook", "Twitter", "Suka", "Memuat", "sharer"):
        assert junk not in html


def test_baca_juga_inline_and_related_block_with_list() -> None:
    html = clean(
        f"<p>{NEWS}</p>"
        "<p><strong>Baca juga:</strong> <a href='/berita/lain/'>Bupati Resmikan Pasar Baru</a></p>"
        f"<p>{QUOTE}</p>"
        "<h3>Berita Terkait</h3><ul><li><a href='/a'>Satu</a></li><li><a href='/b'>Dua</a></li></ul>"
        "<p><a href='/c'>Tiga</a></p>"
        "<p>Kegiatan ditutup dengan penanaman bibit bersama warga.</p>")
    assert "Baca juga" not in html and "Pasar Baru" not in html
    assert "Berita Terkait" not in html and "Satu" not in html and "Tiga" not in html
    assert "penanaman bibit bersama warga" in html  # a real paragraph after the list stays


def test_empty_paragraphs_and_stray_dots_removed() -> None:
    html = clean(f"<p>&nbsp;</p><p>{NEWS}</p><p> </p><p>..</p><p>•</p><div><span></span></div>"
                 f"<p><strong></strong></p><p>{QUOTE}</p><p>&#8203;</p>")
    assert html == f"<p>{NEWS}</p><p>{QUOTE}</p>"


def test_br_separated_lines_become_paragraphs() -> None:
    html = clean(f"<div>{NEWS}<br><br>{QUOTE}<br>ADVERTISEMENT<br></div>")
    assert html == f"<div><p>{NEWS}</p><p>{QUOTE}</p></div>"


def test_tracking_pixels_and_feedburner_links() -> None:
    html = clean(
        f"<p>{NEWS}<img src='https://stats.wordpress.com/b.gif?host=uji' alt=''>"
        "<img src='https://uji.go.id/counter.gif' width='1' height='1'>"
        "<img src='https://uji.go.id/hidden.gif' style='display:none'></p>"
        "<p><a href='https://feeds.feedburner.com/~ff/uji?a=x'><img src='https://feeds.feedburner.com/~ff/uji?d=y'></a></p>"
        "<img src='https://www.facebook.com/tr?id=1&ev=PageView'>"
        "<p><img src='https://uji.go.id/foto/bibit.jpg' width='800' height='533' alt='Bibit'></p>")
    assert "stats.wordpress" not in html and "counter.gif" not in html and "hidden.gif" not in html
    assert "feedburner" not in html and "facebook.com/tr" not in html
    assert 'src="https://uji.go.id/foto/bibit.jpg"' in html and 'width="800"' in html


def test_wordpress_summary_tail() -> None:
    html = clean(f"<p>{NEWS} […]</p><p>The post Bantuan Bibit appeared first on Pemkab Uji.</p>")
    assert html == f"<p>{NEWS} </p>"


def _rules_dir(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("credits.yml", "categories.yml"):
        (folder / name).write_text((DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    base = (DATA_DIR / "boilerplate.yml").read_text(encoding="utf-8")
    (folder / "boilerplate.yml").write_text(base.replace("sources: {}", extra), encoding="utf-8")
    return folder


def test_per_source_rules_extend_global(tmp_path: Path) -> None:
    rules = load_rules(_rules_dir(tmp_path, """sources:
  pemkab-kutai:
    cut_from: ['#Catatan Kaki']
    drop_blocks: ['Dibaca \\d+ kali oleh warga']
"""))
    body = (f"<p>{NEWS}</p><p>Dibaca 120 kali oleh warga</p><p>ADVERTISEMENT</p><p>{QUOTE}</p>"
            "<p>#Catatan Kaki</p><p>Kabupaten Kutai adalah kabupaten yang luas.</p>")
    own = normalize(entry(body), source("pemkab-kutai"), seen_at=SEEN, rules=rules).content_html
    other = normalize(entry(body), source("pemkab-lain"), seen_at=SEEN, rules=rules).content_html
    assert own == f"<p>{NEWS}</p><p>{QUOTE}</p>"
    assert "Catatan Kaki" in other and "Dibaca 120" in other  # other sources unaffected
    assert "ADVERTISEMENT" not in other  # global rules still apply


def test_cut_from_never_removes_the_whole_article(tmp_path: Path) -> None:
    rules = load_rules(_rules_dir(tmp_path, "sources:\n  pemkab-uji:\n    cut_from: ['.*']\n"))
    html = normalize(entry(f"<p>{NEWS}</p><p>{QUOTE}</p>"), source(), seen_at=SEEN,
                     rules=rules).content_html
    assert html == f"<p>{NEWS}</p>"


@pytest.mark.parametrize(("extra", "where", "reason"), [
    ("sources:\n  pemkab-uji:\n    drop_blocks: ['(iklan']\n", "sources.pemkab-uji.drop_blocks[0]",
     "tidak sah"),
    ("sources:\n  pemkab-uji:\n    hapus: ['x']\n", "sources.pemkab-uji.hapus", "tidak dikenal"),
    ("sources:\n  Pemkab Uji:\n    drop_blocks: ['x']\n", "sources.Pemkab Uji", "huruf kecil"),
    ("sources:\n  pemkab-uji:\n    drop_selectors: ['div[[']\n",
     "sources.pemkab-uji.drop_selectors[0]", "CSS selector"),
    ("sources:\n  pemkab-uji:\n    drop_blocks: 5\n", "sources.pemkab-uji.drop_blocks", "daftar teks"),
    ("sources: [\n", "baris", "YAML tidak sah"),
])
def test_rule_mistakes_are_reported_in_indonesian(tmp_path: Path, extra: str, where: str,
                                                  reason: str) -> None:
    with pytest.raises(RulesError) as err:
        load_rules(_rules_dir(tmp_path, extra))
    message = str(err.value)
    assert message.startswith("boilerplate.yml: ")
    assert where in message and reason in message


def test_shipped_rules_load() -> None:
    rules = load_rules()
    assert rules.boilerplate.drop_blocks and rules.credits.labels["penulis"] == "penulis"
    assert "klarifikasi-hoaks" in rules.categories.ids and rules.categories.fallback == "umum"
