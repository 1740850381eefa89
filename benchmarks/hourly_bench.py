"""Figures for the hourly run: link check / verify on a large synthetic site, health stats on a large
archive, and one whole hourly run (demo-like registry, dir: target). Prints, asserts nothing.

    .venv/bin/python benchmarks/hourly_bench.py [--pages 12000] [--items 300000]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warta.archive.migrations import MIGRATIONS  # noqa: E402
from warta.core.records import Source  # noqa: E402
from warta.ops import hourly, linkcheck, verify  # noqa: E402
from warta.site.health import compute_health  # noqa: E402


def synthetic_site(root: Path, pages: int) -> None:
    """``pages`` article pages, each linking home, 20 siblings, a category and assets."""
    nav = ('<a href="https://warta.example.id/">Warta</a><a href="https://warta.example.id/sumber/">'
           'Sumber</a><link rel="stylesheet" href="https://warta.example.id/theme/css/warta.css">')
    (root / "theme/css").mkdir(parents=True)
    (root / "theme/css/warta.css").write_text("body{}")
    (root / "sumber").mkdir()
    (root / "sumber/index.html").write_text(nav)
    for i in range(pages):
        d = root / "berita" / f"{i % 100:02d}" / f"berita-{i}"
        d.mkdir(parents=True)
        links = "".join(f'<a href="/berita/{j % 100:02d}/berita-{j}/">x</a>'
                        for j in range(i, i + 20) if j < pages)
        body = "<p>" + "Isi berita daerah. " * 200 + "</p>"
        (d / "index.html").write_text(f"<!doctype html>{nav}<main>{links}{body}</main>")
    home = "".join(f'<a href="https://warta.example.id/berita/{i % 100:02d}/berita-{i}/">b</a>'
                   for i in range(20))
    (root / "index.html").write_text(f"<!doctype html>{nav}{home}")


def big_archive(path: Path, items: int, sources: int, now: datetime) -> list[Source]:
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    rows = []
    for i in range(items):
        sid = f"sumber-{i % sources}"
        published = now - timedelta(hours=i % (24 * 400))
        seen = published + timedelta(minutes=(i * 7) % 600)
        rows.append((f"id{i}", sid, f"k{i}", "t", "<p>x</p>", "s", published.isoformat(),
                     published.timestamp(), seen.isoformat(), seen.isoformat(), "{}", "h",
                     f"id{i}", min(published.timestamp(), seen.timestamp())))
    conn.executemany(
        "INSERT INTO items (id, source_id, key, title, content_html, summary, published, "
        "published_ts, first_seen, last_seen, raw, content_hash, story, sort_ts) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO sources (id, last_status) VALUES (?, 'ok')",
                     [(f"sumber-{s}",) for s in range(sources)])
    conn.commit()
    conn.close()
    return [Source(id=f"sumber-{s}", name=f"Sumber {s}", kind="pemkab", homepage="https://x.go.id",
                   feeds=(), region="33.01") for s in range(sources)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=12000)
    ap.add_argument("--items", type=int, default=300000)
    ap.add_argument("--sources", type=int, default=550)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        site = base / "site"
        t = time.perf_counter()
        synthetic_site(site, args.pages)
        print(f"synthetic site: {args.pages} pages written in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        report = linkcheck.check_site(site, bases=["https://warta.example.id"])
        print(f"linkcheck: {report.pages} pages, {report.links} links, {report.broken_total} broken "
              f"in {time.perf_counter() - t:.2f} s")
        settings = {"SITEURL": "https://warta.example.id", "ARTICLE_URL": "berita/{slug}/"}
        t = time.perf_counter()
        verdict = verify.verify_site(site, None, settings)
        print(f"verify (manifest + home + links): ok={verdict.ok} in {time.perf_counter() - t:.2f} s")

        now = datetime(2026, 3, 1, tzinfo=UTC)
        db = base / "big.sqlite"
        t = time.perf_counter()
        sources = big_archive(db, args.items, args.sources, now)
        print(f"archive: {args.items} items / {args.sources} sources made in "
              f"{time.perf_counter() - t:.1f} s ({db.stat().st_size / 1e6:.0f} MB)")
        conn = sqlite3.connect(db)
        t = time.perf_counter()
        health = compute_health(conn, sources, now)
        print(f"health stats: {len(health.sources)} sources in {time.perf_counter() - t:.2f} s")
        conn.close()

        # One whole hourly run on the bundled demo registry, published to a folder.
        opts = hourly.HourlyOptions(
            settings_file=ROOT / "publishconf.py", sources_dir=ROOT / "demo" / "sources",
            db=base / "var" / "warta.sqlite", output=base / "output", repo=base,
            target=f"dir:{base / 'www'}", data_remote="", quiet=True,
            run_log=base / "var" / "runs.jsonl", overrides={"PATH": str(ROOT / "content")})
        for label in ("first", "second"):
            result = hourly.run_hourly(opts)
            rec = result.record
            phases = ", ".join(f"{k} {v:.2f}" for k, v in rec["phases"].items())
            if result.reason:
                print(result.reason)
            print(f"hourly run ({label}, demo): exit {result.exit_code}, "
                  f"{rec['duration_s']:.2f} s total — {phases}")


if __name__ == "__main__":
    main()
