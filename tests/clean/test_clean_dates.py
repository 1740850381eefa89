"""Dates: every format humas feeds use, the source's zone, impossible dates estimated."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from warta.clean.dates import DATE_HANDLERS, parse_date, sane
from warta.clean.normalize import normalize
from warta.site.display import tanggal, tanggal_waktu

from tests.support.items import SEEN, entry, source

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


def parsed(raw: str, tz: ZoneInfo = WIB) -> datetime | None:
    return parse_date(raw, tz, reference=SEEN)


@pytest.mark.parametrize(("raw", "tz", "expected"), [
    # RFC 822 with an offset: the offset wins, shown in the source's zone
    ("Mon, 23 Dec 2024 09:15:00 +0700", WIB, datetime(2024, 12, 23, 9, 15, tzinfo=WIB)),
    ("Mon, 23 Dec 2024 02:15:00 GMT", WITA, datetime(2024, 12, 23, 10, 15, tzinfo=WITA)),
    # RFC 822 "-0000" means "zone unknown" → the source's zone
    ("Mon, 23 Dec 2024 09:15:00 -0000", WITA, datetime(2024, 12, 23, 9, 15, tzinfo=WITA)),
    # no offset at all → the source's zone, not UTC
    ("Mon, 23 Dec 2024 09:15:00", WIT, datetime(2024, 12, 23, 9, 15, tzinfo=WIT)),
    # RFC 822 in the server's locale (covid19.go.id, 2021): Indonesian names, offset as written
    ("Sen, 09 Agu 2021 16:58:37 +0700", WITA, datetime(2021, 8, 9, 17, 58, 37, tzinfo=WITA)),
    ("Min, 08 Agu 2021 21:05:00 +0700", WIB, datetime(2021, 8, 8, 21, 5, tzinfo=WIB)),
    ("Jum, 24 Des 2021 07:30:00", WIT, datetime(2021, 12, 24, 7, 30, tzinfo=WIT)),
    ("Kam, 05 Mei 2022 10:00:00 GMT", WIB, datetime(2022, 5, 5, 17, 0, tzinfo=WIB)),
    # ISO 8601 / W3CDTF (Atom, dc:date)
    ("2024-12-26T10:00:00+07:00", WIB, datetime(2024, 12, 26, 10, 0, tzinfo=WIB)),
    ("2024-12-26T03:00:00Z", WIB, datetime(2024, 12, 26, 10, 0, tzinfo=WIB)),
    ("2024-12-26T10:00:00", WITA, datetime(2024, 12, 26, 10, 0, tzinfo=WITA)),
    ("2024-12-26", WIB, datetime(2024, 12, 26, 0, 0, tzinfo=WIB)),
    # Indonesian long forms with zone words
    ("Kamis, 26 Desember 2024 10:00 WIB", WIB, datetime(2024, 12, 26, 10, 0, tzinfo=WIB)),
    ("Senin, 2 Desember 2024 | 10:15 WITA", WITA, datetime(2024, 12, 2, 10, 15, tzinfo=WITA)),
    ("Rabu, 4 September 2024 14.30 WIT", WIT, datetime(2024, 9, 4, 14, 30, tzinfo=WIT)),
    ("30 November 2023 11:33 WIB", WIB, datetime(2023, 11, 30, 11, 33, tzinfo=WIB)),
    ("Jum'at, 6 Agt 2024 pukul 08.05", WIB, datetime(2024, 8, 6, 8, 5, tzinfo=WIB)),
    ("17 Agustus 2024", WIB, datetime(2024, 8, 17, tzinfo=WIB)),
    ("3 Nopember 2024", WIB, datetime(2024, 11, 3, tzinfo=WIB)),
    # a zone word different from the source's zone converts
    ("Kamis, 26 Desember 2024 10:00 WIB", WITA, datetime(2024, 12, 26, 11, 0, tzinfo=WITA)),
    ("Kamis, 26 Desember 2024 10:00 WIT", WIB, datetime(2024, 12, 26, 8, 0, tzinfo=WIB)),
    # numeric, day first
    ("26/12/2024 10.00", WIB, datetime(2024, 12, 26, 10, 0, tzinfo=WIB)),
    ("Senin, 02-09-2024", WIB, datetime(2024, 9, 2, tzinfo=WIB)),
    ("2024/12/26 07:45", WIB, datetime(2024, 12, 26, 7, 45, tzinfo=WIB)),
    # the humas short form: year from when we saw it, checked against the weekday
    ("Kamis (26/12)", WIB, datetime(2024, 12, 26, tzinfo=WIB)),
    ("Senin (21/8)", WIB, datetime(2023, 8, 21, tzinfo=WIB)),  # 21/8/2024 is a Wednesday
    ("Senin (02/9/2024)", WIB, datetime(2024, 9, 2, tzinfo=WIB)),
    ("(04/06)", WIB, datetime(2024, 6, 4, tzinfo=WIB)),
    # English fallback
    ("December 26, 2024 10:00 AM", WIB, datetime(2024, 12, 26, 10, 0, tzinfo=WIB)),
])
def test_formats(raw: str, tz: ZoneInfo, expected: datetime) -> None:
    value = parsed(raw, tz)
    assert value == expected
    assert value is not None and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("raw", ["", "   ", "kemarin sore", "Senin", "32 Desember 2024",
                                 "Funday (21/8)", "1.6 MB", "31/02/2024"])
def test_unparseable(raw: str) -> None:
    assert parsed(raw) is None


def test_registry_is_ordered_and_extensible() -> None:
    names = [h.__name__ for h in DATE_HANDLERS]
    assert names[0] == "rfc822" and names[-1] == "dateutil_fallback"

    def besok(text: str, ref: datetime) -> datetime | None:
        return datetime(2024, 12, 28) if text == "besok lusa" else None

    assert parse_date("besok lusa", WIB, reference=SEEN) is None
    assert parse_date("besok lusa", WIB, reference=SEEN,
                      handlers=(besok, *DATE_HANDLERS)) == datetime(2024, 12, 28, tzinfo=WIB)


def test_sane_rejects_epoch_prehistory_and_future() -> None:
    seen = SEEN.astimezone(WIB)
    assert sane(datetime(1970, 1, 1, tzinfo=WIB), seen) is None
    assert sane(datetime(1994, 12, 31, tzinfo=WIB), seen) is None
    assert sane(seen + timedelta(days=1, minutes=1), seen) is None
    ok = seen + timedelta(hours=23)
    assert sane(ok, seen) == ok


@pytest.mark.parametrize("raw", ["Thu 01/01/1970", "Thu, 01 Jan 1970 00:00:00 +0000",
                                 "tanggal tidak jelas", None, "Sabtu, 28 Desember 2030 10:00 WIB"])
def test_impossible_dates_become_first_seen_estimated(raw: str | None) -> None:
    item = normalize(entry(published_raw=raw), source(), seen_at=SEEN)
    assert item.date_estimated is True
    assert item.published == SEEN
    assert item.published.utcoffset() == timedelta(hours=7)


def test_good_date_is_not_estimated_and_updated_fills_in() -> None:
    item = normalize(entry(published_raw="Kamis, 26 Desember 2024 10:00 WITA"),
                     source(timezone="Asia/Makassar"), seen_at=SEEN)
    assert (item.published, item.date_estimated) == (datetime(2024, 12, 26, 10, tzinfo=WITA), False)
    only_updated = normalize(entry(published_raw=None, updated_raw="2024-12-25T08:00:00+07:00"),
                             source(), seen_at=SEEN)
    assert only_updated.published == datetime(2024, 12, 25, 8, tzinfo=WIB)
    assert only_updated.date_estimated is False


def test_dc_date_through_feedparser() -> None:
    from warta.ingest.parse import parse_feed

    rdf = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://uji.go.id/"><title>Uji</title><link>https://uji.go.id/</link></channel>
<item rdf:about="https://uji.go.id/a"><title>Rapat</title><link>https://uji.go.id/a</link>
<dc:date>2024-12-26T10:00:00</dc:date><description>Isi.</description></item></rdf:RDF>"""
    raw = parse_feed(rdf, {}, "https://uji.go.id/feed.rdf").entries[0]
    item = normalize(raw, source(timezone="Asia/Jayapura"), seen_at=SEEN)
    assert item.published == datetime(2024, 12, 26, 10, tzinfo=WIT)
    assert not item.date_estimated


@pytest.mark.parametrize(("zone", "label"), [("Asia/Jakarta", "WIB"), ("Asia/Makassar", "WITA"),
                                              ("Asia/Jayapura", "WIT")])
def test_display_in_indonesian_in_source_zone(zone: str, label: str) -> None:
    moment = datetime(2024, 9, 3, 2, 15, tzinfo=ZoneInfo("UTC"))
    hours = {"WIB": "09", "WITA": "10", "WIT": "11"}[label]
    assert tanggal_waktu(moment, zone) == f"Selasa, 3 September 2024 {hours}.15 {label}"
    assert tanggal(datetime(2024, 8, 17, tzinfo=WIB)) == "17 Agustus 2024"
