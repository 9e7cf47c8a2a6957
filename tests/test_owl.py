"""OWL: the ontology and the ``--profile owl-dl`` export reasoned over by HermiT.

HermiT (Protégé's default reasoner) runs through owlready2, which ships it and needs
Java: locally the tests skip without ``java``; with CI=true a missing Java fails
(.ci/run installs Debian's default-jre-headless).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace
from rdflib.namespace import OWL, RDF

from kgraph.export import export_graph
from kgraph.namespaces import KG, NARR
from kgraph.readwrite.owl import OWL2_DATATYPES, owl_dl_graph

from .conftest import REPO

pytestmark = pytest.mark.java


def java_or_skip() -> None:
    if shutil.which("java") is None:
        message = "java is missing for the HermiT tests (apt-get install default-jre-headless)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def hermit(path: Path):
    """Load ``path`` with owlready2 and run HermiT; returns the world reasoned over,
    raises what HermiT reports (owlready2.OwlReadyInconsistentOntologyError, or
    OwlReadyJavaError when it refuses the input)."""
    import owlready2

    java_or_skip()
    world = owlready2.World()
    world.get_ontology(path.resolve().as_uri()).load()
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


def test_ontology_alone_is_consistent_under_hermit(tmp_path):
    path = tmp_path / "ontology.nt"
    Graph().parse(REPO / "ontology" / "revisionism.ttl").serialize(path, format="nt",
                                                                  encoding="utf-8")
    world = hermit(path)
    assert len(list(world.classes())) > 20  # it reasoned over the ontology, not nothing


def test_owl_dl_export_is_consistent_under_hermit(shipped_store, tmp_path):
    path = tmp_path / "kgraph.owl"
    path.write_bytes(export_graph(shipped_store, "xml", profile="owl-dl"))
    world = hermit(path)
    assert len(list(world.individuals())) > 800  # the data, not only the ontology
    lavrov = world.search_one(iri="https://w3id.org/kgraph/actor/lavrov")
    # HermiT's inferred types reach the reused classes (kg:Person ⊑ foaf:Person)
    assert "http://xmlns.com/foaf/0.1/Person" in {c.iri for c in lavrov.INDIRECT_is_a
                                                  if hasattr(c, "iri")}


def test_plain_export_is_what_hermit_refuses(shipped_store, tmp_path):
    """Why the profile exists: the coded dates (xsd:gYearMonth, …) make HermiT abort."""
    import owlready2

    path = tmp_path / "plain.nt"
    path.write_bytes(export_graph(shipped_store, "nt"))
    with pytest.raises(owlready2.OwlReadyJavaError, match="OWL 2 datatype map"):
        hermit(path)


def test_hermit_finds_a_disjointness_clash_in_the_owl_dl_export(shipped_store, tmp_path):
    """The reasoner really reasons over the export: a narrative also typed as an event
    (disjoint classes) makes it inconsistent."""
    import owlready2

    graph = owl_dl_graph(shipped_store.to_graph())
    narrative = next(iter(graph.subjects(RDF.type, KG.Narrative)))
    graph.add((narrative, RDF.type, KG.Event))
    path = tmp_path / "clash.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit(path)


def test_owl_dl_profile_keeps_every_date_as_its_text(shipped_store):
    """The mapping the README documents: dates outside the OWL 2 datatype map become
    xsd:string of the same lexical form; nothing else changes but added
    owl:NamedIndividual types."""
    original = shipped_store.to_graph()
    profiled = Graph().parse(data=export_graph(shipped_store, "turtle", profile="owl-dl"),
                             format="turtle")
    outside = [(s, p, o) for s, p, o in original
               if isinstance(o, Literal) and o.datatype and o.datatype not in OWL2_DATATYPES]
    assert len(outside) >= 100  # the corpus's dates: 127 when this was written
    assert {o.datatype for *_, o in outside} == {
        namespace.XSD.date, namespace.XSD.gYear, namespace.XSD.gYearMonth}
    for s, p, o in outside:
        assert (s, p, Literal(str(o), datatype=namespace.XSD.string)) in profiled
    assert not [o for o in profiled.objects() if isinstance(o, Literal) and o.datatype
                and o.datatype not in OWL2_DATATYPES]
    added = {t for t in profiled if t not in original
             and not any(isinstance(term, BNode) for term in t)}
    assert {p for _, p, _ in added} == {RDF.type, *{p for _, p, _ in outside}}
    assert (URIRef("https://w3id.org/kgraph/actor/lavrov"), RDF.type,
            OWL.NamedIndividual) in profiled
    assert (NARR["western-hypocrisy"], RDF.type, OWL.NamedIndividual) in profiled


def test_reused_properties_have_one_declared_kind(shipped_store):
    """What the OWL API's DL profile checker asks of the export: every property the
    data uses is declared, with one kind (object, datatype or annotation)."""
    graph = owl_dl_graph(shipped_store.to_graph())
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    builtin = {RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
               URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}
    problems = []
    for predicate in sorted(set(graph.predicates())):
        if predicate in builtin or str(predicate).startswith(
                ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#",
                 "http://www.w3.org/1999/02/22-rdf-syntax-ns#")):
            continue
        declared = [k for k in kinds if (predicate, RDF.type, k) in graph]
        if len(declared) != 1:
            problems.append(f"{predicate}: {declared}")
    assert not problems, problems
    for name in ("isReferencedBy", "language", "rights"):
        assert (URIRef(f"http://purl.org/dc/terms/{name}"), RDF.type,
                OWL.AnnotationProperty) in graph
