"""The server fixtures themselves: each server starts, takes a named graph over the
Graph Store Protocol and answers a SELECT scoped to it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.server

TURTLE = b'<urn:kgraph:test:s> <urn:kgraph:test:p> "o" .\n'


@pytest.mark.parametrize("name", ["oxigraph_server", "virtuoso_server"])
def test_a_server_starts_stores_a_graph_and_answers(name, request):
    server = request.getfixturevalue(name)
    server.put_graph("urn:kgraph:test:fixture", TURTLE)
    assert server.count("urn:kgraph:test:fixture") == 1
    assert "urn:kgraph:test:fixture" in server.named_graphs()
    rows = server.select("SELECT ?o WHERE { ?s ?p ?o }", default_graph="urn:kgraph:test:fixture")
    assert [row["o"]["value"] for row in rows] == ["o"]
