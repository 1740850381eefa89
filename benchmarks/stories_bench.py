"""Benchmark: place 1,000 new items into stories in an archive of 100,000.

    .venv/bin/python benchmarks/stories_bench.py [--archive 100000] [--new 1000]
        [--big-story 2000] [--summary-only]

The synthetic archive is written into a temporary SQLite file: the labelled
set's generator run with many seeds, each copy shifted a few days later, so
the archive holds ~4 years of template-heavy humas reports (the hard case
for LSH: many releases look alike). Archived items are signed in bulk (their
story rows are written directly, as a finished backfill would leave them);
then ``--new`` fresh reports from the newest days are stored and placed with
:func:`warta.stories.assign.assign_stories` — the code a fetch run calls. Printed:
wall time and per-item time of the placement, Python peak memory during it
(tracemalloc), process peak RSS, and the size of the story tables.

``--big-story N`` also places a national release republished by N offices
(:mod:`tests.support.syndication`) in the newest days of the archive, through
the real assignment, and has 50 more copies among the new reports; the same
placement is timed into the archive without that story, and the ratio is
printed (target ≤ 2). ``--summary-only`` places a summary-only feed's 50
items (distinct titles, one description) and prints how many stories they
make (target 50).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warta.archive.store import Archive  # noqa: E402
from warta.stories.assign import assign_stories  # noqa: E402
from warta.stories.compare import make_doc  # noqa: E402
from warta.stories.index import day_of  # noqa: E402
from warta.stories.text import band_keys, is_empty_signature, signature_blob  # noqa: E402

from tests.support.story_corpus import build_corpus  # noqa: E402
from tests.support.story_eval import store  # noqa: E402
from tests.support.syndication import release_copies, summary_only  # noqa: E402

SHIFT_DAYS = 3


def corpus_copies(first_seed: int, count: int, *, start_copy: int) -> list[dict[str, object]]:
    """``count`` items from successive seeds, each copy shifted SHIFT_DAYS later."""
    rows: list[dict[str, object]] = []
    copy = start_copy
    seed = first_seed
    while len(rows) < count:
        shift = timedelta(days=SHIFT_DAYS * copy)
        for r in build_corpus(seed):
            r = dict(r)
            r["id"] = f"{r['id']}-c{copy}"
            r["published"] = (datetime.fromisoformat(str(r["published"])) + shift).isoformat()
            rows.append(r)
            if len(rows) == count:
                break
        copy += 1
        seed += 1
    return rows


def bulk_sign(archive: Archive, batch: int = 2000) -> None:
    """Sign every archived item without matching (story = own id): a finished backfill."""
    conn = archive.conn
    last = ""
    while True:
        rows = conn.execute(
            "SELECT id, source_id, title, content_html, published_ts, place, content_hash FROM items "
            "WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall()
        if not rows:
            return
        with conn:
            for r in rows:
                doc = make_doc(r["id"], r["title"], r["content_html"], r["published_ts"], r["place"],
                               r["source_id"])
                cur = conn.execute(
                    "INSERT INTO story_sigs (item_id, ts, content_hash, sig) VALUES (?, ?, ?, ?)",
                    (r["id"], doc.ts, r["content_hash"], signature_blob(doc.sig)))
                if not is_empty_signature(doc.sig):
                    day = day_of(doc.ts)
                    conn.executemany(
                        "INSERT OR IGNORE INTO story_bands (band_key, day, seq) VALUES (?, ?, ?)",
                        [(k, day, cur.lastrowid) for k in band_keys(doc.sig)])
        last = rows[-1]["id"]


def build_archive(path: Path, size: int, big_story: int) -> tuple[Archive, int]:
    """An archive of ``size`` signed items (and a story of ``big_story`` copies, placed by
    the real assignment); returns it and its number of corpus copies."""
    archive = Archive(path)
    t0 = time.perf_counter()
    old = corpus_copies(1000, size, start_copy=0)
    copies = int(old[-1]["id"].rsplit("-c", 1)[1]) + 1  # type: ignore[union-attr]
    for i in range(0, len(old), 5000):
        store(archive, old[i:i + 5000])
    newest = max(datetime.fromisoformat(str(r["published"])) for r in old)
    del old
    t1 = time.perf_counter()
    bulk_sign(archive)
    t2 = time.perf_counter()
    print(f"archive: {archive.count():,} items stored in {t1 - t0:.1f} s, signed in {t2 - t1:.1f} s "
          f"({(t2 - t1) / max(1, archive.count()) * 1000:.2f} ms/item)")
    if big_story:
        rows = release_copies(big_story, newest - timedelta(days=1))
        for i in range(0, len(rows), 500):  # as hourly runs would bring them
            store(archive, rows[i:i + 500])
            assign_stories(archive)
        size_of = archive.conn.execute("SELECT COUNT(*) FROM items WHERE story = ?",
                                       ("rilis-kementerian",)).fetchone()[0]
        indexed = archive.conn.execute(
            "SELECT COUNT(DISTINCT b.seq) FROM story_bands b JOIN story_sigs s ON s.seq = b.seq "
            "JOIN items i ON i.id = s.item_id WHERE i.story = ?", ("rilis-kementerian",)).fetchone()[0]
        print(f"big story: {size_of:,} reports, {indexed} of them in the band index")
    return archive, copies


def place_new(archive: Archive, copies: int, new: int, big_story: int) -> float:
    """Store and place ``new`` fresh reports (50 more copies of the release among them when
    ``big_story``); returns the placement's wall time."""
    rows = corpus_copies(5000, new - (50 if big_story else 0), start_copy=copies - 1)
    if big_story:
        newest = max(datetime.fromisoformat(str(r["published"])) for r in rows)
        rows += release_copies(50, newest - timedelta(hours=12), first=big_story,
                               spread=timedelta(hours=6))
    store(archive, rows)
    tracemalloc.start()
    t3, c3 = time.perf_counter(), time.process_time()
    report = assign_stories(archive)
    t4, c4 = time.perf_counter(), time.process_time()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    multi = archive.conn.execute(
        "SELECT COUNT(*) FROM (SELECT story FROM items GROUP BY story HAVING COUNT(*) > 1)").fetchone()[0]
    print(f"placed {report.assigned:,} new items in {t4 - t3:.2f} s "
          f"({(t4 - t3) / max(1, report.assigned) * 1000:.1f} ms/item; CPU {c4 - c3:.2f} s): "
          f"joined {report.joined}, merged {report.merged}, compared {report.compared}; "
          f"stories with ≥2 reports now: {multi:,}")
    print(f"memory: Python peak during placement {peak / 1e6:.1f} MB (tracemalloc)")
    return c4 - c3


