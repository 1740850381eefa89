"""Stories: one event reported by many humas offices becomes one "narasi tunggal".

How two reports are judged to tell the same event (:func:`compare`):

1. **Date proximity** — published at most :data:`WINDOW_DAYS` apart.
2. **Same text** — Jaccard similarity of word 2-shingles (stopwords and humas
   boilerplate removed, :mod:`warta.stories.text`) of at least
   :data:`TEXT_MIN`, or a lower :data:`TEXT_MIN_WITH_TITLE` when the titles
   share most of their content words.
3. **No contradiction** — each sentence of one report is paired with its
   closest sentence of the other (paragraphs get reordered), the pair is
   aligned word by word (:class:`difflib.SequenceMatcher`) and every short
   substitution is looked at. A number, date, ordinal or day name replaced by
   another (``hari pertama`` → ``hari kedua``, ``12/3`` → ``13/3``, ``80`` →
   ``95`` peserta), or a different first day/date/"hari ke-N" of the event,
   is a *hard* conflict: one is enough to keep the reports apart. A name
   replaced by another (``Jawa Tengah`` → ``Jawa Timur``, one governor by
   another) is a *soft* conflict, and so are two different known places
   (``Item.place``). One soft conflict is tolerated (offices write names
   differently); a second only when the reports already share
   :data:`SHARED_PER_SOFT` names in identical passages. An office naming
   itself ("Bupati Kudus …" where the other report says "Bupati Pati …",
   the words of its source id) is excused in proportion to the names the
   reports share (:data:`OWN_EXCUSE_MIN`, :data:`OWN_EXCUSE_ALL`): two
   regencies reusing one provincial template for their *own* events share
   few names and stay apart. Rewrites of one release change wording, not
   facts, so they pass.

Candidates come from banded MinHash LSH kept in SQLite (``story_bands``):
each new item looks up its 63 band keys within the days of its date window
(one indexed query on ``(band_key, day)``), so placing an item never reads
the whole archive, nor the copies of a recurring template from other years.

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
* The lead report (:func:`lead_key`) is a local Markdown article first, then
  the most senior office by :data:`KIND_SENIORITY`, then the earliest
  published, then the smallest item id.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from ..archive.base import select_in, utcnow
from ..archive.store import Archive
from ..core.records import Source
from .text import (
    BANDS,
    DAY_NAMES,
    NUM_PERM,
    Presigned,
    Token,
    band_keys,
    features,
    is_empty_signature,
    norms,
    presign,
    shingle_hashes,
    shingle_set,
    signature,
    signature_blob,
    signature_from_blob,
)

__all__ = [
    "KIND_SENIORITY", "AssignReport", "PresignStore", "Presigned", "StoryDoc", "StoryIndex", "Verdict",
    "assign_after_run", "assign_stories", "compare", "find_story", "lead_key", "make_doc",
    "own_words", "presign", "seniority",
]

log = logging.getLogger(__name__)

WINDOW_DAYS = 3.0
"""Reports of one event are published within a few days of each other."""
TEXT_MIN = 0.25
TEXT_MIN_WITH_TITLE = 0.18
TITLE_MIN = 0.5
PREFILTER = 0.12
"""Estimated (MinHash) Jaccard under which a candidate is not even tokenized."""
SOFT_MAX = 2
OWN_EXCUSE_MIN = 4
OWN_EXCUSE_ALL = 10
SHARED_PER_SOFT = 12
"""A second name substitution is tolerated only when the reports already tell
this many names alike (same cast of people and places)."""
EVENT_HEAD = 80
"""The event's own date is told in the first sentences of a report."""
SUBSTITUTION_MAX_LEN = 3
SENTENCE_MIN = 0.4
"""Two sentences this alike (token Jaccard) are one sentence rewritten: diff them."""
PAGE_CACHE_KB = 16384
"""SQLite page cache while stories are assigned. 64 MB was no faster than 16 (placing 1,000
reports in a 30,000-item archive: 13.8 / 14.0 s; a cold 1,000-feed run's 19,000: 3.9 s both)
and filled to its bound: 50 MB more at the end of a cold fetch run, which peaked there."""
CHUNK = 2000
"""Items assigned per transaction: bounds memory and keeps a killed run resumable.

Each commit rewrites nearly every ``story_bands`` page (band keys are random),
so fewer, larger transactions write far less: 500 cost a cold run of 1,000
feeds ~3 s more (CPU and I/O) than 2,000."""
COMPACT_AFTER = 2000
"""Evicted run-index rows tolerated before :meth:`_RunIndex._compact` rebuilds its arrays."""
COMPACT_SPARE = 4000
"""Rows a compacted run index has room for at least (~2.5 KB each)."""
CACHED_DOCS = 2000
"""Reports held tokenized (:class:`StoryDoc`) at most: a cache for a chunk."""
CACHED_SKETCHES = 2000
"""Candidate sketches kept (~3 KB each since the shingles are numbers: ~6 MB)."""
_PAIR_BLOCK = 8192
"""Candidate pairs whose MinHash estimates :meth:`StoryIndex._quiet` takes at once
(two gathered signature blocks of ~4 MB)."""
PLAN_PAIRS_MAX = 2_000_000
"""Band-sharing pairs a planned chunk may hold (32 bytes each while planning), else the dict."""
RUN_INDEX = True
"""Look the reports an :meth:`StoryIndex.assign` call signs up in memory (``_RunIndex``);
False asks the archive for every candidate (the definition; tests compare the two)."""

