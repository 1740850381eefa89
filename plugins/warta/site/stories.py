"""Stories on the site: who leads, who else reported, story pages, one card per story.

Data for templates (the theme owns the templates; these are the contracts):

* ``warta_stories`` (context): ``{story id: StoryView}`` for every story of
  the build, local Markdown articles included.
  ``{% set story = warta_stories[article.warta.story] %}`` then
  ``story.others(article)`` lists the other reports and
  ``story.office_count - 1`` is the N of "Juga diberitakan oleh N instansi";
  ``story.url`` is the story page (``cerita/<id>/``) when it has ≥ 2 reports.
* ``story_leads`` (Jinja filter): ``articles|story_leads(warta_stories)``
  keeps one entry per story — its lead — in the given order, so listings
  show each event once.
* ``story.html`` renders one page of a story (``story``, ``story_page``):
  its lead, a count, and :data:`STORY_PAGE_SIZE` reports grouped by province
  (:meth:`StoryView.pages`), so a story of 500 reports is ten pages, not one
  page of 500 cards. Article pages list a few of the other reports and link
  here (:class:`warta.site.listings.ArticleNav`).

Local articles join archived stories at build time: their text is signed
like an archived item and looked up in the archive's LSH bands
(:func:`warta.stories.assign.find_story`); the archive is only read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pelican.generators import Generator

from ..archive.store import Archive
from ..core.records import Source
from ..core.settings import setting
from ..stories.assign import find_story
from ..stories.compare import make_doc
from ..stories.lead import lead_key
from .bridge import hub_data

log = logging.getLogger(__name__)

CONTEXT_STORIES = "warta_stories"
STORY_URL = "cerita/{id}/"
STORY_PAGE_URL = "cerita/{id}/{number}/"
STORY_PAGE_SIZE = 50
"""Reports one story page lists at most."""


def _info(article: Any) -> Any:
    return getattr(article, "warta", None)


def _story_id(article: Any) -> str:
    info = _info(article)
    if info is not None and info.story:
        return str(info.story)
    return f"lokal-{getattr(article, 'slug', id(article))}"


def article_lead_key(article: Any) -> tuple[int, int, float, str]:
    info = _info(article)
    source: Source | None = info.source if info is not None else None
    is_local = bool(info.is_local) if info is not None else True
    return lead_key(is_local=is_local, source=source, published_ts=article.date.timestamp(),
                    item_id=str(info.id if info is not None else article.slug))


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One page of a story's reports, grouped by province (national bodies first)."""

    number: int
    count: int
    """Pages of the story."""
    groups: tuple[tuple[str | None, tuple[Any, ...]], ...]
    """(province code or None for national bodies, its reports on this page)."""
    url: str
    previous_url: str | None
    next_url: str | None


