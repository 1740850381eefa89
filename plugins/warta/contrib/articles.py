"""Local Markdown articles written by humas: their layout, metadata and scaffold.

Layout (a public contract, see CONTRIBUTING.md)::

    content/<province-code>/<source-id>/<yyyy>/<slug>.md     # e.g. content/33/pemkab-cilacap/2025/…
    content/nasional/<source-id>/<yyyy>/<slug>.md            # kementerian, lembaga, BUMN

The province folder is what CODEOWNERS keys on, so each region's humas review
their own folder. The file name is the slug (``SLUGIFY_SOURCE = "basename"``):
a corrected title never changes a published URL.

Metadata is Pelican's Markdown header (``Key: value`` lines, then a blank
line). We parse it ourselves, with line numbers, so ``invoke check`` can
point at the exact line a humas editor has to fix.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pelican.utils import slugify

from ..clean.leadimage import MIN_LEAD_SIDE
from ..core import messages
from ..core.records import Source
from ..sources.regions import NATIONAL, ZONE_BY_IANA, ZONES, short_name
from ..sources.regions import get as region_get
from .categories import default_category, vocabulary

REQUIRED_FIELDS: tuple[str, ...] = ("Title", "Date", "Source", "Category", "Tags", "Summary", "Image")
OPTIONAL_FIELDS: tuple[str, ...] = ("Author", "Penulis", "Editor", "Modified", "Status", "Slug")
FIELDS: tuple[str, ...] = REQUIRED_FIELDS + OPTIONAL_FIELDS
"""Metadata keys a local article may use (Pelican lower-cases them)."""

IMAGES_DIR = "images"
"""Uploaded photos live in ``content/images/`` and are referenced as ``/images/…``."""
DEFAULT_IMAGE = "/images/bawaan/foto-belum-ada.png"
"""The scaffold's stand-in photo; ``invoke check`` warns while it is still used."""
DEFAULT_IMAGE_ASSET = Path(__file__).resolve().parents[1] / "assets" / "foto-belum-ada.png"
IMAGE_MAX_BYTES = 1_000_000
IMAGE_MAX_PIXELS = 4000
IMAGE_MIN_PIXELS = MIN_LEAD_SIDE
"""Smaller lead photos are replaced by a stand-in at build time, so say so early."""
SLUG_MAX = 90

_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")


@dataclass(frozen=True, slots=True)
class MetaField:
    """One metadata line as written: its key (as typed), value and 1-based line."""

    key: str
    value: str
    line: int


@dataclass(slots=True)
class ParsedArticle:
    """A Markdown article split into its header fields and its body."""

    fields: list[MetaField] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    """Line number of the body's first line, to report HTML problems precisely."""

    def get(self, name: str) -> MetaField | None:
        """First field named ``name`` (case-insensitive, as Pelican reads it)."""
        lname = name.lower()
        return next((f for f in self.fields if f.key.lower() == lname), None)


def parse_markdown(text: str) -> ParsedArticle:
    """Split ``text`` the way Python-Markdown's ``meta`` extension does.

    The header is the run of ``Key: value`` lines (plus 4-space continuation
    lines) at the top, optionally fenced by ``---``; it ends at the first
    blank or non-matching line.
    """
    lines = text.splitlines()
    out = ParsedArticle()
    i = 0
    if lines and lines[0].strip() == "---":
        i = 1
    key: str | None = None  # the field being read (it may continue on indented lines)
    value = ""
    start = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.strip() in ("---", "..."):
            i += 1
            break
        m = _META_LINE.match(line)
        more = _META_MORE.match(line)
        if m:
            if key is not None:
                out.fields.append(MetaField(key, value.strip(), start))
            key, value, start = m.group("key"), m.group("value"), i + 1
        elif more and key is not None:
            value = f"{value} {more.group('value').strip()}"
        else:
            break
        i += 1
    if key is not None:
        out.fields.append(MetaField(key, value.strip(), start))
    out.body = "\n".join(lines[i:])
    out.body_line = i + 1
    return out


def region_folder(source: Source) -> str:
    """``33`` for a Central Java source, ``nasional`` for a national body."""
    return source.province or NATIONAL


def source_folder(source: Source) -> Path:
    """Folder (relative to ``content/``) holding ``source``'s articles."""
    return Path(region_folder(source)) / source.id


def article_path(source: Source, year: int, slug: str) -> Path:
    return source_folder(source) / f"{year:04d}" / f"{slug}.md"


def slug_for(title: str) -> str:
    """URL slug from a title, Pelican's way (ASCII, lower case, hyphens), capped."""
    slug = slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""),
                                      (r"[-\s]+", "-")])
    slug = slug[:SLUG_MAX].strip("-")
    return slug or "berita"


def format_date(value: datetime) -> str:
    """``2025-06-01 09:15+07:00``: what humas type, what Pelican reads back."""
    return value.isoformat(sep=" ", timespec="minutes")


def example_date(source: Source | None = None) -> str:
    """A sample Date in the source's own offset for error messages."""
    offset = ZONES[ZONE_BY_IANA.get(source.timezone if source else "Asia/Jakarta", "WIB")][1]
    return f"2025-06-01 09:15{offset}"


def default_tags(source: Source) -> str:
    """A useful first topic: the region's short name, else the source's name."""
    region = region_get(source.region) if source.region else None
    return short_name(region) if region else source.display_name


def render_scaffold(source: Source, title: str, now: datetime) -> str:
    """The text of a new article: valid metadata, guidance as an HTML comment."""
    local = now.astimezone(source.tz)
    zone = ZONE_BY_IANA.get(source.timezone, "WIB")
    guide = messages.SCAFFOLD_GUIDE.format(
        zone=zone, offset=ZONES[zone][1], categories=", ".join(vocabulary()),
        folder=source_folder(source).as_posix(), max_kb=IMAGE_MAX_BYTES // 1000,
    )
    clean_title = " ".join(title.split())
    return (
        f"Title: {clean_title}\n"
        f"Date: {format_date(local)}\n"
        f"Source: {source.id}\n"
        f"Category: {default_category()}\n"
        f"Tags: {default_tags(source)}\n"
        f"Summary: {messages.SCAFFOLD_SUMMARY}\n"
        f"Image: {DEFAULT_IMAGE}\n"
        "\n"
        f"{guide}\n"
        f"{messages.SCAFFOLD_BODY}\n"
    )


def ensure_default_image(content_root: Path) -> Path:
    """Put the stand-in photo where the scaffold's ``Image`` points, once."""
    target = content_root / DEFAULT_IMAGE.lstrip("/")
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEFAULT_IMAGE_ASSET, target)
    return target


def scaffold(content_root: Path, source: Source, title: str, *,
             now: datetime | None = None) -> Path:
    """Create a new article for ``source`` in its folder; never overwrite one.

    Returns the path written. A title whose slug is taken anywhere under
    ``content_root`` gets ``-2``, ``-3``… so slugs stay unique hub-wide.
    """
    now = now or datetime.now(UTC)
    local = now.astimezone(source.tz)
    base = slug_for(title)
    taken = {p.stem for p in content_root.rglob("*.md")} if content_root.exists() else set()
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    path = content_root / article_path(source, local.year, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_default_image(content_root)
    path.write_text(render_scaffold(source, title, now), encoding="utf-8")
    return path
