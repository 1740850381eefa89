"""Images through a real fetch + Pelican build: pages, media files, health, og:image."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image
from warta.archive.store import Archive
from warta.images.cache import CacheMeta, ImageCache, url_key
from warta.images.index import media_marker
from warta.ops import cli

from tests.conftest import ROOT, write_source
from tests.support import imagekit
from tests.support.server import FeedServer

JPEG = "image/jpeg"


def media_rss(items: list[dict[str, str]]) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>',
             "<title>Humas Uji</title><link>https://contoh.go.id/</link>"]
    for it in items:
        parts.append(f"<item><title>{it['title']}</title><link>{it['link']}</link>"
                     f"<guid>{it['link']}</guid><pubDate>Mon, 23 Nov 2026 09:15:00 +0700</pubDate>")
        if "media" in it:
            parts.append(f'<media:content url="{it["media"]}" medium="image" width="1600" height="1200"/>')
        parts.append(f"<description><![CDATA[{it.get('body', '<p>Isi berita.</p>')}]]></description></item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def build_site(tmp_path: Path, server: FeedServer, *, content: Path | None = None,
               full: bool = False, **settings: object) -> Path:
    overrides = {
        "WARTA_IMAGE_CACHE": str(tmp_path / "cache"),
        "WARTA_IMAGE_ALLOW_PRIVATE": True,
        "WARTA_IMAGE_WORKERS": 0,
        "WARTA_IMAGE_TIMEOUT": 5,
        "WARTA_IMAGES_OFFLINE": False,
        "PATH": str(content or tmp_path / "content"),
        **settings,
    }
    (tmp_path / "content").mkdir(exist_ok=True)
    return cli.build(settings_file=ROOT / "pelicanconf.py", sources_dir=tmp_path / "sources",
                     db=tmp_path / "warta.sqlite", output=tmp_path / "output", overrides=overrides,
                     full=full)


@pytest.fixture
def site(server: FeedServer, tmp_path: Path) -> dict[str, str]:
    photo = server.add("/wp-content/uploads/2026/11/rapat.jpg",
                       body=imagekit.jpeg_with_gps(1600, 1200, orientation=1), content_type=JPEG,
                       etag='"rapat-1"')
    inline = server.add("/wp-content/uploads/2026/11/warga.png",
                        body=imagekit.palette_png_alpha(700, 500), content_type="image/png")
    pixel = server.url("/pixel.gif")
    missing = server.url("/wp-content/uploads/2026/11/hilang.jpg")
    feed = server.add("/feed", body=media_rss([
        {"title": "Rapat Koordinasi Penanganan Banjir", "link": "https://contoh.go.id/rapat/",
         "media": photo,
         "body": f'<p>Rapat dipimpin Sekda.</p><img src="{inline}" alt="Warga gotong royong">'
                 f'<img src="{pixel}" width="1" height="1"><p>Selesai.</p>'},
        {"title": "Foto Kegiatan Hilang", "link": "https://contoh.go.id/hilang/", "media": missing},
    ]))
    write_source(tmp_path / "sources", "humas-uji", [feed], short_name="Humas Uji")
    cli.fetch(tmp_path / "sources", tmp_path / "warta.sqlite", quiet=True, run_log=None)
    return {"photo": photo, "inline": inline, "pixel": pixel, "missing": missing}


def pages(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def test_build_serves_derivatives_never_the_original(server: FeedServer, tmp_path: Path,
                                                      site: dict[str, str]):
    out = build_site(tmp_path, server)
    html = pages(out)
    article = next(t for p, t in html.items() if "rapat-koordinasi" in p)
    # Lead image: <picture> with WebP srcset + JPEG fallback, intrinsic size, eager on the article.
    lead = re.search(r'<figure class="gambar-utama"><picture>(.*?)</picture>', article, re.S)
    assert lead, article
    assert 'type="image/webp"' in lead.group(1)
    assert re.search(r'srcset="/media/[^"]+-320\.webp 320w, [^"]+-640\.webp 640w, [^"]+-1024\.webp 1024w"',
                     lead.group(1))
    assert 'width="1024" height="768"' in lead.group(1)
    assert 'loading="lazy"' in lead.group(1) and 'class="gambar-utama"' in lead.group(1)
    # Body: the PNG became a lazy <picture>, the tracking pixel is gone.
    body = article.split('<div class="isi">', 1)[1]
    assert body.count("<picture>") == 1 and 'loading="lazy"' in body
    assert 'alt="Warga gotong royong"' in body
    # No page and no API document names an original image URL.
    api = (out / "api/v1/latest.json").read_text(encoding="utf-8")
    for original in site.values():
        assert all(original not in t for t in html.values()), original
        assert original not in api
    # Every referenced media file exists and is what it claims to be.
    refs = set(re.findall(r'/media/([^" ,]+)', "".join(html.values())))
    assert refs
    for rel in refs:
        path = out / "media" / rel
        assert path.is_file(), rel
        with Image.open(path) as im:
            assert im.format == ("WEBP" if rel.endswith(".webp") else "JPEG")
    # og:image: the 1200×630 card, absolute.
    og = re.search(r'<meta property="og:image" content="([^"]+)"', article)
    assert og and og.group(1).startswith("http://127.0.0.1:8000/media/")
    with Image.open(out / "media" / og.group(1).split("/media/", 1)[1]) as card:
        assert card.size == (1200, 630)
    feed = json.loads(api)
    rapat = next(i for i in feed["items"] if i["title"].startswith("Rapat"))
    assert rapat["image"].startswith("http://127.0.0.1:8000/media/") and rapat["image"].endswith(".jpg")
    hilang = next(i for i in feed["items"] if i["title"].startswith("Foto"))
    assert "image" not in hilang


def test_failed_image_shows_placeholder_and_counts_in_health(server: FeedServer, tmp_path: Path,
                                                             site: dict[str, str]):
    out = build_site(tmp_path, server)
    article = next(t for p, t in pages(out).items() if "foto-kegiatan-hilang" in p)
    assert "warta-placeholder" in article
    assert site["missing"] not in article
    doc = json.loads((out / "api/v1/sources.json").read_text(encoding="utf-8"))
    row = doc["sources"][0]
    assert row["image_failures"] == 1
    assert row["image_count"] == 3  # lead photo, body PNG, the missing lead
    assert "404" in row["image_last_error"]
    with Archive(tmp_path / "warta.sqlite") as archive:
        health = archive.image_health()["humas-uji"]
    assert health.failed == 1 and health.last_error_class == "http"


def test_rebuild_reuses_the_cache(server: FeedServer, tmp_path: Path, site: dict[str, str]):
    build_site(tmp_path, server)
    hits = len(server.requests)
    cache_files = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*.webp")}
    out = build_site(tmp_path, server)
    assert len(server.requests) == hits  # neither images nor the failed one fetched again
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*.webp")} == cache_files
    assert list((out / "media").rglob("*.webp"))


def media_refs_exist(out: Path) -> set[str]:
    refs = set(re.findall(r'/media/([^" ,]+)', "".join(pages(out).values())))
    assert refs and all((out / "media" / rel).is_file() for rel in refs)
    return refs


def test_derivative_lost_from_the_cache_never_breaks_a_page(server: FeedServer, tmp_path: Path,
                                                            site: dict[str, str]):
    """The output keeps its links to a derivative deleted from the cache; a full build, which
    links every file again, finds it missing and fetches the image again first."""
    out = build_site(tmp_path, server)
    refs = media_refs_exist(out)
    lost = [p for p in (tmp_path / "cache").rglob("*-640.webp") if "placeholder" not in p.parts]
    assert lost and all(str(p.relative_to(tmp_path / "cache")) in refs for p in lost)
    for path in lost:
        path.unlink()
    photo_path = "/wp-content/uploads/2026/11/rapat.jpg"
    fetched = len(server.hits(photo_path))
    out = build_site(tmp_path, server)
    assert len(server.hits(photo_path)) == fetched  # hourly build: trusts the index
    assert media_refs_exist(out) == refs
    out = build_site(tmp_path, server, full=True)
    assert len(server.hits(photo_path)) == fetched + 1
    assert media_refs_exist(out) == refs
    assert all(p.is_file() for p in lost)


def test_incremental_builds_that_add_images_look_at_no_cached_file(
        server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Linking a new image can create a new folder directly in ``media/`` (changing its
    modification time): the next build must still know the output and check no cached
    image's files, or every hourly build that brings a photo would check the whole archive."""
    looked: list[str] = []
    real = ImageCache.files_present

    def files_present(cache: ImageCache, meta: CacheMeta, folder: Path | None = None) -> bool:
        if folder is None:  # a URL's image (stand-ins pass their folder and are always checked)
            looked.append(meta.url)
        return real(cache, meta, folder)

    monkeypatch.setattr(ImageCache, "files_present", files_present)
    items: list[dict[str, str]] = []
    media = tmp_path / "output" / "media"
    for n in range(3):
        tops = {p.name for p in media.iterdir()} if media.is_dir() else set()
        # A photo whose cache folder (and so its media/ folder) starts a new top-level folder.
        path = next(f"/wp-content/uploads/foto-{n}-{i}.jpg" for i in range(10_000)
                    if url_key(server.url(f"/wp-content/uploads/foto-{n}-{i}.jpg"))[:2] not in tops)
        photo = server.add(path, body=imagekit.jpeg_with_gps(800 + 10 * n, 600, seed=n),
                           content_type=JPEG)
        items.append({"title": f"Kunjungan Kerja Hari Ke-{n + 1}",
                      "link": f"https://contoh.go.id/kunjungan-{n}/", "media": photo})
        feed = server.add("/feed", body=media_rss(items))
        write_source(tmp_path / "sources", "humas-uji", [feed], short_name="Humas Uji")
        cli.fetch(tmp_path / "sources", tmp_path / "warta.sqlite", quiet=True, run_log=None)
        before = media_marker(media)
        looked.clear()
        out = build_site(tmp_path, server)
        assert media_marker(media) != before  # this build changed media/ itself
        assert looked == []  # earlier photos: trusted from the index, their files not looked at
        media_refs_exist(out)


