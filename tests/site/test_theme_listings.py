"""Grouping for the reader: stories, top stories, related news, regions (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from warta.core.records import FeedSpec, Source
from warta.site import listings

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _source(sid: str, kind: str = "pemkab", region: str | None = "33.01") -> Source:
    return Source(id=sid, name=sid, kind=kind, homepage="https://contoh.go.id",
                  feeds=(FeedSpec("https://contoh.go.id/feed"),), region=region)


def _art(aid: str, source: Source, hours: float, story: str | None = None,
         tags: tuple[str, ...] = (), category: str = "umum"):
    return SimpleNamespace(
        date=NOW - timedelta(hours=hours), title=aid, url=f"berita/{aid}/",
        tags=[SimpleNamespace(slug=t) for t in tags], category=SimpleNamespace(slug=category),
        warta=SimpleNamespace(id=aid, story=story or aid, source=source, kind=source.kind,
                              is_local=False))


A, B, C = _source("a"), _source("b", "instansi-vertikal"), _source("c", "bumd", "33")
M = _source("m", "pemkot", "73.71")


def test_top_stories_rank_by_reporting_institutions_and_lead_by_the_story_rule():
    arts = [_art("a1", A, 1, "s"), _art("m1", M, 1.5), _art("b1", B, 2, "s"),
            _art("c1", C, 3, "s"), _art("a2", A, 30)]
    stories = listings.group_stories(arts)
    top = listings.top_stories(arts, stories, NOW, limit=2)
    # a2 is older than a day (and today has the two stories asked for). Story "s": the
    # vertical agency (b1) outranks the regency (a1) and the BUMD (c1) although c1 reported
    # first (the story lead rule).
    assert [e.lead.warta.id for e in top.entries] == ["b1", "m1"]
    assert {o.warta.id for o in top.entries[0].others} == {"a1", "c1"}
    assert top.entries[0].source_count == 3
    assert top.since is None and top.heading == "Sorotan hari ini" and top.since_label is None


def test_a_quiet_day_is_filled_with_the_most_recent_stories_and_says_since_when():
    arts = [_art("a1", A, 1, "s"), _art("b1", B, 2, "s"), _art("m1", M, 30),
            _art("c1", C, 50), _art("a2", A, 52, "s2"), _art("b2", B, 53, "s2"), _art("m2", M, 70)]
    top = listings.top_stories(arts, listings.group_stories(arts), NOW, limit=4)
    # Today's story first; then the newest stories before today, newest first (not by size).
    assert [e.lead.warta.id for e in top.entries] == ["b1", "m1", "c1", "b2"]
    assert top.since == NOW - timedelta(hours=52)  # the newest report of the oldest story shown
    assert top.heading == "Sorotan terkini"
    # 22 November 2026, 08:00 UTC is Sunday 15:00 in Jakarta.
    assert top.since_label == "Sejak Minggu, 22 November 2026"


def test_top_stories_of_an_old_archive_say_since_when():
    arts = [_art("a1", A, 100), _art("b1", B, 110), _art("c1", C, 200)]
    top = listings.top_stories(arts, listings.group_stories(arts), NOW)
    assert [e.lead.warta.id for e in top.entries] == ["a1", "b1", "c1"]
    assert top.since == NOW - timedelta(hours=200)
    assert top.since_label == "Sejak Senin, 16 November 2026"


def test_an_untitled_report_never_leads_a_block():
    untitled = _art("u1", A, 1, "s")
    untitled.title = "(tanpa judul)"
    alone = _art("u2", M, 2)
    alone.title = "(tanpa judul)"
    arts = [untitled, alone, _art("c1", C, 3, "s"), _art("b1", B, 40)]
    stories = listings.group_stories(arts)
    top = listings.top_stories(arts, stories, NOW)
    assert [e.lead.warta.id for e in top.entries] == ["c1", "b1"]
    assert [o.warta.id for o in top.entries[0].others] == ["u1"]  # still counted as a report
    assert top.entries[0].source_count == 2
    home = listings.home(arts, stories, NOW)
    for block in (home.top, home.latest, *(b.stories for b in home.blocks)):
        assert all(e.lead.title != "(tanpa judul)" for e in block)
    assert [e.lead.warta.id for e in listings.one_per_story(arts, stories, 5)] == ["c1", "b1"]


def test_one_per_story_keeps_newest_report():
    arts = [_art("a1", A, 1, "s"), _art("b1", B, 2, "s"), _art("c1", C, 3)]
    entries = listings.one_per_story(arts, listings.group_stories(arts), 10)
    assert [e.lead.warta.id for e in entries] == ["a1", "c1"]
    assert [o.warta.id for o in entries[0].others] == ["b1"]


def test_home_blocks_and_hoaxes():
    hoax = _art("h1", A, 5, category="klarifikasi-hoaks")
    arts = [_art("c1", C, 1), hoax, _art("m1", M, 6)]
    home = listings.home(arts, listings.group_stories(arts), NOW)
    blocks = {b.key: [e.lead.warta.id for e in b.stories] for b in home.blocks}
    assert blocks == {"pemprov": [], "pemkab-pemkot": ["h1", "m1"], "kementerian-lembaga": [],
                      "bumn-bumd": ["c1"]}
    assert [e.lead.warta.id for e in home.hoaxes] == ["h1"]


def test_article_navs_related_prev_next_and_story():
    a1 = _art("a1", A, 1, "s", tags=("banjir",))
    a2 = _art("a2", A, 2, tags=("banjir",))
    a3 = _art("a3", A, 3)
    b1 = _art("b1", B, 1.5, "s", tags=("banjir",))
    m1 = _art("m1", M, 1.2, tags=("pasar",))
    arts = sorted([a1, a2, a3, b1, m1], key=lambda a: a.date, reverse=True)
    by_source = {"a": [a1, a2, a3], "b": [b1], "m": [m1]}
    navs = listings.article_navs(arts, listings.group_stories(arts), by_source)
    assert navs["a2"].newer is a1 and navs["a2"].older is a3
    assert navs["a1"].newer is None and navs["a3"].older is None
    assert navs["a1"].same_story == (b1,) and navs["a1"].same_story_sources == 1
    assert a2 in navs["a1"].related and b1 not in navs["a1"].related  # same story is not "related"
    assert m1 not in navs["a1"].related  # other province, no shared tag


def test_region_views_group_institutions_by_province_and_regency():
    arts_a = [_art("a1", A, 1)]
    arts_c = [_art("c1", C, 2)]
    views = listings.region_views([A, B, C, M], {"a": arts_a, "c": arts_c})
    assert [s.id for s in views["33"].sources] == ["a", "b", "c"]  # pemda first, then others
    assert {s.id for s in views["33.01"].sources} == {"a", "b"}
    assert [a.warta.id for a in views["33"].articles] == ["a1", "c1"]
    assert [a.warta.id for a in views["33.01"].articles] == ["a1"]
    children = dict((r.code, n) for r, n in views["33"].children)
    assert children["33.01"] == 2 and children["33.02"] == 0
    assert len([v for v in views.values() if v.region.level == 1]) == 38
