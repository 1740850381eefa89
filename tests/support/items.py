"""Builders for cleaning tests: a source per zone and a RawEntry with sane defaults."""

from __future__ import annotations

from datetime import UTC, datetime

from warta.core.records import FeedSpec, RawEntry, Source

SEEN = datetime(2024, 12, 27, 3, 0, tzinfo=UTC)  # Jumat, 27 Desember 2024 10.00 WIB


def source(sid: str = "pemkab-uji", timezone: str = "Asia/Jakarta", **kw: object) -> Source:
    return Source(id=sid, name=f"Sumber {sid}", kind="pemkab", homepage="https://uji.go.id",
                  feeds=(FeedSpec("https://uji.go.id/feed/"),), region="33.01",
                  timezone=timezone, **kw)  # type: ignore[arg-type]


def entry(body: str = "<p>Isi berita.</p>", **kw: object) -> RawEntry:
    data: dict[str, object] = {"guid": "uji-1", "link": "https://uji.go.id/berita/2024/12/uji/",
                               "title": "Judul Uji", "content_html": body, "summary_html": ""}
    data.update(kw)
    return RawEntry(**data)  # type: ignore[arg-type]
