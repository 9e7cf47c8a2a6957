"""Views: the RDF → networkx projections behind the seminar page (no browser needed).

The fixture is a small graph written by the rules of docs/modelling.md: actors (one of
them spelled several ways), narratives in a hierarchy, dated statements with quotes and
evidence, acts with category judgements by two analysts who disagree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.backends import BACKENDS, open_backend
from kgraph.errors import InputError, UsageError
from kgraph.load import load_project
from kgraph.namespaces import PREFIXES
from kgraph.views import (DateRange, curie, date_bounds, expand, find_node, project,
                          view_summary)

from .conftest import REPO

ONTOLOGY_TTL = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:Person a owl:Class ; rdfs:label "person"@en ; rdfs:subClassOf kg:Actor .
kg:DirectQuote a owl:NamedIndividual ; rdfs:label "direct quote"@en .
kg:Paraphrase a owl:NamedIndividual ; rdfs:label "paraphrase"@en .
"""

SEMINAR_TTL = """\
@prefix act: <https://w3id.org/kgraph/act/> .
@prefix actor: <https://w3id.org/kgraph/actor/> .
@prefix cat: <https://w3id.org/kgraph/category/> .
@prefix doc: <https://w3id.org/kgraph/document/> .
@prefix event: <https://w3id.org/kgraph/event/> .
@prefix evid: <https://w3id.org/kgraph/evidence/> .
@prefix judg: <https://w3id.org/kgraph/judgement/> .
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix narr: <https://w3id.org/kgraph/narrative/> .
@prefix office: <https://w3id.org/kgraph/office/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stmt: <https://w3id.org/kgraph/statement/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

actor:lavrov a kg:Person ;
    skos:prefLabel "Sergey Lavrov"@en ;
    skos:altLabel "Sergei Lavrov"@en, "Лавров"@ru .

actor:lukashenka a kg:Person ;
    skos:prefLabel "Alyaksandr Lukashenka"@en ;
    skos:altLabel "Lukashenka"@en, "Lukashenko"@en, "Aleksandr Lukashenko"@en,
        "Łukaszenka"@pl, "Лукашенко"@ru .

actor:putin a kg:Person ;
    skos:prefLabel "Vladimir Putin"@en .

actor:russia a kg:State ;
    skos:prefLabel "Russia"@en .

actor:nato a kg:InternationalOrganisation ;
    skos:prefLabel "NATO"@en .

actor:slowikowski a kg:Person ;
    skos:prefLabel "Michał Słowikowski"@en .

actor:menkiszak a kg:Person ;
    skos:prefLabel "Marek Menkiszak"@en .

actor:the-west a kg:Bloc ;
    skos:prefLabel "the West"@en ;
    skos:altLabel "collective West"@en .

office:russia-foreign-minister a kg:Office ;
    rdfs:label "Foreign Minister of Russia"@en .

narr:anti-western-confrontation a kg:Narrative ;
    skos:prefLabel "Anti-Western confrontation"@en ;
    skos:definition "The West is an adversary."@en .

narr:western-hypocrisy a kg:Narrative ;
    skos:prefLabel "Western hypocrisy"@en ;
    skos:broader narr:anti-western-confrontation ;
    skos:definition "The West applies double standards."@en .

narr:hybrid-war a kg:Narrative ;
    skos:prefLabel "Hybrid war against Russia and Belarus"@en ;
    skos:broader narr:anti-western-confrontation .

narr:fraternalism a kg:Narrative ;
    skos:prefLabel "Fraternalism"@en .

cat:offensive a kg:RevisionismCategory ;
    skos:prefLabel "offensive revisionism"@en .

cat:defensive a kg:RevisionismCategory ;
    skos:prefLabel "defensive revisionism"@en .

cat:isolationist a kg:RevisionismCategory ;
    skos:prefLabel "isolationist revisionism"@en .

event:ryanair-diversion a kg:Event ;
    rdfs:label "Diversion of Ryanair flight FR4978 to Minsk"@en ;
    kg:date "2021-05-23"^^xsd:date .

event:migration-crisis-2021 a kg:Event ;
    rdfs:label "Migration crisis on the Belarus–EU border"@en ;
    kg:date "2021-08"^^xsd:gYearMonth ;
    kg:endDate "2021-11"^^xsd:gYearMonth .

doc:slowikowski-klonowski-2022 a kg:Document ;
    rdfs:label "Słowikowski & Klonowski 2022"@en .

doc:menkiszak-2021 a kg:Document ;
    rdfs:label "Menkiszak 2021"@en .

stmt:lavrov-2021-05-27-ryanair a kg:Statement ;
    rdfs:label "Lavrov accuses the West of demonizing Belarus over the Ryanair incident"@en ;
    kg:speaker actor:lavrov ;
    kg:speakerOffice office:russia-foreign-minister ;
    kg:date "2021-05-27"^^xsd:date ;
    kg:quote "demonizing people who are not liked there"@en ;
    kg:reportedAs kg:DirectQuote ;
    kg:voices narr:western-hypocrisy ;
    kg:refersTo event:ryanair-diversion ;
    kg:target actor:the-west ;
    kg:evidence evid:lavrov-2021-05-27-ryanair-1 .

evid:lavrov-2021-05-27-ryanair-1 a kg:Evidence ;
    kg:document doc:slowikowski-klonowski-2022 ;
    kg:locator "p. 162, fn. 36" ;
    kg:page 162 ;
    kg:footnote 36 .

stmt:lukashenka-2021-05-26-hybrid-war a kg:Statement ;
    rdfs:label "Lukashenka says Belarus faces a hybrid war"@en ;
    kg:speaker actor:lukashenka ;
    kg:date "2021-05-26"^^xsd:date ;
    kg:quote "a hybrid war has been unleashed against us"@en ;
    kg:reportedAs kg:Paraphrase ;
    kg:voices narr:hybrid-war, narr:western-hypocrisy ;
    kg:refersTo event:ryanair-diversion ;
    kg:evidence evid:lukashenka-2021-05-26-hybrid-war-1 .

evid:lukashenka-2021-05-26-hybrid-war-1 a kg:Evidence ;
    kg:document doc:slowikowski-klonowski-2022 ;
    kg:locator "p. 163, fn. 40" .

stmt:lukashenka-2021-11-migration a kg:Statement ;
    rdfs:label "Lukashenka blames the West for the migration crisis"@en ;
    kg:speaker actor:lukashenka ;
    kg:date "2021-11"^^xsd:gYearMonth ;
    kg:quote "the West created this crisis"@en ;
    kg:reportedAs kg:Paraphrase ;
    kg:voices narr:hybrid-war ;
    kg:refersTo event:migration-crisis-2021 ;
    kg:evidence evid:lukashenka-2021-11-migration-1 .

evid:lukashenka-2021-11-migration-1 a kg:Evidence ;
    kg:document doc:menkiszak-2021 ;
    kg:locator "para. 2" .

stmt:putin-2019-fraternal a kg:Statement ;
    rdfs:label "Putin calls Belarusians a brotherly people"@en ;
    kg:speaker actor:putin ;
    kg:date "2019"^^xsd:gYear ;
    kg:quote "our brotherly peoples"@en ;
    kg:reportedAs kg:DirectQuote ;
    kg:voices narr:fraternalism ;
    kg:evidence evid:putin-2019-fraternal-1 .

evid:putin-2019-fraternal-1 a kg:Evidence ;
    kg:document doc:slowikowski-klonowski-2022 ;
    kg:locator "p. 150" .

act:russia-security-ultimatum a kg:Act ;
    rdfs:label "Russia's security-guarantee proposals to the United States and NATO"@en ;
    kg:performer actor:russia ;
    kg:date "2021-12-17"^^xsd:date ;
    kg:target actor:nato ;
    kg:quote "By formulating an ultimatum on security, Russia expressed concern for its security"@en ;
    kg:evidence evid:russia-security-ultimatum-1 .

evid:russia-security-ultimatum-1 a kg:Evidence ;
    kg:document doc:slowikowski-klonowski-2022 ;
    kg:locator "p. 165" .

judg:russia-security-ultimatum--defensive--slowikowski a kg:CategoryJudgement ;
    rdfs:label "Słowikowski judges the security ultimatum defensive revisionism"@en ;
    kg:judgedAct act:russia-security-ultimatum ;
    kg:category cat:defensive ;
    kg:judgedBy actor:slowikowski ;
    kg:quote "In the defensive perspective, Russia has tried to stop the process"@en ;
    kg:evidence evid:russia-security-ultimatum--defensive-1 .

judg:russia-security-ultimatum--offensive--menkiszak a kg:CategoryJudgement ;
    rdfs:label "Menkiszak judges the security ultimatum offensive revisionism"@en ;
    kg:judgedAct act:russia-security-ultimatum ;
    kg:category cat:offensive ;
    kg:judgedBy actor:menkiszak ;
    kg:quote "Russia seeks to revise the European security order"@en ;
    kg:evidence evid:russia-security-ultimatum--offensive-1 .

evid:russia-security-ultimatum--defensive-1 a kg:Evidence ;
    kg:document doc:slowikowski-klonowski-2022 ;
    kg:locator "p. 166" .

evid:russia-security-ultimatum--offensive-1 a kg:Evidence ;
    kg:document doc:menkiszak-2021 ;
    kg:locator "para. 4" .

act:lukashenka-migration-pressure a kg:Act ;
    rdfs:label "Belarus channels migrants to the EU border"@en ;
    kg:performer actor:lukashenka ;
    kg:date "2021-08"^^xsd:gYearMonth ;
    kg:partOfEvent event:migration-crisis-2021 ;
    kg:evidence evid:lukashenka-migration-pressure-1 .

evid:lukashenka-migration-pressure-1 a kg:Evidence ;
    kg:document doc:menkiszak-2021 ;
    kg:locator "para. 3" .

judg:lukashenka-migration-pressure--offensive--menkiszak a kg:CategoryJudgement ;
    rdfs:label "Menkiszak judges the migration pressure offensive"@en ;
    kg:judgedAct act:lukashenka-migration-pressure ;
    kg:category cat:offensive ;
    kg:judgedBy actor:menkiszak ;
    kg:evidence evid:lukashenka-migration-pressure-1 .

act:russia-isolation a kg:Act ;
    rdfs:label "Russia withdraws from European institutions"@en ;
    kg:performer actor:russia ;
    kg:date "2022"^^xsd:gYear ;
    kg:evidence evid:russia-isolation-1 .

evid:russia-isolation-1 a kg:Evidence ;
    kg:document doc:slowikowski-klonowski-2022 ;
    kg:locator "p. 170" .

judg:russia-isolation--isolationist--slowikowski a kg:CategoryJudgement ;
    rdfs:label "Słowikowski judges the withdrawal isolationist"@en ;
    kg:judgedAct act:russia-isolation ;
    kg:category cat:isolationist ;
    kg:judgedBy actor:slowikowski ;
    kg:evidence evid:russia-isolation-1 .
"""

