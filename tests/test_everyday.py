"""Everyday speed (issue 15): the fast default backend, views that read only what they
draw, CONSTRUCT answers serialised natively, progress bars on a terminal only, a lean
start-up and a short demo. No timing here: speed is measured in bench/."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kgraph.backends import open_backend
from kgraph.load import load_project
from kgraph.views import PROJECTIONS, VIEW_READS, Read, project

from .conftest import REPO

KGRAPH = [sys.executable, "-m", "kgraph"]


def test_the_default_backend_is_oxigraph_in_memory():
    from kgraph.cli import choose_backend

    assert choose_backend(None, None, None, False) == ("oxigraph", {})
    assert choose_backend(None, Path("st"), None, False) == ("oxigraph",
                                                             {"store_dir": Path("st")})
    assert choose_backend(None, None, "http://h/q", True)[0] == "endpoint"
    assert choose_backend("memory", None, None, False) == ("memory", {})


def _same_graphs(first, second) -> None:
    assert first.graph == second.graph
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True,
                                                                        data=True))


@pytest.fixture(scope="module")
def generated_project(tmp_path_factory) -> Path:
    """A generated graph (benchgen) beside the shipped ontology: other shapes of data
    than the shipped graph's (many actors, quotes in several languages)."""
    import shutil

    from kgraph.benchgen import generate_turtle

    root = tmp_path_factory.mktemp("generated")
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "graph").mkdir()
    (root / "graph" / "generated.ttl").write_bytes(generate_turtle(6000, seed=3))
    return root


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
@pytest.mark.parametrize("where", ["shipped", "generated"])
def test_each_view_reading_its_slices_draws_what_the_whole_store_read_drew(
        backend, where, generated_project, monkeypatch):
    """The projection reads only the (subject, predicate) slices its view draws; the
    graph it builds, every attribute and the panel details included, equals the one
    built from a read of the whole store (what views did before), for every view, a
    date range, a focus and a CONSTRUCT query's page."""
    store = load_project(REPO if where == "shipped" else generated_project,
                         backend=backend)
    cases = [dict(view=v) for v in PROJECTIONS] + [
        dict(view="statements", date_from="2021", date_to="2021-06", undated=False),
        dict(view="revisionism", date_from="2021"),
        dict(view="full", date_from="2020-08", date_to="2020-12")]
    if where == "shipped":
        cases += [dict(view="actor-narrative", focus="actor:lavrov", depth=2),
                  dict(view="actor-narrative", query="construct-co-voicing.rq",
                       root=REPO)]
    for case in cases:
        sliced = project(store, **case)
        with monkeypatch.context() as patch:
            patch.setitem(VIEW_READS, "query" if "query" in case else case["view"],
                          [Read()])
            whole = project(store, **case)
        _same_graphs(sliced, whole)
        assert sliced.number_of_nodes() > 0, case


def test_the_slices_are_smaller_than_the_store(shipped_store):
    """What a view reads is a part of the store, not the whole: the shipped graph's
    revisionism view reads under half of its triples (most of it the names and types
    of everything, which any node's label may need)."""
    rows = {(s, p, o) for read in VIEW_READS["revisionism"]
            for s, p, o in shipped_store.query(read.query()).rows}
    assert 0 < len(rows) < len(shipped_store) / 2


def test_slice_queries_keep_to_portable_shapes():
    """The shapes issue 12 found unportable (Virtuoso): no COALESCE filter, no OPTIONAL,
    no property path in a pattern, no GROUP_CONCAT, no sub-select; parameters are none
    (views bind nothing)."""
    for reads in VIEW_READS.values():
        for read in reads:
            text = read.query().split("SELECT", 1)[1]
            for banned in ("COALESCE", "OPTIONAL", "GROUP_CONCAT", "+", "*", "/kg:",
                           "{ SELECT"):
                assert banned not in text, (banned, text)


# ------------------------------------------------------------- CONSTRUCT natively

