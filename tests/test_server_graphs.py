"""The CLI against real servers, scoped to a named graph: the Oxigraph server and
OpenLink Virtuoso 7 (the session fixtures of tests/servers.py, on free loopback ports).

Against each: push (add and --replace, twice), then ``stats``, ``render`` and
``export`` (Turtle, GraphML) through ``--endpoint … --graph …``, byte for byte the
local answer, while another, different graph sits on the same server (so a read that is
not scoped shows); a graph larger than Virtuoso's row limit exported whole; and the
failure paths (server down, wrong path, wrong or missing Digest credentials, a query
the server rejects, a URL that is not a Graph Store), each one line and exit 2.

Fuseki and GraphDB are not run here (not installable on this machine); their URL
layouts are tested as a property (the URLs built from their documented shapes).
"""

from __future__ import annotations

import urllib.request

import pytest

from kgraph.backends.layouts import layout_for, server_from_answer
from kgraph.benchgen import generate_turtle
from kgraph.errors import UsageError
from kgraph.load import load_project

from .conftest import MINI, REPO
from .servers import free_port
from .test_reliability import one_line_error
from .test_server import clean_environment  # noqa: F401

pytestmark = pytest.mark.server

SERVERS = ["oxigraph_server", "virtuoso_server"]
GRAPH = "https://example.org/graphs/kgraph-test"
OTHER = "https://example.org/graphs/someone-else"


@pytest.fixture(params=SERVERS)
def server(request):
    """Each server, holding another, different graph beside the one under test."""
    server = request.getfixturevalue(request.param)
    server.put_graph(OTHER, generate_turtle(3000, 7))
    return server


def cli_output(run, *args) -> bytes:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("project", [MINI, REPO], ids=["mini", "shipped"])
def test_push_twice_each_way_then_every_command_reads_the_local_answer(
        server, run, project, tmp_path):
    where = ("--endpoint", server.query_url, "--graph", GRAPH)
    local = len(load_project(project, backend="oxigraph"))
    for replace in ((), (), ("--replace",), ("--replace",)):
        pushed = run("--root", project, *where, "push", *replace)
        assert pushed.exit_code == 0, pushed.output
        # mini has no blank nodes, so adding again changes nothing; the shipped graph
        # has some, and only --replace brings the count back
        if replace or project == MINI:
            assert server.count(GRAPH) == local
    assert not [g for g in server.named_graphs() if g.startswith("urn:kgraph:push:")]
    assert server.count(OTHER) == 3000

    for command in (("stats",), ("stats", "--format", "json"),
                    ("export", "--format", "graphml")):
        assert cli_output(run, "--root", project, *where, *command) == \
            cli_output(run, "--root", project, *command), command
    # Turtle: the oxigraph backend's writer, which the endpoint backend shares
    assert cli_output(run, "--root", project, *where, "export") == \
        cli_output(run, "--root", project, "--backend", "oxigraph", "export")
    cli_output(run, "--root", project, *where, "render", "-o", tmp_path / "remote.html")
    cli_output(run, "--root", project, "render", "-o", tmp_path / "local.html")
    assert (tmp_path / "remote.html").read_bytes() == (tmp_path / "local.html").read_bytes()

    scoped = run("--root", project, *where, "stats")
    assert "warning" not in scoped.output  # --graph given: nothing to warn about


def test_virtuoso_refuses_a_push_to_its_union_default_graph(virtuoso_server, run):
    line = one_line_error(run("--root", MINI, "--endpoint", virtuoso_server.query_url,
                              "push", "--replace"))
    assert "no default graph of its own" in line and "--graph" in line


def test_an_unscoped_read_of_a_union_default_graph_warns(virtuoso_server, run):
    result = run("--endpoint", virtuoso_server.query_url, "stats")
    assert result.exit_code == 0, result.output
    assert "warning: the default graph of" in result.stderr
    assert "give --graph IRI" in result.stderr


def test_a_graph_larger_than_the_row_limit_is_exported_whole(virtuoso_server, run,
                                                            tmp_path):
    """Virtuoso cuts a CONSTRUCT at ResultSetMaxRows (10,000) and says nothing: the
    export counts, then reads in pages; a SELECT cut at the limit says so in a header
    and is read in pages too."""
    big = "https://example.org/graphs/big"
    turtle = generate_turtle(25_000, 3)
    virtuoso_server.put_graph(big, turtle)
    assert virtuoso_server.count(big) == 25_000 > virtuoso_server.max_rows
    for folder in ("graph", "ontology"):
        (tmp_path / folder).mkdir()
    (tmp_path / "graph" / "big.ttl").write_bytes(turtle)
    local = load_project(tmp_path, backend="oxigraph")
    remote = cli_output(run, "--endpoint", virtuoso_server.query_url, "--graph", big,
                        "export", "--format", "nt")
    assert remote == local.dump("nt")
    assert len(remote.splitlines()) == 25_000

    # a SELECT cut at the limit (X-SPARQL-MaxRows) is read again in pages: the same
    # rows as the local answer
    every = tmp_path / "every.rq"
    every.write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }\n")
    remote = cli_output(run, "--endpoint", virtuoso_server.query_url, "--graph", big,
                        "query", every, "--format", "tsv")
    here = cli_output(run, "--root", tmp_path, "--backend", "oxigraph", "query", every,
                      "--format", "tsv")
    assert sorted(remote.splitlines()) == sorted(here.splitlines())
    assert len(remote.splitlines()) > virtuoso_server.max_rows
    # a CONSTRUCT of one's own has no header to say it was cut: its WHERE is counted
    construct = tmp_path / "construct.rq"
    construct.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n")
    line = one_line_error(run("--endpoint", virtuoso_server.query_url, "--graph", big,
                              "query", construct))
    assert "row limit of 10000 rows" in line and "WHERE has 25000 solutions" in line
    # render reads every triple with one SELECT: paged, the same page
    cli_output(run, "--root", tmp_path, "--endpoint", virtuoso_server.query_url,
               "--graph", big, "render", "-o", tmp_path / "remote.html")
    cli_output(run, "--root", tmp_path, "render", "-o", tmp_path / "local.html")
    assert (tmp_path / "remote.html").read_bytes() == (tmp_path / "local.html").read_bytes()


