"""Shared fixtures: a real HTTP server on 127.0.0.1, registry writers, sample feeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import FeedServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _image_cache_outside_the_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Site builds keep their image cache in tmp and never download images from the internet.

    Tests that exercise the image pipeline pass their own settings (a tmp cache,
    ``WARTA_IMAGES_OFFLINE=False``, images served from 127.0.0.1).
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WARTA_IMAGE_CACHE", str(tmp_path_factory.mktemp("image-cache")))
        mp.setenv("WARTA_IMAGES_OFFLINE", "1")
        yield


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def sites():
    """The four fixture CMS sites (WordPress, Joomla, custom, Open Graph) on 127.0.0.1,
    shared by the tests of a module (a module that changes them defines its own)."""
    from tests.support.extract_eval import start_sites

    fx = start_sites()
    try:
        yield fx
    finally:
        fx.close()


def write_source(folder: Path, sid: str, feeds: list[str] | list[object], *, kind: str = "pemkab",
                 region: str | None = "33.01", **extra: object) -> Path:
    """Write a registry YAML file and return its path."""
    import yaml

    data: dict[str, object] = {"id": sid, "name": f"Sumber {sid}", "kind": kind,
                               "homepage": "https://contoh.go.id", "feeds": feeds}
    if region is not None:
        data["region"] = region
    data.update(extra)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sid}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def rss(items: list[dict[str, str]], *, title: str = "Feed Uji", encoding: str = "utf-8") -> str:
    """A small RSS 2.0 document; each item dict may have title, link, guid, date, body."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>',
             '<rss version="2.0"><channel>', f"<title>{title}</title>",
             "<link>https://contoh.go.id/</link>"]
    for it in items:
        parts.append("<item>")
        if "title" in it:
            parts.append(f"<title>{it['title']}</title>")
        if "link" in it:
            parts.append(f"<link>{it['link']}</link>")
        if "guid" in it:
            parts.append(f"<guid>{it['guid']}</guid>")
        if "date" in it:
            parts.append(f"<pubDate>{it['date']}</pubDate>")
        parts.append(f"<description><![CDATA[{it.get('body', '<p>Isi berita.</p>')}]]></description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory):
    """The demo hub plus the theme tests' own sources, built once per session."""
    from tests.support.site import build_site

    return build_site(tmp_path_factory.mktemp("hub"))


@pytest.fixture(scope="session")
def searched_site(built_site):
    """The built hub with its Pagefind search index, as `invoke build` leaves it."""
    from warta.search.pagefind import MANIFEST, SEARCH_DIR, index_site

    if not (built_site.output / SEARCH_DIR / MANIFEST).exists():
        index_site(built_site.output, {"WARTA_SEARCH": True})
    return built_site
