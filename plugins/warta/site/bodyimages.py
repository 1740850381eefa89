"""The ``<img>`` tags of report bodies, parsed once per distinct body and remembered.

The image step needs every body's images in every build: which images to
bring up to date, whether the lead image also appears in the body, what a
page's fingerprint depends on. Parsing 100,000 bodies with BeautifulSoup
takes minutes, and almost all of them are the bodies of the previous hour.
So each body's images are kept in a small SQLite file beside the image cache,
keyed by a digest of the body: a build parses only the bodies it has not seen.

For an archived report the image step remembers what it makes of the tags
(the image addresses, :meth:`BodyImages.remember`), under a key naming the
report's content hash and the code that made it; bodies without images are
remembered too, so a build reads no body it does not show.

The file is derived data: deleted or unreadable, it is rebuilt by parsing
again, and a build never fails because of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

log = logging.getLogger(__name__)

ImgTag = tuple[str | None, str | None, str | None]
"""One ``<img>``: its ``src``, ``width`` and ``height`` attributes as written (None if absent)."""

FILE_NAME = "bodies.sqlite"


def parse_imgs(content: str) -> tuple[ImgTag, ...]:
    """The ``<img>`` tags of an HTML body, in document order."""
    if "<img" not in content:
        return ()
    soup = BeautifulSoup(content, "html.parser")
    return tuple(tuple(_attr(img, name) for name in ("src", "width", "height"))  # type: ignore[misc]
                 for img in soup.find_all("img"))


def _attr(tag: object, name: str) -> str | None:
    value = tag.get(name)  # type: ignore[attr-defined]
    if value is None:
        return None
    return " ".join(value) if isinstance(value, list) else str(value)


def body_key(content: str) -> str:
    return hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class BodyImages:
    """Body → its :data:`ImgTag` list (and other values remembered per body, :meth:`remember`),
    from the file when the body was seen before.

    ``parsed`` and ``reused`` count this build's values computed and taken from the file.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self._known: dict[str, str] = {}
        self._new: dict[str, str] = {}
        self._seen: set[str] = set()
        self._memo: dict[str, tuple[ImgTag, ...]] = {}
        self.parsed = 0
        self.reused = 0
        if path is not None and path.exists():
            try:
                with closing(_connect(path)) as conn:
                    self._known = dict(conn.execute("SELECT key, imgs FROM bodies"))
            except (sqlite3.Error, OSError) as exc:
                log.warning("%s tidak terbaca (%s); gambar dalam isi berita diurai ulang", path, exc)
                self._known = {}

    def of(self, content: str) -> tuple[ImgTag, ...]:
        if "<img" not in content:
            return ()
        key = body_key(content)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = tuple(
                tuple(t) for t in self.remember(key, lambda: parse_imgs(content)))  # type: ignore[misc]
        return found

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` (a JSON value), from the file if it was computed under ``key`` before.

        ``key`` must name everything the value depends on.
        """
        self._seen.add(key)
        stored = self._known.get(key)
        if stored is not None:
            try:
                value = json.loads(stored)
                self.reused += 1
                return value
            except ValueError:
                pass
        value = compute()
        self._new[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        self.parsed += 1
        return value

    def save(self) -> None:
        """Store the values computed in this build; forget those no article asked for.

        Call only after every article of the build went through :meth:`of` or :meth:`remember`.
        """
        stale = [k for k in self._known if k not in self._seen]
        if self.path is None or not (self._new or stale):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(_connect(self.path)) as conn, conn:
                conn.executemany("INSERT OR REPLACE INTO bodies (key, imgs) VALUES (?, ?)",
                                 self._new.items())
                conn.executemany("DELETE FROM bodies WHERE key = ?", ((k,) for k in stale))
        except (sqlite3.Error, OSError) as exc:
            log.warning("%s tidak dapat ditulis (%s); build berikutnya mengurai ulang", self.path, exc)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, imgs TEXT NOT NULL)")
    return conn
