"""Dashboard numbers against the fixture archive (tests/support/health_fixture.py)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from warta.site.health import WEEKS, compute_health
from warta.site.status import durasi, table_rows

from tests.support.health_fixture import NOW, SOURCES, build_archive


@pytest.fixture
def report(tmp_path: Path):
    db = build_archive(tmp_path / "arsip.sqlite")
    conn = sqlite3.connect(db)
    try:
        yield compute_health(conn, SOURCES, NOW)
    finally:
        conn.close()


def test_per_source_numbers(report) -> None:
    a = report.by_id["pemkab-a"]
    assert (a.items_total, a.items_7d, a.items_30d) == (6, 3, 4)
    assert a.newest_age_hours == pytest.approx(1.0)
    # Delays 2 h, 4 h and 0 h (future-dated, clamped); backfill and undated items excluded.
    assert a.avg_delay_hours == pytest.approx(2.0, abs=1e-3) and a.delay_samples == 3
    assert a.weekly == (0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 3)
    assert a.weekly[-1] == a.items_7d
    assert (a.status, a.api_status, a.silent) == ("ok", "ok", False)
    assert a.status_label == "ok"

    b = report.by_id["pemprov-b"]
    assert (b.items_total, b.items_7d, b.items_30d) == (2, 0, 2)
    assert b.newest_age_hours == pytest.approx(15 * 24 + 6)
    assert b.avg_delay_hours == pytest.approx(6.0, abs=1e-3) and b.delay_samples == 1
    assert (b.status, b.api_status, b.silent) == ("error", "error", True)
    assert b.consecutive_failures == 2 and b.failing_since == NOW.replace(day=27, month=2)
    assert b.last_success == NOW - timedelta(days=15)
    assert "403" in (b.last_error or "") and "diblokir" in (b.last_error or "")
    assert b.status_label == "gagal sejak Jumat, 27 Februari 2026 19.00 WIB"

    c = report.by_id["kementerian-c"]
    assert (c.items_total, c.items_7d, c.items_30d, c.weekly) == (1, 0, 0, (0,) * WEEKS)
    assert c.newest_age_hours == pytest.approx(2400.0) and c.avg_delay_hours is None
    assert (c.status, c.api_status, c.silent, c.status_label) == (
        "not_modified", "stale", True, "tidak berubah")
    assert c.region == c.province == "nasional"

    d = report.by_id["pemkab-d"]
    assert (d.status, d.api_status, d.items_total, d.newest_age_hours) == ("never", "stale", 0, None)
    assert d.last_success is None and d.silent
    assert "dihapus" not in report.by_id


def test_groups_broken_feeds_and_silence(report) -> None:
    regions = {g.key: g for g in report.by_region}
    assert [g.key for g in report.by_region] == ["nasional", "33", "35"]
    assert regions["33"].label == "Jawa Tengah" and regions["35"].label == "Jawa Timur"
    assert regions["33"].sources == 2 and regions["33"].weekly == report.by_id["pemkab-a"].weekly
    assert regions["33"].total == 6 and regions["33"].silent == ("pemkab-d",)
    assert regions["35"].weekly[-3] == 1 and regions["35"].total == 2
    assert regions["35"].broken == ("pemprov-b",) and regions["35"].silent == ("pemprov-b",)
    assert regions["nasional"].silent == ("kementerian-c",) and regions["nasional"].total == 0
    kinds = {g.key: g for g in report.by_kind}
    assert set(kinds) == {"pemkab", "pemprov", "kementerian"}
    assert kinds["pemkab"].label == "Pemerintah kabupaten" and kinds["pemkab"].sources == 2
    assert [b.url for b in report.broken_feeds] == ["https://b.go.id/feed/"]
    assert report.broken_feeds[0].consecutive_failures == 2
    assert [s.source_id for s in report.silent] == ["kementerian-c", "pemkab-d", "pemprov-b"]
    assert (report.count("ok"), report.count("error"), report.count("never")) == (1, 1, 1)


def test_clock_is_an_input(tmp_path: Path) -> None:
    db = build_archive(tmp_path / "arsip.sqlite")
    with sqlite3.connect(db) as conn:
        later = compute_health(conn, SOURCES, NOW + timedelta(days=7))
    a = later.by_id["pemkab-a"]
    assert (a.items_7d, a.items_30d) == (0, 4) and a.newest_age_hours == pytest.approx(169.0)


def test_table_views_sort_and_filter(report) -> None:
    assert [s.source_id for s in table_rows(report, "semua", "status")] == [
        "pemprov-b", "pemkab-d", "kementerian-c", "pemkab-a"]
    assert [s.source_id for s in table_rows(report, "gagal", "status")] == ["pemprov-b"]
    assert next(s.source_id for s in table_rows(report, "semua", "7-hari")) == "pemkab-a"
    assert [s.source_id for s in table_rows(report, "semua", "terbaru")] == [
        "pemkab-a", "pemprov-b", "kementerian-c", "pemkab-d"]
    assert [s.source_id for s in table_rows(report, "senyap", "nama")] == [
        "kementerian-c", "pemkab-d", "pemprov-b"]
    assert [durasi(h) for h in (None, 0.5, 5, 366)] == ["–", "30 menit", "5 jam", "15 hari"]
