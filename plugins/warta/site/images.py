"""The image step of a build: every article's images → cache → ``output/media``.

Runs at ``all_generators_finalized``: every article (archived and local) is
known and nothing is written yet. It collects the lead image of each
article, the images inside article bodies and the source logos, brings them
up to date through :func:`warta.images.run.run_images`, then

* has ``<img>`` in article bodies rewritten to ``<picture>`` when a body is
  first read (tracking pixels and failed images are removed, anything not
  processed is at least lazy and size-capped; :func:`defer_rewrite`),
* links the derivatives into ``output/media``,
* records each source's image outcomes in the archive (source health), and
* stores the :class:`~warta.images.template.ImageIndex` in the context for the
  template globals.

A failure here is logged and the build goes on: the worst case is pages with
placeholders, never a failed build.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from ..archive.images import ImageRecord
from ..archive.store import Archive
from ..clean import leadimage
from ..clean.leadimage import image_url, is_junk_url, is_pixel
from ..core.records import ImageOutcome, ServedImage
from ..core.settings import setting
from ..images.cache import ImageCache
from ..images.run import ImageConfig, ImageReport, placeholder, run_images
from ..images.template import BODY_SIZES, INDEX_KEY, ImageIndex, served_picture
from .api import site_url
from .bodies import BODY_KEY_ATTR, body_of
from .bodyimages import FILE_NAME as BODY_FILE
from .bodyimages import BodyImages, ImgTag, parse_imgs
from .bridge import CONTEXT_KEY, HubData, _settings_path
from .digests import BODY_IMAGES_ATTR, short_digest

log = logging.getLogger(__name__)

BODY_IMAGE_LIMIT = 20
"""Per article; further body images are only made lazy and size-capped."""


@dataclass(frozen=True, slots=True)
class ImageUse:
    """One place an image is used: ``key`` is the string in the page/metadata."""

    key: str
    url: str  # what is fetched (absolute http(s) or file:)
    source_id: str | None
    role: str  # lead | body | logo
    trusted: bool = False
    """A local article's own file in content/: readable even when file: URLs are not."""


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def local_image_url(raw: str, article: Any, content_root: Path) -> str | None:
    """The ``Image:`` of a local Markdown article → an absolute URL, or ``file:`` inside content/.

    Accepts ``{static}/foto/x.jpg``, ``/foto/x.jpg`` (from the content root),
    ``foto/x.jpg`` (next to the article) and http(s) URLs; anything that leaves
    the content folder is refused.
    """
    value = raw.strip()
    for prefix in ("{static}", "{attach}", "{filename}", "|static|", "|attach|"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    if value.lower().startswith(("http://", "https://")):
        return image_url(value)
    if ":" in value.split("/")[0]:
        return None  # another scheme (file:, data:, javascript:): not from a humas article
    root = content_root.resolve()
    base = root if value.startswith("/") else Path(article.source_path).resolve().parent
    path = (base / value.lstrip("/")).resolve()
    if not path.is_relative_to(root):
        return None
    return path.as_uri()


def _all_articles(generator: Any) -> list[Any]:
    seen: dict[int, Any] = {}
    for name in ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                 "drafts_translations"):
        for a in getattr(generator, name, None) or ():
            seen.setdefault(id(a), a)
    return list(seen.values())


def _source_id(article: Any) -> str | None:
    info = getattr(article, "warta", None)
    source = getattr(info, "source", None)
    return getattr(source, "id", None)


def collect_uses(articles: list[Any], settings: dict[str, Any], sources: dict[str, Any],
                 body_urls: dict[int, BodyUrls]) -> list[ImageUse]:
    """Lead, body and logo images of a build, in a stable order.

    ``body_urls``: each article's :func:`_body_image_urls`, by ``id()``.
    """
    uses: list[ImageUse] = []
    content_root = Path(settings.get("PATH") or "content")
    for article in articles:
        sid = _source_id(article)
        info = getattr(article, "warta", None)
        raw = article.metadata.get("image")
        if isinstance(raw, str) and raw.strip():
            local = getattr(info, "is_local", True)
            url = local_image_url(raw, article, content_root) if local else image_url(raw)
            if url:
                uses.append(ImageUse(raw, url, sid, "lead", trusted=local and url.startswith("file:")))
        uses.extend(ImageUse(url, url, sid, "body")
                    for url in body_urls[id(article)][2][:BODY_IMAGE_LIMIT])
    for sid in sorted({u.source_id for u in uses if u.source_id} | {
            _source_id(a) for a in articles if _source_id(a)}):
        source = sources.get(sid)
        logo = image_url(getattr(source, "logo", None))
        if logo:
            uses.append(ImageUse(logo, logo, sid, "logo"))
    return uses


BodyUrls = tuple[int, set[str], list[str]]
"""A body's ``<img>`` count, the addresses of all its images, those of its real images in order."""

_RULES = short_digest(*(Path(m.__file__).read_bytes().decode("utf-8", "replace")  # type: ignore[arg-type]
                        for m in (leadimage, sys.modules[__name__])))
