"""Fetch → parse → archive against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import gzip
import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warta.archive.store import Archive
from warta.core.records import FetchResult, Item, RawEntry, Source
from warta.ingest import workers as feedworkers
from warta.ingest.fetch import FetchPolicy
from warta.ingest.run import run_fetch
from warta.sources.registry import load_registry

from tests.conftest import rss, write_source
from tests.support.server import FeedServer, Route

FAST = FetchPolicy(total_timeout=2.0, read_timeout=1.5, connect_timeout=1.0, retries=1,
                   backoff_base=0.05, max_bytes=200_000)

ITEMS = [
    {"title": "Bupati Resmikan Pasar Rakyat", "link": "https://contoh.go.id/berita/pasar",
     "guid": "https://contoh.go.id/?p=1", "date": "Mon, 23 Nov 2026 09:15:00 +0700",
     "body": "<p>CILACAP – Pasar rakyat yang baru dibangun resmi dibuka untuk pedagang.</p>"},
    {"title": "Vaksinasi Anak Sekolah Dimulai", "link": "https://contoh.go.id/berita/vaksin",
     "guid": "https://contoh.go.id/?p=2", "date": "Sun, 22 Nov 2026 14:00:00 +0700",
     "body": "<p>Dinas Kesehatan memulai vaksinasi anak sekolah dasar pekan ini.</p>"},
]


def fetch(reg: Path, db: Path, policy: FetchPolicy = FAST, *, force: bool = True, clock=None):
    sources, errors = load_registry(reg)
    assert errors == []
    with Archive(db) as archive:
        kwargs = {"clock": clock} if clock else {}
        return run_fetch(archive, sources, registry_root=reg, policy=policy, force=force,
                         **kwargs)


def test_fetch_archives_items_with_source_zone_dates(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/feed", body=rss(ITEMS))
    write_source(tmp_path / "reg", "pemkab-a", [url])
    report = fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    assert report.count("ok") == 1 and report.items_new == 2
    with Archive(tmp_path / "a.sqlite") as archive:
        items = list(archive.items())
    assert [a.item.title for a in items] == ["Bupati Resmikan Pasar Rakyat",
                                            "Vaksinasi Anak Sekolah Dimulai"]
    first = items[0].item
    assert first.published.isoformat() == "2026-11-23T09:15:00+07:00"
    assert first.link == "https://contoh.go.id/berita/pasar"
    assert items[0].story == first.id
    ua = server.hits("/feed")[0].headers["user-agent"]
    assert ua.startswith("Warta/") and "warta" in ua.lower()


def test_naive_dates_are_in_the_source_zone_not_utc(server: FeedServer, tmp_path: Path) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><id>urn:x</id><updated>2026-11-23T10:00:00</updated>
<entry><title>Rapat Koordinasi</title><id>urn:x:1</id><link href="https://x.go.id/1"/>
<updated>2026-11-23T10:00:00</updated><content type="html">&lt;p&gt;Isi&lt;/p&gt;</content></entry></feed>"""
    url = server.add("/atom", body=atom, content_type="application/atom+xml")
    write_source(tmp_path / "reg", "pemkot-makassar", [url], kind="pemkot", region="73.71")
    fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    with Archive(tmp_path / "a.sqlite") as archive:
        (entry,) = archive.items()
    assert entry.item.published.isoformat() == "2026-11-23T10:00:00+08:00"


def test_conditional_get_with_etag_costs_nothing_second_time(server: FeedServer,
                                                             tmp_path: Path) -> None:
    url = server.add("/feed", body=rss(ITEMS), etag='"v1"')
    url2 = server.add("/lm", body=rss(ITEMS[:1]), last_modified="Mon, 23 Nov 2026 03:00:00 GMT")
    write_source(tmp_path / "reg", "pemkab-a", [url, url2])
    fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    report = fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    assert report.sources[0].status == "not_modified"
    assert report.items_new == 0
    assert server.hits("/feed")[1].headers.get("if-none-match") == '"v1"'
    assert server.hits("/lm")[1].headers.get("if-modified-since") == "Mon, 23 Nov 2026 03:00:00 GMT"
    assert [f.http_status for f in report.sources[0].feeds] == [304, 304]


def test_unchanged_bytes_without_validators_are_not_reparsed(server: FeedServer,
                                                             tmp_path: Path) -> None:
    url = server.add("/feed", body=rss(ITEMS))
    write_source(tmp_path / "reg", "pemkab-a", [url])
    fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    report = fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    assert report.sources[0].status == "not_modified"


