"""kgraph: build, query, show and share an actor–narrative knowledge graph.

The library never prints or exits; :mod:`kgraph.cli` is the thin command-line shell.
"""

__version__ = "0.1.0"
