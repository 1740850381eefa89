"""``invoke check``: validate every local article, registry file and takedowns.yml.

Humas staff read this output in a pull request, so every problem is found in
one pass (never stop at the first), and each names the file, the line where
possible, what is wrong and how to fix it, in Indonesian
(``messages.CHECK_MESSAGES``). Rule codes are stable identifiers that tests
assert on. Warnings (text left over from the scaffold) are shown but do not
fail the check.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from dateutil import parser as dateparser

from ..archive.takedowns import Takedown, load_takedowns
from ..core import messages
from ..core.records import Source
from ..sources import kinds, regions
from ..sources.registry import SLUG_RE, RegistryError, check_url, homepage_key, load_registry
from . import articles, categories

FUTURE_SLACK = timedelta(days=1)
DATE_FLOOR = datetime(1995, 1, 1, tzinfo=UTC)
FORBIDDEN_TAGS = frozenset({"script", "iframe", "object", "embed", "style", "frame", "frameset",
                            "applet", "base", "form", "link", "meta"})
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
STATUSES = ("draft", "published", "hidden")
ARTICLE_EXCLUDES = ("pages", articles.IMAGES_DIR, "extra")
"""Top-level folders of ``content/`` that hold no articles."""

_SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data:text/html)", re.IGNORECASE)
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?\s*$|<([a-z]+:[^>\s]+)>",
                      re.IGNORECASE | re.MULTILINE)
_INVISIBLE = re.compile(r"[\s\x00-\x1f]+")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in one file: a rule ``code`` plus the values its sentences need."""

    path: Path
    code: str
    line: int | None = None
    values: Mapping[str, object] = field(default_factory=dict)
    warning: bool = False

    @property
    def message(self) -> str:
        return messages.CHECK_MESSAGES[self.code][0].format(**self.values)

    @property
    def fix(self) -> str:
        return messages.CHECK_MESSAGES[self.code][1].format(**self.values)

    def describe(self, root: Path | None = None) -> str:
        where = _rel(self.path, root)
        if self.line:
            where += f":{self.line}"
        label = f"{messages.WARNING_LABEL}: " if self.warning else ""
        return f"{where}: {label}{self.message}\n    {messages.FIX_LABEL}: {self.fix}"


