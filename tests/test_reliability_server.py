"""Faults between kgraph and a SPARQL server (issue 14): answers cut short, malformed
answers, a server dripping bytes, an answer lost after the server did the work.

A small fault server on the loopback plays the broken server; where the work must really
happen (a push whose answer is lost), a forwarding proxy sits in front of the real
Oxigraph server of ``test_server``.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

import pytest

from .conftest import MINI
from .servers import LoopbackHTTP
from .test_reliability import ILL_TYPED, PREFIXES, one_line_error
from .test_server import clean_environment, default_graph_lines, named_graphs, server  # noqa: F401

pytestmark = pytest.mark.server


class FaultServer(LoopbackHTTP):
    """A loopback HTTP server whose every answer is made by ``respond(handler, body)``;
    ``forward_to`` (a base URL) lets ``respond`` pass requests on with :meth:`forward`."""

    def __init__(self, respond, forward_to: str | None = None) -> None:
        self.respond = respond
        self.upstream = urllib.parse.urlsplit(forward_to) if forward_to else None
        self.requests: list[tuple[str, str, bytes]] = []
        fault = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault.requests.append((self.command, self.path, body))
                try:
                    fault.respond(self, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            do_POST = do_PUT = do_DELETE = do_GET

        super().__init__(Handler)

    def forward(self, handler, body: bytes) -> tuple[int, list, bytes]:
        """Send the request on to the real server; its status, headers and body."""
        upstream = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port,
                                              timeout=60)
        headers = {k: v for k, v in handler.headers.items()
                   if k.lower() not in ("host", "connection", "content-length")}
        upstream.request(handler.command, handler.path, body=body or None, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        return answer.status, answer.getheaders(), data


def send(handler, status: int, body: bytes, content_type: str, length: int | None = None):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()


def relay(handler, status: int, headers: list, data: bytes) -> None:
    handler.send_response(status)
    for name, value in headers:
        if name.lower() not in ("content-length", "transfer-encoding", "connection"):
            handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


JSON = "application/sparql-results+json"


def test_an_answer_cut_short_is_a_one_line_error(run):
    def respond(handler, body):
        send(handler, 200, b'{"head": {"vars": ["n"]}, "res', JSON, length=4000)
        handler.close_connection = True

    with FaultServer(respond) as fault:
        line = one_line_error(run("--endpoint", fault.url + "/query", "stats"))
    assert "was cut short" in line


@pytest.mark.parametrize("answer", [
    b'{"head": {"vars": ["n"]}, "results": {"bindings": []}}',              # no row
    b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": '
    b'"literal", "value": "many"}}]}}',                                       # no number
    b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": 7}]}}',      # not a term
    b'{"head": ',                                                            # not JSON
    b'<html>proxy error</html>',
])
def test_malformed_answers_are_one_line_errors(run, answer):
    from kgraph.backends import open_backend
    from kgraph.errors import BackendError

    with FaultServer(lambda handler, body: send(handler, 200, answer, JSON)) as fault:
        line = one_line_error(run("--endpoint", fault.url + "/query", "stats"))
        with pytest.raises(BackendError, match="COUNT query with a number|does not parse"):
            len(open_backend("endpoint", url=fault.url + "/query"))
    assert ("COUNT query with a number" in line or "does not parse" in line
            or "answered with the variables n, not the query's" in line)


@pytest.mark.parametrize("answer,content_type,message", [
    (b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}', JSON,
     "answered a CONSTRUCT query with SPARQL results, not a graph"),
    (b"<http://example.org/x> <http://example.org/p> ", "application/n-triples",
     "sent a graph that does not parse"),
])
def test_a_construct_answered_wrongly_is_a_one_line_error(run, tmp_path, answer,
                                                          content_type, message):
    """A CONSTRUCT answered with SPARQL results (Virtuoso does, given one Accept header
    for every form) or with N-Triples that do not parse: one line, exit 2, no output,
    in Turtle and N-Triples (the answer written by the store, not by rdflib)."""
    query = tmp_path / "construct.rq"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5\n")
    with FaultServer(lambda handler, body: send(handler, 200, answer,
                                                content_type)) as fault:
        for fmt in ("turtle", "nt"):
            # --graph: no check of the default graph, whose answer would fail first
            result = run("--endpoint", fault.url + "/query", "--graph", "urn:x:g",
                         "query", query, "--format", fmt)
            assert message in one_line_error(result) and result.stdout == ""


def drip(handler, body):
    """Headers at once, then the answer one byte every 0.3 s (never finishing soon)."""
    text = b'{"head": {"vars": ["n"]}, "results": {"bindings": []}}' * 20
    handler.send_response(200)
    handler.send_header("Content-Type", JSON)
    handler.send_header("Content-Length", str(len(text)))
    handler.end_headers()
    for byte in text:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.3)


def test_a_dripping_server_is_cut_off_at_the_deadline(run):
    """Each byte comes well within any per-read time-out; the whole answer never does."""
    with FaultServer(drip) as fault:
        started = time.monotonic()
        line = one_line_error(run("--endpoint", fault.url + "/query", "--timeout", "1.5",
                                  "stats"))
        assert time.monotonic() - started < 10  # a bound: per-read time-outs took 330 s
        assert "within 1.5 s" in line
        started = time.monotonic()
        line = one_line_error(run("--root", MINI, "push", "--endpoint",
                                  fault.url + "/query", "--timeout", "1.5"))
        assert time.monotonic() - started < 15  # the PUT, then the clean-up DROP
        assert "within 1.5 s" in line and "left unchanged" in line


def lose_answer_of(keyword: bytes, delay: float):
    """A proxy behaviour: requests go through at once; the answer to the one whose body
    holds ``keyword`` comes back ``delay`` seconds late (a server that did the work and
    whose answer was slower than the client's deadline)."""
    def respond(fault, handler, body):
        status, headers, data = fault.forward(handler, body)
        if keyword in urllib.parse.unquote_plus(body.decode("latin-1")).encode("latin-1"):
            time.sleep(delay)
        relay(handler, status, headers, data)
    return respond


def proxy(server_url, behaviour) -> FaultServer:
    holder: list[FaultServer] = []
    fault = FaultServer(lambda handler, body: behaviour(holder[0], handler, body),
                        forward_to=server_url)
    holder.append(fault)
    return fault


def test_a_push_whose_final_answer_is_late_is_not_reported_failed(server, run, mini):
    endpoint = server + "/query"
    assert run("--root", mini, "push", "--endpoint", endpoint, "--replace").exit_code == 0
    (mini / "graph" / "extra.ttl").write_text(
        '<https://w3id.org/kgraph/actor/x> <http://www.w3.org/2004/02/skos/core#'
        'prefLabel> "X"@en .\n', encoding="utf-8")
    with proxy(server, lose_answer_of(b"MOVE", 3.0)) as fault:
        result = run("--root", mini, "push", "--endpoint", fault.url + "/query",
                     "--replace", "--timeout", "1")
    assert result.exit_code == 0, result.output
    assert "shows the update applied" in result.stderr
    assert len(default_graph_lines(server)) == 29
    assert not [g for g in named_graphs(server) if g.startswith("urn:kgraph:push:")]


def test_a_push_whose_upload_answer_is_late_leaves_no_temporary_graph(server, run, mini):
    endpoint = server + "/query"
    assert run("--root", mini, "push", "--endpoint", endpoint, "--replace").exit_code == 0
    before = default_graph_lines(server)

    def late_put(fault, handler, body):
        status, headers, data = fault.forward(handler, body)
        if handler.command == "PUT":
            time.sleep(2.0)
        relay(handler, status, headers, data)

    (mini / "graph" / "extra.ttl").write_text(
        '<https://w3id.org/kgraph/actor/x> <http://www.w3.org/2004/02/skos/core#'
        'prefLabel> "X"@en .\n', encoding="utf-8")
    with proxy(server, late_put) as fault:
        result = run("--root", mini, "push", "--endpoint", fault.url + "/query",
                     "--replace", "--timeout", "1")
    assert "within 1 s" in one_line_error(result)
    assert default_graph_lines(server) == before
    assert not [g for g in named_graphs(server) if g.startswith("urn:kgraph:push:")]


def test_push_without_replace_says_blank_nodes_duplicate(server, run, mini):
    (mini / "graph" / "blank.ttl").write_text(
        '<https://w3id.org/kgraph/actor/x> <http://example.org/has> [ <http://example.org/v> 1 ] .\n')
    added = run("--root", mini, "push", "--endpoint", server + "/query",
                "--graph", "https://example.org/graphs/blank")
    assert added.exit_code == 0
    assert "2 of the triples have blank nodes" in added.stderr and "--replace" in added.stderr
    replaced = run("--root", mini, "push", "--endpoint", server + "/query",
                   "--graph", "https://example.org/graphs/blank", "--replace")
    assert replaced.exit_code == 0 and "blank nodes" not in replaced.stderr


def test_ill_typed_dates_are_violations_on_an_endpoint(server, run, mini):
    (mini / "graph" / "dates.ttl").write_text(PREFIXES + ILL_TYPED)
    assert run("--root", mini, "push", "--endpoint", server + "/query",
               "--replace").exit_code == 0
    result = run("--root", mini, "--endpoint", server + "/query", "validate",
                 "--format", "json")
    assert result.exit_code == 1, result.output
    found = {r["value"] for r in json.loads(result.stdout)["results"]
             if r["rule"] == "kgraph: literals well-typed"}
    assert found == {"2021-13", "1x99", "2021-02-30", "2021-05-27T25:00:00"}


def fail_updates_with(keyword: str):
    """A proxy behaviour: an update whose text holds ``keyword`` gets a 503 without
    reaching the server; everything else goes through."""
    def respond(fault, handler, body):
        if keyword.encode() in urllib.parse.unquote_plus(body.decode("latin-1")).encode(
                "latin-1"):
            send(handler, 503, b"maintenance (test)", "text/plain")
            return
        relay(handler, *fault.forward(handler, body))
    return respond


def test_a_temporary_graph_that_cannot_be_removed_is_named(server, run, mini,
                                                           oxigraph_server):
    """ADD applied, then every DROP refused: the message says the target holds the
    triples and names the temporary graph left behind, with the update that removes it."""
    graph = "https://example.org/graphs/leak"
    with proxy(server, fail_updates_with("DROP")) as fault:
        result = run("--root", mini, "push", "--endpoint", fault.url + "/query",
                     "--graph", graph)
    line = one_line_error(result)
    assert f"push added the triples to the target graph <{graph}>" in line
    assert "removing the temporary graph failed" in line and "503" in line
    leaked = [g for g in named_graphs(server) if g.startswith("urn:kgraph:push:")]
    assert len(leaked) == 1
    assert f"the temporary graph <{leaked[0]}> is still on the server with 28 triples" in line
    assert f"DROP SILENT GRAPH <{leaked[0]}> removes it" in line
    assert run("--root", mini, "push", "--endpoint", server + "/query", "--graph", graph,
               "--replace").exit_code == 0
    oxigraph_server.update(f"DROP GRAPH <{leaked[0]}>")


def test_a_refused_final_update_says_what_the_server_holds(server, run, mini):
    graph = "https://example.org/graphs/refused"
    assert run("--root", mini, "push", "--endpoint", server + "/query", "--graph", graph,
               "--replace").exit_code == 0
    (mini / "graph" / "extra.ttl").write_text(
        '<https://w3id.org/kgraph/actor/x> <http://www.w3.org/2004/02/skos/core#'
        'prefLabel> "X"@en .\n', encoding="utf-8")
    with proxy(server, fail_updates_with("MOVE")) as fault:
        line = one_line_error(run("--root", mini, "push", "--endpoint",
                                  fault.url + "/query", "--graph", graph, "--replace"))
    assert "push failed at the final MOVE" in line and "503" in line
    assert (f"the server shows: the target graph <{graph}> holds 28 triples (unchanged); "
            "it held 28 before, and the upload 29; no temporary graph was left") in line
    assert not [g for g in named_graphs(server) if g.startswith("urn:kgraph:push:")]
