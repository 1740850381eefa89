"""The LSH candidate index of story assignment: which signed reports to compare a new one with.

Candidates come from banded MinHash LSH kept in SQLite (``story_bands``):
each new item looks up its 63 band keys within the days of its date window
(one indexed query on ``(band_key, day)``), so placing an item never reads
the whole archive, nor the copies of a recurring template from other years.

The reports one assignment call signs are looked up in memory instead
(:class:`RunIndex`), with the same answer.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np

from .compare import PREFILTER
from .presign import Presigned
from .text import BANDS, NUM_PERM

COMPACT_AFTER = 2000
"""Evicted run-index rows tolerated before :meth:`RunIndex._compact` rebuilds its arrays."""
COMPACT_SPARE = 4000
"""Rows a compacted run index has room for at least (~2.5 KB each)."""
BUCKET_MAX = 64
"""Reports read under one band key at most, the newest: a key that thousands of reports
share (a title-only text, a template) tells little, and reading it all would make each
look-up cost as much as the reports before it."""
PLAN_PAIRS_MAX = 1_000_000
"""Band-sharing pairs a planned chunk may hold (32 bytes each while planning, twice that when
some key is crowded: every pair, and again those through keys that are not), else the dict."""


def day_of(ts: float) -> int:
    """Day number of a timestamp: the second key of ``story_bands``."""
    return int(ts // 86400)


def sig_rows(rows: Sequence[sqlite3.Row]) -> np.ndarray:
    """The ``sig`` blobs of ``(item_id, sig)`` rows as one signature per row."""
    return np.frombuffer(b"".join(r[1] for r in rows), dtype="<u4").reshape(len(rows), NUM_PERM)


def past_prefilter(sigs: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per row of ``sigs``: whether its MinHash estimate of Jaccard with ``other`` (one
    signature, or one per row) reaches :data:`PREFILTER`."""
    return np.count_nonzero(sigs == other, axis=1) / NUM_PERM >= PREFILTER


@dataclass(slots=True)
class Planned:
    """A chunk :meth:`StoryIndex._plan` read and planned: its reports in order."""

    ids: list[str]
    given: dict[str, Presigned]
    ts: list[float]
    empty: list[bool]
    keys: np.ndarray
    """Band keys, one row per report (zeros for an empty text)."""
    sigs: np.ndarray
    """Signatures, one row per report."""
    held: int = 0
    """Rows the run index held when the chunk was planned: report ``k`` becomes row ``held + k``."""


