"""Upload the project's graph to a SPARQL server, and say exactly what happened.

The upload uses the SPARQL 1.1 Graph Store HTTP Protocol: one request with the whole
graph as a Turtle body (not rdflib's ``SPARQLUpdateStore``, which sends a request per
triple — about 1.7 ms each — refuses blank nodes and, with the default-graph
identifier, silently queries nothing). The three endpoints come from the server's
layout (:mod:`kgraph.backends.layouts`): named with ``server``, recognised from the
``Server:`` header of the server's first answer, or given one by one.

The steps:

1. the body is ``PUT`` into a fresh temporary named graph ``urn:kgraph:push:UUID``;
2. the server is asked how many triples that graph holds, which must be exactly the
   number sent (a connection that broke half-way, or a server that parsed only part,
   stops here — the target graph was never touched);
3. one SPARQL Update operation puts it in place: ``MOVE <tmp> TO <target>`` for
   ``replace``, ``ADD <tmp> TO <target>`` otherwise, then (add only) a separate
   ``DROP SILENT GRAPH <tmp>`` (``SILENT``: Virtuoso, for one, does not record a graph
   made by a Graph Store PUT as "created", and a plain DROP of it fails).

What is atomic, and for whom: the SPARQL 1.1 Update spec asks a server to run each
operation atomically, so *readers of the target named graph* see the old graph or the
new one, never a mix. Nothing more is claimed. Readers of a server's union default
graph (Virtuoso's, GraphDB's) see the temporary graph's triples while it exists, i.e.
the data twice for the moment between steps 1 and 3; read with ``--graph``.

Why not a plain ``PUT`` onto the target: the Graph Store Protocol promises nothing
about atomicity and servers differ (Oxigraph 0.5's server keeps the old graph when a
PUT fails to parse, but a server that clears the graph and then streams the body in
leaves it half-filled), and a PUT cannot be checked before readers see it.

Every failure says what state the server is in afterwards, as far as the server can
still be asked: what the target graph holds (and held before), and whether the
temporary graph is gone — after kgraph tried to drop it — or is still there, with its
IRI and the update that removes it.

The upload can report its progress: the bytes of the Turtle body sent (serialising
it is not counted: on the default backend a fraction of the upload's time, and
rdflib's writer cannot tell how far it is).

Every request has a whole-request deadline (``timeout``). A big upload can outlast it
while the server still completes the work, so a final update whose answer did not come
back is not taken as failed: the server is asked (for up to another ``timeout``)
whether the temporary graph is gone, which means the update was applied.
"""

from __future__ import annotations

import time
import urllib.parse
import uuid
from dataclasses import dataclass, field, replace as replace_fields

from .backends import Backend
from .backends.endpoint import DEFAULT_TIMEOUT, EndpointError, HttpClient, \
    check_endpoint_url, with_params
from .backends.layouts import Layout, layout_for, not_a_store_hint, server_from_answer
from .backends.sparql_values import sparql_iri
from .errors import BackendError, UsageError
from .progress import Progress

#: Temporary graphs are named under this prefix (a random UUID follows).
TEMPORARY_GRAPH_PREFIX = "urn:kgraph:push:"


@dataclass
class PushReport:
    """What was uploaded and where."""

    triples: int
    graph: str | None          # the target named graph, None for the default graph
    replaced: bool
    store_endpoint: str
    update_endpoint: str
    seconds: float
    #: things the user should know about a push that succeeded
    notes: list[str] = field(default_factory=list)
    server: str | None = None  # the layout used (named or recognised), if known


def turtle_body(store: Backend) -> bytes:
    """The store's graph as Turtle, natively when the backend can."""
    dump = getattr(store, "dump", None)
    if dump is not None:
        data = dump("turtle")
        if data is not None:
            return data
    return store.to_graph().serialize(format="turtle", encoding="utf-8")


def graph_term(graph: str | None) -> str:
    """``<iri>`` for a named graph, ``DEFAULT`` for the default graph."""
    return sparql_iri(graph) if graph is not None else "DEFAULT"


