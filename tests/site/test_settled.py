"""Settled reports: an incremental build leaves alone the pages no change can reach, and the
output still equals a full build's, byte for byte."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warta.archive.store import Archive

from tests.support.synthhub import SynthHub as Hub

BUILD_TIME = "2026-11-20T12:00:00+00:00"
OVERRIDES = {"WARTA_BUILD_TIME": BUILD_TIME, "DEFAULT_PAGINATION": 4}


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "sources.json"}


def _stats(out: Path) -> dict[str, int]:
    return json.loads(out.with_name(out.name + ".warta-state.json").read_text())["stats"]


def _same_as_full(hub: Hub, inc: Path, name: str) -> None:
    full = hub.build(name, full=True)
    a, b = _tree(inc), _tree(full)
    assert sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == []


def _ids(hub: Hub) -> list[str]:
    """Report ids, newest first."""
    with Archive(hub.db) as archive:
        return [e.item.id for e in archive.items()]


def _page(out: Path, item_id: str) -> Path:
    return next(out.glob(f"berita/*/*/*-{item_id[:6]}/index.html"))


@pytest.fixture()
def hub(tmp_path: Path) -> Hub:
    h = Hub(tmp_path, overrides=OVERRIDES)
    h.add(60)
    h.build("site", full=True)
    return h


def test_an_hour_of_news_settles_the_older_reports(hub: Hub) -> None:
    out = hub.root / "site"
    oldest = _ids(hub)[-1]
    before = _page(out, oldest).stat().st_mtime_ns
    hub.add(3)
    hub.build("site")
    stats = _stats(out)
    # 63 reports: the 3 new ones and their neighbours are looked at, the rest kept.
    assert 20 <= stats["settled"] < 60, stats
    assert stats["kept"] > 0, stats  # older listing pages, not even fingerprinted
    assert _page(out, oldest).stat().st_mtime_ns == before
    _same_as_full(hub, out, "full")


def test_nothing_changed_settles_every_report(hub: Hub) -> None:
    hub.build("site")
    stats = _stats(hub.root / "site")
    assert stats["settled"] == 60
    # Their pages are known to be there from their folders (witness.py), not looked up one by one.
    assert stats["looked_up"] == 0, stats


def test_pages_removed_by_hand_are_made_again(hub: Hub) -> None:
    out = hub.root / "site"
    hub.build("site")  # a build state with the folders' times
    report = _page(out, _ids(hub)[-1]).parent
    listing = next(p for p in sorted(out.glob("*/*/halaman/*")) if p.is_dir())
    feed = next(out.glob("feeds/sumber/*.atom.xml"))
    for folder in (report, listing):
        shutil.rmtree(folder)
    feed.unlink()
    hub.build("site")
    assert (report / "index.html").is_file()
    assert (listing / "index.html").is_file()
    assert feed.is_file()
    assert _stats(out)["looked_up"] > 0
    _same_as_full(hub, out, "full")


def test_a_new_report_in_an_old_story_updates_the_old_reports_page(hub: Hub) -> None:
    out = hub.root / "site"
    ids = _ids(hub)
    old = ids[-2]  # far in time from what the hour brings: settled but for its story
    with Archive(hub.db) as archive, archive.transaction() as conn:
        conn.execute("UPDATE items SET story = 'cerita-uji' WHERE id = ?", (old,))
    hub.build("site")  # the story of one report, recorded
    html = _page(out, old).read_text()
    hub.add(1)
    new = _ids(hub)[0]
    with Archive(hub.db) as archive, archive.transaction() as conn:
        conn.execute("UPDATE items SET story = 'cerita-uji' WHERE id = ?", (new,))
    hub.build("site")
    assert _stats(out)["settled"] > 0
    after = _page(out, old).read_text()
    assert after != html and new[:6] in after  # the old page now links the new report
    _same_as_full(hub, out, "full")


@pytest.mark.parametrize("change", ["moved", "withdrawn"])
def test_a_report_that_moved_or_went_away_settles_nothing(hub: Hub, change: str) -> None:
    out = hub.root / "site"
    target = _ids(hub)[30]
    with Archive(hub.db) as archive, archive.transaction() as conn:
        if change == "moved":
            row = conn.execute("SELECT published, sort_ts FROM items WHERE id = ?",
                               (target,)).fetchone()
            later = datetime.fromisoformat(row["published"]) + timedelta(days=3)
            conn.execute("UPDATE items SET published = ?, sort_ts = ? WHERE id = ?",
                         (later.isoformat(), row["sort_ts"] + 3 * 86400, target))
        else:
            conn.execute("DELETE FROM items WHERE id = ?", (target,))
    hub.build("site")
    assert _stats(out)["settled"] == 0
    _same_as_full(hub, out, "full")


def _store_from(hub: Hub, position: int, **changes: object) -> None:
    """Store a copy of the report at ``position`` (newest first) with ``changes``."""
    with Archive(hub.db) as archive:
        old = list(archive.items())[position].item
        raw = archive.raw_entry(old.id)
        assert raw is not None
        fields = {k: (v(old) if callable(v) else v) for k, v in changes.items()}
        archive.store_items([(dataclasses.replace(old, **fields), raw)], now=datetime.now(UTC))


def test_a_late_report_dated_in_the_past_is_placed_in_every_older_page(hub: Hub) -> None:
    """A report first seen now but dated weeks ago shifts the older listing pages: none kept."""
    _store_from(hub, -5, id=lambda o: "late" + o.id[4:], key=lambda o: o.key + "-late",
                link=lambda o: o.link + "-susulan", title="Laporan susulan dari kecamatan",
                published=lambda o: o.published - timedelta(hours=1))
    hub.build("site")
    _same_as_full(hub, hub.root / "site", "full")


def test_a_corrected_old_report_is_shown_on_its_older_listing_pages(hub: Hub) -> None:
    """Only the report changed, deep in its listings: their older pages are looked at again."""
    out = hub.root / "site"
    _store_from(hub, -3, title="Judul diralat oleh humas kabupaten")
    hub.build("site")
    assert _stats(out)["settled"] > 0
    shown = [p for p in out.glob("sumber/*/halaman/*/index.html")
             if "Judul diralat oleh humas" in p.read_text()]
    assert shown
    _same_as_full(hub, out, "full")


LOCAL = """Title: {title}
Date: 2026-10-01 08:00+07:00
Slug: {slug}
Source: {source}
{extra}Category: pemerintahan
Tags: imunisasi

