"""Stories: one event reported by many humas offices becomes one "narasi tunggal".

The driver: places new and changed archived reports into stories, chunk by
chunk, with the candidates of :mod:`warta.stories.index` judged by
:func:`warta.stories.compare.compare`.

Story identity rules (documented for readers of ``_warta.story``):

* A new report that matches nothing starts a story whose id is the report's
  own item id. Reports that join later never change that id.
* A report joins the story of any candidate it matches, unless it conflicts
  with another already-verified member of that story (so chains of weak
  matches cannot glue two template-sharing events together).
* When one report matches two stories they merge; the merged story keeps the
  id of the story **formed first** (its founding report was assigned
  earlier — smaller ``story_sigs.seq``). The absorbed id is recorded in
  ``story_merges`` so old links can be redirected. Stories never split: a
  report whose text is later edited stays where it is.
* The lead report (:func:`~warta.stories.lead.lead_key`) is a local Markdown article first, then
  the most senior office by :data:`~warta.stories.lead.KIND_SENIORITY`, then the earliest
  published, then the smallest item id.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..archive.base import select_in, utcnow
from ..archive.store import Archive
from .compare import (
    WINDOW_DAYS,
    Sketch,
    StoryDoc,
    compare,
    doc_sketch,
    make_doc,
    may_match,
    pre_sketch,
    row_sketch,
)
from .index import Candidate, Planned, RunIndex, day_of, past_prefilter, sig_rows
from .presign import Presigned
from .text import BANDS, NUM_PERM, band_keys, is_empty_signature, signature_blob, signature_from_blob

__all__ = ["AssignReport", "StoryIndex", "assign_after_run", "assign_stories", "find_story"]

log = logging.getLogger(__name__)

PAGE_CACHE_KB = 16384
"""SQLite page cache while stories are assigned: band keys are random, so look-ups touch
pages all over ``story_bands``; a larger cache was no faster and only raised a run's peak memory."""
CHUNK = 2000
"""Items assigned per transaction: bounds memory and keeps a killed run resumable.

Each commit rewrites nearly every ``story_bands`` page (band keys are random),
so fewer, larger transactions write far less."""
CACHED_DOCS = 2000
"""Reports held tokenized (:class:`StoryDoc`) at most: a cache for a chunk."""
CACHED_SKETCHES = 2000
"""Candidate sketches kept (~3 KB each since the shingles are numbers: ~6 MB)."""
_PAIR_BLOCK = 8192
"""Candidate pairs whose MinHash estimates :meth:`StoryIndex._quiet` takes at once
(two gathered signature blocks of ~4 MB)."""
RUN_INDEX = True
"""Look the reports an :meth:`StoryIndex.assign` call signs up in memory (``RunIndex``);
False asks the archive for every candidate (the definition; tests compare the two)."""


@dataclass(slots=True)
class AssignReport:
    """What one assignment pass did (goes into the fetch run log)."""

    assigned: int = 0
    joined: int = 0
    merged: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"assigned": self.assigned, "joined": self.joined, "merged": self.merged,
                "seconds": round(self.seconds, 3)}



_UNSIGNED = np.zeros(NUM_PERM, dtype=np.uint32)
"""Placeholder signature of docs made only for :func:`compare` (which never reads it)."""



