"""Machine-facing page metadata: JSON-LD, sitemaps, Google News sitemap, robots.txt, OPML.

Everything is built as data and serialized by a library (``json.dumps``,
``xml.etree``), never by pasting feed text into markup: a headline may hold
``</script>`` or ``&`` and must stay inert.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from markupsafe import Markup

from ..clean.normalize import plain_text, safe_url
from ..core.messages import kind_label
from ..core.outfiles import write_if_changed
from ..core.records import Source
from .api import site_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_MAX_URLS = 50_000
"""The protocol's limit of URLs per sitemap file."""
SITEMAP_FILE_URLS = 10_000
"""URLs per file of the hub's sitemap: the hour's news rewrites one file of at most this many."""
NEWS_MAX_URLS = 1_000
NEWS_MAX_AGE = timedelta(hours=48)


# -- JSON-LD ---------------------------------------------------------------------------


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def organization(source: Source) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "GovernmentOrganization", "name": source.name,
                           "url": source.homepage}
    logo = safe_url(source.logo)
    if logo:
        org["logo"] = {"@type": "ImageObject", "url": logo}
    return org


def news_article(article: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """schema.org ``NewsArticle``; the publisher is the humas office that wrote it."""
    base = site_url(settings)
    info = article.warta
    source = info.source
    date = article.date.astimezone(source.tz) if source else article.date
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": str(article.title)[:110],
        "description": plain_text(article.summary),
        "datePublished": _iso(date),
        "inLanguage": "id",
        "url": f"{base}/{article.url}",
        "mainEntityOfPage": info.external_url or f"{base}/{article.url}",
    }
    modified = getattr(article, "modified", None)
    if modified is not None:
        data["dateModified"] = _iso(modified.astimezone(date.tzinfo))
    served = getattr(info, "image", None)  # our derivatives, never the original
    if served is not None:
        if not served.placeholder:
            data["image"] = [f"{base}/media/{served.variant(1024).jpeg}", f"{base}/media/{served.social}"]
    else:
        image = safe_url(getattr(article, "image", None))
        if image:
            data["image"] = [image]
    writers = [v for k, v in info.credits.items() if k.lower() in ("penulis", "reporter")]
    if not writers:
        # The bridge falls back to the office's name as author: that is no Person.
        office = {source.name, source.display_name} if source else set()
        writers = [str(a) for a in getattr(article, "authors", None) or [] if str(a) not in office]
    if writers:
        data["author"] = [{"@type": "Person", "name": plain_text(w)} for w in writers]
    elif source:
        data["author"] = [organization(source)]
    if source:
        data["publisher"] = organization(source)
        data["sourceOrganization"] = organization(source)
    if info.external_url:
        data["isBasedOn"] = info.external_url
    if info.place:
        data["locationCreated"] = {"@type": "Place", "name": info.place}
    return data


