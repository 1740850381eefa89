"""Facts out of the text: credits, dateline place, summary, title, category, hoax."""

from __future__ import annotations

import pytest
from warta.clean.normalize import normalize
from warta.clean.summary import summarize
from warta.clean.text import clean_title

from tests.support.items import SEEN, entry, source

LEAD = ("Pemerintah Provinsi menggelar rapat koordinasi kehumasan bersama perangkat daerah untuk "
        "menyamakan langkah penyebaran informasi publik menjelang akhir tahun anggaran.")


def item(body: str, **kw: object):
    return normalize(entry(body, **kw), source(), seen_at=SEEN)


# --- credits -------------------------------------------------------------------------------

def test_credit_lines_at_the_end() -> None:
    it = item(f"<p>SEMARANG – {LEAD}</p><p>&nbsp;</p><p>Penulis : Ar, Humas Jateng</p>"
              "<p>Editor : Ul, Diskominfo Jateng</p><p>&nbsp;</p><p>Berita Terkait</p>")
    assert it.credits == {"penulis": "Ar, Humas Jateng", "editor": "Ul, Diskominfo Jateng"}
    assert it.content_html == f"<p>SEMARANG – {LEAD}</p>"


def test_credits_on_one_line_with_separators_and_bold_labels() -> None:
    it = item(f"<p>{LEAD}</p><p><strong>Reporter:</strong> Sinta | <strong>Editor:</strong> Bayu"
              " | Foto: Humas Pemkab</p>")
    assert it.credits == {"penulis": "Sinta", "editor": "Bayu", "foto": "Humas Pemkab"}
    assert "Sinta" not in it.content_html


def test_credits_in_br_lines() -> None:
    it = item(f"<p>{LEAD}<br>Pewarta: Dimas<br>Redaktur: Lestari</p>")
    assert it.credits == {"penulis": "Dimas", "editor": "Lestari"}
    assert it.content_html == f"<p>{LEAD}</p>"


def test_trailing_code_after_last_sentence() -> None:
    it = item(f"<p>{LEAD}</p><p>Kegiatan serupa akan digelar di kabupaten lain. (ags/HUMAS UJI)</p>")
    assert it.credits == {"kode": "ags/HUMAS UJI"}
    assert it.content_html.endswith("digelar di kabupaten lain.</p>")


def test_code_as_its_own_paragraph() -> None:
    it = item(f"<p>{LEAD}</p><p>(AI)</p>")
    assert it.credits == {"kode": "AI"}
    assert "(AI)" not in it.content_html


def test_abbreviation_in_brackets_is_not_a_code() -> None:
    it = item(f"<p>{LEAD}</p><p>Acara digelar di Kota Mataram, Nusa Tenggara Barat (NTB)</p>")
    assert it.credits == {}
    assert "(NTB)" in it.content_html


def test_photo_credit_in_caption_and_long_photo_caption_kept() -> None:
    it = item("<figure><img src='https://uji.go.id/a.jpg'><figcaption>Rapat koordinasi kehumasan, "
              "Kamis (26/12). (Foto: Pemkab Uji)</figcaption></figure>"
              f"<p>{LEAD}</p><p>Foto: Bupati Uji menyerahkan bibit kepada ketua kelompok tani di "
              "halaman kantor kecamatan setelah apel pagi bersama seluruh jajaran dinas.</p>")
    assert it.credits == {"foto": "Pemkab Uji"}
    assert "(Foto: Pemkab Uji)" not in it.content_html
    assert "Rapat koordinasi kehumasan" in it.content_html
    assert "Bupati Uji menyerahkan bibit" in it.content_html  # a caption, not a credit


def test_credit_values_are_plain_text() -> None:
    it = item(f"<p>{LEAD}</p><p>Penulis : <b>Rin</b> &lt;img src=x onerror=alert(1)&gt;</p>")
    assert it.credits["penulis"] == "Rin"  # the escaped tag was markup, not a name


# --- dateline ------------------------------------------------------------------------------

@pytest.mark.parametrize(("opening", "place"), [
    ("SEMARANG –", "Semarang"), ("Cilacap -", "Cilacap"), ("MATARAM -", "Mataram"),
    ("KOTA BATU –", "Kota Batu"), ("BANDA ACEH—", "Banda Aceh"), ("JAKARTA (ANTARA) -", "Jakarta"),
    ("Jayapura, InfoPublik –", "Jayapura"), ("<strong>DENPASAR</strong> –", "Denpasar"),
])
def test_dateline_place(opening: str, place: str | None) -> None:
    it = item(f"<p>{opening} {LEAD}</p>")
    assert it.place == place
    assert opening.split("<")[0] in it.content_html or "DENPASAR" in it.content_html  # kept


