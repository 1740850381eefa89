"""How the hub's articles are grouped for the reader: stories, home blocks, regions, kinds.

Pure functions over Pelican articles (each carrying ``article.warta``), computed
once per build in :class:`~warta.site.generator.WartaGenerator` and handed to the
templates as small records, so no template walks the whole article list.
Articles arrive newest first (Pelican's order) and every list built here keeps
that order.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..core.messages import (
    COVERAGE_LABELS,
    HOAX_CATEGORY,
    KIND_GROUP_LABELS,
    TOP_RECENT,
    TOP_SINCE,
    TOP_TODAY,
    UNTITLED,
)
from ..core.records import Source
from ..sources import kinds, regions


@dataclass(frozen=True, slots=True)
class KindGroup:
    """A home-page block: institution kinds read together (pemkab + pemkot…)."""

    key: str
    kinds: tuple[str, ...]

    @property
    def label(self) -> str:
        return KIND_GROUP_LABELS[self.key]


KIND_GROUPS: tuple[KindGroup, ...] = tuple(KindGroup(key, members) for key, members in kinds.GROUPS)


def story_key(article: Any) -> str:
    info = article.warta
    return info.story or info.id


def source_id(article: Any) -> str | None:
    src = article.warta.source
    return src.id if src else None


def is_untitled(article: Any) -> bool:
    """An item that came with neither a title nor a text to take one from: never a block's lead."""
    return getattr(article, "title", None) in (None, "", UNTITLED)


def is_hoax_clarification(article: Any) -> bool:
    category = getattr(article, "category", None)
    return getattr(category, "slug", None) == HOAX_CATEGORY


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One story on a listing: the report shown, and the other reports of the same event."""

    lead: Any
    others: tuple[Any, ...] = ()

    @property
    def source_count(self) -> int:
        ids = {source_id(a) for a in (self.lead, *self.others)}
        return len(ids - {None})


def group_stories(articles: Iterable[Any]) -> dict[str, list[Any]]:
    """Story key → its reports, newest first."""
    out: dict[str, list[Any]] = defaultdict(list)
    for a in articles:
        out[story_key(a)].append(a)
    return dict(out)


def one_per_story(articles: Iterable[Any], stories: dict[str, list[Any]],
                  limit: int) -> list[StoryEntry]:
    """The newest titled report of each story, at most ``limit`` stories.

    An untitled report never stands for its story (a story with no titled
    report is left out): it would lead a block with "(tanpa judul)".
    """
    seen: set[str] = set()
    out: list[StoryEntry] = []
    for a in articles:
        key = story_key(a)
        if key in seen or is_untitled(a):
            continue
        seen.add(key)
        out.append(StoryEntry(a, tuple(x for x in stories.get(key, ()) if x is not a)))
        if len(out) >= limit:
            break
    return out


@dataclass(frozen=True, slots=True)
class TopStories:
    """The home page's highlights and, when earlier days had to fill them, since when."""

    entries: list[StoryEntry]
    since: datetime | None = None
    """None: every story has a report from the last day. Else the newest report of the
    oldest story shown (the block then says "Sejak …")."""

    @property
    def heading(self) -> str:
        return TOP_TODAY if self.since is None else TOP_RECENT

    @property
    def since_label(self) -> str | None:
        from .display import hari_tanggal

        return None if self.since is None else TOP_SINCE.format(day=hari_tanggal(self.since))


def top_stories(articles: Sequence[Any], stories: dict[str, list[Any]], now: datetime, *,
                limit: int = 5, window: timedelta = timedelta(hours=24)) -> TopStories:
    """The day's top stories: most reporting institutions first, then the most recent.

    "The day" is the 24 hours before ``now``. When it has fewer than ``limit``
    stories (a quiet night, an old archive), the most recent stories before it
    fill the block, newest first, and :attr:`TopStories.since` says from when:
    the block never stands half empty. The lead follows the story rule
    (:func:`warta.site.stories.article_lead_key`): a local article, else the
    most senior office, else the earliest report. Untitled reports never lead
    (:func:`is_untitled`); a story with no titled report is not a highlight.
    """
    from .stories import article_lead_key

    start = now - window
    candidates: dict[str, list[Any]] = {}
    for a in articles:
        if a.date < start:
            break
        if a.date <= now and not is_untitled(a):
            candidates.setdefault(story_key(a), stories.get(story_key(a), [a]))
    ranked = sorted(
        candidates.values(),
        key=lambda reports: (len({source_id(r) for r in reports}), len(reports),
                             max(r.date for r in reports)),
        reverse=True,
    )[:limit]
    since = None
    if len(ranked) < limit:
        for a in articles:
            if a.date >= start or is_untitled(a) or story_key(a) in candidates:
                continue
            candidates[story_key(a)] = reports = stories.get(story_key(a), [a])
            ranked.append(reports)
            since = a.date
            if len(ranked) >= limit:
                break
    out = []
    for reports in ranked:
        lead = min((r for r in reports if not is_untitled(r)), key=article_lead_key)
        out.append(StoryEntry(lead, tuple(r for r in reports if r is not lead)))
    return TopStories(out, since)


