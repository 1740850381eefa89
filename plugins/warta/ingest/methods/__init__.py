"""The ways of reading one ``feeds:`` entry: a plain feed, the WordPress API, a sitemap, a
listing page.

A method takes the entry's URL and gives a :class:`MethodOutcome`: the items it read,
the pages it visited and the validators that mark the entry read, and hands it back to
:mod:`warta.ingest.run`, which archives every method's outcome on one path. The feedless
methods give :class:`RawEntry` records (the run normalizes them); the feed method gives
items its parser processes already cleaned and signed (:attr:`MethodOutcome.pairs`,
:attr:`MethodOutcome.presigned`). A method never raises: its failures come back as an
error class and an Indonesian message for the source's health.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ...archive.store import Archive
from ...core.records import FeedSpec, FetchResult, Item, PageVisit, RawEntry, Source
from ...stories.presign import Presigned
from ..fetch import Fetcher, FetchPolicy
from ..polite import PageGate
from ..robots import RobotsCache
from ..workers import FeedWorkers

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
XML_ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.5"
JSON_ACCEPT = "application/json, */*;q=0.5"


@dataclass(slots=True)
class Crawl:
    """What one fetch run shares across sources: client, archive, robots, page pacing,
    feed parsers."""

    fetcher: Fetcher
    archive: Archive
    robots: RobotsCache
    gate: PageGate
    policy: FetchPolicy
    now: datetime
    workers: FeedWorkers
    clock: Callable[[], datetime]
    """The run's clock: the time a method read what it gives, when it stamps it."""


@dataclass(slots=True)
class MethodOutcome:
    """What a method read. ``result`` is the request for the entry's own URL."""

    status: str  # ok | not_modified | error | fallback
    result: FetchResult
    entries: list[RawEntry] = field(default_factory=list)
    """Raw entries, normalized by the run."""
    visits: list[PageVisit] = field(default_factory=list)
    body_hash: str | None = None
    error_class: str | None = None
    error_message: str | None = None
    note: str | None = None
    fallback_url: str | None = None
    """For ``fallback``: the feed to read instead (WordPress API switched off)."""
    pages: int = 0
    """Article pages requested this run."""
    pairs: list[tuple[Item, RawEntry]] | None = None
    """Entries already normalized (by a feed parser process); ``entries`` is then unused."""
    presigned: Mapping[str, Presigned] | None = None
    """The story signatures of ``pairs``, kept for story assignment after the run."""
    read_at: datetime | None = None
    """When the entry was read: the time its items and state are stored with (and
    ``pairs`` were normalized at). None: the time the run stores them."""
    warning: str | None = None
    """Why the feed was ill-formed although its entries could be recovered."""


Method = Callable[[Crawl, Source, FeedSpec, str], Awaitable[MethodOutcome]]


def method_for(name: str) -> Method:
    """The reader for a registry method name (``feed``, ``wordpress``, ``sitemap``, ``html``)."""
    from . import feed, htmlpage, sitemap, wordpress

    readers: dict[str, Method] = {
        "feed": feed.read,
        "wordpress": wordpress.read,
        "sitemap": sitemap.read,
        "html": htmlpage.read,
    }
    return readers[name]


@dataclass(slots=True)
class Listing:
    """The entry's own URL (API page, sitemap, listing page) after a polite fetch."""

    result: FetchResult
    changed: bool
    body_hash: str | None = None
    failure: MethodOutcome | None = None


async def fetch_listing(crawl: Crawl, source: Source, url: str, *, accept: str,
                        record_url: str | None = None) -> Listing:
    """robots.txt, then a conditional GET; ``changed`` is False for 304 or identical bytes.

    ``record_url`` is the feeds-table key whose validators apply (the registry
    URL), when it differs from the URL requested (the WordPress posts route).
    """
    import hashlib

    from ...core.messages import fetch_error_message

    key = record_url or url
    rules = await crawl.robots.rules(url)
    if not rules.allowed(url):
        cls = "robots_unavailable" if rules.unavailable else "robots"
        res = FetchResult(url=key, status=None, error_class=cls,
                          error_message=fetch_error_message(cls, None, url))
        return Listing(res, False, failure=MethodOutcome(
            "error", res, error_class=cls, error_message=res.error_message))
    state = crawl.archive.feed_state(key)
    res = await crawl.fetcher.fetch(url, etag=state.etag if state else None,
                                    last_modified=state.last_modified if state else None,
                                    accept=accept)
    if res.not_modified:
        return Listing(_rekey(res, key), False)
    if not res.ok or res.body is None:
        res = _rekey(res, key)
        return Listing(res, False, failure=MethodOutcome(
            "error", res, error_class=res.error_class, error_message=res.error_message))
    body_hash = hashlib.sha256(res.body).hexdigest()
    changed = not (state is not None and state.body_hash == body_hash)
    return Listing(_rekey(res, key), changed, body_hash)


def _rekey(res: FetchResult, key: str) -> FetchResult:
    from dataclasses import replace

    return res if res.url == key else replace(res, url=key)
