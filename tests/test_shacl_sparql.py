"""The SHACL shapes checked as SPARQL (kgraph.shacl_sparql) give exactly pySHACL's
results, result for result, on the memory and the oxigraph backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SH, SKOS

from kgraph.backends import open_backend
from kgraph.backends.memory import parse_turtle_file
from kgraph.load import load_project
from kgraph.namespaces import ACTOR, CAT, JUDG, KG, sparql_prologue
from kgraph.shacl_sparql import (COMPONENTS, UnsupportedShape, compile_shapes,
                                 shape_results)
from kgraph.validate import (pyshacl_report, report_result, top_level_results,
                             validate_project)

from .conftest import REPO
from .test_cli import break_speaker

SHAPES = REPO / "ontology" / "shapes.ttl"


def key(result) -> tuple[str, ...]:
    return (result.severity, result.focus, result.path, result.message, result.rule,
            result.value)


def pyshacl_results(data: Graph, shapes: Graph) -> list[tuple[URIRef, tuple]]:
    """pySHACL's top-level results as sorted (constraint component, result fields)
    pairs (its nested sh:detail results explain a result; they are not results)."""
    report = pyshacl_report(data, shapes)
    return sorted((report.value(node, SH.sourceConstraintComponent),
                   key(report_result(report, node)))
                  for node in top_level_results(report))


def sparql_results(store, shapes: Graph) -> list[tuple[URIRef, tuple]]:
    return sorted((component, key(result))
                  for component, result in shape_results(store, shapes))


def memory_and_oxigraph(path: Path):
    """The Turtle file at ``path`` loaded into each backend."""
    memory, oxigraph = open_backend("memory"), open_backend("oxigraph")
    memory.load([path])
    oxigraph.load([path])
    return memory, oxigraph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse_turtle_file(SHAPES)


def expected_warnings(store) -> int:
    """What the corpus leaves open: events and statements no document dates, and
    narratives nothing in the graph uses (docs/codebook.md)."""
    return int(store.query(sparql_prologue() + """
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
          { ?x a kg:Event } UNION { ?x a kg:Statement }
          FILTER NOT EXISTS { ?x kg:date ?date }
        }""").rows[0][0]) + int(store.query(sparql_prologue() + """
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
          ?x a kg:Narrative .
          FILTER NOT EXISTS { ?used kg:voices|kg:invokes|kg:attributedNarrative|skos:broader ?x }
        }""").rows[0][0])


def test_shipped_graph(shipped_store, shapes):
    reference = pyshacl_results(shipped_store.to_graph(), shapes)
    assert len(reference) == expected_warnings(shipped_store) > 0
    assert {fields[0] for _, fields in reference} == {"Warning"}
    assert sparql_results(shipped_store, shapes) == reference
    assert sparql_results(load_project(REPO, backend="oxigraph"), shapes) == reference


# --------------------------------------------------- mutations of the shipped graph

def instances(graph: Graph, cls: URIRef, having: URIRef | None = None) -> list[URIRef]:
    """The instances of ``cls`` (with a value for ``having``), sorted."""
    return sorted(s for s in graph.subjects(RDF.type, cls)
                  if having is None or graph.value(s, having) is not None)


def replace(graph: Graph, subject: URIRef, predicate: URIRef, value) -> URIRef:
    graph.remove((subject, predicate, None))
    graph.add((subject, predicate, value))
    return subject


def drop(graph: Graph, subject: URIRef, predicate: URIRef) -> URIRef:
    graph.remove((subject, predicate, None))
    return subject


def add(graph: Graph, subject: URIRef, predicate: URIRef, *values) -> URIRef:
    for value in values:
        graph.add((subject, predicate, value))
    return subject


def misnamed_actor(graph: Graph) -> URIRef:
    actor = ACTOR["Not_Lower_Case"]
    graph.add((actor, RDF.type, KG.Person))
    graph.add((actor, SKOS.prefLabel, Literal("Misnamed actor", lang="en")))
    return actor


@dataclass
class Mutation:
    """A change to the shipped graph that breaks one constraint of shapes.ttl; each
    mutation changes its own resources, so all of them fit in one graph."""

    component: str   # the constraint component it breaks
    apply: Callable[[Graph], URIRef]  # changes the graph; returns the focus node hit
    reported: str = ""  # the component pySHACL reports, if another one

    @property
    def reported_component(self) -> URIRef:
        return SH[self.reported or self.component]


MUTATIONS = [
    Mutation("MinCountConstraintComponent",  # kgsh:Statement-speaker
             lambda g: drop(g, instances(g, KG.Statement)[0], KG.speaker)),
    Mutation("MaxCountConstraintComponent",  # kgsh:Label-rdfs
             lambda g: add(g, instances(g, KG.Evidence)[0], RDFS.label,
                           Literal("A second label", lang="en"))),
    Mutation("ClassConstraintComponent",  # kgsh:Statement-voices: an actor, not a narrative
             lambda g: add(g, instances(g, KG.Statement)[1], KG.voices,
                           instances(g, KG.Person)[0])),
    Mutation("DatatypeConstraintComponent",  # kgsh:Evidence-page as a string
             lambda g: replace(g, instances(g, KG.Evidence, KG.page)[0], KG.page,
                               Literal("12"))),
    Mutation("NodeKindConstraintComponent",  # kgsh:Document-license as text
             lambda g: add(g, instances(g, KG.Document)[0], DCTERMS.license,
                           Literal("CC BY 4.0"))),
    Mutation("PatternConstraintComponent", misnamed_actor),  # kgsh:ActorShape
    Mutation("MinLengthConstraintComponent",  # kgsh:Label-rdfs
             lambda g: replace(g, instances(g, KG.Evidence)[1], RDFS.label,
                               Literal("", lang="en"))),
    Mutation("InConstraintComponent",  # kgsh:Statement-reportedAs
             lambda g: replace(g, instances(g, KG.Statement)[2], KG.reportedAs,
                               KG.Summary)),
    Mutation("LanguageInConstraintComponent",  # kgsh:Label-rdfs in Polish
             lambda g: replace(g, instances(g, KG.Event)[0], RDFS.label,
                               Literal("Wydarzenie", lang="pl"))),
    Mutation("MinInclusiveConstraintComponent",  # kgsh:Evidence-page 0
             lambda g: replace(g, instances(g, KG.Evidence, KG.page)[1], KG.page,
                               Literal(0))),
    Mutation("HasValueConstraintComponent",  # kgsh:Narrative-inScheme
             lambda g: replace(g, instances(g, KG.Narrative)[0], SKOS.inScheme,
                               CAT.scheme)),
    Mutation("UniqueLangConstraintComponent",  # kgsh:Document-title
             lambda g: add(g, instances(g, KG.Document)[1], DCTERMS.title,
                           Literal("One title", lang="en"),
                           Literal("Another title", lang="en"))),
    Mutation("NodeConstraintComponent",  # kgsh:Statement-date → kgsh:DateValueShape
             lambda g: replace(g, instances(g, KG.Statement)[3], KG.date,
                               Literal("2021-13-45", datatype=rdflib.XSD.date))),
    Mutation("OrConstraintComponent",  # kgsh:Actor-memberOf: an event
             lambda g: add(g, instances(g, KG.Person)[1], ORG.memberOf,
                           instances(g, KG.Event)[1])),
    # shapes.ttl uses sh:not only inside sh:or: kgsh:EvidencePageShape's
    # "not (the locator cites a page) or has a page" fails through its sh:not branch
    Mutation("NotConstraintComponent",
             lambda g: drop(g, instances(g, KG.Evidence, KG.page)[2], KG.page),
             reported="OrConstraintComponent"),
]


@pytest.fixture(scope="module")
def mutated(tmp_path_factory, shapes):
    """The shipped graph with every mutation: the focus node each one hits, and the
    results of pySHACL, of SPARQL on memory and of SPARQL on oxigraph."""
    graph = load_project(REPO).to_graph()
    foci = {m.component: str(m.apply(graph)) for m in MUTATIONS}
    path = tmp_path_factory.mktemp("mutated") / "graph.ttl"
    graph.serialize(path, format="turtle")
    memory, oxigraph = memory_and_oxigraph(path)
    return (foci, pyshacl_results(memory.to_graph(), shapes),
            sparql_results(memory, shapes), sparql_results(oxigraph, shapes))


def test_every_component_of_the_shapes_has_a_mutation(shapes):
    used = {component for parameter, component in COMPONENTS.items()
            if (None, parameter, None) in shapes}
    assert {SH[m.component] for m in MUTATIONS} == used


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.component)
def test_mutation(mutated, mutation):
    foci, reference, memory, oxigraph = mutated
    focus = foci[mutation.component]
    expected = [(c, fields) for c, fields in reference if fields[1] == focus]
    assert mutation.reported_component in {c for c, _ in expected}
    assert [(c, fields) for c, fields in memory if fields[1] == focus] == expected
    assert [(c, fields) for c, fields in oxigraph if fields[1] == focus] == expected


def test_all_mutations_together(mutated):
    _foci, reference, memory, oxigraph = mutated
    assert memory == reference
    assert oxigraph == reference


# --------------------------------------------------------- small synthetic shapes

PREFIXES = """\
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def anonymous(results: list[tuple[URIRef, tuple]]) -> list[tuple[URIRef, tuple]]:
    """Results with blank node labels erased: each store names blank nodes its way
    (a focus node without a colon is a blank node; a value ``_:…`` is one)."""
    def erase(fields):
        severity, focus, path, message, rule, value = fields
        return (severity, focus if ":" in focus else "_:", path, message, rule,
                "_:" if value.startswith("_:") else value)
    return sorted((component, erase(fields)) for component, fields in results)


