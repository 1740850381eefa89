"""Assigning a chunk of new reports at once, when every one of them was signed by the workers.

The run index answers the whole chunk's look-ups in one sort
(:meth:`~warta.stories.index.RunIndex.plan`), and the reports with no
candidate past the prefilter — nearly all of a cold run's, which start their
own story — are found for the chunk at once and only have their signature
stored, in batches. The others take :meth:`StoryIndex._assign_one`'s whole
path, in order. The outcome is the one report-by-report assignment gives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..archive.base import select_in
from .index import Planned, RunIndex, past_prefilter, sig_rows
from .presign import Presigned
from .text import BANDS, NUM_PERM, is_empty_signature, signature_from_blob

if TYPE_CHECKING:
    from .assign import AssignReport

_PAIR_BLOCK = 8192
"""Candidate pairs whose MinHash estimates :meth:`PlannedChunks._quiet` takes at once
(two gathered signature blocks of ~4 MB)."""


class _Archived(Protocol):
    def __call__(self, keys: Sequence[int], lo: float, hi: float, upto: int | None,
                 exclude: str | None, *, limit: int | None = None) -> list[sqlite3.Row]: ...


class _AssignOne(Protocol):
    def __call__(self, item_id: str, report: AssignReport,
                 presigned: Mapping[str, Presigned]) -> None: ...


class PlannedChunks:
    """The planned-chunk half of :class:`warta.stories.assign.StoryIndex` (a mixin)."""

    conn: sqlite3.Connection
    window: float
    _run: RunIndex | None
    _archived: _Archived
    _assign_one: _AssignOne

    def _plan(self, chunk: Sequence[str], presigned: Mapping[str, Presigned]) -> Planned | None:
        """Let the run index answer the chunk's look-ups at once (:meth:`RunIndex.plan`).

        Only when every report of the chunk is new (never signed), once, and
        presigned for its stored version: then each will be looked up and added
        in this order, as the plan assumes. Returns what the chunk's reports
        were read as (once here, not again per report), or None when the chunk
        is left to the dict.
        """
        run = self._run
        if run is None or not run.active or not presigned or len(set(chunk)) != len(chunk):
            if run is not None:
                run.ensure_buckets()
            return None
        rows = {r[0]: r for r in select_in(
            self.conn, "SELECT i.id, i.published_ts, i.content_hash, s.seq FROM items i "
            "LEFT JOIN story_sigs s ON s.item_id = i.id WHERE i.id IN ({marks})", chunk)}
        many = getattr(presigned, "many", None)
        pres = many(chunk) if many is not None else {i: presigned.get(i) for i in chunk}
        planned = Planned(list(chunk), {}, [], [], np.zeros((len(chunk), BANDS), dtype=np.int64),
                           np.empty((len(chunk), NUM_PERM), dtype="<u4"))
        for k, item_id in enumerate(chunk):
            row, pre = rows.get(item_id), pres.get(item_id)
            if (row is None or row["seq"] is not None or pre is None or not pre.bands
                    or pre.content_hash != row["content_hash"]):
                run.ensure_buckets()
                return None
            planned.given[item_id] = pre
            planned.ts.append(row["published_ts"])
            sig = signature_from_blob(pre.sig)
            planned.sigs[k] = sig
            planned.empty.append(is_empty_signature(sig))
            if not planned.empty[-1]:
                planned.keys[k] = np.frombuffer(pre.bands, dtype="<i8")
        planned.held = len(run.ts)
        if not run.plan(planned.ts, planned.keys, planned.empty):
            run.ensure_buckets()
            return None
        return planned

    def _quiet(self, planned: Planned) -> np.ndarray:
        """Which reports of a planned chunk have no candidate past :data:`PREFILTER`.

        For them :meth:`_likely` would return nothing, so :meth:`_match` finds no
        story and assigning them is only storing the signature. The plan already
        holds every report's candidates among the run's reports: their MinHash
        estimates are taken here for the whole chunk, a block of pairs at a time,
        instead of one call per report (most of the assignment of a cold run,
        whose reports nearly all start their own story). Valid only
        while the plan answers each look-up, i.e. the chunk comes in date order
        (:meth:`_in_order`). Reports signed before the call are asked the archive
        as :meth:`_likely` asks it.
        """
        run = self._run
        assert run is not None and run._plan_rows is not None
        n, held = len(planned.ids), planned.held
        run.reserve(held + n)
        run.sigs[held:held + n] = planned.sigs  # add() writes the same values again
        rows, starts = run._plan_any, run._plan_any_starts  # every pair: crowded keys too
        owner = np.repeat(np.arange(n), np.diff(starts))
        passing = np.zeros(n, dtype=bool)
        for at in range(0, len(rows), _PAIR_BLOCK):
            theirs = rows[at:at + _PAIR_BLOCK]
            mine = owner[at:at + _PAIR_BLOCK]
            passing[mine[past_prefilter(run.sigs[theirs], planned.sigs[mine])]] = True
        quiet = ~passing
        if run.before > 0:
            for k in np.flatnonzero(quiet & ~np.asarray(planned.empty, dtype=bool)).tolist():
                ts = planned.ts[k]
                found = self._archived(planned.keys[k].tolist(), ts - self.window,
                                       ts + self.window, run.before, planned.ids[k])
                if found:
                    quiet[k] = not past_prefilter(sig_rows(found), planned.sigs[k]).any()
        return quiet

    def _in_order(self, planned: Planned) -> bool:
        """Whether every report of the chunk will find the run index answering (its
        :meth:`RunIndex.arrive` true): active, and no date earlier than the one before."""
        run = self._run
        if run is None or not run.active:
            return False
        last = run.last_ts
        for ts, empty in zip(planned.ts, planned.empty, strict=True):
            if empty:
                continue  # an empty text is never looked up (_match returns first)
            if ts < last:
                return False
            last = ts
        return True

    def _assign_planned(self, planned: Planned, report: AssignReport) -> None:
        """Assign a planned chunk: the reports :meth:`_quiet` clears only store their
        signature (what :meth:`_assign_one` would do for them), in batches; the others
        take the whole path, in order, between the batches.

        ``story_sigs.seq`` is the assignment order: the batched rows are given the
        numbers SQLite would have given them one by one (the largest plus one), and
        are written before any report of the whole path inserts its own.
        """
        run = self._run
        assert run is not None
        if not self._in_order(planned):
            for item_id in planned.ids:
                self._assign_one(item_id, report, planned.given)
            return
        quiet = self._quiet(planned).tolist()
        batch: list[tuple[int, str, float, str, bytes]] = []
        seq = 0
        for k, item_id in enumerate(planned.ids):
            if not quiet[k]:
                self._store_sigs(batch)
                self._assign_one(item_id, report, planned.given)
                continue
            if not batch:
                seq = int(self.conn.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM story_sigs").fetchone()[0])
            seq += 1
            ts, empty, pre = planned.ts[k], planned.empty[k], planned.given[item_id]
            if not empty:
                run.arrive(ts)  # what _likely does first
            batch.append((seq, item_id, ts, pre.content_hash, pre.sig))
            run.add(item_id, seq, ts, planned.sigs[k], planned.keys[k], empty)
            report.assigned += 1
        self._store_sigs(batch)

    def _store_sigs(self, batch: list[tuple[int, str, float, str, bytes]]) -> None:
        """Write (and empty) a batch of :meth:`_assign_planned`'s ``story_sigs`` rows."""
        if batch:
            self.conn.executemany(
                "INSERT INTO story_sigs (seq, item_id, ts, content_hash, sig) "
                "VALUES (?, ?, ?, ?, ?)", batch)
            batch.clear()
