"""The image cache's index: every URL's record in one SQLite file, ``<cache>/index.sqlite``.

Every build asks the cache about every image in use across the archive
(200,000 at 100,000 reports). Reading one ``meta.json`` and checking each
derivative's file per image made that step cost file I/O in proportion to the
archive, every hour. The index answers the same questions with a few queries:

* ``images``: the :class:`~warta.images.cache.CacheMeta` of each URL, written
  before its ``meta.json`` whenever a record is saved, and ``verified_at``, when
  the derivative files were last seen on disk (NULL: never, or in doubt). A
  verified image is reused without looking at its files.
* ``suspect``: cache folders whose files were found missing while they were
  linked into an output; the next run checks those images' files again.
* ``complete``: one row once every ``meta.json`` of the cache has been read into
  the index (when it is made). From then on a URL the index lacks has no record
  at all, and a run asks no file about it: an image not cached yet (offline, or
  on its way) costs no failed ``open`` per build.
* ``outputs`` and ``published``: per output ``media/`` folder, the images
  linked into it (and their files), valid while the folder is the same one
  (:func:`media_marker`: a token the last publish wrote beside the output, and
  the folder's modification time). A build links only images not linked before, and removes
  the files of images no page shows any more (a withdrawn report's photo).

The index is derived data, like ``bodies.sqlite`` beside it: ``meta.json``
stays the cache's own record. A new index reads every ``meta.json`` once; a URL
missing from an index that is not complete is read from its ``meta.json`` (and
added); a missing or unreadable file is rebuilt that way;
any SQLite error during a run drops the file, so it never keeps a record
older than the ``meta.json`` beside the files. A build never fails because of it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from ..core.outfiles import beside, write_atomic
from .cache import CacheMeta

log = logging.getLogger(__name__)

FILE_NAME = "index.sqlite"
SCHEMA_VERSION = 3
CHUNK = 500
"""URLs per ``IN (…)`` look-up: well under SQLite's bound on parameters (999 before 3.32)."""

_SCHEMA = (
    """CREATE TABLE images (
        url TEXT PRIMARY KEY, status TEXT NOT NULL, checked_at REAL NOT NULL,
        version TEXT NOT NULL, etag TEXT, last_modified TEXT, digest TEXT,
        width INTEGER NOT NULL, height INTEGER NOT NULL, original_bytes INTEGER NOT NULL,
        variants TEXT NOT NULL, social TEXT, error_class TEXT, error_message TEXT,
        http_status INTEGER, verified_at REAL)""",
    "CREATE TABLE suspect (dir TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE complete (done INTEGER PRIMARY KEY CHECK (done = 1))",
    "CREATE TABLE outputs (media TEXT PRIMARY KEY, marker TEXT NOT NULL)",
    """CREATE TABLE published (media TEXT NOT NULL, image TEXT NOT NULL,
        files TEXT NOT NULL,           -- the image's files under media/, one per line
        PRIMARY KEY (media, image)) WITHOUT ROWID""",
)


_FIELDS = tuple(f.name for f in fields(CacheMeta))
_COLUMNS = ", ".join(_FIELDS)
_INTO_IMAGES = (f"INTO images ({_COLUMNS}, verified_at) "
                f"VALUES ({', '.join('?' * (len(_FIELDS) + 1))})")
"""A record's row (:func:`_row`), for ``INSERT OR REPLACE`` and ``INSERT OR IGNORE``."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """One URL's record and when its files were last seen (None: never, or in doubt)."""

    meta: CacheMeta
    verified_at: float | None