def test_items_dropping_out_stay_and_updates_keep_first_seen(server: FeedServer,
                                                             tmp_path: Path) -> None:
    url = server.add("/feed", body=rss(ITEMS))
    write_source(tmp_path / "reg", "pemkab-a", [url])
    db = tmp_path / "a.sqlite"
    fetch(tmp_path / "reg", db)
    with Archive(db) as archive:
        before = {a.item.key: a for a in archive.items()}
    changed = dict(ITEMS[0], title="Bupati Resmikan Pasar Rakyat Modern")
    server.add("/feed", body=rss([changed]))  # item 2 dropped out, item 1 edited
    report = fetch(tmp_path / "reg", db)
    assert report.items_new == 0 and report.items_updated == 1
    with Archive(db) as archive:
        after = {a.item.key: a for a in archive.items()}
    assert set(after) == set(before)  # nothing lost
    edited = after["https://contoh.go.id/?p=1"]
    assert edited.item.title == "Bupati Resmikan Pasar Rakyat Modern"
    assert edited.first_seen == before["https://contoh.go.id/?p=1"].first_seen
    assert edited.modified_at is not None
    assert after["https://contoh.go.id/?p=2"].item.title == "Vaksinasi Anak Sekolah Dimulai"


def test_missing_guids_get_a_stable_key(server: FeedServer, tmp_path: Path) -> None:
    no_guid = [{k: v for k, v in it.items() if k != "guid"} for it in ITEMS]
    no_guid.append({"title": "Tanpa Tautan", "body": "<p>Hanya teks tanpa guid dan link.</p>"})
    url = server.add("/feed", body=rss(no_guid))
    write_source(tmp_path / "reg", "pemkab-a", [url])
    db = tmp_path / "a.sqlite"
    fetch(tmp_path / "reg", db)
    server.add("/feed", body=rss(no_guid) + "\n")  # different bytes, same items
    report = fetch(tmp_path / "reg", db)
    assert report.items_new == 0
    with Archive(db) as archive:
        keys = sorted(a.item.key for a in archive.items())
    assert keys[0].startswith("https://contoh.go.id/berita/")
    assert any(k.startswith("sha1:") for k in keys)
    assert archive_count(db) == 3


def archive_count(db: Path) -> int:
    with Archive(db) as archive:
        return archive.count()


@pytest.mark.parametrize(("encoding", "declared_in"), [
    ("iso-8859-1", "header"), ("windows-1252", "xml"), ("utf-8", "none"),
])
def test_encodings(server: FeedServer, tmp_path: Path, encoding: str, declared_in: str) -> None:
    title = "Peresmian Kafé Ramah Difabel — Kabupaten"
    doc = rss([{"title": title, "guid": "g1", "link": "https://x.go.id/1"}],
              encoding=encoding if declared_in == "xml" else "utf-8")
    if declared_in == "none":
        doc = doc.replace('<?xml version="1.0" encoding="utf-8"?>', "")
    data = doc.encode(encoding, errors="replace") if encoding != "iso-8859-1" else (
        doc.replace("—", "-").encode(encoding))
    ctype = f"application/rss+xml; charset={encoding}" if declared_in == "header" else (
        "application/rss+xml")
    url = server.add("/feed", body=data, content_type=ctype)
    write_source(tmp_path / "reg", "pemkab-a", [url])
    fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    with Archive(tmp_path / "a.sqlite") as archive:
        (entry,) = archive.items()
    assert "Kafé" in entry.item.title


