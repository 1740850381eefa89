"""Story signatures made where an item is cleaned (:func:`presign`), and kept on disk
until the fetch run assigns its stories (:class:`PresignStore`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..archive.base import select_in
from ..core.records import Item, content_hash
from .boiler import keys_blob, line_key, paragraph_keys
from .text import (
    _EMPTY,
    _MAX_CHARS,
    _body_norm_bytes,
    _byte_shingles,
    _hashes_of,
    _norm_bytes,
    _sentence_source,
    _sha1s,
    _signature_of,
    band_key_array,
    signature_blob,
)


@dataclass(frozen=True, slots=True)
class Presigned:
    """An item's story signature and sketch, computed where the item was cleaned.

    Tokenizing and signing is most of the cost of placing a report (~1–2 ms
    of a 400-word one). A fetch run computes all of it in its worker processes,
    next to normalize (:func:`presign`), so the single-threaded assignment at
    the end of the run only reads, compares and writes: the signature, its
    band keys, and what :mod:`warta.stories.compare` tests a candidate pair's text
    with before comparing it (the shingles as :func:`shingle_hashes`, the
    title's words). ``content_hash`` ties it to the item version it
    describes: a stored item that differs is signed again from the archive.
    The parent keeps them on disk until the run ends
    (:class:`PresignStore`), not in memory.
    """

    content_hash: str
    sig: bytes
    """:func:`signature_blob` of the signature."""
    bands: bytes = b""
    """:func:`band_key_array` of the signature, as bytes (empty: computed again)."""
    shingles: bytes | None = None
    """:func:`shingle_hashes` as bytes (None: not carried)."""
    title: str = ""
    """The distinct norms of the title, space-separated (norms hold no spaces)."""
    paras: bytes | None = None
    """:func:`~warta.stories.boiler.paragraph_keys` as bytes (None: not carried), to tell
    whether the item carries its source's boilerplate."""


def presign(item: Item) -> Presigned:
    """Sign ``item`` exactly as :class:`warta.stories.assign.StoryIndex` signs its archived row."""
    return presign_text(item.title, item.content_html or item.summary, content_hash(item))


def presign_text(title_text: str, content_html: str, version: str) -> Presigned:
    """:func:`presign` of a title and story text (``version``: the item's content hash).

    The body's norms are read paragraph by paragraph, which also keys the
    paragraphs: the same norms as one pass over the joined lines (a token
    never spans a line break).
    """
    title = _norm_bytes(title_text)
    text = _sentence_source(content_html)
    if len(text) <= _MAX_CHARS:
        lines = [_norm_bytes(line) for line in text.split("\n")]
        body = [n for line in lines for n in line]
        paras = [line_key(n) for n in lines if n]
    else:
        body = _body_norm_bytes(content_html)
        paras = paragraph_keys(content_html)
    shingles = _byte_shingles(body)
    shingles |= _byte_shingles(title)
    if shingles:
        digests = _sha1s(shingles)
        sig, hashes = _signature_of(digests), _hashes_of(digests)
    else:
        sig, hashes = _EMPTY.copy(), np.empty(0, dtype="<u8")
    return Presigned(version, signature_blob(sig),
                     band_key_array(sig).astype("<i8", copy=False).tobytes(),
                     hashes.astype("<u8", copy=False).tobytes(),
                     " ".join(sorted(map(bytes.decode, set(title)))), keys_blob(paras))


class PresignStore(Mapping[str, Presigned]):
    """The :class:`Presigned` of a fetch run, on disk until the run assigns its stories.

    A cold run signs tens of thousands of reports in its workers; with their
    band keys and sketches (which spare the single-threaded assignment their
    making) they would be a large share of the run's peak memory if held in a
    dict until the end. A TEMP table of the archive connection holds them: it
    lives in a temporary file with its own small page cache, is never synced,
    and disappears with the connection (derived data: a killed run signs its
    items again from the archive next time).
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        conn.execute("DROP TABLE IF EXISTS temp.warta_presigned")
        conn.execute(
            "CREATE TEMP TABLE warta_presigned (item_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, "
            "sig BLOB NOT NULL, bands BLOB NOT NULL, shingles BLOB, title TEXT NOT NULL, paras BLOB)")

    def put(self, presigned: Mapping[str, Presigned]) -> None:
        """Keep ``presigned``: in the caller's open transaction (a fetch run writes them
        with the feed's items, one commit), or in a transaction of its own."""
        if not presigned:
            return
        rows = [(k, p.content_hash, p.sig, p.bands, p.shingles, p.title, p.paras)
                for k, p in presigned.items()]
        sql = "INSERT OR REPLACE INTO temp.warta_presigned VALUES (?, ?, ?, ?, ?, ?, ?)"
        if self.conn.in_transaction:
            self.conn.executemany(sql, rows)
        else:
            with self.conn:
                self.conn.executemany(sql, rows)

    def __getitem__(self, item_id: str) -> Presigned:
        row = self.conn.execute(
            "SELECT content_hash, sig, bands, shingles, title, paras FROM temp.warta_presigned "
            "WHERE item_id = ?", (item_id,)).fetchone()
        if row is None:
            raise KeyError(item_id)
        return Presigned(*row)

    def many(self, item_ids: Sequence[str]) -> dict[str, Presigned]:
        """The signatures of ``item_ids`` that are kept, in one query per few hundred ids
        (not one query per id)."""
        return {row[0]: Presigned(*row[1:]) for row in select_in(
            self.conn, "SELECT item_id, content_hash, sig, bands, shingles, title, paras "
            "FROM temp.warta_presigned WHERE item_id IN ({marks})", item_ids)}

    def __iter__(self) -> Iterator[str]:
        return iter([r[0] for r in self.conn.execute("SELECT item_id FROM temp.warta_presigned")])

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM temp.warta_presigned").fetchone()[0])

    def close(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.warta_presigned")


class Overlay(Mapping[str, Presigned]):
    """``base`` with ``over`` taking precedence: the signatures an assignment was given, and
    those it made itself (reports signed again with their source's boilerplate left out)."""

    def __init__(self, base: Mapping[str, Presigned], over: Mapping[str, Presigned]):
        self.base = base
        self.over = over

    def __getitem__(self, item_id: str) -> Presigned:
        found = self.over.get(item_id)
        return found if found is not None else self.base[item_id]

    def many(self, item_ids: Sequence[str]) -> dict[str, Presigned]:
        """As :meth:`PresignStore.many`, for either mapping."""
        many = getattr(self.base, "many", None)
        out = dict(many(item_ids)) if many is not None else {
            i: p for i in item_ids if (p := self.base.get(i)) is not None}
        out.update((i, p) for i in item_ids if (p := self.over.get(i)) is not None)
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.base, *self.over]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self.base, *self.over]))
