"""Embeddable headlines for pemda websites: a static HTML page and a JSON file per listing.

For every source, region (with at least one registered institution) and
category: ``widget/<jenis>/<id>/index.html`` (meant for an ``<iframe>``:
inline styles only, no script, no cookie, every link opens a new tab with
``rel="noopener"``) and ``api/v1/widget/<jenis>/<id>.json`` (title, url,
date, source of the latest headlines, for sites that render their own).
Documented for humas on ``/widget/`` (``widget.html``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..clean.normalize import plain_text
from ..core.settings import setting
from .api import site_url, write_json
from .display import tanggal

WIDGET_KINDS = ("sumber", "wilayah", "kategori")


@dataclass(frozen=True, slots=True)
class WidgetItem:
    title: str
    url: str
    date: datetime
    date_label: str
    source: str


@dataclass(frozen=True, slots=True)
class WidgetView:
    """One widget: a listing of the hub cut to its latest headlines."""

    kind: str
    """``sumber``, ``wilayah`` or ``kategori``."""
    key: str
    """Source id, region code or category slug."""
    title: str
    page_url: str
    """Absolute URL of the listing page on the hub ("more news")."""
    items: tuple[WidgetItem, ...]

    @property
    def html_path(self) -> str:
        return f"widget/{self.kind}/{self.key}/index.html"

    @property
    def url_path(self) -> str:
        return f"widget/{self.kind}/{self.key}/"

    @property
    def json_path(self) -> str:
        return f"api/v1/widget/{self.kind}/{self.key}.json"


def widget_items(articles: Sequence[Any], settings: dict[str, Any],
                 limit: int) -> tuple[WidgetItem, ...]:
    base = site_url(settings)
    out = []
    for article in articles[:limit]:
        info = getattr(article, "warta", None)
        source = info.source if info else None
        date = article.date.astimezone(source.tz) if source else article.date
        out.append(WidgetItem(
            title=plain_text(article.title),
            url=f"{base}/{article.url}",
            date=date,
            date_label=tanggal(date),
            source=source.display_name if source else str(settings.get("SITENAME", "")),
        ))
    return tuple(out)


def widget_view(kind: str, key: str, title: str, page_url: str, articles: Sequence[Any],
                settings: dict[str, Any]) -> WidgetView:
    limit = int(setting(settings, "WARTA_WIDGET_ITEMS"))
    return WidgetView(kind, key, title, f"{site_url(settings)}/{page_url}",
                      widget_items(articles, settings, limit))


def widget_document(view: WidgetView, settings: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The widget's JSON (``widget.schema.json``): small, only what a headline list needs."""
    return {
        "title": view.title,
        "home_page_url": view.page_url,
        "widget_url": f"{site_url(settings)}/{view.url_path}",
        "generated": now.isoformat(timespec="seconds"),
        "items": [{"title": i.title, "url": i.url, "date": i.date.isoformat(timespec="seconds"),
                   "source": i.source} for i in view.items],
    }


def write_widget_json(output: Path, view: WidgetView, settings: dict[str, Any],
                      now: datetime) -> Path:
    path = output / view.json_path
    write_json(path, widget_document(view, settings, now))
    return path
