"""The durable archive: one SQLite file holding every item ever seen.

:class:`Archive` is one object built from a store per thing it keeps, each in its own
module: items and withdrawals (:mod:`.items`), story membership (:mod:`.stories`),
fetch state and source health (:mod:`.feedstate`), images (:mod:`.images`), the ways
of reading ``discover`` sources found by the fetch run (:mod:`.discovery`), on the
connection and write units of :mod:`.base`. Thin typed access; not shared across threads.
"""

from __future__ import annotations

from .discovery import DiscoveryStore
from .feedstate import FeedStateStore
from .images import ImageStore
from .stories import StoryStore


class Archive(StoryStore, FeedStateStore, ImageStore, DiscoveryStore):
    """The archive: every store over one connection."""
