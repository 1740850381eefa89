"""Images: untrusted image URLs → validated, resized, cached derivatives.

Takes image URLs chosen by the clean stage and gives served images (derivative files
and their sizes). :mod:`.download` fetches safely (no private addresses, capped),
:mod:`.process` is the Pillow work, :mod:`.cache` the persistent cache (:mod:`.index`
its records in one SQLite file), :mod:`.run` one image run, and :mod:`.template` the
``warta_picture`` template contract.
"""
