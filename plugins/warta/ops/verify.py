"""Checks a freshly built site before it may replace the published one.

A bad hour (a broken template, an archive that went missing, a theme change
that drops links) must never reach readers: the hourly run publishes only a
site that kept at least ``1 - max_page_loss`` of the pages of the last
published one, whose home page lists news, and whose internal links all
resolve, and which fits its publish target (:mod:`warta.ops.targets`: GitHub
Pages takes 1 GB). The site's :class:`Manifest` is kept after each publish (and
written into the site as ``warta-manifest.json``) so the next run can compare,
even on a fresh CI runner.
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
from .targets import Target, limits_for

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
    bytes: int = 0
    """Sum of the sizes of all files (what the publish target has to hold)."""
    largest: tuple[str, int] = ("", 0)
    """The largest file and its size."""

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "generated": self.generated, "page_count": len(self.pages),
                "files": self.files, "home_news": self.home_news, "bytes": self.bytes,
                "largest": {"path": self.largest[0], "bytes": self.largest[1]},
                "pages": list(self.pages)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        largest = data.get("largest") or {}
        return cls(generated=str(data.get("generated", "")),
                   pages=tuple(str(p) for p in data.get("pages", [])),
                   files=int(data.get("files", 0)), home_news=int(data.get("home_news", 0)),
                   bytes=int(data.get("bytes", 0)),
                   largest=(str(largest.get("path", "")), int(largest.get("bytes", 0))))

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
                   now: datetime | None = None, sizes: dict[str, int] | None = None) -> Manifest:
    pages = tuple(sorted(f for f in files if f.endswith(".html") and f != MANIFEST_NAME))
    total, largest = size_of(sizes or {})
    return Manifest(generated=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
                    pages=pages, files=len(files),
                    home_news=home_news_links(output, files, bases, prefix),
                    bytes=total, largest=largest)


def size_of(sizes: dict[str, int]) -> tuple[int, tuple[str, int]]:
    """Total bytes and the largest file of a ``{path: size}`` listing."""
    if not sizes:
        return 0, ("", 0)
    biggest = max(sizes, key=lambda k: (sizes[k], k))
    return sum(sizes.values()), (biggest, sizes[biggest])


def _human(size: int) -> tuple[str, str]:
    """``size`` in MB or GB, written the Indonesian and the English way."""
    text = f"{size / 1e9:.2f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"
    return text.replace(".", ","), text


def limit_reasons(target: str | Target, settings: dict[str, Any], total: int,
                  largest: tuple[str, int]) -> list[Reason]:
    """Why a site of ``total`` bytes whose largest file is ``largest`` cannot go to ``target``."""
    limits = limits_for(target, settings)
    found: list[Reason] = []
    if limits.site_bytes is not None and total > limits.site_bytes:
        (size_id, size_en), (limit_id, limit_en) = _human(total), _human(limits.site_bytes)
        found.append(reason("site_too_big", target=target, size_id=size_id, size_en=size_en,
                            limit_id=limit_id, limit_en=limit_en))
    if limits.file_bytes is not None and largest[1] > limits.file_bytes:
        (size_id, size_en), (limit_id, limit_en) = _human(largest[1]), _human(limits.file_bytes)
        found.append(reason("file_too_big", target=target, path=largest[0], size_id=size_id,
                            size_en=size_en, limit_id=limit_id, limit_en=limit_en))
    return found


def site_bases(settings: dict[str, Any]) -> list[str]:
    return [b for b in {str(settings.get("SITEURL") or ""), str(settings.get("FEED_DOMAIN") or "")}
            if b]


def verify_site(output: Path | str, previous: Manifest | None, settings: dict[str, Any], *,
                max_page_loss: float | None = None, check_links: bool = True,
                now: datetime | None = None, target: str | Target | None = None) -> VerifyResult:
    """Run every check; collect all reasons (an operator fixes them in one go).

    ``target``: where the site is going (default ``WARTA_PUBLISH_TARGET``); a site
    over that target's limits is refused, whatever ``check_links`` says.
    """
    out = Path(output)
    started = time.perf_counter()
    limit = float(setting(settings, "WARTA_VERIFY_MAX_PAGE_LOSS")
                  if max_page_loss is None else max_page_loss)
    sizes: dict[str, int] = {}
    files = linkcheck.list_files(out, sizes) if out.is_dir() else set()
    bases = site_bases(settings)
    manifest = build_manifest(out, files, bases=bases, prefix=article_prefix(settings), now=now,
                              sizes=sizes)
    reasons: list[Reason] = []
    stats: dict[str, Any] = {"pages": len(manifest.pages), "files": len(files),
                             "bytes": manifest.bytes, "home_news": manifest.home_news,
                             "previous_pages": len(previous.pages) if previous else None}
    if not files:
        reasons.append(reason("no_output", output=out))
        return VerifyResult(manifest, tuple(reasons), stats)
    target = target if target is not None else str(setting(settings, "WARTA_PUBLISH_TARGET") or "")
    if target:
        reasons += limit_reasons(target, settings, manifest.bytes, manifest.largest)
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