def _failing_routes(server: FeedServer) -> dict[str, tuple[str, str | None]]:
    """path → (expected error class, expected fragment of the Indonesian message)."""
    server.add("/404", status=404, body="tidak ada")
    server.add("/410", status=410, body="hilang")
    server.add("/500", status=500, body="rusak")
    server.add("/html", body="<!DOCTYPE html><html><head><title>Beranda</title></head>"
               "<body><p>Selamat datang</p></body></html>", content_type="text/html")
    server.add("/invalid", body='<?xml version="1.0"?><rss version="2.0"><channel><<<>>>&&&</channel>',
               content_type="text/xml")
    server.add("/big", body=rss(ITEMS) + "<!--" + "x" * 400_000 + "-->")
    bomb = gzip.compress(b"<rss>" + b" " * 50_000_000)
    server.add("/bomb", body=bomb, headers={"Content-Encoding": "gzip"}, gzip=True)
    server.add("/loop1", redirect_to="/loop2")
    server.add("/loop2", redirect_to="/loop1")
    server.add("/hang", Route(body=rss(ITEMS), hang=True))
    server.add("/slow", Route(body=rss(ITEMS), delay=3.0))
    server.add("/403", status=403, body="WAF")
    return {
        "/404": ("http", "404"), "/410": ("http", "410"), "/500": ("http", "500"),
        "/html": ("not_a_feed", "HTML"), "/invalid": ("invalid_feed", None),
        "/big": ("too_large", "batas"), "/bomb": ("too_large", "batas"),
        "/loop1": ("redirects", "pengalihan"), "/hang": ("timeout", "batas waktu"),
        "/slow": ("timeout", "batas waktu"), "/403": ("http", "403"),
    }


def test_each_failure_is_recorded_and_never_stops_the_others(server: FeedServer,
                                                             tmp_path: Path) -> None:
    expected = _failing_routes(server)
    good = server.add("/good", body=rss(ITEMS))
    reg = tmp_path / "reg"
    for i, path in enumerate(expected):
        write_source(reg, f"gagal-{i}", [server.url(path)])
    write_source(reg, "baik", [good])
    db = tmp_path / "a.sqlite"
    started = datetime.now(UTC)
    report = fetch(reg, db)
    elapsed = (datetime.now(UTC) - started).total_seconds()
    by_id = {s.source_id: s for s in report.sources}
    assert by_id["baik"].status == "ok" and by_id["baik"].new == 2
    with Archive(db) as archive:
        health = archive.health()
    for i, (path, (cls, fragment)) in enumerate(expected.items()):
        outcome = by_id[f"gagal-{i}"]
        assert outcome.status == "error", path
        assert outcome.error_class == cls, (path, outcome.error_class, outcome.error_message)
        h = health[f"gagal-{i}"]
        assert h.error_class == cls and h.consecutive_failures == 1
        assert h.failing_since is not None and h.last_success is None
        if fragment:
            assert fragment in (h.error_message or ""), (path, h.error_message)
    # 5xx and timeouts are retried (policy.retries = 1); 404/410 are not.
    assert len(server.hits("/500")) == 2
    assert len(server.hits("/404")) == 1 and len(server.hits("/410")) == 1
    assert elapsed < 15  # hanging responses were cut by the total timeout


def test_failures_accumulate_and_success_resets(server: FeedServer, tmp_path: Path) -> None:
    server.add("/feed", status=503, body="")
    reg = tmp_path / "reg"
    write_source(reg, "pemkab-a", [server.url("/feed")])
    db = tmp_path / "a.sqlite"
    fetch(reg, db)
    fetch(reg, db)
    with Archive(db) as archive:
        h = archive.health()["pemkab-a"]
        assert h.consecutive_failures == 2
        first_failure = h.failing_since
    server.add("/feed", body=rss(ITEMS))
    fetch(reg, db)
    with Archive(db) as archive:
        h = archive.health()["pemkab-a"]
    assert first_failure is not None
    assert h.consecutive_failures == 0 and h.failing_since is None and h.last_success is not None
    assert h.item_count == 2


def test_retry_after_503_then_success(server: FeedServer, tmp_path: Path) -> None:
    calls = {"n": 0}

    def flaky(_handler: object) -> Route:
        calls["n"] += 1
        if calls["n"] == 1:
            return Route(status=503, headers={"Retry-After": "0"})
        return Route(body=rss(ITEMS))

    server.add("/feed", Route(handler=flaky))
    write_source(tmp_path / "reg", "pemkab-a", [server.url("/feed")])
    report = fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    assert report.sources[0].status == "ok" and report.items_new == 2
    assert calls["n"] == 2


def test_schema_is_versioned_and_migrations_idempotent(tmp_path: Path) -> None:
    from warta.archive.migrations import MIGRATIONS

    db = tmp_path / "a.sqlite"
    Archive(db).close()
    with Archive(db) as archive:
        assert archive.schema_version == len(MIGRATIONS)
    conn = sqlite3.connect(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"items", "feeds", "sources", "runs"} <= tables