{body}
"""


def test_an_edited_translation_of_a_settled_report_is_rendered_again(tmp_path: Path) -> None:
    """A translation shares its report's id: the report is never settled, its pages follow."""
    hub = Hub(tmp_path, overrides=OVERRIDES)
    hub.add(30)
    content, source = hub.root / "content", hub.sources[0].id
    (content / "a.md").write_text(LOCAL.format(
        title="Pekan imunisasi dimulai", slug="pekan-imunisasi", source=source,
        extra="Lang: id\n", body="Puskesmas membuka layanan imunisasi pagi ini."))

    def translation(body: str) -> None:
        (content / "a-en.md").write_text(LOCAL.format(
            title="Immunisation week begins", slug="pekan-imunisasi", source=source,
            extra="Lang: en\n", body=body))

    translation("Health centres open immunisation this morning.")
    hub.build("site", full=True)
    hub.build("site")
    translation("Health centres open immunisation from eight this morning.")
    hub.build("site")
    out = hub.root / "site"
    assert _stats(out)["settled"] > 0
    _same_as_full(hub, out, "full")


def test_a_report_on_a_template_that_is_always_rendered_is_never_settled(tmp_path: Path) -> None:
    """Its page has no digest to keep: it is rendered with its navigation every time."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "artikel_khusus.html").write_text('{% extends "article.html" %}')
    hub = Hub(tmp_path, overrides={**OVERRIDES, "THEME_TEMPLATES_OVERRIDES": [str(templates)]})
    hub.add(30)
    (hub.root / "content" / "a.md").write_text(LOCAL.format(
        title="Liputan khusus banjir", slug="liputan-khusus", source=hub.sources[0].id,
        extra="Template: artikel_khusus\n", body="Air mulai surut di tiga kelurahan."))
    hub.build("site", full=True)
    hub.build("site")
    out = hub.root / "site"
    assert _stats(out)["settled"] > 0
    _same_as_full(hub, out, "full")



def test_an_archived_report_reads_its_body_when_first_shown(hub: Hub) -> None:
    from types import SimpleNamespace

    from pelican.settings import read_settings
    from warta.site.bodies import BodyReader
    from warta.site.bridge import archived_article, outbound_links

    read: list[str] = []

    class Counting(BodyReader):
        def __call__(self, item_id: str) -> str:
            read.append(item_id)
            return super().__call__(item_id)

    settings = read_settings(None)
    gen = SimpleNamespace(settings=settings, context={})
    with Archive(hub.db) as archive:
        (entry,) = list(archive.items(limit=1, bodies=False))
        body = archive.body(entry.item.id)
    assert entry.item.content_html == "" and body
    article = archived_article(entry, None, gen, reader=Counting(hub.db))
    assert read == []  # a settled report's page is never rendered: its body is never read
    assert article.content == outbound_links(body) and read == [entry.item.id]
    # A row without a content hash is read without its body too: its article still reads it.
    bare = archived_article(dataclasses.replace(entry, content_hash=""), None, gen,
                            reader=Counting(hub.db))
    assert bare.content == outbound_links(body)


def test_more_news_than_a_page_still_keeps_the_older_pages(hub: Hub) -> None:
    """Twelve new reports fill three pages of the all-news listing (4 a page): the pages past
    them are kept without a digest, not only when the news fits on the first page."""
    out = hub.root / "site"
    hub.add(12)
    hub.build("site")
    pages = len(list(out.glob("halaman/*/index.html")))
    assert pages >= 15
    assert _stats(out)["kept"] >= pages - 4, _stats(out)
    _same_as_full(hub, out, "full")


def test_nothing_changed_reads_no_body(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages, feeds and the API with the newest reports in full (``latest.json``) are all
    kept from the last build: not one body is read from the archive."""
    from warta.archive.items import ItemStore

    hub.build("site")
    read: list[str] = []
    original = ItemStore.body

    def counting(self: ItemStore, item_id: str) -> str | None:
        read.append(item_id)
        return original(self, item_id)

    monkeypatch.setattr(ItemStore, "body", counting)
    latest = hub.root / "site/api/v1/latest.json"
    before = latest.stat().st_mtime_ns
    hub.build("site", overrides={"WARTA_RENDER_PROCESSES": 1})
    assert read == []
    assert latest.stat().st_mtime_ns == before
    hub.add(1)  # one new report: latest.json is made again, with it
    hub.build("site", overrides={"WARTA_RENDER_PROCESSES": 1})
    assert json.loads(latest.read_text())["items"][0]["id"] == _ids(hub)[0]
    assert _ids(hub)[0] in read
    _same_as_full(hub, hub.root / "site", "full")
