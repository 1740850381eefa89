"""Source health and publishing statistics for ``/status/`` and ``api/v1/sources.json``.

Pure: :func:`compute_health` takes an open SQLite connection to the archive,
the registry and the clock (``now``) and returns frozen records; nothing
reads the wall clock, so a fixture archive with a fixed ``now`` gives exact,
testable numbers. All counting is done by SQL aggregates (a handful of
GROUP BY queries, mostly over the ``(source_id, sort_ts)`` and ``sort_ts``
indexes); items are never loaded into Python.

Definitions (shown on the page too):

- an item's date is ``sort_ts`` = min(stated date, first seen), so a feed
  that rewrites or future-dates its timestamps cannot look fresher;
- "items in the last 7/30 days" and the 12 weekly bars count items by that
  date; week 0 is the 7 days ending ``now`` (rolling weeks, so the last bar
  equals the 7-day count);
- the average delay is first seen minus stated date, over items first seen
  in the last 30 days with a real (not estimated) date, excluding each
  source's very first fetch (its backfill is not a delay) and items dated
  more than 60 days before they were seen; negative delays count as 0;
- a source is silent when its newest item is older than 14 days (or it has
  none).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..core.messages import HEALTH_STATUS_LABELS, KIND_LABELS
from ..core.records import Source
from ..sources import regions

WEEKS = 12
SILENT_AFTER = timedelta(days=14)
DELAY_WINDOW = timedelta(days=30)
DELAY_MAX_AGE = timedelta(days=60)
_DAY = 86400.0
_WEEK = 7 * _DAY
# ISO text → epoch seconds inside SQLite.
_EPOCH = "((julianday({col}) - 2440587.5) * 86400.0)"


@dataclass(frozen=True, slots=True)
class SourceStats:
    source_id: str
    name: str
    kind: str
    region: str
    """Region code, or ``nasional``."""
    province: str
    """Two-digit province code, or ``nasional``."""
    active: bool
    status: str
    """ok | not_modified | error | never (last fetch outcome), or unverified: a ``discover``
    source none of whose found methods has been read successfully yet."""
    api_status: str
    """ok | error | stale — the ``status`` field of sources.json."""
    last_attempt: datetime | None
    last_success: datetime | None
    failing_since: datetime | None
    last_error: str | None
    error_class: str | None
    http_status: int | None
    consecutive_failures: int
    items_total: int
    items_7d: int
    items_30d: int
    newest_item: datetime | None
    newest_age_hours: float | None
    avg_delay_hours: float | None
    delay_samples: int
    weekly: tuple[int, ...]
    """Items per rolling week, oldest first (``WEEKS`` values)."""

    @property
    def silent(self) -> bool:
        return self.newest_age_hours is None or self.newest_age_hours > SILENT_AFTER.days * 24

    @property
    def coverage(self) -> str:
        """What a region page says of the source: ok, unverified, error or inactive."""
        if not self.active:
            return "inactive"
        if self.status in ("unverified", "never"):
            return "unverified"
        return "error" if self.status == "error" else "ok"

    @property
    def status_label(self) -> str:
        label = HEALTH_STATUS_LABELS.get(self.status, self.status)
        if self.status == "error" and self.failing_since is not None:
            from .display import tanggal_waktu

            return f"{label} sejak {tanggal_waktu(self.failing_since, 'Asia/Jakarta')}"
        return label

    def to_api(self) -> dict[str, Any]:
        """Extra sources.json fields (numbers rounded for people and diffs)."""
        return {
            "fetch_status": self.status,
            "items_7d": self.items_7d,
            "items_30d": self.items_30d,
            "newest_item_age_hours": _round(self.newest_age_hours),
            "avg_delay_hours": _round(self.avg_delay_hours),
            "delay_samples": self.delay_samples,
            "silent": self.silent,
            "weekly_items": list(self.weekly),
        }


@dataclass(frozen=True, slots=True)
class BrokenFeed:
    source_id: str
    url: str
    error_class: str
    error_message: str | None
    http_status: int | None
    consecutive_failures: int
    last_success: datetime | None


@dataclass(frozen=True, slots=True)
class GroupStats:
    """Publishing volume of one region (province) or institution kind."""

    key: str
    label: str
    sources: int
    weekly: tuple[int, ...]
    silent: tuple[str, ...]
    """Source ids silent for more than 14 days."""
    broken: tuple[str, ...]
    """Source ids whose last fetch failed."""

    @property
    def total(self) -> int:
        return sum(self.weekly)


@dataclass(frozen=True, slots=True)
class HealthReport:
    now: datetime
    sources: tuple[SourceStats, ...]
    by_region: tuple[GroupStats, ...]
    by_kind: tuple[GroupStats, ...]
    broken_feeds: tuple[BrokenFeed, ...]
    week_starts: tuple[datetime, ...]
    """Start of each rolling week, oldest first."""

    @property
    def by_id(self) -> dict[str, SourceStats]:
        return {s.source_id: s for s in self.sources}

    @property
    def silent(self) -> tuple[SourceStats, ...]:
        return tuple(s for s in self.sources if s.silent and s.active)

    def count(self, status: str) -> int:
        return sum(1 for s in self.sources if s.status == status)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def api_status(status: str, error_class: str | None, newest_age_hours: float | None) -> str:
    """Same rule as api.source_status: error first, then stale (silent or never fetched)."""
    if status == "never":
        return "stale"
    if error_class is not None:
        return "error"
    if newest_age_hours is None or newest_age_hours > SILENT_AFTER.days * 24:
        return "stale"
    return "ok"


def compute_health(conn: sqlite3.Connection, sources: Sequence[Source], now: datetime
                   ) -> HealthReport:
    """Every number of the dashboard, from the archive at ``conn`` as of ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_ts = now.timestamp()
    params = {"now": now_ts, "t7": now_ts - 7 * _DAY, "t30": now_ts - 30 * _DAY,
              "t12w": now_ts - WEEKS * _WEEK, "tdelay": now_ts - DELAY_WINDOW.total_seconds(),
              "tmaxage": now_ts - DELAY_WINDOW.total_seconds() - DELAY_MAX_AGE.total_seconds(),
              "maxage": DELAY_MAX_AGE.total_seconds()}
    counts: dict[str, tuple[int, int, int, float | None]] = {}
    for sid, n, n7, n30, newest in conn.execute(
        "SELECT source_id, COUNT(*), TOTAL(sort_ts >= :t7 AND sort_ts <= :now), "
        "TOTAL(sort_ts >= :t30 AND sort_ts <= :now), MAX(sort_ts) FROM items GROUP BY source_id",
        params,
    ):
        counts[sid] = (int(n), int(n7), int(n30), newest)
    weekly: dict[str, list[int]] = {}
    for sid, week, n in conn.execute(
        "SELECT source_id, CAST((:now - sort_ts) / 604800.0 AS INTEGER) AS w, COUNT(*) "
        "FROM items WHERE sort_ts > :t12w AND sort_ts <= :now GROUP BY source_id, w",
        params,
    ):
        if 0 <= week < WEEKS:
            weekly.setdefault(sid, [0] * WEEKS)[WEEKS - 1 - week] = int(n)
    seen = _EPOCH.format(col="i.first_seen")
    delays: dict[str, tuple[float, int]] = {}
    for sid, avg, n in conn.execute(
        f"SELECT i.source_id, AVG(MAX(0.0, {seen} - i.published_ts)), COUNT(*) "
        "FROM items AS i JOIN (SELECT source_id, MIN(first_seen) AS first FROM items "
        "GROUP BY source_id) AS f ON f.source_id = i.source_id "
        f"WHERE i.date_estimated = 0 AND i.sort_ts >= :tmaxage AND i.first_seen > f.first "
        f"AND {seen} >= :tdelay AND {seen} <= :now AND {seen} - i.published_ts <= :maxage "
        "GROUP BY i.source_id",
        params,
    ):
        delays[sid] = (float(avg) / 3600.0, int(n))
    rows = {r["id"]: r for r in _dict_rows(conn, "SELECT * FROM sources")}
    broken = [
        BrokenFeed(r["source_id"], r["url"], r["error_class"], r["error_message"],
                   r["http_status"], int(r["consecutive_failures"]), _dt(r["last_success"]))
        for r in _dict_rows(conn, "SELECT * FROM feeds WHERE error_class IS NOT NULL "
                                  "ORDER BY consecutive_failures DESC, source_id, url")
    ]
    registered = {s.id for s in sources}
    verified = {sid for (sid,) in conn.execute(
        "SELECT DISTINCT source_id FROM feeds WHERE last_success IS NOT NULL")}
    stats = []
    for s in sorted(sources, key=lambda s: s.id):
        n, n7, n30, newest_ts = counts.get(s.id, (0, 0, 0, None))
        row = rows.get(s.id)
        status = (row["last_status"] or "never") if row else "never"
        if s.discover and not s.feeds and s.id not in verified:
            status = "unverified"
        newest = datetime.fromtimestamp(newest_ts, UTC) if newest_ts is not None else None
        age = max(0.0, (now_ts - newest_ts) / 3600.0) if newest_ts is not None else None
        delay = delays.get(s.id)
        stats.append(SourceStats(
            source_id=s.id, name=s.name, kind=s.kind, region=s.region or regions.NATIONAL,
            province=s.province or regions.NATIONAL, active=s.active, status=status,
            api_status=api_status(status, row["error_class"] if row else None, age),
            last_attempt=_dt(row["last_attempt"]) if row else None,
            last_success=_dt(row["last_success"]) if row else None,
            failing_since=_dt(row["failing_since"]) if row else None,
            last_error=row["error_message"] if row else None,
            error_class=row["error_class"] if row else None,
            http_status=row["http_status"] if row else None,
            consecutive_failures=int(row["consecutive_failures"]) if row else 0,
            items_total=n, items_7d=n7, items_30d=n30, newest_item=newest, newest_age_hours=age,
            avg_delay_hours=delay[0] if delay else None, delay_samples=delay[1] if delay else 0,
            weekly=tuple(weekly.get(s.id, [0] * WEEKS)),
        ))
    week_starts = tuple(now - timedelta(weeks=WEEKS - i) for i in range(WEEKS))
    return HealthReport(
        now=now, sources=tuple(stats),
        by_region=_groups(stats, lambda st: st.province, _province_label),
        by_kind=_groups(stats, lambda st: st.kind, lambda k: KIND_LABELS.get(k, k)),
        broken_feeds=tuple(b for b in broken if b.source_id in registered),
        week_starts=week_starts,
    )