def summary_only_case() -> None:
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "ringkas.sqlite") as archive:
        rows = summary_only(50, datetime(2025, 3, 3, 9).astimezone())
        store(archive, rows)
        assign_stories(archive)
        stories = archive.conn.execute("SELECT COUNT(DISTINCT story) FROM items").fetchone()[0]
        print(f"summary-only source: {len(rows)} items, distinct titles, one description -> "
              f"{stories} stories")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--big-story", type=int, default=0, metavar="N",
                        help="also hold a story of N copies of one release; compare with none")
    parser.add_argument("--summary-only", action="store_true",
                        help="only the summary-only feed case")
    args = parser.parse_args()
    print(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.summary_only:
        summary_only_case()
        return
    cpu: list[float] = []
    for big in ([0, args.big_story] if args.big_story else [0]):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.sqlite"
            archive, copies = build_archive(path, args.archive, big)
            cpu.append(place_new(archive, copies, args.new, big))
            bands = archive.conn.execute("SELECT COUNT(*) FROM story_bands").fetchone()[0]
            archive.close()
            size_mb = path.stat().st_size / 1e6
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"storage: {bands:,} LSH band rows; database file {size_mb:.0f} MB; "
                  f"process peak RSS {rss_mb:.0f} MB (includes building the archive)")
    if len(cpu) == 2:
        print(f"with a {args.big_story:,}-report story / without (CPU of the placement): "
              f"{cpu[1] / max(cpu[0], 1e-9):.2f}x")
    print(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
