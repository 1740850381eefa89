"""``invoke discover URL``: what a humas homepage offers, tried, and a registry entry.

This is how a humas registers itself: it finds feed links
(``<link rel="alternate">``, the usual paths of WordPress, Joomla and custom
CMSs), the WordPress REST API (``<link rel="https://api.w.org/">``) and
sitemaps (robots.txt ``Sitemap:`` lines, the usual names), tries each one the
way the aggregator would read it, and prints a ready registry YAML for the
best, with the number of items found — all in Indonesian.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from ..core.messages import METHOD_LABELS, fetch_error_message
from ..core.records import FeedSpec
from .extract import decode_html
from .fetch import Fetcher, FetchPolicy
from .methods import JSON_ACCEPT, PAGE_ACCEPT, XML_ACCEPT
from .methods.sitemap import SitemapError, parse_sitemap
from .methods.wordpress import NotPosts, parse_posts, posts_url, site_root
from .parse import FeedParseError, parse_feed
from .polite import PageGate
from .robots import RobotsCache

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/feed+json", "application/json")
COMMON_FEED_PATHS = ("feed/", "rss", "rss.xml", "feed.xml", "atom.xml", "index.xml",
                     "index.php?format=feed&type=rss", "?feed=rss2", "berita/feed/")
COMMON_SITEMAPS = ("sitemap_index.xml", "sitemap.xml", "news-sitemap.xml")
COMMON_LISTINGS = ("berita/", "index.php/berita", "news/")
LISTING_WORDS = re.compile(r"\b(berita|news|warta|kabar|artikel|siaran pers)\b", re.IGNORECASE)
PREFERENCE = {"wordpress": 3, "feed": 2, "sitemap": 1, "html": 0}
"""The API gives full text, images and categories; a feed is cheap; a sitemap needs page fetches."""


@dataclass(frozen=True, slots=True)
class Probe:
    """One candidate tried: what it is, where it was found, and what reading it gave."""

    method: str
    url: str
    found_by: str
    items: int = 0
    error: str | None = None
    detail: str | None = None
    item_selector: str | None = None
    """For ``html``: the CSS selector of article links found on the listing page."""

    @property
    def ok(self) -> bool:
        return self.error is None and self.items > 0


@dataclass(slots=True)
class Discovery:
    homepage: str
    site_name: str | None = None
    error: str | None = None
    """Why the homepage could not be read (Indonesian); nothing else was tried then."""
    error_class: str | None = None
    probes: list[Probe] = field(default_factory=list)

    @property
    def best(self) -> Probe | None:
        ok = [p for p in self.probes if p.ok]
        if not ok:
            return None
        return max(ok, key=lambda p: (PREFERENCE.get(p.method, 0), p.found_by.startswith("<link"),
                                      p.items))


def _add(out: list[tuple[str, str, str]], method: str, url: str, found_by: str) -> None:
    if all(u != url or m != method for m, u, _ in out):
        out.append((method, url, found_by))


def candidates(homepage: str, html: str, robots_sitemaps: list[str]) -> list[tuple[str, str, str]]:
    """(method, url, found_by) for everything worth trying, links on the page first."""
    soup = BeautifulSoup(html, "lxml")
    out: list[tuple[str, str, str]] = []
    root = f"{urlsplit(homepage).scheme}://{urlsplit(homepage).netloc}/"
    for link in soup.find_all("link", href=True):
        rel = " ".join(link.get("rel") or []).lower()
        typ = str(link.get("type") or "").split(";")[0].strip().lower()
        href = urljoin(homepage, str(link["href"]))
        if rel == "https://api.w.org/":
            _add(out, "wordpress", site_root(href), '<link rel="https://api.w.org/"> di beranda')
        elif "alternate" in rel and typ in FEED_TYPES and "comments" not in href:
            _add(out, "feed", href, '<link rel="alternate"> di beranda')
    if "wp-content" in html or "wp-includes" in html:
        _add(out, "wordpress", root, "jejak WordPress (wp-content) di beranda")
    for path in COMMON_FEED_PATHS:
        _add(out, "feed", urljoin(root, path), "alamat feed yang umum")
    for sm in robots_sitemaps:
        _add(out, "sitemap", sm, "baris Sitemap: di robots.txt")
    for path in COMMON_SITEMAPS:
        _add(out, "sitemap", urljoin(root, path), "alamat sitemap yang umum")
    for a in soup.find_all("a", href=True):
        href = urljoin(homepage, str(a["href"])).split("#")[0]
        if urlsplit(href).netloc == urlsplit(homepage).netloc and (
                LISTING_WORDS.search(a.get_text(" ")) or LISTING_WORDS.search(urlsplit(href).path)):
            _add(out, "html", href, "tautan menu berita di beranda")
            break
    for path in COMMON_LISTINGS:
        _add(out, "html", urljoin(root, path), "alamat daftar berita yang umum")
    return out


def listing_selector(html: str, page_url: str) -> tuple[str | None, int]:
    """The heading-link selector that repeats most on a listing page, and its link count."""
    soup = BeautifulSoup(html, "lxml")
    counts: dict[str, set[str]] = {}
    for tag in soup.find_all(["h1", "h2", "h3", "h4"]):
        a = tag.find("a", href=True)
        if not isinstance(a, Tag) or tag.find_parent(["nav", "footer", "aside"]) is not None:
            continue
        classes = [c for c in (tag.get("class") or []) if re.fullmatch(r"[A-Za-z][\w-]*", c)]
        sel = f"{tag.name}.{classes[0]} a" if classes else f"{tag.name} a"
        counts.setdefault(sel, set()).add(urljoin(page_url, str(a["href"])))
    if not counts:
        return None, 0
    sel, found = max(counts.items(), key=lambda kv: len(kv[1]))
    return (sel, len(found)) if len(found) >= 3 else (None, len(found))


async def _probe_listing(fetcher: Fetcher, robots: RobotsCache, url: str, found_by: str) -> Probe:
    if not (await robots.rules(url)).allowed(url):
        return Probe("html", url, found_by, error=fetch_error_message("robots", None, url))
    res = await fetcher.fetch(url, accept=PAGE_ACCEPT, max_bytes=fetcher.policy.max_page_bytes)
    if not res.ok or res.body is None:
        return Probe("html", url, found_by, error=_short_error(res.status, res.error_message))
    selector, count = listing_selector(decode_html(res.body, res.headers), res.final_url or url)
    if selector is None:
        return Probe("html", url, found_by, error="tidak ditemukan deretan judul berita bertautan")
    return Probe("html", url, found_by, items=count, item_selector=selector,
                 detail=f"selektor item \"{selector}\"")


def _short_error(status: int | None, message: str | None) -> str:
    if status == 404:
        return "tidak ditemukan (404)"
    return message or "gagal dibuka"


async def _probe_feed(fetcher: Fetcher, url: str, found_by: str) -> Probe:
    res = await fetcher.fetch(url)
    if not res.ok or res.body is None:
        return Probe("feed", url, found_by, error=_short_error(res.status, res.error_message))
    try:
        parsed = parse_feed(res.body, res.headers, res.final_url or url)
    except FeedParseError as exc:
        detail = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        return Probe("feed", url, found_by, error=fetch_error_message(
            exc.error_class, None, detail if exc.error_class == "not_a_feed" else exc.detail))
    return Probe("feed", url, found_by, items=len(parsed.entries),
                 detail=parsed.title or None,
                 error=None if parsed.entries else "feed kosong (0 berita)")


async def _probe_wordpress(fetcher: Fetcher, robots: RobotsCache, url: str,
                           found_by: str) -> Probe:
    api = posts_url(url, 1, 10)
    if not (await robots.rules(api)).allowed(api):
        return Probe("wordpress", url, found_by,
                     error=fetch_error_message("robots", None, api))
    res = await fetcher.fetch(api, accept=JSON_ACCEPT)
    if not res.ok or res.body is None:
        reason = res.error_message or ""
        return Probe("wordpress", url, found_by,
                     error=fetch_error_message("wp_api_off", None, reason))
    try:
        posts = parse_posts(res.body)
    except NotPosts as exc:
        return Probe("wordpress", url, found_by,
                     error=fetch_error_message("wp_api_off", None, str(exc)))
    total = res.headers.get("x-wp-total")
    count = int(total) if total and total.isdigit() else len(posts)
    return Probe("wordpress", url, found_by, items=count,
                 error=None if count else "API WordPress aktif tetapi belum ada tulisan")


async def _probe_sitemap(fetcher: Fetcher, robots: RobotsCache, url: str, found_by: str) -> Probe:
    if not (await robots.rules(url)).allowed(url):
        return Probe("sitemap", url, found_by, error=fetch_error_message("robots", None, url))
    res = await fetcher.fetch(url, accept=XML_ACCEPT)
    if not res.ok or res.body is None:
        return Probe("sitemap", url, found_by, error=_short_error(res.status, res.error_message))
    try:
        sm = parse_sitemap(res.body)
    except SitemapError as exc:
        return Probe("sitemap", url, found_by,
                     error=fetch_error_message("invalid_sitemap", None, str(exc)))
    if sm.kind == "urlset":
        kind = "sitemap berita (news)" if sm.news else "sitemap"
        return Probe("sitemap", url, found_by, items=len(sm.urls), detail=kind,
                     error=None if sm.urls else "sitemap kosong")
    children = sorted(sm.children, key=lambda c: "news" not in c.url.lower())
    total = 0
    for child in children[:3]:
        r = await fetcher.fetch(child.url, accept=XML_ACCEPT)
        if r.ok and r.body is not None:
            try:
                total += len(parse_sitemap(r.body).urls)
            except SitemapError:
                continue
    return Probe("sitemap", url, found_by, items=total,
                 detail=f"indeks sitemap dengan {len(sm.children)} sitemap",
                 error=None if total else "indeks sitemap tanpa alamat berita")


STAGES = ("beranda", "feed", "sitemap", "html")
"""The order a fetch run searches in, stopping at the first stage that finds a way: what the
homepage itself links to (feeds, the WordPress API), the usual feed addresses, sitemaps, and
last listing pages (each needs article pages fetched afterwards)."""


def stage_of(method: str, found_by: str) -> int:
    """Index in :data:`STAGES` of one candidate."""
    if method == "html":
        return 3
    if method == "sitemap":
        return 2
    return 0 if found_by.endswith("di beranda") else 1


async def explore(fetcher: Fetcher, robots: RobotsCache, homepage: str, *,
                  gate: PageGate | None = None, staged: bool = False) -> Discovery:
    """Find and try the ways of reading ``homepage``'s news with a client the caller owns.

    ``gate`` paces every request to the site like article pages (a fetch run's
    per-host limit); ``staged`` stops after the first of :data:`STAGES` that
    found a working way (what the fetch run needs), instead of trying every
    candidate (what ``invoke discover`` shows).
    """
    found = Discovery(homepage)
    if gate is not None:
        fetcher = fetcher.paced(gate)
    policy = fetcher.policy
    res = await fetcher.fetch(homepage, accept=PAGE_ACCEPT, max_bytes=policy.max_page_bytes)
    if not res.ok or res.body is None:
        found.error = res.error_message or "beranda tidak dapat dibuka"
        found.error_class = res.error_class or "http"
        return found
    page_url = res.final_url or homepage
    html = decode_html(res.body, res.headers)
    rules = await robots.rules(homepage)
    found.site_name, cands = await asyncio.to_thread(_read_homepage, page_url, html,
                                                     rules.sitemaps())
    sem = asyncio.Semaphore(2)

    async def run(method: str, url: str, by: str) -> Probe:
        async with sem:
            if method == "feed":
                return await _probe_feed(fetcher, url, by)
            if method == "wordpress":
                return await _probe_wordpress(fetcher, robots, url, by)
            if method == "html":
                return await _probe_listing(fetcher, robots, url, by)
            return await _probe_sitemap(fetcher, robots, url, by)

    if not staged:
        found.probes = list(await asyncio.gather(*(run(*c) for c in cands)))
        return found
    for stage in range(len(STAGES)):
        batch = [c for c in cands if stage_of(c[0], c[2]) == stage]
        found.probes += await asyncio.gather(*(run(*c) for c in batch))
        if found.best is not None:
            break
    return found


def _read_homepage(page_url: str, html: str, sitemaps: list[str]
                   ) -> tuple[str | None, list[tuple[str, str, str]]]:
    """The site's name and the candidates a homepage offers (CPU work: run off the loop)."""
    soup = BeautifulSoup(html, "lxml")
    site = soup.find("meta", attrs={"property": "og:site_name"})
    title = soup.title.get_text(" ").strip() if soup.title else None
    name = (str(site["content"]).strip() if isinstance(site, Tag) and site.get("content") else
            max(re.split(r"\s[|–—-]\s", title), key=len).strip() if title else None)
    return name, candidates(page_url, html, sitemaps)


