"""The memory and oxigraph backends give the same answers; oxigraph's own behaviour
(persisted store, errors, native export) and the pieces they share (VALUES binding,
sorted Turtle, the benchmark generator)."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kgraph.backends import open_backend
from kgraph.backends.sparql_values import (bind_with_values, sparql_term,
                                           where_group_start)
from kgraph.backends.sorted_turtle import bcp47_case, write_sorted_turtle
from kgraph.catalogue import read_catalogue, run_query
from kgraph.errors import BackendError, InputError, UsageError
from kgraph.load import load_project

from .conftest import MINI, REPO

KG = "https://w3id.org/kgraph/ontology#"
SHIPPED = bool(list((REPO / "graph").glob("*.ttl")))


def runnable(query) -> bool:
    """A catalogue query that runs without the user giving a value."""
    return all(not p.required or p.name in query.defaults for p in query.parameters)


def same_answer(a, b) -> bool:
    """Equal SELECT rows (as multisets: engines may order ties differently), equal
    booleans, or isomorphic graphs."""
    if a.kind != b.kind:
        return False
    if a.kind == "SELECT":
        return a.variables == b.variables and sorted(map(repr, a.rows)) == sorted(
            map(repr, b.rows))
    if a.kind == "ASK":
        return a.boolean == b.boolean
    return isomorphic(a.graph, b.graph)


# ------------------------------------------------------------------ same answers

@pytest.fixture(scope="module")
def mini_stores():
    return load_project(MINI), load_project(MINI, backend="oxigraph")


MINI_CALLS = [("statements.rq", {}), ("statements.rq", {"actor": "actor:lavrov"}),
              ("statements.rq", {"actor": "actor:lukashenka"}),
              ("speaker-of.rq", {"statement": "stmt:lavrov-2021-05-27-ryanair"}),
              ("construct-voices.rq", {}), ("missing-speaker-violation.rq", {})]


@pytest.mark.parametrize("name,values", MINI_CALLS)
def test_mini_queries_agree(mini_stores, name, values):
    memory, oxigraph = mini_stores
    query = next(q for q in read_catalogue(MINI) if q.name == name)
    a, b = run_query(memory, query, values), run_query(oxigraph, query, values)
    assert same_answer(a, b)
    assert a.rows == b.rows  # every mini query is fully ordered


def test_optional_parameter_filters_on_oxigraph(mini_stores):
    """FILTER(!BOUND(?__actor_iri) || …) sees the bound value (pyoxigraph's own
    substitutions would leave it unbound and return every statement)."""
    _memory, oxigraph = mini_stores
    query = next(q for q in read_catalogue(MINI) if q.name == "statements.rq")
    assert len(run_query(oxigraph, query, {"actor": "actor:lavrov"}).rows) == 1
    assert run_query(oxigraph, query, {"actor": "actor:lukashenka"}).rows == []


def test_mini_graph_and_count_agree(mini_stores):
    memory, oxigraph = mini_stores
    assert len(memory) == len(oxigraph) == len(memory.to_graph())
    assert isomorphic(memory.to_graph(), oxigraph.to_graph())


def test_ask_and_describe(mini_stores):
    memory, oxigraph = mini_stores
    ask = f"PREFIX kg: <{KG}> ASK {{ ?s kg:speaker ?o }}"
    assert memory.query(ask).boolean is oxigraph.query(ask).boolean is True
    describe = "DESCRIBE <https://w3id.org/kgraph/actor/lavrov>"
    assert oxigraph.query(describe).kind == "DESCRIBE"
    assert len(oxigraph.query(describe).graph) == 3


def test_literal_binding_with_quotes_and_braces(mini_stores):
    """A bound literal full of SPARQL syntax is data, not query text."""
    memory, oxigraph = mini_stores
    text = f"PREFIX kg: <{KG}> SELECT ?s WHERE {{ ?s kg:quote ?q }}"
    hostile = Literal('x" } ; DROP ALL ; { "', lang="en")
    for store in (memory, oxigraph):
        assert store.query(text, {"q": hostile}).rows == []
    real = Literal("demonizing people who are not liked there", lang="en")
    assert memory.query(text, {"q": real}).rows == oxigraph.query(text, {"q": real}).rows
    assert len(oxigraph.query(text, {"q": real}).rows) == 1


def test_unsafe_iri_binding_is_refused(mini_stores):
    _memory, oxigraph = mini_stores
    with pytest.raises(UsageError, match="not a valid IRI"):
        oxigraph.query("SELECT ?o WHERE { ?s ?p ?o }",
                       {"s": URIRef("http://x> } ; DROP ALL ; <http://y")})


@pytest.mark.skipif(not SHIPPED, reason="graph/*.ttl not there yet")
def test_shipped_graph_agrees():
    memory = load_project(REPO)
    oxigraph = load_project(REPO, backend="oxigraph")
    assert len(memory) == len(oxigraph)
    assert isomorphic(memory.to_graph(), oxigraph.to_graph())
    ran = 0
    for query in read_catalogue(REPO):
        if not runnable(query):
            continue
        assert same_answer(run_query(memory, query), run_query(oxigraph, query)), query.name
        ran += 1
    assert ran > 0


@pytest.mark.skipif(not SHIPPED, reason="graph/*.ttl not there yet")
def test_shipped_stats_and_exports_agree():
    from kgraph.export import export_graph
    from kgraph.stats import compute_stats

    memory = load_project(REPO, data_only=True)
    oxigraph = load_project(REPO, backend="oxigraph", data_only=True)
    assert compute_stats(memory) == compute_stats(oxigraph)
    # graph/ has no blank nodes: sorted N-Triples are the same bytes on both
    assert export_graph(memory, "nt") == export_graph(oxigraph, "nt")
    turtle = export_graph(oxigraph, "turtle")
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), memory.to_graph())
    assert b"@ru-Latn" in turtle or b"-Latn" not in export_graph(memory, "nt")


# ------------------------------------------------------------------ oxigraph export

def test_turtle_is_deterministic_with_blank_nodes(tmp_path):
    """Blank nodes get fresh ids on every parse; canonical labels make the output the
    same bytes anyway, in another process too."""
    (tmp_path / "g.ttl").write_text(
        '@prefix kg: <https://w3id.org/kgraph/ontology#> .\n'
        'kg:A kg:oneOf ( kg:B kg:C ) ; kg:note [ kg:text "x\\u2028y"@ru-Latn ] .\n',
        encoding="utf-8")
    script = ("import sys; from pathlib import Path; from kgraph.backends import "
              "open_backend; s = open_backend('oxigraph'); s.load([Path(sys.argv[1])]); "
              "sys.stdout.buffer.write(s.dump('turtle'))")
    outputs = [subprocess.run([sys.executable, "-c", script, str(tmp_path / "g.ttl")],
                              capture_output=True, check=True).stdout for _ in range(2)]
    assert outputs[0] == outputs[1]
    assert b"_:c14n" in outputs[0] and b'"x\xe2\x80\xa8y"@ru-Latn' in outputs[0]
    memory = open_backend("memory")
    memory.load([tmp_path / "g.ttl"])
    assert isomorphic(Graph().parse(data=outputs[0], format="turtle"), memory.to_graph())


def test_sorted_turtle_layout():
    lines = ['<https://w3id.org/kgraph/actor/b> <http://www.w3.org/2004/02/skos/core#'
             'prefLabel> "B"@en .',
             '<https://w3id.org/kgraph/actor/a> <https://w3id.org/kgraph/ontology#page> '
             '"12"^^<http://www.w3.org/2001/XMLSchema#integer> .',
             '<https://w3id.org/kgraph/actor/a> <http://www.w3.org/1999/02/22-rdf-syntax-'
             'ns#type> <https://w3id.org/kgraph/ontology#Person> .',
             '<https://w3id.org/kgraph/actor/a> <https://w3id.org/kgraph/ontology#x> '
             '<https://w3id.org/kgraph/actor/needs%20escape> .']
    text = write_sorted_turtle(lines).decode()
    body = text.split("\n\n", 1)[1]
    assert body == ("actor:a a kg:Person ;\n    kg:page 12 ;\n"
                    "    kg:x <https://w3id.org/kgraph/actor/needs%20escape> .\n\n"
                    "actor:b skos:prefLabel \"B\"@en .\n")


def test_bcp47_case():
    assert bcp47_case("ru-latn") == "ru-Latn"
    assert bcp47_case("en-gb") == "en-GB"
    assert bcp47_case("en") == "en"
    assert bcp47_case("x-private-ab") == "x-private-ab"


# ------------------------------------------------------------------ errors

def test_oxigraph_turtle_error_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix kg: <https://w3id.org/kgraph/ontology#> .\n'
                   'kg:a kg:b kg:c .\nkg:a kg:b "open .\n', encoding="utf-8")
    store = open_backend("oxigraph")
    with pytest.raises(InputError) as caught:
        store.load([bad])
    assert caught.value.path == bad and caught.value.line == 3
    assert len(store) == 0  # a file that fails adds nothing


def test_oxigraph_sparql_errors(mini_stores):
    _memory, oxigraph = mini_stores
    with pytest.raises(InputError, match="undeclared prefix ex:") as caught:
        oxigraph.query("SELECT * WHERE {\n  ?s ex:p ?o }", source="q.rq")
    assert (caught.value.line, caught.value.column) == (2, 6)
    with pytest.raises(InputError, match="SPARQL syntax error") as caught:
        oxigraph.query("SELECT * WHERE {\n ?s ?p }", source="q.rq")
    assert caught.value.line == 2


# ------------------------------------------------------------------ persisted store

def test_persisted_store_loads_once_and_reloads_on_change(mini, tmp_path):
    folder = tmp_path / "store"
    first = load_project(mini, backend="oxigraph", store_dir=folder)
    count = len(first)
    assert first.reused is False
    first.close()
    second = load_project(mini, backend="oxigraph", store_dir=folder)
    assert second.reused is True and len(second) == count
    second.close()
    actors = mini / "graph" / "actors.ttl"
    actors.write_text(actors.read_text(encoding="utf-8") +
                      '\nactor:lavrov skos:altLabel "Лавров"@ru .\n', encoding="utf-8")
    third = load_project(mini, backend="oxigraph", store_dir=folder)
    assert third.reused is False and len(third) == count + 1
    third.close()


def test_persisted_store_in_use_is_a_clear_error(mini, tmp_path):
    folder = tmp_path / "store"
    holder = load_project(mini, backend="oxigraph", store_dir=folder)
    with pytest.raises(BackendError, match="in use"):
        open_backend("oxigraph", store_dir=folder)
    holder.close()


def test_store_refuses_foreign_folders(mini, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="holds no Oxigraph store"):
        open_backend("oxigraph", store_dir=tmp_path / "notes")
    # an Oxigraph store somebody else filled is not ours to clear
    import pyoxigraph

    foreign = pyoxigraph.Store(str(tmp_path / "foreign"))
    foreign.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://a"),
                                pyoxigraph.NamedNode("http://b"),
                                pyoxigraph.Literal("c")))
    foreign.flush()
    del foreign
    store = open_backend("oxigraph", store_dir=tmp_path / "foreign")
    with pytest.raises(BackendError, match="not made by kgraph"):
        load_project(mini, backend=store)
    assert len(store) == 1


# ------------------------------------------------------------------ VALUES binding

def test_values_go_into_the_where_group():
    query = ("PREFIX ex: <http://e/>\n# a { brace in a comment\n"
             "CONSTRUCT { ?s ex:p \"}\" } WHERE { ?s ex:p ?o }")
    start = where_group_start(query)
    assert query[start - 1] == "{" and query[start:].startswith(" ?s ex:p ?o")
    bound = bind_with_values(query, {"o": Literal("v")})
    assert 'WHERE { VALUES (?o) { ("v") } ?s ex:p ?o }' in bound
    assert bind_with_values("DESCRIBE ?x", {"x": URIRef("http://e/a")}).endswith(
        "VALUES (?x) { (<http://e/a>) }\n")


def test_values_also_go_into_sub_queries_that_use_the_parameter():
    query = ('SELECT ?s ?n WHERE {\n'
             '  ?s <http://e/p> ?_x .\n'
             '  { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s <http://e/q> ?_x } GROUP BY ?s }\n'
             '  { SELECT ?s WHERE { ?s <http://e/r> "SELECT { ?_x }" } }\n'
             '  OPTIONAL { SELECT ?s WHERE { { SELECT ?s WHERE { ?_x <http://e/q> ?s } } } }\n'
             '}')
    bound = bind_with_values(query, {"_x": URIRef("http://e/a")})
    block = "VALUES (?_x) { (<http://e/a>) }"
    lines = bound.splitlines()
    assert lines[0] == "SELECT ?s ?n WHERE { " + block          # the WHERE group
    assert "WHERE { " + block + " ?s <http://e/q> ?_x }" in lines[2]  # uses it
    assert block not in lines[3]                        # only in a string: untouched
    # the outer sub-query only holds one that uses it; the inner one gets the block
    assert lines[4] == ("  OPTIONAL { SELECT ?s WHERE { { SELECT ?s WHERE { " + block
                        + " ?_x <http://e/q> ?s } } } }")
    assert len(lines) == len(query.splitlines())      # error positions keep their lines


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_parameter_binds_inside_an_aggregating_sub_query(backend, tmp_path):
    """One meaning for a parameter everywhere, as rdflib's initBindings and grlc's
    text substitution give it: a sub-query counts for the bound resource only."""
    store = open_backend(backend)
    graph = Graph().parse(data="""@prefix e: <http://e/> .
        e:a e:q 1 , 2 . e:b e:q 3 .""", format="turtle")
    path = tmp_path / "data.ttl"
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    store.load([path])
    answer = store.query("SELECT ?s ?n WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { "
                         "BIND(?_x AS ?s) ?s <http://e/q> ?o } GROUP BY ?s } }",
                         {"_x": URIRef("http://e/a")})
    assert answer.rows == [(URIRef("http://e/a"), Literal(2))]


def test_sparql_term_escapes_and_refuses():
    assert sparql_term(Literal('a"b\\c\nd', lang="en")) == '"a\\"b\\\\c\\nd"@en'
    assert sparql_term(Literal("5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#"
                                                    "integer"))) == \
        '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
    with pytest.raises(UsageError):
        sparql_term(URIRef("http://e/a b"))
    with pytest.raises(UsageError):
        bind_with_values("SELECT * {}", {"bad name": Literal("x")})


# ------------------------------------------------------------------ CLI options

def test_cli_backend_options(run, mini, tmp_path):
    query = mini / "queries" / "statements.rq"
    memory = run("--root", mini, "query", query, "--format", "csv")
    oxigraph = run("--root", mini, "--backend", "oxigraph", "query", query, "--format", "csv")
    assert memory.exit_code == oxigraph.exit_code == 0
    assert memory.stdout == oxigraph.stdout
    stored = run("--root", mini, "--store", tmp_path / "st", "query", query,
                 "--format", "csv")
    assert stored.exit_code == 0 and stored.stdout == memory.stdout
    assert (tmp_path / "st" / "CURRENT").is_file()
    wrong = run("--root", mini, "--backend", "memory", "--store", tmp_path / "st",
                "stats")
    assert wrong.exit_code == 2 and "--store" in wrong.output
    missing = run("--root", mini, "--backend", "endpoint", "stats")
    assert missing.exit_code == 2 and "needs --endpoint" in missing.output


def test_cli_backend_from_environment(run, mini):
    result = run("--root", mini, "stats", env={"KGRAPH_BACKEND": "oxigraph"})
    assert result.exit_code == 0 and "triples: 28" in result.output


# ------------------------------------------------------------------ generator

def test_generator_is_exact_and_deterministic():
    from kgraph.benchgen import generate_turtle

    data = generate_turtle(3000, seed=7)
    assert data == generate_turtle(3000, seed=7)
    assert data != generate_turtle(3000, seed=8)
    graph = Graph().parse(data=data, format="turtle")
    assert len(graph) == 3000
    languages = {o.language for o in graph.objects(None, URIRef(KG + "quote"))}
    assert {"en", "ru", "pl"} <= languages


def test_generator_conforms_to_the_rules(tmp_path):
    from kgraph.benchgen import generate_turtle
    from kgraph.validate import validate_project

    (tmp_path / "graph").mkdir()
    (tmp_path / "ontology").mkdir()
    for path in (REPO / "ontology").glob("*.ttl"):
        (tmp_path / "ontology" / path.name).write_bytes(path.read_bytes())
    if (REPO / "queries").is_dir():  # the violation queries check it too
        (tmp_path / "queries").mkdir()
        for path in (REPO / "queries").glob("*-violation.rq"):
            (tmp_path / "queries" / path.name).write_bytes(path.read_bytes())
    (tmp_path / "graph" / "generated.ttl").write_bytes(generate_turtle(2500))
    report = validate_project(tmp_path, backend=load_project(tmp_path))
    assert report.passes, [(r.focus, r.message) for r in report.results[:5]]


def test_aggregating_queries_agree_across_engines_on_a_generated_graph(tmp_path):
    """The catalogue's aggregating queries on data with many claims, speakers and
    multi-valued lists (the shipped graph has few): both engines give the same rows,
    and the co-voicing network is the projection of speaker × narrative."""
    from kgraph.benchgen import generate_turtle

    for sub in ("ontology", "queries"):
        (tmp_path / sub).mkdir()
        for path in (REPO / sub).iterdir():
            (tmp_path / sub / path.name).write_bytes(path.read_bytes())
    (tmp_path / "graph").mkdir()
    (tmp_path / "graph" / "generated.ttl").write_bytes(generate_turtle(10000, seed=3))
    memory, oxigraph = load_project(tmp_path), load_project(tmp_path, backend="oxigraph")
    catalogue = {q.name: q for q in read_catalogue(tmp_path)}

    for name in ("contested-claims.rq", "hypocrisy-charges.rq", "narratives-by-actor.rq"):
        expected = run_query(memory, catalogue[name], {})
        assert run_query(oxigraph, catalogue[name], {}).rows == expected.rows, name
    pairs = run_query(memory, catalogue["contested-claims.rq"], {}).records()
    assert len(pairs) >= 3 and all(row["quote_a"] and row["document_b"] for row in pairs)

    network = run_query(memory, catalogue["construct-co-voicing.rq"], {}).graph
    assert set(network) == set(run_query(oxigraph, catalogue["construct-co-voicing.rq"],
                                          {}).graph)
    voiced: dict = {}
    for speaker, narrative in memory.query(
            f"SELECT ?a ?n WHERE {{ ?s <{KG}speaker> ?a ; <{KG}voices> ?n }}").rows:
        voiced.setdefault(speaker, set()).add(narrative)
    expected_links = {(a, b): len(voiced[a] & voiced[b]) for a in voiced for b in voiced
                      if str(a) < str(b) and voiced[a] & voiced[b]}
    links = {(a, b) for a, _, b in network.triples((None, URIRef(KG + "coVoices"), None))}
    assert links == set(expected_links) and len(links) > 10
    RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    for edge in network.subjects(URIRef(RDF + "predicate"), URIRef(KG + "coVoices")):
        a = network.value(edge, URIRef(RDF + "subject"))
        b = network.value(edge, URIRef(RDF + "object"))
        assert network.value(edge, URIRef(RDF + "value")).toPython() == expected_links[a, b]


def test_cli_bench_generate(run, tmp_path):
    out = tmp_path / "g.ttl"
    result = run("bench", "generate", "--triples", "2000", "-o", out)
    assert result.exit_code == 0
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    run("bench", "generate", "--triples", "2000", "-o", out)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert run("bench", "generate", "--triples", "10").exit_code == 2
