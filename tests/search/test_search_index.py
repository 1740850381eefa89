"""Search index: bundle planning, Pagefind runs, article markup, /cari/ page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from warta.search import pagedigests
from warta.search import pagefind as search
from warta.search.pagefind import Bundle, index_site, month_counts, plan_bundles

from tests.support.site import article_path, page


def test_plan_one_bundle_when_small():
    counts = {"2024": {"11": 40, "12": 50}, "2025": {"01": 10}}
    (bundle,) = plan_bundles(counts, max_pages=1000)
    assert bundle.months == ("2024-11", "2024-12", "2025-01") and bundle.pages == 100
    assert bundle.glob == "berita/{2024/11,2024/12,2025/01}/**/*.html"
    assert bundle.path == "pagefind/2024-11/"


def test_plan_splits_consecutive_months_newest_first_under_the_cap():
    counts = {"2023": {f"{m:02d}": 100 for m in range(1, 13)}, "2024": {"01": 100, "02": 350}}
    bundles = plan_bundles(counts, max_pages=400)
    assert [b.id for b in bundles] == ["2024-02", "2024-01", "2023-09", "2023-05", "2023-01"]
    assert all(b.pages <= 400 for b in bundles)
    assert sum(b.pages for b in bundles) == 1650
    months = [m for b in reversed(bundles) for m in b.months]
    assert months == sorted(months) and len(months) == len(set(months)) == 14
    # Adding news to the newest month never moves an older bundle's boundary.
    counts["2024"]["02"] = 390
    assert [b.months for b in plan_bundles(counts, 400)][1:] == [b.months for b in bundles][1:]


def test_plan_gives_the_month_receiving_news_its_own_bundle():
    """the hourly run re-indexes one month, not the months packed with it."""
    counts = {"2024": {"09": 100, "10": 100, "11": 20, "12": 20}}
    assert [b.months for b in plan_bundles(counts, max_pages=150)] == [
        ("2024-12",), ("2024-10", "2024-11"), ("2024-09",)]
    # Under the cap the site stays one bundle (one runtime for a reader to download).
    assert [b.months for b in plan_bundles(counts, max_pages=240)] == [
        ("2024-09", "2024-10", "2024-11", "2024-12")]


def test_plan_keeps_an_oversized_month_whole(caplog):
    bundles = plan_bundles({"2025": {"01": 10, "02": 900, "03": 10}}, max_pages=100)
    assert [b.months for b in bundles] == [("2025-03",), ("2025-02",), ("2025-01",)]
    assert "melebihi batas" in caplog.text
    assert Bundle(("2025-02",), 900).glob == "berita/2025/02/**/*.html"


def test_month_counts_reads_article_folders(tmp_path):
    for rel in ("berita/2025/01/a/index.html", "berita/2025/01/b/index.html",
                "berita/2024/12/c/index.html", "berita/2024/12/kosong/x.txt",
                "berita/lain/01/d/index.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert month_counts(tmp_path) == {"2024": {"12": 1}, "2025": {"01": 2}}
    assert month_counts(tmp_path / "tidak-ada") == {}


def test_built_site_has_a_search_bundle(searched_site):
    built_site = searched_site
    out = built_site.output
    manifest = json.loads((out / "pagefind/bundles.json").read_text())
    assert manifest["order"] == "newest-first" and manifest["bundles"]
    pages = sum(1 for _ in (out / "berita").glob("*/*/*/index.html"))
    assert sum(b["pages"] for b in manifest["bundles"]) == pages
    for b in manifest["bundles"]:
        bundle = out / b["path"]
        for name in ("pagefind.js", "pagefind-entry.json", "pagefind-worker.js", "wasm.id.pagefind"):
            assert (bundle / name).is_file(), name
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ["id"]  # Indonesian stemming
        assert entry["languages"]["id"]["page_count"] == b["pages"]
        assert len(list((bundle / "fragment").iterdir())) == b["pages"]  # only article pages
        assert not (bundle / "pagefind-ui.js").exists()  # stock UI not shipped


def test_article_markup_for_pagefind(built_site):
    html = article_path(built_site.output, built_site.ids["uji-bpn-cilacap/sertifikat"]).read_text()
    assert html.count("data-pagefind-body") == 1
    assert re.search(r'<article class="berita-utama" data-pagefind-body>', html)
    assert re.search(r'data-pagefind-sort="date:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', html)
    assert '<span data-pagefind-filter="wilayah">Jawa Tengah</span>' in html
    assert '<span data-pagefind-filter="sumber">Kantor Pertanahan Kabupaten Cilacap (Uji)</span>' in html
    assert '<span data-pagefind-filter="jenis">Instansi vertikal</span>' in html
    rubric = re.search(r'<p class="rubrik" data-pagefind-ignore><a href="[^"]+">([^<]+)</a>', html)
    assert rubric and f'<span data-pagefind-filter="kategori">{rubric.group(1)}</span>' in html
    assert 'class="atribusi" aria-labelledby="judul-atribusi" data-pagefind-ignore' in html
    # The search digest's end marker closes the indexed element; navigation comes after it.
    part = pagedigests.indexed_part(html.encode())
    assert part.endswith(b"</article>") and b"sebelum-sesudah" not in part
    assert b'data-pagefind-filter="kategori"' in part
    national = article_path(built_site.output, built_site.ids["uji-kemenkes/imunisasi"]).read_text()
    assert '<span data-pagefind-filter="wilayah">Nasional</span>' in national
    # Listing pages are not indexed: no body marker anywhere but article pages.
    for rel in ("/", "/wilayah/33/", "/sumber/uji-bpn-cilacap/", "/cari/"):
        assert "data-pagefind-body" not in page(built_site.output, rel).read_text()


def test_search_page_and_nav_link(built_site):
    html = page(built_site.output, "/cari/").read_text()
    assert '<html lang="id">' in html
    for needle in ('id="cari-q"', 'role="search"', 'data-manifest="/pagefind/bundles.json"',
                   'src="/theme/js/cari.js"', 'id="saring-wilayah"', 'id="saring-sumber"',
                   'id="saring-jenis"', 'id="saring-kategori"', 'id="cari-urut"',
                   'aria-live="polite"', "Muat lebih banyak hasil"):
        assert needle in html, needle
    assert (built_site.output / "theme/js/cari.js").is_file()
    assert '<a href="/cari/">Cari</a>' in page(built_site.output, "/").read_text()
    # First party only: nothing on the search page or in its script loads from another host.
    script = (built_site.output / "theme/js/cari.js").read_text()
    assert not re.search(r"https?://", script)
    assert not re.search(r'(src|href)="https?://', html.split("<footer")[0].split("</header>")[1])


def test_index_site_disabled_and_errors(tmp_path, monkeypatch):
    assert index_site(tmp_path, {"WARTA_SEARCH": False}).bundles == []
    assert not (tmp_path / "pagefind").exists()
    site = tmp_path / "site"
    (site / "berita/2025/01/a").mkdir(parents=True)
    (site / "berita/2025/01/a/index.html").write_text(
        '<html lang="id"><body><article data-pagefind-body><h1>Uji</h1><p>Isi berita uji.</p>'
        "</article></body></html>")
    report = index_site(site, {})
    assert report.pages == 1 and report.files > 5 and report.peak_rss > 0
    broken = tmp_path / "pagefind-rusak"
    broken.write_text("#!/bin/sh\necho 'kesalahan buatan' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path(broken))
    with pytest.raises(search.SearchIndexError, match=r"bundel 2025-01 \(kode keluar 3\).*kesalahan buatan"):
        index_site(site, {})


def test_hourly_post_process_step_indexes(tmp_path):
    from pelican.settings import read_settings
    from warta.ops import postprocess

    from tests.conftest import ROOT

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    assert "warta.search.pagefind:search_step" in settings["WARTA_POSTPROCESS"]
    (tmp_path / "berita/2025/03/a").mkdir(parents=True)
    (tmp_path / "berita/2025/03/a/index.html").write_text(
        '<html lang="id"><body><article data-pagefind-body><h1>Panen raya</h1>'
        "<p>Petani memanen padi.</p></article></body></html>")
    (record,) = postprocess.run_steps(tmp_path, settings, ["warta.search.pagefind:search_step"])
    assert record["step"] == "warta.search.pagefind:search_step"
    assert record["pages"] == 1 and record["bundles"][0]["id"] == "2025-03"
    assert (tmp_path / "pagefind/2025-03/pagefind.js").is_file()
    assert postprocess.run_steps(tmp_path, {**settings, "WARTA_SEARCH": False},
                                 ["warta.search.pagefind:search_step"])[0]["pages"] == 0


def _page(root: Path, rel: str, text: str) -> None:
    path = root / rel / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang='id'><head><title>{text}</title></head>"
                    f"<body><main data-pagefind-body><h1>{text}</h1><p>{text} di balai desa.</p>"
                    "</main></body></html>", encoding="utf-8")


def test_unchanged_bundles_are_not_indexed_again(tmp_path):
    """an hourly run re-indexes only the bundles whose article pages changed."""
    settings = {"WARTA_SEARCH": True, "WARTA_SEARCH_BUNDLE_MAX_PAGES": 2}
    _page(tmp_path, "berita/2025/01/panen-raya", "Panen raya jagung")
    _page(tmp_path, "berita/2025/01/pasar-murah", "Pasar murah beras")
    _page(tmp_path, "berita/2025/02/vaksinasi", "Vaksinasi ternak")
    first = index_site(tmp_path, settings)
    assert [(b.id, b.reused) for b in first.bundles] == [("2025-02", False), ("2025-01", False)]
    old_entry = (tmp_path / "pagefind/2025-01/pagefind-entry.json").stat().st_mtime_ns

    _page(tmp_path, "berita/2025/02/jembatan", "Peresmian jembatan gantung")  # an hour's news
    second = index_site(tmp_path, settings)
    assert [(b.id, b.reused) for b in second.bundles] == [("2025-02", False), ("2025-01", True)]
    assert (tmp_path / "pagefind/2025-01/pagefind-entry.json").stat().st_mtime_ns == old_entry
    manifest = json.loads((tmp_path / "pagefind/bundles.json").read_text())
    assert [b["pages"] for b in manifest["bundles"]] == [2, 2]
    assert all(len(b["input"]) == 32 for b in manifest["bundles"])
    # A kept bundle's size is the one counted when it was made, not walked again.
    kept = second.bundles[1]
    assert (kept.files, kept.bytes) == (first.bundles[1].files, first.bundles[1].bytes) > (0, 0)
    assert [(b["files"], b["bytes"]) for b in manifest["bundles"]] == [
        (b.files, b.bytes) for b in second.bundles]

    # A changed old page (a correction) re-indexes its bundle; a full run redoes all.
    _page(tmp_path, "berita/2025/01/pasar-murah", "Pasar murah beras dan minyak goreng")
    third = index_site(tmp_path, settings)
    assert [b.reused for b in third.bundles] == [True, False]
    full = index_site(tmp_path, settings, incremental=False)
    assert [b.reused for b in full.bundles] == [False, False]

    # A new plan (bigger bundles) drops bundle folders that no longer exist.
    merged = index_site(tmp_path, {**settings, "WARTA_SEARCH_BUNDLE_MAX_PAGES": 10})
    assert [b.id for b in merged.bundles] == ["2025-01"]
    assert sorted(p.name for p in (tmp_path / "pagefind").iterdir()) == ["2025-01", "bundles.json"]


def test_indexing_during_build_runs_beside_the_build(tmp_path):
    """the build starts Pagefind once article pages exist; the later call reuses it."""
    from types import SimpleNamespace

    _page(tmp_path, "berita/2025/03/banjir", "Tanggap darurat banjir")
    settings = {"WARTA_SEARCH": True, "WARTA_SEARCH_DURING_BUILD": True}
    search.start_during_build(SimpleNamespace(settings=settings, output_path=str(tmp_path)))
    assert search.finish_during_build(tmp_path) is None
    assert (tmp_path / "pagefind/2025-03/pagefind-entry.json").is_file()
    after = index_site(tmp_path, settings)
    assert [b.reused for b in after.bundles] == [True]
    # Not asked for (a plain `invoke build --no-search`, the tests' builds): nothing starts.
    search.start_during_build(SimpleNamespace(settings={"WARTA_SEARCH": True},
                                              output_path=str(tmp_path / "lain")))
    assert search.finish_during_build(tmp_path / "lain") is None
    assert not (tmp_path / "lain").exists()


def _article(root: Path, rel: str, body: str, nav: str) -> None:
    """An article page shaped like ``article.html``: indexed body, marker, then navigation."""
    path = root / rel / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang='id'><body><article data-pagefind-body>"
                    f"<h1>{body}</h1><p>{body} di kantor bupati.</p></article>"
                    f"<!--/pagefind-body--><nav><a href='/x/'>{nav}</a></nav></body></html>",
                    encoding="utf-8")


def test_navigation_changes_do_not_reindex_a_bundle(tmp_path):
    """a page rewritten only for a new 'next article' link keeps its bundle's index."""
    settings = {"WARTA_SEARCH": True, "WARTA_SEARCH_BUNDLE_MAX_PAGES": 2}
    _article(tmp_path, "berita/2025/01/rapat", "Rapat koordinasi", "Berita sebelumnya")
    _article(tmp_path, "berita/2025/01/panen", "Panen kopi", "Berita sebelumnya")
    _article(tmp_path, "berita/2025/02/pasar", "Pasar murah", "")
    first = index_site(tmp_path, settings)
    assert [b.reused for b in first.bundles] == [False, False]
    cache = json.loads((tmp_path.parent / f"{tmp_path.name}.search-pages.json").read_text())
    assert len(cache["pages"]) == 3

    # The source's newest January article gains a link to its February one: nav only.
    _article(tmp_path, "berita/2025/01/panen", "Panen kopi", "Berita berikutnya: Pasar murah")
    _article(tmp_path, "berita/2025/02/jalan", "Perbaikan jalan desa", "")
    second = index_site(tmp_path, settings)
    assert [(b.id, b.reused) for b in second.bundles] == [("2025-02", False), ("2025-01", True)]

    # A change inside the indexed body re-indexes, and so does a page without the markers.
    _article(tmp_path, "berita/2025/01/panen", "Panen kopi arabika", "Berita berikutnya")
    assert [b.reused for b in index_site(tmp_path, settings).bundles] == [True, False]
    _page(tmp_path, "berita/2025/01/rapat", "Rapat koordinasi")
    assert [b.reused for b in index_site(tmp_path, settings).bundles] == [True, False]


