"""The plugin's own generator: pages Pelican does not know about.

Runs after Pelican's article and page generators (plugin generators are
appended), so the shared context already holds every article, local and
aggregated.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from . import api
from .bridge import CONTEXT_KEY, HubData, hub_data

log = logging.getLogger(__name__)


class WartaGenerator(Generator):
    """Writes source pages and the JSON API."""

    def generate_context(self) -> None:
        data: HubData = hub_data(self)
        articles = self.context.get("articles", [])
        by_source: dict[str, list[Any]] = {}
        for a in articles:
            info = getattr(a, "warta", None)
            if info is not None and info.source is not None:
                by_source.setdefault(info.source.id, []).append(a)
        self.context["warta_sources"] = sorted(data.sources.values(), key=lambda s: s.name)
        self.context["warta_articles_by_source"] = by_source

    def generate_output(self, writer: Any) -> None:
        data: HubData = self.context[CONTEXT_KEY]
        out = Path(self.output_path)
        articles = self.context.get("articles", [])
        api.write_json(
            out / "api/v1/latest.json",
            api.json_feed(articles, self.settings, title=f"{self.settings['SITENAME']} — terbaru",
                          feed_path="api/v1/latest.json"),
        )
        api.write_json(out / "api/v1/sources.json",
                       api.sources_document(data.sources.values(), data.health, self.settings,
                                            image_health=data.image_health))
        by_source = self.context["warta_articles_by_source"]
        for source in data.sources.values():
            writer.write_file(
                f"sumber/{source.id}/index.html",
                self.get_template("source"),
                self.context,
                source=source,
                health=data.health.get(source.id),
                image_health=data.image_health.get(source.id),
                source_articles=by_source.get(source.id, []),
                relative_urls=self.settings["RELATIVE_URLS"],
            )
        writer.write_file("sumber/index.html", self.get_template("sources"), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"])