def same_as_pyshacl(tmp_path: Path, shapes_turtle: str,
                    data_turtle: str) -> list[tuple[URIRef, tuple]]:
    """Check the shapes on the data with pySHACL and with SPARQL on both backends;
    assert the same results and return pySHACL's."""
    shapes = Graph().parse(data=PREFIXES + shapes_turtle, format="turtle")
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + data_turtle, encoding="utf-8")
    memory, oxigraph = memory_and_oxigraph(path)
    reference = pyshacl_results(memory.to_graph(), shapes)
    assert sparql_results(memory, shapes) == reference
    assert anonymous(sparql_results(oxigraph, shapes)) == anonymous(reference)
    return reference


def values(results) -> list[str]:
    return sorted(fields[5] for _, fields in results)


def test_max_count_2(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:maxCount 2 ] .""", """
        ex:a a ex:C ; ex:p 1, 2, 3 .
        ex:b a ex:C ; ex:p 1, 2 .""")
    assert [fields[1] for _, fields in found] == ["http://example.org/a"]
    assert found[0][1][3] == "More than 2 values on <http://example.org/a>->ex:p"


def test_min_count_2_and_inverse_path(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 2 ] ,
                        [ sh:path [ sh:inversePath ex:knows ] ; sh:minCount 1 ;
                          sh:class ex:C ; sh:message "known by a C" ] .""", """
        ex:a a ex:C ; ex:p 1 ; ex:knows ex:b .
        ex:b a ex:C ; ex:p 1, 2 ; ex:knows ex:a .
        ex:c a ex:C .
        ex:d ex:knows ex:c .""")
    assert sorted((fields[1][-1], fields[2]) for _, fields in found) == [
        ("a", "http://example.org/p"), ("c", "^http://example.org/knows"),
        ("c", "http://example.org/p")]


