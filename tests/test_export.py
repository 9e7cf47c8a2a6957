"""Export: round trip, determinism across processes, GraphML/GEXF under Gephi's rules,
CSV."""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from xml.etree import ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kgraph.cli import cli
from kgraph.export import export_graph
from kgraph.paths import atomic_write
from kgraph.views import project_view

from .conftest import REPO


def test_turtle_round_trip_is_isomorphic(shipped_store):
    data = export_graph(shipped_store, "turtle")
    assert isomorphic(Graph().parse(data=data, format="turtle"), shipped_store.to_graph())


@pytest.mark.parametrize("fmt, parser", [("nt", "nt"), ("jsonld", "json-ld"),
                                         ("xml", "xml"), ("trig", "trig")])
def test_other_rdf_formats_round_trip(shipped_store, fmt, parser):
    data = export_graph(shipped_store, fmt)
    assert len(Graph().parse(data=data, format=parser)) == len(shipped_store)


def export_in_process(seed: str, *args: str, backend: str | None = None) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    chosen = ["--backend", backend] if backend else []
    return subprocess.run([sys.executable, "-m", "kgraph", "--root", str(REPO), *chosen,
                           "export", *args], env=env, check=True,
                          capture_output=True).stdout


def test_turtle_is_byte_identical_across_processes_and_hash_seeds():
    first = export_in_process("1")
    second = export_in_process("4242")
    assert first == second
    assert first.startswith(b"@prefix act: <https://w3id.org/kgraph/act/> .\n")


@pytest.mark.parametrize("fmt", ["xml", "jsonld", "trig", "nt"])
@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_every_rdf_format_is_byte_identical_across_hash_seeds(fmt, backend):
    """rdflib's RDF/XML writer walks sets (subjects, predicates): its bytes followed
    PYTHONHASHSEED until the writer was given a graph that iterates in sorted order."""
    first = export_in_process("1", "--format", fmt, backend=backend)
    assert first and first == export_in_process("4242", "--format", fmt, backend=backend)


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
#: Gephi's ImporterGraphML reads a key as a drawing property when its id *or* its
#: attr.name is one of these (d3/d7 are yEd's label keys); an id that means another
#: property than the key's name would be misread
GEPHI_NODE_KEYS = {"label": "label", "d3": "label", "x": "x", "xpos": "x", "y": "y",
                   "ypos": "y", "z": "z", "size": "size", "r": "r", "g": "g", "b": "b"}
GEPHI_EDGE_KEYS = {"label": "label", "edgelabel": "label", "d7": "label",
                   "weight": "weight", "Edge Weight": "weight", "id": "id", "edgeid": "id",
                   "r": "r", "g": "g", "b": "b"}


def gephi_graphml_problems(data: bytes) -> list[str]:
    """What Gephi's GraphML importer would drop or misread, checked on the XML itself
    (Gephi cannot run here; these are the rules of its ImporterGraphML): key ids
    unique across node and edge keys, no key id that Gephi maps to another property
    than its name, every <data> naming a key declared for its element, node ids
    unique, every edge with an id of its own and both ends declared as nodes."""
    root = ET.fromstring(data)
    problems = []
    keys = root.findall(GRAPHML + "key")
    ids = [k.get("id") for k in keys]
    problems += [f"key id {i} repeats" for i in sorted({i for i in ids if ids.count(i) > 1})]
    declared = {}
    for key in keys:
        known = GEPHI_NODE_KEYS if key.get("for") == "node" else GEPHI_EDGE_KEYS
        by_id, by_name = known.get(key.get("id")), known.get(key.get("attr.name"))
        if by_id is not None and by_id != by_name:
            problems.append(f"key {key.get('id')} ({key.get('attr.name')}) is read as {by_id}")
        declared[key.get("id")] = key.get("for")
    graph = root.find(GRAPHML + "graph")
    nodes = [n.get("id") for n in graph.findall(GRAPHML + "node")]
    if len(set(nodes)) != len(nodes):
        problems.append("node ids repeat")
    edges = graph.findall(GRAPHML + "edge")
    edge_ids = [e.get("id") for e in edges]
    if None in edge_ids or len(set(edge_ids)) != len(edge_ids):
        problems.append(f"{len(edge_ids) - len(set(edge_ids) - {None})} edges without an "
                        "id of their own")
    node_set = set(nodes)
    problems += [f"edge {e.get('id')} has an undeclared end" for e in edges
                 if e.get("source") not in node_set or e.get("target") not in node_set]
    for element in [*graph.findall(GRAPHML + "node"), *edges]:
        domain = element.tag.removeprefix(GRAPHML)
        for item in element.findall(GRAPHML + "data"):
            if declared.get(item.get("key")) != domain:
                problems.append(f"{domain} {element.get('id')}: data key {item.get('key')} "
                                f"is not a {domain} key")
    return problems


