"""Indonesian dates (display.py): the memoized formatters say exactly what Babel says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_datetime
from warta.site import display


@pytest.mark.parametrize("tz", [None, "Asia/Makassar", ZoneInfo("Asia/Jayapura")])
def test_cached_formatters_match_babel(tz: ZoneInfo | str | None) -> None:
    start = datetime(2024, 12, 31, 16, 59, 30, tzinfo=UTC)  # crosses a year in WIB/WITA/WIT
    for i in range(400):
        value = start + timedelta(minutes=311 * i, seconds=7 * i)
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        local = value.astimezone(zone) if zone else value
        assert display.tanggal(value, tz) == format_date(local, "d MMMM y", locale="id")
        shown = zone or ZoneInfo("Asia/Jakarta")
        expected = format_datetime(value.astimezone(shown), "EEEE, d MMMM y HH.mm",
                                   tzinfo=shown, locale="id")
        assert display.tanggal_waktu(value, tz) == f"{expected} {display.zone_label(shown)}"
        assert display.bulan(local) == format_date(local, "MMMM y", locale="id")


def test_same_instant_in_two_zones_is_not_confused() -> None:
    value = datetime(2025, 3, 1, 16, 30, tzinfo=UTC)
    assert display.tanggal(value, "Asia/Jakarta") == "1 Maret 2025"
    assert display.tanggal(value, "Asia/Jayapura") == "2 Maret 2025"
    assert display.tanggal_waktu(value, "Asia/Jakarta").endswith("23.30 WIB")
    assert display.tanggal_waktu(value, "Asia/Jayapura").endswith("01.30 WIT")