@dataclass(frozen=True, slots=True)
class HomeBlock:
    key: str
    label: str
    kinds: tuple[str, ...]
    stories: list[StoryEntry]


@dataclass(frozen=True, slots=True)
class Home:
    highlights: TopStories
    latest: list[StoryEntry]
    blocks: list[HomeBlock]
    hoaxes: list[StoryEntry]

    @property
    def top(self) -> list[StoryEntry]:
        return self.highlights.entries


def home(articles: Sequence[Any], stories: dict[str, list[Any]], now: datetime, *,
         latest: int = 15, per_block: int = 5) -> Home:
    top = top_stories(articles, stories, now)
    top_keys = {story_key(s.lead) for s in top.entries}
    rest = [a for a in articles if story_key(a) not in top_keys]
    blocks = []
    for g in KIND_GROUPS:
        kinds = set(g.kinds)
        members = (a for a in articles if a.warta.kind in kinds)
        blocks.append(HomeBlock(g.key, g.label, g.kinds, one_per_story(members, stories, per_block)))
    hoaxes = one_per_story((a for a in articles if is_hoax_clarification(a)), stories, per_block)
    return Home(top, one_per_story(rest, stories, latest), blocks, hoaxes)


def merge_newest_first(lists: Iterable[Sequence[Any]]) -> list[Any]:
    """Merge already newest-first lists (one per source) into one newest-first list."""
    return list(heapq.merge(*lists, key=lambda a: a.date, reverse=True))


# -- regions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionView:
    """A region page: the region, every institution operating there, their news."""

    region: regions.Region
    sources: tuple[Source, ...]
    articles: list[Any] = field(metadata={"digest": False})
    """Newest first. Not part of a page's digest: each page's own slice is (incremental.py)."""
    children: tuple[tuple[regions.Region, int], ...] = ()
    """Regencies/cities of a province with their number of institutions."""

    @property
    def url(self) -> str:
        return region_url(self.region.code)

    @property
    def sources_by_kind(self) -> list[tuple[str, list[Source]]]:
        groups: dict[str, list[Source]] = defaultdict(list)
        for s in self.sources:
            groups[s.kind].append(s)
        return sorted(groups.items(), key=lambda kv: kinds.ORDER.get(kv[0], len(kinds.ORDER)))


def region_url(code: str) -> str:
    return f"wilayah/{code}/"


@dataclass(frozen=True, slots=True)
class Covered:
    """An institution on a region page, and whether the hub reads it."""

    source: Source
    state: str
    """``ok``, ``unverified`` (no news read yet), ``error`` (last fetch failed) or ``inactive``."""

    @property
    def label(self) -> str:
        return COVERAGE_LABELS[self.state]


@dataclass(frozen=True, slots=True)
class Roster:
    """Who covers a region: its own government first, then every other institution there."""

    own: tuple[Covered, ...]
    others: tuple[tuple[str, tuple[Covered, ...]], ...]
    """(kind, members) in the region page's order of kinds."""


def region_roster(view: RegionView, states: Mapping[str, str]) -> Roster:
    """The region's institutions with their states (``states``: source id → state; a source
    the health report does not know has not been read: ``unverified``)."""
    code = view.region.code
    own: list[Covered] = []
    others: list[tuple[str, tuple[Covered, ...]]] = []
    for kind, members in view.sources_by_kind:
        covered = [Covered(s, states.get(s.id, "unverified")) for s in members]
        if kind in kinds.OWN_GOVERNMENT:
            own += [c for c in covered if c.source.region == code]
            covered = [c for c in covered if c.source.region != code]
        if covered:
            others.append((kind, tuple(covered)))
    return Roster(tuple(own), tuple(others))



