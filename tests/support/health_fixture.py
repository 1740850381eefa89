"""A small archive with known items, fetch times and failures, and a fixed clock.

Numbers every dashboard test checks (see tests/site/test_health.py for the arithmetic):
pemkab-a is healthy, pemprov-b fails since two days, kementerian-c only reports
"not modified" and is silent, pemkab-d was never fetched.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from warta.archive.store import Archive
from warta.core.messages import fetch_error_message
from warta.core.records import FetchResult, Item, RawEntry, Source

from tests.conftest import write_source

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
D = timedelta(days=1)
H = timedelta(hours=1)

SOURCES = (
    Source(id="pemkab-a", name="Pemerintah Kabupaten A", kind="pemkab", homepage="https://a.go.id",
           feeds=(), region="33.01"),
    Source(id="pemprov-b", name="Pemerintah Provinsi B", kind="pemprov",
           homepage="https://b.go.id", feeds=(), region="35"),
    Source(id="kementerian-c", name="Kementerian C", kind="kementerian",
           homepage="https://c.go.id", feeds=()),
    Source(id="pemkab-d", name="Pemerintah Kabupaten D", kind="pemkab",
           homepage="https://d.go.id", feeds=(), region="33.02"),
)
B_FEED = "https://b.go.id/feed/"


def _item(sid: str, n: int, published: datetime, *, estimated: bool = False) -> tuple[Item, RawEntry]:
    title = f"Berita {sid} nomor {n}"
    item = Item(id=f"{sid}-{n}", source_id=sid, key=f"{sid}-{n}", link=f"https://{sid}.go.id/{n}",
                title=title, content_html=f"<p>{title}</p>", summary=title, published=published,
                date_estimated=estimated)
    return item, RawEntry(guid=item.key, link=item.link, title=title, content_html="",
                          summary_html="")


def build_archive(path: Path) -> Path:
    with Archive(path) as ar:
        # pemkab-a: a backfill 40 days ago, then items seen 2 h, 4 h and 0 h (future-dated)
        # after their stated date, and one undated item.
        ar.store_items([_item("pemkab-a", 1, NOW - 45 * D), _item("pemkab-a", 2, NOW - 41 * D)],
                       now=NOW - 40 * D)
        ar.store_items([_item("pemkab-a", 3, NOW - 10 * D - 2 * H)], now=NOW - 10 * D)
        ar.store_items([_item("pemkab-a", 4, NOW - 3 * D - 4 * H),
                        _item("pemkab-a", 5, NOW - 3 * D + H)], now=NOW - 3 * D)
        ar.store_items([_item("pemkab-a", 6, NOW - H, estimated=True)], now=NOW - H)
        ar.record_source("pemkab-a", now=NOW - H, status="ok", http_status=200)
        # pemprov-b: first fetch 20 days ago, one item seen 6 h late, then failing.
        ar.store_items([_item("pemprov-b", 1, NOW - 21 * D)], now=NOW - 20 * D)
        ar.store_items([_item("pemprov-b", 2, NOW - 15 * D - 6 * H)], now=NOW - 15 * D)
        ar.record_source("pemprov-b", now=NOW - 15 * D, status="ok", http_status=200)
        msg = fetch_error_message("http", 403)
        for when in (NOW - 2 * D, NOW - H):
            ar.record_feed("pemprov-b", FetchResult(url=B_FEED, status=403, error_class="http",
                                                    error_message=msg), now=when)
            ar.record_source("pemprov-b", now=when, status="error", http_status=403,
                             error_class="http", error_message=msg)
        # kementerian-c: one old item, feed unchanged since.
        ar.store_items([_item("kementerian-c", 1, NOW - 100 * D)], now=NOW - 100 * D)
        ar.record_source("kementerian-c", now=NOW - H, status="not_modified", http_status=304)
        # An item of a source no longer in the registry is ignored by the dashboard.
        ar.store_items([_item("dihapus", 1, NOW - D)], now=NOW - D)
    return path


def write_registry(root: Path) -> Path:
    write_source(root / "33", "pemkab-a", ["https://a.go.id/feed/"], kind="pemkab", region="33.01",
                 name="Pemerintah Kabupaten A")
    write_source(root / "35", "pemprov-b", [B_FEED], kind="pemprov", region="35",
                 name="Pemerintah Provinsi B")
    write_source(root / "nasional", "kementerian-c", ["https://c.go.id/feed/"],
                 kind="kementerian", region=None, name="Kementerian C")
    write_source(root / "33", "pemkab-d", ["https://d.go.id/feed/"], kind="pemkab",
                 region="33.02", name="Pemerintah Kabupaten D")
    return root