def test_gephi_rules_catch_what_networkx_named_keys_write():
    """The checker itself: networkx's GraphML with named key ids (what kgraph wrote
    before) repeats key ids across nodes and edges, and its edge ids are the multigraph
    keys, 0 for the first edge between any two nodes."""
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A")
    graph.add_node("b", label="B")
    graph.add_edge("a", "b", label="x")
    graph.add_edge("b", "a", label="y")
    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, named_key_ids=True)
    problems = gephi_graphml_problems(buffer.getvalue())
    assert "key id label repeats" in problems
    assert any("without an id of their own" in p for p in problems)


def test_graphml_keeps_every_edge_under_gephis_rules(shipped_store):
    data = export_graph(shipped_store, "graphml")
    assert gephi_graphml_problems(data) == []
    full = project_view(shipped_store, "full")
    root = ET.fromstring(data)
    edges = root.find(GRAPHML + "graph").findall(GRAPHML + "edge")
    assert len(edges) == full.number_of_edges() > 1900
    assert [e.get("id") for e in edges[:3]] == ["e0", "e1", "e2"]
    names = {(k.get("for"), k.get("attr.name")) for k in root.findall(GRAPHML + "key")}
    assert {("node", "label"), ("node", "kind"), ("edge", "label"), ("edge", "kind"),
            ("edge", "weight")} <= names
    # plain GraphML: no yEd/yFiles dialect
    assert b"yworks" not in data and b"xmlns:y" not in data and b"<y:" not in data


def test_graphml_opens_with_networkx_and_igraph_readers(shipped_store, tmp_path):
    import igraph

    data = export_graph(shipped_store, "graphml")
    graph = nx.read_graphml(io.BytesIO(data))
    assert graph.number_of_nodes() > 100
    assert graph.nodes["https://w3id.org/kgraph/actor/lavrov"]["label"] == "Sergei Lavrov"
    path = tmp_path / "kgraph.graphml"
    path.write_bytes(data)
    assert igraph.Graph.Read_GraphML(str(path)).ecount() == graph.number_of_edges()


def fake_day_export(day: str, *args: str) -> bytes:
    """The CLI's output in a fresh process whose clock says ``day`` (what networkx's
    GEXF writer stamped as lastmodifieddate)."""
    stamp = datetime.datetime.fromisoformat(day).timestamp()
    code = ("import time, sys\n"
            f"time.time = lambda: {stamp}\n"
            "_lt = time.localtime\n"
            f"time.localtime = lambda s=None: _lt({stamp} if s is None else s)\n"
            "from kgraph.cli import cli\n"
            "cli(sys.argv[1:], prog_name='kgraph')\n")
    return subprocess.run([sys.executable, "-c", code, "--root", str(REPO), "export",
                           *args], check=True, capture_output=True).stdout


