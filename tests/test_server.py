"""push and the endpoint backend against a real Oxigraph server on the loopback.

The server is the session's ``oxigraph_server`` (tests/servers.py: the ``oxigraph``
binary from PyPI on a free loopback port). Locally the tests skip when the binary is
missing; with CI=true they fail.

Error paths that Oxigraph itself cannot produce (credentials, a 5xx, a time-out, an
upload cut half-way) go through a small proxy on the loopback in front of it.
"""

from __future__ import annotations

import base64
import http.client
import re
import socket
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler

import pytest

from kgraph.backends import open_backend
from kgraph.catalogue import read_catalogue, run_query
from kgraph.load import load_project

from .conftest import MINI, REPO
from .servers import LoopbackHTTP
from .test_backends import runnable, same_answer

pytestmark = pytest.mark.server

SHIPPED = bool(list((REPO / "graph").glob("*.ttl")))
PROJECT = REPO if SHIPPED else MINI
ENV_NAMES = ("KGRAPH_ENDPOINT", "KGRAPH_BACKEND", "KGRAPH_ENDPOINT_USER",
             "KGRAPH_ENDPOINT_PASSWORD", "KGRAPH_ENDPOINT_TOKEN")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The developer's own endpoint settings must not leak into these tests."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def server(oxigraph_server):
    """Base URL (``http://127.0.0.1:PORT``) of the session's Oxigraph server."""
    return oxigraph_server.base


