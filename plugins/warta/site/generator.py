"""The plugin's own generator: the reader hub's pages Pelican does not know about.

Runs after Pelican's article and page generators (plugin generators are
appended). Pelican calls every generator's ``generate_context`` before any
``generate_output``, so what :meth:`WartaGenerator.generate_context` puts in
the shared context (home blocks, per-article navigation, template helpers)
is there when Pelican renders the home and article pages.

Cost: every grouping is computed once here in O(N); listing pages show
summaries only, paginated from the oldest (``WARTA_STABLE_PAGINATION``) so
that old pages never change, so an article's body is rendered once (its own
page) plus once per feed it is in.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from ..contrib import editorial
from ..core.messages import (
    FEED_TITLE_ALL,
    HOAX_LABEL,
    KIND_GROUP_LABELS,
    NATIONAL_LABEL,
    SEARCH_FILTERS,
    SEARCH_STRINGS,
    WIDGET_EMPTY,
    WIDGET_KIND_LABELS,
    WIDGET_MORE,
    credit_label,
    kind_label,
)
from ..core.outfiles import write_if_changed
from ..core.records import Source
from ..core.settings import setting
from ..sources import kinds, regions
from ..sources.kinds import KINDS
from . import api, listings, opendata, seo, widget
from .bridge import CONTEXT_KEY, HubData, hub_data
from .feeds import Listing, ListingFeedWriter, feed_links, feed_path
from .settled import RECORDS_KEY

log = logging.getLogger(__name__)



def build_time(settings: dict[str, Any]) -> datetime:
    """``WARTA_BUILD_TIME`` (for reproducible builds) or now."""
    value = setting(settings, "WARTA_BUILD_TIME")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.now(UTC)


def region_label(code: str | None) -> str:
    """"Kabupaten Cilacap, Jawa Tengah" for ``33.01``; "Nasional" for None."""
    if not code:
        return NATIONAL_LABEL
    region = regions.get(code)
    if region is None:
        return code
    if region.parent:
        parent = regions.get(region.parent)
        return f"{region.name}, {parent.name}" if parent else region.name
    return region.name


def sort_date(value: datetime) -> str:
    """Pagefind sort key: UTC ISO 8601, so keys of sources in WIB, WITA and WIT compare right."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def search_filter_values(articles: list[Any]) -> dict[str, list[str]]:
    """The values of each search filter, exactly as ``_search_data.html`` writes them per article.

    Rendered into the search page so that opening it downloads no Pagefind filter data.
    """
    values: dict[str, set[str]] = {"wilayah": set(), "sumber": set(), "jenis": set(),
                                   "kategori": set()}
    # Labels per distinct source and category object (a thousand, not 100,000 articles'
    # worth of look-ups every build).
    sources: dict[int, Any] = {}
    categories: dict[int, Any] = {}
    for a in articles:
        src = a.warta.source
        sources[id(src)] = src
        category = getattr(a, "category", None)
        if category:
            categories[id(category)] = category
    for src in sources.values():
        values["wilayah"].add(region_label(src.province) if src and src.province else region_label(None))
        if src:
            values["sumber"].add(src.name)
            values["jenis"].add(kind_label(src.kind))
    values["kategori"].update(str(c) for c in categories.values())
    return {k: sorted(v, key=str.casefold) for k, v in values.items()}


def _example(views: dict[str, list[widget.WidgetView]]) -> dict[str, widget.WidgetView | None]:
    """A widget of each kind with news in it, for the copy-paste snippets of /widget/ and /api/."""
    out: dict[str, widget.WidgetView | None] = {}
    for kind, group in views.items():
        out[kind] = max(group, key=lambda v: len(v.items), default=None)
    return out