def _dict_rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def _province_label(code: str) -> str:
    if code == regions.NATIONAL:
        return "Nasional"
    region = regions.get(code)
    return region.name if region else code


def _groups(stats: Sequence[SourceStats], key: Any, label: Any) -> tuple[GroupStats, ...]:
    buckets: dict[str, list[SourceStats]] = {}
    for st in stats:
        buckets.setdefault(key(st), []).append(st)
    out = []
    for k, members in buckets.items():
        weekly = tuple(sum(m.weekly[i] for m in members) for i in range(WEEKS))
        out.append(GroupStats(
            key=k, label=label(k), sources=len(members), weekly=weekly,
            silent=tuple(m.source_id for m in members if m.silent and m.active),
            broken=tuple(m.source_id for m in members if m.status == "error"),
        ))
    out.sort(key=lambda g: (g.key != regions.NATIONAL, g.key))
    return tuple(out)


def health_for_build(db_path: Any, sources: Sequence[Source], now: datetime) -> HealthReport:
    """Open the archive read-only and compute; an absent archive gives all-zero stats."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) if db_path else \
        sqlite3.connect(":memory:")
    try:
        if not db_path:
            from ..archive.migrations import MIGRATIONS

            conn.executescript(MIGRATIONS[0])
        return compute_health(conn, sources, now)
    finally:
        conn.close()
