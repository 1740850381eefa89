"""Withdrawals: ``takedowns.yml`` at the repository root.

A withdrawn item disappears from every page, feed and API on the next build
but stays in the archive (nothing archived is ever lost), and a re-fetch of
its feed cannot bring it back: the archive keeps a tombstone per entry
(migration 2) and :meth:`Archive.items` leaves tombstoned items out. The file
is the source of truth and its git history the audit log; removing an entry
restores the item on the next build.

Format — a YAML list; each entry names the item by ``id`` (as in
``api/v1/latest.json``; ``lokal-<file-name>`` for a local article) *or* by
its original ``url``::

    - id: 3f2a9c0d1e2b4a5c
      reason: Ditarik atas permintaan Diskominfo (data keliru)
      date: 2025-06-01
    - url: https://cilacapkab.go.id/berita/contoh/
      reason: Berita ganda
      date: 2025-06-02
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from ..sources.registry import check_url

ENTRY_FIELDS = ("id", "url", "reason", "date")
ITEM_ID_RE = re.compile(r"^(?:[0-9a-f]{16}|lokal-[a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass(frozen=True, slots=True)
class Takedown:
    """One withdrawal: exactly one of ``item_id``/``url`` is set."""

    item_id: str | None
    url: str | None
    reason: str
    date: date
    line: int | None = None

    @property
    def key(self) -> str:
        """Stable identity of the target (used as the tombstone's primary key)."""
        return f"id:{self.item_id}" if self.item_id else f"url:{normalize_url(self.url or '')}"


@dataclass(frozen=True, slots=True)
class TakedownProblem:
    """A problem in takedowns.yml: a rule code from ``messages.CHECK_MESSAGES`` plus values."""

    code: str
    line: int | None
    values: dict[str, object]


def normalize_url(url: str) -> str:
    """Compare URLs as readers would: scheme/host case, fragment and a trailing slash ignored."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


class TakedownSet:
    """Fast membership test for ids and original URLs."""

    def __init__(self, entries: Iterable[Takedown] = ()):
        self.entries = list(entries)
        self.ids = {e.item_id for e in self.entries if e.item_id}
        self.urls = {normalize_url(e.url) for e in self.entries if e.url}

    def __len__(self) -> int:
        return len(self.entries)

    def matches(self, item_id: str | None, url: str | None = None) -> bool:
        if item_id and item_id in self.ids:
            return True
        return bool(url) and normalize_url(url or "") in self.urls


def _entry_lines(text: str) -> list[int]:
    """1-based line of each list entry, so problems can point at it."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [child.start_mark.line + 1 for child in node.value]


def parse_takedowns(text: str) -> tuple[list[Takedown], list[TakedownProblem]]:
    """Validate the text of takedowns.yml; every problem is reported, valid entries kept."""
    problems: list[TakedownProblem] = []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        return [], [TakedownProblem("takedown-yaml", mark.line + 1 if mark else None,
                                    {"reason": reason})]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [TakedownProblem("takedown-yaml", 1,
                                    {"reason": "isinya harus berupa daftar entri '- …'"})]
    lines = _entry_lines(text)
    entries: list[Takedown] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data, start=1):
        line = lines[index - 1] if index - 1 < len(lines) else None

        def problem(code: str, line: int | None = line, index: int = index,
                    **values: object) -> None:
            problems.append(TakedownProblem(code, line, {"index": index, **values}))

        if not isinstance(raw, dict):
            problem("takedown-entry")
            continue
        ok = True
        for key in raw:
            if key not in ENTRY_FIELDS:
                problem("takedown-field", field=key)
                ok = False
        item_id, url = raw.get("id"), raw.get("url")
        if (item_id is None) == (url is None):
            problem("takedown-target")
            ok = False
        elif item_id is not None and not (isinstance(item_id, str)
                                          and ITEM_ID_RE.match(item_id.strip())):
            problem("takedown-id", value=item_id)
            ok = False
        elif url is not None:
            reason = check_url(url)
            if reason:
                problem("takedown-url", reason=reason)
                ok = False
        reason_text = raw.get("reason")
        if not isinstance(reason_text, str) or not reason_text.strip():
            problem("takedown-reason")
            ok = False
        when = raw.get("date")
        if isinstance(when, str):
            with contextlib.suppress(ValueError):
                when = date.fromisoformat(when.strip())
        if not isinstance(when, date):
            problem("takedown-date", value="" if when is None else when)
            ok = False
        if not ok:
            continue
        entry = Takedown(
            item_id=item_id.strip() if isinstance(item_id, str) else None,
            url=url.strip() if isinstance(url, str) else None,
            reason=str(reason_text).strip(), date=when, line=line,  # type: ignore[arg-type]
        )
        if entry.key in seen:
            problem("takedown-duplicate", other=seen[entry.key])
            continue
        seen[entry.key] = index
        entries.append(entry)
    return entries, problems


def load_takedowns(path: Path | None) -> tuple[list[Takedown], list[TakedownProblem]]:
    """Read ``path``; a missing file means no withdrawals."""
    if path is None or not path.is_file():
        return [], []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [], [TakedownProblem("encoding", None, {})]
    return parse_takedowns(text)
