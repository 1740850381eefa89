"""The hub's slugifier gives Pelican's slugs."""

from __future__ import annotations

import pytest
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from warta.site.bridge import Slugifier

TITLES = [
    "Bupati Resmikan Jembatan Desa Sukamaju",
    "  Spasi   ganda\\tdan tab  ",
    "Harga Cabai Rp 45.000/kg: Pemkot & Bulog Gelar Operasi Pasar",
    "Wali Kota <em>Tinjau</em> Banjir di Kelurahan Baru",
    "Gubernur &raquo; Pelantikan &amp; Sumpah Jabatan",
    "Penyaluran BLT — 1.250 KPM Terima Bantuan",
    "Ṣalat Ied di Masjid Raya: ribuan jamaah",
    "北京 delegasi berkunjung ke Surabaya",
    "Rapat <!-- komentar --> koordinasi",
    "Tag tak tertutup <b",
    "‘Kutip’ dan “kutip” serta 50%",
    "",
    "---",
    "ＡＢＣ　lebar penuh",
]


@pytest.mark.parametrize("title", TITLES)
def test_same_slug_as_pelican(title: str) -> None:
    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    assert Slugifier(subs)(title) == slugify(title, regex_subs=subs)
