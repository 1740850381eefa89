"""Stories: one event reported by many humas offices becomes one "narasi tunggal".

The driver: places new and changed archived reports into stories, chunk by
chunk. Each report is compared with a bounded set of earlier reports
(:mod:`warta.stories.candidates`) by :func:`warta.stories.compare.compare`,
on its text less its source's boilerplate (:mod:`warta.stories.boiler`).

Story identity rules (documented for readers of ``_warta.story``):

* A new report that matches nothing starts a story whose id is the report's
  own item id. Reports that join later never change that id.
* A report joins the story of any candidate it matches, unless it conflicts
  with another compared member of that story (so chains of weak matches
  cannot glue two template-sharing events together).
* When one report matches two stories they merge, unless the reports it
  matched in each contradict each other on a number, date or day (then it
  joins the older only); the merged story keeps the
  id of the story **formed first** (its founding report was assigned
  earlier — smaller ``story_sigs.seq``). The absorbed id is recorded in
  ``story_merges`` so old links can be redirected. Stories never split: a
  report whose text is later edited stays where it is.
* The lead report (:func:`~warta.stories.lead.lead_key`) is a local Markdown
  article first, then the most senior office by
  :data:`~warta.stories.lead.KIND_SENIORITY`, then the earliest published,
  then the smallest item id.
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
from .boiler import SourceBoilerplate, dropped, keys_from_blob, paragraph_keys
from .candidates import (
    CANDIDATES_MAX,
    CANDIDATES_TITLE_ONLY,
    COMPARE_MAX,
    COMPARE_TITLE_ONLY,
    COPY_MIN,
    CandidateReader,
    Likely,
    representatives,
)
from .compare import (
    WINDOW_DAYS,
    Sketch,
    StoryDoc,
    compare,
    doc_sketch,
    make_doc,
    may_match,
    pre_sketch,
    same_text,
    text_sketch,
)
from .index import RunIndex, day_of
from .planned import PlannedChunks
from .presign import Overlay, Presigned, PresignStore, presign_text
from .text import band_keys, is_empty_signature, signature_blob, signature_from_blob

__all__ = ["AssignReport", "StoryIndex", "assign_after_run", "assign_stories", "find_story"]

log = logging.getLogger(__name__)

PAGE_CACHE_KB = 16384
"""SQLite page cache while stories are assigned: band keys are random, so look-ups touch
pages all over ``story_bands``; a larger cache was no faster and only raised a run's peak memory."""
CHUNK = 2000
"""Items assigned per transaction: bounds memory and keeps a killed run resumable.

Each commit rewrites nearly every ``story_bands`` page (band keys are random),
so fewer, larger transactions write far less."""
RUN_INDEX = True
"""Look the reports an :meth:`StoryIndex.assign` call signs up in memory (``RunIndex``);
False asks the archive for every candidate (the definition; tests compare the two)."""


@dataclass(slots=True)
class AssignReport:
    """What one assignment pass did (goes into the fetch run log)."""

    assigned: int = 0
    joined: int = 0
    merged: int = 0
    compared: int = 0
    """Candidate reports examined (full comparisons and copies taken on sight)."""
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"assigned": self.assigned, "joined": self.joined, "merged": self.merged,
                "compared": self.compared, "seconds": round(self.seconds, 3)}


