"""The hub's controlled vocabulary of categories, defined once.

Local articles must use one of these slugs in ``Category``; ``invoke check``,
the ``invoke new`` scaffold and the editorial UI (Decap) all read this table,
so adding a category is one line here. Slugs are public (``/kategori/<slug>/``);
labels are what readers see.
"""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "pemerintahan": "Pemerintahan",
    "ekonomi": "Ekonomi",
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "infrastruktur": "Infrastruktur",
    "pariwisata-budaya": "Pariwisata & Budaya",
    "sosial": "Sosial",
    "hukum-keamanan": "Hukum & Keamanan",
    "lingkungan": "Lingkungan",
    "klarifikasi-hoaks": "Klarifikasi Hoaks",
    "umum": "Umum",
}

DEFAULT_CATEGORY = "umum"


def is_known(slug: str) -> bool:
    return slug in CATEGORIES


def label(slug: str) -> str:
    """Reader-facing name of a category slug (the slug itself if unknown)."""
    return CATEGORIES.get(slug, slug)
