"""Archive → Pelican → output: archived items become real articles; the JSON API contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from warta.archive.store import Archive
from warta.ops import cli

from tests.conftest import rss, write_source
from tests.support.server import FeedServer

ITEMS = [
    {"title": "Gubernur Buka Festival Kopi &amp; Kuliner", "link": "https://contoh.go.id/kopi",
     "guid": "kopi-1", "date": "Mon, 23 Nov 2026 19:30:00 +0800",
     "body": "<p>MAKASSAR – Festival kopi dibuka di anjungan pantai.</p><script>alert(1)</script>"},
    {"title": "Pelatihan UMKM Digital", "link": "https://contoh.go.id/umkm",
     "guid": "umkm-1", "date": "Sun, 22 Nov 2026 08:00:00 +0800",
     "body": "<p>Sebanyak 120 pelaku UMKM mengikuti pelatihan pemasaran digital.</p>"},
]


@pytest.fixture
def site(server: FeedServer, tmp_path: Path) -> dict[str, Path]:
    reg = tmp_path / "reg"
    write_source(reg / "73", "pemprov-sulsel", [server.add("/a", body=rss(ITEMS))],
                 kind="pemprov", region="73", short_name="Pemprov Sulsel")
    write_source(reg / "nasional", "kementerian-x", [server.add("/b", body=rss([
        {"title": "Rilis Nasional", "guid": "n1", "link": "https://kemen.go.id/n1",
         "date": "Mon, 23 Nov 2026 10:00:00 +0700"}]))], kind="kementerian", region=None,
                 mode="summary")
    write_source(reg / "91", "pemkab-gagal", [server.add("/c", status=404)],
                 region="91.03")
    content = tmp_path / "content" / "73" / "pemprov-sulsel" / "2026"
    content.mkdir(parents=True)
    (content / "rakor-humas.md").write_text(
        "Title: Rapat Koordinasi Humas Se-Sulawesi Selatan\n"
        "Date: 2026-11-24 09:00+08:00\nSource: pemprov-sulsel\nCategory: pemerintahan\n"
        "Summary: Humas kabupaten dan kota menyepakati jadwal rilis bersama.\n\n"
        "Rapat koordinasi humas digelar di Makassar.\n\n<script>alert('x')</script>\n",
        encoding="utf-8")
    db = tmp_path / "a.sqlite"
    cli.fetch(reg, db, quiet=True, run_log=tmp_path / "runs.jsonl")
    out = cli.build(sources_dir=reg, db=db, output=tmp_path / "out",
                    overrides={"PATH": str(tmp_path / "content")})
    return {"out": out, "db": db, "reg": reg, "log": tmp_path / "runs.jsonl"}


def test_latest_json_is_a_json_feed_with_the_warta_extension(site: dict[str, Path]) -> None:
    data = json.loads((site["out"] / "api/v1/latest.json").read_text())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    items = {i["title"]: i for i in data["items"]}
    assert len(items) == 4
    kopi = items["Gubernur Buka Festival Kopi & Kuliner"]
    assert kopi["external_url"] == "https://contoh.go.id/kopi"
    assert kopi["url"].startswith("http://127.0.0.1:8000/berita/2026/11/")
    assert kopi["date_published"] == "2026-11-23T19:30:00+08:00"  # WITA kept
    assert "<script" not in kopi["content_html"]
    w = kopi["_warta"]
    assert (w["source"], w["kind"], w["region"], w["story"], w["date_estimated"], w["via"]) == (
        "pemprov-sulsel", "pemprov", "73", kopi["id"], False, "feed")
    assert set(kopi["_warta"]) >= {"source", "kind", "region", "category", "story", "place",
                                   "credits", "date_estimated"}
    nasional = items["Rilis Nasional"]
    assert nasional["_warta"]["region"] == "nasional"
    local = items["Rapat Koordinasi Humas Se-Sulawesi Selatan"]
    assert "external_url" not in local
    assert local["_warta"]["source"] == "pemprov-sulsel"
    assert local["date_published"] == "2026-11-24T09:00:00+08:00"
    assert "<script" not in local["content_html"]
    # newest first
    dates = [i["date_published"] for i in data["items"]]
    assert dates[0].startswith("2026-11-24")


def test_sources_json_has_registry_fields_and_health(site: dict[str, Path]) -> None:
    data = json.loads((site["out"] / "api/v1/sources.json").read_text())
    by_id = {s["id"]: s for s in data["sources"]}
    assert set(by_id) == {"pemprov-sulsel", "kementerian-x", "pemkab-gagal"}
    bad = by_id["pemkab-gagal"]
    assert bad["status"] == "error" and bad["last_success"] is None
    assert "404" in bad["last_error"]
    ok = by_id["pemprov-sulsel"]
    assert ok["last_success"] and ok["kind"] == "pemprov" and ok["timezone"] == "Asia/Makassar"
    assert by_id["kementerian-x"]["mode"] == "summary"


def test_archived_items_become_pelican_articles_with_listings(site: dict[str, Path]) -> None:
    out = site["out"]
    pages = sorted(p.relative_to(out).as_posix() for p in out.glob("berita/2026/11/*/index.html"))
    assert len(pages) == 4
    kopi = next(p for p in pages if "festival-kopi" in p)
    html = (out / kopi).read_text()
    assert '<link rel="canonical" href="https://contoh.go.id/kopi">' in html
    assert "Pemerintah" in html or "pemprov-sulsel" in html
    assert "Senin, 23 November 2026 19.30 WITA" in html
    # Pelican's own listings include aggregated items: feeds, archives, categories.
    feed = feedparser.parse((out / "feeds/semua.atom.xml").read_bytes())
    assert {e.title for e in feed.entries} >= {"Pelatihan UMKM Digital", "Rilis Nasional"}
    assert (out / "arsip/2026/11/index.html").exists()
    archive_page = (out / "arsip/index.html").read_text()
    assert '<h2><a href="/arsip/2026/">2026</a></h2>' in archive_page
    assert re.search(r'<a href="/arsip/2026/11/">November 2026</a> <span class="meta">\((\d+) '
                     r'berita\)</span>', archive_page)
    assert "Pelatihan UMKM Digital" in (out / "sumber/pemprov-sulsel/index.html").read_text()
    summary_page = next(p for p in pages if "rilis-nasional" in p)
    assert "Baca selengkapnya di situs sumber" in (out / summary_page).read_text()


def test_offline_build_needs_only_the_archive(site: dict[str, Path], tmp_path: Path) -> None:
    with Archive(site["db"]) as archive:
        n = archive.count()
    empty = tmp_path / "kosong"
    empty.mkdir()
    out = cli.build(sources_dir=site["reg"], db=site["db"], output=tmp_path / "out2",
                    overrides={"PATH": str(empty)})
    data = json.loads((out / "api/v1/latest.json").read_text())
    assert len(data["items"]) == n == 3
    run = json.loads(site["log"].read_text().splitlines()[-1])
    assert run["sources_failed"] == 1 and run["items_new"] == 3
    assert run["failed"][0]["source"] == "pemkab-gagal"


def test_search_filter_values_are_those_of_the_articles() -> None:
    """The search page lists exactly the filter values its articles carry, each once."""
    from types import SimpleNamespace

    from warta.core.records import Source
    from warta.site.generator import NATIONAL_LABEL, kind_label, region_label, search_filter_values

    jateng = Source(id="jateng", name="Pemprov Jawa Tengah", kind="pemprov", region="33",
                    homepage="https://jatengprov.example/")
    cilacap = Source(id="cilacap", name="Pemkab Cilacap", kind="pemkab", region="33.01",
                     homepage="https://cilacap.example/")
    kemen = Source(id="kemen", name="Kementerian Contoh", kind="kementerian",
                   homepage="https://kemen.example/")

    def article(src: Source | None, category: str | None) -> SimpleNamespace:
        return SimpleNamespace(warta=SimpleNamespace(source=src), category=category)

    articles = [article(jateng, "Pemerintahan"), article(cilacap, "Kesehatan"),
                article(cilacap, "Pemerintahan"), article(kemen, None), article(None, "Ekonomi")]
    values = search_filter_values(articles)
    assert values["wilayah"] == sorted({region_label("33"), NATIONAL_LABEL}, key=str.casefold)
    assert values["sumber"] == ["Kementerian Contoh", "Pemkab Cilacap", "Pemprov Jawa Tengah"]
    assert values["jenis"] == sorted({kind_label("pemprov"), kind_label("pemkab"),
                                      kind_label("kementerian")}, key=str.casefold)
    assert values["kategori"] == ["Ekonomi", "Kesehatan", "Pemerintahan"]
