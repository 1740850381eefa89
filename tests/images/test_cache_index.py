"""The image cache's index (index.sqlite) against a real server, real files and a real SQLite file.

What is promised:

* a run where everything is cached reads no ``meta.json`` and looks at no derivative file;
* the index is derived data: deleted, damaged or of another layout, the run reuses the
  images from ``meta.json`` and the index is written again;
* a derivative missing from the cache is found when it must be linked into an output: that
  publish logs it and leaves the image unrecorded, the next run fetches and processes it
  again (or, offline, serves no image at all), and the next publish links it. A run for a
  new output folder (``verify_files``) looks at every file and repairs it at once;
* a publish into an output looks only at images it has not linked there, and starts over
  when the output's ``media/`` folder was deleted or changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from warta.core.records import ServedImage
from warta.images.cache import ImageCache, served_files
from warta.images.download import DownloadPolicy
from warta.images.index import FILE_NAME
from warta.images.run import ImageConfig, run_images

from tests.support import imagekit
from tests.support.server import FeedServer

JPEG = "image/jpeg"


def config(tmp_path: Path, **kw: object) -> ImageConfig:
    return ImageConfig(cache_dir=tmp_path / "cache",
                       download=DownloadPolicy(allow_private=True, total_timeout=5.0),
                       workers=0, **kw)  # type: ignore[arg-type]


@pytest.fixture
def photos(server: FeedServer) -> list[str]:
    return [server.add(f"/foto{i}.jpg", body=imagekit.jpeg_with_gps(700 + 10 * i, 500, seed=i),
                       content_type=JPEG) for i in range(3)]


def metas(cfg: ImageConfig) -> list[Path]:
    return sorted(cfg.cache_dir.glob("??/*/meta.json"))


def hits(server: FeedServer) -> int:
    return sum(1 for r in server.requests if r.path.startswith("/foto"))


class Calls:
    """Counts calls of a few file-system functions, which still do their work."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.paths: dict[str, list[str]] = {"is_file": [], "exists": [], "read_text": [],
                                            "link": []}
        for name in ("is_file", "exists", "read_text"):
            real = getattr(Path, name)
            monkeypatch.setattr(Path, name, self._wrap(name, real))
        real_link = os.link

        def link(src: object, dst: object, *a: object, **kw: object) -> None:
            self.paths["link"].append(str(dst))
            real_link(src, dst, *a, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "link", link)

    def _wrap(self, name: str, real: object) -> object:
        calls = self.paths[name]

        def wrapper(path: Path, *a: object, **kw: object) -> object:
            calls.append(str(path))
            return real(path, *a, **kw)  # type: ignore[operator]

        return wrapper

    def under(self, name: str, root: Path) -> list[str]:
        return [p for p in self.paths[name] if p.startswith(str(root))]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    yield Calls(monkeypatch)


def test_cached_run_reads_no_meta_json_and_looks_at_no_file(server: FeedServer, tmp_path: Path,
                                                             photos: list[str],
                                                             monkeypatch: pytest.MonkeyPatch):
    cfg = config(tmp_path)
    first, r1 = run_images(photos, cfg)
    assert r1.processed == 3 and (cfg.cache_dir / FILE_NAME).is_file()
    assert len(metas(cfg)) == 3  # the cache stays plain files: meta.json is still written
    for meta in metas(cfg):
        meta.unlink()
    counted = Calls(monkeypatch)
    second, r2 = run_images(photos, cfg)
    assert r2.reused == 3 and r2.processed == 0 and hits(server) == 3
    assert {u: o.image for u, o in second.items()} == {u: o.image for u, o in first.items()}
    assert counted.under("read_text", cfg.cache_dir) == []
    assert counted.under("is_file", cfg.cache_dir) == []


@pytest.mark.parametrize("damage", ["deleted", "garbage", "other layout"])
def test_lost_or_damaged_index_is_rebuilt_from_meta_json(server: FeedServer, tmp_path: Path,
                                                        photos: list[str], damage: str,
                                                        caplog: pytest.LogCaptureFixture):
    cfg = config(tmp_path)
    first, _ = run_images(photos, cfg)
    index = cfg.cache_dir / FILE_NAME
    index.unlink()
    for extra in ("-wal", "-shm"):
        index.with_name(index.name + extra).unlink(missing_ok=True)
    if damage == "garbage":
        index.write_bytes(b"bukan basis data SQLite\x00" * 400)
    elif damage == "other layout":
        with sqlite3.connect(index) as conn:
            conn.execute("CREATE TABLE images (url TEXT PRIMARY KEY, stuff BLOB)")
            conn.execute("INSERT INTO images VALUES (?, x'00')", (photos[0],))
        conn.close()
    with caplog.at_level(logging.WARNING):
        again, report = run_images(photos, cfg)
    assert report.reused == 3 and report.processed == 0 and hits(server) == 3
    assert {u: o.image for u, o in again.items()} == {u: o.image for u, o in first.items()}
    if damage == "garbage":
        assert "indeks cache gambar dibuat ulang" in caplog.text
    # The index holds every record again: without any meta.json the next run still reuses all.
    for meta in metas(cfg):
        meta.unlink()
    _, third = run_images(photos, cfg)
    assert third.reused == 3 and hits(server) == 3


