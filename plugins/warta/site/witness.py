"""Which output files the last build left in place, known without looking at each one.

An incremental build keeps most pages as the previous build wrote them, and must
know they are still there. Asking the file system for each one costs a
``stat`` per page: 140,000 at 100,000 reports and 1.4 million at a million, and
once the output no longer fits the page cache each is a read from the disk: at
a million reports, most of an hour's build would be waiting on them.

A page disappears by removing its file from a folder, or its own folder (a
report's page is ``…/<slug>/index.html``) from the folder above: either
changes that folder's modification time. So the build state records, for the
folder that witnesses each page (:func:`witness_of`), its modification time
when the build ended. The next build checks those few thousand folders, each
once (the writer all of them before it writes anything); a page whose witness is
unchanged is there. Everything else (a folder touched since, a page not in the
state) is looked up as before.

Not noticed: an ``index.html`` deleted by hand while its folder is left in
place. ``invoke build --full`` rebuilds everything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

INDEX = "index.html"

LOOKED_UP_KEY = "warta_looked_up"
"""Context key: files the settled step had to look up (added to the build's statistics)."""


def witness_of(rel: str) -> str:
    """The folder whose modification time changes when page ``rel`` is removed.

    ``a/b/slug/index.html`` → ``a/b`` (removing the page folder changes it);
    any other file → its own folder. ``""`` is the output folder itself.
    """
    folder, name = os.path.split(rel)
    if name == INDEX:
        folder = os.path.dirname(folder)
    return folder


def record(root: str, rels: Iterable[str]) -> dict[str, int]:
    """Witness folder → its modification time (ns), for the files ``rels`` under ``root``.

    Taken when the build has written and deleted everything.
    """
    out: dict[str, int] = {}
    for folder in {witness_of(rel) for rel in rels}:
        try:
            out[folder] = os.stat(os.path.join(root, folder)).st_mtime_ns
        except OSError:
            continue
    return out


class Witness:
    """Answers "is this file of the previous build still there?" from the recorded folders."""

    def __init__(self, root: str, pages: Mapping[str, object], folders: Mapping[str, int]):
        self.root = root
        self.pages = pages
        """The previous build's outputs (relative path → anything)."""
        self.folders = folders
        self._checked: dict[str, bool] = {}
        self.looked_up = 0
        """Files whose presence had to be asked of the file system."""

    @classmethod
    def of_state(cls, root: str, state: Mapping[str, object]) -> Witness:
        pages = state.get("pages")
        folders = state.get("witnesses")
        return cls(root, pages if isinstance(pages, Mapping) else {},
                   folders if isinstance(folders, Mapping) else {})

    def check_all(self) -> Witness:
        """Look at every recorded folder now, before this build writes into any of them.

        A build adds pages to the very folders that witness the pages it keeps (a new
        report in its month's folder): checked later, they would all look changed.
        """
        for folder in self.folders:
            self._unchanged(folder)
        return self

    def _unchanged(self, folder: str) -> bool:
        found = self._checked.get(folder)
        if found is None:
            recorded = self.folders.get(folder)
            try:
                found = (recorded is not None
                         and os.stat(os.path.join(self.root, folder)).st_mtime_ns == recorded)
            except OSError:
                found = False
            self._checked[folder] = found
        return found

    def exists(self, rel: str, path: str | None = None) -> bool:
        """Whether the file ``rel`` (``path``: its absolute path, when known) exists."""
        if rel in self.pages and self._unchanged(witness_of(rel)):
            return True
        self.looked_up += 1
        return os.path.exists(path or os.path.join(self.root, rel))