class WartaGenerator(Generator):
    """Writes home data, source/region/kind pages, listing feeds, sitemaps and the JSON API."""

    def generate_context(self) -> None:
        data: HubData = hub_data(self)
        settings = self.settings
        now = build_time(settings)
        articles = [a for a in self.context.get("articles", []) if hasattr(a, "warta")]
        by_source: dict[str, list[Any]] = {}
        for a in articles:
            if a.warta.source is not None:
                by_source.setdefault(a.warta.source.id, []).append(a)
        sources = sorted(data.sources.values(), key=lambda s: s.name)
        # None: every article, paginated from the oldest (WARTA_STABLE_PAGINATION) so that an
        # hour of news rewrites only the first page of each listing it touches.
        raw_cap = setting(settings, "WARTA_LISTING_MAX")
        cap = int(raw_cap) if raw_cap else None
        stories = listings.group_stories(articles)
        self.context.update(
            warta_now=now,
            warta_sources=sources,
            warta_articles_by_source=by_source,
            warta_home=listings.home(articles, stories, now),
            # Filled after the image step, with what the build state says is settled (settled.py).
            warta_nav={},
            warta_story_groups=stories,
            warta_archive_years=listings.archive_years,
            warta_regions=listings.region_views(sources, by_source, cap=cap),
            warta_kinds=listings.kind_views(KINDS, sources, by_source, cap=cap),
            warta_kind_groups=listings.KIND_GROUPS,
            warta_kinds_ungrouped=kinds.UNGROUPED,
            warta_kind_group_labels=KIND_GROUP_LABELS,
            warta_hoax_label=HOAX_LABEL,
            warta_feed_links=partial(feed_links, settings=settings),
            warta_jsonld=partial(seo.jsonld_tag, settings=settings),
            warta_is_hoax=listings.is_hoax_clarification,
            warta_site_url=api.site_url(settings),
            region_label=region_label,
            kind_label=kind_label,
            credit_label=credit_label,
            # search page, widgets
            warta_search_strings=SEARCH_STRINGS,
            warta_search_filters=SEARCH_FILTERS,
            warta_sort_date=sort_date,
            widget_more=WIDGET_MORE.format(site=settings.get("SITENAME", "Warta")),
            widget_empty=WIDGET_EMPTY,
        )
        self._listing_cap = cap

    # -- output ------------------------------------------------------------------------

    def _write_listing(self, writer: Any, template: str, url: str, articles: list[Any],
                       **kwargs: Any) -> None:
        writer.write_file(
            f"{url}index.html", self.get_template(template), self.context,
            paginated={"articles": articles}, template_name=template, url=url,
            relative_urls=self.settings["RELATIVE_URLS"], **kwargs,
        )

    def _write_page(self, writer: Any, template: str, save_as: str, **kwargs: Any) -> None:
        writer.write_file(save_as, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], **kwargs)

    def generate_output(self, writer: Any) -> None:
        data: HubData = self.context[CONTEXT_KEY]
        settings = self.settings
        out = Path(self.output_path)
        now: datetime = self.context["warta_now"]
        articles = [a for a in self.context.get("articles", []) if hasattr(a, "warta")]
        by_source: dict[str, list[Any]] = self.context["warta_articles_by_source"]
        region_views: dict[str, listings.RegionView] = self.context["warta_regions"]
        kind_views: dict[str, listings.KindView] = self.context["warta_kinds"]
        cap = self._listing_cap
        if hasattr(writer, "article_records"):  # compared by the next build (settled.py)
            writer.article_records = self.context.get(RECORDS_KEY, {})

        # The newest reports in full: made again only when one of them changed (a build with
        # nothing new would otherwise read and rewrite 500 bodies).
        latest = articles[:api.LATEST_LIMIT]
        latest_title = f"{settings['SITENAME']} — terbaru"
        tracker = writer if hasattr(writer, "reuse") else None
        latest_digest = (tracker.input_digest("latest", api.LATEST_PATH, latest_title, *latest)
                         if tracker is not None else None)
        if tracker is None or not tracker.reuse(api.LATEST_PATH, latest_digest):
            api.write_json(out / api.LATEST_PATH,
                           api.json_feed(latest, settings, title=latest_title,
                                         feed_path=api.LATEST_PATH))
        report = self.context.get("warta_health")  # health numbers (status_page)
        api.write_json(out / "api/v1/sources.json",
                       api.sources_document(data.sources.values(), data.health, settings,
                                            now=report.now if report else None,
                                            stats=report.by_id if report else None,
                                            image_health=data.image_health))

        # The incremental writer also decides which feeds are unchanged.
        feeds = ListingFeedWriter(out, settings,
                                  tracker=writer if hasattr(writer, "reuse") else None)
        feeds.write(Listing("semua", FEED_TITLE_ALL, "", articles,
                            settings.get("SITESUBTITLE", "")))

        # Sources
        for source in data.sources.values():
            arts = by_source.get(source.id, [])
            url = f"sumber/{source.id}/"
            # Only what the template shows: every argument is part of each page's digest, and
            # health changes every hour (it is on /status/ and in api/v1/sources.json).
            extra = {"total": len(arts)} if cap else {}
            self._write_listing(writer, "source", url, arts[:cap], source=source,
                                feed_key=f"sumber/{source.id}", **extra)
            feeds.write(Listing(f"sumber/{source.id}", source.name, url, arts))
        self._write_page(writer, "sources", "sumber/index.html")
        opml = seo.sources_opml(
            data.sources.values(),
            lambda s: f"{api.site_url(settings)}/{feed_path(f'sumber/{s.id}', feeds.formats[0])}",
            settings, now)
        write_if_changed(out / "sumber/sources.opml", opml)

        # Regions: who covers each, with the state of each office (not its hourly numbers,
        # which would rewrite every region page every hour).
        states = {sid: st.coverage for sid, st in report.by_id.items()} if report else {}
        for code, view in region_views.items():
            key = f"wilayah/{code}"
            self._write_listing(writer, "region", view.url, view.articles, region_view=view,
                                roster=listings.region_roster(view, states), feed_key=key)
            feeds.write(Listing(key, region_label(code), view.url, view.articles))
        self._write_page(writer, "regions", "wilayah/index.html",
                         provinces=[region_views[p.code] for p in regions.provinces()],
                         national=[s for s in self.context["warta_sources"] if not s.region])

        # Institution kinds
        for kind, kview in kind_views.items():
            key = f"jenis/{kind}"
            self._write_listing(writer, "kind", kview.url, kview.articles, kind_view=kview,
                                feed_key=key)
            feeds.write(Listing(key, kind_label(kind), kview.url, kview.articles))
        self._write_page(writer, "kinds", "jenis/index.html")

        # Categories and tags (Pelican writes their pages; the feeds are ours, like every listing)
        for category, arts in self.context.get("categories", []):
            feeds.write(Listing(f"kategori/{category.slug}", str(category), category.url,
                                [a for a in arts if hasattr(a, "warta")]))
        for tag, arts in self.context.get("tags", []):
            feeds.write(Listing(f"topik/{tag.slug}", f"Topik: {tag}", tag.url,
                                [a for a in arts if hasattr(a, "warta")]))
        log.info("Warta: %d feed listing dibuat, %d tetap (masukan sama)", feeds.written,
                 feeds.reused)

        self._write_search_widgets_open_data(writer, out, articles, by_source, region_views, now)

        self._write_sitemaps(out, articles, region_views, kind_views, now)
        if setting(settings, "WARTA_ADMIN"):
            editorial.write_admin(out, data.sources.values(), settings)  # /admin/

    def _write_search_widgets_open_data(self, writer: Any, out: Path, articles: list[Any],
                      by_source: dict[str, list[Any]],
                      region_views: dict[str, listings.RegionView], now: datetime) -> None:
        """Search page, widgets, monthly archives, schemas and their documentation pages."""
        data: HubData = self.context[CONTEXT_KEY]
        settings = self.settings
        self._write_page(writer, "search", "cari/index.html",
                         filter_values=search_filter_values(articles))

        views: dict[str, list[widget.WidgetView]] = {k: [] for k in widget.WIDGET_KINDS}
        for source in sorted(data.sources.values(), key=lambda s: s.name):
            views["sumber"].append(widget.widget_view(
                "sumber", source.id, source.name, f"sumber/{source.id}/",
                by_source.get(source.id, []), settings))
        for code, view in region_views.items():
            if view.sources:
                views["wilayah"].append(widget.widget_view(
                    "wilayah", code, region_label(code), view.url, view.articles, settings))
        for category, arts in self.context.get("categories", []):
            views["kategori"].append(widget.widget_view(
                "kategori", category.slug, str(category), category.url,
                [a for a in arts if hasattr(a, "warta")], settings))
        for group in views.values():
            for view in group:
                widget.write_widget_json(out, view, settings, now)
                self._write_page(writer, "widget_embed", view.html_path, widget=view)

        months = opendata.write_archives(out, articles, settings, now,
                                         tracker=writer if hasattr(writer, "reuse") else None)
        opendata.copy_schemas(out)
        self._write_page(writer, "widget", "widget/index.html", widgets=views,
                         widget_kind_labels=WIDGET_KIND_LABELS,
                         example=_example(views))
        self._write_page(writer, "api", "api/index.html", archive_months=months,
                         example=_example(views), month_label=opendata.month_label)

    def _write_sitemaps(self, out: Path, articles: list[Any],
                        region_views: dict[str, listings.RegionView],
                        kind_views: dict[str, listings.KindView], now: datetime) -> None:
        settings = self.settings
        newest = articles[0].date if articles else None
        # Articles oldest first, the hub's own pages last: the files of older articles keep
        # their bytes; an hour's news changes the last file (and the index, when one is added).
        urls = [seo.SitemapURL(a.url, getattr(a, "modified", None) or a.date)
                for a in reversed(articles)]
        urls += [seo.SitemapURL("", newest), seo.SitemapURL("sumber/"),
                seo.SitemapURL("wilayah/"), seo.SitemapURL("jenis/"), seo.SitemapURL("cari/"),
                seo.SitemapURL("widget/"), seo.SitemapURL("api/")]
        sources: list[Source] = self.context["warta_sources"]
        urls += [seo.SitemapURL(f"sumber/{s.id}/") for s in sources]
        urls += [seo.SitemapURL(v.url) for v in region_views.values() if v.sources]
        urls += [seo.SitemapURL(v.url) for v in kind_views.values() if v.sources]
        urls += [seo.SitemapURL(c.url) for c, _ in self.context.get("categories", [])]
        urls += [seo.SitemapURL(p.url) for p in self.context.get("pages", [])]
        seo.write_sitemap(urls, out, settings, per_file=seo.SITEMAP_FILE_URLS)
        seo.write_news_sitemap(articles, out, settings, now=now)
        write_if_changed(out / "robots.txt", seo.robots_txt(settings).encode("utf-8"))