CONSTRUCT_VOICES = """\
PREFIX kg: <https://w3id.org/kgraph/ontology#>
CONSTRUCT { ?speaker kg:voices ?narrative } WHERE {
  ?statement kg:speaker ?speaker ; kg:voices ?narrative .
}
"""

ACTOR = PREFIXES["actor"]
NARR = PREFIXES["narr"]
STMT = PREFIXES["stmt"]
ACT = PREFIXES["act"]
CAT = PREFIXES["cat"]
EVENT = PREFIXES["event"]
LUKASHENKA = ACTOR + "lukashenka"


def make_project(folder: Path, graph_ttl: str = SEMINAR_TTL) -> Path:
    """A project folder with the fixture ontology, ``graph_ttl`` and one CONSTRUCT."""
    (folder / "graph").mkdir(parents=True)
    (folder / "ontology").mkdir()
    (folder / "queries").mkdir()
    (folder / "ontology" / "mini.ttl").write_text(ONTOLOGY_TTL, encoding="utf-8")
    (folder / "graph" / "seminar.ttl").write_text(graph_ttl, encoding="utf-8")
    (folder / "queries" / "construct-voices.rq").write_text(CONSTRUCT_VOICES,
                                                            encoding="utf-8")
    return folder


@pytest.fixture
def seminar(tmp_path: Path) -> Path:
    return make_project(tmp_path / "seminar")


