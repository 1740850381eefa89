"""Throughput of the whole clean-up (normalize) on 10,000 realistic, messy humas items.

    .venv/bin/python benchmarks/clean_throughput.py [--items 10000] [--with-parse]

Prints items/s for ``normalize`` alone (the clean-up: parse HTML, resolve URLs,
embeds, boilerplate, credits, dateline, sanitize, dates, summary, category) and,
with ``--with-parse``, for feedparser + normalize from RSS bytes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime

from warta.clean.normalize import normalize
from warta.clean.rules import default_rules
from warta.core.records import FeedSpec, RawEntry, Source

PLACES = ["SEMARANG", "Cilacap", "MATARAM", "KOTA BATU", "Denpasar", "JAYAPURA"]
SENTENCES = [
    "Pemerintah daerah menggelar rapat koordinasi bersama perangkat daerah di ruang rapat bupati.",
    "“Kami ingin pelayanan publik semakin cepat dan mudah diakses warga,” ujar kepala dinas.",
    "Kegiatan diikuti perwakilan kecamatan, kelurahan dan organisasi masyarakat setempat.",
    "Dinas kesehatan juga membuka layanan imunisasi gratis di seluruh puskesmas selama sepekan.",
    "Perbaikan ruas jalan kabupaten ditargetkan rampung sebelum libur akhir tahun.",
    "Pelaku UMKM mendapat pendampingan pemasaran digital dari dinas koperasi.",
]
DATES = ["Kamis, 26 Desember 2024 10:00 WIB", "Mon, 23 Dec 2024 09:15:00 +0700",
         "2024-12-20T08:00:00+08:00", "Senin, 2 Desember 2024 | 10:15 WITA", "Thu 01/01/1970",
         "Kamis (26/12)", None]


def messy_body(rng: random.Random, n: int) -> str:
    paras = [f"<p><strong>{rng.choice(PLACES)}</strong> – {rng.choice(SENTENCES)} "
             f"{rng.choice(SENTENCES)}</p>"]
    for _ in range(rng.randint(4, 9)):
        paras.append(f"<p>{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}</p>")
    paras.insert(2, "<p>ADVERTISEMENT</p>")
    paras.insert(3, '<p><img src="/wp-content/uploads/2024/12/WhatsApp Image 2024-12-20.jpeg" '
                    'width="800" height="533">WhatsApp Image 2024-12-20 at 09.41.07.jpeg 1.6 MB</p>')
    if n % 3 == 0:
        paras.insert(4, '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>')
    paras.append("<p><strong>Baca juga:</strong> <a href='/berita/lain/'>Berita lain</a></p>")
    paras.append("<p>&nbsp;</p><p>Penulis : Ar, Humas<br>Editor : Ul</p>")
    paras.append("<div class='sharedaddy'><h3>Bagikan ini:</h3><ul><li>Facebook</li></ul></div>")
    paras.append("<img src='https://stats.wordpress.com/b.gif' width='1' height='1'>")
    if n % 2:
        paras.append("<p>Kegiatan ditutup dengan doa bersama. (ags/HUMAS)</p>")
    return "\n".join(paras)


def entries(count: int) -> list[RawEntry]:
    rng = random.Random(3)
    return [RawEntry(guid=f"urn:bench:{n}", link=f"https://uji.go.id/berita/2024/12/{n}/",
                     title=f"Rapat Koordinasi &amp;amp; Evaluasi Program {n}",
                     content_html=messy_body(rng, n), summary_html="",
                     authors=("Humas Uji",), categories=("Berita Daerah",),
                     published_raw=rng.choice(DATES)) for n in range(count)]


def rss(items: list[RawEntry]) -> bytes:
    from xml.sax.saxutils import escape

    parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>B</title>'
             "<link>https://uji.go.id/</link>"]
    for e in items:
        parts.append(f"<item><title>{escape(e.title)}</title><link>{e.link}</link><guid>{e.guid}</guid>"
                     f"<description>{escape(e.content_html)}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--with-parse", action="store_true")
    args = ap.parse_args()
    source = Source(id="pemkab-uji", name="Pemkab Uji", kind="pemkab", homepage="https://uji.go.id",
                    feeds=(FeedSpec("https://uji.go.id/feed/"),), region="33.01")
    seen = datetime(2024, 12, 27, 3, 0, tzinfo=UTC)
    default_rules()  # loading the YAML rules is once per process, not per item
    raw = entries(args.items)
    size = statistics.mean(len(e.content_html) for e in raw)
    start = time.perf_counter()
    items = [normalize(e, source, seen_at=seen) for e in raw]
    elapsed = time.perf_counter() - start
    assert all("ADVERTISEMENT" not in i.content_html for i in items)
    print(f"clean-up (normalize): {len(items)} items, mean body {size:.0f} chars, "
          f"{elapsed:.2f} s → {len(items) / elapsed:,.0f} items/s (one core)")
    if args.with_parse:
        from warta.ingest.parse import parse_feed

        body = rss(raw)
        start = time.perf_counter()
        parsed = parse_feed(body, {}, "https://uji.go.id/feed/")
        cleaned = [normalize(e, source, seen_at=seen) for e in parsed.entries]
        elapsed = time.perf_counter() - start
        print(f"parse + clean-up: {len(cleaned)} items, {elapsed:.2f} s → "
              f"{len(cleaned) / elapsed:,.0f} items/s (one core)")


if __name__ == "__main__":
    main()
