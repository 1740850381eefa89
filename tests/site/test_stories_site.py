"""Stories end to end: a real fetch run over 127.0.0.1 and a real Pelican build."""

from __future__ import annotations

import re
from pathlib import Path

from warta.archive.store import Archive
from warta.ingest.run import run_fetch
from warta.ops import cli
from warta.sources.registry import load_registry

from tests.conftest import ROOT, rss, write_source
from tests.support.server import FeedServer, Route

PARAS = [
    "Rapat Koordinasi Kehumasan se-Provinsi Jawa Tengah berlangsung di Gedung Praja, Semarang, Senin "
    "(3/3/2025). Kegiatan ini diikuti 80 pengelola humas dari seluruh kabupaten dan kota.",
    "Gubernur Jawa Tengah Bambang Sutrisno mengatakan humas pemerintah harus menyampaikan program "
    "pembangunan dengan cepat, tepat dan mudah dipahami masyarakat di Jawa Tengah.",
    "“Kita ingin semua humas memiliki narasi tunggal dalam menyampaikan program provinsi dan kabupaten "
    "kepada warga,” kata Bambang Sutrisno di hadapan peserta rapat di Semarang.",
    "Rapat juga membahas pengelolaan media sosial resmi, penanganan hoaks dan standar siaran pers yang "
    "akan diterapkan serentak mulai bulan depan di Jawa Tengah.",
]
OTHER = ("Lomba bercerita tingkat sekolah dasar diikuti 120 peserta. Dewan juri menilai vokal, ekspresi "
         "dan penguasaan cerita rakyat daerah di Kabupaten Pati.")


def feeds(server: FeedServer, registry: Path) -> None:
    prov = [{"title": "Rakor Kehumasan se-Jawa Tengah Bahas Narasi Tunggal", "guid": "p1",
             "link": "https://jatengprov.go.id/p1", "date": "Mon, 03 Mar 2025 12:00:00 +0700",
             "body": "".join(f"<p>{p}</p>" for p in PARAS)}]
    kudus = [{"title": "Bupati Kudus Ikuti Rakor Kehumasan Provinsi", "guid": "k1",
              "link": "https://kuduskab.go.id/k1", "date": "Mon, 03 Mar 2025 16:00:00 +0700",
              "body": "<p>Bupati Kudus Hendra Wicaksono menghadiri rapat koordinasi kehumasan di "
                      "Semarang.</p>" + "".join(f"<p>{PARAS[i]}</p>" for i in (2, 0, 3))},
             {"title": "Lomba Bercerita Tingkat SD", "guid": "k2", "link": "https://kuduskab.go.id/k2",
              "date": "Mon, 03 Mar 2025 09:00:00 +0700", "body": f"<p>{OTHER}</p>"}]
    server.routes["/prov.xml"] = Route(rss(prov))
    server.routes["/kudus.xml"] = Route(rss(kudus))
    write_source(registry / "33", "pemprov-jateng", [server.url("/prov.xml")], kind="pemprov", region="33")
    write_source(registry / "33", "pemkab-kudus", [server.url("/kudus.xml")], kind="pemkab",
                 region="33.19")


def test_fetch_run_groups_reports_and_logs_it(server: FeedServer, tmp_path: Path) -> None:
    registry = tmp_path / "sources"
    feeds(server, registry)
    sources, errors = load_registry(registry)
    assert not errors
    with Archive(tmp_path / "w.sqlite") as archive:
        report = run_fetch(archive, sources, registry_root=registry)
        assert report.stories is not None and report.stories["assigned"] == 3
        assert report.to_json()["stories"] == report.stories
        by_key = {e.item.key.rsplit("/", 1)[-1]: e for e in archive.items()}
        assert by_key["p1"].story == by_key["k1"].story == by_key["p1"].item.id
        assert by_key["k2"].story == by_key["k2"].item.id
        # A second run with unchanged feeds has nothing to place.
        again = run_fetch(archive, sources, registry_root=registry)
        assert again.stories is not None and again.stories["assigned"] == 0


