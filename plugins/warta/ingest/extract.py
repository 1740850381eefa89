"""Article page → :class:`RawEntry`: what a feed would have said, read from the page.

Order of trust, per field: the page's own metadata first — JSON-LD
``NewsArticle``/``Article`` (Yoast and most CMS plugins write it), Open Graph
(``og:title``, ``article:published_time``, ``og:image``), ``<time datetime>``
— then the selectors configured in the registry, then a well-kept
main-content extractor (trafilatura) for the body, and for the date the
Indonesian date text printed on the page, then htmldate.

Nothing here is trusted or cleaned for publishing: the entry goes through
:func:`warta.clean.normalize.normalize` exactly like a feed entry. Dates stay raw
strings for normalize to parse; see :func:`usable_date` for the one
exception (Indonesian date text, until the clean-up issue's parser lands).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag, UnicodeDammit

from ..clean.dates import parse_date
from ..clean.normalize import plain_text
from ..core.records import MediaRef, RawEntry, Source

ARTICLE_TYPES = ("NewsArticle", "ReportageNews", "AnalysisNewsArticle", "Article", "BlogPosting",
                 "Report", "GovernmentArticle")
"""JSON-LD types that describe the article itself, best first."""

JUNK_SELECTOR = (
    "script, style, noscript, iframe, form, nav, aside, footer, header, button, svg, "
    "[class*=share], [class*=social], [class*=related], [class*=terkait], [class*=breadcrumb], "
    "[class*=comment], [class*=komentar], [class*=iklan], [class*=advert], [id*=share], "
    "[class*=bagikan], [class*=sebar], [class*=baca-juga], "
    "[id*=comment], [class*=sharedaddy], [class*=tags], [class*=widget]"
)
"""Removed from a body picked with a configured selector: menus, share buttons, widgets."""

DATE_HINT_SELECTOR = (
    "[class*=tanggal], [class*=date], [class*=time], [class*=waktu], [class*=posted], "
    "[class*=meta], [class*=published], [class*=terbit]"
)


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one article page yielded, with where each field came from (for reports)."""

    url: str
    title: str
    content_html: str
    summary: str
    published_raw: str | None
    updated_raw: str | None
    image: str | None
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    title_from: str
    date_from: str
    body_from: str
    image_from: str

    @property
    def empty(self) -> bool:
        return not self.title and not plain_text(self.content_html)

    def to_raw_entry(self, via: str, *, guid: str | None = None) -> RawEntry:
        media = (MediaRef(url=self.image, type="image", role="content"),) if self.image else ()
        return RawEntry(
            guid=guid, link=self.url, title=self.title, content_html=self.content_html,
            summary_html=self.summary, authors=self.authors, categories=self.categories,
            published_raw=self.published_raw, updated_raw=self.updated_raw, media=media,
            base_url=self.url, via=via,
        )


# -- Indonesian date text ---------------------------------------------------------------
# Whole date strings are parsed by clean.dates (the ordered handler registry). What is
# left here is different work: *finding* a date inside a page's free text, where the
# date is one phrase among many ("Diposting oleh Admin, Senin, 2 Desember 2024 | 10:15").

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3,
    "mar": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}
ZONES: dict[str, str] = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME_RE = (r"(?:[\s,|–—\-/]*(?:pukul|pkl\.?|jam)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})"
            r"(?:[:.](?P<s>\d{2}))?\s*(?P<z>WITA|WIB|WIT)?\b)?")
_ID_DATE = re.compile(
    r"\b(?P<d>\d{1,2})\s*(?:-|\s)\s*(?P<mon>" + _MONTH_RE + r")\.?\s*(?:-|\s)\s*(?P<y>\d{4})"
    + _TIME_RE, re.IGNORECASE)
_NUM_DATE = re.compile(r"\b(?P<d>\d{1,2})[/-](?P<m>\d{1,2})[/-](?P<y>\d{4})" + _TIME_RE,
                       re.IGNORECASE)


def indonesian_date(text: str, source: Source) -> str | None:
    """``"Senin, 2 Desember 2024 | 10:15 WITA"`` → ``"2024-12-02T10:15:00+08:00"``.

    Without a zone word the source's own zone applies; without a time, the
    date alone is returned (normalize then reads it as midnight, local).
    """
    best: str | None = None
    for pattern in (_ID_DATE, _NUM_DATE):
        for m in pattern.finditer(text):
            try:
                mon = m.groupdict().get("mon")
                month = MONTHS[mon.lower()] if mon else int(m["m"])
                day, year = int(m["d"]), int(m["y"])
                if not 1995 <= year <= 2100:
                    continue
                datetime(year, month, day)  # a real calendar day, or ValueError
                date = f"{year:04d}-{month:02d}-{day:02d}"
                if m["h"] is None:
                    best = best or date
                    continue
                hour, minute, sec = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
                if hour > 23 or minute > 59 or sec > 59:
                    best = best or date
                    continue
            except (TypeError, ValueError):
                continue
            zone = ZONES.get((m["z"] or "").upper())
            offset = zone or _offset(source, year, month, day, hour, minute)
            return f"{date}T{hour:02d}:{minute:02d}:{sec:02d}{offset}"
    return best


