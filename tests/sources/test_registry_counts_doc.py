"""docs/registry.md states the starter registry's size; these tests keep it true.

The page gives the number of sources, a table of entries per institution kind (how many
have ``feeds:`` and how many ``discover: true``) and how many regions have their own
government's entry. Every row of the list files or hand-written entry changes them, so
the counts are taken from ``sources/`` itself and each disagreement names its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from warta.core.records import Source
from warta.sources import regions
from warta.sources.kinds import ORDER
from warta.sources.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
REGISTRY_DOC = ROOT / "docs" / "registry.md"
SOURCES = ROOT / "sources"

HEADER = ("kind", "entries", "with `feeds:`", "`discover: true`")
_TOTAL = re.compile(r"The starter registry holds (\d+) sources")
_COVERAGE = re.compile(r"All (\d+) provinces and (\d+) of the (\d+) regencies and cities have an entry")


@dataclass(frozen=True)
class Counts:
    entries: int
    feeds: int
    discover: int


def registry_counts(sources: Iterable[Source]) -> dict[str, Counts]:
    """Per kind: entries, entries with feeds, entries with ``discover: true``."""
    tally: dict[str, list[int]] = {}
    for s in sources:
        row = tally.setdefault(s.kind, [0, 0, 0])
        row[0] += 1
        row[1] += bool(s.feeds)
        row[2] += s.discover
    return {kind: Counts(*row) for kind, row in tally.items()}


def coverage(sources: Iterable[Source]) -> tuple[int, int]:
    """Provinces and regencies/cities that have an entry of their own government."""
    codes = {s.region for s in sources if s.region and s.kind in ("pemprov", "pemkab", "pemkot")}
    return sum("." not in c for c in codes), sum("." in c for c in codes)


def doc_table(text: str) -> dict[str, list[str]] | None:
    """The counts table: kind (without backticks) -> the other cells; None when absent."""
    lines = iter(text.splitlines())
    for line in lines:
        if tuple(c.strip() for c in line.strip().strip("|").split("|")) == HEADER:
            break
    else:
        return None
    next(lines, None)  # the |---| separator
    rows: dict[str, list[str]] = {}
    for line in lines:
        if not line.strip().startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1:]
    return rows


def count_problems(text: str, counts: Mapping[str, Counts], covered: tuple[int, int],
                   totals: tuple[int, int]) -> list[str]:
    """Every statement of the page that the registry's own counts contradict."""
    table = doc_table(text)
    if table is None:
        return ["docs/registry.md has no table | " + " | ".join(HEADER) + " |"]
    problems = []
    for kind in sorted(set(counts) | set(table), key=lambda k: (ORDER.get(k, len(ORDER)), k)):
        real = counts.get(kind, Counts(0, 0, 0))
        if kind not in table:
            problems.append(f"row `{kind}` is missing: the registry has {real.entries} entries")
            continue
        cells = table[kind]
        if len(cells) != len(HEADER) - 1:
            problems.append(f"row `{kind}` has {len(cells) + 1} cells, the header {len(HEADER)}")
            continue
        values = (real.entries, real.feeds, real.discover)
        for label, cell, value in zip(HEADER[1:], cells, values, strict=True):
            if cell != str(value):
                problems.append(f"row `{kind}`, column {label}: the page says {cell}, "
                                f"the registry has {value}")
    total = sum(c.entries for c in counts.values())
    m = _TOTAL.search(text)
    if not m or int(m.group(1)) != total:
        said = m.group(1) if m else "nothing"
        problems.append(f"'The starter registry holds N sources': the page says {said}, "
                        f"the registry has {total}")
    m = _COVERAGE.search(text)
    want = (totals[0], covered[1], totals[1])
    if not m or (int(m.group(1)), int(m.group(2)), int(m.group(3))) != want:
        said = "/".join(m.groups()) if m else "nothing"
        problems.append(f"coverage sentence: the page says {said} (provinces/covered/all "
                        f"regencies and cities), the registry has {'/'.join(map(str, want))}")
    if covered[0] != totals[0]:
        problems.append(f"the page says all {totals[0]} provinces have an entry; "
                        f"{covered[0]} have one")
    return problems


def region_totals() -> tuple[int, int]:
    provinces = regions.provinces()
    return len(provinces), sum(len(regions.children(p.code)) for p in provinces)


def test_registry_doc_counts_match_the_starter_registry() -> None:
    sources, errors = load_registry(SOURCES)
    assert errors == []
    problems = count_problems(REGISTRY_DOC.read_text(encoding="utf-8"), registry_counts(sources),
                              coverage(sources), region_totals())
    assert problems == [], "docs/registry.md disagrees with sources/:\n" + "\n".join(problems)


# --- the checker fails on bad text -------------------------------------------------------------

_PAGE = """\
The starter registry holds 5 sources; every one has either `feeds:` or `discover: true`:

| kind | entries | with `feeds:` | `discover: true` |
|---|---|---|---|
| `pemprov` | 2 | 1 | 1 |
| `kementerian` | 3 | 0 | 3 |

All 2 provinces and 1 of the 4 regencies and cities have an entry.
"""
_COUNTS = {"pemprov": Counts(2, 1, 1), "kementerian": Counts(3, 0, 3)}


def test_checker_counts_accepts_a_true_page() -> None:
    assert count_problems(_PAGE, _COUNTS, (2, 1), (2, 4)) == []


def test_checker_counts_names_the_row_and_column_that_drifted() -> None:
    counts = dict(_COUNTS, kementerian=Counts(4, 1, 3))
    problems = count_problems(_PAGE, counts, (2, 1), (2, 4))
    assert problems[0] == "row `kementerian`, column entries: the page says 3, the registry has 4"
    assert problems[1] == "row `kementerian`, column with `feeds:`: the page says 0, the registry has 1"
    assert any(p.startswith("'The starter registry holds N sources': the page says 5") for p in problems)


def test_checker_counts_finds_missing_and_stale_rows_and_coverage() -> None:
    counts = {"pemprov": Counts(2, 1, 1), "bumn": Counts(1, 0, 1)}
    problems = count_problems(_PAGE, counts, (1, 2), (2, 4))
    assert "row `kementerian`, column entries: the page says 3, the registry has 0" in problems
    assert "row `bumn` is missing: the registry has 1 entries" in problems
    assert any(p.startswith("coverage sentence: the page says 2/1/4") for p in problems)
    assert "the page says all 2 provinces have an entry; 1 have one" in problems
    assert count_problems("no table here", counts, (1, 2), (2, 4))[0].startswith("docs/registry.md has no")
    short = _PAGE.replace("| `bumn` |", "|").replace("| `pemprov` | 2 | 1 | 1 |", "| `pemprov` | 2 | 1 |")
    assert "row `pemprov` has 3 cells, the header 4" in count_problems(short, _COUNTS, (2, 1), (2, 4))
