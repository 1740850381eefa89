"""Image outcomes in the archive: a build that reuses every image writes no row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from warta.archive.images import ImageRecord
from warta.archive.store import Archive

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _rows(archive: Archive) -> list[tuple[object, ...]]:
    return archive.conn.execute(
        "SELECT url, role, status, error_class, http_status, first_seen, last_attempt, "
        "last_success, consecutive_failures FROM images ORDER BY url").fetchall()


def test_reused_images_leave_their_rows_untouched(tmp_path: Path) -> None:
    photo = ImageRecord("humas-uji", "https://contoh.go.id/a.jpg", "lead", "ok", attempted=True,
                        http_status=200)
    broken = ImageRecord("humas-uji", "https://contoh.go.id/b.jpg", "body", "failed", attempted=True,
                         error_class="http", error_message="HTTP 404", http_status=404)
    with Archive(tmp_path / "warta.sqlite") as archive:
        archive.record_images([photo, broken], now=T0)
        first = _rows(archive)
        # The next build: both taken from the cache as they were, nothing tried.
        before = archive.conn.total_changes
        reused = [ImageRecord(r.source_id, r.url, r.role, r.status, attempted=False,
                              error_class=r.error_class, error_message=r.error_message)
                  for r in (photo, broken)]
        archive.record_images(reused, now=T0 + timedelta(hours=1))
        assert archive.conn.total_changes == before
        assert _rows(archive) == first

        # Tried again and still failing: the streak moves; now in the body too: the role moves.
        archive.record_images([broken,
                               ImageRecord(photo.source_id, photo.url, "body", "ok", attempted=False)],
                              now=T0 + timedelta(hours=7))
        rows = {r[0]: r for r in _rows(archive)}
        assert rows[broken.url][-1] == 2 and rows[broken.url][6] == "2026-11-20T15:00:00+00:00"
        assert rows[photo.url][1] == "body" and rows[photo.url][6] == first[0][6]
