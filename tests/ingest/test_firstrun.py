"""Sources registered with ``discover: true``: the fetch run finds their feed itself.

Real sites on 127.0.0.1 (the four fixture CMSs of the feedless methods, an
empty site, a closed port), a real archive file, the real fetch run.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from warta.archive.store import Archive
from warta.core.records import FeedSpec
from warta.ingest import firstrun
from warta.ingest.fetch import FetchPolicy
from warta.ingest.run import run_fetch
from warta.site.health import compute_health
from warta.sources.registry import load_registry

from tests.support.extract_eval import Fixture
from tests.support.server import FeedServer

POLICY = FetchPolicy(retries=0, page_delay=0.02, total_timeout=3)
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def empty() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        srv.add("/", body="<html><head><title>Situs Resmi</title></head><body><p>Sedang "
                "dibangun</p></body></html>", content_type="text/html; charset=utf-8")
        yield srv


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def entry(folder: Path, sid: str, homepage: str, *, kind: str = "pemkab",
          region: str = "33.01", **extra: object) -> Path:
    data = {"id": sid, "name": f"Humas {sid}", "kind": kind, "region": region,
            "homepage": homepage, "discover": True, "ref": "daftar uji", **extra}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sid}.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def registry(tmp_path: Path, fx: Fixture, empty: FeedServer) -> Path:
    reg = tmp_path / "reg"
    for n, kind in enumerate(("wp", "joomla", "custom", "og"), start=1):
        entry(reg, f"situs-{kind}", fx.sites[kind].url("/"), region=f"33.0{n}")
    entry(reg, "situs-kosong", empty.url("/"), region="33.05")
    entry(reg, "situs-mati", f"http://127.0.0.1:{closed_port()}/", region="33.06")
    return reg


def fetch(reg: Path, db: Path, at: datetime, **kwargs: object):
    sources, errors = load_registry(reg)
    assert errors == []
    with Archive(db) as archive:
        return run_fetch(archive, sources, registry_root=reg, policy=POLICY,
                         clock=lambda: at, **kwargs)  # type: ignore[arg-type]


def test_first_run_finds_stores_and_reads_each_sites_way(sites: Fixture, empty: FeedServer,
                                                         tmp_path: Path) -> None:
    reg = registry(tmp_path, sites, empty)
    db = tmp_path / "warta.sqlite"
    report = fetch(reg, db, T0)
    by_id = {s.source_id: s for s in report.sources}
    # The best way of each CMS, as `invoke discover` would pick it.
    assert {sid: by_id[sid].discovered for sid in by_id} == {
        "situs-wp": "wordpress", "situs-joomla": "html", "situs-custom": "sitemap",
        "situs-og": "sitemap", "situs-kosong": None, "situs-mati": None}
    # Nine articles a site; robots.txt of the custom CMS forbids one of them.
    for kind, n in {"wp": 9, "joomla": 9, "custom": 8, "og": 9}.items():
        assert by_id[f"situs-{kind}"].status == "ok" and by_id[f"situs-{kind}"].new == n, kind
    assert by_id["situs-kosong"].status == "error"
    assert "belum ditemukan feed" in (by_id["situs-kosong"].error_message or "")
    assert by_id["situs-mati"].status == "error"
    assert (by_id["situs-mati"].error_message or "").startswith("beranda tidak dapat dibuka")
    assert report.to_json()["sources_discovered"] == 4
    # The operator's closing table says what was found where.
    from rich.console import Console
    from warta.ops.cli import summary_table

    console = Console(record=True, width=400)
    console.print(summary_table(report))
    table = console.export_text()
    assert f"ditemukan otomatis: API WordPress {sites.sites['wp'].url('/')}" in table

    with Archive(db) as archive:
        wp = archive.discovered("situs-wp")
        assert wp is not None and wp.methods == (FeedSpec(sites.sites["wp"].url("/"), "wordpress"),)
        assert wp.found_by.startswith('<link rel="https://api.w.org/">') and wp.items == 9
        joomla = archive.discovered("situs-joomla")
        assert joomla is not None and joomla.methods[0].options == {"item": "h2.item-title a"}
        dead = archive.discovered("situs-mati")
        assert dead is not None and dead.methods == () and dead.consecutive_failures == 1
        assert dead.next_attempt == T0 + timedelta(minutes=20)
        # The search stopped at the first stage that worked: the WordPress site was asked
        # for no sitemap and no listing page.
        wp_paths = {r.path for r in sites.servers["wp"].requests}
        assert not any("sitemap" in p for p in wp_paths) and "/berita/" not in wp_paths


def test_later_runs_read_the_stored_way_and_back_off_the_failures(
        sites: Fixture, empty: FeedServer, tmp_path: Path) -> None:
    reg = registry(tmp_path, sites, empty)
    db = tmp_path / "warta.sqlite"
    fetch(reg, db, T0)
    before = {k: len(s.requests) for k, s in sites.servers.items()}
    empty_before = len(empty.requests)

    report = fetch(reg, db, T0 + timedelta(minutes=10))
    by_id = {s.source_id: s for s in report.sources}
    # Read through the stored method: no homepage request, nothing searched again.
    for kind, srv in sites.servers.items():
        new = srv.requests[before[kind]:]
        assert new and all(r.path != "/" for r in new), (kind, [r.path for r in new])
        assert by_id[f"situs-{kind}"].discovered is None
        assert by_id[f"situs-{kind}"].status in ("ok", "not_modified")
    # The empty site is backing off: not asked at all.
    assert len(empty.requests) == empty_before
    assert by_id["situs-kosong"].status == "deferred"
    assert "ditunda" in (by_id["situs-kosong"].error_message or "")

    # Past its backoff it is searched again, and a second failure doubles the wait.
    fetch(reg, db, T0 + timedelta(minutes=21))
    assert empty.hits("/")[-1:] and len(empty.requests) > empty_before
    with Archive(db) as archive:
        row = archive.discovered("situs-kosong")
        assert row is not None and row.consecutive_failures == 2
        assert row.next_attempt == T0 + timedelta(minutes=21 + 40)


def test_status_says_unverified_until_a_method_worked(sites: Fixture, empty: FeedServer,
                                                      tmp_path: Path) -> None:
    reg = registry(tmp_path, sites, empty)
    db = tmp_path / "warta.sqlite"
    sources, _ = load_registry(reg)
    with Archive(db) as archive:
        before = compute_health(archive.conn, sources, T0)
    assert {s.status for s in before.sources} == {"unverified"}
    fetch(reg, db, T0)
    with Archive(db) as archive:
        after = {s.source_id: s for s in compute_health(archive.conn, sources, T0).sources}
    assert after["situs-wp"].status == "ok" and after["situs-wp"].coverage == "ok"
    for sid in ("situs-kosong", "situs-mati"):
        assert after[sid].status == "unverified" and after[sid].coverage == "unverified"
        assert after[sid].status_label == "belum diverifikasi"
        assert after[sid].last_error  # the reason is shown beside the label


def test_a_new_homepage_is_searched_at_once(sites: Fixture, empty: FeedServer,
                                            tmp_path: Path) -> None:
    reg = tmp_path / "reg"
    path = entry(reg, "situs-pindah", empty.url("/"))
    db = tmp_path / "warta.sqlite"
    assert fetch(reg, db, T0).sources[0].status == "error"
    # The office moved to a WordPress site: the registry is edited, the backoff does not apply.
    path.write_text(path.read_text().replace(empty.url("/"), sites.sites["wp"].url("/")))
    report = fetch(reg, db, T0 + timedelta(minutes=1))
    assert report.sources[0].discovered == "wordpress" and report.sources[0].new == 9


def test_methods_that_keep_failing_are_searched_for_again(sites: Fixture, tmp_path: Path) -> None:
    with FeedServer() as srv:
        home = ('<html><head><link rel="alternate" type="application/rss+xml" '
                'href="/rss-lama.xml"></head><body>Humas</body></html>')
        srv.add("/", body=home, content_type="text/html")
        srv.add("/rss-lama.xml", body=(
            "<rss version='2.0'><channel><title>Lama</title><item><title>Berita lama</title>"
            "<link>https://x.go.id/1</link><guid>1</guid></item></channel></rss>"))
        reg = tmp_path / "reg"
        entry(reg, "situs-berubah", srv.url("/"))
        db = tmp_path / "warta.sqlite"
        assert fetch(reg, db, T0).sources[0].discovered == "feed"
        # The site moves its feed: the stored one fails from now on.
        srv.routes.pop("/rss-lama.xml")
        srv.routes["/"].body = home.replace("/rss-lama.xml", "/feed/")
        srv.add("/feed/", body=(
            "<rss version='2.0'><channel><title>Baru</title><item><title>Berita baru</title>"
            "<link>https://x.go.id/2</link><guid>2</guid></item></channel></rss>"))
        at = T0
        for _ in range(firstrun.REDISCOVER_AFTER):
            at += timedelta(days=1)  # past every backoff
            report = fetch(reg, db, at)
            assert report.sources[0].discovered is None and report.sources[0].status == "error"
        report = fetch(reg, db, at + timedelta(days=1))
        assert report.sources[0].discovered == "feed" and report.sources[0].new == 1
        with Archive(db) as archive:
            row = archive.discovered("situs-berubah")
            assert row is not None and row.methods == (FeedSpec(srv.url("/feed/")),)


def test_sources_json_shows_what_was_found_and_where_the_entry_came_from(
        sites: Fixture, empty: FeedServer, tmp_path: Path) -> None:
    import json

    import jsonschema
    from warta.site.api import sources_document

    reg = registry(tmp_path, sites, empty)
    db = tmp_path / "warta.sqlite"
    fetch(reg, db, T0)
    sources, _ = load_registry(reg)
    with Archive(db) as archive:
        stats = compute_health(archive.conn, sources, T0).by_id
        doc = sources_document(sources, archive.health(), {"SITEURL": "https://warta.example"},
                               now=T0, stats=stats)
    schema = json.loads((Path(__file__).parents[2] / "plugins/warta/schema/sources.schema.json")
                        .read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(doc)) == []
    rows = {r["id"]: r for r in doc["sources"]}
    wp = rows["situs-wp"]
    assert wp["discover"] is True and wp["feeds"] == [] and wp["ref"] == ["daftar uji"]
    assert wp["method"] == "wordpress" and wp["fetch_status"] == "ok"
    assert [(m["method"], m["url"], m["discovered"], m["status"]) for m in wp["methods"]] == [
        ("wordpress", sites.sites["wp"].url("/"), True, "ok")]
    dead = rows["situs-mati"]
    assert dead["fetch_status"] == "unverified" and dead["methods"] == []
    assert dead["status"] == "error" and dead["last_error"].startswith("beranda tidak dapat dibuka")


def test_a_paced_client_spaces_requests_to_one_host_even_when_they_queued_together() -> None:
    """Two requests to one host wait behind a slow one for the only global slot; paced
    before that queue they would leave together, paced inside it they keep the gap."""
    import asyncio

    from warta.ingest.fetch import Fetcher
    from warta.ingest.polite import PageGate

    with FeedServer() as a, FeedServer() as b:
        a.add("/1", body="satu", content_type="text/plain")
        a.add("/2", body="dua", content_type="text/plain")
        b.add("/lambat", body="lambat", content_type="text/plain", delay=0.6)

        async def go() -> None:
            async with Fetcher(FetchPolicy(total_concurrency=1, retries=0)) as fetcher:
                paced = fetcher.paced(PageGate(2, 0.4))
                slow = asyncio.create_task(fetcher.fetch(b.url("/lambat")))
                await asyncio.sleep(0.1)  # the slow request holds the only slot
                results = await asyncio.gather(paced.fetch(a.url("/1")), paced.fetch(a.url("/2")))
                await slow
                assert all(r.ok for r in results)

        asyncio.run(go())
        first, second = sorted(r.time for r in a.requests)
        assert second - first >= 0.35


def test_a_search_that_breaks_on_one_site_fails_that_source_alone(
        sites: Fixture, empty: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from warta.ingest import discover

    real = discover._read_homepage

    def breaks_on_the_empty_site(page_url: str, html: str, sitemaps: list[str]):
        if page_url == empty.url("/"):
            raise RuntimeError("halaman aneh")
        return real(page_url, html, sitemaps)

    monkeypatch.setattr(discover, "_read_homepage", breaks_on_the_empty_site)
    reg = registry(tmp_path, sites, empty)
    report = fetch(reg, tmp_path / "warta.sqlite", T0)
    by_id = {s.source_id: s for s in report.sources}
    assert by_id["situs-kosong"].status == "error"
    assert by_id["situs-kosong"].error_class == "internal"
    assert "RuntimeError: halaman aneh" in (by_id["situs-kosong"].error_message or "")
    assert by_id["situs-wp"].discovered == "wordpress" and by_id["situs-wp"].new == 9
    with Archive(tmp_path / "warta.sqlite") as archive:
        row = archive.discovered("situs-kosong")
        assert row is not None and row.next_attempt == T0 + timedelta(minutes=20)