async def discover(homepage: str, policy: FetchPolicy | None = None) -> Discovery:
    """Find and try every way of reading ``homepage``'s news (``invoke discover URL``)."""
    policy = policy or FetchPolicy(retries=0)
    async with Fetcher(policy) as fetcher:
        robots = RobotsCache(None, fetcher, ttl=policy.robots_ttl, now=datetime.now(UTC))
        return await explore(fetcher, robots, homepage)


async def discover_all(homepages: list[str], policy: FetchPolicy | None = None
                       ) -> dict[str, Discovery]:
    """Search many homepages at once, as politely as a fetch run: one client (global and
    per-host limits), robots.txt once per site, requests to one host paced like article
    pages, and each search stopping at the first stage that works."""
    policy = policy or FetchPolicy(retries=0)
    async with Fetcher(policy) as fetcher:
        robots = RobotsCache(None, fetcher, ttl=policy.robots_ttl, now=datetime.now(UTC))
        gate = PageGate(policy.page_per_host_concurrency, policy.page_delay)
        found = await asyncio.gather(*(explore(fetcher, robots, h, gate=gate, staged=True)
                                       for h in homepages))
    return dict(zip(homepages, found, strict=True))


def feed_spec(probe: Probe) -> FeedSpec:
    """The registry entry (a :class:`FeedSpec`) that reads what ``probe`` found."""
    if probe.method == "feed":
        return FeedSpec(url=probe.url)
    options = {"item": probe.item_selector} if probe.method == "html" and probe.item_selector else {}
    return FeedSpec(url=probe.url, method=probe.method, options=options)


