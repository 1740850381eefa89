"""The archive's connection: one SQLite file in WAL mode, its migrations, its write units.

Rules: items are keyed by source + guid and
never deleted because they left a feed; a changed item is updated in place
with its first-seen time kept; fetch state (ETag, Last-Modified, body hash)
survives between runs. Each feed's outcome is written in one unit in WAL mode,
so killing a run at any moment leaves a consistent file and the next run
simply resumes. What is stored lives in the mixins of :mod:`warta.archive.store`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from .migrations import MIGRATIONS, split_sql
from .schema import SCHEMA

WAL_AUTOCHECKPOINT_PAGES = 10_000
"""Copy the write-ahead log into the file every ~40 MB of it rather than SQLite's 4 MB.

Each commit logs again every index page its items touched (the items' keys are
random), and each copy into the file is two fsyncs on the event loop's thread. A
larger log copies a page that many commits touched once instead of many times. The
log is still replayed after a crash and removed on close."""

GROUP_UNITS = 24
"""Write units (a feed, a health row) one commit of :meth:`Archive.grouped_commits` carries at most."""
GROUP_SECONDS = 0.5
"""…and how long it keeps them uncommitted at most."""


@dataclass(slots=True)
class _Group:
    """The open group of :meth:`Archive.grouped_commits`."""

    max_units: int
    max_seconds: float
    units: int = 0
    opened: float = 0.0


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_JSON = json.JSONEncoder(ensure_ascii=False)
"""``json.dumps(…, ensure_ascii=False)`` as one shared encoder: each stored item encodes its
raw entry, authors, tags and credits, and every ``dumps`` call with an argument built a new
encoder. A tuple encodes as the list it was converted to before."""

_LOOKUP_CHUNK = 500
"""Ids per ``WHERE id IN (…)`` look-up: a feed's batch in one query, well under SQLite's
bound on parameters (999 before 3.32)."""


def select_in(conn: sqlite3.Connection, sql: str, ids: Sequence[str]) -> Iterator[sqlite3.Row]:
    """The rows of ``sql`` (its ``IN ({marks})`` filled with ``ids``), one query per
    :data:`_LOOKUP_CHUNK` ids: a batch in a few queries rather than one query an id."""
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start:start + _LOOKUP_CHUNK]
        yield from conn.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk)



class ArchiveBase:
    """The connection and its write units; the stores of :mod:`warta.archive.store` build on it."""
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._batched = False
        """True inside :meth:`feed_batch`: writes join its transaction."""
        self._group: _Group | None = None
        """Open inside :meth:`grouped_commits`."""
        self.migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Bring the file to the newest schema: a new file from :data:`SCHEMA` at once, an older
        one through the numbered migrations it lacks, in order."""
        if self.schema_version >= len(MIGRATIONS):
            return
        # Two processes may open a new archive at once (a build beside a fetch): take the
        # write lock first and re-read the version under it, so only one applies each step.
        self.conn.isolation_level = None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                version = self.schema_version
                fresh = version == 0 and self.conn.execute(
                    "SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
                if fresh:
                    for statement in split_sql(SCHEMA):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
                    version = len(MIGRATIONS)
                for number, script in enumerate(MIGRATIONS, start=1):
                    if number <= version:
                        continue
                    for statement in split_sql(script):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version={number}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        finally:
            self.conn.isolation_level = ""

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._unit():
            yield self.conn

    @contextmanager
    def feed_batch(self) -> Iterator[None]:
        """One unit of writes for what reading one feed writes: its items, pages and fetch state.

        They were two commits a feed (each commit logs again the index pages it touched),
        and a run killed between them kept the items without the validators (ETag, body
        hash) that mark them read.
        Now the feed's writes commit together or not at all; a feed not committed is read
        again by the next run. :meth:`store_items`, :meth:`record_pages` and
        :meth:`record_feed` join it; nothing awaits inside it (the write lock is held).
        Inside :meth:`grouped_commits` several units share one commit.
        """
        if self._batched:
            yield
            return
        self._batched = True
        try:
            with self._unit():
                yield
        finally:
            self._batched = False

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write unit of its own, or part of the :meth:`feed_batch` around it."""
        if self._batched:
            yield
        else:
            with self._unit():
                yield

    @contextmanager
    def _unit(self) -> Iterator[None]:
        """Writes that land together or not at all: a transaction of their own, or a
        savepoint of the open :meth:`grouped_commits` transaction (undone alone if they fail)."""
        group = self._group
        if group is None:
            with self.conn:
                yield
            return
        conn = self.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
            group.opened = time.monotonic()
        conn.execute("SAVEPOINT warta_unit")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # an error may have ended the transaction already
                conn.execute("ROLLBACK TO warta_unit")
                conn.execute("RELEASE warta_unit")
            raise
        conn.execute("RELEASE warta_unit")
        group.units += 1
        if group.units >= group.max_units or time.monotonic() - group.opened >= group.max_seconds:
            conn.commit()  # the unit is released: the transaction holds whole units only
            group.units = 0

    def commit_group(self) -> None:
        """Commit the units of the open group now (a caller's timer: when the feeds still
        running take long, what is done does not wait for them uncommitted)."""
        group = self._group
        if group is not None and not self._batched and self.conn.in_transaction:
            self.conn.commit()
            group.units = 0

    @contextmanager
    def grouped_commits(self, max_units: int = GROUP_UNITS,
                        max_seconds: float = GROUP_SECONDS) -> Iterator[None]:
        """Commit the write units made inside (feeds, health rows) a few at a time.

        A fetch run wrote one transaction per feed, and each commit logs again every
        index page its items touched: the items' keys are random, so a cold run of
        1,000 feeds logged ~3 times the size of its items and spent ~2 s of the event
        loop's time committing. Grouped, a commit carries up to ``max_units`` units or
        ``max_seconds`` of them. Each unit is still whole or absent (a savepoint), so a
        killed run keeps every group committed before it and reads the feeds of the
        lost group again, their validators being lost with them. The write lock is held
        between the units of a group (at most ``max_seconds``): other writers wait, as
        they would for one large feed; readers are never blocked (WAL).
        """
        if self._group is not None:
            yield
            return
        self._group = _Group(max_units, max_seconds)
        try:
            yield
        finally:
            self._group = None
            if self.conn.in_transaction:
                self.conn.commit()  # every unit inside is whole: keep them

