"""Institution kinds: the one list, in the order readers see them.

A registry file's ``kind`` is one of these ids (a public contract). The table's order is
the order of every listing that sorts by kind (region pages, the kinds page). Each kind
also says whether it is national (may omit ``region``), which home-page block it joins,
and how senior it is when a story picks its lead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    national: bool
    """True: an institution of this kind may be national, and its registry entry then omits
    ``region`` (ministries always are; a police or army headquarters, the attorney general's
    office or the supreme court are, while their regional commands and offices give one)."""
    group: str | None
    """Home-page and kinds-page block (labels in ``core.messages.KIND_GROUP_LABELS``); None: "Lainnya"."""
    seniority: int
    """Story leads prefer the lowest. National bodies announce national programmes first; a
    province convenes its regencies; regencies and cities report what they attended. DPRD
    and vertical offices rank between province and regency (a regency's DPRD with its
    regency); state companies follow government."""


TABLE: tuple[Kind, ...] = (
    Kind("pemprov", False, "pemprov", 4),
    Kind("pemkab", False, "pemkab-pemkot", 7),
    Kind("pemkot", False, "pemkab-pemkot", 7),
    Kind("dprd", False, None, 5),
    Kind("instansi-vertikal", False, None, 6),
    Kind("tni-polri", True, None, 3),
    Kind("yudikatif", True, None, 2),
    Kind("kementerian", True, "kementerian-lembaga", 0),
    Kind("lembaga", True, "kementerian-lembaga", 1),
    Kind("bumd", False, "bumn-bumd", 9),
    Kind("bumn", True, "bumn-bumd", 8),
    Kind("lainnya", True, None, 10),
)

KINDS: tuple[str, ...] = tuple(k.id for k in TABLE)
"""Every kind id a registry file may declare."""
NATIONAL_KINDS: frozenset[str] = frozenset(k.id for k in TABLE if k.national)
ORDER: dict[str, int] = {k.id: i for i, k in enumerate(TABLE)}
"""Position of each kind in listings; unknown kinds sort last."""
SENIORITY: dict[str, int] = {k.id: k.seniority for k in TABLE}
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (g, tuple(k.id for k in TABLE if k.group == g))
    for g in dict.fromkeys(k.group for k in TABLE if k.group is not None)
)
"""The home page's kind blocks, in order: (group key, its kinds)."""
UNGROUPED: tuple[str, ...] = tuple(k.id for k in TABLE if k.group is None)
"""Kinds outside every block (the kinds page lists them under "Lainnya")."""
PEMDA: frozenset[str] = frozenset({"pemprov", "pemkab", "pemkot"})
"""A region's executive government (pemerintah daerah): ``invoke check`` allows one registry
file per region."""
OWN_GOVERNMENT: frozenset[str] = PEMDA | {"dprd"}
"""What a region page lists as the region's own government: the executive and its council."""