def test_slightly_broken_xml_is_recovered_with_a_warning(server: FeedServer, tmp_path: Path) -> None:
    doc = rss([{"title": "Dana & Bantuan Sosial", "guid": "g1", "link": "https://x.go.id/1"}])
    url = server.add("/feed", body=doc, content_type="text/xml")
    write_source(tmp_path / "reg", "pemkab-a", [url])
    report = fetch(tmp_path / "reg", tmp_path / "a.sqlite")
    feed = report.sources[0].feeds[0]
    assert feed.status == "ok" and feed.new == 1
    assert feed.warning and "well-formed" in feed.warning


def test_fetch_killed_midway_leaves_a_consistent_archive_and_resumes(server: FeedServer,
                                                                    tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    reg = tmp_path / "reg"
    for i in range(24):
        items = [dict(it, guid=f"{i}-{it['guid']}", title=f"{it['title']} {i}") for it in ITEMS]
        # Staggered latencies: some feeds finish before the kill, others are in flight.
        server.add(f"/f{i}", Route(body=rss(items), delay=0.1 + (i % 8) * 0.5))
        write_source(reg, f"sumber-{i:02d}", [server.url(f"/f{i}")])
    db = tmp_path / "a.sqlite"
    code = ("from warta.ops import cli; "
            f"cli.fetch({str(reg)!r}, {str(db)!r}, quiet=True, run_log=None)")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=root)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if db.exists():
            try:
                if archive_count(db) >= 6:
                    break
            except sqlite3.OperationalError:
                continue
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    conn.close()
    assert 0 < partial < 48
    report = fetch(reg, db, FetchPolicy(total_timeout=10, retries=0))
    assert archive_count(db) == 48
    assert report.items_new == 48 - partial
    # The killed run's worker signatures died with its TEMP table: the items it had
    # stored are signed from the archive by the next run: none is left out of stories.
    conn = sqlite3.connect(db)
    unsigned = conn.execute(
        "SELECT COUNT(*) FROM items i LEFT JOIN story_sigs s ON s.item_id = i.id "
        "WHERE s.item_id IS NULL OR s.content_hash != i.content_hash").fetchone()[0]
    conn.close()
    assert unsigned == 0


def test_failing_feeds_back_off_exponentially_but_are_never_abandoned(server: FeedServer,
                                                                      tmp_path: Path) -> None:
    from datetime import timedelta

    from warta.archive.feedstate import backoff_delay

    server.add("/feed", status=500)
    reg = tmp_path / "reg"
    write_source(reg, "pemkab-a", [server.url("/feed")])
    db = tmp_path / "a.sqlite"
    now = [datetime(2026, 11, 24, 1, 0, tzinfo=UTC)]
    clock = lambda: now[0]  # noqa: E731
    fetch(reg, db, force=False, clock=clock)
    assert len(server.hits("/feed")) == 2  # one retry within the run
    now[0] += timedelta(minutes=10)
    report = fetch(reg, db, force=False, clock=clock)
    assert report.sources[0].status == "deferred"
    assert len(server.hits("/feed")) == 2  # not contacted while backing off
    now[0] += timedelta(minutes=15)  # past the 20-minute first backoff
    fetch(reg, db, force=False, clock=clock)
    assert len(server.hits("/feed")) == 4
    with Archive(db) as archive:
        assert archive.health()["pemkab-a"].consecutive_failures == 2
    assert [backoff_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=20), timedelta(minutes=40), timedelta(minutes=80)]
    assert backoff_delay(30) == timedelta(days=1)  # capped, never "given up"


def test_migration_nine_moves_raw_entries_out_of_items(tmp_path: Path) -> None:
    """An archive made before migration 9 keeps every item and its raw entry."""
    import json
    import sqlite3

    from warta.archive.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript("BEGIN; " + "; ".join(MIGRATIONS[:8]) + "; PRAGMA user_version=8; COMMIT;")
    raw = {"guid": "https://contoh.go.id/?p=1", "title": "Judul mentah",
           "content_html": "<p>Isi mentah</p>"}
    conn.execute(
        "INSERT INTO items (id, source_id, key, link, title, content_html, summary, published, "
        "published_ts, raw, content_hash, first_seen, last_seen, story, sort_ts) VALUES "
        "('i1', 's', 'k', 'https://contoh.go.id/?p=1', 'Judul', '<p>Isi</p>', 'Isi', "
        "'2026-11-20T09:00:00+07:00', 1779242400, ?, 'h', '2026-11-20T02:05:00+00:00', "
        "'2026-11-20T02:05:00+00:00', 'i1', 1779242400)", (json.dumps(raw),))
    conn.commit()
    conn.close()
    with Archive(path) as archive:
        assert archive.schema_version == len(MIGRATIONS) >= 9
        columns = {r[1] for r in archive.conn.execute("PRAGMA table_info(items)")}
        assert "raw" not in columns and "content_hash" in columns
        (entry,) = list(archive.items())
        assert entry.item.title == "Judul" and entry.content_hash == "h"
        moved = archive.raw_entry("i1")
        assert moved is not None and moved.title == "Judul mentah"


