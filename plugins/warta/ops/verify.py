"""Checks a freshly built site before it may replace the published one.

A bad hour (a broken template, an archive that went missing, a theme change
that drops links) must never reach readers: the hourly run publishes only a
site that kept at least ``1 - max_page_loss`` of the pages of the last
published one, whose home page lists news, and whose internal links all
resolve. The site's :class:`Manifest` is kept after each publish (and written
into the site as ``warta-manifest.json``) so the next run can compare, even
on a fresh CI runner.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.messages import VERIFY_REASONS
from ..core.outfiles import beside, write_atomic
from ..core.settings import setting
from . import linkcheck

MANIFEST_NAME = "warta-manifest.json"
"""File name of the manifest inside a published site (and in ``var/``)."""

_HREF = re.compile(rb"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a built site contains: enough to tell whether the next one shrank."""

    generated: str
    pages: tuple[str, ...]
    files: int
    home_news: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "generated": self.generated, "page_count": len(self.pages),
                "files": self.files, "home_news": self.home_news, "pages": list(self.pages)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(generated=str(data.get("generated", "")),
                   pages=tuple(str(p) for p in data.get("pages", [])),
                   files=int(data.get("files", 0)), home_news=int(data.get("home_news", 0)))

    def write(self, path: Path) -> None:
        write_atomic(path, json.dumps(self.to_json(), ensure_ascii=False,
                                      separators=(",", ":")).encode("utf-8"))


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``, or None when absent or unreadable (treated as no baseline)."""
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    indonesian: str
    english: str

    def __str__(self) -> str:
        return f"{self.indonesian} ({self.english})"


def reason(code: str, **values: Any) -> Reason:
    ind, eng = VERIFY_REASONS[code]
    return Reason(code, ind.format(**values), eng.format(**values))


@dataclass(frozen=True, slots=True)
class VerifyResult:
    manifest: Manifest
    reasons: tuple[Reason, ...]
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "reasons": [{"code": r.code, "id": r.indonesian, "en": r.english}
                                           for r in self.reasons], **self.stats}


def article_prefix(settings: dict[str, Any]) -> str:
    """Static start of article URLs ("berita/" for ``berita/{date:%Y}/…``)."""
    return str(settings.get("ARTICLE_URL", "")).split("{", 1)[0].lstrip("/")


def home_news_links(output: Path, files: set[str], bases: list[str], prefix: str) -> int:
    """How many distinct existing article pages the home page links to."""
    home = output / "index.html"
    if not home.is_file():
        return 0
    found: set[str] = set()
    resolver = linkcheck.Resolver(files, bases)
    for m in _HREF.finditer(home.read_bytes()):
        url = (m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace")
        url = url.split("#", 1)[0].split("?", 1)[0].strip()
        if not url:
            continue
        site = resolver.site_path(url) if (url.startswith("/") or ":" in url.split("/", 1)[0]) \
            else url
        if site is None:
            continue
        target = linkcheck.normalize_path(site.lstrip("/"), site.endswith("/"))
        if target is None or target in ("", "index.html") or not target.startswith(prefix):
            continue
        if resolver.exists(target):
            found.add(target)
    return len(found)


def build_manifest(output: Path, files: set[str], *, bases: list[str], prefix: str,
                   now: datetime | None = None) -> Manifest:
    pages = tuple(sorted(f for f in files if f.endswith(".html") and f != MANIFEST_NAME))
    return Manifest(generated=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
                    pages=pages, files=len(files),
                    home_news=home_news_links(output, files, bases, prefix))


def site_bases(settings: dict[str, Any]) -> list[str]:
    return [b for b in {str(settings.get("SITEURL") or ""), str(settings.get("FEED_DOMAIN") or "")}
            if b]


def verify_site(output: Path | str, previous: Manifest | None, settings: dict[str, Any], *,
                max_page_loss: float | None = None, check_links: bool = True,
                now: datetime | None = None) -> VerifyResult:
    """Run every check; collect all reasons (an operator fixes them in one go)."""
    out = Path(output)
    started = time.perf_counter()
    limit = float(setting(settings, "WARTA_VERIFY_MAX_PAGE_LOSS")
                  if max_page_loss is None else max_page_loss)
    files = linkcheck.list_files(out) if out.is_dir() else set()
    bases = site_bases(settings)
    manifest = build_manifest(out, files, bases=bases, prefix=article_prefix(settings), now=now)
    reasons: list[Reason] = []
    stats: dict[str, Any] = {"pages": len(manifest.pages), "files": len(files),
                             "home_news": manifest.home_news,
                             "previous_pages": len(previous.pages) if previous else None}
    if not files:
        reasons.append(reason("no_output", output=out))
        return VerifyResult(manifest, tuple(reasons), stats)
    if previous is not None and previous.pages:
        now_pages = set(manifest.pages)
        lost = [p for p in previous.pages if p not in now_pages]
        # Net loss: pages renamed (e.g. a slug fix) but replaced do not count as lost.
        net = max(0, len(previous.pages) - len(manifest.pages))
        share = net / len(previous.pages)
        if share > limit:
            reasons.append(reason("pages_lost", lost=net, before=len(previous.pages), share=share,
                                  limit=limit, examples=", ".join(lost[:5]) or "-"))
    if "index.html" not in files:
        reasons.append(reason("home_missing"))
    elif manifest.home_news == 0:
        reasons.append(reason("home_empty"))
    if check_links:
        link_started = time.perf_counter()
        report = linkcheck.check_site(out, bases=bases, files=files, limit=50,
                                      cache=beside(out, ".linkcheck.json"))
        stats.update(links=report.links, broken_links=report.broken_total,
                     linkcheck_s=round(time.perf_counter() - link_started, 3))
        if not report.ok:
            examples = "; ".join(f"{b.page} → {b.url}" for b in report.broken[:5])
            reasons.append(reason("broken_links", count=report.broken_total, examples=examples))
    stats["verify_s"] = round(time.perf_counter() - started, 3)
    return VerifyResult(manifest, tuple(reasons), stats)