def test_local_article_image_from_metadata(server: FeedServer, tmp_path: Path):
    content = tmp_path / "content"
    (content / "foto").mkdir(parents=True)
    (content / "foto" / "pelantikan.jpg").write_bytes(imagekit.jpeg_with_gps(1400, 1000, orientation=1))
    write_source(tmp_path / "sources", "humas-lokal", [server.url("/tidak-ada")])
    (content / "pelantikan.md").write_text(
        "Title: Pelantikan Pejabat Baru\nDate: 2026-11-20 10:00\nSource: humas-lokal\n"
        "Image: {static}/foto/pelantikan.jpg\n\nBupati melantik pejabat baru di pendapa.\n",
        encoding="utf-8")
    (content / "jahat.md").write_text(
        "Title: Coba Keluar Folder\nDate: 2026-11-20 11:00\nSource: humas-lokal\n"
        "Image: ../../../../etc/passwd\n\nIsi.\n", encoding="utf-8")
    out = build_site(tmp_path, server, content=content)
    html = pages(out)
    # The file name is the slug (SLUGIFY_SOURCE = "basename").
    article = next(t for p, t in html.items() if "/pelantikan/" in p)
    assert re.search(r'<picture><source type="image/webp" srcset="/media/', article)
    assert "warta-placeholder" not in article.split('<figure class="gambar-utama">')[1].split("</figure>")[0]
    bad = next(t for p, t in html.items() if "/jahat/" in p)
    assert "passwd" not in bad and "warta-placeholder" in bad


