"""Cleaning one feed entry, one concern per module.

:func:`warta.clean.normalize.normalize` runs them in order: resolve URLs
first (relative links mean the source's site), remove boilerplate, extract facts, and
sanitize last, so no earlier step can reintroduce what the allow-list removed:

- :mod:`.text`        plain text, titles, control characters
- :mod:`.urls`        absolute, checked URLs; relative links resolved
- :mod:`.embeds`      video iframes → safe link with a thumbnail
- :mod:`.blocks`      loose text and ``<br>`` runs → paragraphs, empty ones out
- :mod:`.boilerplate` ads, attachment captions, share blocks, "Baca juga", pixels
- :mod:`.credits`     "Penulis : …", "Editor : …", "(ags/HUMAS …)" → ``Item.credits``
- :mod:`.dateline`    "SEMARANG –" → ``Item.place``
- :mod:`.summary`     200–300 character plain summary
- :mod:`.dates`       ordered registry of date handlers (Indonesian formats)
- :mod:`.category`    hub category from a controlled vocabulary
- :mod:`.sanitize`    nh3 allow-list, the last step for HTML

Rules that maintainers extend live in YAML under ``plugins/warta/data/``
(:mod:`.rules` loads and validates them).
"""