def _guess_id(host: str) -> str:
    host = host.split(":")[0].lower().removeprefix("www.")
    for suffix in (".go.id", ".mil.id", ".ac.id", ".or.id", ".co.id", ".web.id", ".id", ".com",
                   ".net", ".org"):
        if host.endswith(suffix):
            host = host[: -len(suffix)]
            break
    return re.sub(r"[^a-z0-9]+", "-", host).strip("-") or "sumber-baru"


def _guess_kind(host: str) -> str:
    h = host.lower()
    for word, kind in (("prov", "pemprov"), ("kab", "pemkab"), ("kota", "pemkot"),
                       ("kemen", "kementerian"), ("dprd", "dprd")):
        if word in h:
            return kind
    return "lainnya"


def registry_yaml(found: Discovery) -> str | None:
    """A registry file for the best probe (None when nothing worked)."""
    best = found.best
    if best is None:
        return None
    host = urlsplit(found.homepage).netloc
    name = (found.site_name or host).replace('"', "'")
    entry = f"  - {best.url}" if best.method == "feed" else f"  - {best.method}: {best.url}"
    if best.method == "html" and best.item_selector:
        entry += f'\n    item: "{best.item_selector}"'
    label = f"{METHOD_LABELS.get(best.method, best.method)}: {best.items} berita ditemukan"
    return "\n".join([
        f"id: {_guess_id(host)}                # sama dengan nama berkas (tanpa .yml)",
        f'name: "{name}"',
        f"kind: {_guess_kind(host)}            # periksa: kementerian, lembaga, pemprov, pemkab, pemkot, …",
        'region: "00.00"                 # GANTI dengan kode wilayah Kemendagri, misalnya "33.01"',
        f"homepage: {found.homepage}",
        "feeds:",
        f"  # {label}",
        entry,
        "",
    ])


