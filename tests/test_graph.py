"""The shipped graph: it validates, covers the corpus, and every quote is verbatim."""

from __future__ import annotations

import os

import pytest

from kgraph.namespaces import sparql_prologue
from kgraph.quotes import check_quotes
from kgraph.validate import validate_project

from .conftest import CORPUS, REPO


def count(store, class_name: str) -> int:
    query = sparql_prologue() + (
        f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a/rdfs:subClassOf* kg:{class_name} }}")
    return int(store.query(query).rows[0][0])


def test_shipped_graph_validates_with_zero_violations(shipped_store):
    report = validate_project(REPO, backend=shipped_store)
    assert [(r.focus, r.path, r.message) for r in report.results
            if r.severity != "Warning"] == []
    assert report.passes
    # the only warnings: events no document dates (unknown stays unknown)
    assert {r.rule for r in report.results} <= {"shapes.ttl kgsh:Event-dateKnown"}


@pytest.mark.parametrize("class_name, at_least", [
    ("Statement", 50), ("Actor", 100), ("Narrative", 30), ("Act", 11), ("Event", 40),
    ("Claim", 80), ("CategoryJudgement", 11), ("Document", 4)])
def test_corpus_coverage(shipped_store, class_name, at_least):
    assert count(shipped_store, class_name) >= at_least


def test_every_spelling_of_lukashenka_is_an_alt_label(shipped_store):
    rows = shipped_store.query(sparql_prologue() + """
        SELECT ?label WHERE { actor:lukashenka skos:altLabel ?label }""").rows
    labels = {str(label) for (label,) in rows}
    assert {"Lukashenko", "Łukaszenka", "Лукашенко"} <= labels


def test_the_three_categories_have_judgements_by_the_article_authors(shipped_store):
    rows = shipped_store.query(sparql_prologue() + """
        SELECT DISTINCT ?category WHERE {
          ?judgement kg:category ?category ; kg:judgedBy actor:slowikowski ;
                     kg:judgedAct/kg:performer/kg:affiliatedState? actor:russia .
        }""").rows
    assert {str(c).rsplit("/", 1)[-1] for (c,) in rows} == {
        "offensive", "defensive", "isolationist"}


def test_the_memo_contradicts_the_full_spectrum_thesis(shipped_store):
    rows = shipped_store.query(sparql_prologue() + """
        SELECT ?memo WHERE {
          ?memo kg:contradicts|^kg:contradicts claim:full-spectrum-revisionism ;
                kg:evidence/kg:document doc:belarus-russia-memo .
        }""").rows
    assert rows


def test_unknown_metadata_stays_unknown(shipped_store):
    rows = shipped_store.query(sparql_prologue() + """
        SELECT ?p WHERE { doc:belarus-russia-memo ?p ?o
          FILTER(?p IN (dcterms:creator, dcterms:title, dcterms:date)) }""").rows
    assert rows == []


def test_every_quote_is_verbatim_in_its_document(shipped_store):
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpus missing in CI: {CORPUS}")
        pytest.skip(f"no corpus at {CORPUS}")
    report = check_quotes(shipped_store, CORPUS)
    assert [(f.resource, f.quote) for f in report.failures] == []
    assert report.checked > 100
