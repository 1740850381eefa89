"""Archive → Pelican: archived items become real Pelican articles.

They are appended at ``article_generator_pretaxonomy``, before Pelican builds
categories, tags, date archives and feeds, so aggregated items get every
listing a Markdown article gets. Local Markdown articles are annotated with
the same :class:`WartaInfo` so templates and the JSON API treat both alike.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.contents import Article
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import order_content, slugify
from unidecode import unidecode

from ..archive.base import utcnow
from ..archive.store import Archive
from ..archive.takedowns import TakedownSet, load_takedowns
from ..clean.category import HOAX, category_id
from ..clean.normalize import plain_text, sanitize_html, summarize
from ..clean.rules import CategoryRules, default_rules
from ..clean.sanitize import LINK_REL
from ..clean.text import clean_title, plain_line
from ..core.records import ArchivedItem, Source
from ..core.settings import setting
from ..sources.registry import load_registry
from .bodies import BODY_KEY_ATTR, LOADER_ATTR, BodyReader

log = logging.getLogger(__name__)

CONTEXT_KEY = "WARTA"


@dataclass(slots=True)
class WartaInfo:
    """What the hub knows about an article beyond Pelican's own fields."""

    id: str
    source: Source | None
    is_local: bool
    external_url: str | None = None
    story: str | None = None
    place: str | None = None
    credits: dict[str, str] = field(default_factory=dict)
    date_estimated: bool = False
    via: str = "lokal"
    first_seen: datetime | None = None
    category: str | None = None
    """Hub category id from the controlled vocabulary (``klarifikasi-hoaks`` → hoax label)."""
    image: Any = None
    """The lead image as served (a ServedImage, set by the image step of the build)."""
    lead_in_body: bool = False
    """The lead image also appears in the body (templates then do not show it twice)."""

    @property
    def is_hoax_clarification(self) -> bool:
        return self.category == HOAX

    @property
    def kind(self) -> str | None:
        return self.source.kind if self.source else None

    @property
    def region(self) -> str | None:
        return self.source.region if self.source else None


@dataclass(slots=True)
class HubData:
    """Registry and health shared by the plugin's handlers during one build."""

    sources: dict[str, Source]
    registry_errors: list[str]
    health: dict[str, Any]
    archive_path: Path | None
    image_health: dict[str, Any] = field(default_factory=dict)
    """Per source image counts (archive.ImageHealth), filled by the image step."""


def _settings_path(settings: dict[str, Any], key: str) -> Path:
    value = Path(settings[key])
    if not value.is_absolute():
        value = Path(setting(settings, "WARTA_ROOT") or Path.cwd()) / value
    return value


def hub_data(generator: Any) -> HubData:
    """Load (once per build) the registry and health into the shared context."""
    ctx = generator.context
    if CONTEXT_KEY in ctx:
        return ctx[CONTEXT_KEY]
    settings = generator.settings
    root = _settings_path(settings, "WARTA_SOURCES")
    sources, errors = load_registry(root)
    for e in errors:
        log.warning("registri: %s", e)
    db = _settings_path(settings, "WARTA_DB")
    health: dict[str, Any] = {}
    if db.exists():
        with Archive(db) as archive:
            health = dict(archive.health())
    data = HubData({s.id: s for s in sources}, [str(e) for e in errors], health,
                   db if db.exists() else None)
    ctx[CONTEXT_KEY] = data
    return data


class Slugifier:
    """Pelican's ``slugify`` (ASCII, lower case) with its substitutions compiled once.

    Pelican normalises and compiles every substitution pattern and strips tags
    through ``Markup`` on each call: 4 s per 100,000 titles, which every build
    pays for every archived report. The result is the same string
    (``tests/site/test_slugs.py`` compares them).
    """

    def __init__(self, regex_subs: Any = ()):
        self.subs = [(re.compile(_nfkc(src), re.IGNORECASE), _nfkc(dst))
                     for src, dst in regex_subs]

    def __call__(self, value: str) -> str:
        # " ".join(split()): what striptags leaves of a string with no tag and no entity.
        tagged = "<" in value or "&" in value
        value = Markup(value).striptags() if tagged else " ".join(value.split())
        value = unidecode(_nfkc(value))
        for pattern, dst in self.subs:
            value = pattern.sub(dst, value)
        return value.lower().strip()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_SLUGIFIERS: dict[str, Slugifier] = {}


def slugifier(settings: dict[str, Any]) -> Slugifier:
    """The :class:`Slugifier` of the settings' ``SLUG_REGEX_SUBSTITUTIONS`` (one per value)."""
    subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    key = repr(subs)
    found = _SLUGIFIERS.get(key)
    if found is None:
        found = _SLUGIFIERS[key] = Slugifier(subs)
    return found


