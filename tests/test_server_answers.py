"""The same answers on real servers as on the local backends: every catalogue query
(parameters bound and unbound), validate (compiled SHACL shapes and violation
queries), seeded skos:broader cycles, CONSTRUCT answers and blank nodes, each on the
Oxigraph server and on OpenLink Virtuoso 7.2 (the ``oxigraph_server`` and
``virtuoso_server`` fixtures, tests/servers.py), read through
``EndpointBackend(url, graph=…)`` from one named graph while a second, different copy
of data sits in another named graph on the same server: scoping must keep it out.

Each server is loaded once for the module. The answers of the servers' own result
formats are read as users read them (SPARQL results JSON/XML, N-Triples), and the
canned answers at the end are Virtuoso's own bytes, as it sends them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kgraph.backends.endpoint import EndpointBackend, HttpResponse
from kgraph.catalogue import read_catalogue, run_query
from kgraph.errors import BackendError
from kgraph.load import load_project
from kgraph.validate import validate_project

from .conftest import MINI, REPO
from .test_backends import runnable, same_answer

GRAPH = "urn:kgraph:test:answers"    # the shipped project
DECOY = "urn:kgraph:test:decoy"      # another project's data, with a broader cycle
SEEDED = "urn:kgraph:test:seeded"    # the shipped graph with seeded violations
CYCLES = "urn:kgraph:test:cycles"    # broader cycles of 1, 2 and 3 steps, a diamond
BLANKS = "urn:kgraph:test:blanks"    # blank nodes

KG = "https://w3id.org/kgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

#: Values for the catalogue's parameters, each chosen to find rows; every query also
#: runs with no value given (defaults apply, optional parameters stay unbound).
PARAMETER_VALUES = {
    "statements.rq": [{"actor": "actor:lavrov"},
                      {"from": "2021-01-01", "to": "2021-06-30"},
                      {"actor": "actor:lukashenka", "from": "2020-08-01"}],
    "timeline.rq": [{"from": "2021-01-01", "to": "2021-06-30"}, {"to": "2020-12-31"}],
    "acts-by-category.rq": [{"category": "cat:defensive"}],
    "narrative-attributions.rq": [{"narrative": "narr:besieged-fortress"}],
    "besieged-fortress.rq": [{"narrative": "narr:anti-western-confrontation"}],
    "provenance.rq": [{"statement": "stmt:lavrov-2021-05-27-ryanair"},
                      {"statement": "stmt:kuleba-2021-11-15-hybrid-war"}],
}
CATALOGUE = {query.name: query for query in read_catalogue(REPO)}
CALLS = [(name, {}) for name, query in sorted(CATALOGUE.items()) if runnable(query)] + [
    (name, values) for name, calls in sorted(PARAMETER_VALUES.items()) for values in calls]

SERVERS = [pytest.param("oxigraph_server", marks=pytest.mark.server, id="oxigraph"),
           pytest.param("virtuoso_server", marks=pytest.mark.server, id="virtuoso")]

CYCLES_TURTLE = f"""\
@prefix kg: <{KG}> . @prefix skos: <{SKOS}> . @prefix e: <http://example.org/> .
e:a a kg:Narrative ; skos:broader e:b . e:b a kg:Narrative ; skos:broader e:a .
e:c a kg:Narrative ; skos:broader e:d . e:d a kg:Narrative ; skos:broader e:e .
e:e a kg:Narrative ; skos:broader e:c .
e:f a kg:RevisionismCategory ; skos:broader e:f .
e:g a kg:Narrative ; skos:broader e:h . e:h a kg:Narrative .
e:i a kg:Narrative ; skos:broader e:h , e:j . e:j a kg:Narrative ; skos:broader e:h .
e:k a kg:Narrative ; skos:broader e:c .
"""
CYCLE_MEMBERS = [f"http://example.org/{x}" for x in "abcdef"]

BLANKS_TURTLE = f"""\
@prefix kg: <{KG}> . @prefix e: <http://example.org/> .
e:x kg:note [ kg:text "one" ; kg:next [ kg:text "two" ] ] ; kg:list ( e:y e:z ) .
"""


def seeded_graph() -> Graph:
    """The shipped graph with every SHACL mutation of test_shacl_sparql (violations),
    its undated events (warnings), and what two violation queries look for: a
    2-cycle of skos:broader and a speaker office with no membership."""
    from .test_shacl_sparql import MUTATIONS

    graph = load_project(REPO).to_graph()
    for mutation in MUTATIONS:
        mutation.apply(graph)
    graph.parse(data=f"""\
