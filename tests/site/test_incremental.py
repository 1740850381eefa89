"""Incremental builds: same bytes as a full build, and only changed pages rewritten."""

from __future__ import annotations

import dataclasses
import filecmp
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warta.archive.store import Archive
from warta.ops import cli
from warta.site import incremental, pelican_fast

from benchmarks import synth
from tests.support.synthhub import SynthHub as Hub

BUILD_TIME = "2026-11-20T12:00:00+00:00"
OVERRIDES = {"WARTA_BUILD_TIME": BUILD_TIME, "DEFAULT_PAGINATION": 4}


BUILD_TIME_FIELDS = {"api/v1/sources.json": "generated"}
"""Documented build-time fields: the moment the file was written, not an input."""


def _tree(root: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            rel = str(p.relative_to(root))
            data = p.read_bytes()
            if rel in BUILD_TIME_FIELDS:
                doc = json.loads(data)
                doc.pop(BUILD_TIME_FIELDS[rel])
                data = json.dumps(doc, sort_keys=True).encode()
            out[rel] = data
    return out


def _mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file()}


def _stats(out: Path) -> dict[str, int]:
    return json.loads(out.with_name(out.name + ".warta-state.json").read_text())["stats"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Hub:
    h = Hub(tmp_path_factory.mktemp("hub"), overrides=OVERRIDES)
    h.add(40)
    h.build("site", full=True)
    return h


def test_unchanged_inputs_rewrite_nothing(hub: Hub) -> None:
    out = hub.root / "site"
    before = _mtimes(out)
    hub.build("site")
    stats = _stats(out)
    assert stats["skipped"] > 100
    assert stats["written"] == 0 and stats["deleted"] == 0
    # Listing feeds are not even rendered: each one's inputs have the same digest.
    feeds = [p for p in before if p.startswith("feeds/")]
    # Nor are the open-data months (api/v1/archive/YYYY-MM.json) of unchanged articles, nor
    # the newest reports in full (api/v1/latest.json).
    months = [p for p in before if p.startswith("api/v1/archive/") and p[-7:-5].isdigit()]
    assert len(feeds) > 20 and len(months) >= 1
    assert stats["files_reused"] == len(feeds) + len(months) + 1
    after = _mtimes(out)
    # Pages and listing feeds; sitemaps and the JSON API are small and always rewritten.
    pages = [p for p in before if p.endswith(".html") or p.startswith("feeds/")]
    changed = [p for p in pages if before[p] != after.get(p)]
    assert changed == [], changed


def test_changed_item_rewrites_its_page_and_listings(hub: Hub) -> None:
    out = hub.root / "site"
    with Archive(hub.db) as archive:
        entries = list(archive.items())
    target = entries[len(entries) // 2]
    bystander = entries[-1]
    page_of = {e.item.id: next(out.glob(f"berita/*/*/*-{e.item.id[:6]}/index.html"))
               for e in (target, bystander)}
    target_page, bystander_page = page_of[target.item.id], page_of[bystander.item.id]
    before = _mtimes(out)
    old_html = target_page.read_text()
    with Archive(hub.db) as archive:
        raw = archive.raw_entry(target.item.id)
    assert raw is not None
    changed = dataclasses.replace(target.item, summary="Ringkasan diperbarui setelah ralat.",
                                  content_html=target.item.content_html + "<p>Ralat data.</p>")
    with Archive(hub.db) as archive:
        archive.store_items([(changed, raw)], now=datetime.now(UTC))
    hub.build("site")
    new_html = target_page.read_text()
    assert new_html != old_html and "Ralat data." in new_html
    after = _mtimes(out)
    assert after[str(bystander_page.relative_to(out))] == before[
        str(bystander_page.relative_to(out))]
    rewritten = {p for p in before if before[p] != after.get(p)}
    # The listings the item is on show its new title; pages it is not on are untouched.
    listings = [p for p in rewritten
                if "Ringkasan diperbarui" in (out / p).read_text(errors="ignore")]
    assert any(p.startswith("kategori/") for p in listings)
    assert any(p.startswith("sumber/") for p in listings)
    source_feed = f"feeds/sumber/{target.item.source_id}.atom.xml"
    assert source_feed in listings and "feeds/semua.rss.xml" in listings
    other_sources = {e.item.source_id for e in entries} - {target.item.source_id}
    kept = [f"feeds/sumber/{s}.atom.xml" for s in other_sources
            if f"feeds/sumber/{s}.atom.xml" in before]
    assert kept and not [f for f in kept if f in rewritten]
    assert _stats(out)["files_reused"] >= len(kept)
    untouched = [p for p in before if p.startswith("berita/") and p not in rewritten]
    assert len(untouched) >= len(entries) - 10


def test_incremental_equals_full_build(hub: Hub) -> None:
    hub.add(13)  # new items across listings, more than one page's worth (pagination 4)
    inc = hub.build("site")
    assert _stats(inc)["skipped"] > 0
    full = hub.build("full", full=True)
    a, b = _tree(inc), _tree(full)
    assert sorted(a) == sorted(b)
    different = [p for p in a if a[p] != b[p]]
    assert different == []
    cmp = filecmp.dircmp(inc, full)
    assert not cmp.left_only and not cmp.right_only


def test_taken_down_item_disappears(hub: Hub) -> None:
    out = hub.root / "site"
    with Archive(hub.db) as archive:
        victim = next(archive.items())
        page = next(out.glob(f"berita/*/*/*-{victim.item.id[:6]}/index.html"))
        with archive.transaction() as conn:
            conn.execute("DELETE FROM items WHERE id = ?", (victim.item.id,))
    hub.build("site")
    assert not page.exists() and not page.parent.exists()
    assert _stats(out)["deleted"] >= 1


def test_crashed_build_leaves_no_state(tmp_path: Path) -> None:
    """The state is removed when a build starts: a crash means the next build is full."""
    out = tmp_path / "out"
    out.mkdir()
    state = incremental.state_path({"OUTPUT_PATH": str(out)})
    state.write_text(json.dumps({"version": incremental.STATE_VERSION, "salt": "x",
                                 "pages": {"a/index.html": "d"}}))
    settings = {"OUTPUT_PATH": str(out), "THEME": str(Path(cli.ROOT) / "theme"),
                "WARTA_INCREMENTAL": True, "PAGINATED_TEMPLATES": {}, "DEFAULT_PAGINATION": 4}
    writer = incremental.IncrementalWriter(str(out), settings=settings)
    assert not state.exists()
    assert writer.previous == {}  # another salt: nothing is trusted


def test_salt_follows_template_contents_not_checkout_path(tmp_path: Path) -> None:
    """A moved checkout (absolute THEME/PLUGIN_PATHS) keeps its build state."""
    import shutil

    themes = []
    for name in ("a", "b"):
        shutil.copytree(Path(cli.ROOT) / "theme", tmp_path / name / "theme")
        themes.append(tmp_path / name / "theme")

    def salt(theme: Path) -> str:
        return incremental.build_salt({"THEME": str(theme), "PLUGIN_PATHS": [str(theme.parent)],
                                       "DEFAULT_PAGINATION": 4})

    assert salt(themes[0]) == salt(themes[1])
    base = themes[1] / "templates" / "base.html"
    base.write_text(base.read_text() + "<!-- ubah -->")
    assert salt(themes[0]) != salt(themes[1])

    # Data files count too (the category labels article pages show live in a .yml file).
    rules = themes[0] / "templates" / "aturan.yml"
    rules.write_text("kategori: Pemerintahan\n")
    before = salt(themes[0])
    rules.write_text("kategori: Pemerintahan Daerah\n")
    assert salt(themes[0]) != before


def _writer(out: Path, *, incremental_build: bool) -> incremental.IncrementalWriter:
    settings = {"OUTPUT_PATH": str(out), "THEME": str(Path(cli.ROOT) / "theme"),
                "WARTA_INCREMENTAL": incremental_build, "PAGINATED_TEMPLATES": {},
                "DEFAULT_PAGINATION": 4}
    return incremental.IncrementalWriter(str(out), settings=settings)


def test_other_outputs_are_reused_only_with_same_inputs_and_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "feeds").mkdir(parents=True)
    first = _writer(out, incremental_build=False)
    a = first.input_digest("listing-feed", "feeds/a.xml", "a", "Judul", ["x", "y"])
    b = first.input_digest("listing-feed", "feeds/b.xml", "b", "Judul", ["x"])
    lost = first.input_digest("listing-feed", "feeds/lost.xml", "lost")
    gone = first.input_digest("listing-feed", "feeds/gone.xml", "gone")
    assert a and b and a != first.input_digest("listing-feed", "feeds/a.xml", "a", "Judul",
                                               ["x", "y", "z"])
    for rel, digest in (("feeds/a.xml", a), ("feeds/b.xml", b), ("feeds/lost.xml", lost),
                        ("feeds/gone.xml", gone)):
        assert not first.reuse(rel, digest)  # a full build makes every file
        (out / rel).write_text(rel)
    first.finish()
    (out / "feeds/lost.xml").unlink()

    second = _writer(out, incremental_build=True)
    assert second.reuse("feeds/a.xml", a)
    assert not second.reuse("feeds/b.xml", second.input_digest(
        "listing-feed", "feeds/b.xml", "b", "Judul", ["x", "new"]))
    assert not second.reuse("feeds/lost.xml", lost)  # recorded, but the file is gone
    assert not second.reuse("feeds/c.xml", None)  # no digest: always made
    assert second.input_digest("listing-feed", "feeds/d.xml", object()) is None
    stats = second.finish()
    assert stats.files_reused == 1
    assert not (out / "feeds/gone.xml").exists()  # not made by this build: deleted
    assert (out / "feeds/b.xml").exists()


@pytest.mark.parametrize("count", [0, 1, 3, 4, 5, 8, 9, 23, 40])
def test_stable_pages_cover_the_list_once(count: int) -> None:
    pages = incremental.stable_pages(count, 4)
    covered = [i for _, start, end in pages for i in range(start, end)]
    assert covered == list(range(count))
    assert pages[0][0] == 1
    assert all(4 <= end - start <= 7 for _, start, end in pages[:1] if count >= 4)
    assert all(end - start == 4 for _, start, end in pages[1:])


def test_old_pages_keep_their_articles_when_news_arrives() -> None:
    """Page N holds the same articles (counted from the oldest) whatever is added later."""
    per = 20
    for before in (45, 60, 99):
        articles = [f"a{i}" for i in range(before)][::-1]  # newest first
        grown = [f"a{i}" for i in range(before + 17)][::-1]
        old = {n: articles[s:e] for n, s, e in incremental.stable_pages(len(articles), per)}
        new = {n: grown[s:e] for n, s, e in incremental.stable_pages(len(grown), per)}
        for number, members in old.items():
            if number > 1 and number in new:
                assert new[number] == members


def test_dates_filter_matches_pelican() -> None:
    class A:  # Content compares by identity, like Pelican's
        pass

    everything = [A() for _ in range(50)]
    members = [*everything[::3], everything[1]]
    assert pelican_fast.dates_of(everything, members) == [a for a in everything if a in members]



def test_period_archives_match_pelican() -> None:
    """The set-based period archives equal Pelican 4.12's own, key for key, in order."""
    from pelican.generators import ArticlesGenerator
    from pelican.settings import DEFAULT_CONFIG

    class A:
        def __init__(self, d: datetime):
            self.date = d

    start = datetime(2025, 12, 30, 8, tzinfo=UTC)
    dated = [A(start + timedelta(hours=7 * i)) for i in range(60)]
    articles = dated[::-1][::2] + dated[1::2]  # another order, some in both halves
    articles.insert(7, A(start))  # an article not in ``dated`` is in no period
    settings = {**DEFAULT_CONFIG, "YEAR_ARCHIVE_SAVE_AS": "arsip/{date:%Y}/",
                "MONTH_ARCHIVE_SAVE_AS": "arsip/{date:%Y}/{date:%m}/",
                "DAY_ARCHIVE_SAVE_AS": "arsip/{date:%Y}/{date:%m}/{date:%d}/"}
    original = pelican_fast._ORIGINALS.get("_build_period_archives") or \
        ArticlesGenerator._build_period_archives
    assert getattr(original, "_warta_fast", False) is False
    ours = pelican_fast.build_period_archives(None, dated, articles, settings)
    theirs = original(None, dated, articles, settings)
    assert set(ours) == set(theirs) == {"year", "month", "day"}
    for granularity in theirs:
        assert len(ours[granularity]) == len(theirs[granularity]) > 1
        for a, b in zip(ours[granularity], theirs[granularity], strict=True):
            assert a == b


def test_relative_source_path_matches_pelican(tmp_path: Path) -> None:
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    # The fast path falls back to Pelican's own function, which apply() keeps: without it the
    # test passed only after another test had built a site.
    pelican_fast.apply()
    original = pelican_fast._ORIGINALS["get_relative_source_path"]
    assert not getattr(original, "_warta_fast", False)
    article = Article("<p>isi</p>", metadata={"title": "Judul"}, settings=settings,
                      source_path="warta-archive/abc123")
    for path in ("warta-archive/abc123", "a/./b//c", "a/../b", "../luar/x.md", "..", ".",
                 str(tmp_path / "content/berita/x.md"), str(tmp_path / "lain/y.md"), "a/b/../../..",
                 None):
        assert pelican_fast.get_relative_source_path(article, path) == original(article, path), path


def test_fast_pelican_gives_identical_listings(tmp_path: Path) -> None:
    """Pelican's own taxonomy filters vs the set-based ones: byte-identical output."""
    content = tmp_path / "content"
    sources = synth.make_sources(4, seed=5)
    synth.write_registry(tmp_path / "sources", sources)
    synth.write_markdown(content, synth.items(30, sources, total=30, months=3))
    settings = {"WARTA_BUILD_TIME": BUILD_TIME, "DEFAULT_PAGINATION": 4, "PATH": str(content),
                "WARTA_STABLE_PAGINATION": ()}
    pelican_fast.restore()
    try:
        slow = cli.build(sources_dir=tmp_path / "sources", db=tmp_path / "none.sqlite",
                         output=tmp_path / "slow", full=True,
                         overrides={**settings, "WARTA_FAST_PELICAN": False})
        assert not pelican_fast.is_applied()
        fast = cli.build(sources_dir=tmp_path / "sources", db=tmp_path / "none.sqlite",
                         output=tmp_path / "fast", full=True, overrides=settings)
        assert pelican_fast.is_applied()
    finally:
        pelican_fast.apply()
    a, b = _tree(slow), _tree(fast)
    assert sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == []
    assert any(p.startswith("topik/") for p in a) and any(p.startswith("kategori/") for p in a)


def test_item_dates_are_recent_enough() -> None:
    """Sanity of the synthetic corpus the tests and benchmarks share."""
    its = list(synth.items(5, synth.make_sources(3), total=5, months=1))
    assert all(i.published > datetime(2026, 10, 1, tzinfo=UTC) - timedelta(days=1) for i in its)
    assert len({i.id for i in its}) == 5


def test_an_hour_of_news_leaves_older_listing_pages_alone(hub: Hub) -> None:
    """sources, regions and kinds are paginated from the oldest too, and a source's
    changing health (every fetch) is not an input of its listing pages."""
    out = hub.root / "site"
    hub.build("site")
    older = [p for p in _mtimes(out)
             if p.split("/")[0] in ("sumber", "wilayah", "jenis", "kategori", "topik", "halaman")
             and "/halaman/" in f"/{p}"]
    assert any(p.startswith(("wilayah/", "jenis/")) for p in older)
    before = _mtimes(out)
    with Archive(hub.db) as archive:
        for s in hub.sources:  # the next hourly fetch: every source's health moves
            archive.record_source(s.id, now=datetime.now(UTC), status="ok")
    hub.add(5)
    hub.build("site")
    after = _mtimes(out)
    rewritten = [p for p in older if after.get(p) != before[p]]
    # The only older page that may change is the one whose "newer page" link now points at a
    # page that did not exist before (P new articles of one listing open a new page).
    grown = {p.split("halaman/")[0] for p in after if p not in before and "halaman/" in p}
    assert [p for p in rewritten if p.split("halaman/")[0] not in grown] == []
    assert len(rewritten) <= len(grown) and len(older) > 10 * len(rewritten)
    assert _stats(out)["written"] > 0  # the news itself did land
