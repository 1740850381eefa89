"""Stories: one event reported by many humas offices becomes one "narasi tunggal".

Takes archived items (their cleaned text and signatures) and gives each a story id
in the archive. :mod:`.text` makes the text features (Indonesian tokens, shingles,
MinHash, LSH bands); :mod:`.assign` decides which story a new report joins.
"""
