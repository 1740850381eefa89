"""Story assignment with the in-memory run index and worker signatures = the archive's answer.

A fetch run signs its items in the workers (``presign``) and ``assign`` looks
the reports it adds up in memory. Neither may change a single
story: these tests assign the same reports both ways and compare every
story table row by row.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from warta.archive.store import Archive
from warta.stories import assign as stories
from warta.stories import compare
from warta.stories import index as run_index
from warta.stories.assign import StoryIndex, assign_stories
from warta.stories.presign import PresignStore, presign
from warta.stories.text import norms, shingle_set

from tests.support.story_eval import batches_by_day, load_labelled, store, to_item


def tables(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        "items": [tuple(r) for r in conn.execute("SELECT id, story FROM items ORDER BY id")],
        "sigs": [tuple(r) for r in conn.execute("SELECT * FROM story_sigs ORDER BY seq")],
        "bands": [tuple(r) for r in conn.execute("SELECT * FROM story_bands ORDER BY 1, 2, 3")],
        "merges": [tuple(r) for r in conn.execute("SELECT absorbed, story FROM story_merges ORDER BY 1")],
    }


def run(tmp_path: Path, name: str, batches: list[list[dict[str, object]]], *, memory: bool,
        presigned: bool, order: random.Random | None = None) -> dict[str, list[tuple[object, ...]]]:
    with Archive(tmp_path / f"{name}.sqlite") as archive:
        for batch in batches:
            store(archive, batch)
            pre = {r["id"]: presign(to_item(r)[0]) for r in batch} if presigned else None
            ids = None
            if order is not None:
                ids = StoryIndex(archive).pending()
                order.shuffle(ids)
            old = stories.RUN_INDEX
            stories.RUN_INDEX = memory
            try:
                assign_stories(archive, ids, presigned=pre)  # type: ignore[arg-type]
            finally:
                stories.RUN_INDEX = old
        return tables(archive.conn)


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "CHUNK", 17)  # many flushes, evictions across chunks


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("shape", ["one call", "two calls", "daily"])
def test_run_index_and_presigned_match_the_archive(tmp_path: Path, shape: str) -> None:
    rows = load_labelled()
    batches = {"one call": [rows], "two calls": [rows[: len(rows) // 2], rows[len(rows) // 2:]],
               "daily": batches_by_day(rows)}[shape]
    expected = run(tmp_path, "archive", batches, memory=False, presigned=False)
    assert len({s for _, s in expected["items"]}) < len(expected["items"])  # stories formed
    assert run(tmp_path, "memory", batches, memory=True, presigned=False) == expected
    assert run(tmp_path, "both", batches, memory=True, presigned=True) == expected


@pytest.mark.usefixtures("small_chunks")
def test_out_of_order_ids_fall_back_to_the_archive(tmp_path: Path) -> None:
    rows = load_labelled()
    batches = [rows[:120], rows[120:]]
    expected = run(tmp_path, "archive", batches, memory=False, presigned=False,
                   order=random.Random(3))
    assert run(tmp_path, "memory", batches, memory=True, presigned=True,
               order=random.Random(3)) == expected


def test_stale_presigned_signature_is_not_used(tmp_path: Path) -> None:
    rows = load_labelled()[:40]
    edited = [dict(r, content_html=str(r["content_html"]) + "<p>Ralat.</p>") for r in rows]
    with Archive(tmp_path / "a.sqlite") as archive:
        store(archive, edited)
        stale = {r["id"]: presign(to_item(r)[0]) for r in rows}  # of the unedited text
        assign_stories(archive, presigned=stale)
        got = tables(archive.conn)
    expected = run(tmp_path, "ref", [edited], memory=False, presigned=False)
    assert got == expected


def test_worker_sketch_is_the_archive_sketch_and_gates_alike(tmp_path: Path) -> None:
    """The sketch a worker ships (shingle numbers, title words) = the one made from the
    archive row, and the text gate on numbers = the gate on the shingles themselves."""
    rows = load_labelled()[:160]
    with Archive(tmp_path / "a.sqlite") as archive:
        store(archive, rows)
        archived = {r["id"]: r for r in archive.conn.execute(
            "SELECT id, title, content_html, summary, published_ts FROM items")}
    sketches = []
    for r in rows:
        item = to_item(r)[0]
        row = archived[item.id]
        mine = compare.pre_sketch(presign(item), row["published_ts"])
        theirs = compare.row_sketch(row)
        assert mine is not None
        assert mine.title == theirs.title
        assert mine.shingles.tolist() == theirs.shingles.tolist()
        exact = shingle_set(item.title, item.content_html)
        assert len(mine.shingles) == len(exact)  # distinct shingles, distinct numbers
        sketches.append((mine, exact, frozenset(norms(item.title))))
    passed = 0
    for (a, a_exact, a_title), (b, b_exact, b_title) in itertools.combinations(sketches, 2):
        gate = compare.gate(a.ts, b.ts, a_exact, b_exact, a_title, b_title,
                             compare.WINDOW_DAYS)[0] is None
        assert compare.may_match(a, b, compare.WINDOW_DAYS) == gate
        passed += gate
    assert passed > 20  # the set has reports of one event: some pairs get past the gate


def test_presign_store_keeps_a_runs_signatures_on_disk(tmp_path: Path) -> None:
    rows = load_labelled()[:30]
    signed = {str(r["id"]): presign(to_item(r)[0]) for r in rows}
    with Archive(tmp_path / "a.sqlite") as archive:
        kept = PresignStore(archive.conn)
        kept.put(dict(list(signed.items())[:20]))
        kept.put(dict(list(signed.items())[10:]))  # a feed read twice: replaced, not doubled
        assert len(kept) == 30
        assert dict(kept) == signed
        assert kept.get("tidak-ada") is None
        kept.close()
        again = PresignStore(archive.conn)  # the next run starts empty
        assert len(again) == 0


def test_planned_lookups_are_the_dict_lookups(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk planned at once (one sort of band keys) finds, report by report, exactly the
    rows the dict finds: same rows, same order, across chunks, window edges, empty texts."""
    monkeypatch.setattr(run_index, "COMPACT_AFTER", 50)  # rows forgotten between chunks too
    monkeypatch.setattr(run_index, "COMPACT_SPARE", 64)
    rng = random.Random(5)
    window = 3 * 86400.0
    day = 86400.0
    count = 400
    stamps = [rng.choice([0.0, 0.5, 1.0, 2.0, 2.999, 3.0, 3.001, 4.5]) * day + n * 0.05 * day
              for n in range(count)]
    stamps = sorted(stamps + stamps[:30])  # some published at the very same second
    reports = []
    for ts in stamps:
        empty = rng.random() < 0.05
        keys = [rng.randrange(300) for _ in range(run_index.BANDS)]
        reports.append((ts, keys, empty))
    with Archive(tmp_path / "a.sqlite") as archive:
        by_dict = run_index.RunIndex(0, 16, window, evict=True)
        planned = run_index.RunIndex(0, 16, window, evict=True)
        sig = np.zeros(run_index.NUM_PERM, dtype=np.uint32)
        chunk = 37
        checked = 0
        for start in range(0, len(reports), chunk):
            part = reports[start:start + chunk]
            keys = np.array([k for _, k, _ in part], dtype=np.int64)
            assert planned.plan([t for t, _, _ in part], keys, [e for _, _, e in part])
            for n, (ts, keys_n, empty) in enumerate(part, start):
                lo, hi = ts - window, ts + window
                assert by_dict.arrive(ts) and planned.arrive(ts)
                if not empty:
                    found = by_dict.lookup(keys_n, lo, hi, ts)
                    assert planned.lookup(keys_n, lo, hi, ts).tolist() == found.tolist()
                    checked += 1
                for index in (by_dict, planned):
                    index.add(f"r{n}", n + 1, ts, sig, keys_n, empty)
            for index in (by_dict, planned):
                index.flush(archive.conn)
        assert planned.use_buckets is False  # the plan did the answering
        assert by_dict.base > 0 and planned.base == by_dict.base  # rows evicted and compacted
    assert checked > 350