def _offset(source: Source, year: int, month: int, day: int, hour: int, minute: int) -> str:
    off = datetime(year, month, day, hour, minute, tzinfo=source.tz).utcoffset()
    assert off is not None
    total = int(off.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def usable_date(raw: str | None, source: Source) -> str | None:
    """``raw`` if normalize can read it, its ISO form if it is Indonesian text, else None."""
    if not raw or not raw.strip():
        return None
    raw = " ".join(raw.split())
    has_zone_word = re.search(r"\b(WIB|WITA|WIT)\b", raw) is not None
    has_id_month = re.search(r"\b(" + _MONTH_RE + r")\b", raw, re.IGNORECASE) is not None
    if not has_zone_word:
        try:
            if parse_date(raw, source.tz, reference=datetime.now(source.tz)) is not None:
                return raw
        except Exception:  # dateutil raises odd types on odd text
            pass
    if has_zone_word or has_id_month or _NUM_DATE.search(raw):
        return indonesian_date(raw, source)
    return None


# -- metadata ----------------------------------------------------------------------------

def decode_html(body: bytes | str, headers: Mapping[str, str] | None = None) -> str:
    """Bytes → text: HTTP charset, then the page's own declaration, then detection."""
    if isinstance(body, str):
        return body
    charset = None
    ctype = (headers or {}).get("content-type", "")
    m = re.search(r"charset=([\w.:-]+)", ctype, re.IGNORECASE)
    if m:
        charset = m.group(1).strip("\"'")
    dammit = UnicodeDammit(body, known_definite_encodings=[charset] if charset else [],
                           is_html=True)
    return dammit.unicode_markup or body.decode("utf-8", "replace")


def _jsonld_nodes(soup: BeautifulSoup) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            nodes.append(node)
            if "@graph" in node:
                walk(node["@graph"])

    for tag in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.I)}):
        text = tag.string or tag.get_text() or ""
        text = re.sub(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$", "", text.strip())
        try:
            walk(json.loads(text, strict=False))
        except ValueError:
            continue
    return nodes


def _types(node: Mapping[str, Any]) -> list[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return [t]
    return [x for x in t if isinstance(x, str)] if isinstance(t, list) else []


def _jsonld_article(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    for wanted in ARTICLE_TYPES:
        for node in nodes:
            if wanted in _types(node):
                return node
    return None


def _resolve(value: Any, index: Mapping[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id"} and value.get("@id") in index:
        return index[value["@id"]]
    return value


def _ld_image(value: Any, index: Mapping[str, dict[str, Any]]) -> str | None:
    value = _resolve(value, index)
    if isinstance(value, list):
        for v in value:
            found = _ld_image(v, index)
            if found:
                return found
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("contentUrl", "url"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    return None


def _ld_names(value: Any, index: Mapping[str, dict[str, Any]]) -> tuple[str, ...]:
    value = _resolve(value, index)
    items = value if isinstance(value, list) else [value]
    out = []
    for v in items:
        v = _resolve(v, index)
        if isinstance(v, str) and v.strip():
            out.append(v.strip())
        elif isinstance(v, dict) and isinstance(v.get("name"), str) and v["name"].strip():
            out.append(v["name"].strip())
    return tuple(out)


def _ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _meta(soup: BeautifulSoup, *names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        for tag in soup.find_all("meta", attrs={"property": name}) + soup.find_all(
                "meta", attrs={"name": name}) + soup.find_all("meta", attrs={"itemprop": name}):
            content = tag.get("content")
            if isinstance(content, str) and content.strip():
                out.append(content.strip())
    return out


def _strip_site_suffix(title: str, site: str | None) -> str:
    if site:
        for sep in (" - ", " | ", " – ", " — ", " :: "):
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
    return title


def _absolutize(fragment: Tag, base: str) -> None:
    for img in fragment.find_all("img"):
        src = img.get("src")
        lazy = img.get("data-src") or img.get("data-lazy-src")
        if lazy and (not src or str(src).startswith("data:")):
            img["src"] = lazy
        if img.get("src"):
            img["src"] = urljoin(base, str(img["src"]))
    for a in fragment.find_all("a", href=True):
        a["href"] = urljoin(base, str(a["href"]))


def _select_one(soup: BeautifulSoup, selector: str | None) -> Tag | None:
    if not selector:
        return None
    try:
        found = soup.select_one(selector)
    except Exception:  # a selector the registry validated can still hit soupsieve limits
        return None
    return found if isinstance(found, Tag) else None


def _inner_html(tag: Tag) -> str:
    return "".join(str(c) for c in tag.contents).strip()


def _trafilatura_body(text: str, url: str, title: str) -> str:
    import trafilatura

    try:
        out = trafilatura.extract(
            text, url=url, output_format="html", include_images=True, include_links=True,
            include_tables=True, include_comments=False, favor_precision=True,
            deduplicate=False,
        )
    except Exception:  # the extractor must never take a run down with it
        return ""
    if not out:
        return ""
    frag = BeautifulSoup(out, "lxml")
    body = frag.body or frag
    first = body.find(True)
    if isinstance(first, Tag) and first.name in ("h1", "h2") and title and \
            plain_text(first.get_text(" ")).casefold() == title.casefold():
        first.decompose()
    _absolutize(body, url)
    return _inner_html(body)


def _htmldate(text: str, url: str) -> str | None:
    try:
        from htmldate import find_date

        return find_date(text, url=url, original_date=True, extensive_search=False,
                         outputformat="%Y-%m-%d")
    except Exception:  # never fatal: the item is then marked date-estimated
        return None


def _page_date_text(soup: BeautifulSoup, source: Source) -> str | None:
    """The Indonesian date printed on the page, preferring elements that look like dates."""
    candidates = [el.get_text(" ") for el in soup.select(DATE_HINT_SELECTOR)[:40]]
    scratch = BeautifulSoup(str(soup.body or soup), "lxml")
    for junk in scratch.select("nav, footer, aside, script, style, header"):
        junk.decompose()
    candidates.append(scratch.get_text(" "))
    date_only = None
    for text in candidates:
        found = indonesian_date(" ".join(text.split()), source)
        if found and "T" in found:
            return found
        date_only = date_only or found
    return date_only


NOT_LEAD_IMAGE = re.compile(r"logo|icon|ikon|avatar|banner|sprite|spacer|pixel|lambang|badge",
                            re.IGNORECASE)


def _image_after_title(soup: BeautifulSoup) -> str | None:
    """The first content-looking image after the headline (pages without metadata).

    Custom CMSs often put the photo beside, not inside, the text block the
    main-content extractor keeps; logos and icons are skipped by name and size.
    """
    h1 = soup.find("h1")
    if not isinstance(h1, Tag):
        return None
    for img in h1.find_all_next("img", limit=10):
        src = str(img.get("src") or "")
        if not src or src.startswith("data:"):
            src = str(img.get("data-src") or img.get("data-lazy-src") or "")
        if not src or src.startswith("data:") or NOT_LEAD_IMAGE.search(src):
            continue
        width = str(img.get("width") or "")
        if width.isdigit() and int(width) < 150:
            continue
        if img.find_parent(["footer", "nav", "aside"]) is not None:
            continue
        return src
    return None


def _first(*pairs: tuple[str | None, str]) -> tuple[str | None, str]:
    for value, origin in pairs:
        if value:
            return value, origin
    return None, ""


def extract_article(body: bytes | str, url: str, source: Source, *,
                    selectors: Mapping[str, str] | None = None,
                    headers: Mapping[str, str] | None = None) -> Extracted:
    """Read one article page. Never raises on bad HTML; returns empty fields instead."""
    sel = dict(selectors or {})
    text = decode_html(body, headers)
    soup = BeautifulSoup(text, "lxml")
    base_tag = soup.find("base", href=True)
    base = urljoin(url, str(base_tag["href"])) if isinstance(base_tag, Tag) else url

    nodes = _jsonld_nodes(soup)
    index = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    ld = _jsonld_article(nodes) or {}
    site = (_meta(soup, "og:site_name") or [None])[0]

    # Title
    ld_title = _ld_text(ld.get("headline") or ld.get("name"))
    og_title = (_meta(soup, "og:title") or [None])[0]
    sel_title = _select_one(soup, sel.get("title"))
    h1 = soup.find("h1")
    doc_title = soup.title.get_text(" ") if soup.title else None
    title_raw, title_from = _first(
        (ld_title, "jsonld"),
        (_strip_site_suffix(og_title, site) if og_title else None, "og"),
        (sel_title.get_text(" ") if sel_title else None, "selector"),
        (h1.get_text(" ") if isinstance(h1, Tag) else None, "h1"),
        (_strip_site_suffix(doc_title, site) if doc_title else None, "title"),
    )
    title = plain_text(title_raw or "")

    # Dates: each candidate must be readable, else the next one is tried.
    time_tag = soup.select_one("article time[datetime], main time[datetime], time[datetime]")
    sel_date = _select_one(soup, sel.get("date"))
    sel_date_raw = None
    if sel_date is not None:
        sel_date_raw = (sel_date.get("datetime") or sel_date.get("content")
                        or sel_date.get_text(" "))
    published, date_from = None, ""
    for raw, origin in (
        (_ld_text(ld.get("datePublished")), "jsonld"),
        ((_meta(soup, "article:published_time") or [None])[0], "og"),
        ((_meta(soup, "datePublished", "pubdate", "publishdate", "publish-date",
                "dc.date", "DC.date.issued", "date") or [None])[0], "meta"),
        (str(time_tag["datetime"]) if isinstance(time_tag, Tag) else None, "time"),
        (str(sel_date_raw) if sel_date_raw else None, "selector"),
    ):
        published = usable_date(raw, source)
        if published:
            date_from = origin
            break
    if not published:
        published = _page_date_text(soup, source)
        date_from = "text" if published else ""
    if not published:
        published = _htmldate(text, url)
        date_from = "htmldate" if published else ""
    updated = usable_date(_ld_text(ld.get("dateModified"))
                          or (_meta(soup, "article:modified_time") or [None])[0], source)

    # Body
    sel_body = _select_one(soup, sel.get("body"))
    content, body_from = "", ""
    if sel_body is not None:
        for junk in sel_body.select(JUNK_SELECTOR):
            junk.decompose()
        _absolutize(sel_body, base)
        content, body_from = _inner_html(sel_body), "selector"
    if not plain_text(content):
        content = _trafilatura_body(text, base, title)
        body_from = "trafilatura" if content else ""
    if not plain_text(content):
        article_body = _ld_text(ld.get("articleBody"))
        if article_body:
            paras = [p.strip() for p in article_body.split("\n") if p.strip()]
            content = "".join(f"<p>{_escape(p)}</p>" for p in paras)
            body_from = "jsonld"

    # Lead image
    sel_img = _select_one(soup, sel.get("image"))
    sel_img_src = None
    if sel_img is not None:
        img = sel_img if sel_img.name == "img" else sel_img.find("img")
        if isinstance(img, Tag):
            sel_img_src = img.get("src") or img.get("data-src")
    body_img = re.search(r"<img[^>]+src=\"([^\"]+)\"", content)
    image_raw, image_from = _first(
        (_ld_image(ld.get("image"), index) or _ld_text(ld.get("thumbnailUrl")), "jsonld"),
        ((_meta(soup, "og:image", "og:image:url", "og:image:secure_url") or [None])[0], "og"),
        (str(sel_img_src) if sel_img_src else None, "selector"),
        (body_img.group(1) if body_img else None, "body"),
        (_image_after_title(soup), "page"),
    )
    image = urljoin(base, image_raw) if image_raw else None

    summary = (_ld_text(ld.get("description"))
               or (_meta(soup, "og:description", "description") or [""])[0])
    authors = _ld_names(ld.get("author"), index) or tuple(_meta(soup, "author")[:1])
    keywords = ld.get("keywords")
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",")]
    section = ld.get("articleSection")
    cats = [*(section if isinstance(section, list) else [section]),
            *(keywords if isinstance(keywords, list) else [])]
    categories = tuple(dict.fromkeys(
        c.strip() for c in cats if isinstance(c, str) and c.strip()
    )) or tuple(dict.fromkeys(_meta(soup, "article:section", "article:tag")))

    return Extracted(
        url=url, title=title, content_html=content, summary=_escape(summary),
        published_raw=published, updated_raw=updated, image=image, authors=authors,
        categories=categories, title_from=title_from, date_from=date_from,
        body_from=body_from, image_from=image_from if image else "",
    )


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def links(body: bytes | str, url: str, selector: str,
          headers: Mapping[str, str] | None = None) -> list[str]:
    """Absolute http(s) article links a listing page offers under ``selector``, in order."""
    soup = BeautifulSoup(decode_html(body, headers), "lxml")
    base_tag = soup.find("base", href=True)
    base = urljoin(url, str(base_tag["href"])) if isinstance(base_tag, Tag) else url
    out: list[str] = []
    for el in _iter_select(soup, selector):
        a = el if el.name == "a" else el.find("a", href=True)
        if not isinstance(a, Tag) or not a.get("href"):
            continue
        href = urljoin(base, str(a["href"]).strip()).split("#")[0]
        if href.startswith(("http://", "https://", "file:")) and href not in out:
            out.append(href)
    return out


def _iter_select(soup: BeautifulSoup, selector: str) -> Iterator[Tag]:
    try:
        yield from (t for t in soup.select(selector) if isinstance(t, Tag))
    except Exception:
        return
