"""The lead report of a story: which office's report a story is shown under."""

from __future__ import annotations

from ..core.records import Source

KIND_SENIORITY: dict[str, int] = {
    "kementerian": 0,
    "lembaga": 1,
    "yudikatif": 2,
    "tni-polri": 3,
    "pemprov": 4,
    "dprd": 5,
    "instansi-vertikal": 6,
    "pemkab": 7,
    "pemkot": 7,
    "bumn": 8,
    "bumd": 9,
    "lainnya": 10,
}
"""Lead order among offices. National bodies announce national programmes
first; a province convenes its regencies; regencies and cities report what
they attended. DPRD and vertical offices rank between province and regency;
state companies follow government. A provincial DPRD outranks a regency one
(see :func:`seniority`)."""
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