def region_views(sources: Iterable[Source], by_source: dict[str, list[Any]],
                 *, cap: int | None = None) -> dict[str, RegionView]:
    """Every province and regency/city, with the institutions whose ``region`` lies there.

    A province page lists everything in the province (its own offices and
    those of its regencies/cities); a regency/city page lists what is
    registered for that regency/city.
    """
    by_region: dict[str, list[Source]] = defaultdict(list)
    by_province: dict[str, list[Source]] = defaultdict(list)
    for s in sorted(sources, key=lambda s: (kinds.ORDER.get(s.kind, len(kinds.ORDER)), s.name)):
        if s.region:
            by_region[s.region].append(s)
            by_province[s.region.split(".")[0]].append(s)
    views: dict[str, RegionView] = {}
    for code, region in regions.all_regions().items():
        members = by_province[code] if region.level == 1 else by_region[code]
        arts = merge_newest_first(by_source.get(s.id, []) for s in members)
        children: tuple[tuple[regions.Region, int], ...] = ()
        if region.level == 1:
            children = tuple((c, len(by_region[c.code])) for c in regions.children(code))
        views[code] = RegionView(region, tuple(members), arts[:cap] if cap else arts, children)
    return views


# -- institution kinds ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindView:
    kind: str
    sources: tuple[Source, ...]
    articles: list[Any] = field(metadata={"digest": False})
    """Newest first. Not part of a page's digest: each page's own slice is (incremental.py)."""

    @property
    def url(self) -> str:
        return f"jenis/{self.kind}/"


def kind_views(kinds: Iterable[str], sources: Iterable[Source], by_source: dict[str, list[Any]],
               *, cap: int | None = None) -> dict[str, KindView]:
    members: dict[str, list[Source]] = defaultdict(list)
    for s in sorted(sources, key=lambda s: s.name):
        members[s.kind].append(s)
    out = {}
    for kind in kinds:
        arts = merge_newest_first(by_source.get(s.id, []) for s in members[kind])
        out[kind] = KindView(kind, tuple(members[kind]), arts[:cap] if cap else arts)
    return out


# -- per-article navigation ---------------------------------------------------------------


SAME_STORY_SHOWN = 8
"""Other reports of its story an article page lists at most (the story page lists them all)."""


@dataclass(frozen=True, slots=True)
class ArticleNav:
    """What an article page links to besides itself."""

    same_story: tuple[Any, ...] = ()
    """Other reports of the same story (other institutions, or the same one again), at most
    :data:`SAME_STORY_SHOWN`: the story's lead first, then the newest."""
    related: tuple[Any, ...] = ()
    newer: Any = None
    older: Any = None
    """Neighbours from the same source, for previous/next."""
    same_story_total: int = 0
    """Other reports of the story in all."""
    same_story_sources: int = 0
    """Offices among those other reports: the N of "Juga diberitakan oleh N instansi"."""
    story_url: str | None = None
    """The story page, which lists every report."""


def _story_shown(article: Any, reports: Sequence[Any], lead: Any) -> tuple[Any, ...]:
    """What an article page lists of its story's other ``reports`` (newest first)."""
    shown = [lead] if lead is not article else []
    for other in reports:
        if len(shown) >= SAME_STORY_SHOWN:
            break
        if other is not article and other is not lead:
            shown.append(other)
    return tuple(shown)


def bucket_keys(article: Any) -> dict[str, int]:
    """Bucket → weight: a shared tag weighs more than a shared category or province."""
    keys: dict[str, int] = {}
    for t in getattr(article, "tags", None) or ():
        keys[f"t:{t.slug}"] = 3
    category = getattr(article, "category", None)
    if category is not None:
        keys[f"c:{category.slug}"] = 1
    src = article.warta.source
    keys[f"p:{src.province if src and src.province else 'nasional'}"] = 1
    return keys


Buckets = list[list[tuple[list[int], int, int]]]
"""Per article position: (its bucket's member positions, the bucket's weight, its place in it)."""


def bucket_index(articles: Sequence[Any],
                 keys: Sequence[dict[str, int]] | None = None) -> Buckets:
    """Every article's related-news buckets, members in article order.

    ``keys``: each article's :func:`bucket_keys`, when the caller has them.
    """
    members: dict[str, list[int]] = defaultdict(list)
    keys_of: Buckets = []
    for i, a in enumerate(articles):
        mine = []
        for k, weight in (keys[i] if keys is not None else bucket_keys(a)).items():
            bucket = members[k]
            mine.append((bucket, weight, len(bucket)))
            bucket.append(i)
        keys_of.append(mine)
    return keys_of


