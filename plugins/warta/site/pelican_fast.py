"""Set-based replacements for Pelican 4.12's quadratic list-membership filters.

Pelican 4.12 builds each tag, category and author page's ``dates`` list with
``[a for a in self.dates if a in articles]`` — a list scan per article, so
O(N × members) per taxonomy and O(N²) overall — and ``process_translations``
filters with ``x not in index`` on a list. At 100,000 articles these filters
alone cost minutes of a build.

:class:`~pelican.contents.Content` has no ``__eq__``, so list membership is
identity; a set of ``id()`` gives exactly the same lists in the same order,
hence byte-identical output (``tests/site/test_incremental.py`` compares them).

Pelican has no hook to replace these methods, so :func:`apply` patches them on
the Pelican classes, once, and only on the Pelican version they were copied
from; on any other version it leaves Pelican alone and says so.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from operator import attrgetter
from typing import Any

from ..core.settings import setting

log = logging.getLogger(__name__)

PATCHED_VERSIONS = ("4.12.",)
"""Pelican versions whose ``generators.py``/``utils.py`` these replacements mirror."""

_MARK = "_warta_fast"
_ORIGINALS: dict[str, Any] = {}
"""Pelican's own functions, kept by :func:`apply` for :func:`restore`."""


_POSITIONS: dict[int, tuple[Any, dict[int, int]]] = {}
"""Per ``dates`` list (by identity): article id → position. One build has one such list."""


def _positions(dates: Sequence[Any]) -> dict[int, int]:
    cached = _POSITIONS.get(id(dates))
    if cached is not None and cached[0] is dates and len(cached[1]) == len(dates):
        return cached[1]
    pos = {id(a): i for i, a in enumerate(dates)}
    _POSITIONS.clear()  # keep one list alive at a time, not every build's
    _POSITIONS[id(dates)] = (dates, pos)
    return pos


def dates_of(dates: Sequence[Any], members: Sequence[Any]) -> list[Any]:
    """``[a for a in dates if a in members]`` in O(len(members) log len(members)).

    Called once per tag and category: scanning ``dates`` (the whole archive) each
    time made it O(N × T) — 10 s of a 20k build. Positions of ``dates`` are
    computed once and members are ordered by them.
    """
    pos = _positions(dates)
    found = {id(a): a for a in members if id(a) in pos}
    return [found[k] for k in sorted(found, key=pos.__getitem__)]


def _taxonomy_writer(kind: str) -> Callable[..., None]:
    """A ``generate_tags``/``generate_categories``/``generate_authors`` with a set filter.

    Same calls to ``write`` with the same arguments as Pelican 4.12's
    methods (the error handling for invalid slugs included).
    """
    from pelican.generators import logger as pelican_log
    from pelican.writers import FileOverwriteFailedError

    def generate(self: Any, write: Callable[..., None]) -> None:
        template = self.get_template(kind)
        pairs = self.tags.items() if kind == "tag" else (
            self.categories if kind == "category" else self.authors)
        for obj, articles in pairs:
            dates = dates_of(self.dates, articles)
            try:
                write(obj.save_as, template, self.context, url=obj.url, **{kind: obj},
                      articles=articles, dates=dates, template_name=kind, blog=True,
                      page_name=obj.page_name, all_articles=self.articles)
            except FileOverwriteFailedError:
                if not obj.slug:
                    pelican_log.info(
                        '%s "%s" has an invalid slug; skipping writing %s page...',
                        kind.capitalize(), obj, kind,
                        extra={"limit_msg": f"Further {kind}s with invalid slugs."})
                    continue
                pelican_log.error('Failed to write %s page for "%s".', kind.capitalize(), obj)
                raise

    generate.__name__ = f"generate_{kind}s" if kind != "category" else "generate_categories"
    setattr(generate, _MARK, True)
    return generate