@pytest.fixture
def store(seminar: Path):
    return load_project(seminar)


def edge(graph, source: str, target: str, kind: str) -> dict:
    return graph.edges[source, target, kind]


# ------------------------------------------------------------------ actor-narrative

def test_actor_narrative_links_speakers_to_the_narratives_they_voice(store):
    graph = project(store, "actor-narrative")
    assert view_summary(graph) == {"actor": 3, "narrative": 4}
    assert sorted((curie(u), curie(v), k) for u, v, k in graph.edges(keys=True)) == [
        ("actor:lavrov", "narr:western-hypocrisy", "voices"),
        ("actor:lukashenka", "narr:hybrid-war", "voices"),
        ("actor:lukashenka", "narr:western-hypocrisy", "voices"),
        ("actor:putin", "narr:fraternalism", "voices"),
        ("narr:hybrid-war", "narr:anti-western-confrontation", "broader"),
        ("narr:western-hypocrisy", "narr:anti-western-confrontation", "broader"),
    ]


def test_actor_narrative_edge_weight_counts_statements_and_carries_the_quotes(store):
    graph = project(store, "actor-narrative")
    hybrid = edge(graph, LUKASHENKA, NARR + "hybrid-war", "voices")
    assert hybrid["weight"] == 2
    assert hybrid["dates"] == ["2021-05-26", "2021-11"]
    statements = hybrid["details"]["Statements"]
    assert [s["Quote"] for s in statements] == [
        "a hybrid war has been unleashed against us", "the West created this crisis"]
    assert [s["Evidence"] for s in statements] == [
        "Słowikowski & Klonowski 2022, p. 163, fn. 40", "Menkiszak 2021, para. 2"]
    lavrov = edge(graph, ACTOR + "lavrov", NARR + "western-hypocrisy", "voices")
    assert lavrov["details"]["Statements"][0]["Locator"] == "p. 162, fn. 36"


