"""``feed:`` entries (and a WordPress site's fallback): a plain RSS or Atom feed.

The feed is requested conditionally with the validators the archive kept
(ETag, Last-Modified); a server without them that sends the same bytes again
is caught by the body's hash and not parsed. A changed body is parsed and
cleaned by the run's :class:`~warta.ingest.workers.FeedWorkers`, which also
compute each item's story signature, so the outcome carries cleaned items
(:attr:`MethodOutcome.pairs`) rather than raw entries.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from ...archive.feedstate import FeedState
from ...core.messages import fetch_error_message
from ...core.records import FeedSpec, Source
from ..workers import Hold
from . import Crawl, MethodOutcome


async def read(crawl: Crawl, source: Source, spec: FeedSpec, url: str) -> MethodOutcome:
    state = crawl.archive.feed_state(url)
    if state is not None and (state.etag or state.last_modified):
        return await _read(crawl, source, url, state)
    # No validator: a body is coming, and it may wait for a worker (see BodyBudget).
    async with crawl.workers.hold() as held:
        return await _read(crawl, source, url, state, held)


async def _read(crawl: Crawl, source: Source, url: str, state: FeedState | None,
                held: Hold | None = None) -> MethodOutcome:
    result = await crawl.fetcher.fetch(
        url, etag=state.etag if state else None,
        last_modified=state.last_modified if state else None,
    )
    now = crawl.clock()
    if result.not_modified:
        return MethodOutcome("not_modified", result, read_at=now)
    if not result.ok or result.body is None:
        return MethodOutcome("error", result, error_class=result.error_class,
                             error_message=result.error_message, read_at=now)
    body_hash = hashlib.sha256(result.body).hexdigest()
    if state is not None and state.body_hash == body_hash:
        # Same bytes as last time (a server without validators): nothing to parse.
        return MethodOutcome("not_modified", result, body_hash=body_hash, read_at=now)
    parsing = crawl.workers.parse(result.body, result.headers, result.final_url or url,
                                  source, now, held)
    result = replace(result, body=None)  # the parser's is the body's only reference
    parsed = await parsing
    if isinstance(parsed[0], str):
        ecls, detail = parsed
        msg = fetch_error_message(ecls, None, detail)
        return MethodOutcome("error", result, error_class=ecls, error_message=msg, read_at=now)
    pairs, warning, presigned = parsed
    return MethodOutcome("ok", result, pairs=pairs, presigned=presigned, warning=warning,
                         body_hash=body_hash, read_at=now)