class StoryIndex(CandidateReader, PlannedChunks):
    """Story assignment over the archive's ``story_sigs``/``story_bands`` tables."""

    def __init__(self, archive: Archive, *, window_days: float = WINDOW_DAYS):
        self.archive = archive
        self.conn: sqlite3.Connection = archive.conn
        self.window = window_days * 86400
        self.boiler = SourceBoilerplate(self.conn)
        self._docs: dict[str, StoryDoc] = {}
        self._sketches: dict[str, Sketch] = {}
        self._run: RunIndex | None = None
        self._presigned: Mapping[str, Presigned] = {}
        """The signatures :meth:`assign` was given, and those it made of reports with
        boilerplate left out: for candidates' sketches too."""
        self._report = AssignReport()
        # Band keys are random, so inserts and look-ups touch pages all over the
        # story_bands B-tree: a page cache above SQLite's 2 MB default keeps the hot ones.
        self.conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KB}")

    def pending(self) -> list[str]:
        """Items never signed, or whose content changed since they were signed."""
        rows = self.conn.execute(
            "SELECT i.id FROM items i LEFT JOIN story_sigs s ON s.item_id = i.id "
            "WHERE s.item_id IS NULL OR s.content_hash != i.content_hash "
            "ORDER BY i.published_ts, i.id"
        )
        return [r[0] for r in rows]

    def _founder_seq(self, story: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT seq FROM story_sigs WHERE item_id = ?", (story,)).fetchone()
        return (row[0] if row else 2**62, story)

    def match(self, doc: StoryDoc, *, exclude: str | None = None) -> list[str]:
        """Stories ``doc`` belongs to (possibly several, to be merged), oldest first."""
        return self._match(doc.sig, band_keys(doc.sig), doc.ts, lambda: doc,
                           lambda: doc_sketch(doc), exclude=exclude, title_only=not doc.body)[0]

    def _match(self, sig: np.ndarray, keys: Sequence[int], ts: float,
               full: Callable[[], StoryDoc], sketch: Callable[[], Sketch], *,
               exclude: str | None, title_only: bool = False) -> tuple[list[str], bool]:
        """:meth:`match` given the signature, and whether the report goes into the band index.

        ``full`` builds the report's doc if a candidate is worth comparing
        (rare: most reports match nothing), ``sketch`` what tells whether it
        is (:func:`may_match`). A report that joins as a near copy
        (:data:`~warta.stories.candidates.COPY_MIN`) of a representative
        signed less than half a window from it stays out of the band index:
        whatever would find it finds that representative, which is in the
        index for at least half a window more.
        """
        if is_empty_signature(sig):
            return [], True
        matched: dict[str, str] = {}
        """Story → the first of its candidates the report matched."""
        vetoed: set[str] = set()
        copies: set[str] = set()
        doc: StoryDoc | None = None
        mine: Sketch | None = None
        window_days = self.window / 86400
        likely = self._likely(sig, keys, ts, exclude,
                              keep=CANDIDATES_TITLE_ONLY if title_only else CANDIDATES_MAX)
        limit = COMPARE_TITLE_ONLY if title_only else COMPARE_MAX
        for cand in representatives(likely, limit):
            theirs = self._sketch(cand.item_id)
            if theirs is None:
                continue
            if mine is None:
                mine = sketch()
            self._report.compared += 1
            if not may_match(mine, theirs, window_days):
                continue  # compare() would say "date" or "text": neither a match nor a veto
            if same_text(mine, theirs):
                matched.setdefault(cand.story, cand.item_id)
            else:
                other = self._doc(cand.item_id)
                if other is None:
                    continue
                if doc is None:
                    doc = full()
                verdict = compare(doc, other, window_days=window_days)
                if verdict.conflicting:
                    vetoed.add(cand.story)
                if not verdict.same:
                    continue
                matched.setdefault(cand.story, cand.item_id)
            if self._is_copy(cand, ts):
                copies.add(cand.story)
        stories = sorted((s for s in matched if s not in vetoed), key=self._founder_seq)
        if len(stories) > 1:
            stories = self._mergeable(stories, matched, window_days)
        return stories, not copies.intersection(stories)

    def _mergeable(self, stories: list[str], matched: Mapping[str, str],
                   window_days: float) -> list[str]:
        """``stories`` less those whose matched report contradicts the first story's on a
        number, date or day: a report close to two template-sharing events (a province's
        rewrite of one regency's release) joins the older and does not glue them together."""
        first = self._doc(matched[stories[0]])
        keep = stories[:1]
        for story in stories[1:]:
            other = self._doc(matched[story])
            if first is not None and other is not None:
                self._report.compared += 1
                if compare(first, other, window_days=window_days).hard:
                    continue
            keep.append(story)
        return keep

    def _is_copy(self, cand: Likely, ts: float) -> bool:
        """Whether a report matching ``cand`` need not be a representative of its story."""
        return cand.estimate >= COPY_MIN and abs(ts - cand.ts) <= self.window / 2

    # writing --------------------------------------------------------------------------

    def _store_sig(self, item_id: str, sig: np.ndarray, keys: Sequence[int], ts: float,
                   content_hash: str, *, indexed: bool = True) -> None:
        """Write the report's signature, and its band keys when it is ``indexed``."""
        row = self.conn.execute("SELECT seq, ts, sig FROM story_sigs WHERE item_id = ?",
                                (item_id,)).fetchone()
        blob = signature_blob(sig)
        empty = is_empty_signature(sig)
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO story_sigs (item_id, ts, content_hash, sig) VALUES (?, ?, ?, ?)",
                (item_id, ts, content_hash, blob))
            seq = int(cur.lastrowid or 0)
            run = self._run
            if run is not None and run.active:
                run.add(item_id, seq, ts, sig, keys, empty or not indexed)
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
        if indexed and not empty:
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
        report = self._report = AssignReport()
        ids = list(item_ids) if item_ids is not None else self.pending()
        before = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM story_sigs").fetchone()[0]
        if RUN_INDEX:
            self._run = RunIndex(before, len(ids), self.window, evict=item_ids is None)
        self._docs.clear()  # filled by match() calls since: the archive may have changed
        self._sketches.clear()
        try:
            with self.conn:
                self._presigned = self._learn(ids, presigned or {})
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                with self.conn:
                    planned = self._plan(chunk, self._presigned)
                    if planned is None:
                        for item_id in chunk:
                            self._assign_one(item_id, report, self._presigned)
                    else:
                        self._assign_planned(planned, report)
                    if self._run is not None:
                        self._run.flush(self.conn)
        finally:
            self._run = None
            self._presigned = {}
            self._docs.clear()  # the archive may change before the next call
            self._sketches.clear()
        report.seconds = time.perf_counter() - started
        return report

    def _learn(self, ids: Sequence[str],
               presigned: Mapping[str, Presigned]) -> Mapping[str, Presigned]:
        """Learn the paragraphs of the reports to place (:meth:`SourceBoilerplate.learn`), and
        sign anew, with its source's boilerplate left out, each report that carries some.

        Returns what the reports are to be signed by: ``presigned`` with those
        signatures over it (kept with the others when ``presigned`` is a
        :class:`PresignStore`: on disk).
        """
        many = getattr(presigned, "many", None)
        found: dict[str, tuple[str, list[int]]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            pres = many(chunk) if many is not None else {i: presigned.get(i) for i in chunk}
            learned = []
            unread = []
            for row in select_in(self.conn, "SELECT id, source_id, published_ts, content_hash, "
                                 "title FROM items WHERE id IN ({marks})", chunk):
                pre = pres.get(row[0])
                if pre is not None and pre.paras is not None and pre.content_hash == row[3]:
                    keys = keys_from_blob(pre.paras)
                    learned.append((row[0], row[1], row[2], keys, row[4]))
                    found[row[0]] = (row[1], keys)
                else:
                    unread.append(row[0])
            for row in select_in(self.conn, "SELECT id, source_id, published_ts, content_html, "
                                 "summary, title FROM items WHERE id IN ({marks})", unread):
                keys = paragraph_keys(row[3] or row[4] or "")
                learned.append((row[0], row[1], row[2], keys, row[5]))
                found[row[0]] = (row[1], keys)
            self.boiler.learn(learned)
        hit = [i for i, (source, keys) in found.items() if dropped(keys, self.boiler.of(source))]
        if not hit:
            return presigned
        made: dict[str, Presigned] = {}
        for row in select_in(self.conn, "SELECT id, source_id, title, content_html, summary, "
                             "content_hash FROM items WHERE id IN ({marks})", hit):
            text = self._story_text(row["source_id"], row["content_html"], row["summary"])
            made[row["id"]] = presign_text(row["title"], text, row["content_hash"])
        if isinstance(presigned, PresignStore):
            presigned.put(made)
            return presigned
        return Overlay(presigned, made)

    def _assign_one(self, item_id: str, report: AssignReport,
                    presigned: Mapping[str, Presigned]) -> None:
        row = self.conn.execute(
            "SELECT i.published_ts, i.content_hash, i.story, i.source_id, s.seq FROM items i "
            "LEFT JOIN story_sigs s ON s.item_id = i.id WHERE i.id = ?", (item_id,)).fetchone()
        if row is None:
            return
        pre = presigned.get(item_id)
        if pre is not None and pre.content_hash == row["content_hash"]:
            sig = signature_from_blob(pre.sig)
            keys = np.frombuffer(pre.bands, dtype="<i8").tolist() if pre.bands else band_keys(sig)
            title_only = pre.paras is not None and not pre.paras  # no paragraph with words

            def full() -> StoryDoc:
                doc = self._doc(item_id)
                assert doc is not None  # its row was just read
                return doc

            def sketch() -> Sketch:
                made = pre_sketch(pre, row["published_ts"])
                if made is None:
                    got = self.conn.execute("SELECT title, content_html, summary FROM items "
                                            "WHERE id = ?", (item_id,)).fetchone()
                    made = text_sketch(got["title"], self._story_text(
                        row["source_id"], got["content_html"], got["summary"]), row["published_ts"])
                self._keep_sketch(item_id, made)
                return made
        else:
            item = self.conn.execute(
                "SELECT id, source_id, title, content_html, summary, published_ts, place "
                "FROM items WHERE id = ?", (item_id,)).fetchone()
            text = self._story_text(item["source_id"], item["content_html"], item["summary"])
            doc = make_doc(item["id"], item["title"], text, item["published_ts"], item["place"],
                           item["source_id"])
            self._keep_doc(item_id, doc)
            sig, keys = doc.sig, band_keys(doc.sig)
            title_only = not doc.body

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
        stories, indexed = (self._match(sig, keys, ts, full, sketch, exclude=item_id,
                                        title_only=title_only)
                            if (alone or not resigned) else ([], True))
        self._store_sig(item_id, sig, keys, ts, row["content_hash"], indexed=indexed)
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
