"""Images inside report bodies: parsed once per distinct body, rewritten only when read,
and a page follows its body images' outcome (incremental build = full build, byte for byte)."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

import pytest
from warta.ops import cli
from warta.site.bodyimages import BodyImages, parse_imgs

from tests.conftest import ROOT, write_source
from tests.site.test_images_site import JPEG, media_rss
from tests.support import imagekit
from tests.support.server import FeedServer

BODY = ('<p>Petani memanen padi.</p><img src="/foto/sawah.jpg" alt="Sawah" width="800">'
        '<img src="/px.gif" width="1" height="1"><p>Hasil panen naik.</p>')


def test_a_body_is_parsed_once_and_remembered(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "bodies.sqlite"
    first = BodyImages(path)
    other = BODY.replace("sawah", "ladang")
    assert first.of(BODY) == (("/foto/sawah.jpg", "800", None), ("/px.gif", "1", "1"))
    assert first.of(BODY) == parse_imgs(BODY)  # the same body again: no second parse
    assert first.of(other)[0][0] == "/foto/ladang.jpg"
    assert first.of("<p>Tanpa gambar.</p>") == ()
    assert (first.parsed, first.reused) == (2, 0)
    first.save()

    second = BodyImages(path)
    assert second.of(BODY) == parse_imgs(BODY)
    assert (second.parsed, second.reused) == (0, 1)
    second.save()  # `other` was not seen in this build: forgotten

    third = BodyImages(path)
    third.of(other)
    assert (third.parsed, third.reused) == (1, 0)


def test_an_unreadable_file_means_parsing_again(tmp_path: Path) -> None:
    path = tmp_path / "bodies.sqlite"
    path.write_bytes(b"bukan sqlite " * 100)
    bodies = BodyImages(path)
    assert bodies.of(BODY)[0][0] == "/foto/sawah.jpg" and bodies.parsed == 1
    bodies.save()  # logged, not raised
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT 1 FROM bodies").fetchall()


def _build(tmp_path: Path, output: str, *, full: bool) -> Path:
    overrides = {
        "WARTA_IMAGE_CACHE": str(tmp_path / "cache"),
        "WARTA_IMAGE_ALLOW_PRIVATE": True,
        "WARTA_IMAGE_WORKERS": 0,
        "WARTA_IMAGE_RETRY_HOURS": 0,  # a failed image is tried again in the next build
        "WARTA_IMAGES_OFFLINE": False,
        "WARTA_BUILD_TIME": "2026-11-24T12:00:00+00:00",
        "PATH": str(tmp_path / "content"),
    }
    (tmp_path / "content").mkdir(exist_ok=True)
    return cli.build(settings_file=ROOT / "pelicanconf.py", sources_dir=tmp_path / "sources",
                     db=tmp_path / "warta.sqlite", output=tmp_path / output, full=full,
                     overrides=overrides)


def _pages(out: Path) -> dict[str, bytes]:
    # /status/ and sources.json show when each image was last tried: they differ by build.
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "sources.json" and not str(p.relative_to(out)).startswith("status")}


def test_a_body_image_that_comes_back_changes_its_page(server: FeedServer, tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    photo = "/wp-content/uploads/2026/11/panen.jpg"
    items = [{"title": f"Laporan Panen Desa Nomor {n}", "link": f"https://contoh.go.id/panen-{n}/",
              "body": f"<p>Panen raya desa {n}.</p>"} for n in range(5)]
    items[2]["body"] = (f'<p>Bupati ikut memanen.</p><img src="{server.url(photo)}" alt="Panen">'
                        "<p>Hasil naik.</p>")
    # Its own lead photo, there all along: only the body image changes between the builds.
    items[2]["media"] = server.add("/foto/utama.jpg", content_type=JPEG,
                                   body=imagekit.jpeg_with_gps(1600, 1200, orientation=1))
    write_source(tmp_path / "sources", "humas-panen", [server.add("/feed", body=media_rss(items))])
    cli.fetch(tmp_path / "sources", tmp_path / "warta.sqlite", quiet=True, run_log=None)

    out = _build(tmp_path, "output", full=True)  # the photo is missing: left out of the body
    (page,) = [p for p in out.rglob("index.html") if "laporan-panen-desa-nomor-2" in str(p)]
    body = page.read_text(encoding="utf-8").split("<p>Bupati ikut memanen.</p>", 1)[1]
    assert not body.startswith("<p><picture>") and "Hasil naik." in body

    server.add(photo, body=imagekit.jpeg_with_gps(1200, 800, orientation=1), content_type=JPEG)
    caplog.set_level(logging.INFO, logger="warta.site.images")
    _build(tmp_path, "output", full=False)
    assert re.search(r'<p>Bupati ikut memanen.</p><p><picture><source [^>]*srcset="/media/',
                     page.read_text(encoding="utf-8"))
    assert "gambar dalam isi berita: 0 isi diurai, 5 dari cache" in caplog.text  # 5 reports
    incremental, full = _pages(out), _pages(_build(tmp_path, "full", full=True))
    assert sorted(incremental) == sorted(full)
    assert [p for p in incremental if incremental[p] != full[p]] == []


def test_a_remembered_value_is_computed_once_per_key(tmp_path: Path) -> None:
    path = tmp_path / "bodies.sqlite"
    calls: list[int] = []

    def compute() -> list[object]:
        calls.append(1)
        return [2, ["https://contoh.go.id/a.jpg"], []]

    first = BodyImages(path)
    assert first.remember("u:aturan:hash1", compute) == [2, ["https://contoh.go.id/a.jpg"], []]
    first.save()
    second = BodyImages(path)
    assert second.remember("u:aturan:hash1", compute) == [2, ["https://contoh.go.id/a.jpg"], []]
    assert len(calls) == 1 and (second.parsed, second.reused) == (0, 1)
    assert second.remember("u:aturan-baru:hash1", compute) and len(calls) == 2  # other code, other key