def office_neighbours(by_source: Mapping[str, Sequence[Any]]) -> dict[int, tuple[Any, Any]]:
    """``id(article)`` → (the office's next newer report, its next older one), None at the ends."""
    neighbours: dict[int, tuple[Any, Any]] = {}
    for arts in by_source.values():
        for n, a in enumerate(arts):
            neighbours[id(a)] = (arts[n - 1] if n > 0 else None,
                                 arts[n + 1] if n + 1 < len(arts) else None)
    return neighbours


RELATED_WINDOW = 6
"""Related news of a report is looked for among this many neighbours on each side, per bucket."""


def article_navs(articles: Sequence[Any], stories: dict[str, list[Any]],
                 by_source: dict[str, list[Any]], *, related: int = 4,
                 window: int = RELATED_WINDOW, only: set[int] | None = None,
                 buckets: Buckets | None = None) -> dict[str, ArticleNav]:
    """Article id → :class:`ArticleNav`, in O(N · buckets · window).

    Related news is looked for only among the ``window`` neighbours in time
    of each bucket (same tag, category, province) an article is in: news is
    related to what happened around the same time, and a full comparison
    would be quadratic. ``only``: the positions whose navigation is needed
    (the others' pages are kept from the previous build, :mod:`.settled`);
    ``buckets``: :func:`bucket_index` of ``articles``, when the caller has it.
    """
    # Integers and lists indexed by position: this loop visits ~60 neighbours per article,
    # 6 million at 100,000 articles, so attribute look-ups and datetime arithmetic in it
    # were most of its 20 s.
    skeys = [story_key(a) for a in articles]
    stamps = [micros(a.date) for a in articles]
    keys_of = buckets if buckets is not None else bucket_index(articles)
    neighbours = office_neighbours(by_source)
    from .stories import STORY_URL, article_lead_key

    leads: dict[str, Any] = {}
    offices: dict[str, Counter[str | None]] = {}
    out: dict[str, ArticleNav] = {}
    for i, a in enumerate(articles):
        if only is not None and i not in only:
            continue
        skey = skeys[i]
        scores: dict[int, int] = {}
        for bucket, weight, pos in keys_of[i]:
            for j in bucket[max(0, pos - window): pos + window + 1]:
                if j == i or skeys[j] == skey:
                    continue
                scores[j] = scores.get(j, 0) + weight
        here = stamps[i]
        # nsmallest(n) is sorted()[:n], ties in first-seen order, without sorting them all.
        ranked = heapq.nsmallest(related, scores.items(),
                                 key=lambda e: (-e[1], abs(stamps[e[0]] - here)))
        newer, older = neighbours.get(id(a), (None, None))
        reports = stories.get(skey, ())
        lead = None
        if len(reports) > 1:
            lead = leads.get(skey)
            if lead is None:
                lead = leads[skey] = min(reports, key=article_lead_key)
                offices[skey] = Counter(source_id(r) for r in reports)
        if lead is None:  # a story of one report
            out[a.warta.id] = ArticleNav(
                related=tuple(articles[j] for j, score in ranked if score >= 2),
                newer=newer, older=older)
            continue
        counts = offices[skey]
        own = source_id(a)
        out[a.warta.id] = ArticleNav(
            same_story=_story_shown(a, reports, lead),
            related=tuple(articles[j] for j, score in ranked if score >= 2),
            newer=newer, older=older,
            same_story_total=len(reports) - 1,
            same_story_sources=len(counts) - (None in counts) - (own is not None and counts[own] == 1),
            story_url=STORY_URL.format(id=skey),
        )
    return out


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MICRO = timedelta(microseconds=1)


def micros(value: datetime) -> int:
    """Exact microseconds since the epoch (float timestamps would round at this scale)."""
    return (value - (_NAIVE_EPOCH if value.tzinfo is None else _EPOCH)) // _MICRO


def archive_years(dates: Iterable[Any]) -> list[tuple[int, list[tuple[int, int, datetime]]]]:
    """``archives.html``: years, newest first, each with its months (newest first) and counts.

    ``(year, [(month, article count, a date in that month), …])``. The template
    used Jinja's ``groupby`` twice over every article (2 s per build at 100,000
    articles); one count in Python gives the same page.
    """
    counts: dict[tuple[int, int], int] = {}
    for a in dates:
        key = (a.date.year, a.date.month)
        counts[key] = counts.get(key, 0) + 1
    years: dict[int, list[tuple[int, int, datetime]]] = {}
    for (year, month), n in sorted(counts.items(), reverse=True):
        years.setdefault(year, []).append((month, n, datetime(year, month, 1)))
    return list(years.items())