def test_pattern_flags_and_braces(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:pattern "^abc$" ; sh:flags "mI" ] ,
                        [ sh:path ex:q ; sh:pattern "^a{2}" ] .""", """
        ex:a a ex:C ; ex:p "ABC", "x\\nabc", "abd" ; ex:q "aa", "ab" .""")
    assert values(found) == ["ab", "abd"]
    assert "Value does not match pattern '^a{2}'" in [fields[3] for _, fields in found]


def test_in_compares_terms_not_values(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:in ( 1 "x" ex:b ) ] .""", """
        ex:a a ex:C ; ex:p "01"^^xsd:integer, "1"^^xsd:decimal, "1", "x", ex:b, ex:c .""")
    # "01" reads as the integer 1; the decimal 1 (equal in value) and the string "1"
    # are other terms
    assert values(found) == ["1", "1", "http://example.org/c"]


def test_ill_typed_dates_and_integers(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:date ; sh:datatype xsd:date ] ,
                        [ sh:path ex:n ; sh:datatype xsd:integer ; sh:minInclusive 1 ] .
        """, """
        ex:a a ex:C ;
            ex:date "2021-13-45"^^xsd:date, "2021-05-27"^^xsd:date, "2020-02-29"^^xsd:date,
                "2021-02-29"^^xsd:date, "2021"^^xsd:gYear, "2021-05-27" ;
            ex:n 1, 0, "abc"^^xsd:integer, "5", 2.5 .""")
    # "5" (a string) and "abc" fail both constraints; 2.5 only sh:datatype
    assert values(found) == ["0", "2.5", "2021", "2021-02-29", "2021-05-27", "2021-13-45",
                             "5", "5", "abc", "abc"]


def test_blank_node_values(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:pattern "." ; sh:message "pattern" ] ,
                        [ sh:path ex:p ; sh:minLength 1 ; sh:message "length" ] ,
                        [ sh:path ex:p ; sh:minLength 0 ; sh:message "never" ] ,
                        [ sh:path ex:p ; sh:class ex:C ; sh:message "class" ] ,
                        [ sh:path ex:p ; sh:nodeKind sh:BlankNodeOrIRI ;
                          sh:message "kind" ] .""", """
        ex:a a ex:C ; ex:p [ a ex:C ], "text" .""")
    assert sorted((fields[3], fields[5][:2]) for _, fields in found) == [
        ("class", "te"), ("kind", "te"), ("length", "_:"), ("pattern", "_:")]