def test_dateline_after_photo_caption() -> None:
    it = item("<p>Suasana rapat koordinasi di ruang rapat bupati.</p>"
              f"<p>Cilacap – {LEAD}</p>")
    assert it.place == "Cilacap"


@pytest.mark.parametrize(("opening", "place"), [
    ("REPUBLIKA.CO.ID, JAKARTA --", "Jakarta"), ("REPUBLIKA.CO.ID,&nbsp;MAKASSAR --", "Makassar"),
    ("TEMPO.CO, Jakarta -", "Jakarta"), ("ANTARANEWS.COM, KOTA BATU –", "Kota Batu"),
])
def test_dateline_after_a_media_name(opening: str, place: str) -> None:
    it = item(f"<p>{opening} {LEAD}</p>")
    assert it.place == place
    assert opening.split(",")[0] in it.content_html  # the sentence is kept as written


def test_media_name_alone_is_not_a_place() -> None:
    assert item(f"<p>REPUBLIKA.CO.ID -- {LEAD}</p>").place is None


def test_photo_caption_with_credit_is_not_a_dateline() -> None:
    caption = "<p>Liga Champions - PSG Vs Real Madrid (Bola.com/Adreanus Titus)</p>"
    assert item(caption).place is None
    assert item(f"{caption}<p>Paris - {LEAD}</p>").place == "Paris"


@pytest.mark.parametrize("text", [LEAD, f"Foto – {LEAD}", f"Dalam rapat itu – {LEAD}"])
def test_no_dateline(text: str) -> None:
    assert item(f"<p>{text}</p>").place is None


# --- summary -------------------------------------------------------------------------------

SENTENCES = ("Pemerintah Kabupaten Uji meresmikan jembatan gantung di Desa Sukamaju pada Selasa pagi. "
             "Jembatan sepanjang delapan puluh meter itu menghubungkan dua dusun yang selama ini "
             "terpisah sungai. Drs. H. Ahmad Fauzi, M.M. selaku kepala dinas menyebut pembangunan "
             "memakan waktu empat bulan. Warga menyambut peresmian dengan kirab hasil bumi. "
             "Bupati berharap jembatan dirawat bersama.")


def test_summary_ends_at_sentence_in_window() -> None:
    s = summarize(SENTENCES)
    assert 200 <= len(s) <= 300
    assert s.endswith("empat bulan.")
    assert SENTENCES.startswith(s)


def test_summary_never_ends_at_an_abbreviation() -> None:
    text = ("Kegiatan dibuka oleh kepala dinas bersama camat dan para kepala desa dari seluruh "
            "wilayah kecamatan yang hadir lengkap sejak pagi di pendopo kabupaten yang baru saja "
            "selesai direnovasi tahun lalu dan kini dipakai lagi untuk acara resmi pemerintah "
            "daerah bersama Drs. H. M. Yusuf yang memberi sambutan panjang tentang pentingnya "
            "gotong royong warga desa dalam menjaga fasilitas umum agar tetap awet dan bermanfaat")
    s = summarize(text)
    assert 200 <= len(s) <= 300 and s.endswith("…")
    assert not s.endswith(("Drs.", "H.", "M."))
    assert text.startswith(s[:-1].rstrip())  # cut at a word boundary
    assert text[len(s[:-1].rstrip())] == " "


def test_summary_without_spaces_and_short_text() -> None:
    assert summarize("a" * 500) == "a" * 299 + "…"
    assert summarize("Singkat saja.") == "Singkat saja."


def test_item_summary_is_plain_and_bounded() -> None:
    body = "".join(f"<p><b>{s}</b> <a href='/x'>tautan</a></p>" for s in SENTENCES.split(". "))
    it = item(body)
    assert 200 <= len(it.summary) <= 300
    assert "<" not in it.summary and "tautan" in it.summary