def report(found: Discovery) -> str:
    """The Indonesian text ``invoke discover`` prints."""
    lines = [f"Penelusuran {found.homepage}"]
    if found.error:
        lines.append(f"  ✗ beranda tidak dapat dibuka: {found.error}")
        return "\n".join(lines)
    absent: list[str] = []
    for p in found.probes:
        label = METHOD_LABELS.get(p.method, p.method)
        if p.ok:
            extra = f", {p.detail}" if p.detail else ""
            lines.append(f"  ✓ {label}: {p.url} — {p.items} berita{extra} (dari {p.found_by})")
        elif p.error == "tidak ditemukan (404)" and not p.found_by.startswith(("<link", "baris")):
            parts = urlsplit(p.url)
            absent.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        else:
            lines.append(f"  ✗ {label}: {p.url} — {p.error} (dari {p.found_by})")
    if absent:
        lines.append(f"  · tidak ada (404): {', '.join(absent)}")
    best = found.best
    yaml_text = registry_yaml(found)
    if best is None or yaml_text is None:
        lines += ["", "Tidak ada feed, API WordPress atau sitemap yang dapat dibaca.",
                  "Jika situs memiliki halaman daftar berita, daftarkan dengan 'html:' dan "
                  "selektor 'item', misalnya:",
                  "  feeds:", f"    - html: {found.homepage.rstrip('/')}/berita/",
                  '      item: "h2 a"']
        return "\n".join(lines)
    lines += ["", f"Terbaik: {METHOD_LABELS.get(best.method, best.method)} ({best.url}) "
              f"dengan {best.items} berita.",
              "Simpan sebagai sources/<provinsi>/<id>.yml, lengkapi region, lalu jalankan "
              "'invoke check':", "", yaml_text]
    return "\n".join(lines)


def run_discover(homepage: str, policy: FetchPolicy | None = None) -> Discovery:
    return asyncio.run(discover(homepage, policy))