def test_gexf_is_byte_identical_across_days_and_runs_without_networkx_internals():
    first = fake_day_export("2026-12-01T12:00:00", "--format", "gexf")
    assert first == fake_day_export("2031-07-04T08:00:00", "--format", "gexf")
    assert first == export_in_process("99", "--format", "gexf")
    assert b"networkx_key" not in first and b"lastmodifieddate" not in first
    root = ET.fromstring(first)
    edges = root.find(GEXF + "graph").find(GEXF + "edges").findall(GEXF + "edge")
    assert len({e.get("id") for e in edges}) == len(edges) > 1900
    ids = [a.get("id") for a in root.iter(GEXF + "attribute")]  # node and edge columns
    assert ids and len(ids) == len(set(ids))
    assert nx.read_gexf(io.BytesIO(first)).number_of_edges() == len(edges)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_view_export_carries_the_pages_picture(shipped_store, fmt):
    """--view writes the projection the page draws, with its layout: the same
    positions (y negated: Gephi's axis points up), sizes and fill colours."""
    from kgraph.layout import compute_layout
    from kgraph.render import NODE_STYLES, label_boxes, page_data

    view = project_view(shipped_store, "actor-narrative")
    positions = compute_layout(view, boxes=label_boxes(view))
    drawn = {row["id"]: row for row in page_data(view, positions)["nodes"]}
    data = export_graph(shipped_store, fmt, view="actor-narrative")
    if fmt == "graphml":
        assert gephi_graphml_problems(data) == []
        graph = nx.read_graphml(io.BytesIO(data))
        read = {n: (d["x"], d["y"], d["size"], (d["r"], d["g"], d["b"]))
                for n, d in graph.nodes(data=True)}
    else:
        root = ET.fromstring(data)
        read = {}
        for node in root.iter(GEXF + "node"):
            position, colour = node.find(VIZ + "position"), node.find(VIZ + "color")
            read[node.get("id")] = (float(position.get("x")), float(position.get("y")),
                                    float(node.find(VIZ + "size").get("value")),
                                    tuple(int(colour.get(c)) for c in "rgb"))
    assert set(read) == set(drawn) and len(read) == view.number_of_nodes()
    for node, (x, y, size, rgb) in read.items():
        row = drawn[node]
        fill = NODE_STYLES[row["style"]][3]
        assert (x, y, size) == (row["x"], -row["y"], row["size"]), node
        assert "#%02x%02x%02x" % rgb == fill, node


def test_view_goes_only_with_network_formats(run):
    result = CliRunner().invoke(cli, ["--root", str(REPO), "export", "--view", "full",
                                      "--format", "turtle"])
    assert result.exit_code == 2
    assert "--view" in result.output and "graphml or gexf" in result.output


