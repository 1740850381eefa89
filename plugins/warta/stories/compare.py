"""Whether two reports tell the same event: the pairwise judgement of story grouping.

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
4. **Title only** — a report with no text besides its source's boilerplate
   (:mod:`warta.stories.boiler`) is judged by its title: the titles must
   share :data:`TITLE_ONLY_MIN` of their words, and not each have a number,
   or a name, that the other lacks (two offices each naming themselves
   excepted). A
   summary-only feed's items stay apart while the same announcement from two
   such feeds groups.

"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from .presign import Presigned
from .text import DAY_NAMES, Token, features, norms, shingle_hashes, shingle_set, signature

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
SMALL_SETS = 200
"""Shingles of two reports below which their overlap is counted with a Python set."""
TITLE_ONLY_MIN = 0.6
"""A report with no text of its own (its source's boilerplate left out) is told by its
title alone: titles this alike, with no name or number replaced by another."""
"""Two sentences this alike (token Jaccard) are one sentence rewritten: diff them."""

OFFICE_WORDS = frozenset({"pemkab", "pemkot", "pemprov", "kab", "kota", "prov", "provinsi", "dprd",
                          "humas", "diskominfo", "kominfo", "polda", "polres", "setda", "demo"})


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
class Sketch:
    """What :func:`compare` reads before it can reject a pair on its text (steps 1–2).

    Nearly every candidate that passes the MinHash prefilter is still rejected
    there, and this is far cheaper to make than a :class:`StoryDoc`
    (:func:`~warta.stories.text.shingle_set` skips building Tokens and sentences)
    — or free, when the fetch worker made it (:class:`Presigned`). The
    shingles are held as :func:`~warta.stories.text.shingle_hashes` (~2 KB, not ~20).
    """

    ts: float
    title: frozenset[str]
    shingles: np.ndarray


def text_sketch(title: str, content_html: str, ts: float) -> Sketch:
    """What :func:`compare`'s date and text test reads, without tokenizing the report."""
    return Sketch(ts, frozenset(norms(title)), shingle_hashes(shingle_set(title, content_html)))


def row_sketch(row: sqlite3.Row) -> Sketch:
    """:func:`text_sketch` of an archive row (a summary-only item is compared on its summary)."""
    return text_sketch(row["title"], row["content_html"] or row["summary"], row["published_ts"])


def doc_sketch(doc: StoryDoc) -> Sketch:
    return Sketch(doc.ts, frozenset(t.norm for t in doc.title), shingle_hashes(doc.shingles))


def pre_sketch(pre: Presigned, ts: float) -> Sketch | None:
    """The sketch a worker made (None when this :class:`Presigned` does not carry one)."""
    if pre.shingles is None:
        return None
    return Sketch(ts, frozenset(pre.title.split()), np.frombuffer(pre.shingles, dtype="<u8"))


def may_match(a: Sketch, b: Sketch, window_days: float) -> bool:
    """False when :func:`compare` would reject the pair on its date or text (no join, no veto).

    The same test as :func:`gate`, on the shingles' numbers: the same Jaccard
    (both are sets of distinct values; see :func:`~warta.stories.text.shingle_hashes`).
    """
    if abs(a.ts - b.ts) > window_days * 86400:
        return False
    if not a.shingles.size or not b.shingles.size:
        text = 0.0
    else:
        if a.shingles.size + b.shingles.size < SMALL_SETS:  # a set is quicker than numpy's set-up
            shared = len(set(a.shingles.tolist()).intersection(b.shingles.tolist()))
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
    sa = a if isinstance(a, (set, frozenset)) else set(a)
    sb = b if isinstance(b, (set, frozenset)) else set(b)
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


def gate(a_ts: float, b_ts: float, a_shingles: Iterable[bytes], b_shingles: Iterable[bytes],
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


def same_text(a: Sketch, b: Sketch) -> bool:
    """Whether two reports have the same title words and the same shingles: copies of one
    text, which :func:`compare` (within the date window) cannot tell apart."""
    return a.title == b.title and np.array_equal(a.shingles, b.shingles)


def _title_facts(a: StoryDoc, b: StoryDoc) -> tuple[int, int]:
    """(hard, soft) of two titles: a number, or a name, that each title has and the other
    lacks — one replaced by another (unless each title's is its own office's name)."""
    def facts(doc: StoryDoc, kind: str) -> set[str]:
        return {t.norm for t in doc.title if t.kind == kind}

    hard = bool(facts(a, "num") - facts(b, "num")) and bool(facts(b, "num") - facts(a, "num"))
    a_only = facts(a, "name") - facts(b, "name")
    b_only = facts(b, "name") - facts(a, "name")
    # Two offices each naming themselves ("Pemkab Kudus …" / "Pemkab Pati …") is no conflict.
    soft = bool(a_only) and bool(b_only) and not (a_only <= a.own and b_only <= b.own)
    return int(hard), int(soft)


def compare(a: StoryDoc, b: StoryDoc, *, window_days: float = WINDOW_DAYS) -> Verdict:
    """Do ``a`` and ``b`` report the same event? See the module docstring."""
    failed, text, title = gate(a.ts, b.ts, a.shingles, b.shingles,
                                (t.norm for t in a.title), (t.norm for t in b.title), window_days)
    if failed is not None:
        return Verdict(False, text, title, reason=failed)
    if not a.body or not b.body:
        if title < TITLE_ONLY_MIN:
            return Verdict(False, text, title, reason="title")
        hard, soft = _title_facts(a, b)
        if hard or soft:
            return Verdict(False, text, title, hard, soft, reason="conflict")
        return Verdict(True, text, title, reason="match")
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