def test_a_whole_deleted_cache_is_fetched_again(server: FeedServer, tmp_path: Path,
                                                photos: list[str]):
    cfg = config(tmp_path)
    run_images(photos, cfg)
    shutil.rmtree(cfg.cache_dir)
    outcomes, report = run_images(photos, cfg)
    assert report.processed == 3 and hits(server) == 6
    assert all(o.image is not None and (cfg.cache_dir / o.image.social).is_file()
               for o in outcomes.values())


def publish(cfg: ImageConfig, images: list[ServedImage], out: Path) -> int:
    cache = ImageCache(cfg.cache_dir)
    try:
        return cache.publish_all(images, out / "media")
    finally:
        cache.close()


def served(outcomes: dict) -> list[ServedImage]:
    return [o.image for o in outcomes.values() if o.image is not None]


def test_publish_links_only_what_the_output_lacks(server: FeedServer, tmp_path: Path,
                                                  photos: list[str], calls: Calls):
    cfg = config(tmp_path)
    outcomes, _ = run_images(photos, cfg)
    out = tmp_path / "output"
    images = served(outcomes)
    files = [f for image in images for f in served_files(image)]
    assert publish(cfg, images[:2], out) == 2
    assert set(calls.under("link", out)) == {str(out / "media" / f)
                                             for image in images[:2] for f in served_files(image)}
    calls.paths["link"].clear()
    # The same output again with one more image: only the new image is looked at.
    assert publish(cfg, images, out) == 1
    assert set(calls.under("link", out)) == {str(out / "media" / f) for f in served_files(images[2])}
    assert calls.under("exists", out) == [] and calls.under("is_file", out) == []
    assert all((out / "media" / f).is_file() for f in files)
    calls.paths["link"].clear()
    assert publish(cfg, images, out) == 0 and calls.under("link", out) == []
    # A deleted media folder (a full build deletes the output) gets everything linked again.
    shutil.rmtree(out / "media")
    assert publish(cfg, images, out) == 3
    assert all((out / "media" / f).is_file() for f in files)
    # So does one whose top-level folders changed, and an output the index never saw.
    shutil.rmtree(out / "media" / files[0].split("/", 1)[0])
    assert publish(cfg, images, out) == 3
    assert all((out / "media" / f).is_file() for f in files)
    (cfg.cache_dir / FILE_NAME).unlink()
    assert publish(cfg, images, out) == 3


def test_missing_derivative_is_fetched_again_by_the_next_run(server: FeedServer, tmp_path: Path,
                                                             photos: list[str],
                                                             caplog: pytest.LogCaptureFixture):
    """Exact guarantee: the publish that finds a file missing from the cache says so and does not
    count the image as published; the next run fetches it again, the next publish links it."""
    cfg = config(tmp_path)
    outcomes, _ = run_images(photos, cfg)
    victim = outcomes[photos[1]].image
    assert victim is not None
    gone = victim.variants[0].webp
    (cfg.cache_dir / gone).unlink()
    out = tmp_path / "output"
    with caplog.at_level(logging.WARNING):
        assert publish(cfg, served(outcomes), out) == 2
    assert gone in caplog.text and "tidak ada di cache gambar" in caplog.text
    assert not (out / "media" / gone).exists()
    again, report = run_images(photos, cfg)
    assert report.processed == 1 and report.reused == 2 and len(server.hits("/foto1.jpg")) == 2
    assert again[photos[1]].image == victim  # same bytes, same names: pages stay the same
    assert publish(cfg, served(again), out) == 1
    assert all((out / "media" / f).is_file() for i in served(again) for f in served_files(i))
    # Checked once: later runs neither fetch nor look at files again.
    _, settled = run_images(photos, cfg)
    assert settled.reused == 3 and hits(server) == 4


def cached_without_a_file(cfg: ImageConfig, photos: list[str], url: str,
                          which: Callable[[ServedImage], str]) -> tuple[dict[str, Any], ServedImage]:
    """Every photo cached, then one derivative file (``which``) of ``url`` deleted from the cache."""
    outcomes, _ = run_images(photos, cfg)
    victim = outcomes[url].image
    assert victim is not None
    (cfg.cache_dir / which(victim)).unlink()
    return outcomes, victim