class StoryIndex:
    """Story assignment over the archive's ``story_sigs``/``story_bands`` tables."""

    def __init__(self, archive: Archive, *, window_days: float = WINDOW_DAYS):
        self.archive = archive
        self.conn: sqlite3.Connection = archive.conn
        self.window = window_days * 86400
        self._docs: dict[str, StoryDoc] = {}
        self._sketches: dict[str, Sketch] = {}
        self._run: RunIndex | None = None
        self._presigned: Mapping[str, Presigned] = {}
        """The worker signatures :meth:`assign` was given, for candidates' sketches too."""
        # Band keys are random, so inserts and look-ups touch pages all over the
        # story_bands B-tree: a page cache above SQLite's 2 MB default keeps the hot ones.
        self.conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KB}")

    # reading --------------------------------------------------------------------------

    def pending(self) -> list[str]:
        """Items never signed, or whose content changed since they were signed."""
        rows = self.conn.execute(
            "SELECT i.id FROM items i LEFT JOIN story_sigs s ON s.item_id = i.id "
            "WHERE s.item_id IS NULL OR s.content_hash != i.content_hash "
            "ORDER BY i.published_ts, i.id"
        )
        return [r[0] for r in rows]

    def candidates(self, doc: StoryDoc, *, exclude: str | None = None) -> list[Candidate]:
        """Signed items sharing an LSH band with ``doc`` within the date window."""
        keys = band_keys(doc.sig)
        marks = ", ".join("?" * len(keys))
        rows = self.conn.execute(
            f"""
            SELECT s.seq, s.item_id, s.sig, i.story FROM story_sigs s
            JOIN items i ON i.id = s.item_id
            WHERE s.seq IN (SELECT DISTINCT seq FROM story_bands
                            WHERE band_key IN ({marks}) AND day BETWEEN ? AND ?)
              AND s.ts BETWEEN ? AND ?
            ORDER BY s.seq
            """,
            (*keys, day_of(doc.ts - self.window), day_of(doc.ts + self.window),
             doc.ts - self.window, doc.ts + self.window),
        )
        out = []
        for r in rows:
            if r["item_id"] == exclude:
                continue
            out.append(Candidate(r["seq"], r["item_id"], r["story"],
                                  signature_from_blob(r["sig"])))
        return out

    def _doc(self, item_id: str) -> StoryDoc | None:
        cached = self._docs.get(item_id)
        if cached is not None:
            return cached
        row = self.conn.execute(
            "SELECT id, source_id, title, content_html, summary, published_ts, place FROM items "
            "WHERE id = ?", (item_id,),
        ).fetchone()
        if row is None:
            return None
        # Made to be compared, and compare() never reads the signature: skip signing.
        doc = make_doc(row["id"], row["title"], row["content_html"] or row["summary"],
                       row["published_ts"], row["place"], row["source_id"], sig=_UNSIGNED)
        if len(self._docs) > CACHED_DOCS:
            self._docs.clear()  # bounded: a cache for one chunk, not the archive
        self._docs[item_id] = doc
        return doc

    def _sketch(self, item_id: str) -> Sketch | None:
        """:class:`Sketch` of an archived item (None when it is gone, as :meth:`_doc`)."""
        cached = self._sketches.get(item_id)
        if cached is not None:
            return cached
        doc = self._docs.get(item_id)
        sketch: Sketch | None = None
        if doc is not None:
            sketch = doc_sketch(doc)
        elif (pre := self._presigned.get(item_id)) is not None and pre.shingles is not None:
            row = self.conn.execute("SELECT content_hash, published_ts FROM items WHERE id = ?",
                                    (item_id,)).fetchone()
            if row is None:
                return None
            if row[0] == pre.content_hash:
                sketch = pre_sketch(pre, row[1])
        if sketch is None:
            row = self.conn.execute(
                "SELECT title, content_html, summary, published_ts FROM items WHERE id = ?",
                (item_id,)).fetchone()
            if row is None:
                return None
            sketch = row_sketch(row)
        self._keep_sketch(item_id, sketch)
        return sketch

    def _keep_sketch(self, item_id: str, sketch: Sketch) -> None:
        """Bounded like the docs, but kept across chunks, first in first out (not least
        recently used): reports are assigned in date order, so the recent ones are the next
        reports' candidates."""
        sketches = self._sketches
        if item_id not in sketches and len(sketches) >= CACHED_SKETCHES:
            del sketches[next(iter(sketches))]
        sketches[item_id] = sketch

    def _founder_seq(self, story: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT seq FROM story_sigs WHERE item_id = ?", (story,)).fetchone()
        return (row[0] if row else 2**62, story)

    def match(self, doc: StoryDoc, *, exclude: str | None = None) -> list[str]:
        """Stories ``doc`` belongs to (possibly several, to be merged), oldest first."""
        return self._match(doc.sig, band_keys(doc.sig), doc.ts, lambda: doc,
                           lambda: doc_sketch(doc), exclude=exclude)

    def _likely(self, sig: np.ndarray, keys: Sequence[int], ts: float,
                exclude: str | None) -> list[tuple[str, str]]:
        """``(item_id, story)`` of the candidates whose estimated Jaccard reaches PREFILTER.

        The same reports as :meth:`candidates`, in the same (signing) order,
        with the MinHash estimate taken for all of them at once: a report
        typically shares a band with a few percent of the reports in its
        window, and almost none of them pass. Reports signed by the running
        :meth:`assign` come from its in-memory index when it can answer.
        """
        lo, hi = ts - self.window, ts + self.window
        run = self._run
        in_memory = run is not None and run.arrive(ts)
        if run is not None and not in_memory:
            run.flush(self.conn)
        ids: list[str] = []
        blocks: list[np.ndarray] = []
        run_ids: list[str] = []
        run_rows: list[int] = []
        if not in_memory or run is None or run.before > 0:
            rows = self._archived(keys, lo, hi, run.before if in_memory and run is not None
                                  else None, exclude)
            if rows:
                ids.extend(r[0] for r in rows)
                blocks.append(sig_rows(rows))
        if in_memory and run is not None:
            found = run.lookup(keys, lo, hi, ts)
            if len(found):
                blocks.append(run.sigs[found])
                run_ids, run_rows = run.ids, found.tolist()
        if not blocks:
            return []
        sigs = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
        out = []
        # Only the few candidates past the prefilter are looked at one by one; the
        # excluded report is dropped here (a row less changes no other estimate).
        for k in np.flatnonzero(past_prefilter(sigs, sig)).tolist():
            item_id = ids[k] if k < len(ids) else run_ids[run_rows[k - len(ids)]]
            if item_id == exclude:
                continue
            row = self.conn.execute("SELECT story FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is not None:
                out.append((item_id, row[0]))
        return out

    def _archived(self, keys: Sequence[int], lo: float, hi: float, upto: int | None,
                  exclude: str | None) -> list[sqlite3.Row]:
        """``(item_id, sig)`` of the signed reports sharing a band key with ``keys`` and
        published in ``[lo, hi]`` (only those with ``seq <= upto`` unless None), by seq."""
        marks = ", ".join("?" * len(keys))
        limit = "AND seq <= ?" if upto is not None else ""
        params: list[object] = [*keys, day_of(lo), day_of(hi)]
        if upto is not None:
            params.append(upto)
        return [r for r in self.conn.execute(
            f"""
            SELECT s.item_id, s.sig FROM story_sigs s
            WHERE s.seq IN (SELECT DISTINCT seq FROM story_bands
                            WHERE band_key IN ({marks}) AND day BETWEEN ? AND ? {limit})
              AND s.ts BETWEEN ? AND ?
            ORDER BY s.seq
            """, (*params, lo, hi)) if r[0] != exclude]

    def _match(self, sig: np.ndarray, keys: Sequence[int], ts: float,
               full: Callable[[], StoryDoc], sketch: Callable[[], Sketch], *,
               exclude: str | None) -> list[str]:
        """:meth:`match` given the signature; ``full`` builds the report's doc if a
        candidate is worth comparing (rare: most reports match nothing), ``sketch``
        what tells whether it is (:func:`may_match`)."""
        if is_empty_signature(sig):
            return []
        matched: dict[str, bool] = {}
        vetoed: set[str] = set()
        doc: StoryDoc | None = None
        mine: Sketch | None = None
        window_days = self.window / 86400
        for cand_id, cand_story in self._likely(sig, keys, ts, exclude):
            theirs = self._sketch(cand_id)
            if theirs is None:
                continue
            if mine is None:
                mine = sketch()
            if not may_match(mine, theirs, window_days):
                continue  # compare() would say "date" or "text": neither a match nor a veto
            other = self._doc(cand_id)
            if other is None:
                continue
            if doc is None:
                doc = full()
            verdict = compare(doc, other, window_days=window_days)
            if verdict.same:
                matched[cand_story] = True
            elif verdict.conflicting:
                vetoed.add(cand_story)
        stories = [s for s in matched if s not in vetoed]
        return sorted(stories, key=self._founder_seq)

    # writing --------------------------------------------------------------------------

    def _store_sig(self, item_id: str, sig: np.ndarray, keys: Sequence[int], ts: float,
                   content_hash: str) -> None:
        row = self.conn.execute("SELECT seq, ts, sig FROM story_sigs WHERE item_id = ?",
                                (item_id,)).fetchone()
        blob = signature_blob(sig)
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO story_sigs (item_id, ts, content_hash, sig) VALUES (?, ?, ?, ?)",
                (item_id, ts, content_hash, blob))
            seq = int(cur.lastrowid or 0)
            run = self._run
            if run is not None and run.active:
                run.add(item_id, seq, ts, sig, keys, is_empty_signature(sig))
                return
        else:
            seq = int(row[0])
            self.conn.execute("UPDATE story_sigs SET ts = ?, content_hash = ?, sig = ? WHERE seq = ?",
                              (ts, content_hash, blob, seq))
            # Delete the old version's bands by their full key (no scan of the table).
            old_day = day_of(row["ts"])
            self.conn.executemany(
                "DELETE FROM story_bands WHERE band_key = ? AND day = ? AND seq = ?",
                [(k, old_day, seq) for k in band_keys(signature_from_blob(row["sig"]))])
        if not is_empty_signature(sig):
            day = day_of(ts)
            self.conn.executemany(
                "INSERT OR IGNORE INTO story_bands (band_key, day, seq) VALUES (?, ?, ?)",
                [(k, day, seq) for k in keys])

    def _merge(self, keep: str, absorbed: str, now: str) -> None:
        self.conn.execute("UPDATE items SET story = ? WHERE story = ?", (keep, absorbed))
        self.conn.execute("UPDATE story_merges SET story = ? WHERE story = ?", (keep, absorbed))
        self.conn.execute(
            "INSERT OR REPLACE INTO story_merges (absorbed, story, merged_at) VALUES (?, ?, ?)",
            (absorbed, keep, now))

    def assign(self, item_ids: Sequence[str] | None = None, *,
               presigned: Mapping[str, Presigned] | None = None) -> AssignReport:
        """Place pending items (or ``item_ids``) into stories, chunk by chunk.

        ``presigned`` (item id → :class:`Presigned`) spares signing items
        whose signature was computed elsewhere; it never changes the outcome.
        """
        started = time.perf_counter()
        report = AssignReport()
        ids = list(item_ids) if item_ids is not None else self.pending()
        before = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM story_sigs").fetchone()[0]
        if RUN_INDEX:
            self._run = RunIndex(before, len(ids), self.window, evict=item_ids is None)
        self._docs.clear()  # filled by match() calls since: the archive may have changed
        self._sketches.clear()
        self._presigned = presigned or {}
        try:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                with self.conn:
                    planned = self._plan(chunk, presigned or {})
                    if planned is None:
                        for item_id in chunk:
                            self._assign_one(item_id, report, presigned or {})
                    else:
                        self._assign_planned(planned, report)
                    if self._run is not None:
                        self._run.flush(self.conn)
                self._docs.clear()
        finally:
            self._run = None
            self._presigned = {}
            self._sketches.clear()  # the archive may change before the next call
        report.seconds = time.perf_counter() - started
        return report

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
        rows, starts = run._plan_rows, run._plan_starts
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

    def _assign_one(self, item_id: str, report: AssignReport,
                    presigned: Mapping[str, Presigned]) -> None:
        row = self.conn.execute(
            "SELECT i.published_ts, i.content_hash, i.story, s.seq FROM items i "
            "LEFT JOIN story_sigs s ON s.item_id = i.id WHERE i.id = ?", (item_id,)).fetchone()
        if row is None:
            return
        pre = presigned.get(item_id)
        if pre is not None and pre.content_hash == row["content_hash"]:
            sig = signature_from_blob(pre.sig)
            keys = np.frombuffer(pre.bands, dtype="<i8").tolist() if pre.bands else band_keys(sig)

            def full() -> StoryDoc:
                doc = self._doc(item_id)
                assert doc is not None  # its row was just read
                return doc

            def sketch() -> Sketch:
                made = pre_sketch(pre, row["published_ts"])
                if made is None:
                    made = row_sketch(self.conn.execute(
                        "SELECT title, content_html, summary, published_ts FROM items "
                        "WHERE id = ?", (item_id,)).fetchone())
                self._keep_sketch(item_id, made)
                return made
        else:
            item = self.conn.execute(
                "SELECT id, source_id, title, content_html, summary, published_ts, place "
                "FROM items WHERE id = ?", (item_id,)).fetchone()
            doc = make_doc(item["id"], item["title"], item["content_html"] or item["summary"],
                           item["published_ts"], item["place"], item["source_id"])
            self._docs[item_id] = doc
            sig, keys = doc.sig, band_keys(doc.sig)

            def full() -> StoryDoc:
                return doc

            def sketch() -> Sketch:
                return doc_sketch(doc)
        ts = row["published_ts"]
        resigned = row["seq"] is not None

        def is_alone() -> bool:
            """Whether the item is its story's only report (items.story is not written
            between here and the merges below, so asking late gives the same answer)."""
            return row["story"] == item_id and self.conn.execute(
                "SELECT COUNT(*) FROM items WHERE story = ?", (item_id,)).fetchone()[0] == 1

        alone = is_alone() if resigned else None  # a new item is matched anyway: ask if it joins
        stories = (self._match(sig, keys, ts, full, sketch, exclude=item_id)
                   if (alone or not resigned) else [])
        self._store_sig(item_id, sig, keys, ts, row["content_hash"])
        report.assigned += 1
        if not stories:
            return
        if alone is None:
            alone = is_alone()
        keep = stories[0]
        now = utcnow().isoformat()
        for other in stories[1:]:
            self._merge(keep, other, now)
            report.merged += 1
        if row["story"] != keep:
            if alone:
                self.conn.execute("UPDATE items SET story = ? WHERE id = ?", (keep, item_id))
            else:  # a re-signed item that leads its own group: fold the group in
                self._merge(keep, row["story"], now)
                report.merged += 1
        report.joined += 1


def assign_stories(archive: Archive, item_ids: Sequence[str] | None = None, *,
                   presigned: Mapping[str, Presigned] | None = None) -> AssignReport:
    """Place every new or changed archived item into a story (the fetch-run hook)."""
    return StoryIndex(archive).assign(item_ids, presigned=presigned)


def assign_after_run(archive: Archive,
                     presigned: Mapping[str, Presigned] | None = None) -> dict[str, object]:
    """Hook at the end of a fetch run: assign new/changed items, never fail the run.

    Stories are a derived index: a bug or a locked database here must not
    cost the run its record, and the next run retries the pending items.
    ``presigned`` are the signatures the run's workers computed (:func:`presign`).
    """
    try:
        return assign_stories(archive, presigned=presigned).to_json()
    except Exception as exc:  # derived data: log and let the next run retry
        log.exception("penggabungan cerita gagal")
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


def find_story(archive: Archive, doc: StoryDoc) -> str | None:
    """The archived story a report outside the archive (a local article) belongs to."""
    stories = StoryIndex(archive).match(doc)
    return stories[0] if stories else None
