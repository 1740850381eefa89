"""Stories on the site: who leads, who else reported, story pages, one card per story.

Data for templates (issue 4 owns the templates; these are the contracts):

* ``warta_stories`` (context): ``{story id: StoryView}`` for every story of
  the build, local Markdown articles included.
  ``{% set story = warta_stories[article.warta.story] %}`` then
  ``story.others(article)`` lists the other reports and
  ``story.office_count - 1`` is the N of "Juga diberitakan oleh N instansi";
  ``story.url`` is the story page (``cerita/<id>/``) when it has ≥ 2 reports.
* ``story_leads`` (Jinja filter): ``articles|story_leads(warta_stories)``
  keeps one entry per story — its lead — in the given order, so listings
  show each event once.
* ``_story_reports.html`` (new partial): the "Juga diberitakan oleh …" block,
  ready to ``{% include %}`` in ``article.html``.

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
    """Writes ``cerita/<story id>/index.html`` for every story told by two reports or more."""

    def generate_context(self) -> None:
        if CONTEXT_STORIES not in self.context:
            self.context[CONTEXT_STORIES] = build_story_index(self.context.get("articles", []))

    def generate_output(self, writer: Any) -> None:
        stories: dict[str, StoryView] = self.context.get(CONTEXT_STORIES, {})
        template = self.get_template("story")
        for view in stories.values():
            if view.url is None:
                continue
            writer.write_file(view.url + "index.html", template, self.context, story=view,
                              relative_urls=self.settings["RELATIVE_URLS"])
