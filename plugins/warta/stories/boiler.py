"""Text a source repeats across its own items is that source's boilerplate, not news.

A summary-only feed gives every item the same description (a site tagline,
"Baca selengkapnya…", a disclaimer), some CMSs put one template paragraph
into every post, and recurring announcements reuse one body. Shared text is
what groups reports into a story, so such text would glue a source's
unrelated reports together, and make every one of them a candidate of every
other. Story text therefore leaves out each paragraph that :data:`REPEATS` or
more of the source's :data:`RECENT_ITEMS` newest items carry (learned from the
archive, ``story_paras``) — or, when it is all the report says, that
:data:`WHOLE_REPEATS` of them carry; titles and the remaining text decide.
The archived item itself is not changed: readers still see the paragraph.

A paragraph shared by just two items of one office is more often the
background of a running event (day one and day three of a training) than a
template, and other offices' reports of the event share it too; a whole text
seen twice is a template or a summary-only feed's description. Items posted
under one title within :data:`REPOST_SECONDS` of each other count as one post:
an office that publishes its release again (a corrected copy, a second URL)
has not made its text a template, and the release must still group with the
other offices' copies. The same text under the same title the next day is a
recurring announcement, and counts again.

A paragraph is one line of the text sentences are cut from (blocks become
lines), keyed by a hash of its norms (:func:`~warta.stories.text.norms`), so
markup, case, stopwords and spacing do not make two copies differ.
"""

from __future__ import annotations

import hashlib
import html
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .text import _norm_bytes, _sentence_source

RECENT_ITEMS = 50
"""Items per source whose paragraphs are remembered: a few days to weeks of a busy office,
longer than the date window in which reports can group."""
REPEATS = 3
"""A paragraph in this many of a source's remembered items is that source's boilerplate."""
WHOLE_REPEATS = 2
"""…and so is a report's whole text when every paragraph of it is in this many."""
REPOST_SECONDS = 12 * 3600.0
"""Items of one title within this of the first are one post (:class:`SourceBoilerplate`):
well under a day, so a daily announcement posted a little earlier each day still recurs."""


def line_key(norms: Sequence[bytes]) -> int:
    """Signed 63-bit key of one paragraph's norms (SQLite-sized, as band keys)."""
    digest = hashlib.blake2b(b" ".join(norms), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) >> 1


def paragraph_lines(content_html: str) -> list[str]:
    """The paragraphs of a report's story text (lines of the sentence source)."""
    return _sentence_source(content_html).split("\n")


_LINE_KEYS: dict[str, int | None] = {}
"""Paragraph text → its key (None: no words). Boilerplate is text met again and again, so
most look-ups are hits; cleared when full."""
_LINE_KEYS_MAX = 20_000


def paragraph_key(line: str) -> int | None:
    """The key of one paragraph's text (None when it has no words)."""
    known = _LINE_KEYS.get(line, 0)
    if known != 0:
        return known
    norms = _norm_bytes(line)
    key = line_key(norms) if norms else None
    if len(_LINE_KEYS) >= _LINE_KEYS_MAX:
        _LINE_KEYS.clear()
    _LINE_KEYS[line] = key
    return key


def paragraph_keys(content_html: str) -> list[int]:
    """One key per paragraph that has words, in order."""
    return [k for line in paragraph_lines(content_html) if (k := paragraph_key(line)) is not None]


def keys_blob(keys: Iterable[int]) -> bytes:
    return np.fromiter(keys, dtype="<i8").tobytes()


def keys_from_blob(blob: bytes) -> list[int]:
    return np.frombuffer(blob, dtype="<i8").tolist()


def dropped(keys: Sequence[int], seen: Mapping[int, int]) -> set[int]:
    """Which of a report's paragraph ``keys`` are boilerplate, given how many of the
    source's items carry each (``seen``: the keys carried by two or more)."""
    if not keys or not seen:
        return set()
    if all(seen.get(k, 0) >= WHOLE_REPEATS for k in keys):
        return set(keys)
    return {k for k in keys if seen.get(k, 0) >= REPEATS}


def without(content_html: str, seen: Mapping[int, int]) -> str:
    """``content_html`` minus its boilerplate paragraphs (:func:`dropped`; unchanged when
    it has none).

    The kept paragraphs become ``<p>`` blocks, which give the same lines, sentences and
    norms as the original blocks did.
    """
    if not seen or not content_html:
        return content_html
    lines = [(line, paragraph_key(line)) for line in paragraph_lines(content_html)]
    drop = dropped([k for _, k in lines if k is not None], seen)
    if not drop:
        return content_html
    return "".join(f"<p>{html.escape(line.strip(), quote=False)}</p>" for line, key in lines
                   if line.strip() and key not in drop)


class SourceBoilerplate:
    """Each source's learned boilerplate paragraphs, read from and kept in ``story_paras``."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._known: dict[str, dict[int, int]] = {}

    def learn(self, rows: Iterable[tuple[str, str, float, list[int], str | None]]) -> None:
        """Remember ``(item_id, source_id, ts, keys, title)`` of new or changed items, then
        forget all but each touched source's :data:`RECENT_ITEMS` newest. Call in a
        transaction."""
        touched: set[str] = set()
        batch = []
        for item_id, source_id, ts, keys, title in rows:
            batch.append((item_id, source_id, ts, keys_blob(dict.fromkeys(keys)),
                          paragraph_key(title or "")))
            touched.add(source_id)
        self.conn.executemany(
            "INSERT OR REPLACE INTO story_paras (item_id, source_id, ts, keys, title_key) "
            "VALUES (?, ?, ?, ?, ?)", batch)
        for source_id in sorted(touched):
            self.conn.execute(
                "DELETE FROM story_paras WHERE source_id = ? AND item_id NOT IN ("
                "SELECT item_id FROM story_paras WHERE source_id = ? "
                "ORDER BY ts DESC, item_id DESC LIMIT ?)", (source_id, source_id, RECENT_ITEMS))
            self._known.pop(source_id, None)

    def of(self, source_id: str | None) -> Mapping[int, int]:
        """The paragraph keys that two or more of ``source_id``'s remembered items carry,
        with how many do (empty for no source): what :func:`dropped` reads."""
        if not source_id:
            return {}
        known = self._known.get(source_id)
        if known is None:
            counts: Counter[int] = Counter()
            post: set[int] = set()
            last: tuple[int | None, float] = (None, 0.0)
            for blob, title, ts in self.conn.execute(
                    "SELECT keys, title_key, ts FROM story_paras WHERE source_id = ? "
                    "ORDER BY title_key, ts", (source_id,)):
                if title is None or title != last[0] or ts - last[1] >= REPOST_SECONDS:
                    counts.update(post)  # the post before this one, counted once
                    post = set()
                    last = (title, ts)  # measured from the post's first copy
                post.update(keys_from_blob(blob))
            counts.update(post)
            known = {k: n for k, n in counts.items() if n >= min(REPEATS, WHOLE_REPEATS)}
            self._known[source_id] = known
        return known
