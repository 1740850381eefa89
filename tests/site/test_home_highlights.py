"""The home page's highlights ("Sorotan") on a quiet hub: filled from earlier days, never untitled.

A hub whose last day brought one titled report (and one without a title)
still shows five highlights: the day's story, then the most recent ones, under
"Sorotan terkini" with the day they start from. Checked in the built HTML.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from warta.ops import cli
from warta.site.display import hari_tanggal

from tests.conftest import write_source
from tests.support.server import FeedServer

TITLES = {
    2: "Bupati Tinjau Perbaikan Jembatan Sungai Serayu",
    30: "Dinas Kesehatan Buka Layanan Vaksinasi Keliling",
    50: "Pemkab Salurkan Bibit Padi kepada Kelompok Tani",
    70: "Pelatihan Digital bagi Pelaku UMKM Dimulai",
    90: "Rapat Koordinasi Kesiapsiagaan Bencana Digelar",
    110: "Pasar Murah Digelar di Alun-Alun Kota",
}
BODIES = {
    2: "Perbaikan jembatan ditargetkan rampung bulan depan agar arus kendaraan kembali lancar.",
    30: "Warga dapat datang ke mobil layanan di balai desa dengan membawa kartu identitas.",
    50: "Sebanyak dua puluh ton bibit unggul dibagikan kepada kelompok tani di empat kecamatan.",
    70: "Para peserta belajar memasarkan produk melalui lokapasar dan media sosial.",
    90: "Seluruh perangkat daerah menyiapkan rencana kontinjensi menghadapi musim hujan.",
    110: "Beras, minyak goreng dan gula dijual di bawah harga pasar selama dua hari.",
}


def _rss(now: datetime) -> str:
    items = [
        # Newest of all: no title and no text to take one from ("(tanpa judul)").
        f"<item><link>https://contoh.go.id/b/kosong</link><guid>kosong</guid>"
        f"<pubDate>{format_datetime(now - timedelta(hours=1))}</pubDate><description></description></item>"
    ]
    for hours, title in TITLES.items():
        items.append(
            f"<item><title>{title}</title><link>https://contoh.go.id/b/{hours}</link>"
            f"<guid>b-{hours}</guid><pubDate>{format_datetime(now - timedelta(hours=hours))}</pubDate>"
            f"<description>&lt;p&gt;{BODIES[hours]}&lt;/p&gt;</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Uji</title>'
            "<link>https://contoh.go.id/</link>" + "".join(items) + "</channel></rss>")


def test_a_quiet_day_still_fills_the_highlights_and_says_since_when(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    sources = tmp_path / "sources"
    with FeedServer() as server:
        write_source(sources, "uji-sepi", [server.add("/feed", body=_rss(now))])
        cli.fetch(sources, tmp_path / "warta.sqlite", quiet=True, run_log=None)
    content = tmp_path / "content"
    content.mkdir()
    out = cli.build(sources_dir=sources, db=tmp_path / "warta.sqlite", output=tmp_path / "output",
                    overrides={"PATH": str(content), "WARTA_BUILD_TIME": now.isoformat()})
    home = (out / "index.html").read_text(encoding="utf-8")
    block = home.split('<section class="sorotan"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="judul-sorotan">Sorotan terkini</h2>' in block
    since = hari_tanggal(now - timedelta(hours=90))
    assert f'<p class="sejak">Sejak {since}</p>' in block
    shown = re.findall(r"<h3><a [^>]*>([^<]*)</a></h3>", block)
    assert shown == [TITLES[h] for h in (2, 30, 50, 70, 90)]
    assert "(tanpa judul)" not in home  # no block of the home page is led by it
    # The untitled item is still published (its own page and the source's list), just never a lead.
    assert any("(tanpa judul)" in p.read_text(encoding="utf-8")
               for p in (out / "berita").rglob("index.html"))
