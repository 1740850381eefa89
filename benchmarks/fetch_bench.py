"""Fetch benchmark: N feeds × M items from 127.0.0.1 with realistic latency and failures.

Serves feeds from a separate process (aiohttp, many ports so per-host limits
behave as with many real hosts), with latencies of 50–2000 ms, 5 % errors
(500/404/HTML pages) and 1 % hanging responses; ETag support so the second run
is all-304. Prints wall time and peak memory (this process + its workers) for
a cold fetch, for the second, all-304 fetch, and for "next hour": ``--changed``
feeds (default 300) each publish one new report (the fetch half of the hourly run's
hourly run; the build half is ``build_bench.py --only hourly-run``).

Feed text comes from :mod:`synth` (the corpus every other benchmark uses):
sources are :func:`synth.make_sources` offices (regencies, provinces,
national bodies), and each feed's items are distinct ~400-word humas reports
of that office (:func:`synth.make_item` pinned to the source), dated back
from the start of the run at the office's own cadence (one item every 3–48
hours, so a feed spans days to weeks). Word salad drawn from one short list
made every item a near-duplicate of every other, which no real hub sees: it
turned story assignment into an all-pairs comparison and measured that
instead of the fetch.

    .venv/bin/python benchmarks/fetch_bench.py [--feeds 1000] [--items 20]
        [--identical] [--syndicated N] [--runs cold,all-304]

``--identical`` gives every item one and the same ~250-word body and
near-identical titles (the worst case for story grouping: a CMS template or a
summary-only feed everywhere); ``--syndicated N`` has N feeds also carry one
of five national releases verbatim under their own dateline, and prints how
many stories each release landed in.

Targets (2 cores): cold ≤ 30 s, second ≤ 10 s, ≤ 300 MB; ``--identical`` cold ≤ 45 s,
≤ 300 MB; ``--syndicated 200`` as the plain run, each release in exactly one story.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402
from _measure import TreeRSS  # noqa: E402

CADENCE_HOURS = (3.0, 48.0)
"""Hours between two items of one office: a busy regency posts several a day, a small
body a few a week."""


IDENTICAL_TITLE = "Pengumuman Jadwal Pelayanan Administrasi Kependudukan Keliling di"
RELEASES = 5
"""National releases ``--syndicated`` spreads over its carrier feeds."""


@dataclasses.dataclass(frozen=True)
class Shape:
    """What the feeds carry besides their own distinct reports."""

    identical: bool = False
    """Every item has one and the same ~250-word body (and near-identical titles)."""
    syndicated: int = 0
    """This many feeds also carry one of :data:`RELEASES` national releases, verbatim
    under their own dateline."""


def shared_body(sources: list[synth.SynthSource], seed: int) -> synth.SynthItem:
    """One ~250-word report that many items will carry word for word."""
    return synth.make_item(seed, sources, start=datetime(2025, 1, 1, tzinfo=UTC), span=timedelta(0),
                           total=1, words=250, source=sources[0], varied=True)


def carriers(feeds: int, count: int) -> dict[int, int]:
    """Feed index → the release it carries, ``count`` feeds spread over all of them."""
    count = min(count, feeds)
    return {round(j * feeds / count): j % RELEASES for j in range(count)}


def release_copy(i: int, release: int, sources: list[synth.SynthSource], now: datetime,
                 feeds: int, items: int) -> synth.SynthItem:
    """Feed ``i``'s copy of national release ``release``: the same title and text, its own
    dateline, published within hours of the release."""
    body = shared_body(sources, 90_000_000 + release)
    src = sources[i]
    dateline = (synth._region_name(src) if src.region else "Jakarta").upper()
    first = f"{dateline} – {body.paragraphs[0]}"
    rnd = random.Random(7_000_001 * (i + 1))
    when = (now - timedelta(hours=2 + 20 * release) + timedelta(minutes=rnd.uniform(0, 600)))
    return dataclasses.replace(body, n=feeds * items * 2 + i, source=src,
                               paragraphs=(first, *body.paragraphs[1:]),
                               summary=first[:180], published=when.replace(microsecond=0))


def feed_items(i: int, items: int, sources: list[synth.SynthSource],
               now: datetime, shape: Shape = Shape()) -> list[synth.SynthItem]:
    """The ``items`` newest reports of source ``i``, newest first, all before ``now``."""
    rnd = random.Random(1_000_003 * (i + 1))
    step = timedelta(hours=rnd.uniform(*CADENCE_HOURS))
    newest = now - timedelta(hours=rnd.uniform(0.5, 24.0))
    body = shared_body(sources, 80_000_000) if shape.identical else None
    out = []
    for j in range(items):
        it = synth.make_item(i * items + j, sources, start=now, span=timedelta(0), total=1,
                             source=sources[i], varied=True)
        when = (newest - step * j - timedelta(minutes=rnd.uniform(0, 50))).replace(microsecond=0)
        it = dataclasses.replace(it, published=when)
        if body is not None:
            where = it.title.rsplit(" di ", 1)[-1]
            it = dataclasses.replace(it, title=f"{IDENTICAL_TITLE} {where}",
                                     paragraphs=body.paragraphs, summary=body.summary)
        out.append(it)
    release = carriers(len(sources), shape.syndicated).get(i)
    if release is not None:
        out.insert(0, release_copy(i, release, sources, now, len(sources), items))
    return out


def feed_xml(i: int, items: int, sources: list[synth.SynthSource], now: datetime,
             shape: Shape = Shape()) -> bytes:
    return synth.feed_xml(i, feed_items(i, items, sources, now, shape))


def hour_later_xml(i: int, items: int, sources: list[synth.SynthSource], now: datetime,
                   shape: Shape = Shape()) -> bytes:
    """Feed ``i`` an hour later: one new report on top, the oldest one dropped out."""
    old = feed_items(i, items, sources, now, shape)
    new = synth.make_item(len(sources) * items + i, sources, start=now, span=timedelta(0),
                          total=1, source=sources[i], varied=True)
    new = dataclasses.replace(new, published=now + timedelta(minutes=30))
    return synth.feed_xml(i, [new, *old[:-1]])


def serve(feeds: int, items: int, ports: list[int], now: datetime,
          ready: mp.Event, advanced: mp.Event, changed: int,  # type: ignore[valid-type]
          shape: Shape = Shape()) -> None:
    from aiohttp import web

    sources = synth.make_sources(feeds)

    rnd = random.Random(42)
    plan: dict[int, tuple[str, float]] = {}
    for i in range(feeds):
        r = rnd.random()
        kind = "hang" if r < 0.01 else "error" if r < 0.06 else "ok"
        plan[i] = (kind, rnd.uniform(0.05, 2.0))
    bodies = {i: feed_xml(i, items, sources, now, shape) for i in range(feeds)}
    etags = {i: '"' + hashlib.md5(b).hexdigest() + '"' for i, b in bodies.items()}
    # The next hour's news: ``changed`` of the working feeds each publish one new report.
    later_ids = [i for i in range(feeds) if plan[i][0] == "ok"][:changed]
    later = {i: hour_later_xml(i, items, sources, now, shape) for i in later_ids}
    later_etags = {i: '"' + hashlib.md5(b).hexdigest() + '"' for i, b in later.items()}

    async def handle(request: web.Request) -> web.StreamResponse:
        i = int(request.match_info["i"])
        kind, delay = plan[i]
        await asyncio.sleep(delay)
        if advanced.is_set() and i in later:
            if request.headers.get("If-None-Match") == later_etags[i]:
                return web.Response(status=304, headers={"ETag": later_etags[i]})
            return web.Response(body=later[i], content_type="application/rss+xml",
                                headers={"ETag": later_etags[i]})
        if kind == "hang":
            await asyncio.sleep(3600)
        if kind == "error":
            status = (500, 404, 200)[i % 3]
            if status == 200:
                return web.Response(text="<html><body>Beranda</body></html>",
                                    content_type="text/html")
            return web.Response(status=status, text="galat")
        if request.headers.get("If-None-Match") == etags[i]:
            return web.Response(status=304, headers={"ETag": etags[i]})
        return web.Response(body=bodies[i], content_type="application/rss+xml",
                            headers={"ETag": etags[i]})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{i}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for port in ports:
            await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def free_ports(n: int) -> list[int]:
    import socket

    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--changed", type=int, default=300,
                    help="feeds with one new report in the 'next hour' run")
    ap.add_argument("--parts", action="store_true",
                    help="also print each run's peak memory by process (MB)")
    ap.add_argument("--identical", action="store_true",
                    help="every item carries one and the same ~250-word body (the worst case "
                    "for story grouping)")
    ap.add_argument("--syndicated", type=int, default=0, metavar="N",
                    help=f"N feeds also carry one of {RELEASES} national releases verbatim, "
                    "each under its own dateline")
    ap.add_argument("--runs", default="cold,all-304,next hour,all-304 --force",
                    help="which runs, in order, comma-separated (e.g. 'cold')")
    args = ap.parse_args()
    shape = Shape(identical=args.identical, syndicated=args.syndicated)

    ports = free_ports(args.hosts)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    ctx = mp.get_context("spawn")
    ready, advanced = ctx.Event(), ctx.Event()
    server = ctx.Process(
        target=serve, args=(args.feeds, args.items, ports, now, ready, advanced, args.changed,
                           shape),
        daemon=True)
    server.start()
    ready.wait(120)

    from warta.archive.store import Archive
    from warta.core.records import FeedSpec, Source
    from warta.ingest.run import run_fetch

    sources = [
        Source(id=s.id, name=s.name, kind=s.kind, region=s.region,
               homepage=f"https://{s.id}.go.id",
               feeds=(FeedSpec(f"http://127.0.0.1:{ports[i % len(ports)]}/feed/{i}"),))
        for i, s in enumerate(synth.make_sources(args.feeds))
    ]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        wanted = args.runs.split(",")
        runs = [(label, label.endswith("--force")) for label in wanted]
        for label, force in runs:
            if label == "next hour":
                advanced.set()  # `--changed` feeds now carry one new report each
            with Archive(db) as archive, TreeRSS(exclude=server.pid or -1) as rss:
                t0 = time.perf_counter()
                report = run_fetch(archive, sources, registry_root=Path(tmp), force=force)
                wall = time.perf_counter() - t0
            stories = report.stories or {}
            print(f"{label:16s} wall {wall:5.1f} s | ok {report.count('ok'):4d} "
                  f"not-modified {report.count('not_modified'):4d} failed "
                  f"{report.count('error'):3d} deferred {report.count('deferred'):3d} | "
                  f"new items {report.items_new:6d} | stories {stories.get('seconds', 0):5.1f} s "
                  f"(joined {stories.get('joined', 0)}) | peak RSS {rss.peak_mb:5.0f} MB")
            if args.parts:
                print(f"{'':16s} peak by process (MB): {rss.describe_peak()}")
            if label == "cold":
                with Archive(db) as archive:
                    print(f"{'':16s} {story_figures(archive, shape, len(sources))}")
        print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    server.terminate()


def story_figures(archive: object, shape: Shape, feeds: int) -> str:
    """How the cold run grouped: stories, the largest, most reports of one source in one story,
    and with ``--syndicated`` how many stories each release landed in."""
    conn = archive.conn  # type: ignore[attr-defined]
    stories, items = conn.execute("SELECT COUNT(DISTINCT story), COUNT(*) FROM items").fetchone()
    largest = conn.execute("SELECT COUNT(*) FROM items GROUP BY story ORDER BY 1 DESC LIMIT 1"
                           ).fetchone()
    same = conn.execute("SELECT COUNT(*) FROM items GROUP BY story, source_id ORDER BY 1 DESC "
                        "LIMIT 1").fetchone()
    out = (f"stories {stories} of {items} items | largest {largest[0] if largest else 0} | "
           f"most of one source in one story {same[0] if same else 0}")
    if shape.syndicated:
        sources = synth.make_sources(feeds)
        parts = []
        for k in range(RELEASES):
            title = shared_body(sources, 90_000_000 + k).title
            copies = conn.execute("SELECT story FROM items WHERE title = ?", (title,)).fetchall()
            held = {r[0] for r in copies}
            others = conn.execute(
                f"SELECT COUNT(*) FROM items WHERE story IN ({', '.join('?' * len(held))}) "
                "AND title != ?", (*held, title)).fetchone()[0] if held else 0
            parts.append(f"release {k}: {len(copies)} copies in {len(held)} "
                         f"{'story' if len(held) == 1 else 'stories'} (+{others} other reports)")
        out += "\n" + "\n".join(f"{'':16s} {p}" for p in parts)
    return out


if __name__ == "__main__":
    main()
