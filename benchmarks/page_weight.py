"""Transferred bytes (gzip) of the home, a region and an article page, excluding images.

Usage::

    python benchmarks/page_weight.py [OUTPUT_DIR]

Without OUTPUT_DIR it fetches the demo registry into a temporary archive and
builds it. A page's weight is its HTML plus every same-site stylesheet, script
and icon it loads, each gzip-compressed (level 6, as a web server would send
it). The budget for the home page is 150 KB.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOME_BUDGET = 150 * 1024


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") in ("stylesheet", "icon") and a.get("href"):
            self.assets.append(str(a["href"]))
        if tag == "script" and a.get("src"):
            self.assets.append(str(a["src"]))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weight(output: Path, rel: str) -> tuple[int, int]:
    """(gzip bytes transferred, raw bytes) of the page at ``rel`` and its assets."""
    html = (output / rel).read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    total, raw = gz(html), len(html)
    for href in parser.assets:
        if href.startswith("/"):
            data = (output / href.lstrip("/")).read_bytes()
            total += gz(data)
            raw += len(data)
    return total, raw


def pick_pages(output: Path) -> dict[str, str]:
    regions = sorted((output / "wilayah").glob("*/index.html"),
                     key=lambda p: p.stat().st_size, reverse=True)
    articles = sorted((output / "berita").rglob("index.html"), key=lambda p: p.stat().st_size,
                      reverse=True)
    return {
        "beranda (/)": "index.html",
        "wilayah terbesar": str(regions[0].relative_to(output)),
        "berita terbesar": str(articles[0].relative_to(output)),
    }


def main(argv: list[str]) -> int:
    if argv:
        output = Path(argv[0])
    else:
        from warta.ops import cli

        tmp = Path(tempfile.mkdtemp(prefix="warta-weight-"))
        cli.fetch(ROOT / "demo" / "sources", tmp / "demo.sqlite", quiet=True, run_log=None)
        output = cli.build(sources_dir=ROOT / "demo" / "sources", db=tmp / "demo.sqlite",
                           output=tmp / "output")
    print(f"{'halaman':<20} {'gzip (B)':>10} {'mentah (B)':>11}  berkas")
    home_gz = 0
    for label, rel in pick_pages(output).items():
        total, raw = weight(output, rel)
        home_gz = total if rel == "index.html" else home_gz
        print(f"{label:<20} {total:>10,} {raw:>11,}  {rel}")
    status = "OK" if home_gz <= HOME_BUDGET else "MELEBIHI"
    print(f"anggaran beranda: {home_gz:,} dari {HOME_BUDGET:,} bita ({status})")
    return 0 if home_gz <= HOME_BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