@dataclass(slots=True)
class CheckReport:
    """Everything ``invoke check`` found."""

    problems: list[Problem] = field(default_factory=list)
    registry_errors: list[RegistryError] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    article_count: int = 0
    takedowns: list[Takedown] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def error_count(self) -> int:
        return len(self.errors) + len(self.registry_errors)

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def _rel(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return str(path)


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"mungkin maksud Anda '{close[0]}'; " if close else ""


# -- dates --------------------------------------------------------------------------------------


def parse_meta_date(value: str) -> datetime | None:
    """Parse a Date/Modified value the way Pelican will (dateutil), or None."""
    text = value.strip().replace("_", " ")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dateparser.parse(text)
    except (ValueError, OverflowError, TypeError):
        return None


def _check_date(path: Path, meta: articles.MetaField, source: Source | None, now: datetime,
                out: list[Problem], *, allow_future: bool = False) -> datetime | None:
    """Parse and judge one date field; a draft may be scheduled in the future."""
    values = {"value": meta.value, "field": meta.key, "example": articles.example_date(source)}
    parsed = parse_meta_date(meta.value)
    if parsed is None:
        out.append(Problem(path, "date-invalid", meta.line, values))
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        out.append(Problem(path, "date-offset", meta.line, values))
        return None
    if parsed > now + FUTURE_SLACK and not allow_future:
        out.append(Problem(path, "date-future", meta.line, values))
    elif parsed < DATE_FLOOR:
        out.append(Problem(path, "date-old", meta.line, values))
    return parsed


# -- raw HTML in Markdown -------------------------------------------------------------------------


class _HtmlScanner(HTMLParser):
    """Finds forbidden tags, event-handler attributes and script links, with line numbers."""

    def __init__(self, path: Path, first_line: int, out: list[Problem]):
        super().__init__(convert_charrefs=True)
        self.path, self.first_line, self.out = path, first_line, out

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.out.append(Problem(self.path, "html-forbidden", self._line(), {"tag": tag}))
        for name, value in attrs:
            if name.startswith("on"):
                self.out.append(Problem(self.path, "html-event", self._line(),
                                        {"attr": name, "tag": tag}))
            elif name in ("href", "src", "action", "formaction", "xlink:href", "data") and value \
                    and _is_script_url(value):
                self.out.append(Problem(self.path, "html-javascript", self._line(),
                                        {"value": value.strip()[:60]}))

    handle_startendtag = handle_starttag


def _is_script_url(url: str) -> bool:
    return bool(_SCRIPT_SCHEME.match(_INVISIBLE.sub("", html.unescape(url))))


def _check_markup(path: Path, text: str, first_line: int, out: list[Problem]) -> None:
    """Raw HTML and Markdown links in ``text`` (a body or a formatted field)."""
    scanner = _HtmlScanner(path, first_line, out)
    scanner.feed(text)
    scanner.close()
    for m in _MD_LINK.finditer(text):
        url = next(g for g in m.groups() if g)
        if _is_script_url(url):
            line = first_line + text.count("\n", 0, m.start())
            out.append(Problem(path, "html-javascript", line, {"value": url[:60]}))


# -- images ----------------------------------------------------------------------------------------


def _check_image(path: Path, meta: articles.MetaField, content_root: Path, source: Source | None,
                 out: list[Problem]) -> None:
    value = meta.value.strip()
    folder = articles.source_folder(source).as_posix() if source else "<provinsi>/<id-sumber>"
    if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
        reason = check_url(value)
        if reason:
            out.append(Problem(path, "image-url", meta.line, {"reason": reason}))
        return
    local = value.removeprefix("{static}")
    prefix = f"/{articles.IMAGES_DIR}/"
    if not local.startswith(prefix) or ".." in Path(local).parts:
        out.append(Problem(path, "image-path", meta.line, {"value": value, "folder": folder}))
        return
    target = content_root / local.lstrip("/")
    if not target.is_file():
        out.append(Problem(path, "image-missing", meta.line,
                           {"value": value, "expected": f"content{local}"}))
        return
    if local == articles.DEFAULT_IMAGE:
        out.append(Problem(path, "placeholder-image", meta.line, {"folder": folder},
                           warning=True))
        return
    size = target.stat().st_size
    limits = {"max_kb": articles.IMAGE_MAX_BYTES // 1000, "max_px": articles.IMAGE_MAX_PIXELS,
              "value": value}
    if size > articles.IMAGE_MAX_BYTES:
        out.append(Problem(path, "image-size", meta.line,
                           {**limits, "detail": f"{size / 1000:.0f} KB"}))
        return
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(target) as im:
            fmt, (w, h) = im.format, im.size
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        out.append(Problem(path, "image-broken", meta.line, {"value": value}))
        return
    if fmt not in IMAGE_FORMATS:
        out.append(Problem(path, "image-broken", meta.line, {"value": value}))
    elif max(w, h) > articles.IMAGE_MAX_PIXELS:
        out.append(Problem(path, "image-size", meta.line, {**limits, "detail": f"{w}×{h} piksel"}))
    elif min(w, h) < articles.IMAGE_MIN_PIXELS:
        out.append(Problem(path, "image-small", meta.line, {
            "value": value, "detail": f"{w}×{h} piksel", "min_px": articles.IMAGE_MIN_PIXELS}))


# -- one article -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _ArticleFacts:
    slug: str | None
    draft: bool


def check_article(path: Path, content_root: Path, sources: Mapping[str, Source], now: datetime,
                  out: list[Problem]) -> _ArticleFacts:
    """Append every problem of one article to ``out``; return what cross-file checks need."""
    slug = path.stem if SLUG_RE.match(path.stem) and len(path.stem) <= articles.SLUG_MAX else None
    if slug is None:
        out.append(Problem(path, "slug-invalid", None,
                           {"value": path.name, "suggestion": articles.slug_for(path.stem)}))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        out.append(Problem(path, "encoding"))
        return _ArticleFacts(slug, False)
    text = text.removeprefix("\ufeff")
    doc = articles.parse_markdown(text)
    if not doc.fields:
        out.append(Problem(path, "metadata-missing", 1))
        return _ArticleFacts(slug, False)

    first: dict[str, articles.MetaField] = {}
    canonical = {f.lower(): f for f in articles.FIELDS}
    for meta in doc.fields:
        lname = meta.key.lower()
        if lname not in canonical:
            out.append(Problem(path, "field-unknown", meta.line, {
                "field": meta.key, "allowed": ", ".join(articles.FIELDS),
                "suggestion": _suggest(meta.key, articles.FIELDS)}))
            continue
        if lname in first:
            out.append(Problem(path, "field-duplicate", meta.line,
                               {"field": meta.key, "other": first[lname].line}))
            continue
        first[lname] = meta
        if not meta.value.strip():
            out.append(Problem(path, "field-empty", meta.line, {"field": canonical[lname]}))

    def present(name: str) -> articles.MetaField | None:
        meta = first.get(name.lower())
        return meta if meta is not None and meta.value.strip() else None

    source_meta = present("Source")
    source = sources.get(source_meta.value.strip()) if source_meta else None
    examples = {
        "Title": "Title: Bupati Meresmikan Jembatan Desa",
        "Date": f"Date: {articles.example_date(source)}",
        "Source": "Source: pemkab-cilacap",
        "Category": f"Category: {', '.join(list(categories.vocabulary())[:3])}, …",
        "Tags": "Tags: Cilacap, jembatan",
        "Summary": "Summary: Jembatan sepanjang 40 meter kini menghubungkan dua desa.",
        "Image": f"Image: /images/{articles.source_folder(source).as_posix() if source else '33/…'}"
                 "/foto.jpg",
    }
    for name in articles.REQUIRED_FIELDS:
        if name.lower() not in first:
            out.append(Problem(path, "field-required", 1, {"field": name, "example": examples[name]}))

    if source_meta and source is None:
        out.append(Problem(path, "source-unknown", source_meta.line, {
            "value": source_meta.value, "suggestion": _suggest(source_meta.value.strip(), sources)}))

    category = present("Category")
    if category and categories.resolve(category.value) is None:
        known = categories.vocabulary()
        out.append(Problem(path, "category-unknown", category.line, {
            "value": category.value, "allowed": ", ".join(known),
            "suggestion": _suggest(category.value.strip().lower(), known)}))

    status = present("Status")
    draft = False
    if status:
        draft = status.value.strip().lower() == "draft"
        if status.value.strip().lower() not in STATUSES:
            out.append(Problem(path, "status-invalid", status.line, {"value": status.value}))

    published = None
    date_meta = present("Date")
    if date_meta:
        published = _check_date(path, date_meta, source, now, out, allow_future=draft)
    modified_meta = present("Modified")
    if modified_meta:
        modified = _check_date(path, modified_meta, source, now, out, allow_future=draft)
        if modified is not None and published is not None and modified < published:
            out.append(Problem(path, "modified-before-date", modified_meta.line,
                               {"value": modified_meta.value,
                                "example": articles.format_date(published + timedelta(hours=2))}))

    tags = present("Tags")
    if tags and not [t for t in re.split(r"[;,]", tags.value) if t.strip()]:
        out.append(Problem(path, "tags-empty", tags.line))

    summary = present("Summary")
    if summary:
        if summary.value.strip() == messages.SCAFFOLD_SUMMARY:
            out.append(Problem(path, "placeholder", summary.line, {"field": summary.key},
                               warning=True))
        _check_markup(path, summary.value, summary.line, out)
    title = present("Title")
    if title:
        _check_markup(path, title.value, title.line, out)

    image = present("Image")
    if image:
        _check_image(path, image, content_root, source, out)

    body = doc.body
    if not re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL).strip():
        out.append(Problem(path, "body-empty", doc.body_line))
    elif messages.SCAFFOLD_BODY in body:
        line = doc.body_line + body[: body.index(messages.SCAFFOLD_BODY)].count("\n")
        out.append(Problem(path, "placeholder", line, {"field": "isi berita"}, warning=True))
    _check_markup(path, body, doc.body_line, out)

    explicit_slug = present("Slug")
    if explicit_slug:
        slug = explicit_slug.value.strip() if SLUG_RE.match(explicit_slug.value.strip()) else None
        if slug is None:
            out.append(Problem(path, "slug-invalid", explicit_slug.line, {
                "value": explicit_slug.value, "suggestion": articles.slug_for(explicit_slug.value)}))

    if source is not None:
        rel = path.relative_to(content_root)
        year = f"{published.year:04d}" if published is not None else None
        expected = articles.source_folder(source)
        wrong = rel.parts[:2] != expected.parts or len(rel.parts) != 4 or (
            year is not None and rel.parts[2] != year)
        if wrong:
            target = Path("content") / expected / (year or "<tahun>") / path.name
            out.append(Problem(path, "folder-wrong", None,
                               {"source": source.id, "expected": target.as_posix()}))
    return _ArticleFacts(slug, draft)


