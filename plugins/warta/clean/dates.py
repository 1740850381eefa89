"""Feed dates → aware datetimes, through an ordered registry of handlers.

Modelled on feedparser's ``_date_handlers``: each handler recognises one
family of formats and returns ``None`` for anything else, so adding a format
a new source uses means adding one function to :data:`DATE_HANDLERS`.

Rules:

- A stated offset wins; then a zone word (WIB/WITA/WIT); otherwise the
  date is in the *source's* zone, never UTC.
- Indonesian month and day names ("Kamis, 26 Desember 2024 10:00 WIB"),
  the humas short form "Senin (21/8)" (year inferred from when we saw it)
  and numeric day-first dates are understood.
- :func:`sane` rejects the 1970 epoch, pre-web dates and dates more than a
  day ahead; the caller then uses first-seen and marks the date estimated.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names, get_month_names
from dateutil import parser as dateutil_parser

FUTURE_SLACK = timedelta(days=1)
EARLIEST_YEAR = 1995
"""Nothing a humas feed publishes predates the web; 1970 is an epoch artefact."""

ZONE_WORDS: dict[str, ZoneInfo] = {
    "WIB": ZoneInfo("Asia/Jakarta"),
    "WITA": ZoneInfo("Asia/Makassar"),
    "WIT": ZoneInfo("Asia/Jayapura"),
}
_ZONE_RE = re.compile(r"(?<![A-Za-z])(WITA|WIB|WIT)(?![A-Za-z])\.?")


def _names() -> tuple[dict[str, int], dict[str, int]]:
    """Month and weekday names (Indonesian and English, from Babel, plus spellings in use)."""
    months: dict[str, int] = {}
    days: dict[str, int] = {}
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            for num, name in get_month_names(width, locale=locale).items():
                months[name.lower().rstrip(".")] = num
            for num, name in get_day_names(width, locale=locale).items():
                days[name.lower().rstrip(".")] = num
    months.update({"agt": 8, "agus": 8, "sept": 9, "nop": 11, "nopember": 11, "pebruari": 2,
                   "peb": 2, "okto": 10, "januari": 1, "febuari": 2})
    days.update({"jum'at": 4, "jumat": 4, "ahad": 6, "sen": 0, "min": 6})
    return months, days


MONTHS, WEEKDAYS = _names()

_TIME = r"(?:\s*(?:[,|/-]|pukul|pkl\.?|jam)?\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?"
_LONG_RE = re.compile(
    r"^(?:(?P<wd>[A-Za-z']+)\.?\s*,?\s*)?(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})"
    + _TIME + r"[\s|,-]*$", re.I)
_NUMERIC_RE = re.compile(
    r"^(?:(?P<wd>[A-Za-z']+)\.?,?\s*)?(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"
    + _TIME + r"[\s|,-]*$", re.I)
_YMD_SLASH_RE = re.compile(
    r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _TIME + r"\s*$", re.I)
_SHORT_RE = re.compile(
    r"^(?:(?P<wd>[A-Za-z']+)\s*)?\(\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})"
    r"(?:\s*/\s*(?P<y>\d{4}|\d{2}))?\s*\)$", re.I)

DateHandler = Callable[[str, datetime], datetime | None]
"""``(text, reference) -> datetime | None``; a naive result means "no zone stated"."""


def _build(y: int, m: int, d: int, match: re.Match[str]) -> datetime | None:
    hour = int(match.group("H") or 0)
    minute = int(match.group("M") or 0)
    second = int(match.group("S") or 0)
    try:
        return datetime(y, m, d, hour, minute, second)
    except ValueError:
        return None


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def rfc822(text: str, reference: datetime) -> datetime | None:
    """RSS ``pubDate``: "Mon, 23 Nov 2026 09:15:00 +0700" ("-0000" means zone unknown)."""
    if not re.match(r"^(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


_RFC822_NAMED_RE = re.compile(
    r"^(?:[A-Za-z']+\.?,?\s*)?(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\.?\s+(?P<y>\d{4})"
    r"\s+(?P<rest>\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[+-]\d{4}|GMT|UT|UTC|Z))?)$")
_ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822_localised(text: str, reference: datetime) -> datetime | None:
    """``pubDate`` with Indonesian names: "Sen, 09 Agu 2021 16:58:37 +0700".

    Some CMSs format RFC 822 dates in the server's locale; the numbers and the
    offset are as RFC 822 has them, only the day and month names are translated.
    """
    match = _RFC822_NAMED_RE.match(text)
    if not match:
        return None
    month = MONTHS.get(match.group("m").lower())
    if month is None:
        return None
    english = f"{match.group('d')} {_ENGLISH_MONTHS[month - 1]} {match.group('y')} {match.group('rest')}"
    try:
        return parsedate_to_datetime(english)
    except (TypeError, ValueError, IndexError):
        return None


def iso8601(text: str, reference: datetime) -> datetime | None:
    """Atom, ``dc:date`` (W3CDTF) and JSON Feed: "2024-12-26T10:00:00+07:00", "2024-12-26"."""
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text.replace(" T", "T"))
    except ValueError:
        return None


def indonesian_long(text: str, reference: datetime) -> datetime | None:
    """ "Kamis, 26 Desember 2024 10:00", "Senin, 2 Desember 2024 | 10:15", "26 Des 2024"."""
    match = _LONG_RE.match(text)
    if not match:
        return None
    month = MONTHS.get(match.group("m").lower())
    if month is None:
        return None
    return _build(int(match.group("y")), month, int(match.group("d")), match)


def numeric_dmy(text: str, reference: datetime) -> datetime | None:
    """Day first, as Indonesia writes it: "26/12/2024 10.00", "Thu 01/01/1970", "2024/12/26"."""
    match = _NUMERIC_RE.match(text)
    if match:
        return _build(_year(match.group("y")), int(match.group("m")), int(match.group("d")), match)
    match = _YMD_SLASH_RE.match(text)
    if match:
        return _build(int(match.group("y")), int(match.group("m")), int(match.group("d")), match)
    return None


def weekday_short(text: str, reference: datetime) -> datetime | None:
    """The humas short form "Senin (21/8)" or "(02/9/2024)": no year, or a weekday to check.

    Without a year, the date is the latest one not after ``reference`` (+1 day)
    whose weekday matches the stated day name.
    """
    match = _SHORT_RE.match(text)
    if not match:
        return None
    day, month = int(match.group("d")), int(match.group("m"))
    wd_name = (match.group("wd") or "").lower()
    weekday = WEEKDAYS.get(wd_name)
    if wd_name and weekday is None:
        return None
    if match.group("y"):
        try:
            return datetime(_year(match.group("y")), month, day)
        except ValueError:
            return None
    limit = (reference + FUTURE_SLACK).date()
    fallback: date | None = None
    for year in range(limit.year, limit.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate > limit:
            continue
        if fallback is None:
            fallback = candidate
        if weekday is None or candidate.weekday() == weekday:
            return datetime(candidate.year, candidate.month, candidate.day)
    return datetime(fallback.year, fallback.month, fallback.day) if fallback else None


def dateutil_fallback(text: str, reference: datetime) -> datetime | None:
    """Last resort for the rest (English month-first forms…), day-first."""
    if not re.search(r"\d{4}", text):
        return None  # dateutil invents a year otherwise
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dateutil_parser.parse(text, dayfirst=True)
    except (ValueError, OverflowError, TypeError, dateutil_parser.ParserError):
        return None


DATE_HANDLERS: tuple[DateHandler, ...] = (
    rfc822,
    rfc822_localised,
    iso8601,
    indonesian_long,
    numeric_dmy,
    weekday_short,
    dateutil_fallback,
)
"""Tried in order; the first that understands the text wins (feedparser's style)."""


def parse_date(raw: str | None, tz: ZoneInfo, *, reference: datetime,
               handlers: Sequence[DateHandler] = DATE_HANDLERS) -> datetime | None:
    """Parse one feed date into an aware datetime expressed in ``tz``.

    ``tz`` is the source's zone, used when the text states none; ``reference``
    (when the hub saw the entry) resolves dates written without a year.
    """
    if not raw:
        return None
    text = " ".join(str(raw).split())[:200]
    if not text:
        return None
    zone: ZoneInfo | None = None
    found = _ZONE_RE.search(text)
    if found:
        zone = ZONE_WORDS[found.group(1).upper()]
        text = (text[: found.start()] + text[found.end():]).strip(" ,|-")
    for handler in handlers:
        try:
            value = handler(text, reference)
        except Exception:  # a handler bug must not lose the entry
            value = None
        if value is not None:
            break
    else:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or tz)
    try:
        return value.astimezone(tz)
    except (OverflowError, ValueError):
        return None


def sane(value: datetime | None, seen_at: datetime) -> datetime | None:
    """``value`` if a reader may be shown it, else None (epoch, pre-web, future)."""
    if value is None:
        return None
    if value.year < EARLIEST_YEAR or value > seen_at + FUTURE_SLACK:
        return None
    return value