def push_store(store: Backend, endpoint: str, *, graph: str | None = None,
               replace: bool = False, store_endpoint: str | None = None,
               update_endpoint: str | None = None, server: str | None = None,
               timeout: float = DEFAULT_TIMEOUT,
               progress: Progress | None = None) -> PushReport:
    """Upload every triple of ``store`` to the SPARQL server at ``endpoint``.

    Parameters
    ----------
    store
        The loaded project (ontology + graph).
    endpoint
        The server's SPARQL query endpoint (used to check the upload).
    graph
        The target named graph's IRI; ``None`` for the default graph (refused on
        Virtuoso, whose default graph is the union of all its graphs).
    replace
        Replace the target graph's content instead of adding to it.
    store_endpoint, update_endpoint
        The Graph Store Protocol and SPARQL Update endpoints [default: from the
        server's layout].
    server
        ``oxigraph``, ``virtuoso``, ``fuseki`` or ``graphdb`` [default: recognised
        from the ``Server:`` header of the server's answer, else Oxigraph's layout].
    timeout
        Seconds each request may take, answer included (a whole-request deadline).
    progress
        Told ``progress(done, total)`` the bytes of the Turtle body sent, ``done``
        never decreasing and ending at ``total`` (see :mod:`kgraph.progress`).

    Examples
    --------
    >>> from kgraph.load import load_project
    >>> push_store(load_project("."), "http://localhost:8890/sparql", server="virtuoso",
    ...            graph="https://example.org/kg", replace=True)  # doctest: +SKIP
    PushReport(triples=2412, graph='https://example.org/kg', replaced=True, ...)
    """
    started = time.perf_counter()
    endpoint = check_endpoint_url(endpoint)
    target = graph_term(graph)
    client = HttpClient(timeout=timeout)
    try:
        layout = resolve_layout(client, endpoint, server, store_endpoint, update_endpoint)
        if graph is None and not layout.default_graph_writable:
            raise UsageError(f"{layout.server.capitalize()} has no default graph of its "
                             "own to push into (its default graph is the union of all "
                             "its graphs, system graphs included): give --graph IRI, "
                             "and read it back with the same --graph")
        before = count_graph(client, endpoint, graph)
    except BackendError as exc:
        raise BackendError(f"push failed before anything was uploaded, the target graph "
                           f"was left unchanged: {exc.message}") from None

    body = turtle_body(store)
    expected = len(store)
    notes = [] if replace else blank_node_note(store)
    temporary = TEMPORARY_GRAPH_PREFIX + str(uuid.uuid4())
    state = ServerState(client, endpoint, layout.update, graph, temporary, before,
                        expected)
    try:
        client.request("PUT", with_params(layout.store, [("graph", temporary)]),
                       body=body, headers={"Content-Type": "text/turtle; charset=utf-8"},
                       progress=progress)
    except EndpointError as exc:
        problem = exc.message
        if exc.status in (404, 405, 501):
            problem += f"; {not_a_store_hint(layout)}"
        later = "" if exc.status is not None else (
            f"; if the server was still storing the upload, its temporary graph "
            f"{sparql_iri(temporary)} may appear later: DROP SILENT GRAPH "
            f"{sparql_iri(temporary)} removes it")
        raise BackendError(f"push failed at the upload, the target graph was left "
                           f"unchanged: {problem}; {state.temporary_after_drop()}{later}"
                           ) from None
    try:
        held = count_graph(client, endpoint, temporary)
    except BackendError as exc:  # no answer, or one that is not a count
        raise BackendError(f"push failed counting the upload, the target graph was left "
                           f"unchanged: {exc.message}; {state.temporary_after_drop()}"
                           ) from None
    if held != expected:
        raise BackendError(f"push failed: the server holds {held} of the {expected} "
                           "triples sent after the upload; the target graph was left "
                           f"unchanged; {state.temporary_after_drop()}")
    verb = "MOVE" if replace else "ADD"
    try:
        run_update(client, layout.update, f"{verb} {sparql_iri(temporary)} TO {target}")
    except EndpointError as exc:
        if exc.status is not None or not moved_after_all(client, endpoint, temporary,
                                                         timeout, replace):
            raise BackendError(f"push failed at the final {verb}: {exc.message}; "
                               f"{state.describe()}") from None
        notes.append(f"the server's answer to the final update did not arrive "
                     f"({exc.message}), but the server shows the update applied")
    if not replace:
        try:
            run_update(client, layout.update, f"DROP SILENT GRAPH {sparql_iri(temporary)}")
        except EndpointError as exc:
            raise BackendError(f"push added the triples to {describe_graph(graph)}, but "
                               f"removing the temporary graph failed: {exc.message}; "
                               f"{state.temporary_after_drop()}") from None
    return PushReport(expected, graph, replace, layout.store, layout.update,
                      time.perf_counter() - started, notes, layout.server)