def test_top_level_not_and_generated_messages(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:not [ sh:datatype xsd:integer ] ] ,
                        [ sh:path ex:p ; sh:or ( [ sh:nodeKind sh:IRI ]
                                                [ sh:datatype xsd:string ] ) ] ,
                        [ sh:path ex:p ; sh:class ex:D ; sh:languageIn ( "en" ) ] ,
                        [ sh:path ex:p ; sh:hasValue ex:b ] .""", """
        ex:a a ex:C ; ex:p 1, "x", ex:d .""")
    assert {c for c, _ in found} == {
        SH[name] for name in ("NotConstraintComponent", "OrConstraintComponent",
                              "ClassConstraintComponent", "LanguageInConstraintComponent",
                              "HasValueConstraintComponent")}


def test_nested_shapes(tmp_path):
    """sh:node gives one result per failing value (the nested shape's own results are
    sh:detail, not results); a nested warning counts for sh:node but not in sh:or or
    sh:not (pySHACL runs with warnings allowed)."""
    found = same_as_pyshacl(tmp_path, """
        ex:Date sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ;
            sh:message "a date" .
        ex:Warn sh:nodeKind sh:IRI ; sh:severity sh:Warning ;
            sh:message "should be an IRI" .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:date ; sh:node ex:Date ] ,
                        [ sh:path ex:p ; sh:node ex:Warn ] ,
                        [ sh:path ex:p ; sh:or ( ex:Warn [ sh:datatype xsd:date ] ) ] ,
                        [ sh:path ex:p ; sh:not ex:Warn ] .""", """
        ex:a a ex:C ; ex:date "2021-13-45"^^xsd:date, "2021"^^xsd:gYear ; ex:p "x" .""")
    assert sorted((fields[1], fields[4]) for _, fields in found) == [
        ("http://example.org/a", "shapes.ttl http://example.org/date"),
        ("http://example.org/a", "shapes.ttl http://example.org/p"),
        ("http://example.org/a", "shapes.ttl http://example.org/p")]


def test_shared_property_shape_counts_once_per_node_shape(tmp_path):
    found = same_as_pyshacl(tmp_path, """
        ex:Label a sh:PropertyShape ; sh:path rdfs:label ; sh:minCount 1 ;
            sh:uniqueLang true ; sh:severity sh:Info ; sh:name "label" .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:Label .
        ex:T a sh:NodeShape ; sh:targetClass ex:D, ex:C ; sh:property ex:Label .
        ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
            sh:property ex:Label .""", """
        ex:D rdfs:subClassOf ex:C .
        ex:a a ex:D .
        ex:b a ex:C ; rdfs:label "b"@en, "bee"@EN .""")
    assert sorted((fields[0], fields[1][-1]) for _, fields in found) == [
        ("Info", "a"), ("Info", "a"), ("Info", "b"), ("Info", "b")]


def test_a_judgement_judges_exactly_one_act_or_actor(tmp_path, shapes):
    """The shipped shapes (sh:xone spelt as two sh:or) on judgements of an act, of a
    faction, of both, of neither and of an act given as the actor: the same results
    from pySHACL and from SPARQL on both backends."""
    path = tmp_path / "judgements.ttl"
    path.write_text(sparql_prologue() + """
        kg:Faction rdfs:subClassOf kg:Actor .
        act:deployment a kg:Act .
        actor:faction a kg:Faction .
        judg:of-an-act a kg:CategoryJudgement ; kg:judgedAct act:deployment .
        judg:of-a-faction a kg:CategoryJudgement ; kg:judgedActor actor:faction .
        judg:of-both a kg:CategoryJudgement ; kg:judgedAct act:deployment ;
            kg:judgedActor actor:faction .
        judg:of-nothing a kg:CategoryJudgement .
        judg:of-an-act-as-actor a kg:CategoryJudgement ; kg:judgedActor act:deployment .
        """, encoding="utf-8")
    memory, oxigraph = memory_and_oxigraph(path)
    reference = pyshacl_results(memory.to_graph(), shapes)
    assert sparql_results(memory, shapes) == reference
    assert sparql_results(oxigraph, shapes) == reference
    fired = sorted((fields[1].removeprefix(str(JUDG)), fields[4].removeprefix("shapes.ttl "))
                   for _, fields in reference
                   if "judgedAct" in fields[4] or "Target" in fields[4])
    assert fired == [("of-an-act-as-actor", "kgsh:CategoryJudgement-judgedActor"),
                     ("of-both", "kgsh:CategoryJudgementTargetShape"),
                     ("of-nothing", "kgsh:CategoryJudgementTargetShape")]


@pytest.mark.parametrize("shape,feature", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:xone ( [ sh:nodeKind sh:IRI ] ) .",
     "sh:xone"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:xone ( ex:T ) ] ) .",
     "sh:xone"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
     "sh:sparql [ sh:select 'SELECT $this WHERE { }' ] .", "sh:sparql"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:nodeKind sh:IRI .", "sh:targetNode"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
     "sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .", "complex sh:path"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:datatype xsd:decimal .",
     "sh:datatype xsd:decimal"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
     "sh:property [ sh:path ex:p ; sh:node ex:S ] .", "recursive shape"),
])
def test_unsupported_shapes_are_refused(shape, feature):
    shapes = Graph().parse(data=PREFIXES + shape, format="turtle")
    with pytest.raises(UnsupportedShape, match=feature):
        compile_shapes(shapes, source="shapes.ttl")


# --------------------------------------------------------------- validate and CLI

def test_cli_validate_on_oxigraph_matches_memory(run):
    memory = run("--root", REPO, "validate")
    oxigraph = run("--root", REPO, "--backend", "oxigraph", "validate")
    warnings = expected_warnings(load_project(REPO))
    assert (f"0 violations, {warnings} warnings, 0 infos: passes with warnings "
            f"(sh:conforms false)" in memory.stdout)
    assert (oxigraph.exit_code, oxigraph.stdout) == (memory.exit_code, memory.stdout)


@pytest.mark.parametrize("fmt", ["human", "json"])
def test_cli_validate_broken_fixture_on_oxigraph(run, mini, fmt):
    break_speaker(mini)
    memory = run("--root", mini, "validate", "--format", fmt)
    oxigraph = run("--root", mini, "--backend", "oxigraph", "validate", "--format", fmt)
    assert memory.exit_code == 1
    assert (oxigraph.exit_code, oxigraph.stdout) == (memory.exit_code, memory.stdout)


def test_validate_never_copies_the_store(monkeypatch):
    from kgraph.backends.oxigraph import OxigraphBackend

    store = load_project(REPO, backend="oxigraph")

    def refuse(self):
        raise AssertionError("validate copied the store into rdflib")

    monkeypatch.setattr(OxigraphBackend, "to_graph", refuse)
    report = validate_project(REPO, backend=store)
    assert report.passes and report.count("Warning") == expected_warnings(store)
    assert all(result.label for result in report.results)


def test_cli_unsupported_shape_is_an_input_error(run, mini):
    shapes = mini / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text() + "kg:StatementShape sh:closed true .\n")
    result = run("--root", mini, "--backend", "oxigraph", "validate")
    assert result.exit_code == 2
    assert ("shapes.ttl: shape kg:StatementShape: sh:closed is not supported"
            in result.stderr)


def test_failure_flags_are_read_as_sent_and_never_dropped(shapes):
    """A ?failN flag is 1/0 (what the queries compute), a boolean, or Virtuoso's
    xsd:boolean 1/0; anything else is an error naming the shape, not a dropped result."""
    from kgraph.errors import BackendError
    from kgraph.shacl_sparql import compile_shapes, failed

    query = compile_shapes(shapes)[0]
    assert failed(Literal(1), query) is failed(Literal(True), query) is True
    assert failed(Literal("1", datatype=rdflib.XSD.boolean), query) is True
    assert failed(Literal(0), query) is failed(Literal(False), query) is False
    assert failed(None, query) is False
    for odd in (Literal("yes"), Literal(2), URIRef("http://example.org/true")):
        with pytest.raises(BackendError, match=query.rule):
            failed(odd, query)
