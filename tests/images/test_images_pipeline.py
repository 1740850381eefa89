"""Image run against a real 127.0.0.1 server: validation, stripping, cache, SSRF guard."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from warta.images.cache import ImageCache
from warta.images.download import DownloadPolicy, is_public_address
from warta.images.run import ImageConfig, run_images

from tests.support import imagekit
from tests.support.server import FeedServer, Route

JPEG = "image/jpeg"


def config(tmp_path: Path, **kw: object) -> ImageConfig:
    dl = {k: kw.pop(k) for k in list(kw) if k in DownloadPolicy.__dataclass_fields__}
    dl.setdefault("allow_private", True)
    dl.setdefault("total_timeout", 5.0)
    return ImageConfig(cache_dir=tmp_path / "cache", download=DownloadPolicy(**dl),  # type: ignore[arg-type]
                       workers=kw.pop("workers", 0), **kw)  # type: ignore[arg-type]


def files_of(cfg: ImageConfig, url: str) -> list[Path]:
    return sorted(p for p in ImageCache(cfg.cache_dir).dir_for(url).iterdir() if p.name != "meta.json")


def test_phone_jpeg_is_oriented_resized_and_stripped_of_gps(server: FeedServer, tmp_path: Path):
    url = server.add("/foto.jpg", body=imagekit.jpeg_with_gps(1600, 1200, orientation=6),
                     content_type=JPEG)
    cfg = config(tmp_path)
    outcomes, report = run_images([url], cfg)
    out = outcomes[url]
    assert out.status == "ok" and report.processed == 1
    img = out.image
    assert img is not None and not img.placeholder
    # EXIF orientation 6 = rotate 90°: the 1600×1200 sensor image is served upright, 1200×1600.
    assert (img.width, img.height) == (1200, 1600)
    assert [v.width for v in img.variants] == [320, 640, 1024]
    cache = cfg.cache_dir
    for v in img.variants:
        with Image.open(cache / v.webp) as w:
            assert w.format == "WEBP" and w.size == (v.width, v.height)
            assert v.height > v.width  # portrait after orientation
            assert not w.getexif() and "exif" not in w.info and "icc_profile" not in w.info
            assert "xmp" not in w.info
        with Image.open(cache / v.jpeg) as j:
            assert j.format == "JPEG" and j.size == (v.width, v.height)
            assert not j.getexif() and "exif" not in j.info
            raw = (cache / v.jpeg).read_bytes()
            assert b"Exif" not in raw and b"PonselMurah" not in raw and b"GPS" not in raw
        assert b"PonselMurah" not in (cache / v.webp).read_bytes()
    # The red corner (top-left of the sensor) is top-right once rotated 90° clockwise.
    with Image.open(cache / img.largest.jpeg) as j:
        rgb = j.convert("RGB")
        r, g, b = rgb.getpixel((rgb.width - 5, 5))
        assert r > 200 and g < 60 and b < 90
    with Image.open(cache / img.social) as s:
        assert s.size == (1200, 630) and s.format == "JPEG" and not s.getexif()


def test_cmyk_and_palette_alpha_are_converted(server: FeedServer, tmp_path: Path):
    cmyk = server.add("/cmyk.jpg", body=imagekit.cmyk_jpeg(900, 600), content_type=JPEG)
    pal = server.add("/logo-less.png", body=imagekit.palette_png_alpha(700, 500),
                     content_type="image/png")
    cfg = config(tmp_path)
    outcomes, _ = run_images([cmyk, pal], cfg)
    c = outcomes[cmyk].image
    p = outcomes[pal].image
    assert c is not None and p is not None
    # 900 px wide: 320 and 640, then its own width; never upscaled to 1024.
    assert [v.width for v in c.variants] == [320, 640, 900]
    with Image.open(cfg.cache_dir / c.largest.jpeg) as j:
        assert j.mode == "RGB"
    with Image.open(cfg.cache_dir / p.largest.webp) as w:
        assert w.mode == "RGBA"
        assert w.getpixel((2, 2))[3] == 0  # transparent corner stays transparent in WebP
    with Image.open(cfg.cache_dir / p.largest.jpeg) as j:
        assert j.mode == "RGB"
        assert all(ch > 240 for ch in j.getpixel((2, 2)))  # flattened on white, not black


@pytest.mark.parametrize(("name", "route", "error_class"), [
    ("bomb", Route(body=imagekit.png_bomb(), content_type="image/png"), "too_many_pixels"),
    ("html", Route(body=b"<!doctype html><html><body>Maaf</body></html>", content_type=JPEG),
     "not_an_image"),
    ("corrupt", Route(body=imagekit.jpeg_with_gps(800, 600)[:900], content_type=JPEG), "corrupt"),
    ("missing", None, "http"),
    ("tiny", Route(body=imagekit.cmyk_jpeg(16, 16), content_type=JPEG), "too_small"),
])
def test_bad_images_fail_with_a_reason(server: FeedServer, tmp_path: Path, name: str,
                                       route: Route | None, error_class: str):
    url = server.add(f"/{name}.jpg", route) if route else server.url(f"/{name}.jpg")
    outcomes, report = run_images([url], config(tmp_path))
    out = outcomes[url]
    assert out.status == "failed" and out.image is None
    assert out.error_class == error_class
    assert out.error_message and out.attempted
    assert report.failed == 1 and report.processed == 0
    if name == "missing":
        assert out.http_status == 404 and "404" in out.error_message


def test_byte_cap_stops_the_download(server: FeedServer, tmp_path: Path):
    body = imagekit.noisy_jpeg(900, 900)
    assert len(body) > 200_000
    url = server.add("/besar.jpg", body=body, content_type=JPEG)
    no_length = server.add("/besar-stream.jpg", Route(
        handler=lambda h: Route(body=body, content_type=JPEG, headers={"Content-Length": ""})))
    outcomes, _ = run_images([url, no_length], config(tmp_path, max_bytes=100_000))
    assert outcomes[url].error_class == "too_large"
    assert outcomes[no_length].error_class == "too_large"
    assert not list((tmp_path / "cache" / "tmp").glob("*.part"))


def test_second_run_processes_nothing_and_keeps_files(server: FeedServer, tmp_path: Path):
    url = server.add("/foto.jpg", body=imagekit.jpeg_with_gps(1200, 900), content_type=JPEG)
    cfg = config(tmp_path)
    first, r1 = run_images([url], cfg)
    mtimes = {p: p.stat().st_mtime_ns for p in files_of(cfg, url)}
    second, r2 = run_images([url], cfg)
    assert r1.processed == 1 and r2.processed == 0 and r2.reused == 1
    assert len(server.hits("/foto.jpg")) == 1  # fresh in cache: no request at all
    assert {p: p.stat().st_mtime_ns for p in files_of(cfg, url)} == mtimes
    assert second[url].image == first[url].image
    assert not second[url].attempted


def test_stale_image_is_revalidated_with_etag(server: FeedServer, tmp_path: Path):
    url = server.add("/foto.jpg", body=imagekit.jpeg_with_gps(1200, 900), content_type=JPEG,
                     etag='"v1"', last_modified="Mon, 23 Nov 2026 02:00:00 GMT")
    cfg = config(tmp_path, revalidate_after=0.0)
    run_images([url], cfg)
    mtimes = {p: p.stat().st_mtime_ns for p in files_of(cfg, url)}
    outcomes, report = run_images([url], cfg)
    hits = server.hits("/foto.jpg")
    assert len(hits) == 2
    assert hits[1].headers.get("if-none-match") == '"v1"'
    assert hits[1].headers.get("if-modified-since") == "Mon, 23 Nov 2026 02:00:00 GMT"
    assert report.revalidated == 1 and report.processed == 0
    assert outcomes[url].status == "ok"
    assert {p: p.stat().st_mtime_ns for p in files_of(cfg, url)} == mtimes


def test_changed_image_gets_new_names_and_old_files_go(server: FeedServer, tmp_path: Path):
    server.add("/foto.jpg", body=imagekit.jpeg_with_gps(1200, 900, seed=1), content_type=JPEG,
               etag='"v1"')
    url = server.url("/foto.jpg")
    cfg = config(tmp_path, revalidate_after=0.0)
    first, _ = run_images([url], cfg)
    server.add("/foto.jpg", body=imagekit.jpeg_with_gps(1000, 800, seed=2, orientation=1),
               content_type=JPEG, etag='"v2"')
    second, report = run_images([url], cfg)
    assert report.processed == 1
    a, b = first[url].image, second[url].image
    assert a is not None and b is not None
    assert a.largest.webp != b.largest.webp and b.width == 1000
    names = {p.name for p in files_of(cfg, url)}
    assert Path(a.largest.webp).name not in names and Path(b.largest.webp).name in names


def test_failed_image_is_not_retried_before_its_time(server: FeedServer, tmp_path: Path):
    url = server.url("/hilang.jpg")
    cfg = config(tmp_path)
    run_images([url], cfg)
    outcomes, _ = run_images([url], cfg)
    assert len(server.hits("/hilang.jpg")) == 1
    assert outcomes[url].status == "failed" and not outcomes[url].attempted
    retry = config(tmp_path, retry_failed_after=0.0)
    run_images([url], retry)
    assert len(server.hits("/hilang.jpg")) == 2


def test_cached_copy_survives_the_source_losing_the_image(server: FeedServer, tmp_path: Path):
    url = server.add("/foto.jpg", body=imagekit.jpeg_with_gps(1200, 900), content_type=JPEG)
    cfg = config(tmp_path, revalidate_after=0.0)
    first, _ = run_images([url], cfg)
    del server.routes["/foto.jpg"]
    again, _ = run_images([url], cfg)
    assert again[url].status == "ok" and again[url].image == first[url].image


def test_private_addresses_are_refused(server: FeedServer, tmp_path: Path):
    secret = server.add("/rahasia.jpg", body=imagekit.jpeg_with_gps(800, 600), content_type=JPEG)
    cfg = config(tmp_path, allow_private=False)
    outcomes, _ = run_images([secret], cfg)
    assert outcomes[secret].error_class == "blocked"
    assert server.hits("/rahasia.jpg") == []


def test_redirect_to_private_address_is_refused(server: FeedServer, tmp_path: Path):
    """The first hop is an allowed host; the redirect targets are internal and never contacted."""
    server.add("/rahasia.jpg", body=imagekit.jpeg_with_gps(800, 600), content_type=JPEG)
    via_name = server.add("/r1.jpg", redirect_to=f"http://localhost:{server.port}/rahasia.jpg")
    via_ip = server.add("/r2.jpg", redirect_to="http://169.254.169.254/latest/meta-data/x.jpg")
    via_v6 = server.add("/r3.jpg", redirect_to=f"http://[::1]:{server.port}/rahasia.jpg")
    cfg = config(tmp_path, allow_private=False,
                 trusted_hosts=frozenset({f"127.0.0.1:{server.port}"}))
    outcomes, _ = run_images([via_name, via_ip, via_v6], cfg)
    for url in (via_name, via_ip, via_v6):
        assert outcomes[url].error_class == "blocked", outcomes[url]
        assert "privat" in (outcomes[url].error_message or "")
    assert server.hits("/rahasia.jpg") == []
    # The same redirect is followed when private addresses are allowed (test setting).
    ok, _ = run_images([via_name], config(tmp_path / "b", allow_private=True))
    assert ok[via_name].status == "ok"


def test_public_address_check():
    for addr in ("127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.9", "169.254.169.254",
                 "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                 "224.0.0.1"):
        assert not is_public_address(addr), addr
    for addr in ("103.10.20.30", "8.8.8.8", "2001:4860:4860::8888"):
        assert is_public_address(addr), addr


def test_file_urls_need_the_setting(tmp_path: Path):
    pic = tmp_path / "demo" / "foto.jpg"
    pic.parent.mkdir()
    pic.write_bytes(imagekit.jpeg_with_gps(800, 600))
    url = pic.as_uri()
    blocked, _ = run_images([url], config(tmp_path / "a"))
    assert blocked[url].error_class == "blocked"
    allowed, _ = run_images([url], config(tmp_path / "b", allow_file=True))
    assert allowed[url].status == "ok"
    rel, _ = run_images(["file:foto.jpg"], config(tmp_path / "c", allow_file=True,
                                                  file_root=pic.parent))
    assert rel["file:foto.jpg"].status == "ok"


def test_offline_uses_cache_only(server: FeedServer, tmp_path: Path):
    cached = server.add("/ada.jpg", body=imagekit.jpeg_with_gps(800, 600), content_type=JPEG)
    run_images([cached], config(tmp_path))
    new = server.add("/baru.jpg", body=imagekit.jpeg_with_gps(800, 600), content_type=JPEG)
    outcomes, report = run_images([cached, new], config(tmp_path, offline=True,
                                                        revalidate_after=0.0))
    assert outcomes[cached].status == "ok"
    assert outcomes[new].status == "offline" and not outcomes[new].attempted
    assert server.hits("/baru.jpg") == [] and len(server.hits("/ada.jpg")) == 1
    assert report.offline == 1


def test_process_pool_within_a_memory_budget(server: FeedServer, tmp_path: Path):
    urls = [server.add(f"/f{i}.jpg", body=imagekit.jpeg_with_gps(1300 + i * 10, 900, seed=i,
                                                                 orientation=1),
                       content_type=JPEG) for i in range(5)]
    urls.append(server.add("/bom.png", body=imagekit.png_bomb(), content_type="image/png"))
    cfg = config(tmp_path, workers=2, memory_mb=1)  # budget below one image: strictly one at a time
    outcomes, report = run_images(urls, cfg)
    assert report.processed == 5 and report.failed == 1
    assert report.max_in_flight == 1
    assert outcomes[urls[-1]].error_class == "too_many_pixels"
    for url in urls[:-1]:
        img = outcomes[url].image
        assert img is not None
        with Image.open(io.BytesIO((cfg.cache_dir / img.largest.webp).read_bytes())) as w:
            assert w.width == 1024

    _, report2 = run_images(urls[:4], config(tmp_path / "b", workers=2, memory_mb=512))
    assert report2.processed == 4 and report2.max_in_flight == 2
