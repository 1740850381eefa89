"""The durable archive: one SQLite file holding every item ever seen.

Takes cleaned items, fetch outcomes, image records and story assignments, and gives
them back to the later stages. :mod:`.schema` is the current schema in one statement
and :mod:`.migrations` the numbered steps that reach it; :class:`~.store.Archive`
is built from one mixin per thing it stores. :mod:`.takedowns` reads withdrawals and
:mod:`.databranch` keeps the file alive between hourly runs on throw-away runners.
"""