def _good_sources(server: FeedServer, reg: Path, count: int) -> list[Source]:
    """``count`` sources ``baik-0``… with a working feed of two items each, registered."""
    for i in range(count):
        items = [{**it, "guid": f"{it['guid']}-{i}", "link": f"{it['link']}-{i}"} for it in ITEMS]
        write_source(reg, f"baik-{i}", [server.add(f"/baik-{i}", body=rss(items))])
    sources, errors = load_registry(reg)
    assert errors == []
    return sources


def test_worker_processes_parse_spooled_bodies(server: FeedServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The fetch worker path (bodies wait in files, parsed in processes) stores the same items
    and leaves no file behind."""
    monkeypatch.setattr(feedworkers.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    killed = tmp_path / "tmp" / "warta-spool-killed"  # a SIGKILLed run's, a day old
    (killed / "1.body").parent.mkdir()
    (killed / "1.body").write_bytes(b"<rss/>")
    os.utime(killed, (time.time() - 86400, time.time() - 86400))
    recent = tmp_path / "tmp" / "warta-spool-running"  # another run's, in use
    recent.mkdir()
    expected = _failing_routes(server)
    reg = tmp_path / "reg"
    for i in range(3):
        items = [{**it, "guid": f"{it['guid']}-{i}", "link": f"{it['link']}-{i}"} for it in ITEMS]
        write_source(reg, f"baik-{i}", [server.add(f"/baik-{i}", body=rss(items))])
    for name in ("/html", "/invalid", "/hang"):
        write_source(reg, f"gagal{name.replace('/', '-')}", [server.url(name)])
    sources, errors = load_registry(reg)
    assert errors == []
    with Archive(tmp_path / "w.sqlite") as archive:
        report = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=2)
        by_id = {s.source_id: s for s in report.sources}
        for i in range(3):
            assert by_id[f"baik-{i}"].status == "ok" and by_id[f"baik-{i}"].new == 2
        for name in ("/html", "/invalid", "/hang"):
            assert by_id[f"gagal{name.replace('/', '-')}"].error_class == expected[name][0]
        assert archive.count() == 6
        stored = {a.item.title for a in archive.items()}
        assert stored == {it["title"] for it in ITEMS}
        assert all("Pasar" in a.item.content_html or "vaksinasi" in a.item.content_html
                   for a in archive.items())
    assert list((tmp_path / "tmp").glob("warta-spool-*")) == [recent]  # its own and the stale one gone


def test_a_body_that_cannot_be_spooled_fails_its_feed_alone(
        server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk while spooling: that feed is an internal error and is read again next run."""
    reg = tmp_path / "reg"
    sources = _good_sources(server, reg, 3)
    write_bytes = Path.write_bytes
    spooled: list[Path] = []

    def full_once(self: Path, data: bytes) -> int:
        if self.suffix == ".body" and not spooled:
            spooled.append(self)
            raise OSError(28, "No space left on device")
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_once)
    with Archive(tmp_path / "w.sqlite") as archive:
        first = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=2)
        failed = [s for s in first.sources if s.status == "error"]
        assert len(failed) == 1 and failed[0].error_class == "internal"
        assert "No space left" in (failed[0].error_message or "")
        assert archive.count() == 4 and not spooled[0].exists()
        assert sorted(s.status for s in run_fetch(  # backing off, as any failed feed
            archive, sources, registry_root=reg, policy=FAST, workers=2).sources) == [
                "deferred", "not_modified", "not_modified"]
        second = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=2, force=True)
        assert sorted(s.status for s in second.sources) == ["not_modified", "not_modified", "ok"]
        assert archive.count() == 6


