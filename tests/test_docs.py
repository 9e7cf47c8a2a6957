"""kgraph docs: pyLODE's reference plus the front page for what pyLODE leaves out."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SKOS

from kgraph.namespaces import KG
from kgraph.results import compact

from .conftest import REPO


class Elements(HTMLParser):
    """Tags and ids of an HTML page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.ids.update(value for name, value in attrs if name == "id" and value)


def parsed(path) -> Elements:
    elements = Elements()
    elements.feed(path.read_text(encoding="utf-8"))
    return elements


def test_docs_cover_every_term_enumeration_disjointness_and_scheme(run, tmp_path):
    out = tmp_path / "docs"
    result = run("--root", REPO, "docs", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == f"{(out / 'index.html').resolve()}\n"
    reference = (out / "ontology.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "pyLODE" in reference
    ontology = Graph().parse(REPO / "ontology" / "revisionism.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
             OWL.NamedIndividual)
    terms = {s for k in kinds for s in ontology.subjects(RDF.type, k)
             if str(s).startswith(str(KG))}
    assert len(terms) > 55
    missing = sorted(compact(t) for t in terms
                     if f"<code>{t}</code>" not in reference
                     and f"<code>{compact(t)}</code>" not in index)
    assert not missing, missing
    ids = parsed(out / "index.html").ids
    assert {"kg-DirectQuote", "kg-Paraphrase", "kg-ReportingMode", "disjointness"} <= ids
    assert "<code>kg:Narrative</code>, <code>kg:NarrativeAttribution</code>, <code>kg:Office</code>" \
        in index  # a disjointness axiom, listed
    data = Graph()
    for path in (REPO / "graph").glob("*.ttl"):
        data.parse(path)
    for scheme in data.subjects(RDF.type, SKOS.ConceptScheme):
        concepts = set(data.subjects(SKOS.inScheme, scheme))
        assert concepts and {compact(c).replace(":", "-") for c in concepts} <= ids, scheme
    assert 'href="ontology.html"' in index


def test_docs_escape_every_text(run, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "graph").mkdir()
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    (root / "graph" / "narratives.ttl").write_text(f"""
@prefix narr: <https://w3id.org/kgraph/narrative/> .
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
narr:scheme a skos:ConceptScheme ; skos:prefLabel "{payload}"@en ;
    skos:hasTopConcept narr:x .
narr:x a kg:Narrative , skos:Concept ; skos:inScheme narr:scheme ;
    skos:prefLabel "{payload}"@en ; skos:altLabel "{payload}"@en ;
    skos:definition "{payload}"@en .
""", encoding="utf-8")
    assert run("--root", root, "docs", "-o", tmp_path / "out").exit_code == 0
    page = parsed(tmp_path / "out" / "index.html")
    assert "script" not in page.tags and "img" not in page.tags
    assert "&lt;script&gt;" in (tmp_path / "out" / "index.html").read_text()


def test_docs_without_an_ontology_is_an_input_error(run, mini, tmp_path):
    result = run("--root", mini, "docs", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "no ontology to document" in result.stderr


def test_docs_front_page_is_byte_identical_across_hash_seeds(tmp_path):
    import os
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2024"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "kgraph", "--root", str(REPO), "docs", "-o",
                        str(out)], env=dict(os.environ, PYTHONHASHSEED=seed), check=True,
                       capture_output=True)
        pages.append((out / "index.html").read_bytes())
    assert pages[0] == pages[1]