OFFICE_WORDS = frozenset({"pemkab", "pemkot", "pemprov", "kab", "kota", "prov", "provinsi", "dprd",
                          "humas", "diskominfo", "kominfo", "polda", "polres", "setda", "demo"})

KIND_SENIORITY: dict[str, int] = {
    "kementerian": 0,
    "lembaga": 1,
    "yudikatif": 2,
    "tni-polri": 3,
    "pemprov": 4,
    "dprd": 5,
    "instansi-vertikal": 6,
    "pemkab": 7,
    "pemkot": 7,
    "bumn": 8,
    "bumd": 9,
    "lainnya": 10,
}
"""Lead order among offices. National bodies announce national programmes
first; a province convenes its regencies; regencies and cities report what
they attended. DPRD and vertical offices rank between province and regency;
state companies follow government. A provincial DPRD outranks a regency one
(see :func:`seniority`)."""
UNKNOWN_SENIORITY = 99


# -- comparing two reports -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """What the matcher needs of one report (archived item or local article)."""

    id: str
    ts: float
    title: tuple[Token, ...]
    body: tuple[Token, ...]
    sentences: tuple[tuple[Token, ...], ...]
    shingles: frozenset[bytes]
    sig: np.ndarray = field(compare=False)
    place: str | None = None
    own: frozenset[str] = frozenset()
    """Words of the reporting office's own id ("pemkab-kudus" → "kudus")."""


def own_words(source_id: str | None) -> frozenset[str]:
    """Name words of an office id: an office naming itself is not a fact about the event."""
    if not source_id:
        return frozenset()
    return frozenset(w for w in source_id.lower().split("-") if len(w) > 2 and w not in OFFICE_WORDS)


def make_doc(doc_id: str, title: str, content_html: str, ts: float,
             place: str | None = None, source_id: str | None = None, *,
             sig: np.ndarray | None = None) -> StoryDoc:
    """Tokenize, shingle and sign one report (``sig``: its signature, if already known)."""
    title_tokens, sentences, body, sh = features(title, content_html)
    return StoryDoc(
        id=doc_id, ts=ts, title=tuple(title_tokens), body=body, sentences=sentences,
        shingles=frozenset(sh), sig=signature(sh) if sig is None else sig,
        place=(place or "").strip().lower() or None, own=own_words(source_id),
    )


@dataclass(frozen=True, slots=True)
class _Sketch:
    """What :func:`compare` reads before it can reject a pair on its text (steps 1–2).

    Nearly every candidate that passes the MinHash prefilter is still rejected
    there (a fetch run of 1,000 feeds: 3,600 comparisons, none past the text
    test), and this is ~10× cheaper to make than a :class:`StoryDoc`
    (:func:`~warta.stories.text.shingle_set` skips building Tokens and sentences)
    — or free, when the fetch worker made it (:class:`Presigned`). The
    shingles are held as :func:`~warta.stories.text.shingle_hashes` (~2 KB, not ~20).
    """

    ts: float
    title: frozenset[str]
    shingles: np.ndarray


