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