def script_json(data: dict[str, Any]) -> Markup:
    """``<script type="application/ld+json">`` whose text can never close the element."""
    text = (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    return Markup(f'<script type="application/ld+json">{text}</script>')


def jsonld_tag(article: Any, settings: dict[str, Any]) -> Markup:
    return script_json(news_article(article, settings))


# -- sitemaps --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SitemapURL:
    path: str
    """Site-relative (``berita/2026/11/x/``; ``""`` for home)."""
    lastmod: datetime | None = None


def _write_xml(root: ET.Element, path: Path) -> None:
    buf = io.BytesIO()
    ET.ElementTree(root).write(buf, encoding="utf-8", xml_declaration=True)
    write_if_changed(path, buf.getvalue())


def _index(base: str, files: Sequence[str], path: Path) -> None:
    root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for f in files:
        ET.SubElement(ET.SubElement(root, "sitemap"), "loc").text = f"{base}/{f}"
    _write_xml(root, path)


def _chunks(rows: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [rows[i:i + size] for i in range(0, len(rows), size)] or [rows]


def write_sitemap(urls: Sequence[SitemapURL], out: Path, settings: dict[str, Any], *,
                  name: str = "sitemap", per_file: int = SITEMAP_MAX_URLS) -> list[Path]:
    """``sitemap.xml``; past ``per_file`` URLs it becomes an index of ``sitemaps/sitemap-N.xml``.

    Files are cut from the start of ``urls``: with the oldest first, every file but
    the last keeps its bytes as news arrives. Files of a longer list that are no
    longer needed are removed.
    """
    base = site_url(settings)
    written = []
    chunks = _chunks(urls, per_file)
    files = [f"{name}.xml"] if len(chunks) == 1 else [
        f"sitemaps/{name}-{i}.xml" for i in range(1, len(chunks) + 1)]
    for fname, chunk in zip(files, chunks, strict=True):
        root = ET.Element("urlset", xmlns=SITEMAP_NS)
        for u in chunk:
            el = ET.SubElement(root, "url")
            ET.SubElement(el, "loc").text = f"{base}/{u.path}"
            if u.lastmod is not None:
                ET.SubElement(el, "lastmod").text = _iso(u.lastmod)
        _write_xml(root, out / fname)
        written.append(out / fname)
    if len(files) > 1:
        _index(base, files, out / f"{name}.xml")
        written.append(out / f"{name}.xml")
    _remove_stale(out, name, files)
    return written


def _remove_stale(out: Path, name: str, files: Sequence[str]) -> None:
    """Delete ``sitemaps/<name>-N.xml`` files that ``files`` no longer lists."""
    keep = set(files)
    for path in (out / "sitemaps").glob(f"{name}-*.xml"):
        if path.name[len(name) + 1:-4].isdigit() and f"sitemaps/{path.name}" not in keep:
            path.unlink()


def news_articles(articles: Iterable[Any], now: datetime) -> list[Any]:
    """Articles of the last 48 hours (Google News only takes those), newest first."""
    cutoff = now - NEWS_MAX_AGE
    return [a for a in articles if cutoff <= a.date <= now + timedelta(minutes=5)]


def write_news_sitemap(articles: Sequence[Any], out: Path, settings: dict[str, Any], *,
                       now: datetime, name: str = "sitemap-news",
                       per_file: int = NEWS_MAX_URLS) -> list[Path]:
    """Google News sitemap: ≤ 1,000 URLs per file, an index when there are more."""
    ET.register_namespace("news", NEWS_NS)
    base = site_url(settings)
    publication = settings.get("SITENAME", "Warta")
    recent = news_articles(articles, now)
    chunks = _chunks(recent, per_file)
    files = [f"{name}.xml"] if len(chunks) == 1 else [
        f"sitemaps/{name}-{i}.xml" for i in range(1, len(chunks) + 1)]
    written = []
    for fname, chunk in zip(files, chunks, strict=True):
        root = ET.Element("urlset", xmlns=SITEMAP_NS)
        for a in chunk:
            src = a.warta.source
            date = a.date.astimezone(src.tz) if src else a.date
            url = ET.SubElement(root, "url")
            ET.SubElement(url, "loc").text = f"{base}/{a.url}"
            news = ET.SubElement(url, f"{{{NEWS_NS}}}news")
            pub = ET.SubElement(news, f"{{{NEWS_NS}}}publication")
            ET.SubElement(pub, f"{{{NEWS_NS}}}name").text = publication
            ET.SubElement(pub, f"{{{NEWS_NS}}}language").text = "id"
            ET.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = _iso(date)
            ET.SubElement(news, f"{{{NEWS_NS}}}title").text = str(a.title)
        _write_xml(root, out / fname)
        written.append(out / fname)
    if len(files) > 1:
        _index(base, files, out / f"{name}.xml")
        written.append(out / f"{name}.xml")
    _remove_stale(out, name, files)
    return written


def robots_txt(settings: dict[str, Any]) -> str:
    base = site_url(settings)
    return ("User-agent: *\n"
            "Allow: /\n\n"
            f"Sitemap: {base}/sitemap.xml\n"
            f"Sitemap: {base}/sitemap-news.xml\n")


# -- OPML ------------------------------------------------------------------------------


def sources_opml(sources: Iterable[Source], feed_url: Any, settings: dict[str, Any],
                 now: datetime) -> bytes:
    """OPML 2.0 of every source's feed on the hub, grouped by institution kind.

    ``feed_url(source)`` gives the hub's feed of that source (always HTTP and
    respecting summary mode), which a feed reader can subscribe to; the
    source's own site is the ``htmlUrl``.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"{settings.get('SITENAME', 'Warta')} — semua sumber"
    ET.SubElement(head, "dateCreated").text = format_datetime(now)
    ET.SubElement(head, "ownerName").text = settings.get("SITENAME", "Warta")
    body = ET.SubElement(root, "body")
    groups: dict[str, list[Source]] = {}
    for s in sorted(sources, key=lambda s: s.name):
        groups.setdefault(s.kind, []).append(s)
    for kind in sorted(groups):
        folder = ET.SubElement(body, "outline", text=kind_label(kind))
        for s in groups[kind]:
            ET.SubElement(folder, "outline", type="rss", text=s.name, title=s.name,
                          xmlUrl=feed_url(s), htmlUrl=s.homepage, language="id")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