def _sketch(title: str, content_html: str, ts: float) -> _Sketch:
    """What :func:`compare`'s date and text test reads, without tokenizing the report."""
    return _Sketch(ts, frozenset(norms(title)), shingle_hashes(shingle_set(title, content_html)))


def _row_sketch(row: sqlite3.Row) -> _Sketch:
    """:func:`_sketch` of an archive row (a summary-only item is compared on its summary)."""
    return _sketch(row["title"], row["content_html"] or row["summary"], row["published_ts"])


def _doc_sketch(doc: StoryDoc) -> _Sketch:
    return _Sketch(doc.ts, frozenset(t.norm for t in doc.title), shingle_hashes(doc.shingles))


def _pre_sketch(pre: Presigned, ts: float) -> _Sketch | None:
    """The sketch a worker made (None when this :class:`Presigned` does not carry one)."""
    if pre.shingles is None:
        return None
    return _Sketch(ts, frozenset(pre.title.split()), np.frombuffer(pre.shingles, dtype="<u8"))


def _may_match(a: _Sketch, b: _Sketch, window_days: float) -> bool:
    """False when :func:`compare` would reject the pair on its date or text (no join, no veto).

    The same test as :func:`_gate`, on the shingles' numbers: the same Jaccard
    (both are sets of distinct values; see :func:`~warta.stories.text.shingle_hashes`).
    """
    if abs(a.ts - b.ts) > window_days * 86400:
        return False
    if not a.shingles.size or not b.shingles.size:
        text = 0.0
    else:
        shared = np.intersect1d(a.shingles, b.shingles, assume_unique=True).size
        text = shared / (a.shingles.size + b.shingles.size - shared)
    return not _text_fails(text, _jaccard(a.title, b.title))


@dataclass(frozen=True, slots=True)
class Verdict:
    same: bool
    text: float
    title: float
    hard: int = 0
    soft: int = 0
    shared: int = 0
    reason: str = ""

    @property
    def conflicting(self) -> bool:
        """Similar text but contradicting facts: a template shared by two events."""
        return not self.same and self.reason == "conflict"


