"""How dates read on the page: in Indonesian, in the source's own zone, via Babel.

Never through the machine's locale (``strftime``): CI runners and cron hosts
rarely have ``id_ID`` installed, and the page must say "09.15 WIB" wherever
it was built.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from markupsafe import Markup

from ..sources.regions import ZONE_BY_IANA


def zone_label(tz: ZoneInfo | str) -> str:
    key = tz if isinstance(tz, str) else tz.key
    return ZONE_BY_IANA.get(key, "WIB")


def tanggal_waktu(value: datetime, tz: ZoneInfo | str | None = None) -> str:
    """"Selasa, 3 September 2024 09.15 WIB" in ``tz`` (default: the value's own zone)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    if zone is None:
        zone = value.tzinfo if isinstance(value.tzinfo, ZoneInfo) else ZoneInfo("Asia/Jakarta")
    local = value.astimezone(zone)
    return _tanggal_waktu(local.replace(second=0, microsecond=0), zone)


@lru_cache(maxsize=65536)
def _tanggal_waktu(local: datetime, zone: ZoneInfo) -> str:
    text = format_datetime(local, "EEEE, d MMMM y HH.mm", tzinfo=zone, locale="id")
    return f"{text} {zone_label(zone)}"


def tanggal(value: datetime, tz: ZoneInfo | str | None = None) -> str:
    """"3 September 2024" (no time), for listings; in ``tz`` when given (the source's zone)."""
    if tz is not None:
        value = value.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)
    return _tanggal(value.date())


@lru_cache(maxsize=8192)
def _tanggal(day: date) -> str:
    """Babel is slow (~0.2 ms a call) and a build formats the same few thousand days
    hundreds of thousands of times (every card of every listing page)."""
    return format_date(day, "d MMMM y", locale="id")


def hari_tanggal(value: datetime, tz: ZoneInfo | str = "Asia/Jakarta") -> str:
    """"Kamis, 3 Desember 2026": a day named in ``tz`` (the hub's own zone by default)."""
    local = value.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)
    return format_date(local.date(), "EEEE, d MMMM y", locale="id")


def iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


_IMG_TAG = re.compile(r"<img\b(?![^>]*\bloading=)", re.IGNORECASE)


def lazy_images(html: str) -> Markup:
    """Add ``loading="lazy" decoding="async"`` to body images that lack a loading hint.

    The body is already sanitized HTML; this only inserts attributes after
    ``<img``, so it cannot open a hole the sanitizer closed.
    """
    return Markup(_IMG_TAG.sub('<img loading="lazy" decoding="async"', str(html or "")))


def bulan(value: datetime) -> str:
    """"September 2024", for archive headings."""
    return _bulan(value.year, value.month)


@lru_cache(maxsize=4096)
def _bulan(year: int, month: int) -> str:
    return format_date(date(year, month, 1), "MMMM y", locale="id")