def test_digest_credentials_right_wrong_and_missing(virtuoso_server, run):
    user, password = virtuoso_server.credentials
    where = ("--root", MINI, "--endpoint", virtuoso_server.auth_query_url,
             "--graph", GRAPH)
    right = run(*where, "push", "--replace",
                env={"KGRAPH_ENDPOINT_USER": user, "KGRAPH_ENDPOINT_PASSWORD": password})
    assert right.exit_code == 0, right.output
    assert "sparql-graph-crud-auth" in right.stderr
    read = run(*where, "stats",
               env={"KGRAPH_ENDPOINT_USER": user, "KGRAPH_ENDPOINT_PASSWORD": password})
    assert read.exit_code == 0 and "triples: 28" in read.output
    wrong = one_line_error(run(*where, "stats", env={"KGRAPH_ENDPOINT_USER": user,
                                                     "KGRAPH_ENDPOINT_PASSWORD": "nope"}))
    assert "401" in wrong and "credentials in the environment were refused" in wrong
    assert 'it asks for Digest realm="SPARQL"' in wrong and "nope" not in wrong
    missing = one_line_error(run(*where, "push"))
    assert "needs credentials" in missing and "Digest" in missing
    assert "KGRAPH_ENDPOINT_USER" in missing


def test_failures_are_one_line_errors(server, run, tmp_path):
    down = f"http://127.0.0.1:{free_port()}/sparql"
    assert "connection refused" in one_line_error(
        run("--root", MINI, "--endpoint", down, "--graph", GRAPH, "push"))
    assert "cannot reach" in one_line_error(run("--endpoint", down, "stats"))

    wrong_path = server.base + "/no/such/path"
    assert "404" in one_line_error(run("--endpoint", wrong_path, "--graph", GRAPH, "stats"))
    assert "404" in one_line_error(run("--root", MINI, "--endpoint", wrong_path,
                                       "--graph", GRAPH, "push"))

    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE { ?s ?p ?o FILTER(nosuchfunction(?s)) }\n")
    line = one_line_error(run("--endpoint", server.query_url, "--graph", GRAPH,
                              "query", bad))
    assert "bad.rq" in line and "the server rejected the query" in line

    # not a Graph Store: Oxigraph's query URL (404 to a PUT), or the /store that
    # Oxigraph's layout would guess on Virtuoso (501)
    not_a_store = server.base + "/store" if server.name == "virtuoso" else server.query_url
    line = one_line_error(run("--root", MINI, "--endpoint", server.query_url,
                              "--graph", GRAPH, "push", "--store-endpoint", not_a_store))
    assert "this is not a Graph Store endpoint" in line and "--store-endpoint" in line
    assert "the target graph was left unchanged" in line


def test_the_server_is_recognised_from_its_answer(server):
    with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=10) as answer:
        assert server_from_answer(dict(answer.headers.items()), server.query_url) \
            == server.name
    layout = layout_for(server.name, server.query_url)
    assert (layout.query, layout.update, layout.store) == \
        (server.query_url, server.update_url, server.store_url)


@pytest.mark.parametrize("name, query, update, store", [
    ("fuseki", "http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("fuseki", "http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("fuseki", "http://h:3030/ds", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("graphdb", "http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
     "http://h:7200/repositories/kg/rdf-graphs/service"),
    ("virtuoso", "http://h:8890/sparql-auth", "http://h:8890/sparql-auth",
     "http://h:8890/sparql-graph-crud-auth"),
    ("oxigraph", "https://h/kg/query", "https://h/kg/update", "https://h/kg/store"),
])
def test_known_layouts_build_the_documented_urls(name, query, update, store):
    """Fuseki and GraphDB are not installed here: this tests the property push relies
    on, that the URLs built are the ones their documentation gives (Fuseki's dataset
    services /query, /update, /data; GraphDB's RDF4J REST API)."""
    layout = layout_for(name, query)
    assert (layout.update, layout.store) == (update, store)
    assert layout.default_graph_writable == (name != "virtuoso")


def test_a_query_url_of_the_wrong_shape_is_a_usage_error():
    with pytest.raises(UsageError, match="not a graphdb query endpoint"):
        layout_for("graphdb", "http://h:7200/sparql")
    with pytest.raises(UsageError, match="give --server"):
        layout_for(None, "http://h:7200/somewhere")


def test_a_graph_given_twice_is_a_usage_error(run):
    line = one_line_error(run("--endpoint", "http://127.0.0.1:1/sparql?default-graph-uri="
                              "urn:a", "--graph", "urn:b", "stats"))
    assert "give the graph once" in line