def test_actor_nodes_carry_spellings_kind_and_narratives(store):
    graph = project(store, "actor-narrative")
    lukashenka = graph.nodes[LUKASHENKA]
    assert lukashenka["label"] == "Alyaksandr Lukashenka"
    assert "Lukashenko" in lukashenka["alt_labels"]
    assert "Łukaszenka" in lukashenka["alt_labels"]
    assert lukashenka["actor_kind"] == "Person"
    assert lukashenka["weight"] == 2  # statements
    assert lukashenka["narratives"] == [NARR + "hybrid-war", NARR + "western-hypocrisy"]
    assert graph.graph["narrative_labels"][NARR + "hybrid-war"] == (
        "Hybrid war against Russia and Belarus")


def test_broader_narratives_join_even_when_nobody_voices_them(store):
    graph = project(store, "actor-narrative")
    top = graph.nodes[NARR + "anti-western-confrontation"]
    assert top["weight"] == 0
    assert top["details"]["Narrower"] == [
        "Hybrid war against Russia and Belarus", "Western hypocrisy"]


# ---------------------------------------------------------------------- revisionism

def test_revisionism_links_actors_to_acts_to_judged_categories(store):
    graph = project(store, "revisionism")
    assert view_summary(graph) == {"act": 3, "actor": 2, "category": 3}
    ultimatum = ACT + "russia-security-ultimatum"
    assert sorted(graph.successors(ultimatum)) == [CAT + "defensive", CAT + "offensive"]
    assert graph.nodes[ultimatum]["categories"] == [CAT + "defensive", CAT + "offensive"]
    offensive = edge(graph, ultimatum, CAT + "offensive", "judged-as")
    assert offensive["details"]["Judged by"] == "Marek Menkiszak"
    assert offensive["details"]["Judgements"][0]["Quote"] == (
        "Russia seeks to revise the European security order")
    defensive = edge(graph, ultimatum, CAT + "defensive", "judged-as")
    assert defensive["details"]["Judged by"] == "Michał Słowikowski"
    # the performer carries every category its acts were judged, for the filters
    assert graph.nodes[ACTOR + "russia"]["categories"] == [
        CAT + "defensive", CAT + "isolationist", CAT + "offensive"]
    assert graph.nodes[LUKASHENKA]["categories"] == [CAT + "offensive"]


def test_act_details_name_category_and_judges(store):
    details = project(store, "revisionism").nodes[ACT + "russia-security-ultimatum"]["details"]
    assert details["Category"] == ["defensive revisionism", "offensive revisionism"]
    assert details["Judged by"] == ["Marek Menkiszak", "Michał Słowikowski"]
    assert details["Performer"] == "Russia"
    assert len(details["Judgements"]) == 2


