"""Running the hub: the ``invoke`` tasks' entry points and the unattended hourly run.

Takes the registry, the archive and a built site; gives a verified, published site.
:mod:`.cli` is what the tasks call; :mod:`.hourly` is lock → restore → fetch → build
→ post-process → verify → publish → save, with :mod:`.lock`, :mod:`.postprocess`,
:mod:`.verify`, :mod:`.linkcheck` and :mod:`.publish` as its steps.
"""