class CacheIndex:
    """The index file of one cache folder; opened on first use, see the module docstring.

    Reads return nothing and writes do nothing once the file proved unusable in
    this run: callers then fall back to ``meta.json`` and to checking files.
    """

    def __init__(self, root: Path):
        self.path = root / FILE_NAME
        self._conn: sqlite3.Connection | None = None
        self._disabled = False

    # -- connection ----------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._disabled:
            try:
                self._conn = _connect(self.path)
            except (sqlite3.Error, OSError) as exc:
                log.warning("%s tidak terbaca (%s); indeks cache gambar dibuat ulang dari meta.json",
                            self.path, exc)
                self._remove()
                try:
                    self._conn = _connect(self.path)
                except (sqlite3.Error, OSError) as again:
                    log.warning("%s tidak dapat dibuat (%s); cache gambar dibaca tanpa indeks",
                                self.path, again)
                    self._disabled = True
        return self._conn

    def _fail(self, exc: Exception) -> None:
        """Stop using the file for this run and remove it: a record it holds could now be
        older than its ``meta.json``. The next run rebuilds it."""
        log.warning("%s rusak atau tidak dapat ditulis (%s); indeks cache gambar dihapus dan "
                    "dibuat ulang pada build berikutnya", self.path, exc)
        self.close()
        self._disabled = True
        self._remove()

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()

    def close(self) -> None:
        """Close the connection (before the build forks its render workers)."""
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def _write(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        conn = self._db()
        if conn is None:
            return
        try:
            with conn:
                conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            self._fail(exc)

    # -- records -------------------------------------------------------------------------

    def get_many(self, urls: Sequence[str]) -> dict[str, Indexed]:
        """The indexed records of ``urls`` (those the index has), :data:`CHUNK` URLs a query."""
        conn = self._db()
        found: dict[str, Indexed] = {}
        if conn is None:
            return found
        try:
            for start in range(0, len(urls), CHUNK):
                chunk = urls[start:start + CHUNK]
                rows = conn.execute(f"SELECT {_COLUMNS}, verified_at FROM images "
                                    f"WHERE url IN ({', '.join('?' * len(chunk))})", chunk)
                for row in rows:
                    data = dict(zip(_FIELDS, row, strict=False))
                    data["variants"] = tuple(json.loads(data["variants"]))
                    found[row[0]] = Indexed(CacheMeta(**data), row[-1])
        except (sqlite3.Error, ValueError, TypeError) as exc:
            self._fail(exc)
            return {}
        return found

    def put_many(self, records: Iterable[tuple[CacheMeta, float | None]]) -> None:
        """Store records (insert or replace), each with when its files were last seen."""
        self._write(f"INSERT OR REPLACE {_INTO_IMAGES}",
                    (_row(meta, verified) for meta, verified in records))

    def set_verified(self, urls: Iterable[str], when: float | None) -> None:
        """Record that the files of ``urls`` were found complete at ``when`` (None: not)."""
        self._write("UPDATE images SET verified_at = ? WHERE url = ?", ((when, u) for u in urls))

    def is_complete(self) -> bool:
        """Whether every ``meta.json`` of the cache is in the index (see the module docstring)."""
        conn = self._db()
        if conn is None:
            return False
        try:
            return conn.execute("SELECT 1 FROM complete").fetchone() is not None
        except sqlite3.Error as exc:
            self._fail(exc)
            return False

    def fill(self, records: Iterable[CacheMeta]) -> None:
        """Add the records read from every ``meta.json`` (kept where the index has one: it is
        written first, so it is never older) and mark the index complete, in one transaction."""
        conn = self._db()
        if conn is None:
            return
        try:
            with conn:
                conn.executemany(f"INSERT OR IGNORE {_INTO_IMAGES}",
                                 (_row(meta, None) for meta in records))
                conn.execute("INSERT OR IGNORE INTO complete (done) VALUES (1)")
        except sqlite3.Error as exc:
            self._fail(exc)

    # -- files found missing -------------------------------------------------------------

    def suspects(self) -> set[str]:
        """Cache folders (relative, ``ab/ab12…``) whose files must be checked again."""
        conn = self._db()
        if conn is None:
            return set()
        try:
            return {d for (d,) in conn.execute("SELECT dir FROM suspect")}
        except sqlite3.Error as exc:
            self._fail(exc)
            return set()

    def add_suspects(self, dirs: Iterable[str]) -> None:
        """Cache folders a publish found incomplete: the next run checks their files."""
        self._write("INSERT OR IGNORE INTO suspect (dir) VALUES (?)", ((d,) for d in dirs))

    def drop_suspects(self, dirs: Iterable[str]) -> None:
        """Forget suspect folders a run has settled."""
        self._write("DELETE FROM suspect WHERE dir = ?", ((d,) for d in dirs))

    # -- what an output holds ------------------------------------------------------------

    def published(self, media: str, marker: str | None) -> dict[str, list[str]] | None:
        """The images linked into ``media`` so far, each with its files, or None when that
        cannot be trusted (never recorded, or ``marker`` differs: the folder was deleted or
        changed)."""
        conn = self._db()
        if conn is None or not self.knows_output(media, marker):
            return None
        try:
            return {k: files.split("\n") for (k, files) in conn.execute(
                "SELECT image, files FROM published WHERE media = ?", (media,))}
        except sqlite3.Error as exc:
            self._fail(exc)
            return None

    def knows_output(self, media: str, marker: str | None) -> bool:
        """Whether what :meth:`published` holds for ``media`` can be trusted."""
        conn = self._db()
        if conn is None or marker is None:
            return False
        try:
            row = conn.execute("SELECT marker FROM outputs WHERE media = ?", (media,)).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return False
        return row is not None and row[0] == marker

    def forget_output(self, media: str) -> None:
        """Start ``media``'s record again: everything is checked and linked anew."""
        self._write("DELETE FROM outputs WHERE media = ?", [(media,)])
        self._write("DELETE FROM published WHERE media = ?", [(media,)])

    def add_published(self, media: str, images: Iterable[tuple[str, Sequence[str]]],
                      marker: str | None) -> None:
        """Record images (key, files) as linked into ``media`` and the folder's marker after
        linking."""
        self._write("INSERT OR IGNORE INTO published (media, image, files) VALUES (?, ?, ?)",
                    ((media, k, "\n".join(files)) for k, files in images))
        if marker is not None:
            self._write("INSERT OR REPLACE INTO outputs (media, marker) VALUES (?, ?)",
                        [(media, marker)])

    def drop_published(self, media: str, images: Iterable[str]) -> None:
        """Forget images whose files were removed from ``media``."""
        self._write("DELETE FROM published WHERE media = ? AND image = ?",
                    ((media, k) for k in images))


MARKER_SUFFIX = ".media.json"
"""Beside the output folder (``output.media.json``, like its build state): a token each
publish writes, which the index keeps too. A copy of the output restored elsewhere with it
(a CI cache: a new inode) is still known as the folder it was; one restored from another
run than the index is not. Outside ``media/`` so that the site's bytes do not change."""


def _marker_file(media_root: Path) -> Path:
    return beside(media_root.parent, MARKER_SUFFIX)


def media_marker(media_root: Path) -> str | None:
    """What identifies an output's ``media/`` folder between builds: the token the last
    publish wrote beside the output (:data:`MARKER_SUFFIX`) and the folder's modification
    time, which deleting the folder or anything directly inside it changes. None when
    either is missing."""
    try:
        token = json.loads(_marker_file(media_root).read_text(encoding="utf-8"))["token"]
        st = media_root.stat()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return f"{token}:{st.st_mtime_ns}" if isinstance(token, str) and token else None


def new_marker(media_root: Path) -> str | None:
    """Write a fresh token beside the output and return the folder's marker with it."""
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        write_atomic(_marker_file(media_root),
                     json.dumps({"token": secrets.token_hex(8)}).encode("utf-8"))
    except OSError:
        return None
    return media_marker(media_root)


def _row(meta: CacheMeta, verified: float | None) -> list[object]:
    """The columns of ``meta`` (``asdict`` deep-copies the variants: seconds per 100,000)."""
    row: list[object] = [getattr(meta, name) for name in _FIELDS]
    row[_FIELDS.index("variants")] = json.dumps(list(meta.variants), ensure_ascii=False,
                                                separators=(",", ":"))
    return [*row, verified]


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version != SCHEMA_VERSION:
            # Derived data: a file of another layout is simply started again.
            with conn:
                tables = [n for (n,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")]
                for name in tables:
                    conn.execute(f'DROP TABLE IF EXISTS "{name}"')
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return conn