"""Digest of the code that turns a body's tags into :data:`BodyUrls`: remembered lists made
by other code are not used."""


def _body_image_urls(article: Any, bodies: BodyImages) -> BodyUrls:
    """The body's :data:`BodyUrls`; an archived report's body is read only if never seen."""
    key = getattr(article, BODY_KEY_ATTR, None)
    if key is None:
        return _urls_of(article, bodies.of(body_of(article)))
    # The content hash covers the body and the report's address (the base of its images).
    count, every, real = bodies.remember(
        f"u:{_RULES}:{key}", lambda: _jsonable(_urls_of(article, parse_imgs(body_of(article)))))
    return count, set(every), real


def _jsonable(urls: BodyUrls) -> list[Any]:
    return [urls[0], sorted(urls[1]), urls[2]]


def _urls_of(article: Any, imgs: tuple[ImgTag, ...]) -> BodyUrls:
    base = getattr(getattr(article, "warta", None), "external_url", None)
    every: set[str] = set()
    real: list[str] = []
    for src, width, height in imgs:
        url = image_url(src, base)
        if url:
            every.add(url)
            if not is_junk_url(url) and not is_pixel(_int(width), _int(height)):
                real.append(url)
    return len(imgs), every, real


def _lead_uses(articles: list[Any], uses: list[ImageUse]) -> list[tuple[Any, ImageUse]]:
    by_key = {u.key: u for u in uses if u.role == "lead"}
    out = []
    for a in articles:
        raw = a.metadata.get("image")
        if isinstance(raw, str) and raw in by_key:
            out.append((a, by_key[raw]))
    return out


def rewrite_body(content: str, base: str | None, index: ImageIndex,
                 outcomes: dict[str, ImageOutcome]) -> str:
    """``<img>`` → ``<picture>`` with our derivatives; pixels and failures removed.

    ``base``: the report's address, against which relative image addresses resolve.
    """
    if "<img" not in content:
        return content
    soup = BeautifulSoup(content, "html.parser")
    processed = 0
    for img in soup.find_all("img"):
        attrs = {k: str(v) for k, v in img.attrs.items()}
        url = image_url(attrs.get("src"), base)
        if not url or is_junk_url(url) or is_pixel(_int(attrs.get("width")), _int(attrs.get("height"))):
            img.decompose()
            continue
        outcome = outcomes.get(url) if processed < BODY_IMAGE_LIMIT else None
        processed += 1
        if outcome is not None and outcome.image is not None:
            markup = served_picture(index, outcome.image, attrs.get("alt", ""), sizes=BODY_SIZES)
            img.replace_with(BeautifulSoup(str(markup), "html.parser"))
        elif outcome is not None and outcome.status == "failed":
            img.decompose()
        else:
            img["src"] = url
            img["loading"] = "lazy"
            img["decoding"] = "async"  # the theme's CSS caps its width (img{max-width:100%})
    return str(soup)


def defer_rewrite(article: Any, index: ImageIndex, outcomes: dict[str, ImageOutcome],
                  urls: list[str]) -> None:
    """Rewrite the body when something first reads it, not in the image step.

    Most bodies of a build are never read: a settled report's page is kept
    (settled.py), and listings show summaries. Rewriting parses and serialises
    the body (30 s per 20,000 reports), so it is left to Pelican's
    ``get_content``, which calls an article's ``_get_content`` when it has one.
    The page fingerprint takes the body as archived plus the outcome of each
    body image (``urls``, from :func:`_body_image_urls`), which is everything
    the rewrite reads besides the settings.
    """
    served = [(u, outcomes.get(u)) for u in urls[:BODY_IMAGE_LIMIT]]
    setattr(article, BODY_IMAGES_ATTR, short_digest(*(
        f"{u}\x1f{o.status if o else ''}\x1f{o.image!r}" if o else u for u, o in served)))

    def _get_content() -> str:
        # Called by Pelican's memoized get_content, once per article and site URL;
        # ``_content`` stays the body as written (local articles' fingerprint, digests.py).
        base = getattr(getattr(article, "warta", None), "external_url", None)
        return rewrite_body(body_of(article), base, index, outcomes)

    article._get_content = _get_content


def build_index(uses: list[ImageUse], outcomes: dict[str, ImageOutcome], config: ImageConfig,
                settings: dict[str, Any], sources: dict[str, Any]) -> ImageIndex:
    """The per-build mapping the template globals read."""
    index = ImageIndex(media_url=f"{settings.get('SITEURL', '')}/media",
                       site_url=site_url(settings))
    logos: dict[str, ServedImage] = {}
    for use in uses:
        out = outcomes.get(use.url)
        if use.role == "logo" and out is not None and out.image is not None and use.source_id:
            logos[use.source_id] = out.image
    for sid in sorted({u.source_id for u in uses if u.source_id} | set(sources)):
        source = sources.get(sid)
        if source is None:
            continue
        stand_in = placeholder(config, source.display_name, logos.get(sid))
        if stand_in is not None:
            index.placeholders[sid] = stand_in
    index.generic = placeholder(config, str(settings.get("SITENAME") or "Warta"))
    for use in uses:
        out = outcomes.get(use.url)
        if out is not None and out.image is not None:
            index.images[use.key] = out.image
        elif use.role == "lead":
            stand_in = index.placeholders.get(use.source_id or "") or index.generic
            if stand_in is not None:
                index.images[use.key] = stand_in
    return index


