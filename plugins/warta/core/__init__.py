"""What every stage shares: typed records, the Indonesian messages, file writing.

Takes nothing from the other stages (it sits below all of them) and gives the
frozen records that cross each stage boundary (:mod:`.records`), every sentence a
reader, humas or operator reads (:mod:`.messages`), the setting defaults
(:mod:`.settings`), writing output files only when their bytes change
(:mod:`.outfiles`) and the ASCII fast path of the word splitters (:mod:`.asciiwords`).
"""
