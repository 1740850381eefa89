"""Stories: one event reported by many humas offices becomes one "narasi tunggal".

Takes archived items (their cleaned text and signatures) and gives each a story id
in the archive. :mod:`.text` makes the text features (Indonesian tokens, shingles,
MinHash, LSH bands) and :mod:`.presign` signs an item where it is cleaned;
:mod:`.boiler` learns the text each source repeats in its items;
:mod:`.compare` judges whether two reports tell one event, :mod:`.index` and
:mod:`.candidates` find the few reports worth comparing, :mod:`.assign`
(with :mod:`.planned` for whole chunks) decides which story a new report
joins, and :mod:`.lead` which report a story is shown under.
"""
