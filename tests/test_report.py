"""The validation report as a SHACL 1.0 report (SHACL §3.6), on both backends.

The report graph is itself validated, with pySHACL, against shapes written from §3.6
(tests/data/shacl-report-shapes.ttl); counts are compared with pySHACL's own report on
seeded bad data, where a top-level result is what Jena's `shacl` counts too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH

from kgraph.backends.memory import parse_turtle_file
from kgraph.load import load_project
from kgraph.namespaces import KG
from kgraph.validate import report_graph, top_level_results, validate_project

from .conftest import REPO
from .test_shacl_sparql import expected_warnings

REPORT_SHAPES = Path(__file__).parent / "data" / "shacl-report-shapes.ttl"
BAD_DATE = '"21 May 2021"^^xsd:date'


def structure_problems(report: Graph) -> str:
    """"" when ``report`` has the structure of a SHACL 1.0 report, else pySHACL's text."""
    conforms, _, text = pyshacl.validate(report, shacl_graph=parse_turtle_file(REPORT_SHAPES),
                                         inference="none")
    return "" if conforms else text


def seeded_project(tmp_path: Path) -> Path:
    """A copy of the shipped project (shapes and violation queries included) with one
    statement's date written as prose: "21 May 2021"^^xsd:date."""
    root = tmp_path / "seeded"
    for folder in ("graph", "ontology", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "graph" / "statements.ttl"
    text = path.read_text(encoding="utf-8")
    found = re.search(r'kg:date "[0-9]{4}-[0-9]{2}-[0-9]{2}"\^\^xsd:date', text)
    path.write_text(text[:found.start()] + f"kg:date {BAD_DATE}" + text[found.end():],
                    encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    return seeded_project(tmp_path_factory.mktemp("report"))


def test_report_checker_rejects_what_the_issue_found():
    """The structure shapes themselves catch a pySHACL allow-warnings report (conforms
    true beside warnings, flattened sh:detail results)."""
    bad = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        [] a sh:ValidationReport ; sh:conforms true ; sh:result [
            a sh:ValidationResult ; sh:focusNode <urn:x> ; sh:resultSeverity sh:Warning ;
            sh:resultMessage "no language" ] .
        [] a sh:ValidationResult ; sh:focusNode "21 May 2021" ;
            sh:resultSeverity sh:Violation .""", format="turtle")
    text = structure_problems(bad)
    for needle in ("conforms is true", "sourceShape", "sourceConstraintComponent",
                   "langString", "focusNode"):
        assert needle in text, needle


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_shipped_report_is_shacl_1_0(backend):
    store = load_project(REPO, backend=backend)
    report = validate_project(REPO, backend=store)
    assert report.passes and not report.conforms
    assert report.count("Warning") == expected_warnings(store) == len(report.results)
    graph = report_graph(report)
    assert structure_problems(graph) == ""
    top = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(top, SH.conforms) == Literal(False)
    kgsh = "https://w3id.org/kgraph/shapes#"
    expected = {  # the warnings the corpus leaves open: shape → (component, path)
        URIRef(kgsh + "Event-dateKnown"): (SH.MinCountConstraintComponent, KG.date),
        URIRef(kgsh + "Statement-dateKnown"): (SH.MinCountConstraintComponent, KG.date),
        URIRef(kgsh + "NarrativeUsedShape"): (SH.OrConstraintComponent, None),
    }
    for result in graph.objects(top, SH.result):
        assert graph.value(result, SH.resultMessage).language == "en"
        shape = graph.value(result, SH.sourceShape)
        assert (graph.value(result, SH.sourceConstraintComponent),
                graph.value(result, SH.resultPath)) == expected[shape]


def test_empty_report_conforms(mini):
    report = validate_project(mini, backend=load_project(mini))
    assert report.results == [] and report.conforms
    graph = report_graph(report)
    assert structure_problems(graph) == ""
    assert (None, SH.conforms, Literal(True)) in graph


def test_seeded_bad_date_counts_as_pyshacl_top_level_and_both_backends_agree(seeded):
    store = load_project(seeded)
    shapes = parse_turtle_file(seeded / "ontology" / "shapes.ttl")
    _, pyshacl_graph, _ = pyshacl.validate(store.to_graph(), shacl_graph=shapes,
                                           inference="none", allow_warnings=True)
    expected = len(top_level_results(pyshacl_graph))
    nested = len(set(pyshacl_graph.subjects(RDF.type, SH.ValidationResult)))
    assert nested > expected  # pySHACL's sh:detail results exist, and are not counted
    reports = {name: validate_project(seeded, backend=load_project(seeded, backend=name))
               for name in ("memory", "oxigraph")}
    fields = {}
    for name, report in reports.items():
        shape_results = [r for r in report.results if r.rule.startswith("shapes.ttl")]
        assert len(shape_results) == expected, name
        assert not any(isinstance(r.focus_node, Literal) for r in report.results)
        assert report.count("Violation") and not report.passes
        graph = report_graph(report)
        assert structure_problems(graph) == "", name
        fields[name] = sorted(
            (r.severity, r.focus, r.path, r.value, r.message, r.message_language or "",
             str(r.source_shape), str(r.component)) for r in report.results)
    assert fields["memory"] == fields["oxigraph"]
    node_results = [r for r in reports["memory"].results
                    if r.component == SH.NodeConstraintComponent]
    assert node_results and all(r.value == "21 May 2021" for r in node_results)


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_validate_turtle_never_crashes_and_keeps_the_exit_code(run, seeded, backend):
    result = run("--root", seeded, "--backend", backend, "validate", "--format", "turtle")
    assert result.exit_code == 1  # violations, not a crash
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert structure_problems(graph) == ""
    assert b"ns1:" not in result.stdout_bytes


def test_warnings_only_exit_zero_and_say_so(run):
    result = run("--root", REPO, "validate", "--format", "turtle")
    assert result.exit_code == 0
    assert (None, SH.conforms, Literal(False)) in Graph().parse(data=result.stdout,
                                                                format="turtle")
    human = run("--root", REPO, "validate")
    assert human.exit_code == 0
    warnings = expected_warnings(load_project(REPO))
    assert human.stdout.endswith(
        f"0 violations, {warnings} warnings, 0 infos: passes with warnings "
        f"(sh:conforms false)\n")


def test_report_vocabulary_is_declared_in_the_ontology():
    ontology = Graph().parse(REPO / "ontology" / "revisionism.ttl")
    for term in (KG.rule, KG.definedAt):
        assert (term, RDF.type, OWL.AnnotationProperty) in ontology, term
        assert ontology.value(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
