"""Pairwise precision/recall of story grouping.

    .venv/bin/python benchmarks/stories_eval.py [--seeds 21-40]

Scores the committed labelled set (``tests/data/stories/labelled.json``,
generator seed 6) and, as a check against over-fitting the thresholds to
it, freshly generated sets from other seeds (same event types, different
random rewrites, facts and office choices). Items are stored and assigned in
daily batches, exactly as hourly fetch runs would place them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warta.archive.store import Archive  # noqa: E402
from warta.stories.assign import assign_stories  # noqa: E402

from tests.support.story_corpus import build_corpus  # noqa: E402
from tests.support.story_eval import Scores, batches_by_day, load_labelled, pairwise, store  # noqa: E402


def score(rows: list[dict[str, object]]) -> Scores:
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "eval.sqlite") as archive:
        for batch in batches_by_day(rows):
            store(archive, batch)
            assign_stories(archive)
        predicted = {}
        for r in rows:
            entry = archive.get(str(r["id"]))
            assert entry is not None
            predicted[str(r["id"])] = entry.story
    return pairwise(predicted, {str(r["id"]): str(r["story"]) for r in rows})


def line(name: str, rows: list[dict[str, object]], s: Scores) -> str:
    stories = {str(r["story"]) for r in rows}
    multi = sum(1 for k in stories if sum(1 for r in rows if r["story"] == k) > 1)
    return (f"{name:>10}: {len(rows)} items, {multi} multi-source stories, {s.tp + s.fn} true pairs — "
            f"precision {s.precision:.3f}, recall {s.recall:.3f} (fp {s.fp}, fn {s.fn})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="21-40", help="range of extra generator seeds, e.g. 21-40")
    args = parser.parse_args()
    rows = load_labelled()
    print(line("committed", rows, score(rows)))
    lo, _, hi = args.seeds.partition("-")
    totals = [0, 0, 0]
    for seed in range(int(lo), int(hi or lo) + 1):
        rows = build_corpus(seed)
        s = score(rows)
        totals[0] += s.tp
        totals[1] += s.fp
        totals[2] += s.fn
        print(line(f"seed {seed}", rows, s))
    tp, fp, fn = totals
    if tp:
        print(f"{'pooled':>10}: precision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f} "
              f"over seeds {args.seeds}")


if __name__ == "__main__":
    main()