def _jaccard(a: Iterable[object], b: Iterable[object]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _sentence_pairs(a: StoryDoc, b: StoryDoc) -> list[tuple[tuple[Token, ...], tuple[Token, ...]]]:
    """Each sentence of ``a`` with its closest sentence of ``b`` (paragraphs get reordered)."""
    b_sets = [{t.norm for t in sb} for sb in b.sentences]
    pairs = []
    for sa in a.sentences:
        a_set = {t.norm for t in sa}
        best, best_j = -1, SENTENCE_MIN
        for k, b_set in enumerate(b_sets):
            j = len(a_set & b_set) / len(a_set | b_set)
            if j >= best_j:
                best, best_j = k, j
        if best >= 0:
            pairs.append((sa, b.sentences[best]))
    return pairs


def _conflicts(a: StoryDoc, b: StoryDoc) -> tuple[int, int, int]:
    """(hard, soft, shared): aligned substitutions of facts, and names both tell alike."""
    a_nums = {t.norm for t in a.body if t.kind == "num"}
    b_nums = {t.norm for t in b.body if t.kind == "num"}
    a_all = {t.norm for t in a.body}
    b_all = {t.norm for t in b.body}
    hard: set[tuple[str, ...]] = set()
    soft: set[tuple[str, ...]] = set()
    shared: set[str] = set()
    own_subs = 0
    for sa, sb in _sentence_pairs(a, b):
        matcher = SequenceMatcher(None, [t.norm for t in sa], [t.norm for t in sb], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                shared.update(t.norm for t in sa[i1:i2] if t.kind == "name")
                continue
            if op != "replace" or i2 - i1 > SUBSTITUTION_MAX_LEN or j2 - j1 > SUBSTITUTION_MAX_LEN:
                continue
            left, right = sa[i1:i2], sb[j1:j2]
            ln = {t.norm for t in left if t.kind == "num"} - b_nums
            rn = {t.norm for t in right if t.kind == "num"} - a_nums
            if ln and rn:
                hard.add((*sorted(ln), "|", *sorted(rn)))
                continue
            lnames = {t.norm for t in left if t.kind == "name"} - b_all
            rnames = {t.norm for t in right if t.kind == "name"} - a_all
            if lnames & a.own or rnames & b.own:
                own_subs += 1  # each office names itself ("Bupati Kudus …" / "Bupati Pati …")
                continue
            if lnames and rnames:
                soft.add((*sorted(lnames), "|", *sorted(rnames)))
    for ka, kb in zip(_event_marks(a.body), _event_marks(b.body), strict=True):
        if ka and kb and ka != kb:
            hard.add(("event", ka, kb))
    places = {a.place, b.place}
    extra = 1 if None not in places and len(places) == 2 and not places & (a.own | b.own) else 0
    # An office naming itself is excused only as far as the two reports already
    # tell the same cast of names; two hosts of one template share few names.
    excused = 0 if len(shared) < OWN_EXCUSE_MIN else (1 if len(shared) < OWN_EXCUSE_ALL else own_subs)
    return len(hard), len(soft) + extra + max(0, own_subs - excused), len(shared)


def _gate(a_ts: float, b_ts: float, a_shingles: Iterable[bytes], b_shingles: Iterable[bytes],
          a_title: Iterable[str], b_title: Iterable[str],
          window_days: float) -> tuple[str | None, float, float]:
    """Steps 1 and 2 of :func:`compare`: ``("date" | "text" | None, text, title)``."""
    if abs(a_ts - b_ts) > window_days * 86400:
        return "date", 0.0, 0.0
    text = _jaccard(a_shingles, b_shingles)
    title = _jaccard(a_title, b_title)
    if _text_fails(text, title):
        return "text", text, title
    return None, text, title


def _text_fails(text: float, title: float) -> bool:
    """Step 2 of :func:`compare`: too little text in common (unless the titles agree)."""
    return not (text >= TEXT_MIN or (text >= TEXT_MIN_WITH_TITLE and title >= TITLE_MIN))


def compare(a: StoryDoc, b: StoryDoc, *, window_days: float = WINDOW_DAYS) -> Verdict:
    """Do ``a`` and ``b`` report the same event? See the module docstring."""
    failed, text, title = _gate(a.ts, b.ts, a.shingles, b.shingles,
                                (t.norm for t in a.title), (t.norm for t in b.title), window_days)
    if failed is not None:
        return Verdict(False, text, title, reason=failed)
    hard, soft, shared = _conflicts(a, b)
    if hard or soft > 1 + min(shared // SHARED_PER_SOFT, SOFT_MAX - 1):
        return Verdict(False, text, title, hard, soft, shared, reason="conflict")
    return Verdict(True, text, title, hard, soft, shared, reason="match")


def _event_marks(tokens: Sequence[Token]) -> tuple[str | None, str | None, str | None]:
    """The first day name, first date and first "hari ke-N" of a report: when the event was."""
    day = date = nth = None
    for i, t in enumerate(tokens[:EVENT_HEAD]):
        if t.kind != "num":
            continue
        if day is None and t.norm in DAY_NAMES:
            day = t.norm
        elif date is None and "/" in t.norm:
            date = t.norm
        elif nth is None and t.norm.startswith("ke") and i and tokens[i - 1].norm == "hari":
            nth = t.norm
    return day, date, nth


# -- the incremental index in SQLite -----------------------------------------------------


def day_of(ts: float) -> int:
    """Day number of a timestamp: the second key of ``story_bands``."""
    return int(ts // 86400)


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


@dataclass(slots=True)
class _Candidate:
    seq: int
    item_id: str
    story: str
    sig: np.ndarray


_UNSIGNED = np.zeros(NUM_PERM, dtype=np.uint32)
"""Placeholder signature of docs made only for :func:`compare` (which never reads it)."""


def _sig_rows(rows: Sequence[sqlite3.Row]) -> np.ndarray:
    """The ``sig`` blobs of ``(item_id, sig)`` rows as one signature per row."""
    return np.frombuffer(b"".join(r[1] for r in rows), dtype="<u4").reshape(len(rows), NUM_PERM)


def _past_prefilter(sigs: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per row of ``sigs``: whether its MinHash estimate of Jaccard with ``other`` (one
    signature, or one per row) reaches :data:`PREFILTER`."""
    return np.count_nonzero(sigs == other, axis=1) / NUM_PERM >= PREFILTER


@dataclass(slots=True)
class _Planned:
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


class _RunIndex:
    """The reports one :meth:`StoryIndex.assign` call signs, indexed in memory.

    Looking candidates up in ``story_bands`` costs a B-tree probe per band
    and a row per candidate (~0.5 ms a report once thousands of reports share
    the window: a fetch run of 1,000 feeds has 20,000 new ones). For the
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
        self.buckets: dict[int, int | list[int]] = {}
        self.oldest = 0
        self.last_ts = float("-inf")
        self.pending_rows: list[int] = []
        """Rows whose ``story_bands`` rows are not written yet."""
        self.use_buckets = True
        """False while look-ups are answered by :meth:`plan` (the dict is then not kept)."""
        self._plan_rows: np.ndarray | None = None
        self._plan_starts: np.ndarray = np.zeros(1, dtype=np.int64)
        self._plan_ts: list[float] = []
        self._plan_first = 0
        """Row number of the plan's first report."""

    def add(self, item_id: str, seq: int, ts: float, sig: np.ndarray, keys: Sequence[int],
            empty: bool) -> None:
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
            return  # an empty text has no bands: never a candidate
        self.bands[at] = keys
        self.pending_rows.append(row)
        if not self.use_buckets:
            return  # the plan answers the look-ups; ensure_buckets() builds the dict if needed
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
        """File ``row`` under each of its band keys (one row: an int, several: a list)."""
        buckets = self.buckets
        for key in keys:
            held = buckets.get(key)
            if held is None:
                buckets[key] = row
            elif isinstance(held, list):
                held.append(row)
            else:
                buckets[key] = [held, row]

    def _drop(self, row: int) -> None:
        at = row - self.base
        if not self.indexed[at]:
            return
        self.indexed[at] = False
        if not self.use_buckets:
            return
        buckets = self.buckets
        for key in self.bands[at].tolist():
            held = buckets.get(key)
            if held == row:
                del buckets[key]
            elif isinstance(held, list):
                held.remove(row)

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
        in signing order (valid until the next :meth:`flush`)."""
        if self._plan_rows is not None:
            k = self.base + len(self.ts) - self._plan_first  # the report the next row will be
            if 0 <= k < len(self._plan_ts) and self._plan_ts[k] == ts:
                return self._plan_rows[self._plan_starts[k]:self._plan_starts[k + 1]]
            self.ensure_buckets()  # not a report of the plan: answer from the dict
        buckets = self.buckets
        found: set[int] = set()
        for key in keys:
            held = buckets.get(key)
            if held is None:
                continue
            if isinstance(held, list):
                found.update(held)
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
        Per report, the dict cost ~60 µs to fill, empty and ask; this costs a
        few. Returns False (nothing planned) when the chunk would pair up more
        reports than :data:`PLAN_PAIRS_MAX` (a template most reports share).
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
        later = np.flatnonzero((flat_at >= held) & (before > 0))
        counts = before[later]
        total = int(counts.sum())
        if total > PLAN_PAIRS_MAX:
            return False
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
        self._plan_rows = theirs_at
        self._plan_starts = np.searchsorted(mine_at, held + np.arange(len(ts) + 1))
        self._plan_ts = list(ts)
        self._plan_first = self.base + held
        if self.use_buckets:
            self.buckets = {}
            self.use_buckets = False
        return True

    def ensure_buckets(self) -> None:
        """Back to the dict (a chunk that could not be planned): fill it with the held rows."""
        self._plan_rows = None
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


class StoryIndex:
    """Story assignment over the archive's ``story_sigs``/``story_bands`` tables."""

    def __init__(self, archive: Archive, *, window_days: float = WINDOW_DAYS):
        self.archive = archive
        self.conn: sqlite3.Connection = archive.conn
        self.window = window_days * 86400
        self._docs: dict[str, StoryDoc] = {}
        self._sketches: dict[str, _Sketch] = {}
        self._run: _RunIndex | None = None
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

    def candidates(self, doc: StoryDoc, *, exclude: str | None = None) -> list[_Candidate]:
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
            out.append(_Candidate(r["seq"], r["item_id"], r["story"],
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

    def _sketch(self, item_id: str) -> _Sketch | None:
        """:class:`_Sketch` of an archived item (None when it is gone, as :meth:`_doc`)."""
        cached = self._sketches.get(item_id)
        if cached is not None:
            return cached
        doc = self._docs.get(item_id)
        sketch: _Sketch | None = None
        if doc is not None:
            sketch = _doc_sketch(doc)
        elif (pre := self._presigned.get(item_id)) is not None and pre.shingles is not None:
            row = self.conn.execute("SELECT content_hash, published_ts FROM items WHERE id = ?",
                                    (item_id,)).fetchone()
            if row is None:
                return None
            if row[0] == pre.content_hash:
                sketch = _pre_sketch(pre, row[1])
        if sketch is None:
            row = self.conn.execute(
                "SELECT title, content_html, summary, published_ts FROM items WHERE id = ?",
                (item_id,)).fetchone()
            if row is None:
                return None
            sketch = _row_sketch(row)
        self._keep_sketch(item_id, sketch)
        return sketch

    def _keep_sketch(self, item_id: str, sketch: _Sketch) -> None:
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
                           lambda: _doc_sketch(doc), exclude=exclude)

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
                blocks.append(_sig_rows(rows))
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
        for k in np.flatnonzero(_past_prefilter(sigs, sig)).tolist():
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
               full: Callable[[], StoryDoc], sketch: Callable[[], _Sketch], *,
               exclude: str | None) -> list[str]:
        """:meth:`match` given the signature; ``full`` builds the report's doc if a
        candidate is worth comparing (rare: most reports match nothing), ``sketch``
        what tells whether it is (:func:`_may_match`)."""
        if is_empty_signature(sig):
            return []
        matched: dict[str, bool] = {}
        vetoed: set[str] = set()
        doc: StoryDoc | None = None
        mine: _Sketch | None = None
        window_days = self.window / 86400
        for cand_id, cand_story in self._likely(sig, keys, ts, exclude):
            theirs = self._sketch(cand_id)
            if theirs is None:
                continue
            if mine is None:
                mine = sketch()
            if not _may_match(mine, theirs, window_days):
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
            self._run = _RunIndex(before, len(ids), self.window, evict=item_ids is None)
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

    def _plan(self, chunk: Sequence[str], presigned: Mapping[str, Presigned]) -> _Planned | None:
        """Let the run index answer the chunk's look-ups at once (:meth:`_RunIndex.plan`).

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
        planned = _Planned(list(chunk), {}, [], [], np.zeros((len(chunk), BANDS), dtype=np.int64),
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

    def _quiet(self, planned: _Planned) -> np.ndarray:
        """Which reports of a planned chunk have no candidate past :data:`PREFILTER`.

        For them :meth:`_likely` would return nothing, so :meth:`_match` finds no
        story and assigning them is only storing the signature. The plan already
        holds every report's candidates among the run's reports: their MinHash
        estimates are taken here for the whole chunk, a block of pairs at a time,
        instead of one call per report (~30 µs each, most of the assignment of a
        cold run, whose reports nearly all start their own story). Valid only
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
            passing[mine[_past_prefilter(run.sigs[theirs], planned.sigs[mine])]] = True
        quiet = ~passing
        if run.before > 0:
            for k in np.flatnonzero(quiet & ~np.asarray(planned.empty, dtype=bool)).tolist():
                ts = planned.ts[k]
                found = self._archived(planned.keys[k].tolist(), ts - self.window,
                                       ts + self.window, run.before, planned.ids[k])
                if found:
                    quiet[k] = not _past_prefilter(_sig_rows(found), planned.sigs[k]).any()
        return quiet

    def _in_order(self, planned: _Planned) -> bool:
        """Whether every report of the chunk will find the run index answering (its
        :meth:`_RunIndex.arrive` true): active, and no date earlier than the one before."""
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

    def _assign_planned(self, planned: _Planned, report: AssignReport) -> None:
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

            def sketch() -> _Sketch:
                made = _pre_sketch(pre, row["published_ts"])
                if made is None:
                    made = _row_sketch(self.conn.execute(
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

            def sketch() -> _Sketch:
                return _doc_sketch(doc)
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


class PresignStore(Mapping[str, Presigned]):
    """The :class:`Presigned` of a fetch run, on disk until the run assigns its stories.

    A cold run of 1,000 feeds signs ~19,000 reports in its workers; held in a
    dict until the end they were ~13 MB of the run's peak memory, and with
    their band keys and sketches (which spare the single-threaded assignment
    ~4 s) they would be ~60 MB. A TEMP table of the archive connection holds
    them instead: it lives in a temporary file with its own small page cache,
    is never synced, and disappears with the connection (derived data: a
    killed run signs its items again from the archive next time).
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        conn.execute("DROP TABLE IF EXISTS temp.warta_presigned")
        conn.execute(
            "CREATE TEMP TABLE warta_presigned (item_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, "
            "sig BLOB NOT NULL, bands BLOB NOT NULL, shingles BLOB, title TEXT NOT NULL)")

    def put(self, presigned: Mapping[str, Presigned]) -> None:
        """Keep ``presigned``: in the caller's open transaction (a fetch run writes them
        with the feed's items, one commit), or in a transaction of its own."""
        if not presigned:
            return
        rows = [(k, p.content_hash, p.sig, p.bands, p.shingles, p.title)
                for k, p in presigned.items()]
        sql = "INSERT OR REPLACE INTO temp.warta_presigned VALUES (?, ?, ?, ?, ?, ?)"
        if self.conn.in_transaction:
            self.conn.executemany(sql, rows)
        else:
            with self.conn:
                self.conn.executemany(sql, rows)

    def __getitem__(self, item_id: str) -> Presigned:
        row = self.conn.execute(
            "SELECT content_hash, sig, bands, shingles, title FROM temp.warta_presigned "
            "WHERE item_id = ?", (item_id,)).fetchone()
        if row is None:
            raise KeyError(item_id)
        return Presigned(row[0], row[1], row[2], row[3], row[4])

    def many(self, item_ids: Sequence[str]) -> dict[str, Presigned]:
        """The signatures of ``item_ids`` that are kept, in one query per few hundred ids
        (a chunk of 2,000 asked one by one was ~0.15 s of a cold run's assignment)."""
        return {row[0]: Presigned(row[1], row[2], row[3], row[4], row[5]) for row in select_in(
            self.conn, "SELECT item_id, content_hash, sig, bands, shingles, title "
            "FROM temp.warta_presigned WHERE item_id IN ({marks})", item_ids)}

    def __iter__(self) -> Iterator[str]:
        return iter([r[0] for r in self.conn.execute("SELECT item_id FROM temp.warta_presigned")])

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM temp.warta_presigned").fetchone()[0])

    def close(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.warta_presigned")


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


# -- lead report -----------------------------------------------------------------------


def seniority(source: Source | None) -> int:
    """Rank of an office for the lead rule: smaller is more senior."""
    if source is None:
        return UNKNOWN_SENIORITY
    rank = KIND_SENIORITY.get(source.kind, UNKNOWN_SENIORITY)
    if source.kind == "dprd" and source.region and "." in source.region:
        rank = KIND_SENIORITY["pemkab"]  # a regency/city DPRD ranks with its regency
    return rank


def lead_key(*, is_local: bool, source: Source | None, published_ts: float,
             item_id: str) -> tuple[int, int, float, str]:
    """Sort key: the smallest key is the story's lead report."""
    return (0 if is_local else 1, seniority(source), published_ts, item_id)