# ----------------------------------------------------------------------- statements

def test_statements_view_goes_actor_statement_narrative_and_event(store):
    graph = project(store, "statements")
    assert view_summary(graph) == {"actor": 3, "event": 2, "narrative": 3, "statement": 4}
    stmt = STMT + "lavrov-2021-05-27-ryanair"
    assert edge(graph, ACTOR + "lavrov", stmt, "said")
    assert edge(graph, stmt, NARR + "western-hypocrisy", "voices-narrative")
    assert edge(graph, stmt, EVENT + "ryanair-diversion", "refers-to")


def test_statement_details_hold_quote_speaker_date_narratives_document_locator(store):
    node = project(store, "statements").nodes[STMT + "lavrov-2021-05-27-ryanair"]
    assert node["kind"] == "statement"
    assert node["date"] == "2021-05-27"
    details = node["details"]
    assert details["Quote"] == "demonizing people who are not liked there"
    assert details["Speaker"] == "Sergey Lavrov"
    assert details["Date"] == "2021-05-27"
    assert details["Narratives"] == "Western hypocrisy"
    assert details["Document"] == "Słowikowski & Klonowski 2022"
    assert details["Locator"] == "p. 162, fn. 36"
    assert details["Reported as"] == "direct quote"
    assert details["Office"] == "Foreign Minister of Russia"


# ----------------------------------------------------------------------------- full

def test_full_view_has_every_typed_resource_and_no_ontology_terms(store):
    graph = project(store, "full")
    assert view_summary(graph) == {
        "act": 3, "actor": 8, "category": 3, "document": 2, "evidence": 9, "event": 2,
        "judgement": 4, "narrative": 4, "office": 1, "statement": 4}
    assert PREFIXES["kg"] + "Person" not in graph
    assert edge(graph, STMT + "lavrov-2021-05-27-ryanair", ACTOR + "lavrov", "kg:speaker")
    assert graph.nodes[PREFIXES["judg"] + "russia-isolation--isolationist--slowikowski"][
        "categories"] == [CAT + "isolationist"]


# ---------------------------------------------------------------------------- dates

def test_date_range_keeps_what_overlaps_and_partial_dates_count_as_spans(store):
    graph = project(store, "actor-narrative", date_from="2021-06")
    assert sorted(curie(n) for n in graph) == ["actor:lukashenka",
                                               "narr:anti-western-confrontation",
                                               "narr:hybrid-war"]
    assert edge(graph, LUKASHENKA, NARR + "hybrid-war", "voices")["weight"] == 1
    # "2021-11" (a gYearMonth) overlaps a range that starts mid-November
    assert LUKASHENKA in project(store, "actor-narrative", date_from="2021-11-15")
    assert graph.graph["date_range"] == ["2021-06-01", None]


def test_date_range_on_revisionism_and_statements(store):
    acts = project(store, "revisionism", date_from="2022", date_to="2022-12-31")
    assert sorted(curie(n) for n in acts) == ["act:russia-isolation", "actor:russia",
                                             "cat:isolationist"]
    old = project(store, "statements", date_to="2020")
    assert sorted(curie(n) for n in old) == ["actor:putin", "narr:fraternalism",
                                            "stmt:putin-2019-fraternal"]


def test_bad_dates_are_usage_errors():
    for bad in ["2021-13", "2021-02-30", "May 2021", "21"]:
        with pytest.raises(UsageError, match="is not a date"):
            DateRange.from_options(bad, None)
    with pytest.raises(UsageError, match="after --to"):
        DateRange.from_options("2022", "2021")


def test_date_bounds():
    assert date_bounds("2021-05-27") == ("2021-05-27", "2021-05-27")
    assert date_bounds("2020-02") == ("2020-02-01", "2020-02-29")
    assert date_bounds("2021") == ("2021-01-01", "2021-12-31")
    assert date_bounds("undated") is None
    assert DateRange("2021-01-01", "2021-12-31").keeps("2020-08", "2021-02")
    assert not DateRange("2021-01-01", None).keeps("2020-12-31")
    assert DateRange("2021-01-01", None).keeps(None)


# ---------------------------------------------------------------------------- focus

