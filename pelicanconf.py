"""Pelican settings for Warta (development and the offline demo).

``publishconf.py`` adds the production address on top. Every ``WARTA_*`` setting has its
default in ``warta.core.settings.DEFAULTS`` and is described in ``docs/operations.md``;
the ones below are those this site sets, grouped by what they do.
"""

from __future__ import annotations

import os
from pathlib import Path

from warta.clean import category
from warta.images import template as images
from warta.site import display
from warta.site import stories as site_stories

ROOT = Path(__file__).resolve().parent

# --- The site ---------------------------------------------------------------------------------
AUTHOR = "Warta"
SITENAME = "Warta"
SITESUBTITLE = "Kabar resmi humas pemerintah se-Indonesia dalam satu tempat"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_DATE_FORMAT = "%d-%m-%Y"
# Local articles are Markdown only (content/<province>/<source-id>/<yyyy>/<slug>.md, checked by
# invoke check). Without the reST reader Pelican never asks docutils for an "id" localization it
# lacks (a warning on every build), and a stray .rst file cannot publish unchecked.
READERS = {"rst": None}
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["warta"]
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# --- Sources and archive ----------------------------------------------------------------------
WARTA_ROOT = str(ROOT)  # relative paths below start here
WARTA_SOURCES = "sources"  # the registry: one YAML file per humas source
WARTA_DB = "var/warta.sqlite"  # the SQLite archive of every item ever fetched
WARTA_MAX_ITEMS = None  # newest archived items a build reads (None: all)
WARTA_TAKEDOWNS = "takedowns.yml"  # withdrawn items: off every page, feed and API, kept in the archive
WARTA_DATA_REMOTE = None  # git remote whose data branch keeps the archive between runs (None: var/ lasts)
WARTA_DATA_BRANCH = "data"  # that branch's name

# --- Local articles by humas (content/<province>/<source-id>/<yyyy>/<slug>.md) ---------------------
SLUGIFY_SOURCE = "basename"  # the file name is the slug: correcting a title never moves a URL
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Umum"  # hub categories come from plugins/warta/data/categories.yml
ARTICLE_EXCLUDES = ["pages", "images", "extra"]
STATIC_PATHS = ["images"]
DRAFT_SAVE_AS = ""  # "Status: draft" articles are not published at all
DRAFT_PAGE_SAVE_AS = ""
WARTA_ADMIN = True  # the optional editorial UI (Decap CMS, pull requests) at /admin/
WARTA_ADMIN_REPO = "warta-id/warta"  # the repository the editorial UI opens pull requests on
WARTA_ADMIN_BRANCH = "main"  # and its branch

# --- Images -----------------------------------------------------------------------------------
WARTA_IMAGES = True  # fetch, validate and resize images into output/media (placeholders on failure)
WARTA_IMAGE_CACHE = os.environ.get("WARTA_IMAGE_CACHE", "var/images")  # the persistent image cache
WARTA_IMAGES_OFFLINE = os.environ.get("WARTA_IMAGES_OFFLINE", "") == "1"  # cache only, no download
WARTA_IMAGE_WIDTHS = (320, 640, 1024)  # WebP + JPEG derivatives made of each image
WARTA_IMAGE_MAX_BYTES = 10 * 1024 * 1024  # larger downloads are cut off
WARTA_IMAGE_MAX_PIXELS = 100_000_000  # declared pixels; larger is a decompression bomb
WARTA_IMAGE_CONNECT_TIMEOUT = 5  # seconds to connect
WARTA_IMAGE_TIMEOUT = 20  # seconds per image, whole download
WARTA_IMAGE_CONCURRENCY = 16  # downloads at once
WARTA_IMAGE_WORKERS = None  # image process pool size (None: up to 2 cores)
WARTA_IMAGE_MEMORY_MB = 768  # decode memory budget across workers
WARTA_IMAGE_REVALIDATE_HOURS = 24 * 7  # conditional GET of a cached image after this long
WARTA_IMAGE_RETRY_HOURS = 6  # a failed image is tried again after this long
WARTA_IMAGE_ALLOW_PRIVATE = False  # fetch from private addresses; never True in production (SSRF)
WARTA_IMAGE_TRUSTED_HOSTS = ()  # "host" or "host:port" exempt from the private-address check
WARTA_IMAGE_ALLOW_FILE = False  # read file: image URLs from feeds (offline demo only)

