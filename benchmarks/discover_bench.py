"""First fetch of a registry of ``discover: true`` entries: ~600 homepages, no feeds known.

Serves N sites (default 600) from one separate process on as many loopback
addresses (127.0.1.1, 127.0.1.2 …, one port), dispatching on the Host header,
with 50–500 ms latency per response and ~40 KB homepages. A third of the sites
are plain CMS sites with a feed (half link it from the homepage, half only
answer at ``/rss.xml``), a third are WordPress (REST API linked from the
homepage, ``/feed/`` too), and the rest have nothing (a homepage, a ``/berita/``
page without a list, 404 elsewhere) or fail: the homepage answers 500, the
address refuses connections, or the homepage never answers.

Runs the real fetch (production :class:`FetchPolicy`: per-host limits, 1 s
between two page requests to one host, retries) over a registry written as YAML
files, three times: the first run (every homepage searched), the next run
five minutes later (stored methods read, failed searches backing off), and
the run an hour later (failed searches tried again). For each run it prints
wall time, peak memory, requests (all, and homepage requests), the sources
found per method, and what the server saw of politeness: the most requests one
host had in flight at once, and the pauses between two requests to one host
(robots.txt aside) as the server saw them: how many were under 0.5 s, and the
shortest. On a loaded machine either process may be scheduled late and the server
then reads two requests together, so the pauses are also taken on the client's side,
where its per-host pacing lets each request out (``PageGate.leaving``).

    .venv/bin/python benchmarks/discover_bench.py [--hosts 600] [--items 10]

Target: the first run of a ~600-entry registry well within the hourly
workflow's hour on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import itertools
import json
import multiprocessing as mp
import random
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402
from _measure import TreeRSS  # noqa: E402

KINDS = ("feed-link", "feed-path", "wordpress", "nothing", "error-500", "refused", "hang")
"""What site i is: ``plan(i)`` (a third feed, a third WordPress, the rest nothing or errors)."""


def host(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def plan(n: int) -> list[str]:
    per = n // 3
    rest = n - 2 * per
    kinds = (["feed-link"] * (per // 2) + ["feed-path"] * (per - per // 2) + ["wordpress"] * per
             + ["nothing"] * (rest // 2))
    errors = rest - rest // 2
    kinds += ["error-500"] * (errors // 3) + ["hang"] * (errors // 3)
    kinds += ["refused"] * (n - len(kinds))
    random.Random(3).shuffle(kinds)
    return kinds


def homepage_html(i: int, kind: str, name: str) -> str:
    head = [f"<title>{name} | Portal Resmi</title>"]
    if kind == "feed-link":
        head.append('<link rel="alternate" type="application/rss+xml" title="Berita" href="/feed/">')
    if kind == "wordpress":
        head += ['<link rel="https://api.w.org/" href="/wp-json/">',
                 '<link rel="alternate" type="application/rss+xml" href="/feed/">',
                 '<link rel="stylesheet" href="/wp-content/themes/humas/style.css">']
    menu = "".join(f'<li><a href="/layanan/{k}/">Layanan publik nomor {k}</a></li>'
                   for k in range(120))
    body = "".join(f"<p>Pengumuman {k}: jadwal pelayanan kantor {name} pada pekan ini "
                   f"dan informasi kegiatan masyarakat di wilayah kerja.</p>" for k in range(150))
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'>{''.join(head)}</head>"
            f"<body><nav><ul><li><a href='/berita/'>Berita</a></li>{menu}</ul></nav>"
            f"<main><h1>{name}</h1>{body}</main></body></html>")


def serve(n: int, items: int, port: int, now: datetime, ready: mp.Event) -> None:  # type: ignore[valid-type]
    from aiohttp import web

    kinds = plan(n)
    sources = synth.make_sources(n)
    rnd = random.Random(11)
    latency = [rnd.uniform(0.05, 0.5) for _ in range(n)]
    index = {host(i): i for i in range(n)}
    stats: dict[str, object] = {}
    inflight: collections.Counter[int] = collections.Counter()

    def reset() -> None:
        stats.update(requests=0, homepage=0, robots=0, by_kind=collections.Counter(),
                     max_inflight=0, min_gap=None, min_gap_at=None, close=0, last={})

    reset()

    def entries(i: int) -> list[synth.SynthItem]:
        out = []
        for j in range(items):
            it = synth.make_item(i * items + j, sources, start=now, span=timedelta(0), total=1,
                                 source=sources[i], varied=True)
            out.append(dataclasses.replace(it, published=now - timedelta(hours=6 * j)))
        return out

    cache: dict[tuple[int, str], tuple[int, bytes, str, dict[str, str]]] = {}

    def answer(i: int, path: str) -> tuple[int, bytes, str, dict[str, str]]:
        kind = kinds[i]
        if (i, path) in cache:
            return cache[(i, path)]
        html_type, not_found = "text/html; charset=utf-8", (404, b"tidak ada", "text/plain", {})
        out = not_found
        if path == "/":
            out = (200, homepage_html(i, kind, sources[i].name).encode(), html_type, {})
            if kind == "error-500":
                out = (500, b"galat server", "text/plain", {})
        elif path == "/berita/" and kind == "nothing":
            out = (200, b"<html><body><h1>Berita</h1><p>Segera hadir.</p></body></html>",
                   html_type, {})
        elif ((path == "/feed/" and kind in ("feed-link", "wordpress"))
              or (path == "/rss.xml" and kind == "feed-path")):
            out = (200, synth.feed_xml(i, entries(i)), "application/rss+xml", {})
        elif path == "/wp-json/wp/v2/posts" and kind == "wordpress":
            posts = [{"id": k, "link": it.link, "guid": {"rendered": it.link},
                      "date_gmt": it.published.strftime("%Y-%m-%dT%H:%M:%S"),
                      "title": {"rendered": it.title}, "content": {"rendered": it.html},
                      "excerpt": {"rendered": f"<p>{it.summary}</p>"}}
                     for k, it in enumerate(entries(i))]
            out = (200, json.dumps(posts).encode(), "application/json",
                   {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": "1"})
        cache[(i, path)] = out
        return out

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.path == "/__stats__":
            body = {k: (dict(v) if isinstance(v, collections.Counter) else v)
                    for k, v in stats.items() if k != "last"}
            if request.query.get("reset"):
                reset()
            return web.json_response(body)
        i = index.get(request.host.split(":")[0])
        if i is None:
            return web.Response(status=421, text="host tidak dikenal")
        start = time.monotonic()
        stats["requests"] += 1  # type: ignore[operator]
        stats["by_kind"][kinds[i]] += 1  # type: ignore[index]
        if request.path == "/robots.txt":
            stats["robots"] += 1  # type: ignore[operator]
        else:
            last: dict[int, tuple[float, str]] = stats["last"]  # type: ignore[assignment]
            if i in last:
                gap = start - last[i][0]
                if gap < 0.5:
                    stats["close"] += 1  # type: ignore[operator]
                if stats["min_gap"] is None or gap < stats["min_gap"]:  # type: ignore[operator]
                    stats["min_gap"] = round(gap, 3)
                    stats["min_gap_at"] = f"{kinds[i]}: {last[i][1]} → {request.path_qs}"
            last[i] = (start, request.path_qs)
        if request.path == "/" and not request.query_string:
            stats["homepage"] += 1  # type: ignore[operator]
        inflight[i] += 1
        stats["max_inflight"] = max(stats["max_inflight"], inflight[i])  # type: ignore[call-overload]
        try:
            await asyncio.sleep(latency[i])
            if kinds[i] == "hang" and request.path == "/":
                await asyncio.sleep(3600)
            status, body, ctype, headers = answer(i, request.path)
            return web.Response(status=status, body=body, content_type=ctype.split(";")[0],
                                charset="utf-8" if "charset" in ctype else None, headers=headers)
        finally:
            inflight[i] -= 1

    async def main() -> None:
        # Every body is made before the first request: a server busy making one would hold
        # the requests queued behind it and report them as arriving together.
        for i in range(n):
            for path in ("/", "/berita/", "/feed/", "/rss.xml", "/wp-json/wp/v2/posts"):
                answer(i, path)
        app = web.Application()
        app.router.add_get("/{tail:.*}", handle)
        # A client that gives up (the hanging homepages) ends its handler: in-flight counts
        # are what the client has open.
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        for i in range(n):
            if kinds[i] != "refused":
                await web.TCPSite(runner, host(i), port).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def write_registry(folder: Path, n: int, port: int) -> None:
    for i, s in enumerate(synth.make_sources(n)):
        sid = f"situs-{i:04d}"
        region = f'region: "{s.region}"\n' if s.region else ""
        (folder / f"{sid}.yml").write_text(
            f"# Situs uji {i}: alamat dari daftar uji.\nid: {sid}\nname: {s.name}\n"
            f"kind: {s.kind}\n{region}homepage: http://{host(i)}:{port}/\ndiscover: true\n"
            f"ref: daftar uji discover_bench\n", encoding="utf-8")


def server_stats(port: int, reset: bool = True) -> dict[str, object]:
    url = f"http://127.0.0.1:{port}/__stats__" + ("?reset=1" if reset else "")
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def main() -> None:
    import socket

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hosts", type=int, default=600)
    ap.add_argument("--items", type=int, default=10)
    args = ap.parse_args()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    now = datetime.now(UTC).replace(microsecond=0)
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    server = ctx.Process(target=serve, args=(args.hosts, args.items, port, now, ready), daemon=True)
    server.start()
    if not ready.wait(300):
        raise SystemExit("server tidak siap")

    from warta.archive.store import Archive
    from warta.ingest import polite
    from warta.ingest.run import run_fetch
    from warta.sources.registry import load_registry

    # The client's side of politeness: when the per-host pacing let each request out.
    released: dict[str, list[float]] = collections.defaultdict(list)
    leaving = polite.PageGate.leaving

    async def timed_leaving(self: polite.PageGate, url: str) -> None:
        await leaving(self, url)
        released[urlsplit(url).netloc].append(time.monotonic())

    polite.PageGate.leaving = timed_leaving  # type: ignore[method-assign]

    site_kind = {f"situs-{i:04d}": k for i, k in enumerate(plan(args.hosts))}
    kinds = collections.Counter(site_kind.values())
    print(f"{args.hosts} sites: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    with tempfile.TemporaryDirectory() as tmp:
        reg = Path(tmp) / "sources"
        reg.mkdir()
        write_registry(reg, args.hosts, port)
        t0 = time.perf_counter()
        sources, errors = load_registry(reg)
        assert not errors, errors[:3]
        print(f"registry: {len(sources)} entries loaded in {time.perf_counter() - t0:.2f} s")
        db = Path(tmp) / "warta.sqlite"
        runs = (("first run", timedelta(0)), ("5 min later", timedelta(minutes=5)),
                ("1 hour later", timedelta(hours=1)))
        for label, offset in runs:
            at = now + offset
            with Archive(db) as archive, TreeRSS(exclude=server.pid or -1) as rss:
                t0 = time.perf_counter()
                report = run_fetch(archive, sources, registry_root=reg, clock=lambda at=at: at)
                wall = time.perf_counter() - t0
            seen = server_stats(port)
            gaps = [b - a for times in released.values() for a, b in itertools.pairwise(times)]
            released.clear()
            found = collections.Counter(s.discovered for s in report.sources if s.discovered)
            with Archive(db) as archive:
                stored = collections.Counter(m.method for d in archive.all_discovered()
                                             for m in d.methods)
            print(f"{label:13s} wall {wall:6.1f} s | peak RSS {rss.peak_mb:4.0f} MB | requests "
                  f"{seen['requests']:5d} (homepages {seen['homepage']}, robots.txt "
                  f"{seen['robots']}) | ok {report.count('ok')} not-modified "
                  f"{report.count('not_modified')} failed {report.count('error')} deferred "
                  f"{report.count('deferred')} | new items {report.items_new}")
            print(f"{'':13s} found this run: {dict(found) or '-'} | stored methods: "
                  f"{dict(stored)} | per host: at most {seen['max_inflight']} at once, "
                  f"{seen['close']} gaps under 0.5 s, shortest {seen['min_gap']} s "
                  f"({seen['min_gap_at']})")
            outcome = collections.Counter(
                f"{site_kind[s.source_id]}→{s.discovered}" for s in report.sources if s.discovered)
            print(f"{'':13s} paced requests let out by the client: {len(gaps)}"
                  f" gaps, shortest {min(gaps, default=0):.3f} s, "
                  f"{sum(1 for g in gaps if g < 0.999)} under 1 s")
            print(f"{'':13s} requests by site kind: {seen['by_kind']}")
            if outcome:
                print(f"{'':13s} site kind → method found: {dict(sorted(outcome.items()))}")
    server.terminate()


if __name__ == "__main__":
    main()