@pytest.mark.parametrize("focus", ["Lukashenko", "lukashenko", "Лукашенко",
                                   "Alyaksandr Lukashenka", "actor:lukashenka",
                                   LUKASHENKA, f"<{LUKASHENKA}>"])
def test_focus_by_spelling_iri_or_prefixed_name(store, focus):
    graph = project(store, "actor-narrative", focus=focus, depth=1)
    assert graph.graph["focus"] == LUKASHENKA
    assert sorted(curie(n) for n in graph) == ["actor:lukashenka", "narr:hybrid-war",
                                               "narr:western-hypocrisy"]


def test_focus_depth(store):
    assert list(project(store, "actor-narrative", focus="Lukashenko", depth=0)) == [
        LUKASHENKA]
    wider = project(store, "actor-narrative", focus="Lukashenko", depth=2)
    assert {ACTOR + "lavrov", NARR + "anti-western-confrontation"} <= set(wider)
    assert ACTOR + "putin" not in wider


def test_unknown_or_ambiguous_focus_is_a_usage_error_naming_it(store):
    with pytest.raises(UsageError, match="'Nobody Known'.*actor-narrative view"):
        project(store, "actor-narrative", focus="Nobody Known")
    with pytest.raises(UsageError, match="'NATO'"):  # exists, but not in this view
        project(store, "actor-narrative", focus="NATO")
    graph = project(store, "actor-narrative")
    graph.nodes[ACTOR + "putin"]["alt_labels"] = ["Lukashenko"]
    with pytest.raises(UsageError, match="ambiguous.*actor:lukashenka.*actor:putin"):
        find_node(graph, "Lukashenko")


# ------------------------------------------------------------------------ --query

def test_construct_query_by_name_in_queries_folder(store, seminar):
    graph = project(store, query="construct-voices.rq", root=seminar)
    assert graph.graph["view"] == "query"
    assert graph.graph["title"] == "Query: construct-voices.rq"
    assert edge(graph, LUKASHENKA, NARR + "hybrid-war", "kg:voices")["weight"] == 1
    # types and labels come from the store when the result has none
    assert graph.nodes[LUKASHENKA]["label"] == "Alyaksandr Lukashenka"
    assert graph.nodes[LUKASHENKA]["kind"] == "actor"
    assert graph.nodes[NARR + "hybrid-war"]["narratives"] == [NARR + "hybrid-war"]
    assert graph.nodes[LUKASHENKA]["narratives"] == [NARR + "hybrid-war",
                                                     NARR + "western-hypocrisy"]


def test_construct_query_by_path_and_errors(store, seminar, tmp_path):
    path = seminar / "queries" / "construct-voices.rq"
    assert project(store, query=path).number_of_edges() == 4
    with pytest.raises(InputError, match="query file not found"):
        project(store, query="construct-missing.rq", root=seminar)
    select = tmp_path / "select.rq"
    select.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    with pytest.raises(UsageError, match="SELECT query; --query needs a CONSTRUCT"):
        project(store, query=select)
    broken = tmp_path / "construct-broken.rq"
    broken.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }", encoding="utf-8")
    with pytest.raises(InputError, match="construct-broken.rq"):
        project(store, query=broken)


def test_unknown_view_is_a_usage_error(store):
    with pytest.raises(UsageError, match="unknown view 'everything'"):
        project(store, "everything")


# ----------------------------------------------------------- backends, determinism

class CountingBackend:
    """Wraps a backend and records how the view reads it."""

    def __init__(self, inner):
        self.inner = inner
        self.queries: list[str] = []

    def query(self, text, bindings=None, *, source=None):
        self.queries.append(text)
        return self.inner.query(text, bindings, source=source)

    def to_graph(self):  # a view must not reach around SPARQL
        raise AssertionError("views read the store through SPARQL only")


def test_views_read_the_store_through_sparql_only(store):
    spy = CountingBackend(store)
    for view in ["actor-narrative", "revisionism", "statements", "full"]:
        project(spy, view)
    assert spy.queries and all("SELECT" in q for q in spy.queries)


@pytest.mark.parametrize("backend", [name for name in sorted(BACKENDS)
                                     if name != "endpoint"])
