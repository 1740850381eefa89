"""Warta: a Pelican plugin that aggregates Indonesian government humas news.

Data flows one way, and the tree shows it: :mod:`.sources` (who the hub reads) →
:mod:`.ingest` (fetch, parse) → :mod:`.clean` (one entry made publishable) →
:mod:`.archive` (SQLite, every item ever seen) → :mod:`.stories` (one event, one
story) → :mod:`.images` → :mod:`.site` (Pelican articles and the hub's pages) →
:mod:`.search` → :mod:`.ops` (tasks, the hourly run, publishing). :mod:`.contrib`
serves humas who write local articles; :mod:`.core` is what every stage shares.
``register()`` is the only wiring.
"""

from __future__ import annotations

from .core.version import __version__

__all__ = ["__version__", "register"]


def _generators(_pelican: object) -> type:
    from .site.generator import WartaGenerator

    return WartaGenerator


def _status_generator(_pelican: object) -> type:
    from .site.status import StatusGenerator

    return StatusGenerator


def _story_generator(_pelican: object) -> type:
    from .site.stories import StoryGenerator

    return StoryGenerator


def register() -> None:
    from pelican import signals

    from .search import pagefind as search
    from .site import incremental, pelican_fast, static_copies
    from .site.bridge import add_archived_articles
    from .site.images import process_site_images
    from .site.settled import settle
    from .site.stories import attach_stories

    signals.article_generator_pretaxonomy.connect(add_archived_articles)
    signals.article_generator_pretaxonomy.connect(attach_stories)  # after the archive is in
    signals.all_generators_finalized.connect(process_site_images)
    signals.all_generators_finalized.connect(settle)  # after the images: they are on the pages
    signals.get_generators.connect(_generators)
    signals.get_generators.connect(_status_generator)  # /status/ dashboard
    signals.get_generators.connect(_story_generator)
    # Scale: set-based taxonomy filters, incremental output.
    signals.initialized.connect(pelican_fast.on_initialized)
    signals.article_generator_finalized.connect(pelican_fast.freeze_urls)
    # Search bundles (article pages only) indexed on the second core while the rest is written.
    signals.article_writer_finalized.connect(incremental.articles_written)  # pages on disk first
    signals.article_writer_finalized.connect(search.start_during_build)
    signals.finalized.connect(search.on_finalized)
    signals.get_writer.connect(incremental.get_writer)
    signals.initialized.connect(static_copies.keep_unchanged)  # unchanged files keep their mtime
    signals.finalized.connect(incremental.finalized)
