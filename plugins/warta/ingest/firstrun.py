"""How a fetch run reads a source registered with ``discover: true`` and no ``feeds``.

The registry may name only an office's homepage (taken from a public list);
nobody has typed in its feed. The first run that reaches such a source
searches the homepage the way ``invoke discover`` does
(:func:`warta.ingest.discover.explore`: feed links in the page, the usual
feed addresses, the WordPress API, sitemaps, then listing pages), stopping at
the first stage that works, and keeps the best way it found in the archive
(:mod:`warta.archive.discovery`). Later runs read those methods without
searching again; only when every one of them has failed
:data:`REDISCOVER_AFTER` times in a row is the homepage searched anew.

The search is as polite as the rest of the run: it shares the run's client
(global and per-host limits), robots.txt cache and per-host page pacing. A
homepage that cannot be read, or offers nothing, is backed off like a failing
feed (20 minutes, doubling, at most a day), so hundreds of unreachable sites
cost one request each per attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..archive.feedstate import BACKOFF_CAP, backoff_delay
from ..core.messages import DISCOVERY_MESSAGES, fetch_error_message
from ..core.records import FeedSpec, Source
from .discover import Discovery, explore, feed_spec
from .methods import Crawl

REDISCOVER_AFTER = 6
"""Failures in a row of every found method (about a day with the feeds' backoff) after which
the homepage is searched again: the site may have moved to another CMS."""
REDISCOVER_PAUSE = BACKOFF_CAP
"""After a search that found something, the next one waits at least this long, even when the
methods found then keep failing (else a method the probe can read but the run cannot would
be searched for every hour)."""


def _retry(failures: int) -> timedelta:
    return backoff_delay(failures) if failures else REDISCOVER_PAUSE


@dataclass(frozen=True, slots=True)
class Resolved:
    """The methods to read a ``discover`` source with this run, or why there are none."""

    specs: tuple[FeedSpec, ...]
    status: str
    """``stored`` (found by an earlier run), ``found`` (by this run), ``deferred`` (the search
    is backing off and nothing was found before) or ``error`` (this run's search failed)."""
    error_class: str | None = None
    error_message: str | None = None
    found: str | None = None
    """For ``found``: the method of the best way, e.g. ``wordpress``."""


def _failing(crawl: Crawl, specs: tuple[FeedSpec, ...]) -> bool:
    """Every method has failed :data:`REDISCOVER_AFTER` times in a row (an unread one has not)."""
    for spec in specs:
        state = crawl.archive.feed_state(spec.url)
        if state is None or state.consecutive_failures < REDISCOVER_AFTER:
            return False
    return True


async def resolve(crawl: Crawl, source: Source, *, now: datetime, force: bool = False) -> Resolved:
    """The methods of ``source`` for this run: stored ones, else the result of a search now.

    ``force`` (``invoke fetch --force``) searches even while the search is backing off.
    """
    archive = crawl.archive
    prev = archive.discovered(source.id)
    same = prev is not None and prev.homepage == source.homepage
    kept = prev.methods if prev is not None and same else ()
    if kept and not _failing(crawl, kept):
        return Resolved(kept, "stored")
    if (prev is not None and same and not force and prev.next_attempt is not None
            and now < prev.next_attempt):
        if kept:
            return Resolved(kept, "stored")
        return Resolved((), "deferred", prev.error_class, DISCOVERY_MESSAGES["deferred"].format(
            count=prev.consecutive_failures))
    try:
        found = await explore(crawl.fetcher, crawl.robots, source.homepage, gate=crawl.gate,
                              staged=True)
    except Exception as exc:  # a bug met on one site must not stop the other sources
        detail = f"{type(exc).__name__}: {exc}"[:200]
        found = Discovery(source.homepage)
        found.error_class = "internal"
        found.error = fetch_error_message("internal", None, detail)
    best = found.best
    if best is not None:
        spec = feed_spec(best)
        archive.record_discovery(source.id, source.homepage, now=now, retry=_retry,
                                 methods=(spec,), found_by=best.found_by, items=best.items)
        # The read that follows keeps the search's pace on this host (a feed read is not
        # paced by itself): it waits for the host's next turn.
        async with crawl.gate.slot(spec.url):
            await crawl.gate.leaving(spec.url)
        return Resolved((spec,), "found", found=best.method)
    if found.error_class == "internal":
        ecls, emsg = "internal", found.error or ""
    elif found.error is not None:
        ecls = found.error_class or "http"
        emsg = DISCOVERY_MESSAGES["homepage"].format(detail=found.error)
    else:
        ecls, emsg = "not_found", DISCOVERY_MESSAGES["none"].format(homepage=source.homepage)
    row = archive.record_discovery(source.id, source.homepage, now=now, retry=_retry,
                                   error_class=ecls, error_message=emsg)
    if row.methods:  # nothing new: keep reading the old ways (each on its own backoff)
        return Resolved(row.methods, "stored")
    return Resolved((), "error", ecls, emsg)