GRAPH_ANSWERS = [
    "construct-co-voicing.rq",
    "DESCRIBE <https://w3id.org/kgraph/actor/lavrov>",
    "PREFIX kg: <https://w3id.org/kgraph/ontology#> CONSTRUCT { ?s kg:quote ?q } "
    "WHERE { ?s kg:quote ?q }",  # quotes in several languages and scripts
]

#: a new blank node per solution: one for each actor's class
BLANK_NODE_ANSWER = ("CONSTRUCT { ?s <urn:x:note> [ <urn:x:about> ?o ] } WHERE { ?s a ?o "
                     "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/kgraph/actor/')) }")


@pytest.mark.parametrize("query", GRAPH_ANSWERS)
def test_a_graph_answer_in_ntriples_natively_is_the_python_paths_bytes(query):
    from kgraph.readwrite.rdf import serialize_graph

    text = (REPO / "queries" / query).read_text() if query.endswith(".rq") else query
    oxigraph = load_project(REPO, backend="oxigraph")
    native = oxigraph.construct_dump(text, "nt")
    assert native is not None and native.count(b"\n") > 10
    assert native == serialize_graph(oxigraph.query(text).graph, "nt")
    memory = load_project(REPO, backend="memory")
    assert native == serialize_graph(memory.query(text).graph, "nt")


@pytest.mark.parametrize("query", GRAPH_ANSWERS + [
    BLANK_NODE_ANSWER])
def test_a_graph_answer_in_turtle_natively_is_the_reference_answer(query):
    """Turtle written by the store (no rdflib Graph) parses, with rdflib's reader, to
    the graph the rdflib/pySHACL reference backend answers, blank nodes included; it
    is the sorted Turtle ``export`` writes for the same triples, with the prefixes it
    uses declared."""
    from kgraph.backends.oxigraph import OxigraphBackend
    from kgraph.backends.sorted_turtle import write_sorted_turtle

    text = (REPO / "queries" / query).read_text() if query.endswith(".rq") else query
    native = load_project(REPO, backend="oxigraph").construct_dump(text, "turtle")
    reference = load_project(REPO, backend="memory").query(text).graph
    assert len(reference) > 10
    assert isomorphic(Graph().parse(data=native, format="turtle"), reference)
    answered = OxigraphBackend()
    answered.store.load(reference.serialize(format="nt", encoding="utf-8"),
                        format=__import__("pyoxigraph").RdfFormat.N_TRIPLES)
    exported = answered.dump("turtle")
    body = exported[exported.index(b"\n\n"):]
    assert native.endswith(body) and native.count(b"@prefix") < exported.count(b"@prefix")
    assert native == write_sorted_turtle(answered.ntriples_lines(), used_prefixes_only=True)


def test_a_graph_answer_with_blank_nodes_is_written_the_same_in_every_process(tmp_path):
    """Blank nodes get canonical labels (RDFC-1.0), not the labels of one run: two
    processes under different hash seeds write the same bytes."""
    query = tmp_path / "blank.rq"
    query.write_text(BLANK_NODE_ANSWER + "\n")
    outputs = set()
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "kgraph", "--root", str(REPO), "-q",
                               "query", str(query)], capture_output=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed))
        outputs.add(done.stdout)
    assert len(outputs) == 1 and b"_:" in outputs.pop()


def test_a_select_has_no_native_graph_answer():
    store = load_project(REPO, backend="oxigraph")
    assert store.construct_dump("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "nt") is None
    assert store.construct_dump("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "jsonld") is None


def test_query_format_nt_gives_the_memory_backends_bytes(run):
    memory = run("--root", REPO, "-q", "--backend", "memory", "query",
                 REPO / "queries" / "construct-co-voicing.rq", "--format", "nt")
    default = run("--root", REPO, "-q", "query",
                  REPO / "queries" / "construct-co-voicing.rq", "--format", "nt")
    assert memory.exit_code == default.exit_code == 0
    assert default.stdout_bytes == memory.stdout_bytes and default.stdout_bytes
