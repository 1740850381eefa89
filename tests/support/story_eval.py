"""Load the labelled story set into a real archive and score the grouping pairwise."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path

from warta.archive.store import Archive
from warta.core.records import Item, RawEntry

LABELLED = Path(__file__).resolve().parents[1] / "data" / "stories" / "labelled.json"


def load_labelled(path: Path = LABELLED) -> list[dict[str, object]]:
    return json.loads(path.read_text(encoding="utf-8"))["items"]


def to_item(row: dict[str, object]) -> tuple[Item, RawEntry]:
    published = datetime.fromisoformat(str(row["published"]))
    item = Item(
        id=str(row["id"]), source_id=str(row["source_id"]), key=str(row["id"]),
        link=f"https://contoh.go.id/{row['id']}", title=str(row["title"]),
        content_html=str(row["content_html"]), summary=str(row.get("summary") or row["title"]),
        published=published,
        place=row.get("place") or None,  # type: ignore[arg-type]
    )
    raw = RawEntry(guid=item.id, link=item.link, title=item.title, content_html=item.content_html,
                   summary_html="", published_raw=str(row["published"]))
    return item, raw


def store(archive: Archive, rows: Iterable[dict[str, object]]) -> None:
    pairs = [to_item(r) for r in rows]
    if pairs:
        archive.store_items(pairs, now=max(p[0].published for p in pairs))


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    tp: int
    fp: int
    fn: int
    false_pairs: tuple[tuple[str, str], ...]
    missed_pairs: tuple[tuple[str, str], ...]


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> Scores:
    """Pairwise precision/recall: every pair of items put (or not) in one story."""
    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for item_id, label in labels.items():
            groups[label].append(item_id)
        return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}  # type: ignore[misc]

    pred, true = pairs(predicted), pairs(gold)
    tp = len(pred & true)
    fp = len(pred - true)
    fn = len(true - pred)
    return Scores(precision=tp / (tp + fp) if tp + fp else 1.0, recall=tp / (tp + fn) if tp + fn else 1.0,
                  tp=tp, fp=fp, fn=fn, false_pairs=tuple(sorted(pred - true)),
                  missed_pairs=tuple(sorted(true - pred)))


def batches_by_day(rows: Sequence[dict[str, object]]) -> list[list[dict[str, object]]]:
    """The labelled rows as daily fetch runs (so assignment is exercised incrementally)."""
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        out[str(r["published"])[:10]].append(r)
    return [out[k] for k in sorted(out)]