def test_build_story_page_local_lead_and_reports(server: FeedServer, tmp_path: Path) -> None:
    registry = tmp_path / "sources"
    feeds(server, registry)
    db = tmp_path / "w.sqlite"
    cli.fetch(registry, db, quiet=True, run_log=None)
    content = tmp_path / "content"
    content.mkdir()
    body = "\n\n".join(PARAS[i] for i in (1, 3, 2))
    (content / "rakor-lokal.md").write_text(
        "Title: Humas Pati Ikut Rakor Kehumasan Jawa Tengah\nDate: 2025-03-03 18:00\n"
        "Source: pemkab-kudus\nSlug: rakor-lokal\n\n"
        f"Tim humas mengikuti rapat di Semarang.\n\n{body}\n", encoding="utf-8")
    out = cli.build(settings_file=ROOT / "pelicanconf.py", sources_dir=registry, db=db,
                    output=tmp_path / "out", overrides={"PATH": str(content)})
    with Archive(db) as archive:
        story = next(e.story for e in archive.items() if e.item.key.endswith("/p1"))
    page = (out / "cerita" / story / "index.html").read_text(encoding="utf-8")
    assert "3 laporan dari 2 instansi" in page
    # The local article leads the story page.
    assert re.search(r"<h1>Humas Pati Ikut Rakor Kehumasan Jawa Tengah</h1>", page)
    for title in ("Rakor Kehumasan se-Jawa Tengah Bahas Narasi Tunggal",
                  "Bupati Kudus Ikuti Rakor Kehumasan Provinsi"):
        assert title in page
    assert "Lomba Bercerita" not in page
    prov_page = next(out.glob("berita/2025/03/rakor-kehumasan-se-jawa-tengah*/index.html"))
    html = prov_page.read_text(encoding="utf-8")
    assert "Juga diberitakan oleh" in html and "Bupati Kudus Ikuti Rakor Kehumasan Provinsi" in html
    lone = next(out.glob("berita/2025/03/lomba-bercerita*/index.html")).read_text(encoding="utf-8")
    assert "Juga diberitakan" not in lone
    assert not list((out / "cerita").glob("*lomba*"))


def test_big_story_is_paginated_by_province_and_every_copy_says_who_else(tmp_path: Path) -> None:
    """A release republished by 60 regencies in three provinces: its story page shows the
    lead, a count and 50 reports a page grouped by province; every copy's page names the
    number of other offices and lists only a few of them; the home page shows it once."""
    from datetime import datetime, timedelta, timezone

    from warta.site import listings
    from warta.site.stories import STORY_PAGE_SIZE
    from warta.sources import regions
    from warta.stories.assign import assign_stories

    from tests.support.story_eval import store
    from tests.support.syndication import RELEASE_TITLE, release_copies

    registry = tmp_path / "sources"
    codes = sorted(c for c, r in regions.all_regions().items()
                   if r.level == 2 and c.split(".")[0] in ("33", "35", "73"))
    rows = release_copies(60, datetime(2025, 3, 3, 9, tzinfo=timezone(timedelta(hours=7))))
    write_source(registry / "nasional", "kementerian-atr", ["https://atrbpn.go.id/feed"],
                 kind="kementerian", region=None)
    for n, r in enumerate(rows[1:]):
        code = codes[(n * 7) % len(codes)]
        write_source(registry / code.split(".")[0], str(r["source_id"]),
                     [f"https://contoh{n}.go.id/feed"], region=code)
    db = tmp_path / "w.sqlite"
    with Archive(db) as archive:
        store(archive, rows)
        assign_stories(archive)
    (tmp_path / "kosong").mkdir()
    out = cli.build(settings_file=ROOT / "pelicanconf.py", sources_dir=registry, db=db,
                    output=tmp_path / "out", overrides={"PATH": str(tmp_path / "kosong")})
    first = (out / "cerita" / "rilis-kementerian" / "index.html").read_text(encoding="utf-8")
    second = (out / "cerita" / "rilis-kementerian" / "2" / "index.html").read_text(encoding="utf-8")
    assert not (out / "cerita" / "rilis-kementerian" / "3").exists()
    for page in (first, second):
        assert "Satu peristiwa, 61 laporan dari 61 instansi" in page
        assert f"<h1>{RELEASE_TITLE}</h1>" in page  # the ministry's release leads
        assert "Halaman" in page and "dari 2" in page
    assert first.count("<h3>") == 3 and "<h3>Jawa Tengah</h3>" in first  # grouped by province
    listed = [re.findall(r'<ul class="laporan">(.*?)</ul>', p, re.S) for p in (first, second)]
    items = ["".join(groups).count("<li>") for groups in listed]
    assert items == [STORY_PAGE_SIZE, 60 - STORY_PAGE_SIZE]
    assert 'rel="next"' in first and 'rel="prev"' in second
    copies = list(out.glob("berita/2025/03/pemerintah-luncurkan-layanan-sertifikat*/index.html"))
    assert len(copies) == 61
    for path in copies:
        html = path.read_text(encoding="utf-8")
        section = html.split('id="judul-juga"', 1)[1].split("</section>", 1)[0]
        assert section.startswith(">Juga diberitakan oleh 60 instansi</h2>")
        assert section.count("<li>") == listings.SAME_STORY_SHOWN
        assert "Lihat semua 60 laporan lain" in section and "cerita/rilis-kementerian/" in section
    home = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r"<h3><a [^>]*>([^<]*)</a></h3>", home)
    assert 0 < cards.count(RELEASE_TITLE) <= 3  # one card per listing block, not 61