def test_csv_has_one_row_per_statement(shipped_store):
    rows = list(csv.DictReader(io.StringIO(export_graph(shipped_store, "csv").decode())))
    statements = shipped_store.query(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a "
        "<https://w3id.org/kgraph/ontology#Statement> }").rows[0][0]
    assert len(rows) == int(statements)
    by_id = {r["statement"]: r for r in rows}
    ryanair = [r for r in rows if r["speaker_label"] == "Sergei Lavrov"
               and "demonizing" in r["quote"]]
    assert ryanair and ryanair[0]["locators"].startswith("p. 16")
    # every statement has the document's passage; only direct quotes and paraphrases
    # that quote some words have the speaker's words, and the two never coincide
    assert all(r["passages"] and r["locators"] for r in by_id.values())
    # a course of conduct the text does not date has no date (000 p. 163, fn. 43), nor
    # does a statement whose day came only from the press item reporting it
    assert by_id["https://w3id.org/kgraph/statement/kremlin-2021-11-17-red-lines"]["date"] == ""
    assert sum(1 for r in by_id.values() if r["date"]) >= len(by_id) // 2
    assert all(r["quote"] for r in by_id.values() if r["reported_as"] == "direct quote")
    assert all(q not in {p.split(": ", 1)[1] for p in r["passages"].split(" | ")}
               for r in by_id.values() for q in r["quote"].split(" | ") if q)
    bessmertny = by_id["https://w3id.org/kgraph/statement/bessmertny-2021-11-11-migration-crisis"]
    assert (bessmertny["reported_as"], bessmertny["quote"]) == ("paraphrase", "")
    assert bessmertny["passages"].startswith("p. 164, fn. 46: Former Ukrainian Ambassador")


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.ttl"
    target.write_text("old")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    from kgraph.errors import InputError

    with pytest.raises(InputError, match="cannot write: disk full"):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_atomic_write_replaces(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old")
    atomic_write(target, "new")
    assert target.read_text() == "new"


def test_export_to_file(run, tmp_path):
    out = tmp_path / "graph.ttl"
    result = run("--root", REPO, "export", "-o", out)
    assert result.exit_code == 0
    assert result.stderr == f"wrote {out}\n"
    assert Path(out).read_bytes() == export_in_process("7")


# ------------------------------------------------------------------ prefixes, TriG

@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml", "trig"])
def test_no_generated_prefixes_and_ours_declared(fmt):
    """No ``ns1:`` (rdflib's name for an unbound namespace) in any RDF export, and the
    prefixes kg: and vann: (the ontology header's) declared in each syntax's own way."""
    data = export_in_process("3", "--format", fmt)
    assert b"ns1" not in data and b"ns2" not in data
    declared = {
        "turtle": [b"@prefix kg: <https://w3id.org/kgraph/ontology#> .",
                   b"@prefix vann: <http://purl.org/vocab/vann/> ."],
        "trig": [b"@prefix kg: <https://w3id.org/kgraph/ontology#> .",
                 b"@prefix vann: <http://purl.org/vocab/vann/> ."],
        "xml": [b'xmlns:kg="https://w3id.org/kgraph/ontology#"',
                b'xmlns:vann="http://purl.org/vocab/vann/"'],
        "jsonld": [b'"kg": "https://w3id.org/kgraph/ontology#"',
                   b'"vann": "http://purl.org/vocab/vann/"'],
        "nt": [],
    }[fmt]
    for declaration in declared:
        assert declaration in data, declaration


def test_trig_has_a_named_graph_per_file_with_prefixed_instances(shipped_store):
    from rdflib import Dataset

    data = export_in_process("5", "--format", "trig")
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    names = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    expected = {"https://w3id.org/kgraph/ontology"} | {
        f"https://w3id.org/kgraph/graph/{p.stem}" for p in (REPO / "graph").glob("*.ttl")}
    assert set(names) == expected
    assert len(dataset.default_graph) == 0
    union = Graph()
    for graph in dataset.graphs():
        union += graph
    assert isomorphic(union, shipped_store.to_graph())
    assert len(Graph().parse(REPO / "graph" / "actors.ttl")) == \
        names["https://w3id.org/kgraph/graph/actors"]
    # instances written as prefixed names, not <https://w3id.org/kgraph/actor/…>
    assert b"\n    actor:lavrov a kg:Person" in data
    unprefixed = re.findall(rb"<https://w3id.org/kgraph/(?!graph/)[^>]*[^/#>]>", data)
    assert set(unprefixed) == {b"<https://w3id.org/kgraph/ontology>"}  # a graph name
    assert data == export_in_process("77", "--format", "trig")


# ------------------------------------------------------------------------- JSON-LD

def test_jsonld_is_compacted_with_a_context_and_byte_stable(shipped_store):
    import json

    first = export_in_process("11", "--format", "jsonld")
    assert first == export_in_process("12345", "--format", "jsonld")
    document = json.loads(first)
    context = document["@context"]
    assert context["kg"] == "https://w3id.org/kgraph/ontology#"
    assert context["speaker"] == {"@id": "kg:speaker", "@type": "@id"}
    lavrov = next(n for n in document["@graph"] if n["@id"] == "actor:lavrov")
    assert lavrov["@type"] == "kg:Person"
    expanded = shipped_store.to_graph().serialize(format="json-ld", encoding="utf-8")
    assert len(first) < 0.75 * len(expanded)  # compacted, not rdflib's expanded form
    assert isomorphic(Graph().parse(data=first, format="json-ld"), shipped_store.to_graph())


def lower_language_tags(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def test_jsonld_round_trips_through_pyld(shipped_store):
    """pyld, the JSON-LD reference processor in Python, expands our context and writes
    N-Quads that rdflib reads back as the same graph (up to the case of language tags,
    which JSON-LD processors lower-case: BCP 47 tags are case-insensitive)."""
    import json

    import pyld.jsonld
    document = json.loads(export_graph(shipped_store, "jsonld"))
    nquads = pyld.jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert isomorphic(lower_language_tags(Graph().parse(data=nquads, format="nquads")),
                      lower_language_tags(shipped_store.to_graph()))
    compacted = pyld.jsonld.compact(document, document["@context"])
    assert any(n.get("@id") == "actor:lavrov" for n in compacted["@graph"])


# ------------------------------------------------------------- SPARQL results XML

def test_select_and_ask_as_sparql_results_xml(run):
    from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

    select = run("--root", REPO, "query", REPO / "queries" / "actors.rq", "--format", "xml")
    assert select.exit_code == 0
    parsed = XMLResultParser().parse(io.BytesIO(select.stdout_bytes))
    csv_rows = list(csv.reader(io.StringIO(run("--root", REPO, "query", REPO / "queries" /
                                               "actors.rq", "--format", "csv").stdout)))
    assert parsed.type == "SELECT"
    assert [str(v) for v in parsed.vars] == csv_rows[0]
    assert len(parsed.bindings) == len(csv_rows) - 1 > 100
    lavrov = [b for b in parsed.bindings
              if str(b.get(parsed.vars[0])) == "https://w3id.org/kgraph/actor/lavrov"]
    assert lavrov and lavrov[0][parsed.vars[1]].language == "en"


def test_ask_as_sparql_results_xml(run, tmp_path):
    from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

    ask = tmp_path / "ask.rq"
    ask.write_text("PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"
                   "ASK { ?s a kg:Statement }\n")
    result = run("--root", REPO, "query", ask, "--format", "xml")
    parsed = XMLResultParser().parse(io.BytesIO(result.stdout_bytes))
    assert (parsed.type, parsed.askAnswer) == ("ASK", True)


# ----------------------------------------------------------------------- data-only

@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_data_only_csv_has_every_column_the_full_export_has(run, backend):
    """Without the ontology the CSV's reported_as column was empty: kg:DirectQuote's
    label lives in the ontology. Data-only exports carry the labels of the terms the
    data uses, and nothing else of the ontology."""
    full = export_in_process("1", "--format", "csv")
    data_only = run("--root", REPO, "--backend", backend, "export", "--format", "csv",
                    "--data-only").stdout_bytes
    assert data_only == full
    rows = list(csv.DictReader(io.StringIO(data_only.decode())))
    assert rows and all(r["reported_as"] in ("direct quote", "paraphrase") for r in rows)


def test_data_only_turtle_keeps_term_labels_but_no_axioms():
    from rdflib.namespace import OWL, RDF, RDFS

    from kgraph.namespaces import KG

    graph = Graph().parse(data=export_in_process("1", "--data-only"), format="turtle")
    assert not set(graph.subjects(RDF.type, OWL.Class))
    assert (KG.DirectQuote, RDFS.label, Literal("direct quote", lang="en")) in graph
    assert (KG.speaker, RDFS.label, Literal("speaker", lang="en")) in graph
    assert not list(graph.triples((KG.speaker, RDFS.domain, None)))
