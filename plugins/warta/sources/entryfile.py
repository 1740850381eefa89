"""Editing one registry file in place: write the ``feeds:`` found for a ``discover`` entry.

``invoke discover --write`` turns an entry that only names a homepage into one
that names its feed, for review in a pull request. The file is edited as text,
not re-dumped from YAML, so everything a person wrote stays as it was: comments,
``ref``, key order, quoting. Only the ``discover:`` line (and an empty
``feeds:``) is replaced by the ``feeds:`` block, and the result is validated
like any registry file before it is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from ..core.outfiles import write_atomic
from ..core.records import FeedSpec
from .registry import RegistryError, parse_source

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~:/?&=%+,;@!$()*'\[\]-]*")
"""Text that YAML reads back as the same plain string (no ``: ``, `` #``, leading ``&*!``…)."""


class EntryEditError(ValueError):
    """The edited file would not be a valid registry entry; the file is left as it was."""

    def __init__(self, errors: list[RegistryError] | str):
        self.errors = errors
        super().__init__(errors if isinstance(errors, str)
                         else "; ".join(str(e) for e in errors))


def _scalar(value: str) -> str:
    if _PLAIN.fullmatch(value) and ": " not in value and not value.endswith(":"):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def feeds_block(specs: Sequence[FeedSpec], comment: str | None = None) -> list[str]:
    """The ``feeds:`` lines for ``specs``, with an optional comment line above the first."""
    lines = ["feeds:\n"]
    if comment:
        lines.append(f"  # {comment}\n")
    for spec in specs:
        if spec.method == "feed":
            lines.append(f"  - {_scalar(spec.url)}\n")
            continue
        lines.append(f"  - {spec.method}: {_scalar(spec.url)}\n")
        lines += [f"    {key}: {json.dumps(value, ensure_ascii=False)}\n"
                  for key, value in spec.options.items()]
    return lines


def with_feeds(path: Path, text: str, specs: Sequence[FeedSpec], comment: str | None = None
               ) -> str:
    """``text`` with ``feeds:`` written in and ``discover:`` taken out.

    The block takes the place of the ``discover:`` line (else of an empty
    ``feeds:``, else it goes after ``homepage:``). Raises :class:`EntryEditError`
    when the file already has feeds, or when the result would not validate.
    """
    if not specs:
        raise EntryEditError("tidak ada feed untuk ditulis")
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise EntryEditError(f"YAML tidak dapat dibaca ({exc})") from None
    if not isinstance(node, yaml.MappingNode):
        raise EntryEditError("berkas tidak berisi pasangan kolom: nilai")
    drop: list[tuple[int, int]] = []
    at: int | None = None
    after_homepage: int | None = None
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        first, last = key.start_mark.line, value.end_mark.line
        if value.end_mark.column == 0 and last > first:
            last -= 1  # a block value ends at the start of the next line
        if name == "feeds":
            empty_scalar = isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null")
            empty_list = isinstance(value, yaml.SequenceNode) and not value.value
            if not (empty_scalar or empty_list):
                raise EntryEditError("berkas sudah berisi feeds")
            drop.append((first, last))
            at = first if at is None else min(at, first)
        elif name == "discover":
            drop.append((first, last))
            at = first if at is None else min(at, first)
        elif name == "homepage":
            after_homepage = last + 1
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if at is None:
        at = after_homepage if after_homepage is not None else len(lines)
    removed = {n for first, last in drop for n in range(first, last + 1)}
    out = [line for n, line in enumerate(lines[:at]) if n not in removed]
    out += feeds_block(specs, comment)
    out += [line for n, line in enumerate(lines[at:], start=at) if n not in removed]
    new = "".join(out)
    source, errors = parse_source(path, new)
    if errors or source is None:
        raise EntryEditError(errors or "berkas tidak valid")
    if source.feeds != tuple(specs) or source.discover:
        raise EntryEditError("feeds yang tertulis tidak terbaca kembali sama persis")
    return new


def write_feeds(path: Path, specs: Sequence[FeedSpec], comment: str | None = None) -> str:
    """Rewrite the registry file at ``path`` with ``specs`` as its feeds; returns the new text."""
    new = with_feeds(path, path.read_text(encoding="utf-8"), specs, comment)
    write_atomic(path, new.encode("utf-8"))
    return new
