"""What an hour writes: unchanged files keep their bytes and mtimes, one new report touches few files.

A publish by rsync (size + mtime) or object-storage sync sends every file whose
mtime moved, so these tests look at mtimes of the whole output — pages, feeds,
JSON API, sitemaps, theme copies, schemas and the search bundles. Before each
build every mtime is set back to a fixed old time: any rewrite, even within the
same clock tick, shows.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

import pytest
from warta.ops import cli
from warta.ops.postprocess import gzip_precompress
from warta.site import seo

from tests.support.synthhub import SynthHub as Hub

BUILD_TIME = "2026-11-20T12:00:00+00:00"
OVERRIDES = {"WARTA_BUILD_TIME": BUILD_TIME, "DEFAULT_PAGINATION": 4}
OLD = 1_000_000_000 * 10**9
"""2001-09-09 in ns: the mtime every output file is set back to before a build."""
TOTAL = 41
"""The corpus: 40 reports built first, then the 41st, the newest, arrives."""

HUB_WIDE = re.compile(
    r"^(index\.html|arsip/.*|status/.*|sitemap\.xml|sitemap-news\.xml|api/index\.html"
    r"|api/v1/(latest|sources)\.json|api/v1/archive/[\d-]+\.json|api/v1/archive/index\.json"
    r"|kategori/index\.html|topik/index\.html|cari/index\.html"
    r"|pagefind/bundles\.json|pagefind/\d{4}-\d{2}/.*)$")
"""Pages every new report changes: home, archives, dashboard, sitemaps, the API's newest lists,
the category and topic indexes (counts) and the search bundle of its month."""


def _age(out: Path) -> None:
    for dirpath, _dirs, names in os.walk(out):
        for name in names:
            os.utime(os.path.join(dirpath, name), ns=(OLD, OLD))


def _changed(out: Path) -> dict[str, int]:
    """Files rewritten or created since :func:`_age`, with their sizes."""
    found = {}
    for dirpath, _dirs, names in os.walk(out):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            if st.st_mtime_ns != OLD:
                found[os.path.relpath(path, out)] = st.st_size
    return found


def _site(hub: Hub) -> Path:
    return hub.root / "site"


def _files(out: Path) -> set[str]:
    return {os.path.relpath(os.path.join(d, n), out) for d, _s, names in os.walk(out)
            for n in names}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Hub:
    h = Hub(tmp_path_factory.mktemp("stable"), overrides=OVERRIDES, total=TOTAL, search=True)
    h.add(TOTAL - 1)
    h.build(full=True)
    return h


def test_nothing_changed_rewrites_no_file(hub: Hub) -> None:
    before = _files(_site(hub))
    assert any(p.startswith("pagefind/") for p in before)  # the search bundles are part of it
    assert any(p.startswith("theme/") for p in before) and "sitemap.xml" in before
    _age(_site(hub))
    hub.build()
    assert _files(_site(hub)) == before
    assert _changed(_site(hub)) == {}


def test_one_new_report_rewrites_only_what_shows_it(hub: Hub) -> None:
    before = _files(_site(hub))
    _age(_site(hub))
    hub.add(1)
    hub.build()
    changed = _changed(_site(hub))
    new_pages = [p for p in changed if p.startswith("berita/") and p not in before]
    assert len(new_pages) == 1, new_pages
    url = "/" + new_pages[0].removesuffix("index.html")
    # Its page and its neighbours' (their previous/next links), nothing else of the archive.
    assert len([p for p in changed if p.startswith("berita/")]) <= 3

    def shows_new(page: str) -> bool:
        path = _site(hub) / page
        return path.is_file() and url in path.read_text(encoding="utf-8")

    unexpected = []
    for rel in changed:
        if rel.startswith("berita/") or HUB_WIDE.match(rel):
            continue
        if rel.startswith("feeds/"):
            key = re.sub(r"\.(atom\.xml|rss\.xml|json)$", "", rel.removeprefix("feeds/"))
            listing = "index.html" if key == "semua" else f"{key}/index.html"
            if shows_new(listing):
                continue
        elif rel.startswith("api/v1/widget/"):
            if url in (_site(hub) / rel).read_text(encoding="utf-8"):
                continue
        else:
            # A listing (or its widget) that shows the new report on its first page; a new
            # numbered page appears when the listing grew by a whole page.
            first = re.sub(r"halaman/\d+/index\.html$", "index.html", rel)
            if shows_new(first):
                continue
        unexpected.append(rel)
    assert unexpected == []
    # The listings of other sources, regions and kinds were not touched.
    untouched = [p for p in before if p.startswith(("sumber/", "wilayah/", "jenis/", "feeds/"))
                 and p not in changed]
    assert len(untouched) > 10 * len([p for p in changed if p.startswith(("sumber/", "feeds/"))])
    assert len(changed) < 0.05 * len(before)
    # Listing feeds carry summaries: the report's body is in its page, not in its region's feed.
    region_feed = next(p for p in changed if p.startswith("feeds/wilayah/")
                       and p.endswith(".atom.xml"))
    body = (_site(hub) / new_pages[0]).read_text(encoding="utf-8")
    last = re.findall(r"<p>([^<]{80,})</p>", body)[-1]  # past the summary's words
    feed = (_site(hub) / region_feed).read_text(encoding="utf-8")
    assert url in feed and last[:60] not in feed


def test_sitemap_files_of_older_articles_keep_their_bytes(tmp_path: Path) -> None:
    """Oldest first, cut from the start: an hour's news rewrites the last file and the index."""
    settings = {"SITEURL": "https://warta.id"}

    def urls(count: int) -> list[seo.SitemapURL]:
        return [seo.SitemapURL(f"berita/{n}/") for n in range(count)]

    seo.write_sitemap(urls(25), tmp_path, settings, per_file=10)
    files = sorted((tmp_path / "sitemaps").glob("*.xml"))
    assert [f.name for f in files] == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    _age(tmp_path)
    seo.write_sitemap(urls(27), tmp_path, settings, per_file=10)
    assert sorted(_changed(tmp_path)) == ["sitemaps/sitemap-3.xml"]
    assert "berita/26/" in (tmp_path / "sitemaps/sitemap-3.xml").read_text()
    seo.write_sitemap(urls(15), tmp_path, settings, per_file=10)  # takedowns: one file fewer
    assert not (tmp_path / "sitemaps/sitemap-3.xml").exists()
    assert "sitemap-3" not in (tmp_path / "sitemap.xml").read_text()


