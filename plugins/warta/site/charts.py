"""Tiny inline SVG bar charts drawn at build time: no JavaScript, no image requests.

Bars use ``currentColor`` so the chart follows the page's text colour (dark
mode included); every bar has a ``<title>`` (a tooltip and a screen-reader
label) and the whole chart an ``aria-label`` summary in Indonesian.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from markupsafe import Markup


def bar_chart(values: Sequence[int], *, labels: Sequence[str] = (), title: str = "",
              width: int = 132, height: int = 32, gap: int = 2) -> Markup:
    """An inline ``<svg>`` with one bar per value, scaled to the largest value."""
    n = max(1, len(values))
    peak = max(values, default=0)
    bar_w = max(1.0, (width - gap * (n - 1)) / n)
    total = sum(values)
    summary = f"{title}: total {total} berita, tertinggi {peak} per minggu" if title \
        else f"total {total} berita"
    parts = [
        f'<svg class="grafik" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(summary)}">'
    ]
    for i, v in enumerate(values):
        h = 0.0 if peak == 0 else max(1.0, (height - 1) * v / peak) if v else 0.0
        x = i * (bar_w + gap)
        label = labels[i] if i < len(labels) else f"minggu {i + 1}"
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="currentColor"><title>{escape(label)}: {v} berita</title></rect>'
        )
    parts.append(f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" '
                 'stroke="currentColor" stroke-opacity=".3"/></svg>')
    return Markup("".join(parts))


def week_labels(starts: Sequence[datetime]) -> list[str]:
    """"minggu mulai 3 Nov" for each rolling week start."""
    from babel.dates import format_date

    return [f"minggu mulai {format_date(s, 'd MMM', locale='id')}" for s in starts]
