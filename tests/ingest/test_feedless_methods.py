"""Reading sites without a feed, end to end against real 127.0.0.1 servers."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from warta.archive.migrations import MIGRATIONS
from warta.archive.store import Archive
from warta.ingest.fetch import DEFAULT_USER_AGENT, FetchPolicy
from warta.ingest.run import run_fetch
from warta.site import api
from warta.sources.registry import load_registry

from tests.conftest import rss
from tests.support.extract_eval import (
    Fixture,
    automatic_registry,
    configured_registry,
    score_site,
    shares,
    start_sites,
    write_registry,
)
from tests.support.server import FeedServer, Route
from tests.support.sites import HTML, build_site, custom_page, listing, make_articles, urlset

FAST = FetchPolicy(page_delay=0.0, retries=0)


@pytest.fixture
def sites() -> Iterator[Fixture]:
    fx = start_sites()
    try:
        yield fx
    finally:
        fx.close()


def _run(archive: Archive, folder: Path, policy: FetchPolicy = FAST):
    sources, errors = load_registry(folder)
    assert errors == []
    return run_fetch(archive, sources, registry_root=folder, policy=policy)


def test_all_templates_extracted_and_archived_like_feed_items(sites: Fixture, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    ids = {**automatic_registry(sites, folder), **configured_registry(sites, folder)}
    with Archive(tmp_path / "a.sqlite") as archive:
        report = _run(archive, folder)
        assert {s.source_id: s.status for s in report.sources} == dict.fromkeys(ids, "ok")
        secret = sites.sites["custom"].articles[-1]
        for sid, kind in ids.items():
            site = sites.sites[kind]
            items = [a.item for a in archive.items(source_ids=[sid])]
            skip = [site.url(secret.path)] if kind == "custom" else []
            scores = score_site(site, items, skip=skip)
            got = shares(scores)
            assert all(s.found for s in scores), [s.why for s in scores]
            assert got == {"title": 1.0, "date": 1.0, "body": 1.0, "image": 1.0}, (
                sid, [s.why for s in scores if s.why])
            via = {i.via for i in items}
            assert via == {"wordpress" if sid == "api-wp" else
                           "html" if sid.startswith("sel-") or sid == "uji-joomla" else "sitemap"}
            # the same normalize path: sanitized HTML, plain summary, stable ids
            for it in items:
                assert "<script" not in it.content_html and it.summary and len(it.id) == 16
        # WordPress API extras: category/tag names, author, excerpt-based summary
        wp = next(archive.items(source_ids=["api-wp"]))
        assert "Berita" in wp.item.tags and wp.item.authors == ("Tim Humas Badung",)
        # The summary comes from the excerpt (its first paragraph), with WordPress's "[…]" tail
        # removed by the clean-up rules.
        assert wp.item.summary.startswith("Pemerintah Badung menyalurkan bantuan benih padi")
        assert "[…]" not in wp.item.summary and "&hellip;" not in wp.item.summary
        # robots.txt: the disallowed article was never requested
        assert sites.servers["custom"].hits(secret.path) == []


def test_nothing_changed_costs_one_request_per_source(sites: Fixture, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    ids = {**automatic_registry(sites, folder), **configured_registry(sites, folder)}
    with Archive(tmp_path / "a.sqlite") as archive:
        _run(archive, folder)
        before = sites.requests()
        report = _run(archive, folder)
        assert sites.requests() - before == len(ids)
        assert all(s.status == "not_modified" for s in report.sources)
        assert report.items_new == 0
        # robots.txt is asked once per site per day, not per run
        for srv in sites.servers.values():
            assert len(srv.hits("/robots.txt")) <= 1


def test_only_new_or_changed_pages_are_fetched(tmp_path: Path) -> None:
    with FeedServer() as srv:
        site = build_site("custom", srv, count=5)
        folder = tmp_path / "sources"
        write_registry(folder, "gowa", "custom", [{"sitemap": site.url("/sitemap.xml")}])
        write_registry(folder, "gowa-daftar", "custom",
                       [{"html": site.url("/berita/"), "item": "h2.judul a"}])
        with Archive(tmp_path / "a.sqlite") as archive:
            _run(archive, folder)
            first = {a.path: len(srv.hits(a.path)) for a in site.articles}
            # a new article on the listing and in the sitemap, and one article edited
            new = make_articles("custom", 7)[6]
            site.articles.insert(0, new)
            edited = site.articles[1]
            srv.add(new.path, body=custom_page(site, new), content_type=HTML, etag='"baru"')
            changed = custom_page(site, edited).replace(edited.paragraphs[-1], "Ralat: jadwal diundur.")
            srv.add(edited.path, body=changed, content_type=HTML, etag='"v2"')
            body = urlset(site, site.articles).replace(
                f"<loc>{site.url(edited.path)}</loc><lastmod>{edited.published.isoformat()}",
                f"<loc>{site.url(edited.path)}</loc><lastmod>2024-12-31T09:00:00+08:00")
            srv.add("/sitemap.xml", body=body, content_type="application/xml")
            srv.add("/berita/", body=listing(site, "custom"), content_type=HTML)
            srv.requests.clear()
            report = _run(archive, folder)
            paths = [r.path for r in srv.requests]
            assert paths.count(new.path) == 2  # once per source
            assert paths.count(edited.path) == 1  # sitemap lastmod changed; the listing cannot tell
            cond = next(r for r in srv.requests if r.path == edited.path)
            assert cond.headers.get("if-none-match") == f'"custom-{edited.index}-v1"'
            for a in site.articles[2:]:
                assert a.path not in paths, a.path
            assert sum(s.new for s in report.sources) == 2
            assert sum(s.updated for s in report.sources) == 1
            fixed = [i.item for i in archive.items(source_ids=["gowa"])
                     if i.item.link == site.url(edited.path)]
            assert "Ralat: jadwal diundur." in fixed[0].content_html
            # first run: every page fetched (once per source) except the one robots.txt forbids
            secret = max(first, key=lambda path: path == site.articles[-1].path)
            assert first.pop(secret) == 0
            assert set(first.values()) == {2}


def test_per_run_cap_defers_the_rest_to_the_next_run(tmp_path: Path) -> None:
    with FeedServer() as srv:
        site = build_site("og", srv, count=7)
        folder = tmp_path / "sources"
        write_registry(folder, "jayapura", "og", [{"sitemap": site.url("/sitemap-index.xml")}])
        capped = replace(FAST, max_pages_per_source=3)
        with Archive(tmp_path / "a.sqlite") as archive:
            r1 = _run(archive, folder, capped)
            assert r1.items_new == 3
            assert "menunggu giliran" in (r1.sources[0].feeds[0].note or "")
            newest = sorted(site.articles, key=lambda a: a.published, reverse=True)[:3]
            assert {i.item.link for i in archive.items()} == {site.url(a.path) for a in newest}
            r2 = _run(archive, folder, capped)  # the index did not change: the leftovers come next
            assert r2.items_new == 3
            r3 = _run(archive, folder, capped)
            assert r3.items_new == 1 and archive.count() == 7
            before = len(srv.requests)
            r4 = _run(archive, folder, capped)
            assert r4.sources[0].status == "not_modified" and len(srv.requests) - before == 1


@pytest.mark.parametrize("per_host", [1, 2])
def test_politeness_user_agent_pacing_and_concurrency(tmp_path: Path, per_host: int) -> None:
    lock = threading.Lock()
    active = peak = 0

    def slow(route: Route):
        def handle(_req: object) -> Route:
            nonlocal active, peak
            with lock:
                active += 1
                peak = max(peak, active)
            time.sleep(0.15)  # a slow pemda server: overlapping requests would show
            with lock:
                active -= 1
            return Route(body=route.body, content_type=route.content_type)
        return handle

    with FeedServer() as srv:
        site = build_site("joomla", srv, count=6)
        for a in site.articles:
            srv.routes[a.path] = Route(handler=slow(srv.routes[a.path]))
        folder = tmp_path / "sources"
        write_registry(folder, "kendal", "joomla",
                       [{"html": site.url("/index.php/berita"), "item": "h2.item-title a"}])
        policy = replace(FAST, page_delay=0.1, page_per_host_concurrency=per_host)
        with Archive(tmp_path / "a.sqlite") as archive:
            assert _run(archive, folder, policy).items_new == 6
        pages = [r for r in srv.requests if r.path.startswith("/index.php/berita/")]
        assert len(pages) == 6
        assert all(r.headers["user-agent"] == DEFAULT_USER_AGENT for r in srv.requests)
        assert "Warta/" in DEFAULT_USER_AGENT and "https://" in DEFAULT_USER_AGENT
        assert 1 <= peak <= per_host  # never more article requests at once than allowed
        starts = sorted(r.time for r in pages)
        assert starts[-1] - starts[0] >= 5 * 0.1 * 0.9  # page_delay between starts on one host


def test_robots_disallow_and_unavailable_are_reported(tmp_path: Path) -> None:
    with FeedServer() as srv:
        site = build_site("custom", srv, count=3)
        srv.add("/robots.txt", body="User-agent: Warta\nDisallow: /berita/\n", content_type="text/plain")
        folder = tmp_path / "sources"
        write_registry(folder, "gowa", "custom", [{"html": site.url("/berita/"), "item": "h2.judul a"}])
        with Archive(tmp_path / "a.sqlite") as archive:
            report = _run(archive, folder)
            s = report.sources[0]
            assert s.status == "error" and s.error_class == "robots"
            assert s.error_message.startswith("robots.txt melarang")
            assert srv.hits("/berita/") == []
            health = archive.health()["gowa"]
            assert health.feeds[0].method == "html" and health.feeds[0].error_class == "robots"
    with FeedServer() as srv:
        site = build_site("custom", srv, count=3)
        srv.add("/robots.txt", status=503, body="sibuk", content_type="text/plain")
        folder = tmp_path / "sources2"
        write_registry(folder, "gowa", "custom", [{"html": site.url("/berita/"), "item": "h2.judul a"}])
        with Archive(tmp_path / "b.sqlite") as archive:
            report = _run(archive, folder)
            assert report.sources[0].error_class == "robots_unavailable"
            assert srv.hits("/berita/") == []


def test_page_byte_cap_and_non_html_pages(tmp_path: Path) -> None:
    with FeedServer() as srv:
        site = build_site("custom", srv, count=4)
        big, pdf = site.articles[0], site.articles[1]
        srv.routes[big.path].body = custom_page(site, big) + "<!--" + "x" * 40_000 + "-->"
        srv.routes[pdf.path] = Route(body=b"%PDF-1.4", content_type="application/pdf")
        folder = tmp_path / "sources"
        write_registry(folder, "gowa", "custom", [{"html": site.url("/berita/"), "item": "h2.judul a"}])
        with Archive(tmp_path / "a.sqlite") as archive:
            report = _run(archive, folder, replace(FAST, max_page_bytes=20_000))
            s = report.sources[0]
            assert s.status == "ok" and s.new == 1  # the 4th is disallowed by robots.txt
            assert "2 gagal" in (s.feeds[0].note or "")
            states = archive.page_states("gowa", [site.url(big.path), site.url(pdf.path)])
            assert states[site.url(big.path)].error_class == "too_large"
            assert states[site.url(pdf.path)].error_class == "not_html"
            srv.requests.clear()
            _run(archive, folder)  # nothing changed: failed-for-good pages are not retried
            assert [r.path for r in srv.requests] == ["/berita/"]


def test_wordpress_paging_until_known_posts(tmp_path: Path) -> None:
    with FeedServer() as srv:
        site = build_site("wp", srv, count=25)
        folder = tmp_path / "sources"
        write_registry(folder, "badung", "wp", [{"wordpress": site.url("/")}])
        with Archive(tmp_path / "a.sqlite") as archive:
            r1 = _run(archive, folder)
            assert r1.items_new == 25
            api_hits = srv.hits("/wp-json/wp/v2/posts")
            assert sorted(_page_no(h.path) for h in api_hits) == ["1", "2"]
            assert "_embed" in api_hits[0].path
            # one more post: page 1 changes, but it holds known posts, so page 2 is not read
            extra = make_articles("wp", 26)[25]
            site.articles.append(replace(extra, published=max(a.published for a in site.articles)
                                         + (extra.published - extra.published) + _hours(1)))
            srv.requests.clear()
            r2 = _run(archive, folder)
            assert r2.items_new == 1
            assert [_page_no(h.path) for h in srv.hits("/wp-json/wp/v2/posts")] == ["1"]
            item = next(archive.items(source_ids=["badung"])).item
            assert item.published.utcoffset() == _hours(8)  # date_gmt read as UTC, shown in WITA
            assert item.image == site.image_url(site.articles[-1])


def _hours(n: int) -> timedelta:
    return timedelta(hours=n)


def _page_no(path: str) -> str:
    m = re.search(r"[?&]page=(\d+)", path)
    return m.group(1) if m else ""


@pytest.mark.parametrize("off", ["rest_disabled", "html"])
def test_wordpress_api_off_falls_back_to_the_feed(tmp_path: Path, off: str) -> None:
    with FeedServer() as srv:
        site = build_site("wp", srv, count=4, wp_api=off != "rest_disabled")
        if off == "html":
            srv.add("/wp-json/wp/v2/posts", body="<html><body>Beranda</body></html>", content_type=HTML)
        folder = tmp_path / "sources"
        write_registry(folder, "badung", "wp", [{"wordpress": site.url("/")}])
        with Archive(tmp_path / "a.sqlite") as archive:
            report = _run(archive, folder)
            f = report.sources[0].feeds[0]
            assert report.sources[0].status == "ok" and report.items_new == 4
            assert f.method == "wordpress" and f.used == "feed"
            assert "API WordPress tidak dapat dipakai" in (f.note or "") and "/feed/" in (f.note or "")
            assert {i.item.via for i in archive.items()} == {"feed"}
            doc = api.sources_document(load_registry(folder)[0], archive.health(), {})
            row = doc["sources"][0]
            assert row["method"] == "wordpress"
            assert "API WordPress tidak dapat dipakai" in row["methods"][0]["note"]


def test_sources_json_says_method_and_why_it_failed(tmp_path: Path) -> None:
    with FeedServer() as srv:
        srv.add("/feed/", body="<!DOCTYPE html><html><body>Beranda</body></html>", content_type=HTML)
        srv.add("/rss", status=403, body="ditolak", content_type="text/plain")
        srv.add("/rss.xml", body=rss([{"title": "Satu", "guid": "1",
                                        "date": "Mon, 02 Dec 2024 10:15:00 +0700"}]))
        folder = tmp_path / "sources"
        write_registry(folder, "kemenbaru", "joomla",
                       [srv.url("/feed/"), srv.url("/rss"), srv.url("/rss.xml")])
        with Archive(tmp_path / "a.sqlite") as archive:
            _run(archive, folder)
            doc = api.sources_document(load_registry(folder)[0], archive.health(), {})
        row = doc["sources"][0]
        assert row["method"] == "feed"
        errors = [m["error"] for m in row["methods"]]
        assert errors[0] == "/feed/ mengembalikan halaman HTML, bukan feed RSS/Atom"
        assert errors[1].startswith("diblokir 403")
        assert errors[2] is None and row["methods"][2]["status"] == "ok"
        json.dumps(doc)  # serialisable as the public file is


def test_migration_two_upgrades_an_existing_archive(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version=1; COMMIT;")
    conn.execute("INSERT INTO feeds (url, source_id) VALUES ('https://contoh.go.id/feed/', 'x')")
    conn.commit()
    conn.close()
    with Archive(path) as archive:
        assert archive.schema_version == len(MIGRATIONS) >= 2
        assert archive.health() == {}
        row = archive.conn.execute("SELECT method FROM feeds").fetchone()
        assert row["method"] == "feed"
        assert archive.page_states("x", ["https://contoh.go.id/a"]) == {}


def test_news_sitemaps_are_read_even_when_the_index_goes_stale(tmp_path: Path) -> None:
    from tests.support.sites import og_page

    with FeedServer() as srv:
        site = build_site("og", srv, count=3)
        folder = tmp_path / "sources"
        write_registry(folder, "jayapura", "og", [{"sitemap": site.url("/sitemap-index.xml")}])
        with Archive(tmp_path / "a.sqlite") as archive:
            assert _run(archive, folder).items_new == 3
            assert archive.pages_of_kind("jayapura", "news-sitemap") == [site.url("/sitemap-news.xml")]
            # a new article in the news sitemap; the index still shows yesterday's lastmod
            new = make_articles("og", 4)[3]
            site.articles.insert(0, new)
            srv.add(new.path, body=og_page(site, new), content_type=HTML)
            srv.add("/sitemap-news.xml", body=urlset(site, site.articles, news=True),
                    content_type="application/xml")
            srv.requests.clear()
            report = _run(archive, folder)
            assert report.items_new == 1
            assert [r.path for r in srv.requests] == ["/sitemap-news.xml", new.path]
            srv.requests.clear()
            assert _run(archive, folder).sources[0].status == "not_modified"
            assert len(srv.requests) == 1  # the news sitemap only (same bytes)
            # once the index is older than sitemap_index_ttl it is read again
            srv.requests.clear()
            _run(archive, folder, replace(FAST, sitemap_index_ttl=0))
            assert "/sitemap-index.xml" in [r.path for r in srv.requests]