def resolve_layout(client: HttpClient, endpoint: str, server: str | None,
                   store_endpoint: str | None, update_endpoint: str | None) -> Layout:
    """The server's layout: named, else recognised from its answer to ``ASK {}`` (which
    also shows the endpoint answers at all), with any endpoint given one by one
    taking precedence."""
    if server is None:
        response = client.request(
            "POST", endpoint, body=urllib.parse.urlencode({"query": "ASK {}"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json"})
        server = server_from_answer(response.headers, endpoint)
    if store_endpoint and update_endpoint:
        layout = Layout(server, endpoint, update_endpoint, store_endpoint,
                        default_graph_writable=server != "virtuoso")
    else:
        layout = layout_for(server, endpoint)
    return replace_fields(
        layout,
        store=check_endpoint_url(store_endpoint or layout.store, what="--store-endpoint"),
        update=check_endpoint_url(update_endpoint or layout.update,
                                  what="--update-endpoint"))


def describe_graph(graph: str | None) -> str:
    return f"the target graph {sparql_iri(graph)}" if graph is not None \
        else "the default graph"


@dataclass
class ServerState:
    """Asks the server, after a failure, what the target and temporary graphs hold."""

    client: HttpClient
    endpoint: str
    update_endpoint: str
    graph: str | None
    temporary: str
    before: int
    sent: int

    def temporary_after_drop(self) -> str:
        """Drop the temporary graph (``DROP SILENT``), then say whether it is gone."""
        removal = ""
        try:
            run_update(self.client, self.update_endpoint,
                       f"DROP SILENT GRAPH {sparql_iri(self.temporary)}")
        except EndpointError as exc:
            removal = f" (removing it failed: {exc.message})"
        try:
            left = count_graph(self.client, self.endpoint, self.temporary)
        except BackendError as exc:
            message = exc.message
            return (f"the temporary graph {sparql_iri(self.temporary)} may still be on "
                    f"the server{removal} and the server could not be asked ({message}): "
                    f"DROP SILENT GRAPH {sparql_iri(self.temporary)} removes it")
        if left == 0:
            return "no temporary graph was left on the server"
        return (f"the temporary graph {sparql_iri(self.temporary)} is still on the server "
                f"with {left} triples{removal}: DROP SILENT GRAPH "
                f"{sparql_iri(self.temporary)} removes it")

    def describe(self) -> str:
        """What the target graph holds now against before, and the temporary graph."""
        try:
            now = count_graph(self.client, self.endpoint, self.graph)
        except BackendError as exc:
            message = exc.message
            target = (f"the server could not be asked what {describe_graph(self.graph)} "
                      f"holds now ({message}); it held {self.before} triples before")
        else:
            unchanged = " (unchanged)" if now == self.before else ""
            target = (f"{describe_graph(self.graph)} holds {now} triples{unchanged}; it "
                      f"held {self.before} before, and the upload {self.sent}")
        return f"the server shows: {target}; {self.temporary_after_drop()}"


def blank_node_note(store: Backend) -> list[str]:
    """A note when adding (not replacing) triples with blank nodes: a server gives them
    new identities on each upload, so pushing again duplicates them."""
    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
                         "FILTER(isBlank(?s) || isBlank(?o)) }")
    count = int(answer.rows[0][0]) if answer.rows else 0
    if not count:
        return []
    return [f"note: {count} of the triples have blank nodes; each push without --replace "
            "adds new copies of them (a blank node has no identity across uploads), so "
            "use --replace to update a graph pushed before"]


def moved_after_all(client: HttpClient, endpoint: str, temporary: str,
                    timeout: float, replace: bool) -> bool:
    """Whether the final MOVE was applied although its answer never arrived: the
    temporary graph is gone, waiting up to ``timeout`` for a server still busy with
    it. An ADD leaves the temporary graph as it was, so its effect cannot be told
    apart from a target that already held those triples: not taken as applied."""
    if not replace:
        return False
    deadline = time.monotonic() + timeout
    while True:
        try:
            if count_graph(client, endpoint, temporary) == 0:
                return True
        except BackendError:
            return False
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))


def count_graph(client: HttpClient, endpoint: str, graph: str | None) -> int:
    """How many triples the named graph ``graph`` (``None``: the default graph) holds
    on the server."""
    import pyoxigraph as ox

    pattern = "?s ?p ?o" if graph is None else f"GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }}"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
    response = client.request(
        "POST", endpoint, body=urllib.parse.urlencode({"query": query}).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json"})
    try:
        solutions = list(ox.parse_query_results(response.body,
                                                ox.QueryResultsFormat.JSON))
        return int(solutions[0]["n"].value)
    except (SyntaxError, ValueError, IndexError, TypeError, AttributeError):
        raise BackendError(f"{endpoint} did not answer a COUNT query with SPARQL JSON "
                           "results") from None


def run_update(client: HttpClient, update_endpoint: str, update: str) -> None:
    """Send one SPARQL Update request (form-encoded POST)."""
    client.request("POST", update_endpoint,
                   body=urllib.parse.urlencode({"update": update}).encode("utf-8"),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
