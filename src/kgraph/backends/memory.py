"""The default backend: rdflib in memory."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ..errors import InputError
from ..namespaces import bind_prefixes
from .base import Backend, QueryResult


def parse_turtle_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; a syntax error becomes an InputError with file and line.

    The file is parsed into a scratch graph first, so a broken file adds nothing to
    ``into``.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a Turtle file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    scratch = Graph()
    try:
        scratch.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line = exc._str[: exc._i].count(b"\n") + 1
        raise InputError(f"Turtle syntax error: {exc._why}", path=path, line=line) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", path=path, line=line) from None
    except Exception as exc:  # rdflib raises plain exceptions for e.g. bad IRIs
        raise InputError(f"Turtle error: {exc}", path=path) from None
    if into is None:
        return scratch
    into += scratch
    return into


def sparql_error(exc: Exception, text: str, source: str | Path | None) -> InputError:
    """Turn rdflib's SPARQL parse errors into an InputError with a position."""
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "col", None)
    message = str(exc)
    prefix = re.match(r"Unknown namespace prefix : (\S+)", message)
    if prefix:
        name = prefix.group(1)
        message = f"undeclared prefix {name}:"
        found = re.search(rf"(?<![\w:<]){re.escape(name)}:", text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    elif line is not None:
        message = "SPARQL syntax error: " + message.split("  (at char")[0]
    else:
        message = "SPARQL error: " + message
    return InputError(message, path=source or "<query>", line=line, column=column)


def result_from_rdflib(result) -> QueryResult:
    """Convert an rdflib ``Result`` to a backend-neutral :class:`QueryResult`."""
    kind = result.type
    if kind == "SELECT":
        variables = [str(v) for v in result.vars]
        return QueryResult(kind, variables, [tuple(row) for row in result])
    if kind == "ASK":
        return QueryResult(kind, boolean=bool(result.askAnswer))
    graph = bind_prefixes(Graph())
    for triple in result.graph:
        graph.add(triple)
    return QueryResult(kind, graph=graph)


class MemoryBackend(Backend):
    """rdflib's in-memory store: no set-up, right for graphs up to ~100k triples."""

    name = "memory"

    def __init__(self) -> None:
        self.graph = bind_prefixes(Graph())

    def load(self, paths: Sequence[Path]) -> None:
        for path in paths:
            parse_turtle_file(Path(path), into=self.graph)

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *,
              source: str | Path | None = None) -> QueryResult:
        from rdflib.plugins.sparql import prepareQuery

        try:
            prepared = prepareQuery(text)
        except Exception as exc:
            raise sparql_error(exc, text, source) from None
        result = self.graph.query(prepared, initBindings=dict(bindings or {}))
        return result_from_rdflib(result)

    def to_graph(self) -> Graph:
        return self.graph

    def __len__(self) -> int:
        return len(self.graph)