def sparql_select(base: str, query: str) -> list[dict]:
    """Run a SELECT on the server directly (no kgraph code), JSON results."""
    import json

    request = urllib.request.Request(
        base + "/query", data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json",
                 "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["results"]["bindings"]


def default_graph_lines(base: str) -> list[str]:
    """The server's default graph as sorted N-Triples (blank nodes aside)."""
    request = urllib.request.Request(base + "/store?default",
                                     headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return sorted(line for line in response.read().decode().splitlines()
                      if "_:" not in line)


def named_graphs(base: str) -> list[str]:
    rows = sparql_select(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(row["g"]["value"] for row in rows)


# ----------------------------------------------------------------------- the proxy

class Proxy(LoopbackHTTP):
    """A loopback HTTP proxy in front of the server that can demand credentials,
    answer with an error, stall, cut a PUT's connection half-way through its body, or
    forward only the first half of a PUT's body as if it were all."""

    def __init__(self, upstream: str, *, basic: tuple[str, str] | None = None,
                 token: str | None = None, fail_status: int | None = None,
                 stall: float = 0.0, cut_put: bool = False,
                 truncate_put: bool = False) -> None:
        self.upstream = urllib.parse.urlsplit(upstream)
        self.basic, self.token = basic, token
        self.fail_status, self.stall, self.cut_put = fail_status, stall, cut_put
        self.truncate_put = truncate_put
        self.cuts = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                proxy.handle(self)

            do_POST = do_PUT = do_DELETE = do_GET

        super().__init__(Handler)

    def authorised(self, header: str | None) -> bool:
        if self.token is not None:
            return header == f"Bearer {self.token}"
        if self.basic is not None:
            expected = base64.b64encode(":".join(self.basic).encode()).decode()
            return header == f"Basic {expected}"
        return True

    def reply(self, handler, status: int, text: str, challenge: str | None = None) -> None:
        body = text.encode()
        handler.send_response(status)
        if challenge:
            handler.send_header("WWW-Authenticate", challenge)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def handle(self, handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if self.stall:
            time.sleep(self.stall)
        if not self.authorised(handler.headers.get("Authorization")):
            scheme = "Bearer" if self.token is not None else "Basic"
            self.reply(handler, 401, "Bad credentials for realm kgraph-test",
                       f'{scheme} realm="kgraph-test"')
            return
        if self.fail_status:
            self.reply(handler, self.fail_status, "storage backend exploded (test)")
            return
        upstream = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port,
                                              timeout=30)
        headers = {k: v for k, v in handler.headers.items()
                   if k.lower() not in ("host", "authorization", "connection",
                                        "content-length")}
        if self.cut_put and handler.command == "PUT":
            # Send the headers (announcing the full length) and half of the body,
            # then drop both connections: an upload that dies half-way.
            self.cuts += 1
            upstream.putrequest("PUT", handler.path, skip_accept_encoding=True)
            for name, value in headers.items():
                upstream.putheader(name, value)
            upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders()
            upstream.send(body[: len(body) // 2])
            time.sleep(0.2)
            upstream.sock.shutdown(socket.SHUT_RDWR)
            upstream.close()
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.truncate_put and handler.command == "PUT":
            # Forward only the blocks before the middle (still valid Turtle).
            self.cuts += 1
            body = body[: body.index(b"\n\n", len(body) // 2) + 2]
        upstream.request(handler.command, handler.path, body=body or None, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        handler.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        upstream.close()


# ----------------------------------------------------------------------- tests

def test_push_then_every_command_reads_the_same_remotely(server, run):
    result = run("--root", PROJECT, "push", "--endpoint", server + "/query", "--replace")
    assert result.exit_code == 0, result.output
    local = load_project(PROJECT)
    remote = open_backend("endpoint", url=server + "/query")
    assert len(remote) == len(local)

    ran = 0
    for query in read_catalogue(PROJECT):
        if runnable(query):
            assert same_answer(run_query(local, query), run_query(remote, query)), query.name
            ran += 1
    assert ran >= 3

    from kgraph.export import export_graph
    from kgraph.stats import compute_stats

    assert compute_stats(local) == compute_stats(remote)
    oxigraph = load_project(PROJECT, backend="oxigraph")
    assert export_graph(remote, "turtle") == export_graph(oxigraph, "turtle")

    from kgraph.validate import validate_project

    assert validate_project(PROJECT, backend=local) == \
        validate_project(PROJECT, backend=remote)

    from kgraph.render import render_seminar

    assert render_seminar(local) == render_seminar(remote)


def test_cli_reads_from_the_endpoint_without_a_project(server, run, tmp_path,
                                                       monkeypatch):
    assert run("--root", MINI, "push", "--endpoint", server + "/query",
               "--replace").exit_code == 0
    monkeypatch.chdir(tmp_path)  # no graph/ or ontology/ here
    query = MINI / "queries" / "statements.rq"
    remote = run("--endpoint", server + "/query", "query", query, "--format", "csv",
                 "--param", "actor=actor:lavrov")
    local = run("--root", MINI, "query", query, "--format", "csv",
                "--param", "actor=actor:lavrov")
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout and "lavrov" in remote.stdout
    stats = run("stats", env={"KGRAPH_BACKEND": "endpoint",
                              "KGRAPH_ENDPOINT": server + "/query"})
    assert stats.exit_code == 0 and "triples: 28" in stats.output
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE {\n  ?s ?p }\n", encoding="utf-8")
    broken = run("--endpoint", server + "/query", "query", bad)
    assert broken.exit_code == 2
    assert re.search(r"bad\.rq:\d+:\d+: the server rejected the query", broken.output)


def test_push_to_a_named_graph_adds_and_replaces(server, run, mini):
    graph = "https://example.org/graphs/seminar"
    endpoint = server + "/query"
    assert run("--root", mini, "push", "--endpoint", endpoint, "--replace").exit_code == 0
    before = default_graph_lines(server)
    assert run("--root", mini, "push", "--endpoint", endpoint, "--graph", graph,
               "--replace").exit_code == 0
    named = open_backend("endpoint", url=endpoint, graph=graph)
    assert len(named) == 28
    # the graph can also be chosen with the URL's own default-graph-uri
    by_url = open_backend("endpoint", url=endpoint + "?default-graph-uri="
                          + urllib.parse.quote(graph, safe=""))
    assert len(by_url) == 28
    assert default_graph_lines(server) == before  # the default graph was not touched
    # adding the same triples again changes nothing (no blank nodes in mini)
    assert run("--root", mini, "push", "--endpoint", endpoint, "--graph", graph).exit_code == 0
    assert len(named) == 28
    (mini / "graph" / "extra.ttl").write_text(
        '<https://w3id.org/kgraph/actor/x> <http://www.w3.org/2004/02/skos/core#'
        'prefLabel> "X"@en .\n', encoding="utf-8")
    assert run("--root", mini, "push", "--endpoint", endpoint, "--graph", graph).exit_code == 0
    assert len(named) == 29
    assert not [g for g in named_graphs(server) if g.startswith("urn:kgraph:push:")]


def test_replace_leaves_the_old_graph_when_the_upload_dies_halfway(server, run, mini):
    endpoint = server + "/query"
    assert run("--root", mini, "push", "--endpoint", endpoint, "--replace").exit_code == 0
    old = default_graph_lines(server)
    assert len(old) == 28
    (mini / "graph" / "extra.ttl").write_text(
        '<https://w3id.org/kgraph/actor/x> <http://www.w3.org/2004/02/skos/core#'
        'prefLabel> "X"@en .\n', encoding="utf-8")

    with Proxy(server, cut_put=True) as proxy:
        result = run("--root", mini, "push", "--endpoint", proxy.url + "/query",
                     "--replace")
        assert proxy.cuts == 1
    assert result.exit_code == 2
    assert "push failed at the upload, the target graph was left unchanged" in result.output
    assert "Traceback" not in result.output
    time.sleep(0.3)  # let the server notice the dead connection
    assert default_graph_lines(server) == old
    assert not [g for g in named_graphs(server) if g.startswith("urn:kgraph:push:")]

    # A server (or a middlebox) that accepts half the body and says 204 anyway: the
    # count check catches it before anything is moved.
    with Proxy(server, truncate_put=True) as proxy:
        result = run("--root", mini, "push", "--endpoint", proxy.url + "/query",
                     "--replace")
        assert proxy.cuts == 1
    assert result.exit_code == 2
    assert re.search(r"the server holds \d+ of the 29 triples sent", result.output)
    assert default_graph_lines(server) == old
    assert not [g for g in named_graphs(server) if g.startswith("urn:kgraph:push:")]

    result = run("--root", mini, "push", "--endpoint", endpoint, "--replace")
    assert result.exit_code == 0
    assert len(default_graph_lines(server)) == 29


def test_server_down_is_a_clear_error(run):
    port = free_port()  # nothing listens there
    result = run("--root", MINI, "push", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert result.exit_code == 2
    assert "connection refused" in result.output and "Traceback" not in result.output
    reading = run("--endpoint", f"http://127.0.0.1:{port}/query", "stats")
    assert reading.exit_code == 2 and "cannot reach" in reading.output


def test_wrong_path_shows_the_servers_text(server, run):
    result = run("--root", MINI, "push", "--endpoint", server + "/nope/query")
    assert result.exit_code == 2
    assert "404" in result.output and "is not supported by this server" in result.output
    reading = run("--endpoint", server + "/nope", "stats")
    assert reading.exit_code == 2 and "404" in reading.output


def test_credentials_come_from_the_environment_only(server, run):
    secret = "s3cret-Pa55"
    with Proxy(server, basic=("alice", secret)) as proxy:
        endpoint = proxy.url + "/query"
        refused = run("--root", MINI, "push", "--endpoint", endpoint,
                      env={"KGRAPH_ENDPOINT_USER": "alice",
                           "KGRAPH_ENDPOINT_PASSWORD": "wrong-" + secret})
        assert refused.exit_code == 2
        assert "401" in refused.output and "Bad credentials for realm" in refused.output
        assert secret not in refused.output
        anonymous = run("--root", MINI, "push", "--endpoint", endpoint)
        assert anonymous.exit_code == 2 and "KGRAPH_ENDPOINT_USER" in anonymous.output
        accepted = run("--root", MINI, "push", "--endpoint", endpoint, "--replace",
                       env={"KGRAPH_ENDPOINT_USER": "alice",
                            "KGRAPH_ENDPOINT_PASSWORD": secret})
        assert accepted.exit_code == 0, accepted.output
        reading = run("--endpoint", endpoint, "stats",
                      env={"KGRAPH_ENDPOINT_USER": "alice",
                           "KGRAPH_ENDPOINT_PASSWORD": secret})
        assert reading.exit_code == 0 and "triples: 28" in reading.output
    with Proxy(server, token="t0ken") as proxy:
        good = run("--endpoint", proxy.url + "/query", "stats",
                   env={"KGRAPH_ENDPOINT_TOKEN": "t0ken"})
        assert good.exit_code == 0
        bad = run("--endpoint", proxy.url + "/query", "stats",
                  env={"KGRAPH_ENDPOINT_TOKEN": "other"})
        assert bad.exit_code == 2 and "refused" in bad.output and "other" not in bad.output
    in_url = run("--root", MINI, "push", "--endpoint",
                 f"http://alice:{secret}@127.0.0.1:1/query")
    assert in_url.exit_code == 2 and "not in the URL" in in_url.output
    assert secret not in in_url.output


def test_server_error_and_time_out(server, run):
    with Proxy(server, fail_status=503) as proxy:
        result = run("--root", MINI, "push", "--endpoint", proxy.url + "/query")
        assert result.exit_code == 2
        assert "503" in result.output and "storage backend exploded" in result.output
    with Proxy(server, stall=2.0) as proxy:
        started = time.monotonic()
        result = run("--root", MINI, "push", "--endpoint", proxy.url + "/query",
                     "--timeout", "0.5")
        assert result.exit_code == 2 and "within 0.5 s" in result.output
        assert time.monotonic() - started < 10