def article_slug(item_id: str, title: str, settings: dict[str, Any]) -> str:
    base = slugifier(settings)(title)[:70]
    return f"{base.strip('-') or 'berita'}-{item_id[:6]}"


def hub_category(category: str | None, settings: dict[str, Any],
                 rules: CategoryRules | None = None) -> Category:
    """Pelican category for a vocabulary id: named by its label, slugged by its id."""
    rules = rules or default_rules().categories
    cid = category if category in rules.ids else rules.fallback
    cat = Category(rules.label(cid), settings)
    cat.slug = cid
    return cat


class Wrappers:
    """One Category, Tag and Author object per name for a build.

    Pelican groups them by slug anyway; sharing the objects saves 100,000
    articles from each slugifying their tags again (4 s of a 20k build) and
    lets the incremental writer fingerprint each wrapper once.
    """

    def __init__(self, settings: dict[str, Any]):
        self.settings = settings
        self.rules = default_rules().categories
        self._categories: dict[str | None, Category] = {}
        self._tags: dict[str, Tag | None] = {}
        self._authors: dict[str, Author] = {}

    def category(self, cid: str | None) -> Category:
        cat = self._categories.get(cid)
        if cat is None:
            cat = self._categories[cid] = hub_category(cid, self.settings, self.rules)
        return cat

    def tag(self, name: str) -> Tag | None:
        if name not in self._tags:
            self._tags[name] = Tag(name, self.settings) if slugify(name) else None
        return self._tags[name]

    def author(self, name: str) -> Author:
        author = self._authors.get(name)
        if author is None:
            author = self._authors[name] = Author(name, self.settings)
        return author


FEED_LINK_REL = f"{LINK_REL} nofollow"
"""The ``rel`` of links inside a body taken from a feed. The hub does not vouch for them: a
source's site can be hacked, and spam links injected into its posts (one real capture carries
them) would otherwise borrow the hub's standing with search engines."""


def outbound_links(content_html: str) -> str:
    """``content_html`` with its links marked :data:`FEED_LINK_REL`.

    The clean stage gives every link ``rel`` :data:`~warta.clean.sanitize.LINK_REL` (the
    only value it lets through), so the archived body and its content hash stay as they
    are and the mark is added when the page is made.
    """
    return content_html.replace(f' rel="{LINK_REL}"', f' rel="{FEED_LINK_REL}"')


def archived_article(entry: ArchivedItem, source: Source | None, generator: Any,
                     wrappers: Wrappers | None = None,
                     reader: BodyReader | None = None) -> Article:
    """The Pelican article of an archived report.

    With a ``reader``, ``entry`` was read without its body (``Archive.items(bodies=False)``):
    the article reads it when its content is first asked for (:mod:`.bodies`).
    """
    item = entry.item
    settings = generator.settings
    wrappers = wrappers or Wrappers(settings)
    category = wrappers.category(item.category)
    authors = [wrappers.author(a) for a in item.authors] or (
        [wrappers.author(plain_line(source.display_name))] if source else []
    )
    tags = [t for t in map(wrappers.tag, item.tags) if t is not None]
    metadata: dict[str, Any] = {
        # Plain text, like every name: the theme autoescapes, and plain_line made sure
        # no title, author, tag or category can open a tag even where an output forgets to.
        "title": item.title,
        "date": item.published,
        "category": category,
        "tags": tags,
        "slug": article_slug(item.id, item.title, settings),
        "summary": html.escape(item.summary),
        "timezone": source.timezone if source else "Asia/Jakarta",
        "warta": WartaInfo(
            id=item.id, source=source, is_local=False, external_url=item.link,
            story=entry.story, place=item.place, credits=dict(item.credits),
            date_estimated=item.date_estimated, via=item.via, first_seen=entry.first_seen,
            category=category.slug,
        ),
    }
    if authors:  # Pelican crashes on an empty authors list (item of a removed source)
        metadata["authors"] = authors
        metadata["author"] = authors[0]
    if item.image:
        metadata["image"] = item.image
    if entry.modified_at is not None:
        metadata["modified"] = entry.modified_at
    article = Article("" if reader else outbound_links(item.content_html), metadata=metadata,
                      settings=settings, source_path=f"warta-archive/{item.id}",
                      context=generator.context)
    if reader is not None:
        load = partial(_load_body, reader, item.id)
        setattr(article, LOADER_ATTR, load)
        article._get_content = load
        if entry.content_hash:
            setattr(article, BODY_KEY_ATTR, entry.content_hash)
    if entry.content_hash:
        # Every metadata field above is a function of this archive row, its source and the
        # settings: the incremental build's page digest uses this instead of walking the
        # metadata (tags, authors, URL wrappers) of 100,000 articles (digests.py).
        article.warta_fingerprint = "\x1f".join((
            entry.content_hash, item.id, item.title, item.published.isoformat(),
            str(item.date_estimated), item.via, str(entry.modified_at), str(entry.first_seen),
            entry.story or ""))
    return article


