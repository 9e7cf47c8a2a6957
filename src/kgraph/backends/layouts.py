"""Where a SPARQL server keeps its three services, by server name.

A server speaks SPARQL queries, SPARQL updates and the Graph Store Protocol at URLs of
its own choosing. ``kgraph push`` needs all three; the user gives the query endpoint
(``--endpoint``) and either names the server (``--server``) or lets kgraph recognise
it from the ``Server:`` header of its answer (or, for GraphDB, the path).

- oxigraph: query ``http://h:7878/query``, update ``…/update``, Graph Store ``…/store``
- virtuoso: query and update ``http://h:8890/sparql``, Graph Store
  ``…/sparql-graph-crud``; with Digest: ``…/sparql-auth`` and ``…/sparql-graph-crud-auth``
- fuseki: query ``http://h:3030/ds/query``, update ``…/ds/update``, Graph Store
  ``…/ds/data``
- graphdb: query ``http://h:7200/repositories/ID``, update ``…/ID/statements``, Graph
  Store ``…/ID/rdf-graphs/service``

Oxigraph and Virtuoso are verified against real servers in the tests; Fuseki's and
GraphDB's layouts are taken from their documentation (Fuseki's dataset services
``/query``, ``/update``, ``/data``; GraphDB's RDF4J REST API) and only the URL
construction is tested here. Every one of them takes the Graph Store's standard
``?graph=IRI`` parameter (Virtuoso also spells it ``graph-uri``).

Virtuoso has no default graph of its own: its default graph is the union of all its
graphs (system graphs included), so a push there needs a named graph
(``default_graph_writable`` is false) and reads need ``--graph``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import UsageError

SERVERS = ("oxigraph", "virtuoso", "fuseki", "graphdb")


@dataclass(frozen=True)
class Layout:
    """A server's three endpoints."""

    server: str | None     # one of SERVERS, or None when only guessed
    query: str
    update: str
    store: str
    #: False where the server's default graph is the union of its graphs (Virtuoso)
    default_graph_writable: bool = True


def _split(url: str) -> tuple[urllib.parse.SplitResult, str, str]:
    parts = urllib.parse.urlsplit(url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    return parts, head, last


def _at(parts: urllib.parse.SplitResult, path: str) -> str:
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def layout_for(server: str | None, query_url: str) -> Layout:
    """The update and Graph Store URLs of ``server`` given its query URL; without a
    server name, Oxigraph's sibling layout (``/query`` or ``/sparql`` → ``/update``,
    ``/store``). A UsageError when the query URL does not have the server's shape.

    >>> layout_for("virtuoso", "http://h:8890/sparql").store
    'http://h:8890/sparql-graph-crud'
    >>> layout_for("fuseki", "http://h:3030/ds/query").store
    'http://h:3030/ds/data'
    >>> layout_for("graphdb", "http://h:7200/repositories/kg").update
    'http://h:7200/repositories/kg/statements'
    """
    parts, head, last = _split(query_url)
    query = _at(parts, parts.path)

    def wrong(shape: str) -> UsageError:
        return UsageError(f"{query_url} is not a {server} query endpoint (expected "
                          f"{shape}); give --endpoint in that shape, or --store-endpoint "
                          "and --update-endpoint")

    if server == "virtuoso":
        if last not in ("sparql", "sparql-auth"):
            raise wrong("…/sparql or …/sparql-auth")
        crud = "sparql-graph-crud" + ("-auth" if last == "sparql-auth" else "")
        return Layout(server, query, query, _at(parts, f"{head}/{crud}"),
                      default_graph_writable=False)
    if server == "fuseki":
        # /ds/query or /ds/sparql, or the dataset URL /ds itself
        dataset = head if last in ("query", "sparql") else parts.path.rstrip("/")
        if not dataset.strip("/"):
            raise wrong("http://host:3030/DATASET/query")
        return Layout(server, query, _at(parts, f"{dataset}/update"),
                      _at(parts, f"{dataset}/data"))
    if server == "graphdb":
        if head.rstrip("/").rpartition("/")[2] != "repositories" or not last:
            raise wrong("http://host:7200/repositories/ID")
        repository = parts.path.rstrip("/")
        return Layout(server, query, _at(parts, f"{repository}/statements"),
                      _at(parts, f"{repository}/rdf-graphs/service"))
    if server not in (None, "oxigraph"):
        raise UsageError(f"unknown --server {server!r}; choose one of {', '.join(SERVERS)}")
    if last not in ("query", "sparql"):
        raise UsageError(f"cannot guess the server's update and Graph Store endpoints "
                         f"from {query_url} (its path does not end in /query or /sparql); "
                         f"give --server ({'|'.join(SERVERS)}), or --store-endpoint and "
                         "--update-endpoint")
    return Layout(server, query, _at(parts, f"{head}/update"), _at(parts, f"{head}/store"))


def server_from_answer(headers: Mapping[str, str], query_url: str) -> str | None:
    """The server's name from its answer's ``Server:`` header (Virtuoso, Oxigraph and
    Fuseki name themselves there), else from a GraphDB-shaped path; ``None`` when
    neither says."""
    said = next((value for name, value in headers.items() if name.lower() == "server"),
                "").lower()
    for name in ("virtuoso", "oxigraph", "fuseki", "graphdb"):
        if name in said:
            return name
    if "/repositories/" in urllib.parse.urlsplit(query_url).path:
        return "graphdb"
    return None


def not_a_store_hint(layout: Layout) -> str:
    """What to give instead when the store URL answered 405 or 501."""
    known = ", ".join(f"{name}: {layout_for(name, example).store}" for name, example in (
        ("virtuoso", "http://host:8890/sparql"), ("fuseki", "http://host:3030/ds/query"),
        ("graphdb", "http://host:7200/repositories/ID"),
        ("oxigraph", "http://host:7878/query")))
    return (f"this is not a Graph Store endpoint: name the server with --server "
            f"({'|'.join(SERVERS)}) or give push --store-endpoint URL ({known})")
