"""Plain-text bodies into paragraphs: hard wraps joined, one-paragraph-per-line kept."""

from __future__ import annotations

import pytest
from warta.clean.blocks import text_paragraphs
from warta.clean.normalize import normalize

from tests.support.items import SEEN, entry, source

# An ANTARA description of 2017 as its feed wrote it (tests/data/real/antara_terkini_20170417.xml).
ANTARA = ("Biel (ANTARA News) – Petenis\r\nperingkat 233 dunia, Marketa Vondrousova, meraih gelar "
          "pertamanya pada\r\nMinggu (16/04) ketika dia mengalahkan Anett Kontaveit dari Estonia "
          "dengan skor\r\n6-4, 7-6 (8/6) pada final ...")
ANTARA_JOINED = ("Biel (ANTARA News) – Petenis peringkat 233 dunia, Marketa Vondrousova, meraih gelar "
                 "pertamanya pada Minggu (16/04) ketika dia mengalahkan Anett Kontaveit dari Estonia "
                 "dengan skor 6-4, 7-6 (8/6) pada final ...")
ONE_PER_LINE = [
    "SEMARANG – Pemerintah Provinsi menggelar rapat koordinasi kehumasan bersama perangkat daerah.",
    "“Informasi publik harus sampai ke warga desa,” kata Kepala Dinas Kominfo.",
    "Rapat dihadiri perwakilan tiga puluh lima kabupaten dan kota.",
]


def test_crlf_hard_wrap_is_one_paragraph() -> None:
    assert text_paragraphs(ANTARA) == [ANTARA_JOINED]


def test_blank_line_with_spaces_starts_a_paragraph() -> None:
    text = "Saham-saham China dibuka lebih rendah.\r\n    \r\nXinhua melaporkan, indeks\r\nkomposit turun."
    assert text_paragraphs(text) == ["Saham-saham China dibuka lebih rendah.",
                                     "Xinhua melaporkan, indeks komposit turun."]


def test_one_paragraph_per_line_stays() -> None:
    assert text_paragraphs("\n".join(ONE_PER_LINE)) == ONE_PER_LINE


@pytest.mark.parametrize("lines", [
    ["Penulis : rin, humas uji", "Editor : dwi"],  # credit labels, whatever their case
    ["Bupati resmikan jembatan di desa", "SEMARANG – Jembatan gantung itu dibuka untuk warga."],
    ["Syarat pendaftaran antara lain", "- fotokopi KTP", "- pas foto berwarna"],
    ["Berita Terkait", "Bupati Tinjau Banjir"],  # capitalised ends: not a wrap
])
def test_lines_of_their_own(lines: list[str]) -> None:
    assert text_paragraphs("\n".join(lines)) == lines


def test_text_wrapped_at_a_column_is_joined_even_between_capitals() -> None:
    lines = ["Pemerintah Kabupaten Uji menyalurkan bantuan kepada Kelompok Tani",
             "Sukamaju dan Kelompok Wanita Tani Melati di Kecamatan Karang Anyar",
             "Kidul pada Kamis pagi, disaksikan Camat dan Kepala Desa setempat",
             "beserta warga."]
    assert text_paragraphs("\n".join(lines)) == [" ".join(lines)]


def test_short_sentences_of_one_length_are_not_a_wrap() -> None:
    lines = ["Rapat koordinasi digelar di ruang rapat lantai dua kantor bupati.",
             "Acara dibuka oleh sekretaris daerah dan dihadiri kepala dinas.",
             "Peserta membahas jadwal penyaluran bantuan untuk petani desa.",
             "Rapat selesai siang hari."]
    assert text_paragraphs("\n".join(lines)) == lines


def test_plain_text_body_through_the_clean_stage() -> None:
    item = normalize(entry(ANTARA + "\r\n    \r\nPertandingan berlangsung dua jam."), source(),
                     seen_at=SEEN)
    assert item.content_html == f"<p>{ANTARA_JOINED}</p><p>Pertandingan berlangsung dua jam.</p>"
    assert item.place == "Biel"
