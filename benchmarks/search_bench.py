"""Search at scale: Pagefind index size, time, peak memory, files, and bytes per search.

Usage::

    python benchmarks/search_bench.py [--sizes 10000,50000] [--modes satu,terbagi]
                                      [--workdir DIR] [--no-browser] [--keep]
                                      [--months 60] [--hour N] [--recent-days 7]

For each size it writes N synthetic article pages straight as HTML (the
markup of ``theme/templates/article.html``: site chrome around an
``<article data-pagefind-body>`` with hidden filters, sort key and meta; about
400 words of Indonesian humas prose each, spread over 60 months, 38
provinces, 500 sources, 12 institution kinds, 40 categories), then indexes
them with :func:`warta.search.pagefind.index_site` in each mode:

* ``satu``: one Pagefind bundle for everything (what a plain Pagefind run does);
* ``terbagi``: Warta's split, runs of consecutive months of at most
  ``WARTA_SEARCH_BUNDLE_MAX_PAGES`` pages (``--max-pages``, default 15,000).

Figures: indexing wall time, the largest Pagefind process's peak RSS (bundles
run one after another), bundles, files written (total and in the largest
bundle), index bytes on disk, and, unless ``--no-browser``, the bytes headless
Chromium downloads on the real search page (``theme/static/js/cari.js``):
opening ``/cari/`` (no Pagefind data: filter values are in the page), then a
first search ("banjir", 10 results shown; includes loading the Pagefind runtime
of every bundle), then a second ("stunting puskesmas"), counted on a local
HTTP server (Pagefind fetches from a web worker, which the page's Resource
Timing cannot see).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warta.core.messages import SEARCH_FILTERS, SEARCH_STRINGS  # noqa: E402
from warta.search.pagefind import index_site  # noqa: E402

PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu",
    "Lampung", "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat",
    "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat",
    "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan",
    "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara", "Sulawesi Tengah",
    "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
    "Papua Barat Daya", "Nasional",
]
KINDS = ["Pemerintah provinsi", "Pemerintah kabupaten", "Pemerintah kota", "DPRD",
         "Instansi vertikal", "TNI/Polri", "Kementerian", "Lembaga", "BUMN", "BUMD",
         "Lembaga yudikatif", "Instansi lainnya"]
CATEGORIES = ["Pemerintahan", "Kesehatan", "Pendidikan", "Infrastruktur", "Ekonomi", "Pertanian",
              "Perikanan", "Pariwisata", "Sosial", "Bencana", "Lingkungan", "Keamanan",
              "Kependudukan", "Perhubungan", "Olahraga", "Kebudayaan", "Keagamaan", "UMKM",
              "Ketenagakerjaan", "Perumahan", "Energi", "Kehutanan", "Peternakan", "Hukum",
              "Pelayanan publik", "Keuangan daerah", "Pemilu", "Kepemudaan", "Perempuan dan anak",
              "Teknologi informasi", "Statistik", "Perdagangan", "Industri", "Air bersih",
              "Kebersihan", "Transportasi", "Pangan", "Stunting", "Klarifikasi hoaks", "Umum"]
SUBJECTS = ["Bupati", "Wakil Bupati", "Wali Kota", "Gubernur", "Sekretaris Daerah",
            "Kepala Dinas Kesehatan", "Kepala Dinas Pendidikan", "Camat", "Lurah", "Kepala Desa",
            "Kepala BPBD", "Ketua DPRD", "Kapolres", "Dandim", "Kepala Dinas Pertanian",
            "Kepala Dinas Sosial", "Kepala Bappeda", "Direktur RSUD", "Kepala Puskesmas",
            "Ketua TP PKK", "Kepala Dinas Pekerjaan Umum", "Kepala Dinas Perhubungan"]
VERBS = ["meresmikan", "meninjau", "menyalurkan", "membuka", "menghadiri", "memimpin",
         "meluncurkan", "memantau", "menyerahkan", "mengunjungi", "menandatangani", "mendampingi",
         "mengevaluasi", "menggelar", "memberikan", "mengajak", "mensosialisasikan", "memastikan"]
OBJECTS = ["gedung sekolah dasar", "jembatan desa", "bantuan sosial", "pasar tradisional",
           "posyandu", "program imunisasi", "rapat koordinasi", "pembangunan jalan kabupaten",
           "pelayanan administrasi kependudukan", "bantuan korban banjir", "vaksinasi ternak",
           "penanaman mangrove", "operasi pasar murah", "pelatihan UMKM", "layanan kesehatan gratis",
           "penanganan stunting", "perbaikan irigasi", "sertifikat tanah", "beasiswa pelajar",
           "pengolahan sampah", "sambungan air bersih", "rumah tidak layak huni",
           "festival budaya", "lomba desa", "gerakan tanam pohon", "pembagian benih padi"]
CONNECT = ["Dalam kesempatan tersebut,", "Menurutnya,", "Selain itu,", "Lebih lanjut,",
           "Ia menambahkan,", "Sementara itu,", "Pada tahun ini,", "Sebelumnya,",
           "Kegiatan ini juga", "Pemerintah daerah berharap", "Ke depan,", "Di sisi lain,"]
TAILS = ["agar manfaatnya dirasakan langsung oleh masyarakat", "dengan melibatkan seluruh perangkat daerah",
         "sesuai arahan pemerintah pusat", "demi meningkatkan kualitas pelayanan publik",
         "bersama tokoh masyarakat dan tokoh agama", "yang dianggarkan melalui APBD",
         "dengan target rampung akhir tahun", "untuk mempercepat pemulihan ekonomi warga",
         "sehingga warga tidak perlu lagi menempuh perjalanan jauh",
         "dan akan dievaluasi secara berkala oleh dinas terkait"]
SYLLABLES = ["ka", "ra", "ma", "sa", "ta", "ja", "wa", "ba", "ng", "si", "su", "lo", "ke", "pu",
             "di", "go", "re", "ni", "tu", "la", "an", "ar", "em", "ung", "ing", "ri", "bo"]


def place(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        s = (f"{rng.choice(CONNECT)} {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} "
             f"{rng.choice(OBJECTS)} di Desa {place(rng)}, Kecamatan {place(rng)}, "
             f"{rng.choice(TAILS)}.")
        if rng.random() < 0.3:
            s += (f" Sebanyak {rng.randint(12, 4800):,} warga tercatat menerima manfaat dengan "
                  f"anggaran Rp{rng.randint(50, 9000)} juta.").replace(",", ".")
        sentences.append(s)
    return " ".join(sentences)


def article_html(i: int, rng: random.Random, date: datetime,
                 seen: dict[str, set[str]] | None = None) -> tuple[str, str]:
    province = PROVINCES[i % len(PROVINCES)] if rng.random() < 0.9 else rng.choice(PROVINCES)
    source = f"Humas Instansi {i % 500:03d} {province}"
    kind = KINDS[(i // 7) % len(KINDS)]
    category = rng.choice(CATEGORIES)
    title = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS).capitalize()} "
             f"{rng.choice(OBJECTS).title()} di {place(rng)}")
    if seen is not None:
        for key, value in (("wilayah", province), ("sumber", source), ("jenis", kind),
                           ("kategori", category)):
            seen[key].add(value)
    body = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(rng.randint(5, 7)))
    slug = f"berita-{i:06d}"
    path = f"berita/{date:%Y}/{date:%m}/{slug}/index.html"
    nav = "".join(f'<li><a href="/{p}/">{p.title()}</a></li>'
                  for p in ("wilayah", "jenis", "sumber", "kategori", "arsip", "cari"))
    html = f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{title} — Warta</title>
<link rel="stylesheet" href="/theme/css/warta.css"></head><body>
<a class="skip" href="#isi">Langsung ke isi</a>
<header class="situs"><a class="merek" href="/">Warta</a><nav><ul>{nav}</ul></nav></header>
<main id="isi"><article class="berita-utama" data-pagefind-body>
<div hidden data-pagefind-ignore data-pagefind-sort="date:{date.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}">
<span data-pagefind-filter="wilayah">{province}</span><span data-pagefind-filter="sumber">{source}</span>
<span data-pagefind-filter="jenis">{kind}</span><span data-pagefind-filter="kategori">{category}</span>
<span data-pagefind-meta="sumber">{source}</span><span data-pagefind-meta="tanggal">{date:%d-%m-%Y}</span>
<span data-pagefind-meta="title">{title}</span></div>
<header><p class="rubrik" data-pagefind-ignore><a href="/kategori/x/">{category}</a></p><h1>{title}</h1>
<p class="meta" data-pagefind-ignore><time>{date.isoformat()}</time></p></header>
<div class="isi">{body}</div>
<aside class="atribusi" data-pagefind-ignore><h2>Sumber berita</h2><p>{source} · {kind}</p></aside>
</article>
<section><h2>Berita terkait</h2><ul><li><a href="/">Berita lain di {province}</a></li></ul></section>
</main><footer class="situs"><p>Warta: kabar resmi humas pemerintah.</p></footer></body></html>"""
    return path, html


