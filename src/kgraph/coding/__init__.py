"""Coding a case without writing Turtle: ``kgraph init`` and the coding workbook.

The workbook is a second front door to the same graph: one worksheet per kind of thing
(:mod:`.sheets` says which columns carry which property), exported from ``graph/`` and
imported back into it (:mod:`.workbook`, :mod:`.importer`), and compared between two
coders (:mod:`.diff`). An import writes ``graph/`` only when every row is good, so a row
that imports is a row that ``kgraph validate`` then checks like any other.
"""