def test_missing_derivative_offline_serves_no_broken_image(server: FeedServer, tmp_path: Path,
                                                           photos: list[str]):
    cfg = config(tmp_path)
    outcomes, _ = cached_without_a_file(cfg, photos, photos[0], lambda image: image.social)
    publish(cfg, served(outcomes), tmp_path / "output")
    offline, report = run_images(photos, config(tmp_path, offline=True))
    assert offline[photos[0]].status == "offline" and offline[photos[0]].image is None
    assert report.reused == 2 and hits(server) == 3


def test_run_for_a_new_output_checks_every_file(server: FeedServer, tmp_path: Path,
                                                photos: list[str]):
    cfg = config(tmp_path)
    cached_without_a_file(cfg, photos, photos[2], lambda image: image.largest.jpeg)
    # Without the check the index still trusts the files it saw (the output holds its links).
    _, trusting = run_images(photos, cfg)
    assert trusting.reused == 3 and hits(server) == 3
    repaired, report = run_images(photos, config(tmp_path, verify_files=True))
    assert report.processed == 1 and len(server.hits("/foto2.jpg")) == 2
    out = tmp_path / "output"
    assert publish(cfg, served(repaired), out) == 3
    assert all((out / "media" / f).is_file() for i in served(repaired) for f in served_files(i))


def test_a_url_the_complete_index_lacks_asks_no_file(server: FeedServer, tmp_path: Path,
                                                     photos: list[str],
                                                     monkeypatch: pytest.MonkeyPatch):
    """A new index reads every meta.json once; after that an image not cached yet (offline,
    or not downloaded so far) costs no failed file look-up per build."""
    cfg = config(tmp_path)
    run_images(photos[:2], cfg)
    index = cfg.cache_dir / FILE_NAME
    index.unlink()
    for extra in ("-wal", "-shm"):
        index.with_name(index.name + extra).unlink(missing_ok=True)
    counted = Calls(monkeypatch)
    offline = config(tmp_path, offline=True)
    outcomes, report = run_images(photos, offline)  # the new index is filled from meta.json
    assert report.reused == 2 and outcomes[photos[2]].status == "offline"
    assert len(counted.under("read_text", cfg.cache_dir)) == 2
    for seen in counted.paths.values():
        seen.clear()
    outcomes, report = run_images(photos, offline)
    assert report.reused == 2 and outcomes[photos[2]].status == "offline"
    assert counted.under("read_text", cfg.cache_dir) == []
    assert counted.under("is_file", cfg.cache_dir) == []
    # Online, the image the index lacks is fetched and indexed like any other.
    outcomes, report = run_images(photos, cfg)
    assert report.processed == 1 and outcomes[photos[2]].status == "ok"


def test_publish_removes_what_no_page_shows_any_more(server: FeedServer, tmp_path: Path,
                                                    photos: list[str], calls: Calls):
    """An output lives on between builds: the photo of a report that was withdrawn (or no
    longer shown) must not stay at its address. A copy of the output restored elsewhere (a CI
    cache: new inode, same token and times) is still known; one older than the index is not,
    and is cleaned by looking at every file once."""
    cfg = config(tmp_path)
    outcomes, _ = run_images(photos, cfg)
    images = served(outcomes)
    out = tmp_path / "output"
    media = out / "media"
    assert publish(cfg, images, out) == 3
    older = tmp_path / "older-media"
    shutil.copytree(media, older)  # what an earlier run's cache would restore, with its token
    older_token = (tmp_path / "output.media.json").read_bytes()
    gone = served_files(images[2])

    assert publish(cfg, images[:2], out) == 0  # the third photo's report was withdrawn
    assert not any((media / f).exists() for f in gone)
    assert not (media / gone[0]).parent.exists()  # its folder too
    assert all((media / f).is_file() for i in images[:2] for f in served_files(i))

    media.rename(tmp_path / "before-restore")  # still there: the copy gets another inode
    shutil.copytree(tmp_path / "before-restore", media)  # the same token and modification times
    assert media.stat().st_ino != (tmp_path / "before-restore").stat().st_ino
    calls.paths["link"].clear()
    assert publish(cfg, images[:2], out) == 0 and calls.under("link", out) == []

    shutil.rmtree(media)
    shutil.copytree(older, media)  # an output from before the last publish: not trusted
    (tmp_path / "output.media.json").write_bytes(older_token)
    assert publish(cfg, images[:2], out) == 2
    assert not any((media / f).exists() for f in gone)
    assert all((media / f).is_file() for i in images[:2] for f in served_files(i))
