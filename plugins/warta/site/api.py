"""Machine-readable output: ``api/v1/latest.json`` (JSON Feed 1.1) and ``sources.json``.

Both are public contracts (open data, widgets, other tools). JSON Feed rules
followed: ``id`` is a stable string, HTML only in ``content_html``,
``summary`` is plain text, dates are RFC 3339 in the source's own offset,
extensions start with ``_``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..clean.normalize import plain_text
from ..core.outfiles import write_if_changed
from ..core.settings import setting
from ..sources.regions import NATIONAL

JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
LATEST_LIMIT = 500
LATEST_PATH = "api/v1/latest.json"
"""The newest :data:`LATEST_LIMIT` reports in full (JSON Feed 1.1 with the ``_warta`` extension)."""
STALE_AFTER = timedelta(days=14)


def site_url(settings: dict[str, Any]) -> str:
    return (settings.get("SITEURL") or setting(settings, "WARTA_DEV_SITEURL")).rstrip("/")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def local_date(article: Any) -> datetime:
    """The article's date in its source's own time zone (``date_published``, archive months)."""
    source = article.warta.source
    return article.date.astimezone(source.tz) if source else article.date


def jsonfeed_item(article: Any, base: str, *, full: bool = True) -> dict[str, Any]:
    """One JSON Feed item; ``full=False`` carries the summary as its text, not the body."""
    info = article.warta
    source = info.source
    date = local_date(article)
    modified = getattr(article, "modified", None)
    summary = plain_text(article.summary)
    # A summary-mode source allows a summary and a link back, never the body (as in every feed).
    summary_only = not full or bool(source and source.mode == "summary" and not info.is_local)
    body = {"content_text": summary} if summary_only else {"content_html": article.content}
    item: dict[str, Any] = {
        "id": info.id,
        "url": f"{base}/{article.url}",
        "title": plain_text(article.title),
        **body,
        "summary": summary,
        "date_published": _iso(date),
        "authors": [{"name": plain_text(str(a))} for a in getattr(article, "authors", [])],
        "tags": [plain_text(str(t)) for t in getattr(article, "tags", [])],
    }
    if modified is not None:
        item["date_modified"] = _iso(modified.astimezone(date.tzinfo))
    if info.external_url:
        item["external_url"] = info.external_url
    served = getattr(info, "image", None)
    if served is not None and not served.placeholder:
        item["image"] = f"{base}/media/{served.variant(1024).jpeg}"  # ours, never the original
    elif served is None and getattr(article, "image", None):
        item["image"] = article.image
    item["_warta"] = {
        "source": source.id if source else None,
        "kind": source.kind if source else None,
        "region": (source.region or NATIONAL) if source else None,
        "category": info.category,
        "story": info.story or info.id,
        "place": info.place,
        "credits": dict(info.credits),
        "date_estimated": info.date_estimated,
        "via": info.via,
    }
    return item


def json_feed(articles: Iterable[Any], settings: dict[str, Any], *, title: str,
              feed_path: str, limit: int = LATEST_LIMIT) -> dict[str, Any]:
    base = site_url(settings)
    items = []
    for article in articles:
        if not hasattr(article, "warta"):
            continue
        items.append(jsonfeed_item(article, base))
        if len(items) >= limit:
            break
    return {
        "version": JSONFEED_VERSION,
        "title": title,
        "home_page_url": f"{base}/",
        "feed_url": f"{base}/{feed_path}",
        "language": "id",
        "items": items,
    }


def source_status(health: Any, now: datetime) -> str:
    """``ok``, ``error`` or ``stale`` (no news for 14 days, or never fetched)."""
    if health is None:
        return "stale"
    if health.error_class is not None:
        return "error"
    if health.newest_item is None or now - health.newest_item > STALE_AFTER:
        return "stale"
    return "ok"


def sources_document(sources: Iterable[Any], health: dict[str, Any],
                     settings: dict[str, Any], now: datetime | None = None,
                     stats: dict[str, Any] | None = None, *,
                     image_health: dict[str, Any] | None = None) -> dict[str, Any]:
    """Registry + health per source; ``stats`` (health.SourceStats by id) adds the
    dashboard's numbers (items_7d, items_30d, newest_item_age_hours, avg_delay_hours …);
    ``image_health`` (archive.ImageHealth by id) the image counts."""
    now = now or datetime.now(UTC)
    base = site_url(settings)
    rows = []
    for s in sorted(sources, key=lambda s: s.id):
        h = health.get(s.id)
        img = (image_health or {}).get(s.id)
        rows.append({
            "id": s.id,
            "name": s.name,
            "short_name": s.short_name,
            "kind": s.kind,
            "region": s.region or NATIONAL,
            "homepage": s.homepage,
            "feeds": [f.url if f.method == "feed" else {f.method: f.url, **f.options}
                      for f in s.feeds],
            "discover": s.discover,
            "ref": list(s.ref),
            "mode": s.mode,
            "active": s.active,
            "timezone": s.timezone,
            "url": f"{base}/sumber/{s.id}/",
            "status": source_status(h, now),
            "last_attempt": _iso(h.last_attempt) if h else None,
            "last_success": _iso(h.last_success) if h else None,
            "last_error": h.error_message if h else None,
            "error_class": h.error_class if h else None,
            "http_status": h.http_status if h else None,
            "consecutive_failures": h.consecutive_failures if h else 0,
            "failing_since": _iso(h.failing_since) if h else None,
            "item_count": h.item_count if h else 0,
            "newest_item": _iso(h.newest_item) if h else None,
            **feed_methods(s, h),
            "image_count": img.total if img else 0,
            "image_failures": img.failed if img else 0,
            "image_last_error": img.last_error if img else None,
            "image_last_failure": _iso(img.last_failure) if img else None,
        })
        if stats is not None and s.id in stats:
            rows[-1].update(stats[s.id].to_api())
    return {"generated": _iso(now), "count": len(rows), "sources": rows}


def feed_methods(source: Any, health: Any) -> dict[str, Any]:
    """Which method each ``feeds:`` entry uses and, if it failed, why.

    ``method`` is the method of the first entry that last worked (else the
    first entry's), so the status page can say "dibaca lewat API WordPress".
    """
    from ..core.messages import METHOD_LABELS

    by_url = {f.url: f for f in (getattr(health, "feeds", ()) or ())}
    # A discover source without feeds is read the ways the fetch run found for it.
    specs = source.feeds or getattr(health, "discovered", ())
    rows = []
    for spec in specs:
        f = by_url.get(spec.url)  # recorded as the registry writes it, file: URLs too
        rows.append({
            "method": spec.method,
            "label": METHOD_LABELS.get(spec.method, spec.method),
            "url": spec.url,
            "discovered": not source.feeds,
            "status": None if f is None else ("error" if f.error_class else "ok"),
            "http_status": f.http_status if f else None,
            "error_class": f.error_class if f else None,
            "error": f.error_message if f else None,
            "note": f.note if f else None,
            "last_success": _iso(f.last_success) if f else None,
        })
    working = next((r for r in rows if r["status"] == "ok"), rows[0] if rows else None)
    return {"method": working["method"] if working else None, "methods": rows}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically, and not at all when the file already holds these bytes.

    An hourly build makes ~1,500 small JSON files (widgets, API); most are
    unchanged, and leaving them alone keeps their mtimes for rsync and caches.
    """
    # Compact: the C encoder (indent= falls back to the pure-Python one, 5x slower on the
    # 100,000 items of the open-data months). Readers pretty-print with `python -m json.tool`.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_if_changed(path, payload, atomic=True)
