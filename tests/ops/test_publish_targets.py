"""Publish targets: each one's limits refuse a site before anything is pushed; rclone to S3.

The rclone target is tested end to end against a real S3 API on 127.0.0.1 (moto's
server, a separate process) through an rclone remote configured by environment
variables, as an operator would configure one; what reached the bucket is read back
with boto3, independently of rclone, and the server's request log says which
objects were uploaded.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from warta.ops import hourly, publish
from warta.ops.publish import PublishError, PublishOptions
from warta.ops.targets import TARGET_LIMITS, limits_for, parse_target
from warta.ops.verify import MANIFEST_NAME, verify_site

from tests.support.hub import Remote, make_registry, options

LIMITS_CODES = {"site_too_big", "file_too_big"}


def make_site(out: Path, pages: int = 12, photo_bytes: int = 200_000) -> Path:
    """A small static site of real files: a home page linking to news pages, and a photo."""
    links = []
    for n in range(pages):
        page = out / "berita" / f"kabar-{n}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!doctype html><title>Kabar {n}</title><p>Isi kabar nomor {n}.</p>",
                        encoding="utf-8")
        links.append(f'<a href="/berita/kabar-{n}/">Kabar {n}</a>')
    (out / "index.html").write_text("<!doctype html><title>Warta</title>" + "".join(links),
                                    encoding="utf-8")
    photo = out / "media" / "foto.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(random.Random(5).randbytes(photo_bytes))
    return out


def site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


# -- limits ---------------------------------------------------------------------------------


def test_limits_are_a_table_per_target() -> None:
    assert TARGET_LIMITS["gh-pages"].site_bytes == 1_000_000_000
    assert TARGET_LIMITS["gh-pages"].file_bytes == 100 * 1024 * 1024
    assert TARGET_LIMITS["rsync"].site_bytes is None and TARGET_LIMITS["dir"].file_bytes is None
    assert limits_for("rsync:warta@server:/srv/warta") == TARGET_LIMITS["rsync"]
    small = limits_for("ghp", {"WARTA_PUBLISH_LIMITS": {"gh-pages": {"site_bytes": 5}}})
    assert small.site_bytes == 5 and small.file_bytes == TARGET_LIMITS["gh-pages"].file_bytes


def test_gh_pages_refuses_a_site_over_its_limits_before_pushing(tmp_path: Path) -> None:
    out = make_site(tmp_path / "output")
    size = sum(len(b) for b in site_files(out).values())
    limits = {"gh-pages": {"site_bytes": size - 1, "file_bytes": 150_000}}
    settings = {"WARTA_PUBLISH_LIMITS": limits}
    verdict = verify_site(out, None, settings, check_links=False, target="gh-pages")
    assert {r.code for r in verdict.reasons} == LIMITS_CODES
    assert verdict.manifest.bytes == size and verdict.manifest.largest == ("media/foto.jpg",
                                                                          200_000)
    too_big = next(r for r in verdict.reasons if r.code == "site_too_big")
    for text in (too_big.indonesian, too_big.english):  # both name the ways out
        assert "rsync" in text and "rclone" in text and "gh-pages" in text
    assert "melebihi batas" in too_big.indonesian and "over the" in too_big.english
    file_reason = next(r for r in verdict.reasons if r.code == "file_too_big")
    assert "media/foto.jpg" in file_reason.indonesian and "0,2 MB" in file_reason.indonesian
    assert "media/foto.jpg" in file_reason.english and "0.2 MB" in file_reason.english

    # publish() checks again, from the manifest or by itself: nothing reaches the remote.
    remote = Remote.create(tmp_path)
    repo = remote.runner(tmp_path / "runner")
    opts = PublishOptions(limits=limits)
    for manifest in (verdict.manifest, None):
        with pytest.raises(PublishError, match="rclone"):
            publish.publish(out, "gh-pages", repo=repo, options=opts, manifest=manifest)
    assert remote.branches() == {"main"}
    # The same site fits a folder or a server: those targets have no such limit.
    assert verify_site(out, None, settings, check_links=False, target="rsync:h:/srv").ok
    publish.publish(out, f"dir:{tmp_path / 'www'}", options=opts)
    assert (tmp_path / "www" / "media" / "foto.jpg").stat().st_size == 200_000


def test_hourly_run_refuses_a_site_too_big_for_gh_pages(tmp_path: Path) -> None:
    remote = Remote.create(tmp_path)
    repo = remote.runner(tmp_path / "runner")
    reg = make_registry(tmp_path, {"pemkab-a": 3})
    opts = options(tmp_path, reg, repo=repo, target="gh-pages")
    opts.overrides["WARTA_PUBLISH_LIMITS"] = {"gh-pages": {"site_bytes": 100_000}}
    result = hourly.run_hourly(opts)
    assert result.exit_code == hourly.EXIT_VERIFY_FAILED and not result.published
    assert "site_too_big" in [r["code"] for r in result.record["verify"]["reasons"]]
    assert "object storage" in result.reason and "rclone" in result.reason
    assert remote.branches() == {"main"}  # nothing was pushed
    assert "publish" not in result.record["phases"]


def test_rclone_target_needs_a_remote(tmp_path: Path) -> None:
    assert parse_target("rclone").kind == "rclone"
    assert parse_target("rclone:s3:bucket/situs").location == "s3:bucket/situs"
    out = make_site(tmp_path / "output")
    if shutil.which("rclone") is None:
        pytest.fail("rclone is not installed (scripts/test.sh installs it: apt-get install rclone)")
    with pytest.raises(PublishError, match="WARTA_RCLONE_REMOTE"):
        publish.publish(out, "rclone", options=PublishOptions())
    with pytest.raises(PublishError, match="tidak dikenal"):
        parse_target("s3://bucket")


# -- rclone against a local S3 API ----------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_REQUEST = re.compile(r'"(GET|PUT|POST|DELETE|HEAD) (\S+) HTTP/1\.\d" (\d{3})')


@dataclass
class S3Server:
    """moto's S3 server on 127.0.0.1 and an rclone remote named ``wartas3`` pointing at it."""

    endpoint: str
    log: Path
    remote: str = "wartas3"

    def requests(self, since: int = 0) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request the server answered, from line ``since``."""
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()[since:]
        found = []
        for line in lines:
            m = _REQUEST.search(_ANSI.sub("", line))
            if m:
                found.append((m.group(1), m.group(2), int(m.group(3))))
        return found

    def mark(self) -> int:
        return len(self.log.read_text(encoding="utf-8", errors="replace").splitlines())

    def objects(self, bucket: str, prefix: str) -> dict[str, bytes]:
        """Every object under ``prefix``, read with boto3 (not through rclone)."""
        import boto3

        client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                              aws_access_key_id="uji", aws_secret_access_key="uji")
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                                     Prefix=prefix):
            for obj in page.get("Contents", []):
                body = client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
                found[obj["Key"].removeprefix(prefix)] = body
        return found


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    if shutil.which("rclone") is None:
        pytest.fail("rclone is not installed (scripts/test.sh installs it: apt-get install rclone)")
    log = tmp_path_factory.mktemp("s3") / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
                                stdout=fh, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        port = None
        while port is None and time.monotonic() < deadline and proc.poll() is None:
            m = re.search(r"Running on http://127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
            port = int(m.group(1)) if m else None
            time.sleep(0.1)
        assert port is not None, log.read_text(errors="replace")
        endpoint = f"http://127.0.0.1:{port}"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("RCLONE_CONFIG", str(log.with_name("rclone.conf")))  # no user config
            for key, value in {"TYPE": "s3", "PROVIDER": "Other", "ENDPOINT": endpoint,
                               "ACCESS_KEY_ID": "uji", "SECRET_ACCESS_KEY": "uji",
                               "REGION": "us-east-1"}.items():
                mp.setenv(f"RCLONE_CONFIG_WARTAS3_{key}", value)
            yield S3Server(endpoint, log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_rclone_publishes_only_what_changed(tmp_path: Path, s3: S3Server) -> None:
    out = make_site(tmp_path / "output")
    opts = PublishOptions(rclone_remote=f"{s3.remote}:situs/warta")
    manifest = verify_site(out, None, {}, check_links=False, target="rclone").manifest
    assert publish.target_manifest("rclone", options=opts) is None  # nothing published yet

    first: dict = {}
    publish.publish(out, "rclone", options=opts, manifest=manifest, report=first)
    local = site_files(out)
    assert s3.objects("situs", "warta/") == local  # every file, byte for byte
    assert first["transferred"] == len(local) and first["bytes"] == sum(map(len, local.values()))
    live = publish.target_manifest("rclone", options=opts)  # a fresh runner's baseline
    assert live is not None and live.pages == manifest.pages and live.bytes == manifest.bytes

    # Nothing changed: nothing is uploaded.
    mark = s3.mark()
    again: dict = {}
    publish.publish(out, "rclone", options=opts, manifest=manifest, report=again)
    assert again["transferred"] == 0 and again["deleted"] == 0
    assert [r for r in s3.requests(mark) if r[0] in ("PUT", "POST", "DELETE")] == []

    # One page changed, one removed: one upload and one deletion, the rest stays.
    (out / "berita/kabar-3/index.html").write_text("<!doctype html><p>Ralat kabar 3.</p>")
    shutil.rmtree(out / "berita/kabar-7")
    mark = s3.mark()
    third: dict = {}
    publish.publish(out, "rclone", options=opts, manifest=manifest, report=third)
    assert third["transferred"] == 1 and third["changed"] == ["berita/kabar-3/index.html"]
    assert third["deleted"] == 1
    writes = [(m, p) for m, p, _status in s3.requests(mark) if m in ("PUT", "POST", "DELETE")]
    assert writes == [("PUT", "/situs/warta/berita/kabar-3/index.html"),
                      ("DELETE", "/situs/warta/berita/kabar-7/index.html")]
    assert s3.objects("situs", "warta/") == site_files(out)
    # --fast-list: the bucket is listed in one request per 1,000 objects, no HEAD per object.
    heads = [r for r in s3.requests(mark) if r[0] == "HEAD" and "/berita/kabar-1/" in r[1]]
    assert heads == []


def test_rclone_failure_is_reported_and_nothing_claims_success(tmp_path: Path,
                                                              s3: S3Server) -> None:
    out = make_site(tmp_path / "output", pages=2)
    unreachable = f"{s3.remote}:situs/warta"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RCLONE_CONFIG_WARTAS3_ENDPOINT", "http://127.0.0.1:9")  # nothing listens
        mp.setenv("RCLONE_RETRIES", "1")
        mp.setenv("RCLONE_LOW_LEVEL_RETRIES", "1")
        with pytest.raises(PublishError, match="rclone sync"):
            publish.publish(out, "rclone", options=PublishOptions(rclone_remote=unreachable))
    assert MANIFEST_NAME not in os.listdir(out)  # no manifest was given, none was written
