"""What the archive remembers of images: each use per source, its outcome and failure streak."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .base import ArchiveBase, _dt, _iso


@dataclass(frozen=True, slots=True)
class ImageHealth:
    """Images of one source: how many are used, how many failed, the latest reason."""

    source_id: str
    total: int
    failed: int
    last_error: str | None
    last_error_class: str | None
    last_failure: datetime | None


@dataclass(frozen=True, slots=True)
class ImageRecord:
    """One image use to record: what happened to ``url`` for ``source_id`` in a build."""

    source_id: str
    url: str
    role: str
    status: str  # ok | failed
    attempted: bool
    error_class: str | None = None
    error_message: str | None = None
    http_status: int | None = None



class ImageStore(ArchiveBase):
    """Image outcomes per source, for the status page."""

    def record_images(self, records: Iterable[ImageRecord], *, now: datetime) -> None:
        """Upsert image outcomes; failure streaks only move when the image was really tried.

        Every build records every image in use, almost all of them reused from the
        cache as they were: such a row is left untouched (the ``WHERE`` of the
        upsert), so an hour writes only the images it tried or whose outcome
        changed, not 300,000 rows of a 100,000-report archive.
        """
        now_iso = _iso(now)
        with self.conn:
            self.conn.executemany(
                """
                INSERT INTO images (source_id, url, role, status, error_class, error_message,
                                    http_status, first_seen, last_attempt, last_success,
                                    consecutive_failures)
                VALUES (:sid, :url, :role, :status, :ecls, :emsg, :http, :now, :attempt,
                        :success, :fails)
                ON CONFLICT (source_id, url) DO UPDATE SET
                    role = excluded.role,
                    status = excluded.status,
                    error_class = excluded.error_class,
                    error_message = excluded.error_message,
                    http_status = COALESCE(excluded.http_status, images.http_status),
                    last_attempt = COALESCE(excluded.last_attempt, images.last_attempt),
                    last_success = COALESCE(excluded.last_success, images.last_success),
                    consecutive_failures = CASE
                        WHEN excluded.status = 'ok' THEN 0
                        WHEN :attempted THEN images.consecutive_failures + 1
                        ELSE images.consecutive_failures END
                WHERE :attempted
                    OR images.role IS NOT excluded.role
                    OR images.status IS NOT excluded.status
                    OR images.error_class IS NOT excluded.error_class
                    OR images.error_message IS NOT excluded.error_message
                    OR (excluded.http_status IS NOT NULL
                        AND images.http_status IS NOT excluded.http_status)
                """,
                (_image_params(r, now_iso) for r in records),
            )

    def image_health(self) -> dict[str, ImageHealth]:
        """Per source: images in use, failed ones, and the most recent failure reason."""
        out: dict[str, ImageHealth] = {}
        rows = self.conn.execute(
            "SELECT source_id, COUNT(*) AS n, SUM(status = 'failed') AS failed FROM images "
            "GROUP BY source_id"
        ).fetchall()
        for r in rows:
            last = self.conn.execute(
                "SELECT error_class, error_message, last_attempt FROM images "
                "WHERE source_id = ? AND status = 'failed' "
                "ORDER BY COALESCE(last_attempt, first_seen) DESC LIMIT 1",
                (r["source_id"],),
            ).fetchone()
            out[r["source_id"]] = ImageHealth(
                source_id=r["source_id"], total=r["n"], failed=int(r["failed"] or 0),
                last_error=last["error_message"] if last else None,
                last_error_class=last["error_class"] if last else None,
                last_failure=_dt(last["last_attempt"]) if last else None,
            )
        return out


def _image_params(r: ImageRecord, now_iso: str) -> dict[str, object]:
    ok = r.status == "ok"
    return {
        "sid": r.source_id, "url": r.url, "role": r.role, "status": r.status,
        "ecls": None if ok else r.error_class,
        "emsg": None if ok else r.error_message, "http": r.http_status,
        "now": now_iso, "attempt": now_iso if r.attempted else None,
        "success": now_iso if ok and r.attempted else None,
        "fails": 0 if ok else 1, "attempted": int(r.attempted),
    }