class RunIndex:
    """The reports one :meth:`StoryIndex.assign` call signs, indexed in memory.

    Looking candidates up in ``story_bands`` costs a B-tree probe per band
    and a row per candidate, which adds up once thousands of reports share
    the window (a cold fetch run adds them all at once). For the
    reports this call adds, a dict from band key to rows answers the same
    question — a report is a candidate iff it shares a band key and its
    ``ts`` is in the window, exactly the SQL condition (``day`` follows from
    ``ts``) — while the archive is still asked about the reports signed
    before the call (``seq <= before``). Their ``story_bands`` rows are
    written in sorted batches at the end of each chunk, in the chunk's
    transaction.

    Reports are assigned in ``published_ts`` order, so one older than the
    window of the current report can never be a candidate again and is
    dropped: memory holds one window of reports, not the run. If a report
    arrives out of order (explicit ``item_ids``), the index is flushed and
    the archive answers for everything from then on.
    """

    def __init__(self, before: int, capacity: int, window: float, *, evict: bool):
        self.before = before
        self.window = window
        self.evict = evict
        self.active = True
        # np.empty: pages become resident only as rows are written.
        capacity = max(capacity, 1)
        self.sigs = np.empty((capacity, NUM_PERM), dtype="<u4")
        self.bands = np.empty((capacity, BANDS), dtype=np.int64)
        self.ts_array = np.empty(capacity, dtype=np.float64)
        """``ts`` again, for :meth:`lookup` to filter candidates in one step."""
        self.ts: list[float] = []
        self.seqs: list[int] = []
        self.ids: list[str] = []
        self.indexed: list[bool] = []
        self.base = 0
        """Rows are numbered from the start of the call; the arrays hold rows ``base`` on."""
        self.buckets: dict[int, int | deque[int]] = {}
        self.oldest = 0
        self.last_ts = float("-inf")
        self.pending_rows: list[int] = []
        """Rows whose ``story_bands`` rows are not written yet."""
        self.use_buckets = True
        """False while look-ups are answered by :meth:`plan` (the dict is then not kept)."""
        self._plan_rows: np.ndarray | None = None
        self._plan_starts: np.ndarray = np.zeros(1, dtype=np.int64)
        self._plan_any: np.ndarray = np.zeros(0, dtype=np.int64)
        self._plan_any_starts: np.ndarray = np.zeros(1, dtype=np.int64)
        self.crowded: dict[int, deque[int]] = {}
        """While a plan answers: the indexed rows under each of its crowded keys, oldest
        first (:meth:`plan`)."""
        self._plan_ts: list[float] = []
        self._plan_first = 0
        """Row number of the plan's first report."""

    def add(self, item_id: str, seq: int, ts: float, sig: np.ndarray, keys: Sequence[int],
            empty: bool) -> None:
        """Hold a signed report; ``empty``: it stays out of the band index (an empty text,
        or a near copy of one of its story's representatives) and is never a candidate."""
        at = len(self.ts)
        row = self.base + at
        if at >= len(self.sigs):
            self.sigs = np.concatenate([self.sigs, np.empty_like(self.sigs)])
            self.bands = np.concatenate([self.bands, np.empty_like(self.bands)])
            self.ts_array = np.concatenate([self.ts_array, np.empty_like(self.ts_array)])
        self.sigs[at] = sig
        self.ts_array[at] = ts
        self.ts.append(ts)
        self.seqs.append(seq)
        self.ids.append(item_id)
        self.indexed.append(not empty)
        if empty:
            return
        self.bands[at] = keys
        self.pending_rows.append(row)
        if not self.use_buckets:
            # The plan answers the look-ups, but for its crowded keys; ensure_buckets()
            # builds the dict if needed.
            if self.crowded:
                for key in np.asarray(keys).tolist():
                    bucket = self.crowded.get(key)
                    if bucket is not None:
                        bucket.append(row)
            return
        self._bucket(keys, row)

    def reserve(self, rows: int) -> None:
        """Room for ``rows`` held rows, so :meth:`add` will not move the arrays."""
        size = len(self.sigs)
        if rows <= size:
            return
        while size < rows:
            size *= 2
        for name in ("sigs", "bands", "ts_array"):
            old = getattr(self, name)
            grown = np.empty((size, *old.shape[1:]), dtype=old.dtype)
            grown[:len(old)] = old
            setattr(self, name, grown)

    def _bucket(self, keys: Iterable[int], row: int) -> None:
        """File ``row`` under each of its band keys (one row: an int, several: a deque,
        oldest first)."""
        buckets = self.buckets
        for key in keys:
            held = buckets.get(key)
            if held is None:
                buckets[key] = row
            elif isinstance(held, deque):
                held.append(row)
            else:
                buckets[key] = deque((held, row))

    def _drop(self, row: int) -> None:
        at = row - self.base
        if not self.indexed[at]:
            return
        self.indexed[at] = False
        if not self.use_buckets:
            if self.crowded:
                for key in self.bands[at].tolist():
                    bucket = self.crowded.get(key)
                    if bucket and bucket[0] == row:
                        bucket.popleft()  # the oldest held
                    elif bucket and row in bucket:
                        bucket.remove(row)
            return
        buckets = self.buckets
        for key in self.bands[at].tolist():
            held = buckets.get(key)
            if held == row:
                del buckets[key]
            elif isinstance(held, deque):
                held.remove(row)  # the oldest held: at the front, found and taken at once

    def arrive(self, ts: float) -> bool:
        """Note the next report's ``ts``; False once the in-memory answer is no longer whole."""
        if not self.active:
            return False
        if ts < self.last_ts:
            self.active = False  # out of order: evicted reports might be candidates again
            return False
        self.last_ts = ts
        if self.evict:
            limit = ts - self.window
            end = self.base + len(self.ts)
            while self.oldest < end and self.ts[self.oldest - self.base] < limit:
                self._drop(self.oldest)
                self.oldest += 1
        return True

    def lookup(self, keys: Sequence[int], lo: float, hi: float, ts: float) -> np.ndarray:
        """Array positions of the rows sharing a band key with ``keys``, ``lo <= ts <= hi``,
        in signing order (valid until the next :meth:`flush`): under each key the newest
        :data:`BUCKET_MAX`, as the archive's look-up reads them."""
        if self._plan_rows is not None:
            k = self.base + len(self.ts) - self._plan_first  # the report the next row will be
            if 0 <= k < len(self._plan_ts) and self._plan_ts[k] == ts:
                rows = self._plan_rows[self._plan_starts[k]:self._plan_starts[k + 1]]
                # The plan was made before the chunk's reports were added; those added
                # outside the band index are no candidates.
                indexed = self.indexed
                if len(rows):
                    rows = rows[[indexed[r] for r in rows.tolist()]]
                crowded = self.crowded
                if not crowded:
                    return rows
                extra: set[int] = set()
                for key in keys:
                    bucket = crowded.get(key)
                    if bucket:
                        extra.update(islice(reversed(bucket), BUCKET_MAX))  # the newest
                if not extra:
                    return rows
                more = np.fromiter(extra, dtype=np.int64, count=len(extra)) - self.base
                more = more[more >= 0]
                when = self.ts_array[more]
                more = more[(lo <= when) & (when <= hi)]
                return np.union1d(rows, more)
            self.ensure_buckets()  # not a report of the plan: answer from the dict
        buckets = self.buckets
        found: set[int] = set()
        for key in keys:
            held = buckets.get(key)
            if held is None:
                continue
            if isinstance(held, deque):
                found.update(islice(reversed(held), BUCKET_MAX))  # the newest
            else:
                found.add(held)
        at = np.fromiter(found, dtype=np.int64, count=len(found)) - self.base
        at = at[at >= 0]
        ts = self.ts_array[at]
        return np.sort(at[(lo <= ts) & (ts <= hi)])

    def plan(self, ts: Sequence[float], keys: np.ndarray, empty: Sequence[bool]) -> bool:
        """Answer the look-ups of the next ``len(ts)`` reports at once, before they come.

        They must come in this order and each be added right after its look-up
        (:meth:`StoryIndex.assign` plans a chunk only when every report of it is
        new and presigned). Report ``k``'s candidates are the indexed rows before
        it — the rows held now and reports ``0..k-1`` — sharing a band key, with
        ``ts`` in its window: what :meth:`lookup` would find in the dict, found
        for the whole chunk by one sort of its band keys with the held rows'.
        This is cheaper per report than filling, emptying and asking the dict.

        A key more than :data:`BUCKET_MAX` rows share (a phrase many reports
        carry) is *crowded*: under it the dict reads only the newest
        :data:`BUCKET_MAX` indexed rows, and which rows of the chunk will be
        indexed is only known as they are added (a near copy is not). So the
        plan's exact answer leaves crowded keys out, and a small dict of the
        crowded keys alone (:attr:`crowded`, kept by :meth:`add` and
        :meth:`_drop`) answers for them at look-up time. The plan also keeps,
        for :meth:`~warta.stories.planned.PlannedChunks._quiet`, every pair
        through any key: a superset, enough to tell that a report has no
        candidate at all.

        Returns False (nothing planned) when the chunk would pair up more
        reports than :data:`PLAN_PAIRS_MAX`.
        """
        self._plan_rows = None
        held = len(self.ts)
        first = max(self.oldest - self.base, 0)  # older rows are out of every window ahead
        old_at = first + np.flatnonzero(np.array(self.indexed[first:], dtype=bool))
        new_k = np.flatnonzero(~np.asarray(empty, dtype=bool))
        at = np.concatenate([old_at, held + new_k])
        flat_key = np.concatenate([self.bands[old_at], keys[new_k]]).reshape(-1)
        flat_at = np.repeat(at, BANDS)
        order = np.lexsort((flat_at, flat_key))
        flat_key, flat_at = flat_key[order], flat_at[order]
        index = np.arange(len(flat_key))
        starts = np.zeros(len(flat_key), dtype=bool)
        if len(flat_key):
            starts[0] = True
            starts[1:] = flat_key[1:] != flat_key[:-1]
        group = np.maximum.accumulate(np.where(starts, index, 0))
        before = index - group  # rows ahead of this one under the same key
        size = np.diff(np.append(np.flatnonzero(starts), len(flat_key)))
        crowded_at = np.repeat(size > BUCKET_MAX, size)  # per flat entry: its key is crowded
        later = np.flatnonzero((flat_at >= held) & (before > 0))
        if int(before[later].sum()) > PLAN_PAIRS_MAX:
            return False
        all_pairs = self._pairs(later, before, group, flat_at, held, ts)
        uncrowded = later[~crowded_at[later]]
        exact = (all_pairs if len(uncrowded) == len(later)  # no key crowded: the same pairs
                 else self._pairs(uncrowded, before, group, flat_at, held, ts))
        self._plan_rows, self._plan_starts = exact
        self._plan_any, self._plan_any_starts = all_pairs
        self.crowded = {}
        for key in np.unique(flat_key[crowded_at]).tolist():
            self.crowded[key] = deque()
        if self.crowded:
            for row in old_at.tolist():  # held indexed rows, oldest first
                for key in self.bands[row].tolist():
                    bucket = self.crowded.get(key)
                    if bucket is not None:
                        bucket.append(self.base + row)
        self._plan_ts = list(ts)
        self._plan_first = self.base + held
        if self.use_buckets:
            self.buckets = {}
            self.use_buckets = False
        return True

    def _pairs(self, later: np.ndarray, before: np.ndarray, group: np.ndarray,
               flat_at: np.ndarray, held: int, ts: Sequence[float]
               ) -> tuple[np.ndarray, np.ndarray]:
        """The rows each report of the plan pairs with through the sorted entries ``later``
        (each with every entry ahead of it under its key), in its window: the candidate rows,
        and where each report's run of them starts (:meth:`plan`)."""
        counts = before[later]
        total = int(counts.sum())
        mine = np.repeat(later, counts)
        theirs = group[mine] + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
        mine_at, theirs_at = flat_at[mine], flat_at[theirs]
        keep = theirs_at < mine_at  # a row sharing a key with itself (two equal bands)
        span = held + len(ts) + 1
        pairs = np.sort(mine_at[keep] * span + theirs_at[keep])
        if len(pairs) > 1:  # reports sharing several bands pair up once per band
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        mine_at, theirs_at = pairs // span, pairs % span
        all_ts = np.concatenate([self.ts_array[:held], np.asarray(ts, dtype=np.float64)])
        when = all_ts[theirs_at]
        report_ts = all_ts[mine_at]
        in_window = ((report_ts - self.window) <= when) & (when <= (report_ts + self.window))
        mine_at, theirs_at = mine_at[in_window], theirs_at[in_window]
        return theirs_at, np.searchsorted(mine_at, held + np.arange(len(ts) + 1))

    def planned_any(self, k: int) -> np.ndarray:
        """Every row report ``k`` of the plan pairs with through any key (a superset of its
        candidates: crowded keys uncapped), for telling that it has none."""
        return self._plan_any[self._plan_any_starts[k]:self._plan_any_starts[k + 1]]

    def ensure_buckets(self) -> None:
        """Back to the dict (a chunk that could not be planned): fill it with the held rows."""
        self._plan_rows = None
        self.crowded = {}
        if self.use_buckets:
            return
        self.use_buckets = True
        self.buckets = {}
        first = max(self.oldest - self.base, 0)
        for at in range(first, len(self.ts)):
            if self.indexed[at]:
                self._bucket(self.bands[at].tolist(), self.base + at)

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write the buffered ``story_bands`` rows (sorted: B-tree inserts in key order)."""
        rows = self.pending_rows
        if not rows:
            return
        self.pending_rows = []
        at = [r - self.base for r in rows]
        keys = self.bands[at].reshape(-1)
        days = np.repeat(np.array([day_of(self.ts[i]) for i in at], dtype=np.int64), BANDS)
        seqs = np.repeat(np.array([self.seqs[i] for i in at], dtype=np.int64), BANDS)
        order = np.lexsort((seqs, days, keys))
        conn.executemany(
            "INSERT OR IGNORE INTO story_bands (band_key, day, seq) VALUES (?, ?, ?)",
            zip(keys[order].tolist(), days[order].tolist(), seqs[order].tolist(), strict=True))
        self._compact()

    def _compact(self) -> None:
        """Forget the evicted rows once they are most of what is held (nothing left to write).

        Keeps memory to about two windows of reports however long the call runs
        (a backfill of the whole archive signs every item in one call). Rows keep
        their numbers, so the buckets are not touched.
        """
        cut = self.oldest - self.base
        if self.pending_rows or cut < COMPACT_AFTER or 2 * cut < len(self.ts):
            return
        live = len(self.ts) - cut
        spare = max(2 * live, COMPACT_SPARE)
        sigs = np.empty((spare, NUM_PERM), dtype="<u4")
        bands = np.empty((spare, BANDS), dtype=np.int64)
        ts_array = np.empty(spare, dtype=np.float64)
        sigs[:live] = self.sigs[cut:cut + live]
        bands[:live] = self.bands[cut:cut + live]
        ts_array[:live] = self.ts_array[cut:cut + live]
        self.sigs, self.bands, self.ts_array = sigs, bands, ts_array
        del self.ts[:cut], self.seqs[:cut], self.ids[:cut], self.indexed[:cut]
        self.base += cut