def test_a_bug_while_reading_one_feed_fails_that_feed_alone(
        server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feed method runs under the same guard as every method: an exception it did not
    expect is that entry's internal error, recorded and backed off; the others are read."""
    reg = tmp_path / "reg"
    sources = _good_sources(server, reg, 3)
    parse = feedworkers.parse_and_normalize

    def broken_for_one(body: bytes, headers: dict[str, str], url: str, *rest: object):
        if url.endswith("/baik-1"):
            raise KeyError("bug")
        return parse(body, headers, url, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(feedworkers, "parse_and_normalize", broken_for_one)
    with Archive(tmp_path / "w.sqlite") as archive:
        first = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=0)
        by_id = {s.source_id: s for s in first.sources}
        assert by_id["baik-1"].status == "error" and by_id["baik-1"].error_class == "internal"
        assert "KeyError" in (by_id["baik-1"].error_message or "")
        assert by_id["baik-0"].new == by_id["baik-2"].new == 2 and archive.count() == 4
        health = archive.health()
        assert health["baik-1"].error_class == "internal"
        again = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=0)
        assert {s.source_id: s.status for s in again.sources}["baik-1"] == "deferred"


def test_a_run_of_304s_starts_no_worker_process(server: FeedServer, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes start with the first body to parse: an all-304 run has none, and
    two idle workers would be ~120 MB of its peak."""
    reg = tmp_path / "reg"
    sources = _good_sources(server, reg, 3)
    started: list[int] = []
    spawn = feedworkers.ProcessPoolExecutor._adjust_process_count

    def counted(self: feedworkers.ProcessPoolExecutor) -> None:
        before = len(self._processes)  # type: ignore[attr-defined]
        spawn(self)
        started.append(len(self._processes) - before)  # type: ignore[attr-defined]

    monkeypatch.setattr(feedworkers.ProcessPoolExecutor, "_adjust_process_count", counted)
    with Archive(tmp_path / "w.sqlite") as archive:
        first = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=2)
        assert [s.status for s in first.sources] == ["ok"] * 3 and sum(started) >= 1
        started.clear()
        second = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=2)
        assert [s.status for s in second.sources] == ["not_modified"] * 3
        assert sum(started) == 0


def _item(n: int, **changes: object) -> tuple[Item, RawEntry]:
    """A cleaned item and its raw entry, as a feed's reading would give them."""
    base = Item(id=f"item{n:012d}", source_id="pemkab-a", key=f"https://contoh.go.id/?p={n}",
                link=f"https://contoh.go.id/?p={n}", title=f"Berita {n}",
                content_html=f"<p>Isi berita {n}</p>", summary=f"Isi berita {n}",
                published=datetime(2026, 11, 20, 9, n % 60, tzinfo=UTC),
                tags=("Pemerintahan", "Désa"), credits={"foto": "Humas"})
    raw = RawEntry(guid=base.key, link=base.link, title=base.title,
                   content_html=base.content_html, summary_html="")
    return dataclasses.replace(base, **changes), raw  # type: ignore[arg-type]


def test_a_feed_batch_commits_its_items_and_fetch_state_together(tmp_path: Path) -> None:
    """A feed's items and the validators that mark them read commit as one: all or nothing."""
    db = tmp_path / "a.sqlite"
    feed = FetchResult(url="https://contoh.go.id/feed", status=200, etag='"v1"')
    now = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    with Archive(db) as archive:
        with pytest.raises(RuntimeError), archive.feed_batch():
            archive.store_items([_item(1), _item(2)], now=now)
            archive.record_feed("pemkab-a", feed, now=now, body_hash="b" * 64)
            raise RuntimeError("killed between two writes")
        assert archive.count() == 0 and archive.feed_state(feed.url) is None
        with archive.feed_batch():
            archive.store_items([_item(1), _item(2)], now=now)
            archive.record_feed("pemkab-a", feed, now=now, body_hash="b" * 64)
            other = sqlite3.connect(db)  # another process sees nothing until the feed commits
            assert other.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 0
        assert other.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 2
        assert other.execute("SELECT etag FROM feeds").fetchone()[0] == '"v1"'
        other.close()


def test_grouped_feeds_commit_together_and_a_failed_feed_alone_is_undone(tmp_path: Path) -> None:
    """Inside ``grouped_commits`` feeds share a commit, yet each stays whole or absent."""
    db = tmp_path / "a.sqlite"
    now = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)

    def feed(n: int) -> FetchResult:
        return FetchResult(url=f"https://contoh.go.id/feed{n}", status=200, etag=f'"v{n}"')

    other = sqlite3.connect(db)

    def seen() -> tuple[int, int]:
        return (other.execute("SELECT COUNT(*) FROM items").fetchone()[0],
                other.execute("SELECT COUNT(*) FROM feeds").fetchone()[0])

    with Archive(db) as archive:
        with archive.grouped_commits(max_units=3, max_seconds=3600):
            for n in (1, 2):
                with archive.feed_batch():
                    archive.store_items([_item(n)], now=now)
                    archive.record_feed("pemkab-a", feed(n), now=now)
            with pytest.raises(RuntimeError), archive.feed_batch():
                archive.store_items([_item(3)], now=now)
                archive.record_feed("pemkab-a", feed(3), now=now)
                raise RuntimeError("a bug while storing feed 3")
            assert seen() == (0, 0)  # two whole feeds, not committed yet
            assert archive.count() == 2 and archive.feed_state(feed(3).url) is None
            archive.record_source("pemkab-a", now=now, status="ok")  # the third unit: commit
            assert seen() == (2, 2)
            for n in (4, 5):
                with archive.feed_batch():
                    archive.store_items([_item(n)], now=now)
                    archive.record_feed("pemkab-a", feed(n), now=now)
            assert seen() == (2, 2)
            archive.commit_group()  # the fetch's timer: done feeds do not wait for slow ones
            assert seen() == (4, 4)
            for n in (6, 7, 8):
                with archive.feed_batch():
                    archive.store_items([_item(n)], now=now)
                    archive.record_feed("pemkab-a", feed(n), now=now)
                assert seen() == ((4, 4) if n < 8 else (7, 7))  # the third feed commits
            with archive.feed_batch():
                archive.store_items([_item(9)], now=now)
        assert seen() == (8, 7)  # closing the group commits what it holds
    other.close()


