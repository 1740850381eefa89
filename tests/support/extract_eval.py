"""Score what the archive holds for the fixture sites against the truth they were written with.

Shared by ``tests/ingest/test_feedless_methods.py`` (thresholds) and ``benchmarks/extract_report.py``
(figures). Fields are judged as a reader would: the exact title; the date to
the minute and in the right zone; a body holding every paragraph and no menu,
footer, sidebar or share-button text; the lead image's URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from warta.clean.normalize import plain_text
from warta.core.records import Item

from tests.support.server import FeedServer
from tests.support.sites import BOILERPLATE, SITE_REGIONS, Article, Site, build_site

FIELDS = ("title", "date", "body", "image")


@dataclass(frozen=True)
class Score:
    article: Article
    found: bool
    title: bool = False
    date: bool = False
    body: bool = False
    image: bool = False
    why: str = ""

    def ok(self, name: str) -> bool:
        return bool(getattr(self, name))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score_item(site: Site, a: Article, item: Item | None) -> Score:
    if item is None:
        return Score(a, False, why="tidak diarsip")
    why = []
    title = item.title == a.title
    if not title:
        why.append(f"judul {item.title!r}")
    date = (not item.date_estimated and item.published == a.published
            and item.published.utcoffset() == a.published.utcoffset())
    if not date:
        why.append(f"tanggal {item.published.isoformat()} est={item.date_estimated}")
    text = _norm(plain_text(item.content_html))
    missing = [p for p in a.paragraphs if _norm(p) not in text]
    junk = [b for b in BOILERPLATE[a.site] if b.lower() in text.lower()]
    body = not missing and not junk
    if not body:
        why.append(f"isi kurang {len(missing)} paragraf, sampah {junk}")
    image = item.image == site.image_url(a)
    if not image:
        why.append(f"gambar {item.image}")
    return Score(a, True, title, date, body, image, "; ".join(why))


def score_site(site: Site, items: Iterable[Item], *, skip: Iterable[str] = ()) -> list[Score]:
    by_link = {i.link: i for i in items}
    skipped = set(skip)
    return [score_item(site, a, by_link.get(site.url(a.path)))
            for a in site.articles if site.url(a.path) not in skipped]


def shares(scores: list[Score]) -> dict[str, float]:
    n = len(scores) or 1
    return {f: sum(s.ok(f) for s in scores) / n for f in FIELDS}


def write_registry(folder: Path, sid: str, kind_site: str, feeds: list[object]) -> Path:
    data = {"id": sid, "name": f"Situs uji {sid}", "kind": "pemkab" if kind_site != "og" else "pemkot",
            "region": SITE_REGIONS[kind_site], "homepage": "https://contoh.go.id", "feeds": feeds}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sid}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class Fixture:
    """The four sites up on their own 127.0.0.1 servers, and registry entries to read them."""

    servers: dict[str, FeedServer]
    sites: dict[str, Site]

    def requests(self) -> int:
        return sum(len(s.requests) for s in self.servers.values())

    def close(self) -> None:
        for s in self.servers.values():
            s.__exit__(None, None, None)


def start_sites(count: int = 9) -> Fixture:
    servers: dict[str, FeedServer] = {}
    sites: dict[str, Site] = {}
    for kind in ("wp", "joomla", "custom", "og"):
        srv = FeedServer().__enter__()
        servers[kind] = srv
        sites[kind] = build_site(kind, srv, count=count)
    return Fixture(servers, sites)


def automatic_registry(fx: Fixture, folder: Path) -> dict[str, str]:
    """One source per site, extraction fully automatic (no selectors): source id → site kind."""
    s = fx.sites
    write_registry(folder, "uji-wp", "wp", [{"sitemap": s["wp"].url("/sitemap_index.xml")}])
    write_registry(folder, "uji-joomla", "joomla",
                   [{"html": s["joomla"].url("/index.php/berita"), "item": "h2.item-title a"}])
    write_registry(folder, "uji-custom", "custom", [{"sitemap": s["custom"].url("/sitemap.xml")}])
    write_registry(folder, "uji-og", "og", [{"sitemap": s["og"].url("/sitemap-index.xml")}])
    return {"uji-wp": "wp", "uji-joomla": "joomla", "uji-custom": "custom", "uji-og": "og"}


def configured_registry(fx: Fixture, folder: Path) -> dict[str, str]:
    """The ways a humas would register these sites: WordPress API, and listing pages with selectors."""
    s = fx.sites
    write_registry(folder, "api-wp", "wp", [{"wordpress": s["wp"].url("/")}])
    write_registry(folder, "sel-custom", "custom", [{
        "html": s["custom"].url("/berita/"), "item": "h2.judul a", "title": "h1.judul",
        "date": "span.tanggal", "body": "div.isi", "image": "div.foto img"}])
    write_registry(folder, "sel-joomla", "joomla", [{
        "html": s["joomla"].url("/index.php/berita"), "item": "h2.item-title a",
        "body": "div[itemprop=articleBody]"}])
    return {"api-wp": "wp", "sel-custom": "custom", "sel-joomla": "joomla"}
