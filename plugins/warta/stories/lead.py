"""The lead report of a story: which office's report a story is shown under."""

from __future__ import annotations

from ..core.records import Source
from ..sources import kinds

KIND_SENIORITY: dict[str, int] = kinds.SENIORITY
"""Lead order among offices, from the kinds table (:mod:`warta.sources.kinds`)."""
UNKNOWN_SENIORITY = 99


def seniority(source: Source | None) -> int:
    """Rank of an office for the lead rule: smaller is more senior."""
    if source is None:
        return UNKNOWN_SENIORITY
    rank = KIND_SENIORITY.get(source.kind, UNKNOWN_SENIORITY)
    if source.kind == "dprd" and source.region and "." in source.region:
        rank = KIND_SENIORITY["pemkab"]  # a regency/city DPRD ranks with its regency
    return rank


def lead_key(*, is_local: bool, source: Source | None, published_ts: float,
             item_id: str) -> tuple[int, int, float, str]:
    """Sort key: the smallest key is the story's lead report."""
    return (0 if is_local else 1, seniority(source), published_ts, item_id)