def publish(index: ImageIndex, config: ImageConfig, output: Path) -> int:
    """Hard-link every served file into ``output/media``; returns the number of images.

    Only images not linked into this output before are looked at
    (:meth:`~warta.images.cache.ImageCache.publish_all`).
    """
    cache = ImageCache(config.cache_dir)
    served = {id(i): i for i in (*index.images.values(), *index.placeholders.values())}
    if index.generic is not None:
        served[id(index.generic)] = index.generic
    try:
        cache.publish_all(served.values(), output / "media")
    finally:
        cache.close()
    return len(served)


def output_is_new(config: ImageConfig, output: Path) -> bool:
    """Whether ``output/media`` is not the folder the cache last linked images into (a full
    build, or the first): the image run then looks at every cached image's files."""
    cache = ImageCache(config.cache_dir)
    try:
        return not cache.knows_output(output / "media")
    finally:
        cache.close()


def record_health(archive_path: Path | None, uses: list[ImageUse],
                  outcomes: dict[str, ImageOutcome]) -> None:
    if archive_path is None:
        return
    records = []
    for use in uses:
        out = outcomes.get(use.url)
        if use.source_id is None or out is None or out.status == "offline":
            continue
        records.append(ImageRecord(source_id=use.source_id, url=use.url, role=use.role,
                                   status=out.status, attempted=out.attempted,
                                   error_class=out.error_class, error_message=out.error_message,
                                   http_status=out.http_status))
    with Archive(archive_path) as archive:
        archive.record_images(records, now=datetime.now(UTC))


def process_site_images(generators: list[Any]) -> ImageReport | None:
    """``all_generators_finalized`` handler. Never raises into the build."""
    from pelican.generators import ArticlesGenerator

    gen = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if gen is None:
        return None
    settings = gen.settings
    if not setting(settings, "WARTA_ENABLED") or not setting(settings, "WARTA_IMAGES"):
        return None
    try:
        return _process(gen, settings)
    except Exception:  # the build must never fail for an image
        log.exception("Warta: langkah gambar gagal; halaman tetap dibangun tanpa gambar olahan")
        return None


def _process(gen: Any, settings: dict[str, Any]) -> ImageReport:
    data: HubData | None = gen.context.get(CONTEXT_KEY)
    sources = data.sources if data is not None else {}
    articles = _all_articles(gen)
    bodies = BodyImages(ImageConfig.cache_dir_of(settings) / BODY_FILE)
    body_urls = {id(a): _body_image_urls(a, bodies) for a in articles}
    uses = collect_uses(articles, settings, sources, body_urls)
    trusted = {u.url for u in uses if u.trusted}
    registry_root = _settings_path(settings, "WARTA_SOURCES") if "WARTA_SOURCES" in settings else None
    config = ImageConfig.from_settings(settings, registry_root=registry_root, trusted_files=trusted)
    if output_is_new(config, Path(gen.output_path)):
        config = replace(config, verify_files=True)
    outcomes, report = run_images([u.url for u in uses], config)
    index = build_index(uses, outcomes, config, settings, sources)
    for article in articles:
        raw = article.metadata.get("image")
        if isinstance(raw, str) and raw.strip() and raw not in index.images:
            # An Image: that cannot be used (outside content/, not a URL): stand-in, and say so.
            log.warning("%s: gambar '%s' tidak dapat dipakai (di luar folder content atau alamat "
                        "tidak sah); gambar pengganti ditampilkan", article.source_path, raw)
            stand_in = index.placeholders.get(_source_id(article) or "") or index.generic
            if stand_in is not None:
                index.images[raw] = stand_in
    lead_urls = {id(a): u.url for a, u in _lead_uses(articles, uses)}
    for article in articles:
        count, every, real = body_urls[id(article)]
        if count:
            defer_rewrite(article, index, outcomes, real)
        info = getattr(article, "warta", None)
        if info is not None and hasattr(info, "image"):
            info.image = index.lookup(article.metadata.get("image"), _source_id(article))
            info.lead_in_body = lead_urls.get(id(article)) in every
    bodies.save()
    publish(index, config, Path(gen.output_path))
    record_health(data.archive_path if data is not None else None, uses, outcomes)
    if data is not None and data.archive_path is not None:
        with Archive(data.archive_path) as archive:
            data.image_health = archive.image_health()
    gen.context[INDEX_KEY] = index
    log.info("Warta: gambar %d diminta, %d dipakai ulang, %d divalidasi ulang (304), %d diolah, "
             "%d gagal, %d tanpa internet (%.1f dtk); gambar dalam isi berita: %d isi diurai, %d dari "
             "cache", report.requested, report.reused, report.revalidated, report.processed,
             report.failed, report.offline, report.seconds, bodies.parsed, bodies.reused)
    return report
