"""Benchmark (issue 6): place 1,000 new items into stories in an archive of 100,000.

    .venv/bin/python benchmarks/stories_bench.py [--archive 100000] [--new 1000]

The synthetic archive is written into a temporary SQLite file: the labelled
set's generator run with many seeds, each copy shifted a few days later, so
the archive holds ~4 years of template-heavy humas reports (the hard case
for LSH: many releases look alike). Archived items are signed in bulk (their
story rows are written directly, as a finished backfill would leave them);
then ``--new`` fresh reports from the newest days are stored and placed with
:func:`warta.stories.assign.assign_stories` — the code a fetch run calls. Printed:
wall time and per-item time of the placement, Python peak memory during it
(tracemalloc), process peak RSS, and the size of the story tables.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        archive = Archive(path)
        t0 = time.perf_counter()
        old = corpus_copies(1000, args.archive, start_copy=0)
        copies = int(old[-1]["id"].rsplit("-c", 1)[1]) + 1  # type: ignore[union-attr]
        for i in range(0, len(old), 5000):
            store(archive, old[i:i + 5000])
        del old
        t1 = time.perf_counter()
        bulk_sign(archive)
        t2 = time.perf_counter()
        print(f"archive: {archive.count():,} items stored in {t1 - t0:.1f} s, signed in {t2 - t1:.1f} s "
              f"({(t2 - t1) / max(1, archive.count()) * 1000:.2f} ms/item)")
        # New reports overlap the newest archived days (stories can join old ones).
        new = corpus_copies(5000, args.new, start_copy=copies - 1)
        store(archive, new)
        tracemalloc.start()
        t3, c3 = time.perf_counter(), time.process_time()
        report = assign_stories(archive)
        t4, c4 = time.perf_counter(), time.process_time()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        multi = archive.conn.execute(
            "SELECT COUNT(*) FROM (SELECT story FROM items GROUP BY story HAVING COUNT(*) > 1)").fetchone()[0]
        bands = archive.conn.execute("SELECT COUNT(*) FROM story_bands").fetchone()[0]
        archive.close()
        size_mb = path.stat().st_size / 1e6
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"placed {report.assigned:,} new items in {t4 - t3:.2f} s "
              f"({(t4 - t3) / max(1, report.assigned) * 1000:.1f} ms/item; CPU {c4 - c3:.2f} s): "
              f"joined {report.joined}, "
              f"merged {report.merged}; stories with ≥2 reports now: {multi:,}")
        print(f"memory: Python peak during placement {peak / 1e6:.1f} MB (tracemalloc); "
              f"process peak RSS {rss_mb:.0f} MB (includes building the archive)")
        print(f"storage: {bands:,} LSH band rows; database file {size_mb:.0f} MB")


if __name__ == "__main__":
    main()