# --- Site and SEO -----------------------------------------------------------------------------
WARTA_DEV_SITEURL = "http://127.0.0.1:8000"  # absolute links (feeds, JSON-LD) while SITEURL is ""
WARTA_BUILD_TIME = None  # ISO datetime for a reproducible build (also the /status/ clock); None = now
WARTA_LISTING_MAX = None  # cap on a source/region/kind listing (None: all, on stable pages)
WARTA_LISTING_FEED_FORMATS = ("atom", "rss", "json")  # feeds/<listing>.atom.xml, .rss.xml, .json
WARTA_LISTING_FEED_CONTENT = "summary"  # whole reports in listing feeds: "summary", "source" or "full"
WARTA_LISTING_FEED_ITEMS = 10  # entries per region/source/kind/category/topic feed
WARTA_WIDGET_ITEMS = 10  # headlines in widget/<jenis>/<id>/ and api/v1/widget/<jenis>/<id>.json
FEED_DOMAIN = WARTA_DEV_SITEURL
FEED_MAX_ITEMS = 50  # entries in the all-news feed, feeds/semua.*
# Pelican's own feeds are off: the plugin writes one kind of feed for every listing.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

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

DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/halaman/{number}/", "{base_name}/halaman/{number}/index.html"),
)
# Listing pages the plugin writes too: /sumber/<id>/, /wilayah/<code>/, /jenis/<kind>/.
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None,
                       "source": None, "region": None, "kind": None}
SUMMARY_MAX_LENGTH = 40
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives"]
TEMPLATE_PAGES = {"404.html": "404.html"}
# Autoescape: titles, summaries and names come from feeds; only sanitized bodies and
# library-built markup (Markup objects) go out unescaped.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [],
                     "autoescape": True}
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
    "story_leads": site_stories.story_leads,  # one entry per story in a listing
    "kategori": category.label,  # category id → its label
}

# --- Build speed at scale ---------------------------------------------------------------------
WARTA_INCREMENTAL = True  # render only pages whose inputs changed (`invoke build --full`: all)
# Listings paginated from the oldest, so their old pages never move:
WARTA_STABLE_PAGINATION = ("index", "category", "tag", "source", "region", "kind")
WARTA_FAST_PELICAN = True  # set-based replacements for Pelican's quadratic taxonomy filters

# --- Search -----------------------------------------------------------------------------------
WARTA_SEARCH = True  # Pagefind index of the built site (False: none)
WARTA_SEARCH_BUNDLE_MAX_PAGES = 15000  # articles per Pagefind bundle (runs of consecutive months)

# --- Publishing -------------------------------------------------------------------------------
WARTA_PUBLISH_TARGET = "gh-pages"  # "gh-pages", "dir:/srv/warta", "rsync:user@host:/srv/warta", "rclone"
WARTA_PUBLISH_LIMITS = None  # overrides of a target's size limits: {"gh-pages": {"site_bytes": n}}
WARTA_RCLONE_REMOTE = ""  # "rclone" target: "remote:bucket/path" (remote set up by RCLONE_CONFIG_*)
WARTA_RCLONE_FLAGS = ("--checksum", "--fast-list")  # compare by hash; list 1,000 objects a request
WARTA_PUBLISH_REMOTE = "origin"  # git remote the gh-pages target pushes to
WARTA_PUBLISH_BRANCH = "gh-pages"  # and its branch
WARTA_PUBLISH_NO_HISTORY = True  # one parentless commit per publish: the repository does not grow hourly
WARTA_PUBLISH_CNAME = None  # custom domain written as CNAME
WARTA_VERIFY_MAX_PAGE_LOSS = 0.10  # refuse to publish a site that lost more than this share of pages
WARTA_POSTPROCESS = ["warta.search.pagefind:search_step"]  # steps ("module:function") before verification