def process_translations(content_list: list[Any],
                         translation_id: str | Iterable[str] | None = None
                         ) -> tuple[list[Any], list[Any]]:
    """Pelican 4.12's ``utils.process_translations`` with a set for the final filter."""
    from pelican.utils import get_original_items

    if not translation_id:
        return content_list, []
    if isinstance(translation_id, str):
        translation_id = {translation_id}
    index: list[Any] = []
    try:
        content_list.sort(key=attrgetter(*translation_id))
    except TypeError:
        raise TypeError(
            f"Cannot unpack {translation_id}, 'translation_id' must be falsy, a"
            " string or a collection of strings") from None
    except AttributeError:
        raise AttributeError(
            f"Cannot use {translation_id} as 'translation_id', there "
            "appear to be items without these metadata attributes") from None
    for id_vals, group in groupby(content_list, attrgetter(*translation_id)):
        id_vals = (id_vals,) if len(translation_id) == 1 else id_vals
        with_str = "with" + ", ".join([' {} "{{}}"'] * len(translation_id)).format(
            *translation_id).format(*id_vals)
        items = list(group)
        index.extend(get_original_items(items, with_str))
        for a in items:
            a.translations = [x for x in items if x != a]
    in_index = {id(x) for x in index}
    translations = [x for x in content_list if id(x) not in in_index]
    return index, translations


setattr(process_translations, _MARK, True)


