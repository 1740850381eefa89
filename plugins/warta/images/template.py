"""Images on the page: the template contract ``warta_picture`` and ``warta_social_image``.

The build state these globals need (which URL became which derivatives) is an
:class:`ImageIndex` that the plugin builds once per build, before anything is
written, and stores in the Pelican context under ``WARTA_IMAGE_INDEX``
(see :mod:`warta.site.images`). The globals are Jinja ``pass_context``
functions and read it from the template context — no module-level state, so
two builds in one process (tests, ``invoke demo`` then ``build``) never see
each other's images.

Once an image is processed its original URL is never put in a page: the
reader gets our WebP (with a JPEG fallback) at the width their screen needs,
or the source's placeholder when the original could not be used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape

from ..clean.normalize import safe_url
from ..core.records import ServedImage

INDEX_KEY = "WARTA_IMAGE_INDEX"
DEFAULT_SIZES = "100vw"
BODY_SIZES = "(max-width: 720px) 100vw, 720px"


@dataclass(slots=True)
class ImageIndex:
    """URL (as templates hold it) → what we serve instead, for one build."""

    media_url: str
    """Public base of ``output/media`` (``{SITEURL}/media``)."""
    site_url: str
    """Absolute site base, for ``og:image``."""
    images: dict[str, ServedImage] = field(default_factory=dict)
    placeholders: dict[str, ServedImage] = field(default_factory=dict)
    """Source id → its stand-in image."""
    generic: ServedImage | None = None

    def lookup(self, url: str | None, source_id: str | None = None) -> ServedImage | None:
        if url and url in self.images:
            return self.images[url]
        if source_id and source_id in self.placeholders:
            return self.placeholders[source_id]
        return None

    def src(self, rel: str) -> str:
        return f"{self.media_url}/{rel}"


def _srcset(index: ImageIndex, image: ServedImage, kind: str) -> str:
    return ", ".join(f"{index.src(getattr(v, kind))} {v.width}w" for v in image.variants)


def served_picture(index: ImageIndex, image: ServedImage, alt: str = "", *,
                   sizes: str = DEFAULT_SIZES, eager: bool = False, css_class: str = "") -> Markup:
    """``<picture>``: WebP srcset, JPEG fallback srcset, intrinsic width/height, lazy by default."""
    largest = image.largest
    fallback = image.variant(640)
    loading = 'loading="eager" fetchpriority="high"' if eager else 'loading="lazy"'
    classes = " ".join(c for c in (css_class, "warta-placeholder" if image.placeholder else "") if c)
    cls = f' class="{escape(classes)}"' if classes else ""
    alt_text = "" if image.placeholder else alt
    return Markup(
        f'<picture><source type="image/webp" srcset="{escape(_srcset(index, image, "webp"))}" '
        f'sizes="{escape(sizes)}">'
        f'<img src="{escape(index.src(fallback.jpeg))}" '
        f'srcset="{escape(_srcset(index, image, "jpeg"))}" sizes="{escape(sizes)}" '
        f'width="{largest.width}" height="{largest.height}" alt="{escape(alt_text)}" '
        f'{loading} decoding="async"{cls}></picture>'
    )


def picture_html(url: str | None, alt: str = "", *, sizes: str = DEFAULT_SIZES,
                 eager: bool = False, css_class: str = "", index: ImageIndex | None = None,
                 source: Any = None) -> Markup:
    """Markup for an image: our derivatives when processed, else a placeholder or plain img.

    Without an index (images disabled) the foundation behaviour stays: the
    original URL, lazy, escaped — or nothing when the URL is unusable.
    """
    source_id = getattr(source, "id", source) if source is not None else None
    if index is not None:
        image = index.lookup(url, source_id)
        if image is None and url is None and source_id is None:
            return Markup("")
        if image is None and url is None:
            image = index.generic
        if image is not None:
            return served_picture(index, image, alt, sizes=sizes, eager=eager, css_class=css_class)
    src = safe_url(url)
    if not src:
        return Markup("")
    loading = "eager" if eager else "lazy"
    cls = f' class="{escape(css_class)}"' if css_class else ""
    return Markup(f'<img src="{escape(src)}" alt="{escape(alt)}" loading="{loading}" '
                  f'decoding="async"{cls}>')


@pass_context
def warta_picture(ctx: Any, url: str | None, alt: str = "", *, sizes: str = DEFAULT_SIZES,
                  eager: bool = False, css_class: str = "", source: Any = None) -> Markup:
    """Jinja global: ``{{ warta_picture(article.image, article.title, sizes="…") }}``.

    ``source`` (a Source or its id, optional) picks the placeholder shown when
    ``url`` is empty or was never processed.
    """
    return picture_html(url, alt, sizes=sizes, eager=eager, css_class=css_class,
                        index=_index(ctx), source=source)


def social_image_url(index: ImageIndex | None, article: Any) -> str | None:
    """Absolute URL of the 1200×630 card for ``article`` (its image, else its source's stand-in)."""
    if index is None:
        return None
    info = getattr(article, "warta", None)
    source = getattr(info, "source", None)
    image = index.lookup(getattr(article, "image", None), getattr(source, "id", None)) or index.generic
    if image is None:
        return None
    return f"{index.site_url}/media/{image.social}"


@pass_context
def warta_social_image(ctx: Any, article: Any) -> str:
    """Jinja global for ``<meta property="og:image" content="…">``; empty when there is none."""
    return social_image_url(_index(ctx), article) or ""


def _index(ctx: Any) -> ImageIndex | None:
    index = ctx.get(INDEX_KEY)
    return index if isinstance(index, ImageIndex) else None