def article_files(content_root: Path) -> list[Path]:
    """Every Markdown article under ``content/`` (pages, images and extra excluded)."""
    if not content_root.is_dir():
        return []
    out = []
    for path in sorted(content_root.rglob("*")):
        if path.suffix.lower() not in (".md", ".markdown", ".mdown") or not path.is_file():
            continue
        rel = path.relative_to(content_root)
        if rel.parts[0] in ARTICLE_EXCLUDES:
            continue
        out.append(path)
    return out


def check_articles(content_root: Path, sources: Iterable[Source], *,
                   now: datetime | None = None) -> tuple[list[Problem], int]:
    """Check every article under ``content_root``; returns problems and the article count."""
    now = now or datetime.now(UTC)
    by_id = {s.id: s for s in sources}
    province_codes = {r.code for r in regions.provinces()} | {regions.NATIONAL}
    problems: list[Problem] = []
    slugs: dict[str, Path] = {}
    files = article_files(content_root)
    for path in files:
        rel = path.relative_to(content_root)
        if rel.parts[0] not in province_codes or len(rel.parts) < 2:
            problems.append(Problem(path, "folder-outside"))
        facts = check_article(path, content_root, by_id, now, problems)
        if facts.slug is None:
            continue
        if facts.slug in slugs:
            other = Path("content") / slugs[facts.slug].relative_to(content_root)
            problems.append(Problem(path, "slug-duplicate", None,
                                    {"value": facts.slug, "other": other.as_posix()}))
        else:
            slugs[facts.slug] = path
    return problems, len(files)