def build_period_archives(self: Any, sorted_articles: Sequence[Any], articles: Sequence[Any],
                          settings: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Pelican 4.12's ``ArticlesGenerator._build_period_archives`` without its O(N × P) filter.

    The original selects each period's articles with ``a in dates`` on a list:
    every article against every article of the period (9 s of a 20k build).
    Here each article is placed in its period once per granularity (a first
    version still scanned every article once per period). Same dictionaries,
    same order.
    """
    import calendar
    from collections import defaultdict

    period_archives: dict[str, list[dict[str, Any]]] = defaultdict(list)
    formats = {
        "year": (settings["YEAR_ARCHIVE_SAVE_AS"], settings["YEAR_ARCHIVE_URL"],
                 attrgetter("date.year")),
        "month": (settings["MONTH_ARCHIVE_SAVE_AS"], settings["MONTH_ARCHIVE_URL"],
                  attrgetter("date.year", "date.month")),
        "day": (settings["DAY_ARCHIVE_SAVE_AS"], settings["DAY_ARCHIVE_URL"],
                attrgetter("date.year", "date.month", "date.day")),
    }
    for granularity in ("year", "month", "day"):
        save_as_fmt, url_fmt, key_func = formats[granularity]
        if not save_as_fmt:
            continue
        groups = [(period, list(group)) for period, group in groupby(sorted_articles,
                                                                       key=key_func)]
        group_of = {id(a): n for n, (_period, dates) in enumerate(groups) for a in dates}
        chosen: list[list[Any]] = [[] for _ in groups]
        for a in articles:  # each period's articles in ``articles``' own order
            n = group_of.get(id(a))
            if n is not None:
                chosen[n].append(a)
        for (period, dates), members in zip(groups, chosen, strict=True):
            d = dates[0].date
            archive: dict[str, Any] = {
                "dates": dates,
                "articles": members,
                "save_as": save_as_fmt.format(date=d),
                "url": url_fmt.format(date=d),
            }
            if granularity == "year":
                archive["period"] = (period,)
                archive["period_num"] = (period,)
            else:
                month_name = calendar.month_name[period[1]]
                if granularity == "month":
                    archive["period"] = (period[0], month_name)
                else:
                    archive["period"] = (period[0], month_name, period[2])
                archive["period_num"] = tuple(period)
            period_archives[granularity].append(archive)
    return period_archives


setattr(build_period_archives, _MARK, True)


def is_applied() -> bool:
    from pelican import generators

    return getattr(generators.ArticlesGenerator.generate_tags, _MARK, False)


def apply(*_sender: Any) -> bool:
    """Patch Pelican (idempotent); returns whether the fast versions are active.

    Connected to ``signals.initialized``; also callable directly (benchmarks).
    """
    import pelican
    from pelican import generators

    if is_applied():
        return True
    version = getattr(pelican, "__version__", "")
    if not version.startswith(PATCHED_VERSIONS):
        log.warning("Warta: Pelican %s belum diuji dengan pelican_fast; filter O(N²) dibiarkan",
                    version)
        return False
    cls = generators.ArticlesGenerator
    _ORIGINALS.update(generate_tags=cls.generate_tags, generate_categories=cls.generate_categories,
                      generate_authors=cls.generate_authors,
                      process_translations=generators.process_translations,
                      _build_period_archives=cls._build_period_archives)
    cls._build_period_archives = build_period_archives
    from pelican.contents import Content

    _ORIGINALS["get_url_setting"] = Content.get_url_setting
    Content.get_url_setting = get_url_setting
    _ORIGINALS["get_relative_source_path"] = Content.get_relative_source_path
    Content.get_relative_source_path = get_relative_source_path
    cls.generate_tags = _taxonomy_writer("tag")
    cls.generate_categories = _taxonomy_writer("category")
    cls.generate_authors = _taxonomy_writer("author")
    generators.process_translations = process_translations
    return True


def get_relative_source_path(self: Any, source_path: str | None = None) -> str | None:
    """``Content.get_relative_source_path`` without the file system round trip for relative paths.

    Pelican 4.12 joins the path to ``PATH``, makes both absolute and takes
    ``relpath`` — three calls per article (its constructor and each URL), 5 s of
    a 20k build. For a relative path that does not climb out of ``PATH`` (the
    archive's ``warta-archive/<id>``) that is exactly its normalized form.
    Absolute paths (Markdown files) take Pelican's own way.
    """
    if not source_path:
        source_path = self.source_path
    if source_path is None:
        return None
    if os.sep == "/" and isinstance(source_path, str) and not source_path.startswith("/"):
        norm = posixpath.normpath(source_path)
        if norm != ".." and not norm.startswith("../"):
            return norm
    return _ORIGINALS["get_relative_source_path"](self, source_path)


setattr(get_relative_source_path, _MARK, True)

_FROZEN = "_warta_urls"


def get_url_setting(self: Any, key: str) -> str:
    """``Content.get_url_setting`` answering from the values :func:`freeze_urls` pinned."""
    frozen = self.__dict__.get(_FROZEN)
    if frozen is not None:
        value = frozen.get(key)
        if value is not None:
            return value
    return _ORIGINALS["get_url_setting"](self, key)


setattr(get_url_setting, _MARK, True)


def freeze_urls(generator: Any) -> None:
    """``article_generator_finalized``: compute each article's URL and path once.

    Pelican 4.12 recomputes ``Content.url``/``save_as`` on every access (copy the
    metadata, format the URL pattern, relative source path): ~8 accesses per
    article per build from listings, feeds, sitemaps and navigation, 10 s of a
    20k build. Everything the patterns read (slug, date, category, author, lang)
    is final here, so the values are kept on the article and the patched
    ``get_url_setting`` returns them. (Not Pelican's ``override_url``: that would
    also change how the writer treats the page.)
    """
    if not is_applied():
        return
    for attr in ("articles", "translations", "hidden_articles", "hidden_translations"):
        for content in getattr(generator, attr, ()):
            content.__dict__.pop(_FROZEN, None)
            content.__dict__[_FROZEN] = _urls(content)


def _urls(content: Any) -> dict[str, str]:
    """``url`` and ``save_as`` of ``content`` as Pelican 4.12 computes them.

    For a plain Article both come from one ``url_format`` (Pelican builds it,
    copying the metadata, once per URL: 2 s per 100,000 articles), with the
    setting names ``Article._expand_settings`` and ``get_url_setting`` use.
    """
    from pelican.contents import Article

    if (type(content) is not Article or hasattr(content, "override_url")
            or hasattr(content, "override_save_as")):
        return {"url": content.url, "save_as": content.save_as}
    klass = "draft" if content.status == "draft" else "article"
    prefix = "" if content.in_default_lang else "lang_"
    fmt = content.url_format
    return {key: str(content.settings[f"{klass}_{prefix}{key}".upper()]).format(**fmt)
            for key in ("url", "save_as")}


def on_initialized(pelican_obj: Any) -> None:
    """``signals.initialized`` handler: patch unless ``WARTA_FAST_PELICAN`` is False."""
    if setting(pelican_obj.settings, "WARTA_FAST_PELICAN"):
        apply()


def restore() -> None:
    """Undo :func:`apply` (used to build the unpatched baseline in one process)."""
    from pelican import generators

    if not is_applied():
        return
    cls = generators.ArticlesGenerator
    for name, original in _ORIGINALS.items():
        if name == "process_translations":
            generators.process_translations = original
        elif name in ("get_url_setting", "get_relative_source_path"):
            from pelican.contents import Content

            setattr(Content, name, original)
        else:
            setattr(cls, name, original)
    _ORIGINALS.clear()