# --- titles --------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("  Bupati&nbsp;Tinjau\n\tJembatan  ", "Bupati Tinjau Jembatan"),
    ("Harga Cabai &amp;amp; Bawang Turun", "Harga Cabai & Bawang Turun"),
    ("<b>Rakor</b> <i>Kehumasan</i> 2024", "Rakor Kehumasan 2024"),
    ("Tarif &#8220;Nol Rupiah&#8221; untuk Lansia", "Tarif “Nol Rupiah” untuk Lansia"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;Judul", "Judul"),
    ("Nilai Ujian &lt; 60 Wajib Remedial", "Nilai Ujian < 60 Wajib Remedial"),
    ("Judul\x00dengan\x1fkontrol", "Juduldengankontrol"),
])
def test_titles(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_missing_title_from_text() -> None:
    it = item(f"<p>{LEAD}</p>", title="  ")
    assert 0 < len(it.title) <= 90 and LEAD.startswith(it.title.rstrip("…").strip())


# --- category ------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "body", "cats", "expected"), [
    ("Dinkes Gelar Imunisasi Serentak di 40 Puskesmas",
     "Petugas puskesmas menyasar balita dan ibu hamil.", (), "kesehatan"),
    ("Sekolah Negeri Terima Siswa Baru Lewat Jalur Zonasi", "Para guru menyiapkan kurikulum.", (),
     "pendidikan"),
    ("Perbaikan Ruas Jalan dan Jembatan Rampung Sebelum Lebaran", "Dinas PUPR mengerjakan drainase.",
     (), "infrastruktur"),
    ("Festival Budaya Kota Tua Tarik Ribuan Wisatawan", "Tari tradisional dan kuliner khas.", (),
     "pariwisata-budaya"),
    ("Operasi Pasar Tekan Inflasi Harga Beras", "Pedagang dan UMKM dilibatkan.", (), "ekonomi"),
    ("Banjir Rendam Tiga Desa, BPBD Dirikan Posko", "Warga dievakuasi.", (), "kebencanaan"),
    ("Satpol PP Tertibkan Reklame Liar", "Penegakan peraturan daerah dan ketertiban umum.", (),
     "hukum-keamanan"),
    ("Bank Sampah Warga Kurangi Sampah Plastik", "Pengelolaan limbah rumah tangga.", (),
     "lingkungan"),
    ("Penyaluran Bansos PKH Tahap Akhir", "Keluarga penerima manfaat menerima bantuan sosial.", (),
     "sosial"),
    ("Bupati Lantik 120 Pejabat Fungsional", "Pelantikan ASN dan reformasi birokrasi.", (),
     "pemerintahan"),
    ("Kunjungan Kerja ke Desa", "Bupati berdialog dengan warga.", ("Kesehatan",), "kesehatan"),
    ("Silaturahmi Akhir Pekan", "Acara berlangsung meriah.", (), "umum"),
])
def test_category(title: str, body: str, cats: tuple[str, ...], expected: str) -> None:
    it = item(f"<p>{body}</p>", title=title, categories=cats)
    assert it.category == expected


@pytest.mark.parametrize(("title", "body", "cats"), [
    ("[HOAKS] Pesan Berantai Pendaftaran CPNS Lewat WhatsApp", "Isi pesan.", ()),
    ("[DISINFORMASI] Video Banjir Bandang di Kota Uji", "Video lama.", ()),
    ("Pemkab Pastikan Kabar Penutupan Pasar Induk Tidak Benar", "Pasar tetap buka.", ()),
    ("Klarifikasi Dinas Kesehatan soal Vaksin Kedaluwarsa", "Vaksin aman.", ()),
    ("Waspada Pesan Berantai Bantuan Tunai", "Beredar pesan yang mengatasnamakan bupati. Informasi "
     "tersebut tidak benar dan pemkab tidak pernah menerbitkan bantuan semacam itu.", ()),
    ("Beredar Surat Edaran Libur Sekolah", "Isi surat.", ("Hoaks",)),
])
def test_hoax_clarifications(title: str, body: str, cats: tuple[str, ...]) -> None:
    assert item(f"<p>{body}</p>", title=title, categories=cats).category == "klarifikasi-hoaks"


def test_mentioning_hoaxes_once_is_not_a_clarification() -> None:
    it = item("<p>Bupati mengajak humas menangkal hoaks dengan informasi positif dan rapat "
              "koordinasi kehumasan digelar rutin setiap bulan bersama perangkat daerah.</p>",
              title="Humas Diminta Perkuat Peran di Era Digital")
    assert it.category == "pemerintahan"
