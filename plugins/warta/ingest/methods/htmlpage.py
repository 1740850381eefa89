"""``html:`` entries: a listing page of news, article links picked by the ``item`` selector.

The listing is fetched conditionally; when it did not change, nothing else is
requested (except pages left over from an earlier, capped run). New links are
fetched politely and extracted with the entry's optional selectors.
"""

from __future__ import annotations

import asyncio

from ...core.messages import fetch_error_message
from ...core.records import FeedSpec, Source
from ..extract import links
from . import PAGE_ACCEPT, Crawl, MethodOutcome, fetch_listing
from .articles import Candidate, fetch_pages, outcome_from, pending, wanted


async def read(crawl: Crawl, source: Source, spec: FeedSpec, url: str) -> MethodOutcome:
    listing = await fetch_listing(crawl, source, url, accept=PAGE_ACCEPT)
    if listing.failure is not None:
        return listing.failure
    result = listing.result
    if not listing.changed:
        left = pending(crawl, source)
        if not left:
            return MethodOutcome("not_modified", result, body_hash=listing.body_hash)
        batch = await fetch_pages(crawl, source, spec, left, via="html")
        return outcome_from(batch, result, listing.body_hash)
    assert result.body is not None
    selector = spec.options.get("item", "a")
    found = await asyncio.to_thread(links, result.body, result.final_url or url, selector,
                                    result.headers)
    found = [u for u in found if u.rstrip("/") != url.rstrip("/")]
    if not found:
        msg = fetch_error_message("no_links", None, f"'{selector}'")
        return MethodOutcome("error", result, error_class="no_links", error_message=msg)
    candidates = [Candidate(u) for u in found] + pending(crawl, source)
    seen: set[str] = set()
    unique = [c for c in candidates if not (c.url in seen or seen.add(c.url))]
    batch = await fetch_pages(crawl, source, spec, wanted(crawl, source, unique), via="html")
    return outcome_from(batch, result, listing.body_hash)