def _province(article: Any) -> str | None:
    info = _info(article)
    source = info.source if info is not None else None
    return source.province if source is not None else None


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story as templates see it: lead first, then the other reports."""

    id: str
    reports: tuple[Any, ...]

    @property
    def lead(self) -> Any:
        return self.reports[0]

    @property
    def size(self) -> int:
        return len(self.reports)

    @property
    def offices(self) -> tuple[Source, ...]:
        """Distinct reporting offices, lead's first."""
        seen: dict[str, Source] = {}
        for a in self.reports:
            info = _info(a)
            if info is not None and info.source is not None:
                seen.setdefault(info.source.id, info.source)
        return tuple(seen.values())

    @property
    def office_count(self) -> int:
        return len(self.offices)

    @property
    def url(self) -> str | None:
        return STORY_URL.format(id=self.id) if self.size > 1 else None

    def others(self, article: Any) -> list[Any]:
        return [a for a in self.reports if a is not article]

    def other_offices(self, article: Any) -> tuple[Source, ...]:
        """Offices other than ``article``'s own that reported the story: the N of
        "Juga diberitakan oleh N instansi"."""
        info = _info(article)
        own = info.source.id if info is not None and info.source is not None else None
        return tuple(s for s in self.offices if s.id != own)

    def is_lead(self, article: Any) -> bool:
        return self.lead is article

    def pages(self, size: int = STORY_PAGE_SIZE) -> list[StoryPage]:
        """The reports other than the lead, by province then date, ``size`` a page."""
        ordered = sorted(self.reports[1:], key=lambda a: (_province(a) or "", a.date.timestamp()))
        count = max(1, -(-len(ordered) // size))
        urls = [STORY_URL.format(id=self.id)] + [
            STORY_PAGE_URL.format(id=self.id, number=n) for n in range(2, count + 1)]
        out = []
        for n in range(count):
            groups: list[tuple[str | None, list[Any]]] = []
            for article in ordered[n * size:(n + 1) * size]:
                province = _province(article)
                if not groups or groups[-1][0] != province:
                    groups.append((province, []))
                groups[-1][1].append(article)
            out.append(StoryPage(n + 1, count, tuple((p, tuple(g)) for p, g in groups), urls[n],
                                 urls[n - 1] if n else None,
                                 urls[n + 1] if n + 1 < count else None))
        return out

    @property
    def provinces(self) -> list[tuple[str | None, int]]:
        """(province code or None, reports) over the whole story, most reports first."""
        counts: dict[str | None, int] = {}
        for article in self.reports:
            province = _province(article)
            counts[province] = counts.get(province, 0) + 1
        return sorted(counts.items(), key=lambda e: (-e[1], e[0] or ""))


def build_story_index(articles: Iterable[Any]) -> dict[str, StoryView]:
    """Group articles by ``warta.story``; each group sorted by the lead rule."""
    groups: dict[str, list[Any]] = {}
    for a in articles:
        groups.setdefault(_story_id(a), []).append(a)
    return {sid: StoryView(sid, tuple(sorted(group, key=article_lead_key)))
            for sid, group in groups.items()}


def story_leads(articles: Sequence[Any], stories: Mapping[str, StoryView]) -> list[Any]:
    """Jinja filter: one entry per story — its lead — keeping the order of ``articles``.

    The lead takes the place of the first report of its story met in the list.
    """
    out: list[Any] = []
    seen: set[str] = set()
    for a in articles:
        sid = _story_id(a)
        if sid in seen:
            continue
        seen.add(sid)
        view = stories.get(sid)
        out.append(view.lead if view is not None else a)
    return out


def join_local_articles(articles: Iterable[Any], archive: Archive) -> int:
    """Put local Markdown articles into the archived story they report, if any."""
    joined = 0
    for a in articles:
        info = _info(a)
        if info is None or not info.is_local:
            continue
        source_id = info.source.id if info.source is not None else None
        doc = make_doc(info.id, a.title, a._content or "", a.date.timestamp(), None, source_id)
        story = find_story(archive, doc)
        if story is not None:
            info.story = story
            joined += 1
    return joined


def attach_stories(generator: Any) -> None:
    """``article_generator_pretaxonomy`` handler, connected after the bridge's."""
    settings = generator.settings
    if not setting(settings, "WARTA_ENABLED"):
        return
    data = hub_data(generator)
    if data.archive_path is not None:
        with Archive(data.archive_path) as archive:
            joined = join_local_articles(generator.articles, archive)
        if joined:
            log.info("Warta: %d artikel lokal bergabung ke cerita dari arsip", joined)
    generator.context[CONTEXT_STORIES] = build_story_index(generator.articles)


class StoryGenerator(Generator):
    """Writes ``cerita/<story id>/index.html`` (and ``…/<n>/`` for more pages) for every
    story told by two reports or more."""

    def generate_context(self) -> None:
        if CONTEXT_STORIES not in self.context:
            self.context[CONTEXT_STORIES] = build_story_index(self.context.get("articles", []))

    def generate_output(self, writer: Any) -> None:
        stories: dict[str, StoryView] = self.context.get(CONTEXT_STORIES, {})
        template = self.get_template("story")
        for view in stories.values():
            if view.url is None:
                continue
            for page in view.pages():
                writer.write_file(page.url + "index.html", template, self.context, story=view,
                                  story_page=page, relative_urls=self.settings["RELATIVE_URLS"])
