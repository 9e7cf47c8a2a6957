"""The Backend interface and the query result every backend returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node


@dataclass
class QueryResult:
    """The answer to one SPARQL query, in rdflib terms whatever the backend.

    ``kind`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``. SELECT fills
    ``variables`` and ``rows`` (tuples in variable order, ``None`` for unbound);
    ASK fills ``boolean``; CONSTRUCT and DESCRIBE fill ``graph``.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def records(self) -> list[dict[str, Node | None]]:
        """SELECT rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, row)) for row in self.rows]


class Backend(ABC):
    """A triple store that kgraph can load Turtle into and query with SPARQL 1.1."""

    #: the name it is registered under (``memory``, ``oxigraph``, ``endpoint``)
    name: str = ""

    @abstractmethod
    def load(self, paths: Sequence[Path]) -> None:
        """Parse Turtle files into the store. A syntax error raises
        :class:`~kgraph.errors.InputError` naming the file and line; a file that fails
        adds nothing."""

    @abstractmethod
    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *,
              source: str | Path | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query. ``bindings`` pre-bind variables (names without
        ``?``) to RDF terms; they are never pasted into the text. ``source`` names
        the file the query came from, for error messages."""

    @abstractmethod
    def to_graph(self) -> Graph:
        """Every triple of the store as an rdflib Graph (for SHACL and export)."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""

    def close(self) -> None:
        """Release files, connections or servers the backend holds."""

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
