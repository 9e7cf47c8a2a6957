"""The default backend: rdflib in memory."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ..errors import BackendError, InputError
from ..namespaces import bind_prefixes
from ..progress import Progress
from .base import Backend, QueryResult, read_turtle_bytes, run_interruptibly
from .sparql_values import IRI_FORBIDDEN, refuse_update
from .terms import Term, to_rdflib


def parse_turtle_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; a syntax error becomes an InputError with file and line.

    The file is parsed into a scratch graph first, so a broken file adds nothing to
    ``into``. An IRI that RDF does not allow (a space, ``<``, ``"``, …), which rdflib
    accepts with a warning and which then breaks every export, is refused here, as
    Oxigraph's parser refuses it.
    """
    data = read_turtle_bytes(path)
    scratch = Graph()
    try:
        scratch.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line = exc._str[: exc._i].count(b"\n") + 1
        raise InputError(f"Turtle syntax error: {exc._why}", path=path, line=line) from None
    except Exception as exc:  # rdflib raises plain exceptions for e.g. bad IRIs
        raise InputError(f"Turtle error: {exc}", path=path) from None
    check_iris(scratch, data, path)
    if into is None:
        return scratch
    into += scratch
    return into


def check_iris(graph: Graph, data: bytes, path: Path) -> None:
    """Refuse an IRI with a character RDF forbids in IRIs, naming file and line."""
    seen: set[str] = set()
    for triple in graph:
        for term in triple:
            iri = term.datatype if isinstance(term, Literal) else term
            if not isinstance(iri, URIRef) or iri in seen:
                continue
            seen.add(iri)
            if IRI_FORBIDDEN.search(iri):
                found = data.find(str(iri).encode("utf-8"))
                line = data[:found].count(b"\n") + 1 if found != -1 else None
                raise InputError(f"not a valid IRI: <{iri}> (IRIs cannot hold spaces, "
                                 "<, >, \", {, }, |, ^, ` or control characters)",
                                 path=path, line=line)


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


def evaluation_error(exc: Exception) -> str:
    """What went wrong while rdflib evaluated a query, in one line."""
    if isinstance(exc, re.error):
        return f"invalid regular expression in REGEX/REPLACE: {exc}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > 300:
        text = text[:299] + "…"
    return f"{type(exc).__name__}: {text}"


class MemoryBackend(Backend):
    """rdflib's in-memory store: no set-up, right for graphs up to ~100k triples."""

    name = "memory"

    def __init__(self, *, timeout: float | None = None) -> None:
        self.graph = bind_prefixes(Graph())
        #: seconds a query may run (``None``: no limit)
        self.timeout = timeout

    def load(self, paths: Sequence[Path], *, progress: Progress | None = None) -> None:
        # rdflib parses a file in one call: progress moves file by file
        sizes = [Path(p).stat().st_size if progress and Path(p).is_file() else 0
                 for p in paths]
        done = 0
        for path, size in zip(paths, sizes):
            parse_turtle_file(Path(path), into=self.graph)
            done += size
            if progress is not None:
                progress(done, sum(sizes))

    def query(self, text: str, bindings: Mapping[str, Term | Node] | None = None, *,
              source: str | Path | None = None) -> QueryResult:
        from rdflib.plugins.sparql import prepareQuery

        refuse_update(text, source)
        try:
            prepared = prepareQuery(text)
        except Exception as exc:
            raise sparql_error(exc, text, source) from None

        def evaluate() -> QueryResult:
            try:
                result = self.graph.query(prepared, initBindings={
                    name: to_rdflib(term) for name, term in (bindings or {}).items()})
                return result_from_rdflib(result)
            except Exception as exc:
                # rdflib evaluates lazily and lets through whatever fails inside: an
                # invalid regex (re.error), a SERVICE that cannot be reached, …
                raise BackendError(f"query failed: {evaluation_error(exc)}",
                                   path=source) from None

        return run_interruptibly(evaluate, self.timeout, source)

    def to_graph(self) -> Graph:
        return self.graph

    def __len__(self) -> int:
        return len(self.graph)
