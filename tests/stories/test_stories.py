"""Story grouping: accuracy on the labelled set, identity, lead, incremental."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from warta.archive.store import Archive
from warta.core.records import Item, RawEntry, Source
from warta.site.bridge import WartaInfo
from warta.site.stories import build_story_index, story_leads
from warta.stories.assign import StoryIndex, assign_stories
from warta.stories.compare import compare, make_doc
from warta.stories.lead import lead_key, seniority
from warta.stories.text import band_keys

from tests.support.story_corpus import build_corpus
from tests.support.story_eval import batches_by_day, load_labelled, pairwise, store

WIB = timezone(timedelta(hours=7))
T0 = datetime(2025, 3, 3, 10, 0, tzinfo=WIB)


def row(item_id: str, source_id: str, title: str, paragraphs: list[str], at: datetime,
        place: str | None = None) -> dict[str, object]:
    return {"id": item_id, "source_id": source_id, "title": title,
            "content_html": "".join(f"<p>{p}</p>" for p in paragraphs),
            "published": at.isoformat(), "place": place}


# Hand-written reports (not from the generator) for the unit tests below.
RAKOR = [
    "Rapat Koordinasi Kehumasan se-Provinsi {prov} berlangsung di Gedung Praja, {kota}, {hari} "
    "({tgl}). Kegiatan ini diikuti {n} pengelola humas dari seluruh kabupaten dan kota.",
    "Gubernur {prov} {gub} mengatakan humas pemerintah harus menyampaikan program pembangunan "
    "dengan cepat, tepat dan mudah dipahami masyarakat di {prov}.",
    "“Kita ingin semua humas memiliki narasi tunggal dalam menyampaikan program provinsi dan "
    "kabupaten kepada warga,” kata {gub} di hadapan peserta rapat di {kota}.",
    "Rapat juga membahas pengelolaan media sosial resmi, penanganan hoaks dan standar siaran pers "
    "yang akan diterapkan serentak mulai bulan depan di {prov}.",
]
JATENG = {"prov": "Jawa Tengah", "kota": "Semarang", "gub": "Bambang Sutrisno", "hari": "Senin",
          "tgl": "3/3/2025", "n": "80"}
JATIM = {"prov": "Jawa Timur", "kota": "Surabaya", "gub": "Siti Rahmawati", "hari": "Senin",
         "tgl": "3/3/2025", "n": "95"}


def rakor(item_id: str, source: str, facts: dict[str, str], *, intro: str = "",
          order: tuple[int, ...] = (0, 1, 2, 3), at: datetime = T0) -> dict[str, object]:
    paras = [RAKOR[i].format(**facts) for i in order]
    if intro:
        paras.insert(0, intro)
    return row(item_id, source, f"Rakor Kehumasan se-{facts['prov']} Bahas Narasi Tunggal", paras, at)


TRAINING_BG = ("Pelatihan yang diikuti 70 peserta dari perangkat daerah se-Jawa Tengah ini berlangsung "
               "selama tiga hari di Hotel Santika Raya, Semarang, dan bertujuan meningkatkan kemampuan "
               "aparatur menyajikan informasi pembangunan.")
TRAINING_QUOTE = ("Kepala Diskominfo Jateng mengatakan kemampuan menulis dan mengemas informasi sangat "
                  "penting. “Humas adalah wajah pemerintah. Kalau informasinya rapi, kepercayaan warga "
                  "ikut tumbuh,” ujarnya.")


def training(item_id: str, source: str, day: int, at: datetime) -> dict[str, object]:
    ordinal = {1: "pertama", 2: "kedua"}[day]
    weekday = {1: "Selasa", 2: "Rabu"}[day]
    date = {1: "4/3/2025", 2: "5/3/2025"}[day]
    topic = {1: "teknik menulis berita oleh wartawan senior Rinaldi Pohan",
             2: "fotografi jurnalistik oleh fotografer Galih Pradana"}[day]
    return row(item_id, source, f"Pelatihan Jurnalistik Humas Jateng Hari {ordinal.title()}", [
        f"Pelatihan Jurnalistik bagi Pengelola Humas se-Jawa Tengah memasuki hari {ordinal}, "
        f"{weekday} ({date}). Pada hari {ordinal} ini peserta mendapat materi {topic}.",
        TRAINING_BG, TRAINING_QUOTE,
    ], at)


def archive_with(tmp_path: Path, *batches: list[dict[str, object]]) -> Archive:
    archive = Archive(tmp_path / "warta.sqlite")
    for batch in batches:
        store(archive, batch)
        assign_stories(archive)
    return archive


def story_of(archive: Archive, item_id: str) -> str:
    entry = archive.get(item_id)
    assert entry is not None
    return entry.story


# -- accuracy on the labelled set -------------------------------------------------------


def test_labelled_set_is_big_and_hard_enough() -> None:
    rows = load_labelled()
    stories = Counter(str(r["story"]) for r in rows)
    assert len(rows) >= 200
    assert sum(1 for n in stories.values() if n > 1) >= 40
    # Hard negatives: one template reused by several events in the same days.
    assert sum(1 for s in stories if s.startswith("rakorhumas-")) >= 3
    assert {"pelatihan-jateng-hari1", "pelatihan-jateng-hari2", "pelatihan-jateng-hari3"} <= set(stories)


def test_labelled_set_matches_its_generator() -> None:
    assert build_corpus(6) == load_labelled()


def test_pairwise_precision_and_recall_on_labelled_set(tmp_path: Path) -> None:
    rows = load_labelled()
    archive = archive_with(tmp_path, *batches_by_day(rows))
    predicted = {str(r["id"]): story_of(archive, str(r["id"])) for r in rows}
    gold = {str(r["id"]): str(r["story"]) for r in rows}
    scores = pairwise(predicted, gold)
    print(f"\nstories: precision={scores.precision:.3f} recall={scores.recall:.3f} "
          f"tp={scores.tp} fp={scores.fp} fn={scores.fn}")
    assert scores.precision >= 0.95, scores.false_pairs[:10]
    assert scores.recall >= 0.85, scores.missed_pairs[:10]


def test_pairwise_scoring_counts_pairs() -> None:
    s = pairwise({"a": "x", "b": "x", "c": "x", "d": "d"}, {"a": "1", "b": "1", "c": "2", "d": "1"})
    assert (s.tp, s.fp, s.fn) == (1, 2, 2)
    assert s.precision == pytest.approx(1 / 3) and s.recall == pytest.approx(1 / 3)


# -- the two hard-negative patterns and a true rewrite ------------------------------------------


def test_rewrites_of_one_release_form_one_story(tmp_path: Path) -> None:
    province = rakor("prov", "pemprov-jateng", JATENG)
    kudus = rakor("kudus", "pemkab-kudus", JATENG, order=(2, 0, 3),
                  intro="Bupati Kudus Hendra Wicaksono menghadiri rapat koordinasi kehumasan di "
                        "Semarang bersama kepala diskominfo se-Jawa Tengah.",
                  at=T0 + timedelta(hours=20))
    archive = archive_with(tmp_path, [province], [kudus])
    assert story_of(archive, "kudus") == story_of(archive, "prov") == "prov"


def test_same_template_in_two_provinces_stays_apart(tmp_path: Path) -> None:
    a = rakor("jateng", "pemprov-jateng", JATENG)
    b = rakor("jatim", "pemprov-jatim", JATIM, at=T0 + timedelta(hours=2))
    verdict = compare(*(make_doc(str(r["id"]), str(r["title"]), str(r["content_html"]),
                                 datetime.fromisoformat(str(r["published"])).timestamp(), None,
                                 str(r["source_id"])) for r in (a, b)))
    assert verdict.text > 0.4  # genuinely similar text…
    assert not verdict.same and verdict.reason == "conflict"  # …yet two events
    archive = archive_with(tmp_path, [a, b])
    assert story_of(archive, "jateng") != story_of(archive, "jatim")


def test_day_one_and_day_two_of_a_training_stay_apart(tmp_path: Path) -> None:
    day1 = training("h1", "pemprov-jateng", 1, T0)
    day1_kudus = training("h1k", "pemkab-kudus", 1, T0 + timedelta(hours=5))
    day2 = training("h2", "pemprov-jateng", 2, T0 + timedelta(days=1))
    archive = archive_with(tmp_path, [day1, day1_kudus], [day2])
    assert story_of(archive, "h1") == story_of(archive, "h1k")
    assert story_of(archive, "h2") != story_of(archive, "h1")


def test_far_apart_dates_stay_apart(tmp_path: Path) -> None:
    a = rakor("a", "pemprov-jateng", JATENG)
    b = rakor("b", "pemkab-kudus", JATENG, at=T0 + timedelta(days=10))
    archive = archive_with(tmp_path, [a], [b])
    assert story_of(archive, "a") != story_of(archive, "b")


# -- identity, merges, incremental ------------------------------------------------------


def test_story_id_is_stable_when_reports_join(tmp_path: Path) -> None:
    first = rakor("first", "pemkab-kudus", JATENG, at=T0 + timedelta(hours=3))
    archive = archive_with(tmp_path, [first])
    assert story_of(archive, "first") == "first"
    # A province report published *earlier* arrives later, then a third one.
    early = rakor("early", "pemprov-jateng", JATENG, order=(1, 0, 2, 3), at=T0)
    store(archive, [early])
    assign_stories(archive)
    late = rakor("late", "pemkab-pati", JATENG, order=(3, 2, 1), at=T0 + timedelta(days=1))
    store(archive, [late])
    assign_stories(archive)
    assert {story_of(archive, i) for i in ("first", "early", "late")} == {"first"}
    members = [m.item.id for m in archive.story_members("first")]
    assert members == ["early", "first", "late"]  # oldest published first


def test_two_stories_merge_into_the_older_one(tmp_path: Path) -> None:
    halves = [RAKOR[i].format(**JATENG) for i in range(4)]
    a = row("a", "pemkab-kudus", "Rakor Kehumasan", halves[:2], T0)
    b = row("b", "pemkab-pati", "Humas Diminta Satu Suara", halves[2:], T0 + timedelta(hours=1))
    archive = archive_with(tmp_path, [a], [b])
    assert story_of(archive, "a") == "a" and story_of(archive, "b") == "b"
    both = row("c", "pemprov-jateng", "Rakor Kehumasan se-Jawa Tengah", halves, T0 + timedelta(hours=2))
    store(archive, [both])
    report = assign_stories(archive)
    assert report.merged == 1
    assert {story_of(archive, i) for i in "abc"} == {"a"}  # "a" was formed first
    merged = archive.conn.execute("SELECT absorbed, story FROM story_merges").fetchall()
    assert [tuple(r) for r in merged] == [("b", "a")]
    assert [m.item.id for m in archive.story_members("b")] == ["a", "b", "c"]  # old id still resolves


def _snapshot(conn: sqlite3.Connection, sql: str) -> dict[object, tuple[object, ...]]:
    return {r[0]: tuple(r) for r in conn.execute(sql)}


def test_assigning_a_batch_touches_only_new_rows_and_merges(tmp_path: Path) -> None:
    rows = load_labelled()
    old, new = rows[: len(rows) // 2], rows[len(rows) // 2:]
    archive = archive_with(tmp_path, old)
    conn = archive.conn
    items_sql = "SELECT * FROM items ORDER BY id"
    before_items = _snapshot(conn, items_sql)
    before_sigs = _snapshot(conn, "SELECT seq, * FROM story_sigs")
    before_bands = conn.execute("SELECT band_key, seq FROM story_bands ORDER BY 1, 2").fetchall()
    store(archive, new)
    index = StoryIndex(archive)
    assert len(index.pending()) == len(new)
    report = index.assign()
    assert report.assigned == len(new)
    assert index.pending() == []
    after_items = _snapshot(conn, items_sql)
    story_col = [d[0] for d in conn.execute(items_sql).description].index("story")
    merges = dict(conn.execute("SELECT absorbed, story FROM story_merges").fetchall())
    for item_id, before in before_items.items():
        after = after_items[item_id]
        if after[story_col] != before[story_col]:
            assert merges.get(str(before[story_col])) == after[story_col]  # only via a merge
        assert after[:story_col] + after[story_col + 1:] == before[:story_col] + before[story_col + 1:]
    after_sigs = _snapshot(conn, "SELECT seq, * FROM story_sigs")
    assert {k: after_sigs[k] for k in before_sigs} == before_sigs
    old_seqs = set(before_sigs)
    after_bands = [tuple(r) for r in conn.execute("SELECT band_key, seq FROM story_bands ORDER BY 1, 2")
                   if r[1] in old_seqs]
    assert after_bands == [tuple(r) for r in before_bands]


def test_changed_item_is_signed_again_and_keeps_its_story(tmp_path: Path) -> None:
    a = rakor("a", "pemprov-jateng", JATENG)
    b = rakor("b", "pemkab-kudus", JATENG, order=(3, 2, 1, 0), at=T0 + timedelta(hours=4))
    archive = archive_with(tmp_path, [a, b])
    assert story_of(archive, "b") == "a"
    seq_before = archive.conn.execute("SELECT seq FROM story_sigs WHERE item_id='b'").fetchone()[0]
    edited = dict(b, content_html=str(b["content_html"]) + "<p>Ralat: jumlah peserta 80 orang.</p>")
    store(archive, [edited])
    index = StoryIndex(archive)
    assert index.pending() == ["b"]
    index.assign()
    assert index.pending() == []
    assert story_of(archive, "b") == "a"
    assert archive.conn.execute("SELECT seq FROM story_sigs WHERE item_id='b'").fetchone()[0] == seq_before
    # The old version's LSH bands are gone; exactly the new version's are indexed.
    new_doc = make_doc("b", str(edited["title"]), str(edited["content_html"]), 0.0)
    rows = archive.conn.execute("SELECT band_key FROM story_bands WHERE seq = ?", (seq_before,))
    assert {r[0] for r in rows} == set(band_keys(new_doc.sig))


def test_empty_text_never_matches(tmp_path: Path) -> None:
    a = row("a", "pemkab-kudus", "Foto", [""], T0)
    b = row("b", "pemkab-pati", "Foto", [""], T0)
    archive = archive_with(tmp_path, [a, b])
    assert story_of(archive, "a") == "a" and story_of(archive, "b") == "b"


# -- lead rule and site data -------------------------------------------------------------


def source(sid: str, kind: str, region: str | None = "33.19") -> Source:
    return Source(id=sid, name=sid, kind=kind, homepage="https://contoh.go.id", feeds=(), region=region)


def article(aid: str, src: Source | None, at: datetime, story: str, *,
            local: bool = False) -> SimpleNamespace:
    info = WartaInfo(id=aid, source=src, is_local=local, story=story)
    return SimpleNamespace(warta=info, date=at, slug=aid, title=aid)


def test_seniority_order() -> None:
    ranks = [seniority(source("x", k, r)) for k, r in [
        ("kementerian", None), ("lembaga", None), ("pemprov", "33"), ("dprd", "33"),
        ("pemkab", "33.19"), ("bumn", None), ("lainnya", "33")]]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert seniority(source("d", "dprd", "33.19")) == seniority(source("k", "pemkab"))
    assert seniority(None) > seniority(source("x", "lainnya"))


def test_lead_is_local_then_most_senior_then_earliest() -> None:
    kab = article("kab", source("pemkab-kudus", "pemkab"), T0, "s")
    prov = article("prov", source("pemprov-jateng", "pemprov", "33"), T0 + timedelta(hours=5), "s")
    kemen = article("kemen", source("kemenkominfo", "kementerian", None), T0 + timedelta(hours=9), "s")
    prov_early = article("prov0", source("pemprov-jatim", "pemprov", "35"), T0 - timedelta(hours=1), "s")
    view = build_story_index([kab, prov, kemen, prov_early])["s"]
    assert [a.warta.id for a in view.reports] == ["kemen", "prov0", "prov", "kab"]
    local = article("lokal-x", source("pemkab-pati", "pemkab"), T0 + timedelta(days=1), "s", local=True)
    view = build_story_index([kab, prov, kemen, local])["s"]
    assert view.lead is local
    assert view.office_count == 4 and len(view.other_offices(kab)) == 3
    assert view.url == "cerita/s/"
    assert lead_key(is_local=False, source=None, published_ts=1.0, item_id="a") > \
        lead_key(is_local=False, source=source("x", "lainnya"), published_ts=9.0, item_id="z")


def test_story_leads_keeps_one_entry_per_story() -> None:
    kab = article("kab", source("pemkab-kudus", "pemkab"), T0 + timedelta(hours=2), "s")
    prov = article("prov", source("pemprov-jateng", "pemprov", "33"), T0, "s")
    other = article("o", source("pemkab-pati", "pemkab"), T0 + timedelta(hours=1), "o")
    stories = build_story_index([kab, prov, other])
    listing = story_leads([kab, other, prov], stories)  # newest first
    assert listing == [prov, other]


def test_item_of_labelled_set_roundtrips_as_item() -> None:
    from tests.support.story_eval import to_item

    item, raw = to_item(load_labelled()[0])
    assert isinstance(item, Item) and isinstance(raw, RawEntry)


def test_cli_stories_places_pending_items(tmp_path: Path) -> None:
    from warta.ops import cli

    with Archive(tmp_path / "w.sqlite") as archive:
        store(archive, [rakor("a", "pemprov-jateng", JATENG),
                        rakor("b", "pemkab-kudus", JATENG, order=(3, 1, 0), at=T0 + timedelta(hours=1))])
    result = cli.stories(tmp_path / "w.sqlite", quiet=True)
    assert result["assigned"] == 2 and result["joined"] == 1
    assert cli.stories(tmp_path / "w.sqlite", quiet=True)["assigned"] == 0
    with Archive(tmp_path / "w.sqlite") as archive:
        assert story_of(archive, "b") == "a"
