"""``invoke discover TARGET --write``: write the feeds found into ``discover: true`` entries.

The fetch run finds and uses a way of reading each ``discover`` source by
itself (:mod:`warta.ingest.firstrun`); this command puts what was found into
the registry files, so that it can be reviewed in a pull request and the
entry no longer depends on the archive. For each entry it uses, in order:

1. the method the archive holds for it (``--db``), if the fetch run has read
   it successfully at least once — no request at all;
2. otherwise a search of the homepage now, every entry at once under the
   fetch run's politeness rules (:func:`warta.ingest.discover.discover_all`).

``TARGET`` names the entries: a registry folder (``sources/11``) or file, a
source id, or a homepage address.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..archive.store import Archive
from ..core.messages import DISCOVER_WRITE, DISCOVERY_MESSAGES, METHOD_LABELS
from ..core.records import FeedSpec, Source
from ..ingest.discover import discover_all, feed_spec
from ..ingest.fetch import FetchPolicy
from ..sources.entryfile import EntryEditError, write_feeds
from ..sources.registry import homepage_key


@dataclass(frozen=True, slots=True)
class Filled:
    """What ``--write`` did for one registry file."""

    source: Source
    spec: FeedSpec | None = None
    items: int = 0
    from_archive: bool = False
    reason: str | None = None
    """Why nothing was written (Indonesian)."""


def select(target: str, sources: Sequence[Source]) -> list[Source]:
    """The entries ``target`` names: a folder or file of the registry, an id, or a homepage."""
    if "://" in target:
        key = homepage_key(target)
        return [s for s in sources if homepage_key(s.homepage) == key]
    by_id = [s for s in sources if s.id == target]
    if by_id:
        return by_id
    path = Path(target).resolve()
    return [s for s in sources if s.path is not None
            and (s.path.resolve() == path or path in s.path.resolve().parents)]


def _stored(db: Path | None, sources: Sequence[Source]) -> dict[str, tuple[FeedSpec, int]]:
    """Methods the archive found for these sources and has read successfully at least once."""
    if db is None or not db.is_file():
        return {}
    out: dict[str, tuple[FeedSpec, int]] = {}
    with Archive(db) as archive:
        health = archive.health()
        for source in sources:
            found = archive.discovered(source.id)
            h = health.get(source.id)
            if found is None or h is None or found.homepage != source.homepage:
                continue
            worked = {f.url for f in h.feeds if f.last_success is not None}
            spec = next((m for m in found.methods if m.url in worked), None)
            if spec is not None:
                out[source.id] = (spec, found.items)
    return out


def fill(entries: Sequence[Source], *, db: Path | None, policy: FetchPolicy | None = None,
         today: date | None = None) -> list[Filled]:
    """Write feeds into each entry that has none; the outcome of each, in the given order."""
    today = today or date.today()
    todo = [s for s in entries if not s.feeds]
    stored = _stored(db, todo)
    live = [s for s in todo if s.id not in stored]
    searched = asyncio.run(discover_all(sorted({s.homepage for s in live}), policy)) if live else {}
    done: list[Filled] = []
    for source in entries:
        assert source.path is not None
        if source.feeds:
            done.append(Filled(source, reason=DISCOVER_WRITE["has_feeds"]))
            continue
        if source.id in stored:
            spec, items = stored[source.id]
            filled = Filled(source, spec, items, from_archive=True)
        else:
            found = searched[source.homepage]
            best = found.best
            if best is None:
                reason = (DISCOVERY_MESSAGES["homepage"].format(detail=found.error) if found.error
                          else DISCOVERY_MESSAGES["none"].format(homepage=source.homepage))
                done.append(Filled(source, reason=reason))
                continue
            filled = Filled(source, feed_spec(best), best.items)
        assert filled.spec is not None
        comment = DISCOVER_WRITE["comment"].format(
            label=METHOD_LABELS.get(filled.spec.method, filled.spec.method), items=filled.items,
            date=today.isoformat())
        try:
            write_feeds(source.path, (filled.spec,), comment)
        except (EntryEditError, OSError) as exc:
            filled = Filled(source, reason=DISCOVER_WRITE["invalid"].format(reason=exc))
        done.append(filled)
    return done


def describe(filled: Filled, root: Path) -> str:
    """The line printed for one file."""
    assert filled.source.path is not None
    try:
        path = filled.source.path.relative_to(root).as_posix()
    except ValueError:
        path = str(filled.source.path)
    if filled.spec is None:
        return DISCOVER_WRITE["failed"].format(path=path, reason=filled.reason)
    return DISCOVER_WRITE["written"].format(
        path=path, label=METHOD_LABELS.get(filled.spec.method, filled.spec.method),
        url=filled.spec.url, items=filled.items,
        origin=DISCOVER_WRITE["from_archive"] if filled.from_archive else "")


def run(target: str, sources: Sequence[Source], *, root: Path, db: Path | None,
        policy: FetchPolicy | None = None, out: Callable[[str], None] = print) -> int:
    """``invoke discover TARGET --write``: 0 when every named entry got its feeds."""
    entries = select(target, sources)
    if not entries:
        out(DISCOVER_WRITE["unknown"].format(target=target, root=root))
        return 1
    done = fill(entries, db=db, policy=policy)
    for filled in done:
        out(describe(filled, root))
    written = sum(1 for f in done if f.spec is not None)
    out(DISCOVER_WRITE["summary"].format(written=written, failed=len(done) - written))
    return 0 if written == len(done) else 1
