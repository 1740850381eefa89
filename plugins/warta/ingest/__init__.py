"""Getting reports in: one fetch run over the registry, politely.

Takes :class:`~warta.core.records.Source` records and gives cleaned
:class:`~warta.core.records.Item` records stored in the archive, with a run report.
:mod:`.fetch` is bounded, failure-isolating HTTP (and ``file:``); :mod:`.robots` and
:mod:`.polite` keep feedless methods polite; :mod:`.methods` holds the ways of reading
a ``feeds:`` entry (plain feed, WordPress API, sitemap, listing pages), each giving the
run the same kind of outcome; :mod:`.parse` and :mod:`.extract` turn feeds and article
pages into raw entries; :mod:`.workers` are the run's feed parsers (worker processes,
their spool directory and byte budget) and :mod:`.feedwork` is what a worker process
runs; :mod:`.run` is the run itself (concurrency, archiving each entry's outcome,
commits, the report); :mod:`.discover` finds what a homepage offers.
"""
