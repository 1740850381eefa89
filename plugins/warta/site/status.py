"""Writes the ``/status/`` health dashboard for Diskominfo operators.

Sorting and filtering work without JavaScript: every (filter, sort) pair is
its own small pre-rendered page (``status/<filter>/<sort>/``), and the table
headers and filter links point at them. ``status/index.html`` is the full
dashboard (charts per region and institution kind, broken feeds, silent
sources) with the default view of the table. No script at all: the theme
ships none (the theme's rule), and the views make one unnecessary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pelican.generators import Generator

from . import charts
from .bridge import HubData, hub_data
from .generator import build_time
from .health import HealthReport, SourceStats, health_for_build

log = logging.getLogger(__name__)

CONTEXT_KEY = "warta_health"
STATUS_DIR = "status"
_SEVERITY = {"error": 0, "never": 1, "unverified": 1, "not_modified": 3, "ok": 4}
"""Status sort: failing, never fetched or not yet verified, silent (2), unchanged, fine."""


@dataclass(frozen=True, slots=True)
class View:
    slug: str
    label: str


FILTERS: tuple[tuple[View, Callable[[SourceStats], bool]], ...] = (
    (View("semua", "Semua"), lambda s: True),
    (View("gagal", "Gagal"), lambda s: s.status == "error"),
    (View("senyap", "Senyap >14 hari"), lambda s: s.silent),
    (View("tidak-berubah", "Tidak berubah"), lambda s: s.status == "not_modified"),
    (View("ok", "OK"), lambda s: s.status == "ok"),
    (View("belum", "Belum diambil"), lambda s: s.status == "never"),
    (View("belum-diverifikasi", "Belum diverifikasi"), lambda s: s.status == "unverified"),
)

_INF = float("inf")
SORTS: tuple[tuple[View, Callable[[SourceStats], Any]], ...] = (
    (View("nama", "Sumber"), lambda s: s.name.casefold()),
    (View("status", "Status"),
     lambda s: (2 if s.silent and s.status in ("ok", "not_modified") else _SEVERITY.get(s.status, 2),
                s.name.casefold())),
    (View("terbaru", "Berita terbaru"),
     lambda s: (s.newest_age_hours if s.newest_age_hours is not None else _INF, s.name.casefold())),
    (View("7-hari", "7 hari"), lambda s: (-s.items_7d, s.name.casefold())),
    (View("30-hari", "30 hari"), lambda s: (-s.items_30d, s.name.casefold())),
    (View("keterlambatan", "Rata-rata jeda"),
     lambda s: (-(s.avg_delay_hours if s.avg_delay_hours is not None else -1.0),
                s.name.casefold())),
)
DEFAULT_FILTER, DEFAULT_SORT = "semua", "status"


def view_url(filter_slug: str, sort_slug: str) -> str:
    """Site-relative URL of one table view (the default view is the dashboard itself)."""
    if filter_slug == DEFAULT_FILTER and sort_slug == DEFAULT_SORT:
        return f"{STATUS_DIR}/"
    return f"{STATUS_DIR}/{filter_slug}/{sort_slug}/"


def table_rows(report: HealthReport, filter_slug: str, sort_slug: str) -> list[SourceStats]:
    keep = dict((v.slug, f) for v, f in FILTERS)[filter_slug]
    key = dict((v.slug, k) for v, k in SORTS)[sort_slug]
    return sorted((s for s in report.sources if keep(s)), key=key)


def durasi(hours: float | None) -> str:
    """"35 menit", "5 jam", "3 hari" — an age or delay for people."""
    if hours is None:
        return "–"
    if hours < 1:
        return f"{max(0, round(hours * 60))} menit"
    if hours < 48:
        return f"{round(hours)} jam"
    return f"{round(hours / 24)} hari"


class StatusGenerator(Generator):
    """Computes the health report once per build and writes the dashboard pages."""

    def generate_context(self) -> None:
        data: HubData = hub_data(self)
        report = health_for_build(data.archive_path, list(data.sources.values()),
                                  build_time(self.settings))
        self.context[CONTEXT_KEY] = report

    def generate_output(self, writer: Any) -> None:
        report: HealthReport = self.context[CONTEXT_KEY]
        template = self.get_template("status")
        labels = charts.week_labels(report.week_starts)
        counts = {v.slug: sum(1 for s in report.sources if f(s)) for v, f in FILTERS}
        common = dict(
            health=report, filters=[v for v, _ in FILTERS], sorts=[v for v, _ in SORTS],
            filter_counts=counts, view_url=view_url, durasi=durasi, bar_chart=charts.bar_chart,
            week_labels=labels, relative_urls=self.settings["RELATIVE_URLS"],
        )
        for fview, _ in FILTERS:
            for sview, _ in SORTS:
                url = view_url(fview.slug, sview.slug)
                writer.write_file(
                    f"{url}index.html", template, self.context,
                    status_full=url == f"{STATUS_DIR}/", current_filter=fview,
                    current_sort=sview, rows=table_rows(report, fview.slug, sview.slug),
                    **common,
                )
        log.info("Warta: dasbor status untuk %d sumber ditulis", len(report.sources))
