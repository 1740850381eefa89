"""Who the hub reads: the source registry and Indonesia's regions.

Takes the YAML files under ``sources/`` (one per humas office) and gives validated
:class:`~warta.core.records.Source` records (:mod:`.registry`), the institution kinds
and their order (:mod:`.kinds`), and the Kemendagri provinces, regencies and cities
with each province's time zone (:mod:`.regions`).
"""