def test_store_items_reads_a_batch_as_item_after_item(tmp_path: Path) -> None:
    """An id given twice in one batch sees its first version; an undated version keeps the
    date first given; the workers' content hashes stand in for the archive's own."""
    from warta.core.records import content_hash

    first = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    later = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    with Archive(tmp_path / "a.sqlite") as archive:
        stored = archive.store_items([_item(1), _item(1, title="Ralat"), _item(1, title="Ralat")],
                                     now=first)
        assert (stored.new, stored.updated, stored.unchanged) == (1, 1, 1)
        undated = _item(2, date_estimated=True)
        archive.store_items([undated], now=first,
                            hashes={undated[0].id: content_hash(undated[0])})
        moved = _item(2, date_estimated=True, published=later, title="Tanggal lain")
        stored = archive.store_items([_item(1, title="Ralat"), moved], now=later)
        assert (stored.new, stored.updated, stored.unchanged) == (0, 1, 1)
        one, two = archive.get(_item(1)[0].id), archive.get(undated[0].id)
        assert one is not None and two is not None
        assert one.item.title == "Ralat" and one.first_seen == first and one.last_seen == later
        assert one.modified_at == first  # changed within the first batch, not since
        assert two.item.title == "Tanggal lain" and two.item.published == undated[0].published
        assert two.item.tags == ("Pemerintahan", "Désa")
        assert two.content_hash == content_hash(moved[0])
        raw = archive.raw_entry(undated[0].id)
        assert raw is not None and raw.title == "Berita 2"


@pytest.mark.parametrize("budget", [1, 3 * feedworkers.BODY_RESERVE])
def test_bodies_waiting_for_workers_stay_within_their_budget(
        server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    """Fetches are admitted while the bodies waiting for a worker fit SPOOL_BYTES; a budget
    smaller than one body still lets every feed through, one at a time."""
    monkeypatch.setattr(feedworkers, "SPOOL_BYTES", budget)
    peaks: list[int] = []
    resize = feedworkers.Hold.resize

    async def watched(self: feedworkers.Hold, size: int) -> None:
        await resize(self, size)
        peaks.append(self.waiting.used)

    monkeypatch.setattr(feedworkers.Hold, "resize", watched)
    reg = tmp_path / "reg"
    sources = _good_sources(server, reg, 8)
    with Archive(tmp_path / "w.sqlite") as archive:
        report = run_fetch(archive, sources, registry_root=reg, policy=FAST, workers=2)
        assert [s.status for s in report.sources] == ["ok"] * 8
        assert archive.count() == 16
    assert peaks and peaks[-1] == 0  # everything held was given back
    if budget == 1:
        assert max(peaks) <= feedworkers.BODY_RESERVE  # one body at a time
    else:
        assert max(peaks) <= budget
