"""The newest days as a search bundle of their own: an hour re-indexes them, not a month."""

from __future__ import annotations

import json
import os
from pathlib import Path

from warta.search.pagefind import index_site
from warta.search.recent import RECENT_ID, page_date, split_recent, window_start

SETTINGS = {"WARTA_SEARCH": True, "WARTA_SEARCH_BUNDLE_MAX_PAGES": 2,
            "WARTA_SEARCH_RECENT_DAYS": 7}


def _article(root: Path, rel: str, text: str, date: str | None) -> None:
    """An article page as ``article.html`` marks it up: body, and the date key inside it."""
    key = f'<div hidden data-pagefind-ignore data-pagefind-sort="date:{date}"></div>' if date else ""
    path = root / rel / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang='id'><head><title>{text}</title></head><body>"
                    f"<main data-pagefind-body>{key}<h1>{text}</h1><p>{text} di kecamatan.</p>"
                    "</main><!--/pagefind-body--></body></html>", encoding="utf-8")


def _indexed_pages(site: Path, bundle: str) -> int:
    entry = json.loads((site / "pagefind" / bundle / "pagefind-entry.json").read_text())
    return sum(lang["page_count"] for lang in entry["languages"].values())


def test_page_date_and_window_start() -> None:
    assert page_date(b'<div data-pagefind-sort="date:2026-12-07T03:04:05Z">') == \
        "2026-12-07T03:04:05Z"
    assert page_date(b"<p>tanpa tanggal</p>") == ""
    assert window_start("2026-12-07T23:59:00Z", 7) == "2026-12-01T00:00:00Z"
    assert window_start("2026-03-02T01:00:00Z", 3) == "2026-02-28T00:00:00Z"


def test_split_puts_the_newest_days_aside_and_keeps_the_rest_by_month() -> None:
    pages = {
        "2026-11": [("berita/2026/11/a", "2026-11-20T08:00:00Z"),
                    ("berita/2026/11/b", "2026-11-29T08:00:00Z")],
        "2026-12": [("berita/2026/12/c", "2026-12-01T02:00:00Z"),
                    ("berita/2026/12/d", "2026-12-03T02:00:00Z"),
                    ("berita/2026/12/x", "")],
    }
    split = split_recent(pages, pages.__getitem__, 7)
    assert split is not None and split.start == "2026-11-27T00:00:00Z"
    assert split.recent == ("berita/2026/11/b", "berita/2026/12/c", "berita/2026/12/d")
    assert split.older == {"2026-11": ("berita/2026/11/a",), "2026-12": ("berita/2026/12/x",)}
    assert split.moved == {"2026-11": 1, "2026-12": 2}
    assert split_recent(["2026-12"], lambda m: [("berita/2026/12/x", "")], 7) is None


def test_an_hour_reindexes_the_newest_days_only(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _article(site, "berita/2026/10/panen", "Panen raya padi", "2026-10-05T01:00:00Z")
    _article(site, "berita/2026/10/pasar", "Operasi pasar murah", "2026-10-20T01:00:00Z")
    _article(site, "berita/2026/11/sekolah", "Renovasi sekolah dasar", "2026-11-10T01:00:00Z")
    _article(site, "berita/2026/11/jalan", "Perbaikan jalan desa", "2026-11-28T01:00:00Z")
    _article(site, "berita/2026/12/vaksin", "Vaksinasi anak", "2026-12-02T01:00:00Z")
    first = index_site(site, SETTINGS)
    # The window is 2026-11-26 .. 2026-12-02: two pages; November less them, October.
    assert [(b.id, b.pages) for b in first.bundles] == [
        (RECENT_ID, 2), ("2026-11", 1), ("2026-10", 2)]
    assert _indexed_pages(site, RECENT_ID) == 2 and _indexed_pages(site, "2026-11") == 1
    manifest = json.loads((site / "pagefind/bundles.json").read_text())
    assert [b["id"] for b in manifest["bundles"]] == [RECENT_ID, "2026-11", "2026-10"]
    assert manifest["bundles"][0]["months"] == ["2026-11", "2026-12"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.cari-")]  # cleaned up
    (tmp_path / ".site.cari-terbaru-mati").mkdir()  # left by a run that was killed
    november = (site / "pagefind/2026-11/pagefind-entry.json").stat().st_mtime_ns

    # An hour later: one more report on the same day. Only the newest days are indexed again.
    _article(site, "berita/2026/12/banjir", "Siaga banjir", "2026-12-02T09:00:00Z")
    second = index_site(site, SETTINGS)
    assert [(b.id, b.pages, b.reused) for b in second.bundles] == [
        (RECENT_ID, 3, False), ("2026-11", 1, True), ("2026-10", 2, True)]
    assert _indexed_pages(site, RECENT_ID) == 3
    assert (site / "pagefind/2026-11/pagefind-entry.json").stat().st_mtime_ns == november
    assert not (tmp_path / ".site.cari-terbaru-mati").exists()

    # A week later the window has moved on: the days it left are folded back into their
    # months (November whole again, December's first days a bundle of their own).
    _article(site, "berita/2026/12/pemilu", "Sosialisasi pemilu", "2026-12-09T01:00:00Z")
    third = index_site(site, SETTINGS)
    assert [(b.id, b.pages, b.reused) for b in third.bundles] == [
        (RECENT_ID, 1, False), ("2026-12", 2, False), ("2026-11", 2, False), ("2026-10", 2, True)]
    assert _indexed_pages(site, "2026-11") == 2 and _indexed_pages(site, RECENT_ID) == 1


def test_small_site_and_undated_pages_keep_month_bundles(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _article(site, "berita/2026/11/a", "Lomba desa", "2026-11-10T01:00:00Z")
    _article(site, "berita/2026/12/b", "Festival budaya", "2026-12-02T01:00:00Z")
    assert [b.id for b in index_site(site, SETTINGS).bundles] == ["2026-11"]  # one bundle
    other = tmp_path / "tanpa-tanggal"
    for i, month in enumerate(("10", "11", "11", "12")):
        _article(other, f"berita/2026/{month}/p{i}", f"Berita {i}", None)
    assert RECENT_ID not in [b.id for b in index_site(other, SETTINGS).bundles]
    assert os.path.isdir(other / "pagefind" / "2026-12")