@prefix kg: <{KG}> . @prefix skos: <{SKOS}> .
@prefix narr: <https://w3id.org/kgraph/narrative/> .
narr:western-hypocrisy skos:broader narr:besieged-fortress .
narr:besieged-fortress skos:broader narr:western-hypocrisy .
<https://w3id.org/kgraph/statement/lavrov-2021-05-27-ryanair>
    kg:speakerOffice <https://w3id.org/kgraph/office/ukraine-foreign-minister> .
""", format="turtle")
    return graph


def project_with(graph: Graph, folder: Path) -> Path:
    """A project folder (the shipped ontology and queries) whose graph/ is ``graph``."""
    for sub in ("ontology", "queries"):
        shutil.copytree(REPO / sub, folder / sub)
    (folder / "graph").mkdir()
    ontology = Graph()
    for path in (REPO / "ontology").glob("*.ttl"):
        ontology.parse(path, format="turtle")
    data = Graph()
    for triple in graph:
        if triple not in ontology:
            data.add(triple)
    data.serialize(folder / "graph" / "seeded.ttl", format="turtle")
    return folder


@pytest.fixture(scope="module")
def local():
    """The shipped project on the memory backend, and its answers as they are asked."""
    return load_project(REPO), {}


def local_answer(local, name: str, values: dict):
    store, answers = local
    key = (name, tuple(sorted(values.items())))
    if key not in answers:
        answers[key] = run_query(store, CATALOGUE[name], values)
    return answers[key]


@pytest.fixture(scope="module")
def seeded_project(tmp_path_factory):
    return project_with(seeded_graph(), tmp_path_factory.mktemp("seeded"))


@pytest.fixture(scope="module", params=SERVERS)
def server(request, local, seeded_project):
    """A server holding the shipped project in GRAPH and, in other named graphs, a
    decoy (the mini project with a broader cycle), the seeded graph, the cycles and
    the blank nodes."""
    server = request.getfixturevalue(request.param)
    shipped = local[0].to_graph().serialize(format="nt", encoding="utf-8")
    decoy = load_project(MINI).to_graph()
    decoy.parse(data=CYCLES_TURTLE, format="turtle")
    seeded = load_project(seeded_project).to_graph()
    for graph, data in ((GRAPH, shipped),
                        (DECOY, decoy.serialize(format="nt", encoding="utf-8")),
                        (SEEDED, seeded.serialize(format="nt", encoding="utf-8")),
                        (CYCLES, CYCLES_TURTLE.encode()),
                        (BLANKS, BLANKS_TURTLE.encode())):
        server.put_graph(graph, data)
    return server


def endpoint(server, graph: str = GRAPH) -> EndpointBackend:
    return EndpointBackend(server.query_url, graph=graph)


def size(answer) -> int:
    return len(answer.rows) if answer.kind == "SELECT" else len(answer.graph)


# ------------------------------------------------------------------ catalogue

@pytest.mark.parametrize("name,values", CALLS,
                         ids=[f"{n}{''.join('-' + k for k in v)}" for n, v in CALLS])
def test_catalogue_query_gives_the_local_answer(server, local, name, values):
    expected = local_answer(local, name, values)
    answer = run_query(endpoint(server), CATALOGUE[name], values)
    assert same_answer(answer, expected), name
    if values:  # the values were chosen to find something: a check that ran on nothing fails
        assert size(expected) > 0


def test_every_parameter_is_exercised():
    """Each declared parameter is bound in some call, each optional one also left
    unbound (every runnable query runs once with no values)."""
    for name, query in CATALOGUE.items():
        bound = {key for call_name, values in CALLS if call_name == name for key in values}
        assert {p.name for p in query.parameters} <= bound | set(query.defaults), name


def test_the_decoy_graph_is_kept_out(server, local):
    """The other named graph holds statements too (the mini project's): scoped to
    GRAPH, the server counts exactly the local triples."""
    assert len(endpoint(server)) == len(local[0])
    assert len(endpoint(server, DECOY)) != len(local[0])


# ------------------------------------------------------------------ validate

def report_keys(report) -> list[tuple]:
    return sorted((r.severity, r.focus, r.path, r.message, r.rule, r.value, r.label,
                   r.location) for r in report.results)


@pytest.fixture(scope="module")
def seeded_report(seeded_project):
    """The local validate of the seeded project (pySHACL and the violation queries on
    the memory backend)."""
    return validate_project(seeded_project, backend=load_project(seeded_project))


def test_validate_on_the_endpoint_equals_the_local_validate(server, seeded_project,
                                                            seeded_report):
    """Compiled SHACL shapes and the violation queries on the server give pySHACL's
    and the local queries' results, seeded violations and warnings included; the
    decoy graph's cycle (example.org concepts) is not reported."""
    remote = validate_project(seeded_project, backend=endpoint(server, SEEDED))
    rules = {r.rule for r in seeded_report.results}
    assert seeded_report.count("Violation") > 15 and seeded_report.count("Warning") > 0
    assert "queries/broader-cycle-violation.rq" in rules
    assert "queries/speaker-office-violation.rq" in rules
    assert report_keys(remote) == report_keys(seeded_report)
    assert not any("example.org" in r.focus for r in remote.results)


def test_seeded_broader_cycles_are_found(server, tmp_path):
    """Cycles of one, two and three steps; not the concept with two parents on one
    path (e:i), nor one that only leads into a cycle (e:k). The same on the local
    backends."""
    from kgraph.backends import open_backend

    query = CATALOGUE["broader-cycle-violation.rq"]
    answer = run_query(endpoint(server, CYCLES), query, {})
    assert sorted(str(row[0]) for row in answer.rows) == CYCLE_MEMBERS
    path = tmp_path / "cycles.ttl"
    path.write_text(CYCLES_TURTLE, encoding="utf-8")
    for backend in ("memory", "oxigraph"):
        store = open_backend(backend)
        store.load([path])
        assert same_answer(answer, run_query(store, query, {})), backend


# ------------------------------------------------------------------ RDF answers

def test_blank_nodes_read_back(server):
    """Blank nodes come back as blank nodes with usable labels (Virtuoso names them
    nodeID://b10093), in SELECT and in CONSTRUCT answers, and the graph is the same."""
    store = endpoint(server, BLANKS)
    rows = store.query(f"SELECT ?note ?text WHERE {{ ?note <{KG}text> ?text }}").rows
    assert len(rows) == 2
    for note, _text in rows:
        assert isinstance(note, BNode) and str(note).replace("_", "").isalnum()
    answer = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isomorphic(answer.graph, Graph().parse(data=BLANKS_TURTLE, format="turtle"))
    # one blank node is one node throughout an answer
    (first, again), = store.query(f'SELECT ?n ?m WHERE {{ ?n <{KG}next> ?x . '
                                  f'?m <{KG}text> "one" }}').rows
    assert first == again


def test_a_graph_answer_is_written_as_the_local_default_writes_it(server):
    """A CONSTRUCT's Turtle and N-Triples from the server are the local default
    backend's bytes (sorted, every kgraph prefix, blank nodes labelled canonically),
    as the export's are: the same answer reads the same wherever it was asked."""
    from kgraph.backends.oxigraph import OxigraphBackend
    from kgraph.catalogue import query_answer_bytes

    query = CATALOGUE["construct-co-voicing.rq"]
    default = load_project(REPO, backend="oxigraph")
    for fmt in ("turtle", "nt"):
        remote = query_answer_bytes(endpoint(server), query, {}, fmt)
        assert remote == query_answer_bytes(default, query, {}, fmt), fmt
        assert remote.count(b"\n") > 100
    here = OxigraphBackend()
    here.store.load(BLANKS_TURTLE.encode(), format=__import__("pyoxigraph").RdfFormat.TURTLE)
    every = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    for fmt in ("turtle", "nt"):
        assert endpoint(server, BLANKS).construct_dump(every, fmt) == \
            here.construct_dump(every, fmt), fmt


def test_a_graph_answer_with_virtuosos_names_is_written_in_standard_form(server):
    """Virtuoso's ``nodeID://`` names and ``1``/``0`` booleans in a CONSTRUCT answer
    are written as blank nodes and ``true``/``false``, as the rdflib path reads them:
    the bytes of the local default backend for the standard graph."""
    from kgraph.backends.oxigraph import OxigraphBackend

    graph = "urn:kgraph:test:nonstandard"
    server.put_graph(graph, (
        "<http://example.org/x> <http://example.org/flag> "
        '"1"^^<http://www.w3.org/2001/XMLSchema#boolean> ;\n'
        "  <http://example.org/next> <nodeID://b7> .\n"
        "<nodeID://b7> <http://example.org/flag> "
        '"0"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n').encode())
    here = OxigraphBackend()
    here.store.load(b"<http://example.org/x> <http://example.org/flag> true ; "
                    b"<http://example.org/next> [ <http://example.org/flag> false ] .",
                    format=__import__("pyoxigraph").RdfFormat.TURTLE)
    every = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    for fmt in ("turtle", "nt"):
        written = endpoint(server, graph).construct_dump(every, fmt)
        assert written == here.construct_dump(every, fmt), fmt
        assert b"nodeID" not in written and b"_:" in written


def test_graphml_export_equals_the_local_one(server, local):
    """GraphML (Gephi's rules: unique node ids) from the server is the local export,
    byte for byte (the graph holds the ontology's blank nodes)."""
    from xml.etree import ElementTree

    from kgraph.export import export_graph

    exported = export_graph(endpoint(server), "graphml")
    assert exported == export_graph(local[0], "graphml")
    tree = ElementTree.fromstring(exported)
    ids = [node.get("id") for node in tree.iter("{http://graphml.graphdrawing.org/xmlns}node")]
    assert len(ids) > 50 and len(ids) == len(set(ids))


def test_booleans_come_back_as_booleans(server):
    """A stored xsd:boolean and an ASK answer are booleans (Virtuoso stores true as 1)."""
    store = endpoint(server)
    rows = store.query(f"SELECT DISTINCT ?former WHERE {{ ?m <{KG}former> ?former }}").rows
    assert rows == [(Literal(True),)]
    assert store.query(f"ASK {{ ?m <{KG}former> true }}").boolean is True
    assert store.query("ASK { <http://example.org/none> ?p ?o }").boolean is False


# ------------------------------------------------------------------ canned answers

def parse(body: bytes, content_type: str, form: str = "SELECT"):
    backend = EndpointBackend("http://127.0.0.1:9/sparql")
    return backend.parse_answer(HttpResponse(200, content_type, body), form)


VIRTUOSO_JSON = b"""
{ "head": { "link": [], "vars": ["s", "b", "n"] },
  "results": { "distinct": false, "ordered": true, "bindings": [
    { "s": { "type": "bnode", "value": "nodeID://b10005" }\t,
      "b": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1" }\t,
      "n": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1" }},
    { "s": { "type": "uri", "value": "nodeID://b10005" }\t,
      "b": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "0" }\t,
      "n": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "0" }} ] } }
"""
VIRTUOSO_XML = b"""<sparql xmlns="http://www.w3.org/2005/sparql-results#">
 <head><variable name="s"/></head>
 <results distinct="false" ordered="true">
  <result><binding name="s"><bnode>nodeID://b10005</bnode></binding></result>
 </results>
</sparql>"""


def test_virtuoso_blank_node_names_and_booleans():
    """Virtuoso's own bytes: nodeID:// names (as bnode, and as uri) are one blank node;
    xsd:boolean 1/0 are true/false; an xsd:integer 1 stays an integer (a COUNT of
    one is not a boolean: validate reads its own flags, see test_shacl_sparql)."""
    answer = parse(VIRTUOSO_JSON, "application/sparql-results+json")
    (s1, b1, n1), (s2, b2, n2) = answer.rows
    assert isinstance(s1, BNode) and s1 == s2 and "/" not in str(s1)
    assert (b1, b2) == (Literal(True), Literal(False))
    assert (n1, n2) == (Literal(1), Literal(0))
    (s3,), = parse(VIRTUOSO_XML, "application/sparql-results+xml").rows
    assert isinstance(s3, BNode) and str(s3) == str(s1)


def test_an_rdf_answer_with_virtuoso_names():
    body = (b"<nodeID://b1> <http://example.org/p> "
            b"\"1\"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n")
    graph = parse(body, "application/n-triples", "CONSTRUCT").graph
    (s, _p, o), = graph
    assert isinstance(s, BNode) and o == Literal(True)


def test_accept_by_query_form():
    from kgraph.backends.endpoint import QUERY_ACCEPT

    assert QUERY_ACCEPT["SELECT"] == QUERY_ACCEPT["ASK"]
    assert "sparql-results" in QUERY_ACCEPT["ASK"]
    for form in ("CONSTRUCT", "DESCRIBE"):
        assert "sparql-results" not in QUERY_ACCEPT[form]
        assert QUERY_ACCEPT[form].startswith("application/n-triples")


def test_a_construct_answered_as_bindings_is_an_error():
    """What Virtuoso sent for a CONSTRUCT under one Accept header for all forms: JSON
    bindings with a "lang" key. A clear error, not a graph."""
    body = (b'{ "head": { "vars": [ "s", "p", "o" ] }, "results": { "bindings": [ '
            b'{ "s": { "type": "uri", "value": "http://e/a" }, "p": { "type": "uri", '
            b'"value": "http://e/p" }, "o": { "type": "literal", "lang": "en", '
            b'"value": "x" } } ] } }')
    with pytest.raises(BackendError):
        backend = EndpointBackend("http://127.0.0.1:9/sparql")
        backend.checked(backend.parse_answer(
            HttpResponse(200, "application/sparql-results+json", body), "CONSTRUCT"),
            "CONSTRUCT", None)