END = datetime(2025, 12, 31, tzinfo=UTC)
"""The newest generated article's date (about)."""


def generate(site: Path, n: int, seed: int = 9, months: int = 60) -> float:
    """``n`` article pages spread evenly over the ``months`` before :data:`END`."""
    rng = random.Random(seed)
    start = END - timedelta(days=30.44 * months)
    span = (END - start).total_seconds()
    t0 = time.perf_counter()
    seen: dict[str, set[str]] = {k: set() for k, _ in SEARCH_FILTERS}
    for i in range(n):
        date = start + timedelta(seconds=span * i / n + rng.randint(0, 3600))
        path, html = article_html(i, rng, date, seen)
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    write_search_page(site, seen)
    return time.perf_counter() - t0


def write_search_page(site: Path, values: dict[str, set[str]]) -> None:
    """The real search script and styles, in a page with the search template's elements."""
    for rel in ("theme/static/js/cari.js", "theme/static/css/cari.css", "theme/static/css/warta.css"):
        target = site / rel.replace("theme/static/", "theme/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, target)
    selects = "".join(
        f'<label for="saring-{k}">{label}</label><select id="saring-{k}" data-filter="{k}">'
        '<option value="">Semua</option>'
        + "".join(f'<option value="{v}">{v}</option>' for v in sorted(values[k])) + "</select>"
        for k, label in SEARCH_FILTERS)
    (site / "cari").mkdir(exist_ok=True)
    (site / "cari/index.html").write_text(f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<link rel="stylesheet" href="/theme/css/warta.css"><link rel="stylesheet" href="/theme/css/cari.css">
<script type="module" src="/theme/js/cari.js"></script></head><body>
<div id="pencarian" data-base="/" data-manifest="/pagefind/bundles.json">
<script type="application/json" id="cari-teks">{json.dumps(SEARCH_STRINGS)}</script>
<form><input id="cari-q" type="search">{selects}
<select id="cari-urut"><option value="relevansi">r</option><option value="terbaru">t</option>
<option value="terlama">o</option></select></form>
<p id="cari-status" role="status"></p><ol id="cari-hasil"></ol><button id="cari-lagi" hidden>+</button>
</div></body></html>""", encoding="utf-8")


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    served: list[tuple[str, int]]

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            self.served.append((self.path, os.path.getsize(path)))
        super().do_GET()


def browser_bytes(site: Path) -> dict[str, int]:
    """Bytes served for: opening /cari/ (until filters load), a first and a second search."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    served: list[tuple[str, int]] = []
    handler = functools.partial(type("H", (CountingHandler,), {"served": served}),
                                directory=str(site))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--no-first-run"):
        opts.add_argument(a)
    opts.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='warta-bench-')}")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    out: dict[str, int] = {}
    try:
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        driver.get(f"{base}/cari/")
        WebDriverWait(driver, 120).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "#saring-wilayah option")) > 1)
        time.sleep(0.5)
        out["open"] = sum(s for p, s in served if not p.startswith("/cari/"))
        for label, term in (("first", "banjir"), ("second", "stunting puskesmas")):
            mark = len(served)
            box = driver.find_element(By.ID, "cari-q")
            box.clear()
            box.send_keys(term)
            WebDriverWait(driver, 120).until(
                lambda d, t=term: t in d.find_element(By.ID, "cari-status").text
                and "Ditemukan" in d.find_element(By.ID, "cari-status").text
                and len(d.find_elements(By.CSS_SELECTOR, "#cari-hasil li")) >= 10)
            time.sleep(0.5)
            out[label] = sum(s for _, s in served[mark:])
            out[f"{label}_requests"] = len(served) - mark
    finally:
        driver.quit()
        srv.shutdown()
    return out