def test_every_local_backend_gives_the_same_views(seminar, store, backend):
    other = load_project(seminar, backend=open_backend(backend))
    for view in ["actor-narrative", "revisionism", "statements", "full"]:
        mine, theirs = project(store, view), project(other, view)
        assert list(mine.nodes(data=True)) == list(theirs.nodes(data=True))
        assert (list(mine.edges(keys=True, data=True))
                == list(theirs.edges(keys=True, data=True)))


def test_projection_is_deterministic(seminar):
    first = project(load_project(seminar), "full")
    second = project(load_project(seminar), "full")
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True, data=True))


def test_curie_and_expand():
    assert curie(LUKASHENKA) == "actor:lukashenka"
    assert curie("https://example.org/x") == "https://example.org/x"
    assert expand("actor:lukashenka") == LUKASHENKA
    assert expand("https://example.org/x") == "https://example.org/x"
    assert expand("nope:x") == "nope:x"


def test_default_view_draws_the_narratives_analysts_attribute_to_factions(shipped_store):
    """The seminar's default view shows Klinke's narratives where the analysts tie them
    to actors (000 p. 170), as edges apart from statement voicing."""
    graph = project(shipped_store, "actor-narrative")
    siloviks, liberals = PREFIXES["actor"] + "siloviks", PREFIXES["actor"] + "kremlin-liberals"
    fraternalism, parasitism = PREFIXES["narr"] + "fraternalism", PREFIXES["narr"] + "parasitism"
    edge = graph.edges[siloviks, fraternalism, "attributed"]
    assert edge["details"]["Attributed by"] == ["Michał Klonowski", "Michał Słowikowski"]
    passage = edge["details"]["Attributions"][0]["Passage"]
    assert passage.startswith("p. 170: ") and "promoted a fraternal narrative" in passage
    assert graph.has_edge(liberals, parasitism, "attributed")
    assert not graph.has_edge(siloviks, fraternalism, "voices")
    assert graph.nodes[siloviks]["narratives"] == [fraternalism]
    assert graph.nodes[fraternalism]["details"]["Attributed by analysts to"] == "siloviks"


def test_statement_details_show_the_speakers_words_apart_from_the_passage(shipped_store):
    graph = project(shipped_store, "statements")
    details = graph.nodes[PREFIXES["stmt"] + "bessmertny-2021-11-11-migration-crisis"]["details"]
    assert "Quote" not in details and details["Reported as"] == "paraphrase"
    assert details["Passage"].startswith("p. 164, fn. 46: Former Ukrainian Ambassador")
    lavrov = graph.nodes[PREFIXES["stmt"] + "lavrov-2021-05-27-ryanair"]["details"]
    assert "demonizing people who are not liked there" in lavrov["Quote"]
    assert lavrov["Reported as"] == "direct quote" and len(lavrov["Passage"]) == 2


def test_revisionism_view_draws_the_category_the_analysts_give_a_faction(shipped_store):
    """000 p. 170 places the siloviks faction itself in offensive revisionism: an
    actor → category edge, not an act, kept by any date range (it is undated)."""
    siloviks, offensive = PREFIXES["actor"] + "siloviks", CAT + "offensive"
    for graph in (project(shipped_store, "revisionism"),
                  project(shipped_store, "revisionism", date_from="2022")):
        edge = graph.edges[siloviks, offensive, "judged-as"]
        assert edge["details"]["Judged by"] == ["Michał Klonowski", "Michał Słowikowski"]
        assert edge["details"]["Judgements"][0]["Quote"].startswith(
            "The Russian siloviks faction is a representative of offensive revisionism")
        assert edge["details"]["Judgements"][0]["Evidence"].endswith("p. 170")
        assert list(graph.successors(siloviks)) == [offensive]  # no act of its own
        assert graph.nodes[siloviks]["categories"] == [offensive]
        assert graph.nodes[siloviks]["details"]["Judged itself as"] == "Offensive revisionism"
        assert "siloviks" in graph.nodes[offensive]["details"]["Actors judged so"]
    memory = project(shipped_store, "revisionism")
    oxigraph = project(load_project(REPO, backend="oxigraph"), "revisionism")
    assert oxigraph.edges[siloviks, offensive, "judged-as"] == memory.edges[
        siloviks, offensive, "judged-as"]
    assert oxigraph.nodes[siloviks] == memory.nodes[siloviks]