def test_gzip_siblings_are_made_once_per_change(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<p>Warta hari ini.</p>" * 200, encoding="utf-8")
    other = tmp_path / "feeds.xml"
    other.write_text("<feed>" + "<entry>berita</entry>" * 200 + "</feed>", encoding="utf-8")
    assert gzip_precompress(tmp_path, {})["files"] == 2
    gz = tmp_path / "index.html.gz"
    made = gz.stat().st_ctime_ns
    assert gzip_precompress(tmp_path, {})["files"] == 0  # nothing changed: nothing redone
    assert gz.stat().st_ctime_ns == made
    page.write_text("<p>Warta terbaru.</p>" * 200, encoding="utf-8")
    assert gzip_precompress(tmp_path, {})["files"] == 1
    assert gzip.decompress(gz.read_bytes()) == page.read_bytes()
    assert gz.stat().st_mtime_ns == page.stat().st_mtime_ns


def test_gzip_siblings_of_gone_or_shrunk_pages_are_removed(tmp_path: Path) -> None:
    """A withdrawn report's page goes, and so must its .gz: a server sending .gz siblings
    would otherwise keep serving it. A page now too small to compress loses its old .gz."""
    withdrawn = tmp_path / "berita/2026/12/ditarik/index.html"
    withdrawn.parent.mkdir(parents=True)
    withdrawn.write_text("<p>Berita yang ditarik.</p>" * 200, encoding="utf-8")
    small = tmp_path / "tentang/index.html"
    small.parent.mkdir(parents=True)
    small.write_text("<p>Tentang Warta.</p>" * 200, encoding="utf-8")
    archive = tmp_path / "unduh/data.csv.gz"  # a compressed download, not a sibling
    archive.parent.mkdir(parents=True)
    archive.write_bytes(gzip.compress(b"a,b"))
    assert gzip_precompress(tmp_path, {})["files"] == 2
    withdrawn.unlink()
    small.write_text("<p>Singkat.</p>", encoding="utf-8")
    done = gzip_precompress(tmp_path, {})
    assert done["removed"] == 2 and done["files"] == 0
    assert not withdrawn.with_name("index.html.gz").exists()
    assert not small.with_name("index.html.gz").exists()
    assert archive.exists()


def test_listing_feed_content_setting(hub: Hub, tmp_path: Path) -> None:
    """``source``: whole reports in per-source feeds only; ``full``: in every listing feed."""
    from warta.site.feeds import full_text

    assert not full_text("wilayah/33", {}) and not full_text("sumber/x", {})
    assert full_text("sumber/x", {"WARTA_LISTING_FEED_CONTENT": "source"})
    assert not full_text("semua", {"WARTA_LISTING_FEED_CONTENT": "source"})
    assert full_text("semua", {"WARTA_LISTING_FEED_CONTENT": "full"})
    with pytest.raises(ValueError, match="WARTA_LISTING_FEED_CONTENT"):
        full_text("semua", {"WARTA_LISTING_FEED_CONTENT": "semua"})
    out = cli.build(sources_dir=hub.root / "sources", db=hub.db, output=tmp_path / "full",
                    full=True, overrides={**hub.overrides, "WARTA_LISTING_FEED_CONTENT": "source",
                                          "WARTA_LISTING_FEED_ITEMS": 2, "FEED_MAX_ITEMS": 7})
    source_feed = next((out / "feeds/sumber").glob("*.json"))
    items = json.loads(source_feed.read_text(encoding="utf-8"))["items"]
    assert items and all("content_html" in i for i in items)
    home = json.loads((out / "feeds/semua.json").read_text(encoding="utf-8"))["items"]
    assert home and all("content_html" not in i and i["content_text"] == i["summary"]
                        for i in home)
    # WARTA_LISTING_FEED_ITEMS bounds every listing feed but the all-news one (FEED_MAX_ITEMS),
    # in every format; the listings hold more reports than either.
    assert len(home) == 7
    for feed in (out / "feeds").rglob("*.*"):
        if feed.name.startswith("semua."):
            continue
        text = feed.read_text(encoding="utf-8")
        count = (len(json.loads(text)["items"]) if feed.suffix == ".json"
                 else text.count("<entry>") + text.count("<item>"))
        assert count <= 2, (feed, count)
    assert any(len(json.loads(f.read_text(encoding="utf-8"))["items"]) == 2
               for f in (out / "feeds/sumber").glob("*.json"))
    assert any((out / "feeds/sumber").glob("*.rss.xml"))
    assert all(f.read_text(encoding="utf-8").count("<entry>") <= 2
               for f in (out / "feeds/wilayah").glob("*.atom.xml"))
    assert any(f.read_text(encoding="utf-8").count("<entry>") == 2
               for f in (out / "feeds/wilayah").glob("*.atom.xml"))
    latest = json.loads((out / "api/v1/latest.json").read_text(encoding="utf-8"))["items"]
    assert all("content_html" in i for i in latest)  # the API keeps whole reports