def test_offline_build_uses_placeholders_fast(server: FeedServer, tmp_path: Path):
    feed = server.add("/feed", body=media_rss([
        {"title": "Berita Dengan Foto Jauh", "link": "https://contoh.go.id/jauh/",
         "media": "https://jatengprov.go.id/wp-content/uploads/foto-jauh.jpg"}]))
    write_source(tmp_path / "sources", "humas-jauh", [feed])
    cli.fetch(tmp_path / "sources", tmp_path / "warta.sqlite", quiet=True, run_log=None)
    out = build_site(tmp_path, server, WARTA_IMAGES_OFFLINE=True)
    article = next(t for p, t in pages(out).items() if "berita-dengan-foto-jauh" in p)
    assert "warta-placeholder" in article and "jatengprov.go.id/wp-content" not in article
    doc = json.loads((out / "api/v1/sources.json").read_text(encoding="utf-8"))
    assert doc["sources"][0]["image_failures"] == 0  # not the source's fault


def test_build_survives_a_broken_cache_folder(server: FeedServer, tmp_path: Path,
                                              site: dict[str, str]):
    blocker = tmp_path / "cache"
    blocker.write_text("bukan folder", encoding="utf-8")  # the cache path is a file
    out = build_site(tmp_path, server)
    assert any("rapat-koordinasi" in p for p in pages(out))
