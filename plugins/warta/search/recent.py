"""The newest days of the archive as a search bundle of their own.

Pagefind cannot add pages to a bundle: a changed bundle is indexed again whole.
If the newest month were the smallest bundle, every hour would re-index a
month of news (tens of thousands of pages for a national hub). So, once the
site is big enough to have several bundles, the pages of the newest
``WARTA_SEARCH_RECENT_DAYS`` days (by each page's own date, counted in whole
UTC days back from the newest page) form the bundle :data:`RECENT_ID`: an hour
re-indexes those few thousand pages. Older pages of the same months stay in
their month bundles, which change once a day, when a day leaves the window
and is folded into its month.

Dates come from the page itself: the ``data-pagefind-sort="date:…"`` key
(UTC ISO 8601, so keys compare as strings) that ``_search_data.html`` writes.
A page without one (not an article the hub built) never enters the window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

RECENT_ID = "terbaru"
"""Folder and id of the bundle of the newest days (``pagefind/terbaru/``)."""

_SORT_DATE = re.compile(rb'data-pagefind-sort="date:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"')


def page_date(page: bytes) -> str:
    """The page's Pagefind date key (``2026-12-07T03:00:00Z``), or ``""`` when it has none."""
    found = _SORT_DATE.search(page)
    return found.group(1).decode("ascii") if found else ""


def window_start(newest: str, days: int) -> str:
    """The first date key inside a window of ``days`` whole UTC days ending with ``newest``'s
    day: it moves once a day, so the month bundles below it change once a day too."""
    day = datetime.strptime(newest[:10], "%Y-%m-%d")
    return (day - timedelta(days=max(days, 1) - 1)).strftime("%Y-%m-%dT00:00:00Z")


@dataclass(frozen=True, slots=True)
class Split:
    """Where each article page of the months near the top goes."""

    recent: tuple[str, ...]
    """Site-relative page folders (``berita/2026/12/slug``) of the window, oldest month first."""
    older: dict[str, tuple[str, ...]]
    """Month (``2026-12``) → its page folders older than the window, for each month that has
    pages on both sides of the window's start."""
    moved: dict[str, int]
    """Month → how many of its pages went to the window (its count in the month plan drops)."""
    start: str
    """The window's first date key."""


def split_recent(months: Iterable[str], pages_of: Callable[[str], list[tuple[str, str]]],
                 days: int) -> Split | None:
    """Split the newest ``months`` (``YYYY-MM``, any order) at the start of the window.

    ``pages_of(month)`` gives that month's ``(page folder, date key)`` pairs.
    Returns None when no page carries a date (nothing to split by), or none falls in the
    window (an empty bundle is no bundle).
    """
    dated = {m: pages_of(m) for m in sorted(months)}
    keys = [d for pages in dated.values() for _rel, d in pages if d]
    if not keys:
        return None
    start = window_start(max(keys), days)
    recent: list[str] = []
    older: dict[str, tuple[str, ...]] = {}
    moved: dict[str, int] = {}
    for month, pages in dated.items():
        inside = [rel for rel, d in pages if d and d >= start]
        if not inside:
            continue
        recent.extend(sorted(inside))
        moved[month] = len(inside)
        rest = sorted(rel for rel, d in pages if not d or d < start)
        if rest:
            older[month] = tuple(rest)
    if not recent:
        return None
    return Split(tuple(recent), older, moved, start)
