"""Cost of the image step when nothing changed: the cache lookup and the link into the output.

Prints; asserts nothing. Fills a cache with N records (one real tiny image
processed once, its derivatives hard-linked under N URLs), then times, in this
process, an offline :func:`warta.images.run.run_images` over every URL and the
publish into an output folder, each twice (the first run of a new cache or
output, then the hourly case)::

    .venv/bin/python benchmarks/image_cache_bench.py fill /tmp/imgbench --count 20000
    .venv/bin/python benchmarks/image_cache_bench.py time /tmp/imgbench
    strace -f -c -e trace=openat,newfstatat,statx,link \\
        .venv/bin/python benchmarks/image_cache_bench.py step /tmp/imgbench run

``step`` runs one step once (``import``, ``run``: one run, ``publish``: one run
and one publish) so a system-call count under strace can be told apart from
the interpreter's start-up (the ``import`` step).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw
from warta.images.cache import ImageCache, meta_from_result
from warta.images.process import ProcessSpec, process_file
from warta.images.run import ImageConfig, run_images
from warta.images.template import ImageIndex
from warta.site.images import publish


def urls(count: int) -> list[str]:
    return [f"https://humas{i % 40}.go.id/wp-content/uploads/2026/{i}.jpg" for i in range(count)]


def fill(root: Path, count: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    cache = ImageCache(root / "cache")
    im = Image.new("RGB", (1100, 800), (40, 90, 160))
    ImageDraw.Draw(im).ellipse([200, 200, 700, 600], fill=(230, 200, 30))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    original = root / "asli.jpg"
    original.parent.mkdir(parents=True, exist_ok=True)
    original.write_bytes(buf.getvalue())
    spec = ProcessSpec()
    template = root / "template"
    result = process_file(original, template, "0badcafe", spec)
    assert result.ok, result.detail
    names = [p.name for p in template.iterdir()]
    for url in urls(count):
        folder = cache.dir_for(url)
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(template / name, folder / name)
        meta = meta_from_result(url, result, now=time.time(), version=spec.signature,
                                digest="0badcafe" * 8, original_bytes=len(buf.getvalue()),
                                etag=None, last_modified=None, http_status=200)
        cache.save(meta)
    (root / "count").write_text(str(count))
    print(f"{count} records in {cache.root}")


def one_run(root: Path) -> tuple[float, dict]:
    config = ImageConfig(cache_dir=root / "cache", offline=True)
    started = time.perf_counter()
    outcomes, report = run_images(urls(_count(root)), config)
    return time.perf_counter() - started, {"outcomes": outcomes, "report": report}


def one_publish(root: Path, outcomes: dict) -> float:
    config = ImageConfig(cache_dir=root / "cache", offline=True)
    index = ImageIndex(media_url="/media", site_url="")
    for url, out in outcomes.items():
        if out.image is not None:
            index.images[url] = out.image
    started = time.perf_counter()
    publish(index, config, root / "output")
    return time.perf_counter() - started


def _count(root: Path) -> int:
    return int((root / "count").read_text())


def timed(root: Path) -> None:
    shutil.rmtree(root / "output", ignore_errors=True)
    for label in ("first", "second"):
        seconds, got = one_run(root)
        report = got["report"]
        print(f"run ({label}): {seconds:.2f} s, {report.requested} asked, {report.reused} reused")
        print(f"publish ({label}): {one_publish(root, got['outcomes']):.2f} s")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["fill", "time", "step"])
    parser.add_argument("root", type=Path)
    parser.add_argument("step", nargs="?", choices=["import", "run", "publish"])
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args(argv)
    if args.action == "fill":
        fill(args.root, args.count)
    elif args.action == "time":
        timed(args.root)
    elif args.step == "run":
        print(f"run: {one_run(args.root)[0]:.2f} s")
    elif args.step == "publish":
        _, got = one_run(args.root)
        print(f"publish: {one_publish(args.root, got['outcomes']):.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