def test_indexed_part_cannot_be_narrowed_by_content():
    """A marker typed into an article only widens the digested part (searched from the right)."""
    page = (b"<head></head><article data-pagefind-body><p>a<!--/pagefind-body-->b</p>"
            b"</article><!--/pagefind-body--><nav>n</nav>")
    part = pagedigests.indexed_part(page)
    assert part.startswith(b"data-pagefind-body") and b"b</p></article>" in part
    assert b"<nav>" not in part
    assert pagedigests.indexed_part(b"<p>no markers</p>") == b"<p>no markers</p>"


def test_pages_the_build_did_not_touch_are_not_looked_at(tmp_path, monkeypatch):
    """With the build's page digests, an unchanged page costs no file look-up at all; a page
    the build changed (another digest) is read again and re-indexes its bundle."""
    import os

    settings = {"WARTA_SEARCH": True, "WARTA_SEARCH_BUNDLE_MAX_PAGES": 2}
    rels = ["berita/2025/01/panen-raya", "berita/2025/01/pasar-murah", "berita/2025/02/vaksinasi"]
    for rel, text in zip(rels, ("Panen raya jagung", "Pasar murah beras", "Vaksinasi ternak"),
                         strict=True):
        _page(tmp_path, rel, text)
    built = {f"{rel}/index.html": f"d-{n}" for n, rel in enumerate(rels)}
    first = index_site(tmp_path, settings, built=built)
    assert [b.reused for b in first.bundles] == [False, False]

    looked: list[str] = []
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if str(path).endswith("index.html"):  # a few year and month folders are listed
            looked.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    second = index_site(tmp_path, settings, built=built)
    assert [b.reused for b in second.bundles] == [True, True]
    assert looked == []

    _page(tmp_path, rels[1], "Pasar murah beras dan minyak goreng")  # the build rewrote it
    third = index_site(tmp_path, settings, built={**built, f"{rels[1]}/index.html": "d-new"})
    assert [(b.id, b.reused) for b in third.bundles] == [("2025-02", True), ("2025-01", False)]
    assert [p for p in looked if "pasar-murah" in p] and not [p for p in looked if "vaksinasi" in p]
