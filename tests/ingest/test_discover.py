"""``invoke discover URL`` on the four fixture sites (real 127.0.0.1 servers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from warta.ingest.discover import registry_yaml, run_discover
from warta.ingest.fetch import FetchPolicy
from warta.ops import cli
from warta.sources.registry import parse_source

from tests.support.extract_eval import Fixture
from tests.support.server import FeedServer

POLICY = FetchPolicy(retries=0)


@pytest.mark.parametrize(("kind", "method", "path", "items"), [
    ("wp", "wordpress", "/", 9),
    ("joomla", "html", "/index.php/berita", 9),
    ("custom", "sitemap", "/sitemap.xml", 9),
    ("og", "sitemap", "/sitemap-index.xml", 9),
])
def test_discover_picks_the_best_way_for_each_site(sites: Fixture, kind: str, method: str, path: str,
                                                  items: int, tmp_path: Path) -> None:
    site = sites.sites[kind]
    found = run_discover(site.url("/"), POLICY)
    best = found.best
    assert best is not None
    assert (best.method, best.url, best.items) == (method, site.url(path), items)
    text = registry_yaml(found)
    assert text is not None
    # Ready to use: with the region filled in, the registry accepts it as is.
    sid = text.split("\n", 1)[0].split(":")[1].split("#")[0].strip()
    filled = text.replace('"00.00"', '"33.01"')
    src, errors = parse_source(tmp_path / f"{sid}.yml", filled)
    assert errors == [], errors
    assert src is not None and src.feeds[0].method == method
    if method == "html":
        assert src.feeds[0].options["item"] == "h2.item-title a"


def test_discover_reports_what_failed_and_why(sites: Fixture) -> None:
    wp = run_discover(sites.sites["wp"].url("/"), POLICY)
    by = {(p.method, p.url.rsplit("/", 1)[0] + "/" if p.method == "feed" else p.url): p for p in wp.probes}
    feed = next(p for p in wp.probes if p.method == "feed" and p.url.endswith("/feed/"))
    assert feed.ok and feed.items == 9 and feed.found_by.startswith('<link rel="alternate">')
    assert all("comments" not in p.url for p in wp.probes)
    assert by
    joomla = run_discover(sites.sites["joomla"].url("/"), POLICY)
    soft = next(p for p in joomla.probes if "format=feed" in p.url)
    assert soft.error == "/index.php?format=feed&type=rss mengembalikan halaman HTML, bukan feed RSS/Atom"
    og = run_discover(sites.sites["og"].url("/"), POLICY)
    blocked = next(p for p in og.probes if p.url.endswith("/rss"))
    assert blocked.error is not None and blocked.error.startswith("diblokir 403")
    sm = next(p for p in og.probes if p.url.endswith("/sitemap-index.xml"))
    assert sm.found_by == "baris Sitemap: di robots.txt" and "2 sitemap" in (sm.detail or "")


def test_cli_discover_prints_indonesian_yaml_and_exit_code(sites: Fixture, capsys) -> None:
    assert cli.discover(sites.sites["custom"].url("/"), policy=POLICY) == 0
    out = capsys.readouterr().out
    assert "Terbaik: sitemap" in out and "9 berita" in out
    assert f"  - sitemap: {sites.sites['custom'].url('/sitemap.xml')}" in out
    assert 'name: "Portal Resmi Kabupaten Gowa"' in out
    with FeedServer() as empty:
        empty.add("/", body="<html><body>Situs sedang dibangun</body></html>", content_type="text/html")
        assert cli.discover(empty.url("/"), policy=POLICY) == 1
    out = capsys.readouterr().out
    assert "Tidak ada feed, API WordPress atau sitemap yang dapat dibaca" in out
    assert "tidak ada (404): /feed/" in out


def test_discover_respects_robots_for_sitemaps(tmp_path: Path) -> None:
    with FeedServer() as srv:
        srv.add("/", body="<html><body>Beranda</body></html>", content_type="text/html")
        robots = f"User-agent: *\nDisallow: /peta/\nSitemap: {srv.url('/peta/sitemap.xml')}\n"
        srv.add("/robots.txt", body=robots,
                content_type="text/plain")
        srv.add("/peta/sitemap.xml", body="<urlset/>", content_type="application/xml")
        found = run_discover(srv.url("/"), POLICY)
        probe = next(p for p in found.probes if p.url.endswith("/peta/sitemap.xml"))
        assert probe.error is not None and probe.error.startswith("robots.txt melarang")
        assert srv.hits("/peta/sitemap.xml") == []
