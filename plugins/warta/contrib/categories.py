"""The hub's controlled vocabulary of categories, as local articles see it.

The vocabulary itself lives in one place, ``data/categories.yml`` (the clean
stage classifies aggregated items with it too); this module is the small
read-only view that ``invoke check``, the ``invoke new`` scaffold and the
editorial UI (Decap) use. A humas may write the id (``pariwisata-budaya``) or
the label (``Pariwisata & Budaya``), in any case: the build maps both to the
id, so the check accepts both.
"""

from __future__ import annotations

from functools import cache

from ..clean.category import category_id
from ..clean.rules import default_rules


@cache
def vocabulary() -> dict[str, str]:
    """Category id → reader-facing label, in the file's order, the fallback (``umum``) last."""
    rules = default_rules().categories
    out = {c.id: c.label for c in rules.categories}
    out.setdefault(rules.fallback, rules.fallback_label)
    return out


def default_category() -> str:
    """The fallback category, used by the scaffold until the humas picks one."""
    return default_rules().categories.fallback


def resolve(name: str | None) -> str | None:
    """The vocabulary id a humas meant (id or label, any case), or None if unknown."""
    return category_id(name, default_rules().categories)


def label(slug: str) -> str:
    return vocabulary().get(slug, slug)
