"""Every ``WARTA_*`` setting's default, in one table, and the one way to read a setting.

Pelican hands the plugin a settings dict built from ``pelicanconf.py``; tests and the
``invoke`` tasks build settings of their own with only some keys. Reading through
:func:`setting` gives every caller the same default, so a default is changed here and
nowhere else, and a misspelt name fails loudly instead of quietly reading ``None``.
``docs/operations.md`` documents each setting (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

DEFAULTS: Mapping[str, Any] = MappingProxyType({
    # Sources and archive
    "WARTA_ENABLED": True,  # False: the plugin adds nothing to a Pelican build
    "WARTA_ROOT": None,  # folder that relative paths below start from (None: the working folder)
    "WARTA_SOURCES": "sources",  # the registry folder
    "WARTA_DB": "var/warta.sqlite",  # the SQLite archive
    "WARTA_MAX_ITEMS": None,  # newest archived items a build reads (None: all)
    "WARTA_TAKEDOWNS": None,  # the withdrawals file (takedowns.yml); None: none
    "WARTA_DATA_REMOTE": None,  # git remote whose data branch keeps the archive between runs
    "WARTA_DATA_BRANCH": "data",
    # Images
    "WARTA_IMAGES": True,
    "WARTA_IMAGE_CACHE": "var/images",
    "WARTA_IMAGES_OFFLINE": False,
    "WARTA_IMAGE_WIDTHS": (320, 640, 1024),
    "WARTA_IMAGE_MAX_BYTES": 10 * 1024 * 1024,
    "WARTA_IMAGE_MAX_PIXELS": 100_000_000,
    "WARTA_IMAGE_CONNECT_TIMEOUT": 5,
    "WARTA_IMAGE_TIMEOUT": 20,
    "WARTA_IMAGE_CONCURRENCY": 16,
    "WARTA_IMAGE_WORKERS": None,
    "WARTA_IMAGE_MEMORY_MB": 768,
    "WARTA_IMAGE_REVALIDATE_HOURS": 7 * 24,
    "WARTA_IMAGE_RETRY_HOURS": 6,
    "WARTA_IMAGE_ALLOW_PRIVATE": False,
    "WARTA_IMAGE_TRUSTED_HOSTS": (),
    "WARTA_IMAGE_ALLOW_FILE": False,
    # Site and SEO
    "WARTA_DEV_SITEURL": "http://127.0.0.1:8000",
    "WARTA_BUILD_TIME": None,
    "WARTA_LISTING_MAX": 200,
    "WARTA_LISTING_FEED_FORMATS": ("atom", "rss", "json"),
    "WARTA_LISTING_FEED_CONTENT": "summary",  # whole reports in listing feeds: summary|source|full
    "WARTA_LISTING_FEED_ITEMS": 10,  # entries per listing feed; feeds/semua.* takes FEED_MAX_ITEMS
    "WARTA_WIDGET_ITEMS": 10,
    "WARTA_ADMIN": False,
    "WARTA_ADMIN_REPO": "warta-id/warta",
    "WARTA_ADMIN_BRANCH": "main",
    # Build speed at scale
    "WARTA_INCREMENTAL": False,
    "WARTA_BUILD_STATE": None,
    "WARTA_SKIP_TEMPLATES": ("article", "page", "category", "tag", "author", "period_archives",
                             "source", "region", "kind"),
    "WARTA_STABLE_PAGINATION": ("index", "category", "tag", "source", "region", "kind"),
    "WARTA_FAST_PELICAN": True,
    "WARTA_RENDER_PROCESSES": 0,  # processes rendering pages; 0: one per available core
    # Search
    "WARTA_SEARCH": True,
    "WARTA_SEARCH_BUNDLE_MAX_PAGES": 15_000,
    "WARTA_SEARCH_RECENT_DAYS": 7,
    "WARTA_SEARCH_DURING_BUILD": False,
    # Publishing
    "WARTA_PUBLISH_TARGET": "gh-pages",
    "WARTA_PUBLISH_REMOTE": "origin",
    "WARTA_PUBLISH_BRANCH": "gh-pages",
    "WARTA_PUBLISH_NO_HISTORY": True,
    "WARTA_PUBLISH_CNAME": None,
    "WARTA_PUBLISH_LIMITS": None,  # {target kind: {"site_bytes": n, "file_bytes": n}} overrides
    "WARTA_RCLONE_REMOTE": "",  # "remote:bucket/path" of the rclone target
    "WARTA_RCLONE_FLAGS": ("--checksum", "--fast-list"),
    "WARTA_VERIFY_MAX_PAGE_LOSS": 0.10,
    "WARTA_POSTPROCESS": (),
    "WARTA_GZIP_MIN_BYTES": 1024,
})
"""The default of every ``WARTA_*`` setting; ``pelicanconf.py`` overrides some."""


def setting(settings: Mapping[str, Any], name: str) -> Any:
    """``settings[name]`` when the settings hold it, else its default from :data:`DEFAULTS`.

    A value of ``None`` that the settings hold is kept: for several settings it means
    "none" or "all" on purpose.
    """
    if name in settings:
        return settings[name]
    try:
        return DEFAULTS[name]
    except KeyError:
        raise KeyError(f"{name} is not a Warta setting (see warta.core.settings.DEFAULTS)") from None
