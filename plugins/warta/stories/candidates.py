"""Which earlier reports a new one is compared with, and what is read of them.

Cost per new report is bounded whatever the size of the story it joins and
however many near-identical reports the archive holds:

* **Look-up** — at most :data:`LOOKUP_MAX` band-sharing reports of the date
  window are read, the most recently signed. Only a story's
  *representatives* are in the band index at all: its founder, and each
  member that is not a near copy (:data:`COPY_MIN`) of a representative
  signed less than half a window before it (see
  :meth:`warta.stories.assign.StoryIndex._match`). A release republished by
  500 offices within a day keeps a handful of representatives, not 500.
* **Candidates** — of those past the MinHash prefilter, the
  :data:`CANDIDATES_MAX` closest are kept.
* **Comparisons** — per story its founder and its :data:`REPS_CLOSEST`
  closest candidates, closest stories first, :data:`COMPARE_MAX` in all
  (:data:`COMPARE_TITLE_ONLY` for a report told by its title alone)
  (:func:`representatives`). A candidate whose text and title are those of
  the report (the same shingles) is a copy: joined without the full
  comparison, which could find no difference between them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..archive.base import select_in
from .boiler import SourceBoilerplate, without
from .compare import Sketch, StoryDoc, doc_sketch, make_doc, pre_sketch, text_sketch
from .index import BUCKET_MAX, RunIndex, day_of, past_prefilter, sig_rows
from .presign import Presigned
from .text import NUM_PERM

LOOKUP_MAX = 512
"""Band-sharing reports of the window read for one new report at most (the newest)."""
CANDIDATES_MAX = 32
"""Candidates past the prefilter kept for one report at most (the closest)."""
CANDIDATES_TITLE_ONLY = 8
"""…for a report told by its title alone: it is compared with :data:`COMPARE_TITLE_ONLY`
candidates, the closest titles, so keeping 32 to compare 4 is wasted work — and a flood of
near-identical titles (a CMS template everywhere) is exactly when every report has many.
It still reads the :data:`LOOKUP_MAX` newest band-sharing reports: reading fewer misses
exact-title copies older than them."""
REPS_CLOSEST = 4
"""Per story, the candidates compared besides its founder: the closest (the newest among
equals)."""
COMPARE_MAX = 24
"""Candidates compared with one report at most."""
COMPARE_TITLE_ONLY = 4
"""…with a report that has no text besides its title: only a near-identical title can
match it (:func:`~warta.stories.compare.compare`), and those are its closest candidates."""
COPY_MIN = 0.8
"""Estimated Jaccard from which a report that joins is a near copy of the candidate."""
CACHED_DOCS = 2000
"""Reports held tokenized (:class:`StoryDoc`) at most, the most recently read."""
CACHED_SKETCHES = 2000
"""Candidate sketches kept (~3 KB each since the shingles are numbers)."""

_UNSIGNED = np.zeros(NUM_PERM, dtype=np.uint32)
"""Placeholder signature of docs made only for :func:`compare` (which never reads it)."""


@dataclass(frozen=True, slots=True)
class Likely:
    """A candidate past the prefilter: an earlier report worth comparing."""

    item_id: str
    story: str
    seq: int
    ts: float
    estimate: float
    """MinHash estimate of the Jaccard similarity with the report."""


def representatives(likely: Sequence[Likely], limit: int = COMPARE_MAX) -> list[Likely]:
    """The candidates actually compared: per story its founder (the report whose id the
    story bears) and its :data:`REPS_CLOSEST` closest, the stories with the closest
    candidate first, ``limit`` in all; in signing order."""
    by_story: dict[str, list[Likely]] = {}
    for cand in likely:
        by_story.setdefault(cand.story, []).append(cand)
    order = sorted(by_story.values(), key=lambda ms: (-max(m.estimate for m in ms), ms[0].seq))
    out: list[Likely] = []
    for members in order:
        picks = [m for m in members if m.item_id == m.story]
        others = [m for m in members if m.item_id != m.story]
        picks += sorted(others, key=lambda m: (-m.estimate, -m.seq))[:REPS_CLOSEST]
        out.extend(picks[:limit - len(out)])
        if len(out) >= limit:
            break
    return sorted(out, key=lambda m: m.seq)


class CandidateReader:
    """The reading half of :class:`warta.stories.assign.StoryIndex` (a mixin)."""

    conn: sqlite3.Connection
    window: float
    boiler: SourceBoilerplate
    _docs: dict[str, StoryDoc]
    _sketches: dict[str, Sketch]
    _run: RunIndex | None
    _presigned: Mapping[str, Presigned]

    def _story_text(self, source_id: str | None, content_html: str | None,
                    summary: str | None) -> str:
        """What a report is grouped by: its text (a summary-only item's summary) less its
        source's boilerplate paragraphs."""
        return without(content_html or summary or "", self.boiler.of(source_id))

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
        text = self._story_text(row["source_id"], row["content_html"], row["summary"])
        doc = make_doc(row["id"], row["title"], text, row["published_ts"], row["place"],
                       row["source_id"], sig=_UNSIGNED)
        self._keep_doc(item_id, doc)
        return doc

    def _keep_doc(self, item_id: str, doc: StoryDoc) -> None:
        """Bounded, first in first out: reports are placed in date order, so the newest
        docs are the next reports' candidates, in this chunk and the next."""
        docs = self._docs
        if item_id not in docs and len(docs) >= CACHED_DOCS:
            del docs[next(iter(docs))]
        docs[item_id] = doc

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
                "SELECT source_id, title, content_html, summary, published_ts FROM items "
                "WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                return None
            sketch = text_sketch(row["title"], self._story_text(
                row["source_id"], row["content_html"], row["summary"]), row["published_ts"])
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

    def _likely(self, sig: np.ndarray, keys: Sequence[int], ts: float,
                exclude: str | None, *, keep: int = CANDIDATES_MAX) -> list[Likely]:
        """The candidates whose estimated Jaccard reaches PREFILTER, in signing order.

        Of the newest :data:`LOOKUP_MAX` reports sharing a band and the date
        window, the ``keep`` (:data:`CANDIDATES_MAX`) closest. The MinHash estimates are
        taken for all of them at once: a report typically shares a band with
        a few percent of the reports in its window, and almost none of them
        pass. Reports signed by the running :meth:`assign` come from its
        in-memory index when it can answer; they are newer than any other.
        """
        lo, hi = ts - self.window, ts + self.window
        run = self._run
        in_memory = run is not None and run.arrive(ts)
        if run is not None and not in_memory:
            run.flush(self.conn)
        found = np.empty(0, dtype=np.int64)
        if in_memory and run is not None:
            found = run.lookup(keys, lo, hi, ts)[-LOOKUP_MAX:]
        rows: list[sqlite3.Row] = []
        room = LOOKUP_MAX - len(found)
        if room > 0 and (not in_memory or run is None or run.before > 0):
            rows = self._archived(keys, lo, hi, run.before if in_memory and run is not None
                                  else None, exclude, limit=room)
        if not rows and not len(found):
            return []
        held = len(rows)
        blocks = [sig_rows(rows)] if rows else []
        if len(found) and run is not None:
            blocks.append(run.sigs[found])
        sigs = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
        equal = np.count_nonzero(sigs == sig, axis=1)
        # The excluded report is never among them (the archive's query leaves it out, and
        # the run index holds only reports signed for the first time).
        at = np.flatnonzero(past_prefilter(sigs, sig))
        if len(at) > keep:  # the closest, the newest among equals; signing order
            at = np.sort(at[np.lexsort((-at, -equal[at]))[:keep]])
        picked: list[tuple[str, int, float, float]] = []
        for k in at.tolist():
            estimate = int(equal[k]) / NUM_PERM
            if k < held:
                picked.append((rows[k][0], rows[k][2], rows[k][3], estimate))
            elif run is not None:
                row = int(found[k - held])
                picked.append((run.ids[row], run.seqs[row], float(run.ts_array[row]), estimate))
        story = dict(select_in(self.conn, "SELECT id, story FROM items WHERE id IN ({marks})",
                               [p[0] for p in picked])) if picked else {}
        return [Likely(item_id, story[item_id], seq, when, estimate)
                for item_id, seq, when, estimate in picked if item_id in story]

    def _archived(self, keys: Sequence[int], lo: float, hi: float, upto: int | None,
                  exclude: str | None, *, limit: int | None = None) -> list[sqlite3.Row]:
        """``(item_id, sig, seq, ts)`` of the signed reports sharing a band key with ``keys``
        and published in ``[lo, hi]`` (only those with ``seq <= upto`` unless None), by seq:
        under each key the newest :data:`~warta.stories.index.BUCKET_MAX`, and of those the
        newest ``limit`` when given."""
        bound = "AND seq <= ?" if upto is not None else ""
        per_key = (f"SELECT * FROM (SELECT seq FROM story_bands WHERE band_key = ? "
                   f"AND day BETWEEN ? AND ? {bound} ORDER BY day DESC, seq DESC LIMIT {BUCKET_MAX})")
        params: list[object] = []
        for key in keys:
            params += [key, day_of(lo), day_of(hi)]
            if upto is not None:
                params.append(upto)
        params += [lo, hi, exclude or ""]
        newest = "DESC LIMIT ?" if limit is not None else ""
        if limit is not None:
            params.append(limit)
        rows = self.conn.execute(
            f"""
            SELECT s.item_id, s.sig, s.seq, s.ts FROM story_sigs s
            WHERE s.seq IN ({" UNION ".join([per_key] * len(keys))})
              AND s.ts BETWEEN ? AND ? AND s.item_id != ?
            ORDER BY s.seq {newest}
            """, params).fetchall()
        return rows[::-1] if limit is not None else rows
