"""Withdrawals (takedowns.yml) and corrections ("Diperbarui") through a real fetch and build.

A real feed on 127.0.0.1, a real SQLite archive and a real Pelican build in ``tmp_path``.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warta.archive.store import Archive
from warta.archive.takedowns import parse_takedowns
from warta.clean.normalize import item_id
from warta.ops import cli

from tests.conftest import ROOT, rss, write_source
from tests.support.server import FeedServer, Route

SOURCE = "pemkab-uji"
ITEMS = [
    {"title": "Bupati Tinjau Banjir di Kecamatan Sidareja", "guid": "https://uji.go.id/?p=101",
     "link": "https://uji.go.id/berita/tinjau-banjir/", "date": "Mon, 19 May 2025 08:00:00 +0700",
     "body": "<p>Bupati meninjau lokasi banjir di Kecamatan Sidareja.</p>"},
    {"title": "Data Anggaran Jalan Desa yang Keliru", "guid": "https://uji.go.id/?p=102",
     "link": "https://uji.go.id/berita/anggaran-jalan/", "date": "Tue, 20 May 2025 09:00:00 +0700",
     "body": "<p>Rincian anggaran jalan desa tahun 2025.</p>"},
    {"title": "Rilis Ganda Jadwal Pelayanan KTP", "guid": "https://uji.go.id/?p=103",
     "link": "https://uji.go.id/berita/jadwal-ktp/", "date": "Wed, 21 May 2025 10:00:00 +0700",
     "body": "<p>Jadwal pelayanan KTP keliling pekan ini.</p>"},
]
WITHDRAWN_ID = item_id(SOURCE, "https://uji.go.id/?p=102")

LOCAL = """\
Title: Pemkab Uji Salurkan Bantuan Benih Padi
Date: 2025-05-22 10:00+07:00
Source: pemkab-uji
Category: ekonomi
Tags: pertanian, benih
Summary: Bantuan benih padi disalurkan kepada 40 kelompok tani.
Image: https://uji.go.id/foto/benih.jpg
{extra}
Sebanyak 40 kelompok tani menerima bantuan benih padi varietas unggul.
"""


class Site:
    """A throwaway hub: registry, content, takedowns.yml, archive and output in tmp_path."""

    def __init__(self, tmp_path: Path, server: FeedServer):
        self.root = tmp_path
        self.server = server
        self.sources = tmp_path / "sources"
        self.content = tmp_path / "content"
        self.db = tmp_path / "var" / "warta.sqlite"
        self.out = tmp_path / "output"
        self.takedowns = tmp_path / "takedowns.yml"
        self.content.mkdir()
        write_source(self.sources / "33", SOURCE, [server.url("/rss")], region="33.01")
        self.serve(ITEMS)

    def serve(self, items: list[dict[str, str]]) -> None:
        self.server.add("/rss", Route(body=rss(items)))

    def fetch(self) -> None:
        cli.fetch(self.sources, self.db, quiet=True, run_log=None)

    def build(self) -> Path:
        if self.out.exists():
            shutil.rmtree(self.out)
        return cli.build(settings_file=ROOT / "pelicanconf.py", sources_dir=self.sources,
                         db=self.db, output=self.out,
                         overrides={"PATH": str(self.content),
                                    "WARTA_TAKEDOWNS": str(self.takedowns)})

    def local(self, slug: str, extra: str = "") -> Path:
        path = self.content / "33" / SOURCE / "2025" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LOCAL.format(extra=extra), encoding="utf-8")
        return path

    def published_text(self) -> str:
        """Every page, feed and API file of the built site, concatenated."""
        parts = []
        for p in sorted(self.out.rglob("*")):
            if p.is_file() and p.suffix in (".html", ".xml", ".json"):
                parts.append(p.read_text(encoding="utf-8"))
        return "\n".join(parts)

    def latest(self) -> dict:
        return json.loads((self.out / "api/v1/latest.json").read_text(encoding="utf-8"))


@pytest.fixture
def site(tmp_path: Path, server: FeedServer) -> Site:
    return Site(tmp_path, server)


def _assert_everywhere_absent(site: Site, title: str, link: str) -> None:
    text = site.published_text()
    assert title not in text and link not in text
    for feed in ("feeds/semua.atom.xml", "feeds/semua.rss.xml"):
        assert title not in (site.out / feed).read_text(encoding="utf-8")
    assert title not in (site.out / f"sumber/{SOURCE}/index.html").read_text(encoding="utf-8")
    sitemap = site.out / "sitemap.xml"
    if sitemap.exists():
        assert link not in sitemap.read_text(encoding="utf-8")


def test_takedown_removes_everywhere_keeps_archive_and_survives_refetch(site: Site) -> None:
    site.local("benih-padi")
    site.fetch()
    site.build()
    assert "Data Anggaran Jalan Desa" in site.published_text()
    ids = {i["id"] for i in site.latest()["items"]}
    assert WITHDRAWN_ID in ids and "lokal-benih-padi" in ids

    site.takedowns.write_text(
        f"- id: {WITHDRAWN_ID}\n  reason: Data anggaran keliru\n  date: 2025-05-23\n"
        "- url: HTTPS://UJI.GO.ID/berita/jadwal-ktp\n  reason: Rilis ganda\n  date: 2025-05-23\n"
        "- id: lokal-benih-padi\n  reason: Ditarik penulis\n  date: 2025-05-23\n",
        encoding="utf-8")
    site.build()
    _assert_everywhere_absent(site, "Data Anggaran Jalan Desa", "anggaran-jalan")
    _assert_everywhere_absent(site, "Rilis Ganda Jadwal Pelayanan KTP", "jadwal-ktp")
    _assert_everywhere_absent(site, "Bantuan Benih Padi", "benih-padi")
    assert not list(site.out.glob("berita/2025/05/benih-padi*"))
    latest_ids = {i["id"] for i in site.latest()["items"]}
    assert latest_ids == {item_id(SOURCE, "https://uji.go.id/?p=101")}
    assert "Bupati Tinjau Banjir" in site.published_text()

    with Archive(site.db) as archive:  # still archived, marked withdrawn
        assert archive.get(WITHDRAWN_ID) is not None
        assert archive.count() == 3
        assert archive.withdrawn() == {WITHDRAWN_ID: "Data anggaran keliru",
                                       item_id(SOURCE, "https://uji.go.id/?p=103"): "Rilis ganda"}

    # The source edits and re-publishes the item (new body, new guid for the duplicate).
    changed = [dict(ITEMS[0]), dict(ITEMS[1], body="<p>Rincian yang diperbarui.</p>"),
               dict(ITEMS[2], guid="https://uji.go.id/?p=203")]
    site.serve(changed)
    site.fetch()
    site.build()
    _assert_everywhere_absent(site, "Data Anggaran Jalan Desa", "anggaran-jalan")
    _assert_everywhere_absent(site, "Rilis Ganda Jadwal Pelayanan KTP", "jadwal-ktp")
    with Archive(site.db) as archive:
        assert archive.count() == 4  # the re-keyed duplicate is archived, not published
        assert archive.get(WITHDRAWN_ID).item.content_html == "<p>Rincian yang diperbarui.</p>"
        assert set(archive.withdrawn()) == {WITHDRAWN_ID, item_id(SOURCE, "https://uji.go.id/?p=103"),
                                            item_id(SOURCE, "https://uji.go.id/?p=203")}

    # A typo that makes the file unreadable keeps the tombstones in force…
    site.takedowns.write_text("- id: [tidak ditutup\n", encoding="utf-8")
    site.build()
    _assert_everywhere_absent(site, "Data Anggaran Jalan Desa", "anggaran-jalan")

    # …while removing the entry restores the item on the next build.
    site.takedowns.write_text("[]\n", encoding="utf-8")
    site.build()
    assert "Data Anggaran Jalan Desa" in site.published_text()


def test_tombstones_sync_and_match() -> None:
    entries, problems = parse_takedowns(
        "- url: https://Uji.go.id/berita/a/#komentar\n  reason: ganda\n  date: 2025-05-01\n")
    assert problems == []
    with Archive(":memory:") as archive:
        now = datetime(2025, 5, 2, tzinfo=UTC)
        archive.sync_takedowns(entries, now=now)
        archive.sync_takedowns(entries, now=now)  # idempotent
        tomb = archive.takedown_set()
        assert tomb.matches(None, "https://uji.go.id/berita/a")
        assert not tomb.matches(None, "https://uji.go.id/berita/b/")
        archive.sync_takedowns([], now=now)
        assert len(archive.takedown_set()) == 0


def test_correction_shows_diperbarui_for_local_article(site: Site) -> None:
    site.local("benih-padi", extra="Modified: 2025-05-23 14:30+07:00\nPenulis: Rina Marlina\n")
    jagung = site.local("benih-jagung")  # never corrected; a hostile Markdown summary
    jagung.write_text(jagung.read_text(encoding="utf-8").replace(
        "Summary: Bantuan benih",
        'Summary: <img src=x onerror="alert(1)"><script>alert(2)</script>Bantuan benih'),
        encoding="utf-8")
    site.build()
    assert "alert(" not in site.published_text()
    plain = (site.out / "berita/2025/05/benih-jagung/index.html").read_text(encoding="utf-8")
    assert "Diperbarui <time" not in plain
    page = (site.out / "berita/2025/05/benih-padi/index.html").read_text(encoding="utf-8")
    assert "Diperbarui <time" in page and "23 Mei 2025 14.30 WIB" in page
    item = next(i for i in site.latest()["items"] if i["id"] == "lokal-benih-padi")
    assert item["date_modified"] == "2025-05-23T14:30:00+07:00"
    assert item["_warta"]["credits"] == {"penulis": "Rina Marlina"}
    assert item["_warta"]["category"] == "ekonomi"
    assert item["authors"] == [{"name": "Sumber pemkab-uji"}]


def test_correction_shows_diperbarui_for_aggregated_item(site: Site) -> None:
    site.fetch()
    site.serve([ITEMS[0], dict(ITEMS[1], body="<p>Rincian anggaran setelah koreksi.</p>"), ITEMS[2]])
    site.fetch()
    site.build()
    by_id = {i["id"]: i for i in site.latest()["items"]}
    assert "date_modified" in by_id[WITHDRAWN_ID]
    assert all("date_modified" not in i for k, i in by_id.items() if k != WITHDRAWN_ID)
    for key, item in by_id.items():
        page = site.out / item["url"].split("/", 3)[3] / "index.html"
        text = page.read_text(encoding="utf-8")
        assert ("Diperbarui <time" in text) == (key == WITHDRAWN_ID), key
        if key == WITHDRAWN_ID:
            assert "setelah koreksi" in text
