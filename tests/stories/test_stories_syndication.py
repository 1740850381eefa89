"""Stories under syndication: bounded work per report, and right answers, when many offices
post the same text (a national release republished, one template body everywhere, a
summary-only feed). Work is measured by counting comparisons, not by the clock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from warta.archive.store import Archive
from warta.core.records import Source
from warta.stories import assign as stories
from warta.stories import boiler, candidates
from warta.stories.assign import AssignReport, StoryIndex, assign_stories
from warta.stories.compare import compare as real_compare
from warta.stories.lead import lead_key
from warta.stories.presign import presign

from tests.support.story_eval import store, to_item
from tests.support.syndication import (
    RELEASE_TITLE,
    TAGLINE,
    identical_bodies,
    release_copies,
    row,
    summary_only,
)

WIB = timezone(timedelta(hours=7))
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=WIB)


@pytest.fixture()
def compares(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the full pairwise comparisons made (``[count]``)."""
    count = [0]

    def counted(*args: object, **kwargs: object) -> object:
        count[0] += 1
        return real_compare(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stories, "compare", counted)
    yield count


def place(tmp_path: Path, name: str, rows: list[dict[str, object]], *,
          presigned: bool = True, batches: int = 1) -> tuple[Archive, AssignReport]:
    """Store ``rows`` and assign them in ``batches`` calls (as fetch runs would), with the
    worker signatures when ``presigned``. Returns the open archive and the summed report."""
    archive = Archive(tmp_path / f"{name}.sqlite")
    total = AssignReport()
    size = -(-len(rows) // batches)
    for start in range(0, len(rows), size):
        batch = rows[start:start + size]
        store(archive, batch)
        pre = {str(r["id"]): presign(to_item(r)[0]) for r in batch} if presigned else None
        got = assign_stories(archive, presigned=pre)
        total.assigned += got.assigned
        total.joined += got.joined
        total.compared += got.compared
    return archive, total


def story_of(archive: Archive) -> dict[str, str]:
    return {r[0]: r[1] for r in archive.conn.execute("SELECT id, story FROM items")}


def most_of_one_source_in_one_story(archive: Archive) -> int:
    return int(archive.conn.execute("SELECT COUNT(*) FROM items GROUP BY story, source_id "
                                    "ORDER BY 1 DESC LIMIT 1").fetchone()[0])


def indexed_members(archive: Archive, story: str) -> int:
    """Members of ``story`` with rows in the band index."""
    return int(archive.conn.execute(
        "SELECT COUNT(DISTINCT b.seq) FROM story_bands b JOIN story_sigs s ON s.seq = b.seq "
        "JOIN items i ON i.id = s.item_id WHERE i.story = ?", (story,)).fetchone()[0])


def test_syndicated_release_is_one_story_led_by_the_ministry(tmp_path: Path) -> None:
    rows = release_copies(60, T0)
    unrelated = [row(f"lain-{n}", f"pemkab-lain-{n}", f"Lomba Desa Wisata Tahap {n}",
                     [f"Lomba desa wisata tahap {n} diikuti {20 + n} desa dari seluruh kecamatan. "
                      "Dewan juri menilai kebersihan, atraksi budaya dan kesiapan homestay."],
                     T0 + timedelta(hours=n)) for n in range(5)]
    archive, report = place(tmp_path, "rilis", sorted(rows + unrelated, key=lambda r: str(r["published"])))
    with archive:
        story = story_of(archive)
        release = {story[str(r["id"])] for r in rows}
        assert release == {"rilis-kementerian"}  # one story, under the original's id
        assert all(story[str(r["id"])] == r["id"] for r in unrelated)
        assert report.joined == 60
        # Verbatim copies under their own dateline are near copies: a few representatives
        # stand for the story in the band index, not its 61 reports.
        assert indexed_members(archive, "rilis-kementerian") <= 8
        members = archive.story_members("rilis-kementerian")
    kinds = {"kementerian-atr": "kementerian"}
    leads = sorted(members, key=lambda e: lead_key(
        is_local=False, source=Source(e.item.source_id, e.item.source_id,
                                      kinds.get(e.item.source_id, "pemkab"), "", ()),
        published_ts=e.item.published.timestamp(), item_id=e.item.id))
    assert leads[0].item.id == "rilis-kementerian"


def test_comparisons_per_report_do_not_grow_with_the_story(tmp_path: Path,
                                                           compares: list[int]) -> None:
    """Copies of one release: 4× the copies cost at most 5× the comparisons (each copy is
    compared with a bounded set of representatives, not with every earlier copy)."""
    counts = []
    for n in (40, 160):
        compares[0] = 0
        archive, report = place(tmp_path, f"n{n}", release_copies(n, T0), batches=4)
        with archive:
            assert set(story_of(archive).values()) == {"rilis-kementerian"}
        counts.append((report.compared, compares[0]))
    (small, small_full), (large, large_full) = counts
    assert large <= 5 * small and large_full <= 5 * small_full
    assert large <= 160 * candidates.COMPARE_MAX
    assert small_full > 0  # the copies are compared, not waved through


def test_identical_bodies_grow_linearly_and_keep_sources_apart(tmp_path: Path,
                                                               compares: list[int]) -> None:
    """Every item of every feed carries one body: it is each source's boilerplate, so each
    report is told by its title. A source's reports stay apart; the same announcement from
    different offices (same title) groups; 4× the reports cost at most 5× the comparisons."""
    counts = []
    for sources in (10, 40):
        compares[0] = 0
        rows = sorted(identical_bodies(sources, 5, T0), key=lambda r: str(r["published"]))
        archive, report = place(tmp_path, f"s{sources}", rows)
        with archive:
            assert most_of_one_source_in_one_story(archive) == 1
            sizes = Counter(story_of(archive).values())
            assert len(sizes) == 5 and set(sizes.values()) == {sources}  # one per village
        counts.append((report.compared, compares[0]))
    (small, small_full), (large, large_full) = counts
    assert small > 0
    assert large <= 5 * small and large_full <= 5 * small_full


@pytest.mark.parametrize("batches", [1, 50])
def test_summary_only_source_gives_one_story_per_item(tmp_path: Path, batches: int) -> None:
    """50 items with distinct titles and one description: 50 stories, whether the feed is
    read in one run or one item per run."""
    rows = summary_only(50, T0)
    archive, _ = place(tmp_path, "ringkas", rows, batches=batches)
    with archive:
        assert len(set(story_of(archive).values())) == 50
        # The archived item keeps its description: only story text leaves it out.
        assert archive.conn.execute("SELECT COUNT(*) FROM items WHERE summary = ?",
                                    (TAGLINE,)).fetchone()[0] == 50


def test_summary_only_copies_of_one_announcement_group(tmp_path: Path) -> None:
    """Two summary-only feeds post the same announcement: their titles tell it."""
    first = summary_only(6, T0, "pemkab-sukamaju")
    second = [dict(r, id=f"kedua-{n}", source_id="pemkab-mekarjaya",
                   summary="Situs resmi Pemkab Mekarjaya. Selengkapnya di laman kami.")
              for n, r in enumerate(summary_only(6, T0 + timedelta(minutes=30), "x"))]
    archive, _ = place(tmp_path, "dua", sorted(first + second, key=lambda r: str(r["published"])))
    with archive:
        story = story_of(archive)
        assert all(story[f"ringkas-{n}"] == story[f"kedua-{n}"] for n in range(6))
        assert len(set(story.values())) == 6


def test_template_paragraph_in_every_post_is_not_a_shared_event(tmp_path: Path) -> None:
    """A CMS puts one paragraph into every post: two of the source's reports about
    different events stay apart, and a report of the release still joins it."""
    footer = ("Dinas Komunikasi dan Informatika mengajak masyarakat mengikuti kanal resmi "
              "pemerintah kabupaten agar tidak termakan kabar bohong yang beredar di media "
              "sosial dan aplikasi pesan singkat, serta melaporkan setiap informasi mencurigakan.")
    own = [row(f"sendiri-{n}", "pemkab-sukamaju", title, [text, footer], T0 + timedelta(hours=n))
           for n, (title, text) in enumerate([
               ("Bupati Tanam Padi Bersama Petani", "Bupati menanam padi varietas unggul bersama "
                "kelompok tani di sawah seluas 40 hektare."),
               ("Posyandu Remaja Dibentuk", "Sebanyak 12 posyandu remaja dibentuk untuk "
                "mencegah anemia dan pernikahan dini."),
               ("Pasar Murah Jelang Lebaran", "Pasar murah menyediakan 5 ton beras dan minyak "
                "goreng dengan harga di bawah pasar."),
           ])]
    copy = release_copies(1, T0 + timedelta(hours=4))
    mine = dict(copy[1], id="sendiri-rilis", source_id="pemkab-sukamaju",
                content_html=str(copy[1]["content_html"]) + f"<p>{footer}</p>",
                published=(T0 + timedelta(hours=5)).isoformat())
    archive, _ = place(tmp_path, "templat", [*own, copy[0], mine], batches=2)
    with archive:
        story = story_of(archive)
        assert len({story[f"sendiri-{n}"] for n in range(3)}) == 3
        assert story["sendiri-rilis"] == "rilis-kementerian"


def test_a_big_story_in_the_archive_does_not_slow_new_reports(tmp_path: Path,
                                                              compares: list[int]) -> None:
    """Placing new copies costs the same comparisons whether the archive's story already
    has 50 or 400 reports."""
    counts = []
    for held in (50, 400):
        rows = release_copies(held, T0)
        archive, _ = place(tmp_path, f"besar{held}", rows, batches=5)
        with archive:
            compares[0] = 0
            later = release_copies(20, T0 + timedelta(hours=22), first=held,
                                   spread=timedelta(hours=2))
            store(archive, later)
            report = assign_stories(archive)
            assert {story_of(archive)[str(r["id"])] for r in later} == {"rilis-kementerian"}
            counts.append((report.compared, compares[0]))
    assert counts[1][0] <= counts[0][0] + 20 and counts[1][1] <= counts[0][1] + 20


def test_learned_boilerplate_is_bounded_per_source(tmp_path: Path) -> None:
    rows = summary_only(boiler.RECENT_ITEMS + 30, T0)
    archive, _ = place(tmp_path, "ingat", rows, batches=4)
    with archive:
        kept = archive.conn.execute("SELECT COUNT(*) FROM story_paras").fetchone()[0]
        assert kept == boiler.RECENT_ITEMS
        assert StoryIndex(archive).boiler.of("pemkab-sukamaju")  # the tagline is known


def test_archive_and_worker_paths_agree_with_boilerplate(tmp_path: Path) -> None:
    """Reports signed again with boilerplate left out: the same stories whether the worker
    signatures are given and whether the run index answers."""
    rows = sorted(identical_bodies(6, 4, T0) + summary_only(10, T0) + release_copies(12, T0),
                  key=lambda r: str(r["published"]))

    def tables(presigned: bool, memory: bool, name: str) -> list[tuple[str, str]]:
        old = stories.RUN_INDEX
        stories.RUN_INDEX = memory
        try:
            archive, _ = place(tmp_path, name, rows, presigned=presigned, batches=3)
        finally:
            stories.RUN_INDEX = old
        with archive:
            return sorted(story_of(archive).items())

    expected = tables(False, False, "arsip")
    assert tables(True, True, "pekerja") == expected
    assert tables(False, True, "memori") == expected
    assert any(sid == RELEASE_TITLE or sid == "rilis-kementerian" for _, sid in expected)


def test_planned_chunk_reads_a_crowded_band_key_as_the_dict_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """80 offices post one announcement under one title: every band key of it is shared by
    more reports than a look-up reads (BUCKET_MAX). The planned chunk (worker signatures)
    reads the newest of them as the dict and the archive do, and is used, not refused."""
    from warta.stories import index

    assert index.BUCKET_MAX < 80
    rows = sorted(identical_bodies(80, 2, T0), key=lambda r: str(r["published"]))
    planned: list[bool] = []
    real_plan = index.RunIndex.plan

    def counted(self: index.RunIndex, *args: object) -> bool:
        made = real_plan(self, *args)  # type: ignore[arg-type]
        planned.append(made)
        return made

    def tables(presigned: bool, memory: bool, name: str) -> list[tuple[str, str]]:
        monkeypatch.setattr(stories, "RUN_INDEX", memory)
        archive, _ = place(tmp_path, name, rows, presigned=presigned)
        with archive:
            return sorted(story_of(archive).items())

    expected = tables(False, False, "arsip")
    monkeypatch.setattr(index.RunIndex, "plan", counted)
    assert tables(True, True, "rencana") == expected
    assert planned and all(planned)
    assert len(set(dict(expected).values())) == 2  # one story per village, sources apart


def test_a_release_posted_twice_by_its_office_still_groups_with_the_copies(tmp_path: Path) -> None:
    """The ministry publishes its release again an hour later (a second URL): one post, not a
    template. Its text stays its own, and the copies of the other offices join its story."""
    from tests.support.syndication import RELEASE

    rows = [*release_copies(5, T0),
            row("rilis-kementerian-ulang", "kementerian-atr", RELEASE_TITLE, RELEASE,
                T0 + timedelta(hours=1))]
    rows.sort(key=lambda r: str(r["published"]))
    for presigned in (True, False):
        archive, _ = place(tmp_path, f"ulang-{presigned}", rows, presigned=presigned)
        with archive:
            stories_of = story_of(archive)
            assert set(stories_of.values()) == {"rilis-kementerian"}, stories_of


def test_the_same_text_a_day_later_is_a_recurring_template(tmp_path: Path) -> None:
    """One title and one body posted on two days is a recurring announcement: its text is the
    source's boilerplate (a repost within the day is not)."""
    from warta.stories.boiler import SourceBoilerplate

    body = ["Layanan perekaman KTP elektronik dibuka di kantor kecamatan pukul delapan pagi.",
            "Warga diminta membawa kartu keluarga asli dan fotokopinya."]
    title = "Jadwal Perekaman KTP Elektronik Keliling"
    rows = [row("jadwal-1", "pemkab-sukamaju", title, body, T0),
            row("jadwal-1b", "pemkab-sukamaju", title, body, T0 + timedelta(hours=2))]
    archive, _ = place(tmp_path, "harian", rows)
    with archive:
        assert SourceBoilerplate(archive.conn).of("pemkab-sukamaju") == {}
    later = [*rows, row("jadwal-2", "pemkab-sukamaju", title, body, T0 + timedelta(days=1))]
    archive, _ = place(tmp_path, "harian-2", later)
    with archive:
        seen = SourceBoilerplate(archive.conn).of("pemkab-sukamaju")
        assert seen and set(seen.values()) == {2}
