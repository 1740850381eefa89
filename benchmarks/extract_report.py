"""Figures for sites without a feed.

Serves the four fixture sites (tests/support/sites.py: WordPress + Yoast, Joomla-like,
custom CMS with Indonesian date text only, Open Graph only) on 127.0.0.1 and prints:

1. extraction quality over every article page: the share with the right title, date
   (to the minute, in the right zone), body (every paragraph, no menu/footer/share
   text) and lead image — automatic extraction and with registry selectors / the API;
2. requests per run: first run, a run where nothing changed (goal: one per source,
   none per known article), and a run with one new article per site;
3. ``invoke discover`` on every fixture site (printed before 2, which adds articles).

Run from the repository root:  python benchmarks/extract_report.py [--articles 9]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warta.archive.store import Archive  # noqa: E402
from warta.ingest.discover import run_discover  # noqa: E402
from warta.ingest.fetch import FetchPolicy  # noqa: E402
from warta.ingest.run import run_fetch  # noqa: E402
from warta.sources.registry import load_registry  # noqa: E402

from tests.support.extract_eval import (  # noqa: E402
    FIELDS,
    automatic_registry,
    configured_registry,
    score_site,
    shares,
    start_sites,
)
from tests.support.sites import HTML, custom_page, listing, make_articles, og_page, urlset  # noqa: E402


def pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def row(name: str, kind: str, n: int, sh: dict[str, float]) -> str:
    return f"   {name:<12} {kind:<8} {n:>5} " + " ".join(f"{pct(sh[f]):>7}" for f in FIELDS)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=9, help="articles per fixture site (default 9)")
    args = ap.parse_args()
    fx = start_sites(args.articles)
    policy = FetchPolicy(page_delay=0.0, retries=0)
    tmp = Path(tempfile.mkdtemp(prefix="warta-extract-"))
    try:
        auto = automatic_registry(fx, tmp / "auto")
        conf = configured_registry(fx, tmp / "conf")
        secret = fx.sites["custom"].url(fx.sites["custom"].articles[-1].path)
        total_pages = sum(len(s.articles) for s in fx.sites.values())
        print(f"Fixture: {len(fx.sites)} sites, {total_pages} article pages "
              f"(1 forbidden by robots.txt, so {total_pages - 1} fetchable)\n")

        for label, folder, ids in (("automatic (sitemap/html, no selectors)", tmp / "auto", auto),
                                   ("as registered (WordPress API, html + selectors)", tmp / "conf", conf)):
            sources, errors = load_registry(folder)
            assert not errors, errors
            with Archive(tmp / f"{folder.name}.sqlite") as archive:
                t0 = time.perf_counter()
                report = run_fetch(archive, sources, registry_root=folder, policy=policy)
                elapsed = time.perf_counter() - t0
                print(f"== Extraction, {label}: {report.items_new} items in {elapsed:.2f} s")
                print(f"   {'source':<12} {'template':<8} {'pages':>5} "
                      + " ".join(f"{f:>7}" for f in FIELDS))
                every = []
                for sid, kind in ids.items():
                    site = fx.sites[kind]
                    items = [a.item for a in archive.items(source_ids=[sid])]
                    scores = score_site(site, items, skip=[secret])
                    every.extend(scores)
                    sh = shares(scores)
                    print(row(sid, kind, len(scores), sh))
                    for s in scores:
                        if s.why:
                            print(f"      ✗ {s.article.path}: {s.why}")
                sh = shares(every)
                print(row("ALL", "", len(every), sh))
                print()

        print("== invoke discover on every fixture site")
        for kind, site in fx.sites.items():
            t0 = time.perf_counter()
            found = run_discover(site.url("/"), FetchPolicy(retries=0))
            dt = time.perf_counter() - t0
            best = found.best
            ok = [p for p in found.probes if p.ok]
            bad = [p for p in found.probes if not p.ok and p.error != "tidak ditemukan (404)"]
            desc = (f"{best.method} {best.url.replace(site.url('/'), '/')} — {best.items} berita"
                    + (f" (item: \"{best.item_selector}\")" if best.item_selector else "")) if best else "—"
            print(f"   {kind:<7} best: {desc}   ({len(found.probes)} tried, {len(ok)} usable, "
                  f"{dt:.2f} s)")
            for p in bad:
                print(f"           ✗ {p.url.replace(site.url('/'), '/')}: {p.error}")
        print()

        # Requests per run
        folder = tmp / "both"
        ids = {**automatic_registry(fx, folder), **configured_registry(fx, folder)}
        sources, _ = load_registry(folder)
        with Archive(tmp / "requests.sqlite") as archive:
            n0 = fx.requests()
            run_fetch(archive, sources, registry_root=folder, policy=policy)
            first = fx.requests() - n0
            n1 = fx.requests()
            r2 = run_fetch(archive, sources, registry_root=folder, policy=policy)
            unchanged = fx.requests() - n1
            # one new article on the custom CMS and on the Open Graph site
            for kind, page in (("custom", custom_page), ("og", og_page)):
                site, srv = fx.sites[kind], fx.servers[kind]
                new = make_articles(kind, args.articles + 1)[-1]
                site.articles.insert(0, new)
                srv.add(new.path, body=page(site, new), content_type=HTML)
                if kind == "custom":
                    srv.add("/berita/", body=listing(site, "custom"), content_type=HTML)
                    srv.add("/sitemap.xml", body=urlset(site, site.articles), content_type="application/xml")
                else:
                    srv.add("/sitemap-news.xml", body=urlset(site, site.articles, news=True),
                            content_type="application/xml")
            n2 = fx.requests()
            r3 = run_fetch(archive, sources, registry_root=folder, policy=policy)
            one_new = fx.requests() - n2
        print(f"== Requests per run ({len(ids)} sources on {len(fx.servers)} hosts)")
        print(f"   first run:                     {first}")
        print(f"   nothing changed:               {unchanged}  "
              f"(goal {len(ids)} = one per source; statuses: "
              f"{sorted({s.status for s in r2.sources})})")
        print(f"   one new article on 2 sites:    {one_new}  (new items: {r3.items_new} = 2 sources of the "
              "custom CMS + 1 of the og site, whose sitemap index kept a stale lastmod)")
    finally:
        fx.close()


if __name__ == "__main__":
    main()
