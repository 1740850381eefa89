"""Settled reports: whose pages an hour of news cannot have changed, so no build looks at them.

A report's own page shows the report and its navigation: its story (the other
reports of the event), the newer and older report of its office, and related
news found among its ``window`` neighbours in time in each of its buckets
(same topic, category, province; :func:`~warta.site.listings.article_navs`).
So a new or changed report can change the page of:

- itself;
- the reports of its story;
- its office's report just before and after it;
- the reports within ``window`` places of it in each of its buckets (the only
  ones whose related news it can enter or leave).

Every build records, per report, a fingerprint of what its page shows of it and
a *placement* (its time, buckets, office and story). The next build compares:
a report whose fingerprint is unchanged and that is near no changed one is
*settled* — its page stays as the previous build wrote it, its navigation is
not computed and its page digest not taken. A report that moved (another time,
topic or story) or went away (withdrawn, past ``WARTA_MAX_ITEMS``) changed
neighbourhoods this build cannot see any more: then nothing is settled and the
build looks at every page, as a full build's digests would.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.settings import setting
from . import listings
from .digests import FINGERPRINTS_KEY, Fingerprints, build_salt, short_digest
from .incremental import load_state, state_path
from .witness import LOOKED_UP_KEY, Witness

log = logging.getLogger(__name__)

RECORDS_KEY = "warta_article_records"
"""Context key: report id → (fingerprint, placement), saved in the build state."""

SETTLED_KEY = "warta_settled"
"""Context key: the page paths (``save_as``) of the settled reports, kept as they are."""

_OTHER_ARTICLES = ("translations", "hidden_articles", "hidden_translations")


def placement(article: Any, bucket_keys: dict[str, int]) -> str:
    """Where a report sits in the orderings that make other reports' navigation.

    ``bucket_keys``: its :func:`listings.bucket_keys`.
    """
    return short_digest(str(listings.micros(article.date)), ",".join(sorted(bucket_keys)),
                        listings.source_id(article) or "", listings.story_key(article))


def records_of(articles: Sequence[Any], fp: Fingerprints,
               keys: Sequence[dict[str, int]]) -> dict[str, tuple[str, str]]:
    """Report id → (fingerprint of what its page shows of it, :func:`placement`).

    Taken after the image step: the served lead image is part of the page.
    ``keys``: each article's :func:`listings.bucket_keys`.
    """
    return {a.warta.id: (fp.of(a), placement(a, k)) for a, k in zip(articles, keys, strict=True)}


def touched_indexes(articles: Sequence[Any], records: Mapping[str, tuple[str, str]],
                    previous: Mapping[str, Sequence[str]]) -> list[int] | None:
    """Positions (in ``articles``) of the new reports and of those whose page fingerprint changed.

    None when every page must be looked at: no previous records, or a report
    moved or went away.
    """
    if not previous:
        return None
    current = {a.warta.id for a in articles}
    gone = len(previous) - sum(1 for k in previous if k in current)
    if gone:
        log.info("Warta: %d berita hilang sejak build lalu; semua halaman berita diperiksa", gone)
        return None
    touched: list[int] = []
    for i, a in enumerate(articles):
        before = previous.get(a.warta.id)
        now = records[a.warta.id]
        if before is None:
            touched.append(i)
        elif before[1] != now[1]:
            log.info("Warta: %s pindah tempat; semua halaman berita diperiksa", a.warta.id)
            return None
        elif before[0] != now[0]:
            touched.append(i)
    return touched


def live_indexes(articles: Sequence[Any], touched: list[int],
                 stories: Mapping[str, list[Any]], by_source: Mapping[str, list[Any]],
                 buckets: listings.Buckets, *,
                 window: int = listings.RELATED_WINDOW) -> set[int]:
    """Positions of the reports whose page may have changed: ``touched`` and their neighbours."""
    live = set(touched)
    if not touched:
        return live
    index = {id(a): i for i, a in enumerate(articles)}
    neighbours = listings.office_neighbours(by_source)
    for i in touched:
        a = articles[i]
        for bucket, _weight, pos in buckets[i]:
            live.update(bucket[max(0, pos - window): pos + window + 1])
        live.update(index[id(b)] for b in neighbours.get(id(a), ()) if b is not None and id(b) in index)
        live.update(index[id(b)] for b in stories.get(listings.story_key(a), ()) if id(b) in index)
    return live


def settle(generators: Sequence[Any]) -> None:
    """``all_generators_finalized`` (after the image step): records, settled reports, navigation."""
    from pelican.generators import ArticlesGenerator

    gen = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if gen is None or "warta_articles_by_source" not in gen.context:
        return
    context = gen.context
    settings = gen.settings
    articles = [a for a in context.get("articles", []) if hasattr(a, "warta")]
    stories = context.get("warta_story_groups") or listings.group_stories(articles)
    by_source = context["warta_articles_by_source"]
    # The writer adopts these fingerprints (incremental.py): each report's is taken once.
    fp = context[FINGERPRINTS_KEY] = Fingerprints()
    keys = [listings.bucket_keys(a) for a in articles]
    records = records_of(articles, fp, keys)
    buckets = listings.bucket_index(articles, keys)
    context[RECORDS_KEY] = records
    settled: set[str] = set()
    context["warta_touched"] = None
    if setting(settings, "WARTA_INCREMENTAL"):
        state = load_state(state_path(settings))
        salt = build_salt(settings)
        if state.get("salt") == salt:
            touched = touched_indexes(articles, records, state.get("articles") or {})
            pages = state.get("pages") or {}
            present = Witness.of_state(settings["OUTPUT_PATH"], state)
            if touched is not None:
                context["warta_touched"] = frozenset(articles[i].warta.id for i in touched)
                live = live_indexes(articles, touched, stories, by_source, buckets)
                # A translation or hidden article shares its report's id, and so its navigation.
                shared = {a.warta.id for attr in _OTHER_ARTICLES
                          for a in getattr(gen, attr, ()) if hasattr(a, "warta")}
                # Only a page the previous build skipped by its digest (a template that reads
                # nothing else) and that is still there is kept.
                settled = {a.save_as for i, a in enumerate(articles)
                           if i not in live and a.warta.id not in shared
                           and pages.get(a.save_as) and present.exists(a.save_as)}
                context[LOOKED_UP_KEY] = present.looked_up
            context["warta_settled_salt"] = salt
    context[SETTLED_KEY] = frozenset(settled)
    only = ({i for i, a in enumerate(articles) if a.save_as not in settled}
            if settled else None)
    context["warta_nav"] = listings.article_navs(articles, stories, by_source, only=only,
                                                 buckets=buckets)
    log.info("Warta: %d berita tetap (halaman dari build lalu), %d diperiksa", len(settled),
             len(articles) - len(settled))
