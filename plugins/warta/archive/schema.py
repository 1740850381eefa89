"""The archive's current schema, in one statement a newcomer can read.

A new archive is made from :data:`SCHEMA`; an older one reaches the same tables through
the numbered steps of :mod:`warta.archive.migrations` (``tests/archive/test_schema.py``
checks that both give the same columns, keys and indexes). Times are ISO 8601 strings;
``*_ts`` columns are POSIX seconds for ordering.
"""

from __future__ import annotations

SCHEMA = """
-- One row per registry source: its health, rolled up from its feeds.
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    last_attempt TEXT,            -- ISO 8601 UTC
    last_success TEXT,
    last_status TEXT,             -- ok | not_modified | error
    http_status INTEGER,
    error_class TEXT,             -- stable identifier, see core.messages
    error_message TEXT,           -- Indonesian, for people
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since TEXT
);

-- One row per way of reading a source (a feed URL, a WordPress API, a sitemap, a listing page).
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
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,            -- backed off until then after failures
    method TEXT NOT NULL DEFAULT 'feed',  -- feed | wordpress | sitemap | html
    note TEXT                     -- Indonesian, e.g. why a method fell back to another
);

-- Every item ever seen, keyed by source + guid; never deleted because it left its feed.
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
    place TEXT,                   -- the dateline's place
    credits TEXT NOT NULL DEFAULT '{}',
    via TEXT NOT NULL DEFAULT 'feed',
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    modified_at TEXT,
    story TEXT NOT NULL,          -- the story it belongs to (its own id until grouped)
    sort_ts REAL NOT NULL,        -- min(published, first seen): rewritten dates cannot jump
    UNIQUE (source_id, key)
);
CREATE INDEX items_sort ON items (sort_ts DESC);
-- Every column but the body, in the build's order: a build reads all rows from this index
-- alone, a tenth of the table's pages, instead of every row with its body.
CREATE INDEX items_listing ON items (sort_ts DESC, id, source_id, key, link, title, summary,
    published, date_estimated, updated, authors, tags, category, image, place, credits, via,
    first_seen, last_seen, modified_at, story, content_hash);
CREATE INDEX items_source ON items (source_id, sort_ts DESC);
CREATE INDEX items_story ON items (story);
CREATE INDEX items_source_published ON items (source_id, published_ts);
CREATE INDEX items_source_first_seen ON items (source_id, first_seen);

-- Each item as received, to clean it again when the clean-up improves.
CREATE TABLE item_raw (
    item_id TEXT PRIMARY KEY,
    raw TEXT NOT NULL             -- the RawEntry as JSON
);

-- For each source registered with `discover: true`: the ways of reading it the fetch run
-- found (read by later runs without searching again), and the search's own backoff.
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

-- One row per fetch run, its report as JSON.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    report TEXT
);

-- Article pages and sitemaps that feedless methods visited.
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

-- robots.txt, asked once a day per origin.
CREATE TABLE robots (
    origin TEXT PRIMARY KEY,      -- scheme://host[:port]
    status INTEGER,
    body TEXT,
    fetched_at TEXT NOT NULL
);

-- Each image use per source and what became of it.
CREATE TABLE images (
    source_id TEXT NOT NULL,
    url TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'lead',   -- lead | body | logo
    status TEXT NOT NULL,                -- ok | failed
    error_class TEXT,
    error_message TEXT,                  -- Indonesian, for people
    http_status INTEGER,
    first_seen TEXT NOT NULL,
    last_attempt TEXT,
    last_success TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, url)
);
CREATE INDEX images_status ON images (source_id, status);

-- Story grouping: each item's MinHash signature, its LSH bands, and merged stories.
CREATE TABLE story_sigs (
    seq INTEGER PRIMARY KEY,      -- assignment order: the older story wins a merge
    item_id TEXT NOT NULL UNIQUE REFERENCES items (id),
    ts REAL NOT NULL,             -- published_ts, for the date window
    content_hash TEXT NOT NULL,   -- the item version the signature describes
    sig BLOB NOT NULL             -- MinHash values, little-endian uint32
);
CREATE INDEX story_sigs_ts ON story_sigs (ts);
CREATE TABLE story_bands (
    band_key INTEGER NOT NULL,    -- LSH band hash (stories.text.band_keys)
    day INTEGER NOT NULL,         -- floor(ts / 86400): a look-up reads only its date window
    seq INTEGER NOT NULL,
    PRIMARY KEY (band_key, day, seq)
) WITHOUT ROWID;
CREATE TABLE story_merges (
    absorbed TEXT PRIMARY KEY,    -- a story id that no longer exists…
    story TEXT NOT NULL,          -- …and the story it now belongs to
    merged_at TEXT NOT NULL
);
-- The paragraphs of each source's newest items: what a source repeats in every post is its
-- boilerplate, left out of story text (stories.boiler). Derived: may be emptied.
CREATE TABLE story_paras (
    item_id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    ts REAL NOT NULL,             -- published_ts: a source's newest items are kept
    keys BLOB NOT NULL,           -- paragraph keys, little-endian int64, distinct
    title_key INTEGER             -- the title's key: a repost under one title is one post
);
CREATE INDEX story_paras_source ON story_paras (source_id, ts);

-- Withdrawals in force (takedowns.yml): matching items are hidden everywhere, kept here.
CREATE TABLE takedowns (
    key TEXT PRIMARY KEY,         -- 'id:<item id>' or 'url:<normalized original URL>'
    item_id TEXT,
    url TEXT,                     -- normalized (archive.takedowns.normalize_url)
    reason TEXT NOT NULL,
    date TEXT NOT NULL,           -- ISO date of the withdrawal
    recorded_at TEXT NOT NULL     -- when the archive first saw this entry
);
"""
"""Every table and index of an archive at the newest migration."""