def _load_body(reader: BodyReader, item_id: str) -> str:
    return outbound_links(reader(item_id))


def annotate_local(article: Article, sources: dict[str, Source]) -> None:
    """Give a local Markdown article its WartaInfo and sanitize its HTML."""
    source_id = str(article.metadata.get("source", "")).strip()
    source = sources.get(source_id)
    if source is None:
        log.warning("%s: Source '%s' tidak terdaftar di registri", article.source_path, source_id)
    article._content = sanitize_html(article._content)
    if "summary" not in article.metadata:
        article._summary = html.escape(summarize(plain_text(article._content)))
    else:  # a Markdown Summary may carry raw HTML: same allow-list as the body
        article.metadata["summary"] = article._summary = sanitize_html(article.metadata["summary"])
    credits = {key: str(article.metadata[key]).strip() for key in ("penulis", "editor")
               if str(article.metadata.get(key, "")).strip()}
    if source is not None and "author" not in article.metadata and "authors" not in article.metadata:
        # Like aggregated items: without an Author line the office itself is credited.
        article.author = Author(plain_line(source.display_name), article.settings)
        article.authors = [article.author]
    article.title = clean_title(article.title)
    settings = article.settings
    rules = default_rules().categories
    written = getattr(article, "category", None)
    cid = category_id(written.name if written else None, rules) or category_id(
        written.slug if written else None, rules)
    if cid is not None:
        article.category = hub_category(cid, settings, rules)
    elif written is not None:
        article.category = Category(plain_line(written.name), settings)
    article.warta = WartaInfo(id=f"lokal-{article.slug}", source=source, is_local=True,
                              story=f"lokal-{article.slug}", via="lokal", credits=credits,
                              category=article.category.slug if written is not None else cid)


def load_withdrawals(settings: dict[str, Any], archive: Archive | None) -> TakedownSet:
    """The withdrawals in force for this build (``takedowns.yml``).

    The file is synced into the archive's tombstones so that archive reads
    leave withdrawn items out. If the file cannot be read at all, the
    tombstones already in the archive stay in force: a typo must never
    republish a withdrawn item.
    """
    path = _settings_path(settings, "WARTA_TAKEDOWNS") if setting(settings, "WARTA_TAKEDOWNS") else None
    entries, problems = load_takedowns(path)
    for p in problems:
        log.warning("takedowns.yml: masalah %s pada baris %s (%s); jalankan 'invoke check'",
                    p.code, p.line, p.values)
    unreadable = any(p.code in ("takedown-yaml", "encoding") for p in problems)
    if archive is None:
        return TakedownSet(entries)
    if not unreadable:
        archive.sync_takedowns(entries, now=utcnow())
    return archive.takedown_set()


def _drop_withdrawn(generator: Any, withdrawn: TakedownSet) -> None:
    """Remove withdrawn local articles from every list Pelican writes from."""
    if not withdrawn:
        return
    for attr in ("articles", "translations", "hidden_articles", "hidden_translations", "drafts"):
        kept = [a for a in getattr(generator, attr, [])
                if not (hasattr(a, "warta") and withdrawn.matches(a.warta.id, a.warta.external_url))]
        setattr(generator, attr, kept)


def add_archived_articles(generator: Any) -> None:
    """``article_generator_pretaxonomy`` handler."""
    settings = generator.settings
    if not setting(settings, "WARTA_ENABLED"):
        return
    data = hub_data(generator)
    for attr in ("articles", "translations", "hidden_articles", "hidden_translations"):
        for article in getattr(generator, attr, []):
            if not hasattr(article, "warta"):
                annotate_local(article, data.sources)
    if data.archive_path is None:
        _drop_withdrawn(generator, load_withdrawals(settings, None))
        log.warning("arsip %s belum ada; jalankan 'invoke fetch' dulu", setting(settings, "WARTA_DB"))
        return
    added = []
    reader = BodyReader(data.archive_path)
    with Archive(data.archive_path) as archive:
        _drop_withdrawn(generator, load_withdrawals(settings, archive))
        wrappers = Wrappers(settings)
        for entry in archive.items(limit=setting(settings, "WARTA_MAX_ITEMS"), bodies=False):
            added.append(archived_article(entry, data.sources.get(entry.item.source_id), generator,
                                          wrappers, reader))
    generator.articles = order_content(generator.articles + added,
                                       settings["ARTICLE_ORDER_BY"])
    log.info("Warta: %d berita dari arsip ditambahkan", len(added))
