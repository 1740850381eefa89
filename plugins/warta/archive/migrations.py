"""The archive's numbered migrations: how an archive of any earlier version reaches today's.

Each step runs once, in order, in the transaction that records its number in
``PRAGMA user_version``. A new archive skips them and is made from
:data:`warta.archive.schema.SCHEMA` (a test keeps the two equal). Steps are never
edited once released: a change to the schema is a new step here and an edit of
``schema.py``.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: the foundation schema.
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        last_attempt TEXT,            -- ISO 8601 UTC
        last_success TEXT,
        last_status TEXT,             -- ok | not_modified | error
        http_status INTEGER,
        error_class TEXT,             -- stable identifier, see messages.ERROR_MESSAGES
        error_message TEXT,           -- Indonesian, for people
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        failing_since TEXT
    );
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        source_id TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,               -- skip parsing when the bytes did not change
        last_attempt TEXT,
        last_success TEXT,
        http_status INTEGER,
        error_class TEXT,
        error_message TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE items (
        id TEXT PRIMARY KEY,          -- sha1(source \\0 key)[:16]
        source_id TEXT NOT NULL,
        key TEXT NOT NULL,            -- guid, else link, else a content hash
        link TEXT,
        title TEXT NOT NULL,
        content_html TEXT NOT NULL,   -- sanitized
        summary TEXT NOT NULL,        -- plain text
        published TEXT NOT NULL,      -- ISO 8601 in the source's own offset
        published_ts REAL NOT NULL,
        date_estimated INTEGER NOT NULL DEFAULT 0,
        updated TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        tags TEXT NOT NULL DEFAULT '[]',
        category TEXT,
        image TEXT,
        place TEXT,
        credits TEXT NOT NULL DEFAULT '{}',
        via TEXT NOT NULL DEFAULT 'feed',
        raw TEXT NOT NULL,            -- the RawEntry as received, to re-clean later
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        modified_at TEXT,
        story TEXT NOT NULL,
        sort_ts REAL NOT NULL,        -- min(published, first seen): rewritten dates cannot jump
        UNIQUE (source_id, key)
    );
    CREATE INDEX items_sort ON items (sort_ts DESC);
    CREATE INDEX items_source ON items (source_id, sort_ts DESC);
    CREATE INDEX items_story ON items (story);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        report TEXT                   -- JSON summary of the run
    );
    """,
    # 2: per-feed backoff: a failing feed is retried later and
    # later, capped at a day, never abandoned.
    """
    ALTER TABLE feeds ADD COLUMN next_attempt TEXT;
    """,
    # 3: sites without a feed — the method of each feed entry and why it
    # failed, a per-URL cache of article pages and sitemaps seen, and robots.txt.
    """
    ALTER TABLE feeds ADD COLUMN method TEXT NOT NULL DEFAULT 'feed';
    ALTER TABLE feeds ADD COLUMN note TEXT;   -- Indonesian: fallback used, pages skipped…
    CREATE TABLE pages (
        source_id TEXT NOT NULL,
        url TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'article',  -- article | sitemap
        lastmod TEXT,                 -- as the sitemap stated it, to notice changes
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,
        item_key TEXT,                -- the archived item this page produced
        first_seen TEXT NOT NULL,
        last_fetched TEXT,
        http_status INTEGER,
        error_class TEXT,
        error_message TEXT,
        PRIMARY KEY (source_id, url)
    );
    CREATE TABLE robots (
        origin TEXT PRIMARY KEY,      -- scheme://host[:port]
        status INTEGER,
        body TEXT,
        fetched_at TEXT NOT NULL
    );
    """,
    # 4: every image a source's items use, and whether we could serve it.
    """
    CREATE TABLE images (
        source_id TEXT NOT NULL,
        url TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'lead',   -- lead | body | logo
        status TEXT NOT NULL,                -- ok | failed
        error_class TEXT,                    -- see messages.IMAGE_ERROR_MESSAGES
        error_message TEXT,                  -- Indonesian, for people
        http_status INTEGER,
        first_seen TEXT NOT NULL,
        last_attempt TEXT,
        last_success TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source_id, url)
    );
    CREATE INDEX images_status ON images (source_id, status);
    """,
    # 5: story grouping. The story itself stays in items.story.
    """
    CREATE TABLE story_sigs (
        seq INTEGER PRIMARY KEY,      -- assignment order: the older story wins a merge
        item_id TEXT NOT NULL UNIQUE REFERENCES items (id),
        ts REAL NOT NULL,             -- published_ts, for the date window
        content_hash TEXT NOT NULL,   -- the item version the signature describes
        sig BLOB NOT NULL             -- MinHash values, little-endian uint32
    );
    CREATE INDEX story_sigs_ts ON story_sigs (ts);
    CREATE TABLE story_bands (
        band_key INTEGER NOT NULL,    -- LSH band hash (storytext.band_keys)
        day INTEGER NOT NULL,         -- floor(ts / 86400): a look-up reads only its date window,
        seq INTEGER NOT NULL,         -- not every year's copy of a recurring template
        PRIMARY KEY (band_key, day, seq)
    ) WITHOUT ROWID;
    CREATE TABLE story_merges (
        absorbed TEXT PRIMARY KEY,    -- a story id that no longer exists…
        story TEXT NOT NULL,          -- …and the story it now belongs to
        merged_at TEXT NOT NULL
    );
    """,
    # 6: withdrawal tombstones, synced from takedowns.yml at each build. Items stay
    # in `items`; reads for publishing leave out any item matching a tombstone, so a re-fetch
    # of the same feed cannot bring a withdrawn item back.
    """
    CREATE TABLE takedowns (
        key TEXT PRIMARY KEY,         -- 'id:<item id>' or 'url:<normalized original URL>'
        item_id TEXT,
        url TEXT,                     -- normalized (takedowns.normalize_url)
        reason TEXT NOT NULL,
        date TEXT NOT NULL,           -- ISO date of the withdrawal
        recorded_at TEXT NOT NULL     -- when the archive first saw this entry
    );
    """,
    # 7: per-source item count and newest date (health, read by every build) from
    # a covering index instead of a scan of the items table and its bodies (37 s at 20k items
    # on a cold page cache).
    """
    CREATE INDEX items_source_published ON items (source_id, published_ts);
    """,
    # 8: each source's first sighting (the /status/ delay figures) without a scan.
    """
    CREATE INDEX items_source_first_seen ON items (source_id, first_seen);
    """,
    # 9: the feed entry as received moves to its own table. It is as large as the
    # body and sat before content_hash, first_seen, story…: every read of those (each build
    # reads all items) walked its overflow pages. It is read only to re-clean an item.
    """
    CREATE TABLE item_raw (
        item_id TEXT PRIMARY KEY,
        raw TEXT NOT NULL             -- the RawEntry as received, to re-clean later
    );
    INSERT INTO item_raw (item_id, raw) SELECT id, raw FROM items;
    ALTER TABLE items DROP COLUMN raw;
    """,
    # 10: how each source registered with `discover: true` is read, as the fetch run found it.
    """
    CREATE TABLE discovered (
        source_id TEXT PRIMARY KEY,
        homepage TEXT NOT NULL,       -- the homepage searched: another one is searched anew
        methods TEXT NOT NULL DEFAULT '[]',  -- JSON [{"method", "url", "options"}], best first
        found_by TEXT,                -- Indonesian: where the first method was found
        items INTEGER NOT NULL DEFAULT 0,    -- news items the search saw there
        found_at TEXT,                -- when these methods were found
        last_attempt TEXT NOT NULL,
        error_class TEXT,             -- why the last search found nothing
        error_message TEXT,           -- Indonesian, for people
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT             -- no new search before this
    );
    """,
    # 11: the paragraphs of each source's newest items, from which story grouping learns the
    # text a source repeats in every post (warta.stories.boiler). Derived: may be emptied.
    """
    CREATE TABLE story_paras (
        item_id TEXT PRIMARY KEY,
        source_id TEXT NOT NULL,
        ts REAL NOT NULL,             -- published_ts: a source's newest items are kept
        keys BLOB NOT NULL            -- paragraph keys, little-endian int64, distinct
    );
    CREATE INDEX story_paras_source ON story_paras (source_id, ts);
    """,
    # 12: each item's title key beside its paragraphs: the same text posted again under the
    # same title within a day is one post (a repost), not a template (warta.stories.boiler).
    """
    ALTER TABLE story_paras ADD COLUMN title_key INTEGER;
    """,
    # 13: the build reads every row without its body from one covering index.
    """
    CREATE INDEX items_listing ON items (sort_ts DESC, id, source_id, key, link, title, summary,
        published, date_estimated, updated, authors, tags, category, image, place, credits, via,
        first_seen, last_seen, modified_at, story, content_hash);
    """,
)


def split_sql(script: str) -> list[str]:
    """Statements of a migration script (``executescript`` would commit our transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
