"""Upload the project's graph to a SPARQL server, all or nothing.

The upload uses the SPARQL 1.1 Graph Store HTTP Protocol: one request with the whole
graph as a Turtle body (not rdflib's ``SPARQLUpdateStore``, which sends a request per
triple — about 1.7 ms each — refuses blank nodes and, with the default-graph
identifier, silently queries nothing).

Nothing is ever half-uploaded:

1. the body is ``PUT`` into a fresh temporary named graph, which no reader uses;
2. the server is asked how many triples that graph holds, which must be exactly the
   number sent (a connection that broke half-way, or a server that parsed only part,
   stops here — the target graph was never touched);
3. one SPARQL Update request moves it into place: ``MOVE <tmp> TO <target>`` for
   ``replace``, ``ADD <tmp> TO <target> ; DROP GRAPH <tmp>`` otherwise. The SPARQL 1.1
   Update spec asks a server to run each request atomically, so readers see the old
   graph or the new one, never a mix.

Why not a plain ``PUT`` onto the target: the Graph Store Protocol promises nothing
about atomicity and servers differ (Oxigraph 0.5's server keeps the old graph when a
PUT fails to parse, but a server that clears the graph and then streams the body in
leaves it half-filled), and a PUT cannot be checked before readers see it. The
temporary graph plus one Update request needs nothing beyond SPARQL 1.1.

If anything fails, the temporary graph is dropped (best effort) and the error says
what the server answered.

Every request has a whole-request deadline (``timeout``). A big upload can outlast it
while the server still completes the work, so a final update whose answer did not come
back is not taken as failed: the server is asked (for up to another ``timeout``)
whether the temporary graph is gone, which means the update was applied. Only when it
is still there is the push reported failed, and the temporary graph dropped.
"""

from __future__ import annotations

import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

from .backends import Backend
from .backends.endpoint import DEFAULT_TIMEOUT, EndpointError, HttpClient, \
    check_endpoint_url, with_params
from .backends.sparql_values import sparql_iri
from .errors import BackendError, UsageError

#: Temporary graphs are named under this prefix (a random UUID follows).
TEMPORARY_GRAPH_PREFIX = "urn:kgraph:push:"
#: Last path segments of a query endpoint whose siblings we can guess
#: (Oxigraph: /query, /update, /store).
QUERY_SEGMENTS = ("query", "sparql")


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


def sibling_endpoint(query_url: str, segment: str, option: str) -> str:
    """``http://h/query`` → ``http://h/<segment>`` (Oxigraph's layout); a UsageError
    naming ``option`` when the URL does not end in ``/query`` or ``/sparql``."""
    parts = urllib.parse.urlsplit(query_url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in QUERY_SEGMENTS:
        raise UsageError(f"cannot guess the server's {segment} endpoint from {query_url} "
                         f"(its path does not end in /query or /sparql); give {option}")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{head}/{segment}",
                                    "", ""))


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
               update_endpoint: str | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> PushReport:
    """Upload every triple of ``store`` to the SPARQL server at ``endpoint``.

    Parameters
    ----------
    store
        The loaded project (ontology + graph).
    endpoint
        The server's SPARQL query endpoint (used to check the upload).
    graph
        The target named graph's IRI; ``None`` for the default graph.
    replace
        Replace the target graph's content instead of adding to it.
    store_endpoint, update_endpoint
        The Graph Store Protocol and SPARQL Update endpoints; guessed from
        ``endpoint`` for Oxigraph's layout (``/query`` → ``/store``, ``/update``).
    timeout
        Seconds each request may take, answer included (a whole-request deadline).

    Examples
    --------
    >>> from kgraph.load import load_project
    >>> push_store(load_project("."), "http://localhost:7878/query",
    ...            replace=True)  # doctest: +SKIP
    PushReport(triples=2412, graph=None, replaced=True, ...)
    """
    started = time.perf_counter()
    endpoint = check_endpoint_url(endpoint)
    store_endpoint = check_endpoint_url(
        store_endpoint or sibling_endpoint(endpoint, "store", "--store-endpoint"),
        what="--store-endpoint")
    update_endpoint = check_endpoint_url(
        update_endpoint or sibling_endpoint(endpoint, "update", "--update-endpoint"),
        what="--update-endpoint")
    target = graph_term(graph)
    client = HttpClient(timeout=timeout)

    body = turtle_body(store)
    expected = len(store)
    notes = [] if replace else blank_node_note(store)
    temporary = TEMPORARY_GRAPH_PREFIX + str(uuid.uuid4())
    uploaded = True  # from the first byte sent the server may hold part of it
    stage = "upload"
    try:
        client.request("PUT", with_params(store_endpoint, [("graph", temporary)]),
                       body=body, headers={"Content-Type": "text/turtle; charset=utf-8"})
        held = count_graph(client, endpoint, temporary)
        if held != expected:
            raise BackendError(f"push failed: the server holds {held} of the {expected} "
                               "triples sent after the upload; the target graph was "
                               "left unchanged")
        if replace:
            update = f"MOVE {sparql_iri(temporary)} TO {target}"
        else:
            update = (f"ADD {sparql_iri(temporary)} TO {target} ;\n"
                      f"DROP GRAPH {sparql_iri(temporary)}")
        stage = "move"
        try:
            run_update(client, update_endpoint, update)
        except EndpointError as exc:
            if exc.status is not None or not moved_after_all(client, endpoint, temporary,
                                                             timeout):
                raise
            notes.append(f"the server's answer to the final update did not arrive "
                         f"({exc.message}), but the server shows the update applied")
        uploaded = False  # MOVE / DROP removed the temporary graph
    except EndpointError as exc:
        if stage == "upload":
            # With no answer the server may still be storing the upload when the
            # clean-up DROP arrives, and finish it afterwards: name the graph.
            later = "" if exc.status is not None else (
                f"; if the server was still storing the upload, its temporary graph "
                f"{sparql_iri(temporary)} may appear later: DROP SILENT GRAPH "
                f"{sparql_iri(temporary)} removes it")
            raise BackendError(f"push failed, the target graph was left unchanged: "
                               f"{exc.message}{later}") from None
        raise BackendError(f"push failed at the final update, which a SPARQL server "
                           f"applies whole or not at all (so the target holds the old "
                           f"graph or the new one): {exc.message}") from None
    finally:
        if uploaded:
            drop_quietly(client, update_endpoint, temporary)
    return PushReport(expected, graph, replace, store_endpoint, update_endpoint,
                      time.perf_counter() - started, notes)


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
                    timeout: float) -> bool:
    """Whether the final update was applied although its answer never arrived: the
    temporary graph is gone (MOVE and DROP empty it), waiting up to ``timeout`` for a
    server still busy with it."""
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


def count_graph(client: HttpClient, endpoint: str, graph: str) -> int:
    """How many triples the named graph ``graph`` holds on the server."""
    import pyoxigraph as ox

    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }} }}"
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


def drop_quietly(client: HttpClient, update_endpoint: str, graph: str) -> None:
    """Remove a temporary graph after a failure; a second failure is not reported
    over the first (the graph's name says it is kgraph's and temporary)."""
    try:
        run_update(client, update_endpoint, f"DROP SILENT GRAPH {sparql_iri(graph)}")
    except (EndpointError, UsageError):
        pass
