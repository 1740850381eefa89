"""Archived items: stored once per source + guid, updated in place, never lost.

An item that leaves its feed stays; a changed one is updated with its first-seen time
kept; an undated one keeps the date it was first given. Withdrawn items
(``takedowns.yml``) stay in the file but every reader of :meth:`ItemStore.items`
skips them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..core.records import ArchivedItem, Item, RawEntry, content_hash
from .base import _JSON, ArchiveBase, _dt, _iso, select_in
from .takedowns import Takedown, TakedownSet, normalize_url

ITEM_COLUMNS = (
    "id, source_id, key, link, title, content_html, summary, published, date_estimated, updated, "
    "authors, tags, category, image, place, credits, via, first_seen, last_seen, modified_at, "
    "story, content_hash"
)
"""The ``items`` columns :meth:`Archive._row_item` reads."""
_ITEM_NAMES = tuple(name.strip() for name in ITEM_COLUMNS.split(","))
_NO_BODY_COLUMNS = ITEM_COLUMNS.replace("content_html", "'' AS content_html")


def _json_tuple(value: str) -> tuple[Any, ...]:
    return () if value == "[]" else tuple(json.loads(value))


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    new: int = 0
    updated: int = 0
    unchanged: int = 0



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



class ItemStore(ArchiveBase):
    """Items, their raw entries and the withdrawals in force."""

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

    @staticmethod
    def _row_item(row: sqlite3.Row) -> ArchivedItem:
        return ItemStore._tuple_item(tuple(row[name] for name in _ITEM_NAMES))

    @staticmethod
    def _tuple_item(row: tuple[Any, ...]) -> ArchivedItem:
        """An archived item from a row of :data:`ITEM_COLUMNS`, by position: a build reads
        every row, and sqlite3.Row's look-up by name was a third of that."""
        (item_id, source_id, key, link, title, content_html, summary, published,
         date_estimated, updated, authors, tags, category, image, place, credits, via,
         first_seen, last_seen, modified_at, story, content_hash) = row
        item = Item(
            id=item_id, source_id=source_id, key=key, link=link, title=title,
            content_html=content_html, summary=summary,
            published=datetime.fromisoformat(published), date_estimated=bool(date_estimated),
            updated=_dt(updated), authors=_json_tuple(authors), tags=_json_tuple(tags),
            category=category, image=image, place=place,
            credits=json.loads(credits) if credits != "{}" else {}, via=via,
        )
        seen, last = _dt(first_seen), _dt(last_seen)
        assert seen is not None and last is not None
        return ArchivedItem(item=item, first_seen=seen, last_seen=last,
                            modified_at=_dt(modified_at), story=story,
                            content_hash=content_hash)

    def body(self, item_id: str) -> str | None:
        """The archived (sanitized) body of one item, or None if there is no such item."""
        row = self.conn.execute("SELECT content_html FROM items WHERE id = ?", (item_id,)).fetchone()
        return None if row is None else row[0]

    def items(self, *, source_ids: Iterable[str] | None = None, limit: int | None = None,
              include_withdrawn: bool = False, bodies: bool = True) -> Iterator[ArchivedItem]:
        """Archived items, newest first (by sort time).

        Withdrawn items (matching a takedown tombstone) are left out unless
        ``include_withdrawn``: every page, feed and API reads through here.
        ``bodies=False`` leaves every ``content_html`` empty, for a reader that
        fetches the few bodies it needs with :meth:`body` (a build: 3 KB a report).
        """
        sql = f"SELECT {ITEM_COLUMNS if bodies else _NO_BODY_COLUMNS} FROM items"
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
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples, read by position (_tuple_item)
        for row in cursor.execute(sql, params):
            if withdrawn and withdrawn.matches(row[0], row[3]):
                continue
            yield self._tuple_item(row)
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