def an_hour(site: Path, n: int, new: int, max_pages: int, recent_days: int) -> dict[str, object]:
    """Add ``new`` pages dated in the hour after the newest and index again: which bundles
    Pagefind redid, how many pages they hold, and how long it took."""
    rng = random.Random(n + new)
    for i in range(new):
        path, html = article_html(n + i, rng, END + timedelta(hours=1, seconds=i))
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    report = index_site(site, {"WARTA_SEARCH_BUNDLE_MAX_PAGES": max_pages,
                               "WARTA_SEARCH_RECENT_DAYS": recent_days})
    redone = [b for b in report.bundles if not b.reused]
    return {"hour_new_pages": new, "hour_seconds": round(report.seconds, 1),
            "hour_bundles_redone": [b.id for b in redone],
            "hour_pages_reindexed": sum(b.pages for b in redone),
            "hour_peak_rss_mib": round(report.peak_rss / 2**20)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--modes", default="satu,terbagi")
    ap.add_argument("--max-pages", type=int, default=15_000)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--months", type=int, default=60,
                    help="months the pages span (fewer: a denser archive, as a national hub's)")
    ap.add_argument("--hour", type=int, default=0, metavar="N",
                    help="after each index, N new pages of the next hour, indexed again "
                         "(what an hourly run re-indexes)")
    ap.add_argument("--recent-days", type=int, default=7,
                    help="WARTA_SEARCH_RECENT_DAYS (0: no bundle of the newest days)")
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="warta-search-bench-"))
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        site = work / f"site-{n}"
        if site.exists():
            shutil.rmtree(site)
        gen = generate(site, n, months=args.months)
        html_bytes = sum(p.stat().st_size for p in (site / "berita").rglob("index.html"))
        print(f"{n} halaman dibuat dalam {gen:.0f} dtk ({html_bytes / 1e6:.0f} MB HTML)", flush=True)
        for mode in args.modes.split(","):
            max_pages = 10**9 if mode == "satu" else args.max_pages
            os.sync()
            report = index_site(site, {"WARTA_SEARCH_BUNDLE_MAX_PAGES": max_pages,
                                       "WARTA_SEARCH_RECENT_DAYS": args.recent_days})
            row = {"pages": n, "mode": mode if mode == "satu" else f"{mode} ≤{max_pages:,}",
                   "bundles": len(report.bundles),
                   "seconds": report.seconds, "peak_rss": report.peak_rss,
                   "files": report.files, "max_bundle_files": max(b.files for b in report.bundles),
                   "bytes": report.bytes}
            if not args.no_browser:
                row.update(browser_bytes(site))
            rows.append(row)
            print(json.dumps(row), flush=True)
            if args.hour:
                print(json.dumps(an_hour(site, n, args.hour, max_pages, args.recent_days)),
                      flush=True)
        if not args.keep:
            shutil.rmtree(site)
    print()
    print("| halaman | mode | bundel | waktu indeks | memori puncak | berkas (bundel terbesar) "
          "| ukuran indeks | buka /cari/ | pencarian ke-1 | pencarian ke-2 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    def kb(r: dict[str, object], k: str) -> str:
        return f"{r[k] / 1024:.0f} KB ({r[k + '_requests']} req)" if k in r else "—"  # type: ignore[operator]

    for r in rows:
        print(f"| {r['pages']:,} | {r['mode']} | {r['bundles']} | {r['seconds']:.0f} s "
              f"| {r['peak_rss'] / 2**20:,.0f} MiB | {r['files']:,} ({r['max_bundle_files']:,}) "
              f"| {r['bytes'] / 2**20:,.0f} MiB | "
              f"{(str(round(r['open'] / 1024)) + ' KB') if 'open' in r else '—'} "
              f"| {kb(r, 'first')} | {kb(r, 'second')} |")


if __name__ == "__main__":
    main()
