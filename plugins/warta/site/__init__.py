"""The site: archived items and stories become Pelican articles and the hub's pages.

Takes the archive, the registry and Pelican's settings; gives every page a reader
sees. :mod:`.bridge` hands archived items to Pelican as articles; :mod:`.generator`
writes the hub's own pages (home, regions, kinds, sources) using :mod:`.listings`;
:mod:`.stories` attaches story leads; :mod:`.feeds`, :mod:`.api`, :mod:`.opendata`,
:mod:`.widget` and :mod:`.seo` write the machine-facing files; :mod:`.status` and
:mod:`.health` the operators' dashboard; :mod:`.images` the image step of a build;
:mod:`.incremental` (with :mod:`.digests`), :mod:`.settled`, :mod:`.parallel` and
:mod:`.pelican_fast` keep builds fast at scale: pages whose inputs did not change are
neither looked at nor rendered, the rest are rendered on every core.
"""
