"""Open data: monthly JSON Feed archives, their index, and the JSON Schemas of every API file.

``api/v1/archive/YYYY-MM.json`` holds every item published in that month (in
the source's own time zone, like ``date_published``), newest first, with the
item contract of ``api/v1/latest.json`` (:func:`warta.site.api.jsonfeed_item`).
``api/v1/archive/index.json`` lists the months. The schemas shipped in
``plugins/warta/schema/`` are copied to ``api/v1/schema/`` so anyone can
validate what they download; the tests validate our own output against them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date

from ..core.messages import ARCHIVE_TITLE
from ..core.outfiles import copy_if_changed
from .api import JSONFEED_VERSION, jsonfeed_item, local_date, site_url, write_json

SCHEMA_SOURCE = Path(__file__).resolve().parents[1] / "schema"
SCHEMA_DIR = "api/v1/schema"
ARCHIVE_DIR = "api/v1/archive"


@dataclass(frozen=True, slots=True)
class MonthFile:
    month: str
    """``YYYY-MM``."""
    path: str
    """Site-relative path of the month's JSON Feed."""
    count: int
    newest: str | None
    oldest: str | None


def month_of(article: Any) -> str:
    return f"{local_date(article):%Y-%m}"


def month_label(month: str) -> str:
    """``2025-03`` → ``Maret 2025``."""
    year, mon = month.split("-")
    return format_date(datetime(int(year), int(mon), 1), "MMMM y", locale="id")


def _published(article: Any) -> str:
    """``date_published`` of the article's JSON Feed item (the source's own offset)."""
    return local_date(article).isoformat(timespec="seconds")


def write_archives(output: Path, articles: Iterable[Any], settings: dict[str, Any],
                   now: datetime, tracker: Any = None) -> list[MonthFile]:
    """Write one JSON Feed per month plus ``index.json``; returns the months, newest first.

    ``tracker`` (the incremental writer) skips a month whose articles
    are unchanged since the previous build: an hour of news touches one or two
    of the archive's months, not all sixty.
    """
    base = site_url(settings)
    site = settings.get("SITENAME", "Warta")
    by_month: dict[str, list[Any]] = {}
    for article in articles:
        if hasattr(article, "warta"):
            by_month.setdefault(month_of(article), []).append(article)
    months: list[MonthFile] = []
    for month in sorted(by_month, reverse=True):
        members = by_month[month]
        stamps = sorted((_published(a) for a in members), reverse=True)
        path = f"{ARCHIVE_DIR}/{month}.json"
        digest = tracker.input_digest("opendata", path, base, site, *members) if tracker else None
        if tracker is None or not tracker.reuse(path, digest):
            items = sorted((jsonfeed_item(a, base) for a in members),
                           key=lambda i: i["date_published"], reverse=True)
            write_json(output / path, {
                "version": JSONFEED_VERSION,
                "title": ARCHIVE_TITLE.format(site=site, month=month_label(month)),
                "home_page_url": f"{base}/arsip/{month.replace('-', '/')}/",
                "feed_url": f"{base}/{path}",
                "language": "id",
                "items": items,
            })
        months.append(MonthFile(month, path, len(members), stamps[0], stamps[-1]))
    write_json(output / ARCHIVE_DIR / "index.json", {
        "generated": now.isoformat(timespec="seconds"),
        "schema": f"{base}/{SCHEMA_DIR}/feed.schema.json",
        "count": len(months),
        "months": [{"month": m.month, "url": f"{base}/{m.path}", "count": m.count,
                    "newest": m.newest, "oldest": m.oldest} for m in months],
    })
    return months


def copy_schemas(output: Path) -> list[Path]:
    """Publish the JSON Schemas next to the data they describe."""
    target = output / SCHEMA_DIR
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for schema in sorted(SCHEMA_SOURCE.glob("*.schema.json")):
        copy_if_changed(schema, target / schema.name)
        out.append(target / schema.name)
    return out
