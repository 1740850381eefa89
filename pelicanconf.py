"""Pelican settings for Warta (development and the offline demo)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from warta.images import template as images  # noqa: E402
from warta.site import display  # noqa: E402
from warta.site import stories as stories_site  # noqa: E402

AUTHOR = "Warta"
SITENAME = "Warta"
SITESUBTITLE = "Kabar resmi humas pemerintah se-Indonesia dalam satu tempat"
SITEURL = ""
WARTA_DEV_SITEURL = "http://127.0.0.1:8000"

PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_DATE_FORMAT = "%d-%m-%Y"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["warta"]

# The Warta plugin: registry folder and archive file (relative to this file).
WARTA_ROOT = str(ROOT)
WARTA_SOURCES = "sources"
WARTA_DB = "var/warta.sqlite"
WARTA_MAX_ITEMS = None

ARTICLE_URL = "berita/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "kategori/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_SAVE_AS = "kategori/index.html"
TAG_URL = "topik/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_SAVE_AS = "topik/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = "arsip/index.html"
YEAR_ARCHIVE_URL = "arsip/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "arsip/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"

FEED_DOMAIN = WARTA_DEV_SITEURL
# Feeds are written by the Warta plugin (plugins/warta/feeds_out.py), one generic writer for every
# listing, at the same public paths: feeds/semua.atom.xml, feeds/kategori/{slug}.atom.xml, …
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 50

DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/halaman/{number}/", "{base_name}/halaman/{number}/index.html"),
)
SUMMARY_MAX_LENGTH = 40

# Issue 5 — images: fetched once into a persistent cache, validated, resized to
# WebP + JPEG derivatives in output/media/, placeholders on failure.
WARTA_IMAGES = True
WARTA_IMAGE_CACHE = os.environ.get("WARTA_IMAGE_CACHE", "var/images")
# True: cache only, no image download (invoke build --offline; env WARTA_IMAGES_OFFLINE=1).
WARTA_IMAGES_OFFLINE = os.environ.get("WARTA_IMAGES_OFFLINE", "") == "1"
WARTA_IMAGE_WIDTHS = (320, 640, 1024)
WARTA_IMAGE_MAX_BYTES = 10 * 1024 * 1024
WARTA_IMAGE_MAX_PIXELS = 100_000_000  # declared pixels; larger = decompression bomb
WARTA_IMAGE_CONNECT_TIMEOUT = 5  # seconds
WARTA_IMAGE_TIMEOUT = 20  # seconds per image, whole download
WARTA_IMAGE_CONCURRENCY = 16
WARTA_IMAGE_WORKERS = None  # process pool size (None: up to 2 cores)
WARTA_IMAGE_MEMORY_MB = 768  # decode memory budget across workers
WARTA_IMAGE_REVALIDATE_HOURS = 24 * 7  # conditional GET after this long
WARTA_IMAGE_RETRY_HOURS = 6  # a failed image is tried again after this long
WARTA_IMAGE_ALLOW_PRIVATE = False  # never True in production (SSRF)
WARTA_IMAGE_TRUSTED_HOSTS = ()  # "host" or "host:port" exempt from the private-address check
WARTA_IMAGE_ALLOW_FILE = False  # read file: image URLs from feeds (offline demo only)

JINJA_GLOBALS = {
    "warta_picture": images.warta_picture,
    "warta_social_image": images.warta_social_image,
}
JINJA_FILTERS = {
    "tanggal_waktu": display.tanggal_waktu,
    "tanggal": display.tanggal,
    "iso": display.iso,
    "lazy_images": display.lazy_images,
    "bulan": display.bulan,
    # Issue 6 (stories): one entry per story in listings —
    # {% for article in articles|story_leads(warta_stories) %}
    "story_leads": stories_site.story_leads,
}

# --- Issue 4: the reader hub (theme, listings, feeds, SEO) --------------------------------------
# Listing pages written by the plugin: /sumber/<id>/, /wilayah/<code>/, /jenis/<kind>/ (paginated).
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None,
                       "source": None, "region": None, "kind": None}
WARTA_LISTING_MAX = None  # None: a source/region/kind listing holds all its articles (stable pages)
WARTA_LISTING_FEED_FORMATS = ("atom", "rss")  # every listing gets feeds/<key>.<format>.xml
WARTA_BUILD_TIME = None  # ISO datetime for a reproducible build; None = now
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives"]
TEMPLATE_PAGES = {"404.html": "404.html"}
# Autoescape: titles, summaries and names come from feeds; only sanitized bodies and
# library-built markup (Markup objects) go out unescaped.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [],
                     "autoescape": True}

# --- Issue 10: scale (plugins/warta/incremental.py, pelican_fast.py) -------------------------
# `invoke build` renders only pages whose inputs changed since the last build (digests in
# <output>.warta-state.json); `invoke build --full` empties the output and renders everything.
WARTA_INCREMENTAL = True
WARTA_STABLE_PAGINATION = ("index", "category", "tag", "source", "region", "kind")
# ^ paginated from the oldest: old pages never move, an hour of news rewrites first pages
WARTA_FAST_PELICAN = True  # set-based replacements for Pelican 4.12's O(N²) taxonomy filters

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# -- Issue 8: hourly run (invoke hourly|publish|verify) and the /status/ dashboard ----------
# Where a verified site goes: "gh-pages" (ghp-import to WARTA_PUBLISH_BRANCH of
# WARTA_PUBLISH_REMOTE), "dir:/srv/warta" or "rsync:user@host:/srv/warta".
WARTA_PUBLISH_TARGET = "gh-pages"
WARTA_PUBLISH_REMOTE = "origin"
WARTA_PUBLISH_BRANCH = "gh-pages"
WARTA_PUBLISH_NO_HISTORY = True  # one parentless commit per publish: the repo does not grow hourly
WARTA_PUBLISH_CNAME = None
# Git remote whose `data` branch keeps the archive between CI runs (None: var/ is durable).
WARTA_DATA_REMOTE = None
WARTA_DATA_BRANCH = "data"
# Refuse to publish when the new site has lost more than this share of pages.
WARTA_VERIFY_MAX_PAGE_LOSS = 0.10
# Post-processing steps ("module:function"), run before verification; e.g.
# "warta.ops.postprocess:gzip_precompress" for hosts that serve .gz siblings. Search (issue 9) adds its own.
WARTA_POSTPROCESS: list[str] = []
# The /status/ dashboard's clock is WARTA_BUILD_TIME above (None = now).

# --- Issue 9: search, listing feeds in three formats, widgets, open data ------------------------
# Full-text search: Pagefind indexes the built site (warta.search.pagefind.index_site) after
# `invoke build`/`invoke demo` (cli.build(search=True)) and, in the hourly run, as a post-process
# step. WARTA_SEARCH = False turns both off.
WARTA_SEARCH = True
WARTA_POSTPROCESS = [*WARTA_POSTPROCESS, "warta.search.pagefind:search_step"]
WARTA_SEARCH_BUNDLE_MAX_PAGES = 15000  # articles per Pagefind bundle (runs of consecutive months)
WARTA_LISTING_FEED_FORMATS = ("atom", "rss", "json")  # feeds/<listing>.atom.xml, .rss.xml, .json
WARTA_WIDGET_ITEMS = 10  # headlines in widget/<jenis>/<id>/ and api/v1/widget/<jenis>/<id>.json

# --- Issue 3 (clean every item): hub categories come from the controlled vocabulary in
# plugins/warta/data/categories.yml; a local article without `Category:` joins the fallback.
# `kategori` turns a category id into its label for templates (e.g. article.warta.category).
from warta.clean import category as _warta_category  # noqa: E402

DEFAULT_CATEGORY = "Umum"
JINJA_FILTERS["kategori"] = _warta_category.label

# -- Issue 7: local articles by humas, withdrawals, editorial UI -------------------------------
# Articles live in content/<province>/<source-id>/<yyyy>/<slug>.md; the file name is the slug,
# so correcting a title never changes a published URL.
SLUGIFY_SOURCE = "basename"
USE_FOLDER_AS_CATEGORY = False
ARTICLE_EXCLUDES = ["pages", "images", "extra"]
STATIC_PATHS = ["images"]
DRAFT_SAVE_AS = ""  # "Status: draft" articles are not published at all
DRAFT_PAGE_SAVE_AS = ""
# Withdrawn items (issue 7): removed from every page, feed and API, kept in the archive.
WARTA_TAKEDOWNS = "takedowns.yml"
# Optional editorial UI (Decap CMS, editorial workflow → pull requests) at /admin/.
WARTA_ADMIN = True
WARTA_ADMIN_REPO = "warta-id/warta"
WARTA_ADMIN_BRANCH = "main"
