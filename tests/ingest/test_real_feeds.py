"""Real Indonesian feeds through fetch → clean → archive → site.

Every capture in ``tests/data/real`` (copied byte for byte from public repositories;
provenance, quirks and expectations in its ``MANIFEST.yml``) is served from a real HTTP
server on 127.0.0.1, registered as one source, fetched into one SQLite archive and built
into one site, once for the whole module. Each fixture then checks what must come out of
it: how many items survive de-duplication, one title after cleaning, that item's date in
the source's own zone, its link, and the title on the item's built page.

The server answers ``application/xml`` without a charset: the bytes alone (BOM, XML
declaration) decide the encoding, as they did when the captures were taken.
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from warta.archive.store import Archive
from warta.core.records import ArchivedItem
from warta.ingest.fetch import FetchPolicy
from warta.ops import cli

from tests.conftest import write_source
from tests.support.server import FeedServer

DATA = Path(__file__).resolve().parents[1] / "data" / "real"
FIXTURES: list[dict[str, Any]] = yaml.safe_load(
    (DATA / "MANIFEST.yml").read_text(encoding="utf-8"))["fixtures"]
FORMATS = {"RSS 2.0": "rss20", "RSS 1.0 (RDF)": "rss10", "RSS 0.91": "rss091u", "Atom": "atom10"}

def source_id(fixture: dict[str, Any]) -> str:
    return "real-" + Path(fixture["file"]).stem.replace("_", "-")


def expected_title(fixture: dict[str, Any]) -> str:
    """The title as the hub stores it: cleaned, and repaired where the feed has mojibake."""
    return str(fixture["expect"]["title"])


@dataclass(frozen=True)
class Hub:
    output: Path
    status: dict[str, str]
    """Source id → fetch status of the one run."""
    items: dict[str, list[ArchivedItem]]
    """Source id → its archived items."""


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Hub:
    root = tmp_path_factory.mktemp("real-feeds")
    sources = root / "sources"
    db = root / "warta.sqlite"
    with FeedServer() as server:
        for fixture in FIXTURES:
            url = server.add("/" + fixture["file"], body=(DATA / fixture["file"]).read_bytes(),
                             content_type="application/xml")
            feed = urlsplit(fixture["feed_url"])
            registry = fixture["registry"]
            write_source(sources, source_id(fixture), [url], kind=registry["kind"],
                         region=registry.get("region"), name=fixture["publisher"],
                         homepage=f"{feed.scheme}://{feed.netloc}")
        report = cli.fetch(sources, db, quiet=True, run_log=None,
                           policy=FetchPolicy(total_timeout=20, retries=0))
    items: dict[str, list[ArchivedItem]] = {}
    with Archive(db) as archive:
        for entry in archive.items():
            items.setdefault(entry.item.source_id, []).append(entry)
    content = root / "content"
    content.mkdir()
    output = cli.build(sources_dir=sources, db=db, output=root / "output",
                       overrides={"PATH": str(content)})
    return Hub(output=output, status={s.source_id: s.status for s in report.sources},
               items=items)


def _item(hub: Hub, fixture: dict[str, Any]) -> ArchivedItem:
    title = expected_title(fixture)
    found = [e for e in hub.items.get(source_id(fixture), []) if e.item.title == title]
    assert found, f"no archived item titled {title!r}"
    return found[0]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: Path(f["file"]).stem)
def test_capture_is_the_recorded_file(fixture: dict[str, Any]) -> None:
    body = (DATA / fixture["file"]).read_bytes()
    assert hashlib.sha256(body).hexdigest() == fixture["sha256"]
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == FORMATS[fixture["format"]]
    assert len(parsed.entries) == fixture["expect"]["items_raw"]
    if fixture.get("mojibake"):  # the capture really has the double-encoded title
        assert fixture["expect"]["title_raw"] in [" ".join(e.title.split()) for e in parsed.entries]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: Path(f["file"]).stem)
def test_archive_keeps_what_the_feed_says(hub: Hub, fixture: dict[str, Any]) -> None:
    expect = fixture["expect"]
    assert hub.status[source_id(fixture)] == "ok"
    assert len(hub.items[source_id(fixture)]) == expect["items"]
    item = _item(hub, fixture).item
    assert item.published.isoformat() == expect["published"]
    assert not item.date_estimated
    assert item.link == expect["link"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: Path(f["file"]).stem)
def test_built_page_shows_the_title(hub: Hub, fixture: dict[str, Any]) -> None:
    item = _item(hub, fixture).item
    pages = list(hub.output.glob(f"berita/*/*/*-{item.id[:6]}/index.html"))
    assert len(pages) == 1, pages
    page = pages[0].read_text(encoding="utf-8")
    headings = re.findall(r"<h1>(.*?)</h1>", page, re.DOTALL)
    assert expected_title(fixture) in [html.unescape(h) for h in headings]


def _titled(hub: Hub, file: str, title: str) -> ArchivedItem:
    fixture = next(f for f in FIXTURES if f["file"] == file)
    return next(e for e in hub.items[source_id(fixture)] if e.item.title == title)


def test_hard_wrapped_plain_text_keeps_its_sentences_whole(hub: Hub) -> None:
    item = _titled(hub, "antara_terkini_20170417.xml",
                   "Petenis peringkat 233 dunia rebut delar Swiss").item
    assert "Petenis peringkat 233 dunia" in item.content_html
    assert "pertamanya pada Minggu (16/04)" in item.content_html
    assert "dengan skor 6-4" in item.content_html
    saham = _titled(hub, "antara_terkini_20170417.xml",
                    "Bursa saham China melemah pada awal perdagangan").item
    assert saham.content_html.count("<p>") == 2  # the whitespace-only line is a paragraph break


def test_dateline_after_a_media_prefix_gives_the_city(hub: Hub) -> None:
    item = _titled(hub, "republika_2017.xml",
                   "Sandiaga: Penjualan Saham Bir Dilakukan Lewat Lelang Terbuka").item
    assert item.place == "Jakarta"


def test_photo_caption_is_not_a_dateline(hub: Hub) -> None:
    item = _titled(hub, "liputan6_2019.xml",
                   "Liga Champions: Data dan Fakta PSG vs Real Madrid").item
    assert item.content_html.startswith("<p>Liga Champions - PSG Vs Real Madrid")
    assert item.place is None


def test_corpus_table_in_the_docs_is_current() -> None:
    """docs/real-feeds.md summarises the manifest; a capture added without it fails here."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "real_feeds_table.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    page = (script.parents[1] / "docs" / "real-feeds.md").read_text(encoding="utf-8")
    for fixture in FIXTURES:
        assert f"`{fixture['file']}`" in page
