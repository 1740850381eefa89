"""What the archive remembers of stories: each item's story and the stories merged away."""

from __future__ import annotations

from ..core.records import ArchivedItem
from .items import ItemStore


class StoryStore(ItemStore):
    """Story membership of archived items."""

    def set_story(self, item_id: str, story: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE items SET story = ? WHERE id = ?", (story, item_id))

    def story_members(self, story: str) -> list[ArchivedItem]:
        """Every archived report of ``story`` (an absorbed story id is followed), oldest first."""
        row = self.conn.execute("SELECT story FROM story_merges WHERE absorbed = ?",
                                (story,)).fetchone()
        if row is not None:
            story = row["story"]
        rows = self.conn.execute("SELECT * FROM items WHERE story = ? ORDER BY published_ts, id",
                                 (story,))
        return [self._row_item(r) for r in rows]