def check_source_folders(sources_dir: Path, sources: Iterable[Source]) -> list[Problem]:
    """A registry file must sit in its province's folder: CODEOWNERS reviews by folder."""
    problems = []
    for source in sources:
        if source.path is None:
            continue
        rel = source.path.relative_to(sources_dir)
        folder = articles.region_folder(source)
        if len(rel.parts) != 2 or rel.parts[0] != folder:
            problems.append(Problem(source.path, "source-folder", None, {
                "source": source.id, "expected": f"sources/{folder}/{source.path.name}"}))
    return problems


def check_source_duplicates(sources_dir: Path, sources: Iterable[Source]) -> list[Problem]:
    """Two files for one site, or two pemda files for one region: reported on the later file
    (in path order), naming the earlier one."""
    problems = []
    homepages: dict[str, Source] = {}
    pemda: dict[str, Source] = {}
    for source in sorted(sources, key=lambda s: str(s.path)):
        if source.path is None:
            continue
        key = homepage_key(source.homepage)
        first = homepages.setdefault(key, source)
        if first is not source:
            problems.append(Problem(source.path, "source-duplicate-homepage", None, {
                "source": source.id, "homepage": source.homepage,
                "other": _rel(first.path or Path(), sources_dir.parent)}))
        if source.kind in kinds.PEMDA and source.region:
            first = pemda.setdefault(source.region, source)
            if first is not source:
                region = regions.get(source.region)
                problems.append(Problem(source.path, "source-duplicate-pemda", None, {
                    "source": source.id, "kind": source.kind,
                    "region": f"{region.name} ({source.region})" if region else source.region,
                    "other": _rel(first.path or Path(), sources_dir.parent),
                    "other_kind": first.kind}))
    return problems


def check_takedowns(path: Path) -> tuple[list[Takedown], list[Problem]]:
    entries, found = load_takedowns(path)
    return entries, [Problem(path, p.code, p.line, p.values) for p in found]


def check_repository(*, sources_dir: Path, content_dir: Path, takedowns_file: Path | None,
                     now: datetime | None = None) -> CheckReport:
    """Everything ``invoke check`` validates, every problem at once."""
    sources, registry_errors = load_registry(sources_dir)
    problems, count = check_articles(content_dir, sources, now=now)
    problems.extend(check_source_folders(sources_dir, sources))
    problems.extend(check_source_duplicates(sources_dir, sources))
    takedowns: list[Takedown] = []
    if takedowns_file is not None:
        takedowns, found = check_takedowns(takedowns_file)
        problems.extend(found)
    return CheckReport(problems=problems, registry_errors=registry_errors, sources=sources,
                       article_count=count, takedowns=takedowns)
