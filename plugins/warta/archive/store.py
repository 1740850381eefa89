"""The durable archive: one SQLite file holding every item ever seen.

Rules (AGGREGATORS.md lessons 1, 5, 6): items are keyed by source + guid and
never deleted because they left a feed; a changed item is updated in place
with its first-seen time kept; fetch state (ETag, Last-Modified, body hash)
survives between runs. Each feed's outcome is written in one transaction in
WAL mode, so killing a run at any moment leaves a consistent file and the
next run simply resumes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ..core.records import ArchivedItem, FetchResult, Item, PageVisit, RawEntry, content_hash
from .takedowns import Takedown, TakedownSet, normalize_url

MIGRATIONS: tuple[str, ...] = (
    # 1: the foundation schema.
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        last_attempt TEXT,            -- ISO 8601 UTC
        last_success TEXT,
        last_status TEXT,             -- ok | not_modified | error
        http_status INTEGER,
        error_class TEXT,             -- stable identifier, see messages.ERROR_MESSAGES
        error_message TEXT,           -- Indonesian, for people
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        failing_since TEXT
    );
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        source_id TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,               -- skip parsing when the bytes did not change
        last_attempt TEXT,
        last_success TEXT,
        http_status INTEGER,
        error_class TEXT,
        error_message TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE items (
        id TEXT PRIMARY KEY,          -- sha1(source \\0 key)[:16]
        source_id TEXT NOT NULL,
        key TEXT NOT NULL,            -- guid, else link, else a content hash
        link TEXT,
        title TEXT NOT NULL,
        content_html TEXT NOT NULL,   -- sanitized
        summary TEXT NOT NULL,        -- plain text
        published TEXT NOT NULL,      -- ISO 8601 in the source's own offset
        published_ts REAL NOT NULL,
        date_estimated INTEGER NOT NULL DEFAULT 0,
        updated TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        tags TEXT NOT NULL DEFAULT '[]',
        category TEXT,
        image TEXT,
        place TEXT,
        credits TEXT NOT NULL DEFAULT '{}',
        via TEXT NOT NULL DEFAULT 'feed',
        raw TEXT NOT NULL,            -- the RawEntry as received, to re-clean later
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        modified_at TEXT,
        story TEXT NOT NULL,
        sort_ts REAL NOT NULL,        -- min(published, first seen): rewritten dates cannot jump
        UNIQUE (source_id, key)
    );
    CREATE INDEX items_sort ON items (sort_ts DESC);
    CREATE INDEX items_source ON items (source_id, sort_ts DESC);
    CREATE INDEX items_story ON items (story);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        report TEXT                   -- JSON summary of the run
    );
    """,
    # 2: per-feed backoff (AGGREGATORS.md lesson 3): a failing feed is retried later and
    # later, capped at a day, never abandoned.
    """
    ALTER TABLE feeds ADD COLUMN next_attempt TEXT;
    """,
    # 3 (issue 12): sites without a feed — the method of each feed entry and why it
    # failed, a per-URL cache of article pages and sitemaps seen, and robots.txt.
    """
    ALTER TABLE feeds ADD COLUMN method TEXT NOT NULL DEFAULT 'feed';
    ALTER TABLE feeds ADD COLUMN note TEXT;   -- Indonesian: fallback used, pages skipped…
    CREATE TABLE pages (
        source_id TEXT NOT NULL,
        url TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'article',  -- article | sitemap
        lastmod TEXT,                 -- as the sitemap stated it, to notice changes
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,
        item_key TEXT,                -- the archived item this page produced
        first_seen TEXT NOT NULL,
        last_fetched TEXT,
        http_status INTEGER,
        error_class TEXT,
        error_message TEXT,
        PRIMARY KEY (source_id, url)
    );
    CREATE TABLE robots (
        origin TEXT PRIMARY KEY,      -- scheme://host[:port]
        status INTEGER,
        body TEXT,
        fetched_at TEXT NOT NULL
    );
    """,
    # 4 (issue 5): every image a source's items use, and whether we could serve it.
    """
    CREATE TABLE images (
        source_id TEXT NOT NULL,
        url TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'lead',   -- lead | body | logo
        status TEXT NOT NULL,                -- ok | failed
        error_class TEXT,                    -- see messages.IMAGE_ERROR_MESSAGES
        error_message TEXT,                  -- Indonesian, for people
        http_status INTEGER,
        first_seen TEXT NOT NULL,
        last_attempt TEXT,
        last_success TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source_id, url)
    );
    CREATE INDEX images_status ON images (source_id, status);
    """,
    # 5 (issue 6): story grouping. The story itself stays in items.story.
    """
    CREATE TABLE story_sigs (
        seq INTEGER PRIMARY KEY,      -- assignment order: the older story wins a merge
        item_id TEXT NOT NULL UNIQUE REFERENCES items (id),
        ts REAL NOT NULL,             -- published_ts, for the date window
        content_hash TEXT NOT NULL,   -- the item version the signature describes
        sig BLOB NOT NULL             -- MinHash values, little-endian uint32
    );
    CREATE INDEX story_sigs_ts ON story_sigs (ts);
    CREATE TABLE story_bands (
        band_key INTEGER NOT NULL,    -- LSH band hash (storytext.band_keys)
        day INTEGER NOT NULL,         -- floor(ts / 86400): a look-up reads only its date window,
        seq INTEGER NOT NULL,         -- not every year's copy of a recurring template
        PRIMARY KEY (band_key, day, seq)
    ) WITHOUT ROWID;
    CREATE TABLE story_merges (
        absorbed TEXT PRIMARY KEY,    -- a story id that no longer exists…
        story TEXT NOT NULL,          -- …and the story it now belongs to
        merged_at TEXT NOT NULL
    );
    """,
    # 6 (issue 7): withdrawal tombstones, synced from takedowns.yml at each build. Items stay
    # in `items`; reads for publishing leave out any item matching a tombstone, so a re-fetch
    # of the same feed cannot bring a withdrawn item back.
    """
    CREATE TABLE takedowns (
        key TEXT PRIMARY KEY,         -- 'id:<item id>' or 'url:<normalized original URL>'
        item_id TEXT,
        url TEXT,                     -- normalized (takedowns.normalize_url)
        reason TEXT NOT NULL,
        date TEXT NOT NULL,           -- ISO date of the withdrawal
        recorded_at TEXT NOT NULL     -- when the archive first saw this entry
    );
    """,
    # 7 (issue 10): per-source item count and newest date (health, read by every build) from
    # a covering index instead of a scan of the items table and its bodies (37 s at 20k items
    # on a cold page cache).
    """
    CREATE INDEX items_source_published ON items (source_id, published_ts);
    """,
    # 8 (issue 10): each source's first sighting (the /status/ delay figures) without a scan.
    """
    CREATE INDEX items_source_first_seen ON items (source_id, first_seen);
    """,
    # 9 (issue 10): the feed entry as received moves to its own table. It is as large as the
    # body and sat before content_hash, first_seen, story…: every read of those (each build
    # reads all items) walked its overflow pages. It is read only to re-clean an item.
    """
    CREATE TABLE item_raw (
        item_id TEXT PRIMARY KEY,
        raw TEXT NOT NULL             -- the RawEntry as received, to re-clean later
    );
    INSERT INTO item_raw (item_id, raw) SELECT id, raw FROM items;
    ALTER TABLE items DROP COLUMN raw;
    """,
)

