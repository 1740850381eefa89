"""Images on the page. Foundation version: the original URL, lazy, escaped.

Issue 5 replaces the internals (fetch once, validate, resize, WebP, srcset)
behind the same template contract: ``warta_picture(url, alt, sizes=…)``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .normalize import safe_url


def picture_html(url: str | None, alt: str = "", *, sizes: str = "100vw",
                 eager: bool = False, css_class: str = "") -> Markup:
    """Markup for an image, or an empty string when the URL is unusable."""
    src = safe_url(url)
    if not src:
        return Markup("")
    loading = "eager" if eager else "lazy"
    cls = f' class="{escape(css_class)}"' if css_class else ""
    return Markup(f'<img src="{escape(src)}" alt="{escape(alt)}" loading="{loading}" '
                  f'decoding="async"{cls}>')