ITEM_COLUMNS = (
    "id, source_id, key, link, title, content_html, summary, published, date_estimated, updated, "
    "authors, tags, category, image, place, credits, via, first_seen, last_seen, modified_at, "
    "story, content_hash"
)
"""The ``items`` columns :meth:`Archive._row_item` reads."""

WAL_AUTOCHECKPOINT_PAGES = 10_000
"""Copy the write-ahead log into the file every ~40 MB of it rather than SQLite's 4 MB.

A fetch commits every few feeds (:meth:`Archive.grouped_commits`; it was every feed), and each
commit logs again the index pages its items touched
(four random-keyed indexes: ~550 MB of log for a cold run's ~185 MB of items). Each copy is
two fsyncs on the event loop's thread; storing a cold 1,000-feed run made 383 of them and
wrote 879 MB at 4 MB, 47 and 752 MB at 40 MB (a page logged by many commits is copied once). The log
file may reach ~40 MB on disk; it is still replayed after a crash and removed on close."""

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


BACKOFF_BASE = timedelta(minutes=20)
BACKOFF_CAP = timedelta(days=1)


def backoff_delay(consecutive_failures: int) -> timedelta:
    """20 min, 40 min, 80 min … capped at a day: hourly runs still try a feed that failed once."""
    if consecutive_failures <= 0:
        return timedelta(0)
    return min(BACKOFF_BASE * (2 ** min(consecutive_failures - 1, 16)), BACKOFF_CAP)


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (``executescript`` would commit our transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class SourceHealth:
    source_id: str
    last_attempt: datetime | None
    last_success: datetime | None
    last_status: str | None
    http_status: int | None
    error_class: str | None
    error_message: str | None
    consecutive_failures: int
    failing_since: datetime | None
    item_count: int
    newest_item: datetime | None
    feeds: tuple[FeedHealth, ...] = ()
    """Each ``feeds:`` entry of the source: its method and why it failed (issue 12)."""


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """One ``feeds:`` entry's last outcome, for sources.json and the status page."""

    url: str
    method: str
    http_status: int | None
    error_class: str | None
    error_message: str | None
    note: str | None
    last_attempt: datetime | None
    last_success: datetime | None
    consecutive_failures: int


@dataclass(frozen=True, slots=True)
class PageState:
    """What the archive remembers of one article page or sitemap URL."""

    url: str
    kind: str
    lastmod: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    item_key: str | None
    error_class: str | None


@dataclass(frozen=True, slots=True)
class RobotsRecord:
    origin: str
    status: int | None
    body: str
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class ImageHealth:
    """Images of one source: how many are used, how many failed, the latest reason."""

    source_id: str
    total: int
    failed: int
    last_error: str | None
    last_error_class: str | None
    last_failure: datetime | None


@dataclass(frozen=True, slots=True)
class ImageRecord:
    """One image use to record: what happened to ``url`` for ``source_id`` in a build."""

    source_id: str
    url: str
    role: str
    status: str  # ok | failed
    attempted: bool
    error_class: str | None = None
    error_message: str | None = None
    http_status: int | None = None


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    consecutive_failures: int = 0
    next_attempt: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


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

_ITEM_FIELDS = ("link, title, content_html, summary, updated, authors, tags, category, image, "
                "place, credits, via")
"""The columns :meth:`Archive._item_values` gives, in its order."""

_INSERT_COLUMNS = (f"id, source_id, key, {_ITEM_FIELDS}, published, published_ts, date_estimated, "
                   "content_hash, first_seen, last_seen, modified_at, story, sort_ts")
_INSERT_ITEM = (f"INSERT INTO items ({_INSERT_COLUMNS}) "
                f"VALUES ({', '.join('?' * len(_INSERT_COLUMNS.split(', ')))})")
_UPDATE_ITEM = (
    "UPDATE items SET "
    + ", ".join(f"{c} = ?" for c in _ITEM_FIELDS.split(", "))
    + ", published = ?, published_ts = ?, date_estimated = ?, content_hash = ?, last_seen = ?, "
    "modified_at = ?, sort_ts = ? WHERE id = ?"
)


@dataclass(frozen=True, slots=True)
class _Known:
    """What storing a new version needs of an item's archived row (or of its earlier
    version in the same batch)."""

    content_hash: str
    first_seen: str
    published: str
    date_estimated: bool


class Archive:
    """Thin typed access to the SQLite archive. Not shared across threads."""

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

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply numbered migrations in order; each in its own transaction."""
        if self.schema_version >= len(MIGRATIONS):
            return
        # Two processes may open a new archive at once (a build beside a fetch): take the
        # write lock first and re-read the version under it, so only one applies each step.
        self.conn.isolation_level = None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                version = self.schema_version
                for number, script in enumerate(MIGRATIONS, start=1):
                    if number <= version:
                        continue
                    for statement in _split_sql(script):
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

    # -- fetch state ---------------------------------------------------------------

    def feed_state(self, url: str) -> FeedState | None:
        row = self.conn.execute(
            "SELECT url, etag, last_modified, body_hash, consecutive_failures, next_attempt "
            "FROM feeds WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        return FeedState(row["url"], row["etag"], row["last_modified"], row["body_hash"],
                         row["consecutive_failures"], _dt(row["next_attempt"]))

    def record_feed(self, source_id: str, result: FetchResult, *, now: datetime,
                    body_hash: str | None = None, error_class: str | None = None,
                    error_message: str | None = None, method: str = "feed",
                    note: str | None = None) -> None:
        """Remember one feed's fetch outcome (validators on success, error otherwise)."""
        err_cls = error_class or result.error_class
        err_msg = error_message or result.error_message
        ok = err_cls is None
        prev = self.feed_state(result.url)
        fails = 0 if ok else (prev.consecutive_failures if prev else 0) + 1
        next_attempt = None if ok else now + backoff_delay(fails)
        with self._writing():
            self.conn.execute(
                """
                INSERT INTO feeds (url, source_id, etag, last_modified, body_hash, last_attempt,
                                   last_success, http_status, error_class, error_message,
                                   consecutive_failures, next_attempt, method, note)
                VALUES (:url, :sid, :etag, :lm, :hash, :now, :success, :status, :ecls, :emsg, :fails,
                        :next, :method, :note)
                ON CONFLICT (url) DO UPDATE SET
                    source_id = excluded.source_id,
                    method = excluded.method,
                    note = excluded.note,
                    etag = COALESCE(excluded.etag, feeds.etag),
                    last_modified = COALESCE(excluded.last_modified, feeds.last_modified),
                    body_hash = COALESCE(excluded.body_hash, feeds.body_hash),
                    last_attempt = excluded.last_attempt,
                    last_success = COALESCE(excluded.last_success, feeds.last_success),
                    http_status = excluded.http_status,
                    error_class = excluded.error_class,
                    error_message = excluded.error_message,
                    consecutive_failures = excluded.consecutive_failures,
                    next_attempt = excluded.next_attempt
                """,
                {
                    "url": result.url, "sid": source_id,
                    "etag": result.etag if ok else None,
                    "lm": result.last_modified if ok else None,
                    "hash": body_hash if ok else None,
                    "now": _iso(now), "success": _iso(now) if ok else None,
                    "status": result.status, "ecls": err_cls, "emsg": err_msg,
                    "fails": fails, "next": _iso(next_attempt), "method": method, "note": note,
                },
            )

    def record_source(self, source_id: str, *, now: datetime, status: str,
                      http_status: int | None = None, error_class: str | None = None,
                      error_message: str | None = None) -> None:
        """Roll one source's feeds up into its health row."""
        ok = status != "error"
        with self._writing():
            self.conn.execute(
                """
                INSERT INTO sources (id, last_attempt, last_success, last_status, http_status,
                                     error_class, error_message, consecutive_failures, failing_since)
                VALUES (:id, :now, :success, :status, :http, :ecls, :emsg, :fails, :since)
                ON CONFLICT (id) DO UPDATE SET
                    last_attempt = excluded.last_attempt,
                    last_success = COALESCE(excluded.last_success, sources.last_success),
                    last_status = excluded.last_status,
                    http_status = excluded.http_status,
                    error_class = excluded.error_class,
                    error_message = excluded.error_message,
                    consecutive_failures = CASE WHEN excluded.error_class IS NULL THEN 0
                                                ELSE sources.consecutive_failures + 1 END,
                    failing_since = CASE WHEN excluded.error_class IS NULL THEN NULL
                                         ELSE COALESCE(sources.failing_since, excluded.last_attempt)
                                    END
                """,
                {
                    "id": source_id, "now": _iso(now), "success": _iso(now) if ok else None,
                    "status": status, "http": http_status,
                    "ecls": None if ok else error_class, "emsg": None if ok else error_message,
                    "fails": 0 if ok else 1, "since": None if ok else _iso(now),
                },
            )

    # -- items -----------------------------------------------------------------------

    def store_items(self, pairs: Iterable[tuple[Item, RawEntry]], *, now: datetime,
                    hashes: Mapping[str, str] | None = None) -> StoreOutcome:
        """Insert new items, update changed ones, touch unchanged ones — one transaction.

        The parent process stores every feed of a run on its event loop (~19,000 items
        in a cold run), so a batch costs one look-up of the rows it already has and one
        ``executemany`` per statement rather than three ``execute`` calls an item. Rows are
        written in the order of ``pairs``, as item after item would: new rows get the
        same rowids, and an id given twice sees its first version, as before.

        ``hashes`` are :func:`content_hash` values already computed for these items (a
        fetch worker hashes each one for its story signature); an item without one is
        hashed here.
        """
        pairs = list(pairs)
        now_iso = _iso(now)
        now_ts = now.timestamp()
        inserts: list[tuple[object, ...]] = []
        changes: list[tuple[object, ...]] = []
        touches: list[tuple[str | None, str]] = []
        raws: list[tuple[str, str]] = []
        new = updated = unchanged = 0
        with self._writing():
            known = self._known_items([item.id for item, _raw in pairs])
            for item, raw in pairs:
                h = hashes.get(item.id) if hashes else None
                if h is None:
                    h = content_hash(item)
                row = known.get(item.id)
                if row is None:
                    published_iso = item.published.isoformat()
                    published_ts = item.published.timestamp()
                    inserts.append((
                        item.id, item.source_id, item.key, *self._item_values(item),
                        published_iso, published_ts, int(item.date_estimated), h,
                        now_iso, now_iso, None, item.id, min(published_ts, now_ts),
                    ))
                    known[item.id] = _Known(h, now_iso, published_iso, item.date_estimated)
                    new += 1
                elif row.content_hash == h:
                    touches.append((now_iso, item.id))
                    unchanged += 1
                    continue
                else:
                    first_seen = _dt(row.first_seen)
                    assert first_seen is not None
                    published, estimated = item.published, item.date_estimated
                    if estimated:
                        # An undated item keeps the date it was first given (first seen).
                        published = datetime.fromisoformat(row.published)
                        estimated = row.date_estimated
                    published_iso = published.isoformat()
                    published_ts = published.timestamp()
                    changes.append((
                        *self._item_values(item), published_iso, published_ts, int(estimated),
                        h, now_iso, now_iso, min(published_ts, first_seen.timestamp()), item.id,
                    ))
                    known[item.id] = _Known(h, row.first_seen, published_iso, estimated)
                    updated += 1
                raws.append((item.id, _JSON.encode(raw.to_json())))
            # Inserts first: an update or touch of an id met twice in one batch finds its row.
            if inserts:
                self.conn.executemany(_INSERT_ITEM, inserts)
            if changes:
                self.conn.executemany(_UPDATE_ITEM, changes)
            if touches:
                self.conn.executemany("UPDATE items SET last_seen = ? WHERE id = ?", touches)
            if raws:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO item_raw (item_id, raw) VALUES (?, ?)", raws)
        return StoreOutcome(new, updated, unchanged)

    def _known_items(self, ids: list[str]) -> dict[str, _Known]:
        """What ``store_items`` needs of the rows ``ids`` already have: one query per chunk."""
        return {r[0]: _Known(r[1], r[2], r[3], bool(r[4])) for r in select_in(
            self.conn, "SELECT id, content_hash, first_seen, published, date_estimated FROM items "
            "WHERE id IN ({marks})", ids)}

    @staticmethod
    def _item_values(item: Item) -> tuple[object, ...]:
        """The columns a new or changed version sets as given: :data:`_ITEM_FIELDS` order."""
        credits = item.credits
        return (
            item.link, item.title, item.content_html, item.summary, _iso(item.updated),
            _JSON.encode(item.authors) if item.authors else "[]",
            _JSON.encode(item.tags) if item.tags else "[]",
            item.category, item.image, item.place,
            (_JSON.encode(credits if type(credits) is dict else dict(credits))
             if credits else "{}"),
            item.via,
        )

    def set_story(self, item_id: str, story: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE items SET story = ? WHERE id = ?", (story, item_id))

    @staticmethod
    def _row_item(row: sqlite3.Row) -> ArchivedItem:
        item = Item(
            id=row["id"], source_id=row["source_id"], key=row["key"], link=row["link"],
            title=row["title"], content_html=row["content_html"], summary=row["summary"],
            published=datetime.fromisoformat(row["published"]),
            date_estimated=bool(row["date_estimated"]), updated=_dt(row["updated"]),
            authors=tuple(json.loads(row["authors"])), tags=tuple(json.loads(row["tags"])),
            category=row["category"], image=row["image"], place=row["place"],
            credits=json.loads(row["credits"]), via=row["via"],
        )
        first_seen = _dt(row["first_seen"])
        last_seen = _dt(row["last_seen"])
        assert first_seen is not None and last_seen is not None
        return ArchivedItem(item=item, first_seen=first_seen, last_seen=last_seen,
                            modified_at=_dt(row["modified_at"]), story=row["story"],
                            content_hash=row["content_hash"])

    def items(self, *, source_ids: Iterable[str] | None = None, limit: int | None = None,
              include_withdrawn: bool = False) -> Iterator[ArchivedItem]:
        """Archived items, newest first (by sort time).

        Withdrawn items (matching a takedown tombstone) are left out unless
        ``include_withdrawn``: every page, feed and API reads through here.
        """
        sql = f"SELECT {ITEM_COLUMNS} FROM items"
        params: list[object] = []
        if source_ids is not None:
            ids = list(source_ids)
            sql += f" WHERE source_id IN ({', '.join('?' * len(ids))})"
            params.extend(ids)
        sql += " ORDER BY sort_ts DESC, id"
        withdrawn = TakedownSet() if include_withdrawn else self.takedown_set()
        if limit is not None and not withdrawn:
            sql += " LIMIT ?"
            params.append(limit)
        count = 0
        for row in self.conn.execute(sql, params):
            if withdrawn and withdrawn.matches(row["id"], row["link"]):
                continue
            yield self._row_item(row)
            count += 1
            if limit is not None and count >= limit:
                return

    def get(self, item_id: str) -> ArchivedItem | None:
        row = self.conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return self._row_item(row) if row else None

    def raw_entry(self, item_id: str) -> RawEntry | None:
        row = self.conn.execute("SELECT raw FROM item_raw WHERE item_id = ?",
                                (item_id,)).fetchone()
        return RawEntry.from_json(json.loads(row["raw"])) if row else None

    def story_members(self, story: str) -> list[ArchivedItem]:
        """Every archived report of ``story`` (an absorbed story id is followed), oldest first."""
        row = self.conn.execute("SELECT story FROM story_merges WHERE absorbed = ?",
                                (story,)).fetchone()
        if row is not None:
            story = row["story"]
        rows = self.conn.execute("SELECT * FROM items WHERE story = ? ORDER BY published_ts, id",
                                 (story,))
        return [self._row_item(r) for r in rows]

    # -- withdrawals (takedowns.yml) ---------------------------------------------------

    def sync_takedowns(self, entries: Iterable[Takedown], *, now: datetime) -> None:
        """Make the tombstones equal ``entries`` (one transaction); first-recorded times kept."""
        entries = list(entries)
        with self.conn:
            keys = [e.key for e in entries]
            self.conn.execute(
                f"DELETE FROM takedowns WHERE key NOT IN ({', '.join('?' * len(keys))})", keys)
            for e in entries:
                self.conn.execute(
                    """
                    INSERT INTO takedowns (key, item_id, url, reason, date, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET reason = excluded.reason, date = excluded.date
                    """,
                    (e.key, e.item_id, normalize_url(e.url) if e.url else None, e.reason,
                     e.date.isoformat(), _iso(now)),
                )

    def takedown_set(self) -> TakedownSet:
        """The tombstones currently in force."""
        rows = self.conn.execute("SELECT item_id, url, reason, date FROM takedowns").fetchall()
        return TakedownSet(
            Takedown(r["item_id"], r["url"], r["reason"], date.fromisoformat(r["date"]))
            for r in rows
        )

    def withdrawn(self) -> dict[str, str]:
        """Archived items that are withdrawn: item id → reason (for operators and tests)."""
        tombstones = self.takedown_set()
        if not tombstones:
            return {}
        reasons = {e.key: e.reason for e in tombstones.entries}
        out: dict[str, str] = {}
        for row in self.conn.execute("SELECT id, link FROM items"):
            if tombstones.matches(row["id"], row["link"]):
                key = (f"id:{row['id']}" if row["id"] in tombstones.ids
                       else f"url:{normalize_url(row['link'])}")
                out[row["id"]] = reasons.get(key, "")
        return out

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    # -- health --------------------------------------------------------------------

    def health(self) -> dict[str, SourceHealth]:
        counts = {
            r["source_id"]: (r["n"], r["newest"])
            for r in self.conn.execute(
                "SELECT source_id, COUNT(*) AS n, MAX(published_ts) AS newest FROM items "
                "GROUP BY source_id"
            )
        }
        feeds: dict[str, list[FeedHealth]] = {}
        for f in self.conn.execute("SELECT * FROM feeds ORDER BY rowid"):
            feeds.setdefault(f["source_id"], []).append(FeedHealth(
                url=f["url"], method=f["method"], http_status=f["http_status"],
                error_class=f["error_class"], error_message=f["error_message"], note=f["note"],
                last_attempt=_dt(f["last_attempt"]), last_success=_dt(f["last_success"]),
                consecutive_failures=f["consecutive_failures"],
            ))
        out: dict[str, SourceHealth] = {}
        for r in self.conn.execute("SELECT * FROM sources"):
            n, newest = counts.get(r["id"], (0, None))
            out[r["id"]] = SourceHealth(
                source_id=r["id"], last_attempt=_dt(r["last_attempt"]),
                last_success=_dt(r["last_success"]), last_status=r["last_status"],
                http_status=r["http_status"], error_class=r["error_class"],
                error_message=r["error_message"],
                consecutive_failures=r["consecutive_failures"],
                failing_since=_dt(r["failing_since"]), item_count=n,
                newest_item=datetime.fromtimestamp(newest, UTC) if newest else None,
                feeds=tuple(feeds.get(r["id"], ())),
            )
        return out

    def record_run(self, started: datetime, finished: datetime, report: dict[str, object]) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO runs (started, finished, report) VALUES (?, ?, ?)",
                (_iso(started), _iso(finished), json.dumps(report, ensure_ascii=False)),
            )

    # -- pages seen and robots.txt (issue 12) ------------------------------------------

    def known_keys(self, source_id: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` the archive already holds for ``source_id``."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.conn.execute(
                f"SELECT key FROM items WHERE source_id = ? AND key IN ({', '.join('?' * len(chunk))})",
                [source_id, *chunk],
            )
            found.update(r["key"] for r in rows)
        return found

    def page_states(self, source_id: str, urls: Iterable[str]) -> dict[str, PageState]:
        """The per-URL cache: which pages of ``source_id`` were seen, with what lastmod."""
        wanted = list(dict.fromkeys(urls))
        out: dict[str, PageState] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.conn.execute(
                "SELECT url, kind, lastmod, etag, last_modified, body_hash, item_key, error_class "
                f"FROM pages WHERE source_id = ? AND url IN ({', '.join('?' * len(chunk))})",
                [source_id, *chunk],
            )
            for r in rows:
                out[r["url"]] = PageState(r["url"], r["kind"], r["lastmod"], r["etag"],
                                          r["last_modified"], r["body_hash"], r["item_key"],
                                          r["error_class"])
        return out

    def record_pages(self, source_id: str, visits: Iterable[PageVisit], *, now: datetime) -> None:
        """Remember pages fetched this run (after their items were stored)."""
        now_iso = _iso(now)
        with self._writing():
            for v in visits:
                self.conn.execute(
                    """
                    INSERT INTO pages (source_id, url, kind, lastmod, etag, last_modified, body_hash,
                                       item_key, first_seen, last_fetched, http_status, error_class,
                                       error_message)
                    VALUES (:sid, :url, :kind, :lastmod, :etag, :lm, :hash, :key, :now, :now,
                            :status, :ecls, :emsg)
                    ON CONFLICT (source_id, url) DO UPDATE SET
                        kind = excluded.kind,
                        lastmod = excluded.lastmod,
                        etag = COALESCE(excluded.etag, pages.etag),
                        last_modified = COALESCE(excluded.last_modified, pages.last_modified),
                        body_hash = COALESCE(excluded.body_hash, pages.body_hash),
                        item_key = COALESCE(excluded.item_key, pages.item_key),
                        last_fetched = excluded.last_fetched,
                        http_status = excluded.http_status,
                        error_class = excluded.error_class,
                        error_message = excluded.error_message
                    """,
                    {"sid": source_id, "url": v.url, "kind": v.kind,
                     "lastmod": v.lastmod, "etag": v.etag,
                     "lm": v.last_modified, "hash": v.body_hash, "key": v.item_key, "now": now_iso,
                     "status": v.http_status, "ecls": v.error_class, "emsg": v.error_message},
                )

    def pending_pages(self, source_id: str, error_classes: Iterable[str]) -> list[str]:
        """Pages left for later (deferred by the per-run cap, or failed transiently)."""
        classes = list(error_classes)
        rows = self.conn.execute(
            f"SELECT url FROM pages WHERE source_id = ? AND kind = 'article' AND error_class IN "
            f"({', '.join('?' * len(classes))}) ORDER BY first_seen, url",
            [source_id, *classes],
        )
        return [r["url"] for r in rows]

    def pages_of_kind(self, source_id: str, kind: str) -> list[str]:
        """URLs of one kind (e.g. ``news-sitemap``) remembered for ``source_id``."""
        rows = self.conn.execute(
            "SELECT url FROM pages WHERE source_id = ? AND kind = ? AND error_class IS NULL "
            "ORDER BY url", (source_id, kind))
        return [r["url"] for r in rows]

    def page_fetched_at(self, source_id: str, url: str) -> datetime | None:
        row = self.conn.execute("SELECT last_fetched FROM pages WHERE source_id = ? AND url = ?",
                                (source_id, url)).fetchone()
        return _dt(row["last_fetched"]) if row else None

    def robots(self, origin: str) -> RobotsRecord | None:
        row = self.conn.execute("SELECT * FROM robots WHERE origin = ?", (origin,)).fetchone()
        if row is None:
            return None
        fetched = _dt(row["fetched_at"])
        assert fetched is not None
        return RobotsRecord(row["origin"], row["status"], row["body"] or "", fetched)

    def save_robots(self, origin: str, status: int | None, body: str, *, now: datetime) -> None:
        with self._writing():
            self.conn.execute(
                "INSERT INTO robots (origin, status, body, fetched_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (origin) DO UPDATE SET status = excluded.status, body = excluded.body, "
                "fetched_at = excluded.fetched_at",
                (origin, status, body, _iso(now)),
            )

    # -- images (issue 5) -------------------------------------------------------------

    def record_images(self, records: Iterable[ImageRecord], *, now: datetime) -> None:
        """Upsert image outcomes; failure streaks only move when the image was really tried."""
        now_iso = _iso(now)
        with self.conn:
            for r in records:
                ok = r.status == "ok"
                self.conn.execute(
                    """
                    INSERT INTO images (source_id, url, role, status, error_class, error_message,
                                        http_status, first_seen, last_attempt, last_success,
                                        consecutive_failures)
                    VALUES (:sid, :url, :role, :status, :ecls, :emsg, :http, :now, :attempt,
                            :success, :fails)
                    ON CONFLICT (source_id, url) DO UPDATE SET
                        role = excluded.role,
                        status = excluded.status,
                        error_class = excluded.error_class,
                        error_message = excluded.error_message,
                        http_status = COALESCE(excluded.http_status, images.http_status),
                        last_attempt = COALESCE(excluded.last_attempt, images.last_attempt),
                        last_success = COALESCE(excluded.last_success, images.last_success),
                        consecutive_failures = CASE
                            WHEN excluded.status = 'ok' THEN 0
                            WHEN :attempted THEN images.consecutive_failures + 1
                            ELSE images.consecutive_failures END
                    """,
                    {
                        "sid": r.source_id, "url": r.url, "role": r.role, "status": r.status,
                        "ecls": None if ok else r.error_class,
                        "emsg": None if ok else r.error_message, "http": r.http_status,
                        "now": now_iso, "attempt": now_iso if r.attempted else None,
                        "success": now_iso if ok and r.attempted else None,
                        "fails": 0 if ok else 1, "attempted": int(r.attempted),
                    },
                )

    def image_health(self) -> dict[str, ImageHealth]:
        """Per source: images in use, failed ones, and the most recent failure reason."""
        out: dict[str, ImageHealth] = {}
        rows = self.conn.execute(
            "SELECT source_id, COUNT(*) AS n, SUM(status = 'failed') AS failed FROM images "
            "GROUP BY source_id"
        ).fetchall()
        for r in rows:
            last = self.conn.execute(
                "SELECT error_class, error_message, last_attempt FROM images "
                "WHERE source_id = ? AND status = 'failed' "
                "ORDER BY COALESCE(last_attempt, first_seen) DESC LIMIT 1",
                (r["source_id"],),
            ).fetchone()
            out[r["source_id"]] = ImageHealth(
                source_id=r["source_id"], total=r["n"], failed=int(r["failed"] or 0),
                last_error=last["error_message"] if last else None,
                last_error_class=last["error_class"] if last else None,
                last_failure=_dt(last["last_attempt"]) if last else None,
            )
        return out
