"""The query catalogue (queries/*.rq): its form, the answers it gives on the shipped
graph, the same answers on rdflib and Oxigraph, and the violation rules firing.

Content assertions are facts the corpus fixes (the page, footnote or passage is named
next to each); the shipped graph must reproduce them through the catalogue queries.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib import namespace as rdfns  # not its names: pytest probes module attributes

from kgraph.catalogue import read_catalogue, read_query_file, run_query
from kgraph.namespaces import ACT, ACTOR, CAT, CLAIM, EVENT, KG, NARR, PREFIXES, STMT
from kgraph.results import compact
from kgraph.validate import validate_project

from .conftest import REPO

QUERIES = REPO / "queries"
CATALOGUE = read_catalogue(REPO)
NAMES = [q.name for q in CATALOGUE]

#: Parameter sets each query is also run with in the two-engine test (beyond its
#: defaults); a query with a required parameter runs only with these.
PARAMETER_CASES = {
    "statements.rq": [{"actor": "actor:lavrov"},
                      {"from": "2021-05-01", "to": "2021-07-31"},
                      {"actor": "actor:putin", "from": "2021-11-01"}],
    "acts-by-category.rq": [{"category": "cat:defensive"}],
    "besieged-fortress.rq": [{"narrative": "narr:western-hypocrisy"}],
    "timeline.rq": [{"from": "2021-11-01", "to": "2021-11-30"}, {"to": "2020-12-31"}],
    "narrative-attributions.rq": [{"narrative": "narr:fraternalism"}],
    "provenance.rq": [{"statement": "stmt:lavrov-2021-05-27-ryanair"},
                      {"statement": "act:russia-security-ultimatum"}],
}


def engine_cases() -> list[tuple[str, dict]]:
    cases = []
    for query in CATALOGUE:
        if not any(p.required and p.name not in query.defaults for p in query.parameters):
            cases.append((query.name, {}))
        cases.extend((query.name, values) for values in PARAMETER_CASES.get(query.name, []))
    return cases


@pytest.fixture(scope="session")
def oxigraph_store():
    """The shipped ontology + graph in Oxigraph (pyoxigraph, in memory)."""
    from kgraph.load import load_project

    return load_project(REPO, backend="oxigraph")


def answer(store, name: str, **values):
    """Run the catalogue query ``name`` with parameter ``values`` on ``store``."""
    return run_query(store, read_query_file(QUERIES / name), values)


def records(store, name: str, **values) -> list[dict]:
    return answer(store, name, **values).records()


def text(term) -> str:
    return "" if term is None else str(term)


def comparable(term):
    """A term as a hashable tuple; a plain literal and an xsd:string are the same."""
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = None if term.datatype in (None, rdfns.XSD.string) else str(term.datatype)
        return ("literal", str(term), term.language, datatype)
    return (type(term).__name__, str(term))


# ------------------------------------------------------------------------------ form

def test_the_catalogue_answers_every_research_question():
    questions = {"actors.rq", "statements.rq", "narratives-by-actor.rq",
                 "besieged-fortress.rq", "acts-by-category.rq", "full-spectrum.rq",
                 "timeline.rq", "hypocrisy-charges.rq", "factions.rq",
                 "contested-claims.rq", "construct-co-voicing.rq", "provenance.rq",
                 "narrative-scheme.rq", "narrative-attributions.rq"}
    assert questions <= set(NAMES)
    assert len([n for n in NAMES if n.endswith("-violation.rq")]) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_every_query_has_a_grlc_header(name):
    query = read_query_file(QUERIES / name)
    assert query.summary and len(query.summary) <= 80  # fits `kgraph queries`
    assert len(query.description) > len(query.summary)
    assert query.tags and all(re.fullmatch(r"[a-z-]+", t) for t in query.tags)
    for parameter in query.parameters:
        assert parameter.type in {"iri", "xsd_date"}, parameter
        if parameter.required:
            assert parameter.name in query.defaults or name == "provenance.rq"
        assert f"`{parameter.name}`" in query.description  # documented for the reader


@pytest.mark.parametrize("name", NAMES)
def test_every_query_declares_exactly_the_kgraph_prefixes_it_uses(name):
    text_ = (QUERIES / name).read_text(encoding="utf-8")
    declared = dict(re.findall(r"^PREFIX (\w+): <([^>]+)>$", text_, re.M))
    assert declared and all(PREFIXES[p] == iri for p, iri in declared.items())
    body = "\n".join(line for line in text_.splitlines()
                     if not line.lstrip().startswith(("#", "PREFIX")))
    body = re.sub(r'"(?:[^"\\\n]|\\.)*"|<[^>\s]*>', "", body)  # strings and IRIs
    body = re.sub(r"#[^\n]*", "", body)  # trailing comments
    used = set(re.findall(r"(?<![\w?$])([a-z]+):[A-Za-z_]", body))
    assert used == set(declared), f"declared {sorted(declared)}, used {sorted(used)}"


@pytest.mark.parametrize("name", NAMES)
def test_the_file_name_says_the_role(name):
    query = read_query_file(QUERIES / name)
    body = re.sub(r"#[^\n]*", "", query.text)
    form = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body).group(1)
    if query.role == "construct":
        assert form == "CONSTRUCT"
        return
    assert form == "SELECT"
    projection = body[body.index("SELECT"):body.index("WHERE")]
    # deterministic: the outermost query is ordered (the last ORDER BY is the outer one)
    assert re.search(r"}\s*ORDER BY [^}]+$", body)
    # grlc parameters are never projected: grlc pastes their values into the text
    assert not re.search(r"[?$]_", projection)
    if query.role == "violation":
        assert projection.split()[1:3] in (["DISTINCT", "?focus"], ["?focus", "?path"])
        assert "?message" in projection and not query.parameters


def test_kgraph_queries_lists_the_whole_catalogue(run):
    table = run("--root", REPO, "queries")
    assert table.exit_code == 0
    listed = [line.split()[0] for line in table.stdout.splitlines()[2:]]
    assert listed == NAMES
    assert "[actor], [from], [to]" in table.stdout
    entries = json.loads(run("--root", REPO, "queries", "--format", "json").stdout)
    by_file = {e["file"]: e for e in entries}
    assert by_file["provenance.rq"]["parameters"] == [
        {"name": "statement", "type": "iri", "required": True}]
    assert by_file["locator-page-violation.rq"]["role"] == "violation"
    assert by_file["construct-co-voicing.rq"]["role"] == "construct"


# -------------------------------------------------------------------- two engines

def test_kgraph_query_gives_the_same_csv_on_both_backends(run):
    args = ["query", QUERIES / "statements.rq", "--param", "actor=actor:lavrov",
            "--param", "from=2021-11-01", "--format", "csv"]
    memory = run("--root", REPO, *args)
    oxigraph = run("--root", REPO, "--backend", "oxigraph", *args)
    assert memory.exit_code == oxigraph.exit_code == 0
    assert memory.stdout == oxigraph.stdout
    lines = memory.stdout.splitlines()
    assert lines[0].startswith("statement,speaker,speaker_label,date,quote")
    assert lines[1:] and all(",https://w3id.org/kgraph/actor/lavrov,Sergei Lavrov,2021"
                             in line for line in lines[1:])



@pytest.mark.parametrize("name, values", engine_cases(),
                         ids=lambda v: v if isinstance(v, str) else
                         ",".join(f"{k}={x}" for k, x in v.items()) or "-")
def test_rdflib_and_oxigraph_give_the_same_answer(shipped_store, oxigraph_store, name,
                                                  values):
    query = read_query_file(QUERIES / name)
    memory = run_query(shipped_store, query, values)
    oxigraph = run_query(oxigraph_store, query, values)
    assert memory.kind == oxigraph.kind
    if memory.kind == "CONSTRUCT":
        assert {tuple(map(comparable, t)) for t in memory.graph} == \
               {tuple(map(comparable, t)) for t in oxigraph.graph}
        assert len(memory.graph) > 0
        return
    assert memory.variables == oxigraph.variables
    # every SELECT of the catalogue is ordered, so the rows must match in order
    assert [tuple(map(comparable, r)) for r in memory.rows] == \
           [tuple(map(comparable, r)) for r in oxigraph.rows]
    if query.role != "violation":
        assert memory.rows, f"{name} {values} answers nothing on the shipped graph"


# ------------------------------------------------- answers the corpus fixes (shipped)

def test_statements_has_one_row_per_statement(shipped_store):
    rows = records(shipped_store, "statements.rq")
    statements = {s for (s,) in shipped_store.query(
        f"SELECT ?s WHERE {{ ?s a <{KG.Statement}> }}").rows}
    assert {r["statement"] for r in rows} == statements and len(rows) == len(statements)
    for row in rows:  # every statement can be cited: speaker, the passage and where
        assert row["speaker_label"] and row["passage"] and row["document"] and row["locator"]
        # the speaker's words are never the document's whole sentence
        assert row["quote"] is None or str(row["quote"]) not in str(row["passage"]).split(" | ")
    by_id = {r["statement"]: r for r in rows}
    # 000 p. 164, fn. 46: the document's paraphrase of Bessmertny, none of his own words
    bessmertny = by_id[STMT["bessmertny-2021-11-11-migration-crisis"]]
    assert (str(bessmertny["reported_as"]), bessmertny["quote"]) == ("paraphrase", None)
    assert str(bessmertny["passage"]).startswith("Former Ukrainian Ambassador to Belarus")
    # 004 para. 1: Menkiszak's sentence, with Lavrov's words "disruptive US policy"
    lavrov = by_id[STMT["lavrov-2021-11-01-disruptive-us-policy"]]
    assert (str(lavrov["reported_as"]), str(lavrov["quote"])) == (
        "paraphrase", "disruptive US policy")
    assert "“disruptive US policy” towards" in str(lavrov["passage"])
    dates = [text(r["date"]) for r in rows]
    assert dates == sorted(dates)


def test_statements_by_one_actor_in_a_date_range(shipped_store):
    lavrov = records(shipped_store, "statements.rq", actor="actor:lavrov")
    assert {r["speaker"] for r in lavrov} == {ACTOR.lavrov}
    # 000 p. 160, fn. 36: Lavrov on the Ryanair incident, TASS 27 v 2021
    ryanair = next(r for r in lavrov if r["statement"] == STMT["lavrov-2021-05-27-ryanair"])
    assert "demonizing people who are not liked there" in str(ryanair["quote"])
    assert text(ryanair["locator"]).startswith("p. 160, fn. 36")
    assert "Western hypocrisy" in text(ryanair["narratives"])
    may_july = records(shipped_store, "statements.rq", actor="actor:lavrov",
                       **{"from": "2021-05-01", "to": "2021-07-31"})
    assert {STMT["lavrov-2021-05-24-ryanair-precedents"],        # fn. 38, 24 v 2021
            STMT["lavrov-2021-05-27-ryanair"],                   # fn. 36, 27 v 2021
            STMT["lavrov-2021-07-21-ryanair-sanctions"]} <= {r["statement"] for r in may_july}
    # a day in the range, or a month or year that overlaps it (000 gives Lavrov's
    # Ryanair words no day: the TASS report's 27 v 2021 is the source's date)
    assert all("2021-05-01"[:len(text(r["date"]))] <= text(r["date"]) <= "2021-07-31"
               for r in may_july)
    assert len(may_july) < len(lavrov)


def test_a_month_precise_date_is_kept_in_a_range_inside_that_month(shipped_store):
    # Putin's MFA collegium speech is dated only "2021-11" (000, p. 167)
    rows = records(shipped_store, "statements.rq", actor="actor:putin",
                   **{"from": "2021-11-10", "to": "2021-11-20"})
    dates = {text(r["date"]) for r in rows}
    assert "2021-11" in dates and "2021" in dates  # Putin's undated-in-the-text 2021 remarks
    # a day inside the range, or a month or year that overlaps it
    assert all("2021-11-10"[:len(d)] <= d <= "2021-11-20" for d in dates)
    assert "2021-11-05" not in {text(r["date"]) for r in records(
        shipped_store, "statements.rq", actor="actor:putin", **{"from": "2021-11-10"})}


def test_hypocrisy_charges_include_lavrov_on_the_ryanair_incident(shipped_store):
    rows = records(shipped_store, "hypocrisy-charges.rq")
    on_ryanair = {r["statement"] for r in rows
                  if r["speaker"] == ACTOR.lavrov and r["event"] == EVENT["ryanair-diversion"]}
    # 000 pp. 160–161: "The Pratasyevich case was also used by the Kremlin to expose the
    # hypocrisy of the West" — Lavrov's words (fn. 36), his precedents (fn. 38) and the
    # sanctions before the ICAO investigation ended (fn. 40)
    assert {STMT["lavrov-2021-05-27-ryanair"], STMT["lavrov-2021-05-24-ryanair-precedents"],
            STMT["lavrov-2021-07-21-ryanair-sanctions"]} <= on_ryanair
    # 000 p. 165, fn. 50: Lavrov accuses the EU of double standards on the Polish border
    double = [r for r in rows if r["statement"] == STMT["lavrov-2021-11-16-double-standards"]]
    assert double and double[0]["event"] == EVENT["migration-crisis-2021"]
    assert "p. 165, fn. 50" in text(double[0]["locator"])


def test_full_spectrum_shows_russia_covering_all_three_categories(shipped_store):
    rows = {r["actor"]: r for r in records(shipped_store, "full-spectrum.rq")}
    russia = rows[ACTOR.russia]
    # 000 p. 174: offensive (revanchist), defensive and isolationist perspectives, the
    # last through the Kremlin's propaganda — hence the Kremlin among the performers
    assert int(russia["offensive"]) > 0 and int(russia["defensive"]) > 0
    assert int(russia["isolationist"]) > 0
    assert russia["full_spectrum"] == Literal(True)
    assert str(russia["categories"]) == ("Defensive revisionism; Isolationist revisionism; "
                                         "Offensive revisionism")
    assert "Kremlin" in str(russia["performers"]).split("; ")
    # 000 p. 170: the siloviks faction itself is judged offensive, and counts for Russia
    assert "siloviks" in str(russia["performers"]).split("; ")
    siloviks = rows[ACTOR.siloviks]
    assert (int(siloviks["offensive"]), int(siloviks["defensive"]),
            str(siloviks["performers"])) == (1, 0, "siloviks")
    assert next(iter(rows)) == ACTOR.russia  # most categories first
    assert all(r["full_spectrum"] == Literal(False) for a, r in rows.items()
               if a != ACTOR.russia)


def test_besieged_fortress_is_voiced_by_peskov_and_used_by_kremlin_propaganda(shipped_store):
    rows = records(shipped_store, "besieged-fortress.rq")
    found = {(str(r["role"]), r["actor"], r["record"]) for r in rows}
    # 000 p. 162, fn. 42: the protests were used "to legitimise the Russian political
    # regime: consolidating the image of Russia as a besieged fortress"
    assert ("used", ACTOR.kremlin, ACT["kremlin-propaganda-regime-legitimacy"]) in found
    propaganda = next(r for r in rows
                      if r["record"] == ACT["kremlin-propaganda-regime-legitimacy"])
    assert "p. 162, fn. 42" in text(propaganda["locator"])
    assert "besieged fortress" in text(propaganda["quote"])
    # 000 pp. 159–160, fn. 34: Peskov in April 2021, "Russia and Belarus, together and separately,
    # are constantly objects and targets of attacks by other states"
    assert any(role == "voiced" and actor == ACTOR.peskov for role, actor, _ in found)
    assert {text(r["narrative_label"]) for r in rows} == {"Russia as a besieged fortress"}


def test_besieged_fortress_takes_another_narrative(shipped_store):
    rows = records(shipped_store, "besieged-fortress.rq", narrative="narr:western-hypocrisy")
    assert (ACTOR.lavrov, STMT["lavrov-2021-05-27-ryanair"]) in {
        (r["actor"], r["record"]) for r in rows if str(r["role"]) == "voiced"}
    assert ACT["kremlin-propaganda-regime-legitimacy"] not in {r["record"] for r in rows}


def test_acts_by_category_attribute_each_category_to_its_judges(shipped_store):
    rows = records(shipped_store, "acts-by-category.rq")
    assert {r["category"] for r in rows} == {CAT.offensive, CAT.defensive, CAT.isolationist}
    ultimatum = next(r for r in rows if r["act"] == ACT["russia-security-ultimatum"])
    # 000 p. 174: "In the defensive perspective … By formulating an ultimatum on security"
    assert ultimatum["category"] == CAT.defensive
    assert str(ultimatum["judged_by"]) == "Michał Klonowski; Michał Słowikowski"
    assert "By formulating an ultimatum on security" in str(ultimatum["judgement_quote"])
    assert str(ultimatum["locator"]) == "p. 174"
    assert str(ultimatum["date"]) == "2021-12-17"
    defensive = records(shipped_store, "acts-by-category.rq", category="cat:defensive")
    assert defensive == [r for r in rows if r["category"] == CAT.defensive]
    # 000 p. 170 places the faction itself, not an act of it, in a category
    siloviks = [r for r in rows if r["judged_actor"] == ACTOR.siloviks]
    assert [(r["category"], r["act"], r["performer"], str(r["judged_actor_label"]),
             str(r["locator"])) for r in siloviks] == [
        (CAT.offensive, None, None, "siloviks", "p. 170")]
    assert "siloviks faction is a representative of offensive revisionism" in str(
        siloviks[0]["judgement_quote"])
    assert all((r["act"] is None) != (r["judged_actor"] is None) for r in rows)


def test_actors_list_spellings_offices_and_factions(shipped_store):
    rows = {r["actor"]: r for r in records(shipped_store, "actors.rq")}
    lukashenka = rows[ACTOR.lukashenka]
    spellings = str(lukashenka["alt_labels"]).split("; ")
    # 000 Polish abstract "Łukaszenka"; memo "Lukashenko"; 000 fn. "Лукашенко"
    assert {"Łukaszenka@pl", "Lukashenko@en", "Лукашенко@ru"} <= set(spellings)
    assert spellings == sorted(spellings)
    assert str(lukashenka["kind"]) == "person" and str(lukashenka["state"]) == "Belarus"
    # 000 p. 160: "the minister of foreign affairs – Sergey Lavrov"
    assert str(rows[ACTOR.lavrov]["offices"]) == "Minister of Foreign Affairs of Russia"
    # 000 p. 164 "Former Ukrainian Ambassador to Belarus Roman Bessmertny"; 002 "a former
    # chairman of Belgazprombank": offices the text calls former are not current ones
    bessmertny = rows[ACTOR.bessmertny]
    assert (bessmertny["offices"], str(bessmertny["former_offices"])) == (
        None, "Ukrainian Ambassador to Belarus")
    assert rows[ACTOR.babariko]["offices"] is None
    assert str(rows[ACTOR.babariko]["former_offices"]) == "Chairman of Belgazprombank"
    assert str(rows[ACTOR.siloviks]["kind"]) == "faction"
    assert str(rows[ACTOR.kremlin]["kind"]) == "agency"  # the most specific class only
    actors = {a for (a,) in shipped_store.query(
        "SELECT DISTINCT ?a WHERE { ?a a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
        f"<{KG.Actor}> }}").rows}
    assert set(rows) == actors


def test_narratives_by_actor_counts_statements(shipped_store):
    rows = records(shipped_store, "narratives-by-actor.rq")
    counts = {(r["actor"], r["narrative"]): int(r["statements"]) for r in rows}
    # cross-check with the statement table: Lavrov's statements voicing the narrative
    lavrov = records(shipped_store, "statements.rq", actor="actor:lavrov")
    voicing = [r for r in lavrov if "Western hypocrisy" in text(r["narratives"]).split("; ")]
    assert counts[(ACTOR.lavrov, NARR["western-hypocrisy"])] == len(voicing) >= 4
    assert [int(r["statements"]) for r in rows] == sorted(
        (int(r["statements"]) for r in rows), reverse=True)


def test_narratives_by_actor_includes_the_analysts_attributions(shipped_store):
    rows = {(r["actor"], r["narrative"]): r for r in records(shipped_store,
                                                             "narratives-by-actor.rq")}
    # 000 p. 170: the siloviks "promoted a fraternal narrative"; the Kremlin liberals would
    # have got rid of Lukashenka, "who had been parasitising the Russian budget"
    for actor, narrative in [(ACTOR.siloviks, NARR.fraternalism),
                             (ACTOR["kremlin-liberals"], NARR.parasitism)]:
        row = rows[(actor, narrative)]
        assert (int(row["statements"]), int(row["attributions"])) == (0, 1)
        assert str(row["attributed_by"]) == "Michał Klonowski; Michał Słowikowski"
        assert row["first_date"] is None
    assert all(r["attributed_by"] is None for r in rows.values() if int(r["attributions"]) == 0)


def test_narrative_attributions_name_the_analysts_and_their_passage(shipped_store):
    rows = records(shipped_store, "narrative-attributions.rq")
    found = {(r["actor"], r["narrative"]) for r in rows}
    assert {(ACTOR.siloviks, NARR.fraternalism),
            (ACTOR["kremlin-liberals"], NARR.parasitism)} <= found
    for row in rows:
        assert row["locator"] and row["passage"] and row["document"]
        if str(row["document"]).startswith("Słowikowski & Klonowski"):
            assert str(row["attributed_by"]) == "Michał Klonowski; Michał Słowikowski"
        if str(row["document"]).startswith("Policy memo"):
            assert row["attributed_by"] is None  # the memo names no author
    siloviks = next(r for r in rows if r["actor"] == ACTOR.siloviks)
    assert str(siloviks["locator"]) == "p. 170"
    assert "promoted a fraternal narrative in bilateral relations" in str(siloviks["passage"])
    only = records(shipped_store, "narrative-attributions.rq", narrative="narr:fraternalism")
    assert {r["narrative"] for r in only} == {NARR.fraternalism}


def test_co_voicing_network_is_the_projection_of_actor_by_narrative(shipped_store):
    graph = answer(shipped_store, "construct-co-voicing.rq").graph
    voiced = defaultdict(set)
    for r in records(shipped_store, "narratives-by-actor.rq"):
        if int(r["statements"]):  # co-voicing is about statements, not attributions
            voiced[r["actor"]].add(r["narrative"])
    expected = {}
    for a, b in combinations(sorted(voiced, key=str), 2):
        if voiced[a] & voiced[b]:
            expected[(a, b)] = voiced[a] & voiced[b]
    assert set(graph.subject_objects(KG.coVoices)) == set(expected)
    for edge in graph.subjects(rdfns.RDF.type, rdfns.RDF.Statement):
        pair = (graph.value(edge, rdfns.RDF.subject), graph.value(edge, rdfns.RDF.object))
        assert int(graph.value(edge, rdfns.RDF.value)) == len(expected[pair])
        assert set(graph.objects(edge, rdfns.DCTERMS.subject)) == expected[pair]
    # 000 pp. 160–167: Lavrov and Putin both accuse the West of hypocrisy
    assert NARR["western-hypocrisy"] in expected[(ACTOR.lavrov, ACTOR.putin)]
    edge = URIRef("https://w3id.org/kgraph/co-voicing/lavrov--putin")
    assert str(graph.value(edge, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
               ).startswith("Sergei Lavrov – Vladimir Putin: ")


def test_provenance_of_lavrovs_ryanair_statement(shipped_store):
    rows = records(shipped_store, "provenance.rq", statement="stmt:lavrov-2021-05-27-ryanair")
    assert [compact(r["evidence"]) for r in rows] == [
        "evid:lavrov-2021-05-27-ryanair-1", "evid:lavrov-2021-05-27-ryanair-2"]
    first = rows[0]
    # 000 line 647 (p. 160) and fn. 36: TASS, 27 v 2021, https://tass.ru/politika/11492163
    assert (str(first["locator"]), int(first["page"]), str(first["footnotes"])) == (
        "p. 160, fn. 36", 160, "36")
    assert str(first["corpus_file"]) == "000_8213a69b6c562273.txt"
    assert str(first["source_url"]) == "https://tass.ru/politika/11492163"
    assert str(first["source_date"]) == "2021-05-27"
    assert "27 v 2021" in str(first["citation"])
    assert "demonizing people who are not liked there" in str(first["quote"])
    assert str(first["reported_as"]) == "direct quote"
    # the document's sentence at p. 160, apart from Lavrov's words in it
    assert str(first["passage"]).startswith("Representatives of the Kremlin, first of all")
    assert str(rows[1]["passage"]).startswith("Meanwhile, “the Belarusian authorities")
    assert str(rows[1]["footnotes"]) == "37"  # fn. 37 "Ibidem": the same TASS report
    assert rows[1]["source_url"] == first["source_url"]


def test_narrative_scheme_is_a_tree(shipped_store):
    rows = records(shipped_store, "narrative-scheme.rq")
    by_narrative = {r["narrative"]: r for r in rows}
    fortress = by_narrative[NARR["besieged-fortress"]]
    assert str(fortress["path"]) == "Anti-Western confrontation › Russia as a besieged fortress"
    assert int(fortress["depth"]) == 1
    # 000 p. 156: "According to Ian Klinke … three narratives: 1. fraternalism,
    # 2. paternalism, 3. parasitism"
    for name in ("fraternalism", "paternalism", "parasitism"):
        row = by_narrative[NARR[name]]
        assert str(row["theorised_by"]) == "Ian Klinke" and int(row["depth"]) == 1
        assert str(row["broader"]) == str(by_narrative[NARR["klinke-belarus-narratives"]]["label"])
    paths = [str(r["path"]) for r in rows]
    assert paths == sorted(paths)
    for r in rows:  # a child comes right after its parent's subtree starts
        if int(r["depth"]):
            parent = str(r["path"]).rsplit(" › ", 1)[0]
            assert paths.index(parent) < paths.index(str(r["path"]))


def test_timeline_is_in_date_order_and_filters_by_overlap(shipped_store):
    rows = records(shipped_store, "timeline.rq")
    dates = [str(r["date"]) for r in rows]
    assert dates == sorted(dates)
    assert {str(r["kind"]) for r in rows} == {"statement", "act", "event"}
    november = records(shipped_store, "timeline.rq", **{"from": "2021-11-01",
                                                         "to": "2021-11-30"})
    items = {r["item"] for r in november}
    # 000 p. 165, fn. 50 (TASS 16 xi 2021) and the 2021 migration crisis (000, 004)
    assert {STMT["lavrov-2021-11-16-double-standards"], EVENT["migration-crisis-2021"]} <= items
    assert STMT["lavrov-2021-07-21-ryanair-sanctions"] not in items  # fn. 39's dateline
    for r in november:
        last = str(r["end_date"] or r["date"])
        assert str(r["date"]) <= "2021-11-30" and last >= "2021-11-01"[:len(last)]


def test_factions_tie_the_siloviks_to_offensive_revisionism(shipped_store):
    rows = {r["faction"]: r for r in records(shipped_store, "factions.rq")}
    siloviks = rows[ACTOR.siloviks]
    # 000 p. 170: "The Russian siloviks faction is a representative of offensive
    # revisionism"
    assert str(siloviks["categories"]) == "Offensive revisionism"
    assert "p. 170" in str(siloviks["category_evidence"])
    assert str(siloviks["judged_by"]) == "Michał Klonowski; Michał Słowikowski"
    assert str(siloviks["state"]) == "Russia"
    assert ACTOR["kremlin-liberals"] in rows  # 000 p. 172, named without members
    assert rows[ACTOR["kremlin-liberals"]]["members"] is None


def test_contested_claims_pit_the_memo_against_the_article_on_change(shipped_store):
    rows = records(shipped_store, "contested-claims.rq")
    article = CLAIM["slowikowski-klonowski-relations-never-so-close"]
    pair = [r for r in rows if article in (r["claim_a"], r["claim_b"])]
    assert pair
    for row in pair:
        side = "a" if row["claim_a"] == article else "b"
        other = "b" if side == "a" else "a"
        # 000 p. 172 "Belarusian cooperation with Russia has significantly changed" against
        # the memo's "it has consolidated the old model"; the memo names no author
        assert str(row[f"authors_{side}"]) == "Michał Klonowski; Michał Słowikowski"
        assert "p. 172" in str(row[f"locator_{side}"])
        assert row[f"authors_{other}"] is None
        assert str(row[f"document_{other}"]).startswith("Policy memo")
        assert row[f"document_{side}"] != row[f"document_{other}"]
    # the memo's status-quo policy towards Belarus does not deny revisionism towards the
    # West (a second coder's reading, docs/codebook.md): no longer a contradiction
    assert CLAIM["full-spectrum-revisionism"] not in {r[k] for r in rows
                                                      for k in ("claim_a", "claim_b")}
    assert all(str(r["claim_a"]) < str(r["claim_b"]) for r in rows)


@pytest.mark.parametrize("name", [n for n in NAMES if n.endswith("-violation.rq")])
def test_no_violation_on_the_shipped_graph(shipped_store, oxigraph_store, name):
    assert answer(shipped_store, name).rows == []
    assert answer(oxigraph_store, name).rows == []


# ---------------------------------------------------- violation rules on a broken graph

BROKEN = """\
@prefix act: <https://w3id.org/kgraph/act/> .
@prefix actor: <https://w3id.org/kgraph/actor/> .
@prefix cat: <https://w3id.org/kgraph/category/> .
@prefix claim: <https://w3id.org/kgraph/claim/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix judg: <https://w3id.org/kgraph/judgement/> .
@prefix src: <https://w3id.org/kgraph/source/> .
@prefix doc: <https://w3id.org/kgraph/document/> .
@prefix event: <https://w3id.org/kgraph/event/> .
@prefix evid: <https://w3id.org/kgraph/evidence/> .
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix narr: <https://w3id.org/kgraph/narrative/> .
@prefix office: <https://w3id.org/kgraph/office/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stmt: <https://w3id.org/kgraph/statement/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

doc:analysis a kg:Document ; rdfs:label "An analysis of November 2021"@en ;
    dcterms:date "2021-11"^^xsd:gYearMonth .
doc:undated a kg:Document ; rdfs:label "An undated memo"@en .
evid:analysis-1 a kg:Evidence ; kg:document doc:analysis ; kg:locator "para. 1" .
evid:memo-1 a kg:Evidence ; kg:document doc:undated ; kg:locator "para. 2" .

# date-after-document: December is after a November document; a day in November is not
stmt:late a kg:Statement ; kg:speaker actor:speaker ;
    kg:date "2021-12-05"^^xsd:date ; kg:evidence evid:analysis-1 .
stmt:in-time a kg:Statement ; kg:speaker actor:speaker ;
    kg:date "2021-11-16"^^xsd:date ; kg:evidence evid:analysis-1 .
stmt:undated-document a kg:Statement ; kg:speaker actor:speaker ;
    kg:date "2030"^^xsd:gYear ; kg:evidence evid:memo-1 .

# end-before-start: compared at the coarser precision
event:backwards a kg:Event ; kg:date "2021-11"^^xsd:gYearMonth ;
    kg:endDate "2021-10-30"^^xsd:date .
event:same-month a kg:Event ; kg:date "2021-11-08"^^xsd:date ;
    kg:endDate "2021-11"^^xsd:gYearMonth .

# locator-page and locator-footnote
evid:wrong-page a kg:Evidence ; kg:locator "p. 162, fn. 36" ; kg:page 161 ; kg:footnote 36 .
evid:page-range a kg:Evidence ; kg:locator "pp. 151–152, fn. 10" ; kg:page 151 ;
    kg:footnote 10 .
evid:wrong-footnote a kg:Evidence ; kg:locator "p. 10, fn. 36" ; kg:page 10 ; kg:footnote 37 .
evid:footnote-range a kg:Evidence ; kg:locator "p. 170, fnn. 65–66" ; kg:page 170 ;
    kg:footnote 65, 66 .
evid:outside-range a kg:Evidence ; kg:locator "p. 170, fnn. 65–66" ; kg:page 170 ;
    kg:footnote 65, 67 .
evid:prefix-number a kg:Evidence ; kg:locator "p. 9, fn. 136" ; kg:page 9 ; kg:footnote 36 .

# speaker-office: an office held, one the text calls former, one that ended
actor:speaker a kg:Person .
office:minister--speaker a org:Membership ; org:member actor:speaker ; org:role office:minister .
office:ambassador--speaker a org:Membership ; org:member actor:speaker ;
    org:role office:ambassador ; kg:former true .
office:envoy--speaker a org:Membership ; org:member actor:speaker ;
    org:role office:envoy ; kg:endDate "2020-06"^^xsd:gYearMonth .
stmt:as-minister a kg:Statement ; kg:speaker actor:speaker ; kg:speakerOffice office:minister .
stmt:as-president a kg:Statement ; kg:speaker actor:speaker ;
    kg:speakerOffice office:president .
stmt:as-former-ambassador a kg:Statement ; kg:speaker actor:speaker ;
    kg:speakerOffice office:ambassador .
stmt:as-envoy-in-time a kg:Statement ; kg:speaker actor:speaker ;
    kg:date "2020-06-15"^^xsd:date ; kg:speakerOffice office:envoy .
stmt:as-envoy-too-late a kg:Statement ; kg:speaker actor:speaker ;
    kg:date "2020-07-01"^^xsd:date ; kg:speakerOffice office:envoy .

# quote-passage: the speaker's words within the passage, never the passage itself
evid:passage-1 a kg:Evidence ; kg:locator "para. 3" ;
    kg:passage "According to Lavrov, the cause is “disruptive US policy” in the region."@en .
stmt:quote-inside a kg:Statement ; kg:reportedAs kg:Paraphrase ;
    kg:quote "disruptive US policy"@en ; kg:evidence evid:passage-1 .
stmt:quote-elsewhere a kg:Statement ; kg:reportedAs kg:DirectQuote ;
    kg:quote "constructive US policy"@en ; kg:evidence evid:passage-1 .
stmt:passage-as-quote a kg:Statement ; kg:reportedAs kg:DirectQuote ;
    kg:quote "According to Lavrov, the cause is “disruptive US policy” in the region."@en ;
    kg:evidence evid:passage-1 .
stmt:paraphrase-sentence-as-quote a kg:Statement ; kg:reportedAs kg:Paraphrase ;
    kg:quote "the cause is"@en ; kg:evidence evid:passage-1 .

# label-mismatch
actor:labelled a kg:Person ; skos:prefLabel "Sergei Lavrov"@en ; rdfs:label "Sergei Lavrov"@en .
actor:mislabelled a kg:Person ; skos:prefLabel "Sergei Lavrov"@en ; rdfs:label "Sergey Lavrov"@en .
narr:tagged-apart a kg:Narrative ; skos:prefLabel "fraternalism"@en ; rdfs:label "fraternalism"@pl .

# broader-cycle
narr:top a kg:Narrative .
narr:child a kg:Narrative ; skos:broader narr:top .
narr:loop-a a kg:Narrative ; skos:broader narr:loop-b .
narr:loop-b a kg:Narrative ; skos:broader narr:loop-a .

# claim-link
claim:selfish a kg:Claim ; kg:supports claim:selfish .
claim:torn a kg:Claim ; kg:supports claim:other .
claim:other a kg:Claim ; kg:contradicts claim:torn .
claim:agrees a kg:Claim ; kg:supports claim:other .
claim:hedges a kg:Claim ; kg:qualifies claim:other .
claim:torn-again a kg:Claim ; kg:qualifies claim:other ; kg:contradicts claim:other .
claim:both-ways a kg:Claim ; kg:qualifies claim:agrees ; kg:supports claim:agrees .

# undeclared-property
stmt:typo a kg:Statement ; kg:speeker actor:speaker .

# locator-section: the memo's headings only (002 has no "Summary")
doc:memo a kg:Document ; kg:sectionHeading "One Team", "Looking Ahead" .
evid:memo-heading a kg:Evidence ; kg:document doc:memo ; kg:locator "section \\"One Team\\", para. 3" .
evid:memo-invented a kg:Evidence ; kg:document doc:memo ;
    kg:locator "section \\"Summary\\", para. 1" .
evid:memo-opening a kg:Evidence ; kg:document doc:memo ;
    kg:locator "para. 1 (before the first heading)" .
evid:no-headings a kg:Evidence ; kg:document doc:analysis ; kg:locator "section \\"Summary\\"" .

# analyst-author: the authors, a reported judge with the cited work, a coder's reading
doc:article a kg:Document ; dcterms:creator actor:author .
evid:article-1 a kg:Evidence ; kg:document doc:article ; kg:locator "p. 170" .
evid:article-cited a kg:Evidence ; kg:document doc:article ; kg:locator "para. 4" ;
    kg:primarySource src:scholar-2006 .
judg:by-the-authors a kg:CategoryJudgement ; kg:judgedBy actor:author ; kg:evidence evid:article-1 ;
    kg:judgedAct act:deployment .
judg:reported a kg:CategoryJudgement ; kg:judgedBy actor:scholar ; kg:evidence evid:article-cited ;
    kg:judgedAct act:deployment .
judg:coders-reading a kg:CategoryJudgement ; kg:judgedBy actor:coder ; kg:evidence evid:article-1 ;
    kg:judgedActor actor:faction .
judg:attributed a kg:NarrativeAttribution ; kg:attributedBy actor:author ; kg:evidence evid:article-1 .
judg:misattributed a kg:NarrativeAttribution ; kg:attributedBy actor:scholar ;
    kg:evidence evid:article-1 .
judg:unattributed a kg:NarrativeAttribution ; kg:evidence evid:article-1 .
judg:memo-attribution a kg:NarrativeAttribution ; kg:evidence evid:memo-heading .

# judgement-target: an act or an actor, exactly one of them
judg:act-and-actor a kg:CategoryJudgement ; kg:judgedAct act:deployment ;
    kg:judgedActor actor:faction .
judg:of-nothing a kg:CategoryJudgement ; kg:category cat:offensive .

# duplicate-quote: one claim coded twice
claim:once a kg:Claim ; kg:quote "Never have relations been so close."@en .
claim:twice a kg:Claim ; kg:quote "Never have relations been so close."@en .
evid:article-2 a kg:Evidence ; kg:document doc:article ; kg:locator "para. 5" ;
    kg:passage "The scholar wrote: Never have relations been so close."@en .
stmt:shares-a-passage a kg:Statement ; kg:quote "Never have relations been so close."@en ;
    kg:evidence evid:article-2 .
"""

#: rule → the (focus, message fragment) rows it must return on BROKEN, exactly
EXPECTED_VIOLATIONS = {
    "date-after-document-violation.rq": [("stmt:late", "Dated 2021-12-05, after")],
    "end-before-start-violation.rq": [("event:backwards", "Ends (2021-10-30)")],
    "locator-page-violation.rq": [("evid:wrong-page", "kg:page is 161")],
    "locator-footnote-violation.rq": [
        ("evid:outside-range", "kg:footnote 67 is not among"),
        ("evid:prefix-number", "kg:footnote 36 is not among"),
        ("evid:prefix-number", "cites footnote 136"),
        ("evid:wrong-footnote", "kg:footnote 37 is not among"),
        ("evid:wrong-footnote", "cites footnote 36")],
    "speaker-office-violation.rq": [("stmt:as-president", "does not hold the office"),
                                    ("stmt:as-former-ambassador", "does not hold the office"),
                                    ("stmt:as-envoy-too-late", "does not hold the office")],
    "quote-passage-violation.rq": [
        ("stmt:quote-elsewhere", "not within the kg:passage"),
        ("stmt:passage-as-quote", "is the whole evidence passage"),
        ("stmt:paraphrase-sentence-as-quote", "in quotation marks")],
    "label-mismatch-violation.rq": [("actor:mislabelled", "differs from the skos:prefLabel"),
                                    ("narr:tagged-apart", "differs from the skos:prefLabel")],
    "broader-cycle-violation.rq": [("narr:loop-a", "a cycle"), ("narr:loop-b", "a cycle")],
    "claim-link-violation.rq": [("claim:selfish", "cannot support, qualify or contradict itself"),
                                ("claim:torn", "both supports and contradicts"),
                                ("claim:torn-again", "both qualifies and contradicts"),
                                ("claim:both-ways", "both qualifies and supports")],
    "undeclared-property-violation.rq": [("stmt:typo", "ontology#speeker is not declared")],
    "locator-section-violation.rq": [("evid:memo-invented", "section \"Summary\""),
                                     ("evid:no-headings", "section \"Summary\"")],
    "analyst-author-violation.rq": [("judg:coders-reading", "is not an author"),
                                    ("judg:misattributed", "is not an author"),
                                    ("judg:unattributed", "names no analyst")],
    "duplicate-quote-violation.rq": [("claim:twice", "one claim coded twice")],
    "judgement-target-violation.rq": [("judg:act-and-actor", "judges both the act"),
                                      ("judg:of-nothing", "judges neither")],
}


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory) -> Path:
    """A project with the real ontology and queries, and a graph that breaks each rule
    once (next to a case that looks similar but is fine)."""
    root = tmp_path_factory.mktemp("broken")
    (root / "graph").mkdir()
    (root / "ontology").mkdir()
    shutil.copy(REPO / "ontology" / "revisionism.ttl", root / "ontology")
    # validate refuses to run without shapes (issue 14): they come along, unchecked here
    shutil.copy(REPO / "ontology" / "shapes.ttl", root / "ontology")
    shutil.copytree(QUERIES, root / "queries")
    (root / "graph" / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    return root


def test_every_violation_query_has_a_broken_case():
    assert set(EXPECTED_VIOLATIONS) == {n for n in NAMES if n.endswith("-violation.rq")}


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
@pytest.mark.parametrize("name", sorted(EXPECTED_VIOLATIONS))
def test_each_violation_rule_fires_on_the_broken_case_only(broken_project, backend, name):
    from kgraph.load import load_project

    store = load_project(broken_project, backend=backend)
    found = [(compact(r["focus"]), str(r["message"])) for r in records(store, name)]
    unmatched = list(found)
    for focus, fragment in EXPECTED_VIOLATIONS[name]:
        match = next((row for row in unmatched if row[0] == focus and fragment in row[1]),
                     None)
        assert match, f"no row for {focus} with {fragment!r} in {found}"
        unmatched.remove(match)
    assert unmatched == []


def test_kgraph_validate_reports_the_violation_queries(broken_project):
    from kgraph.load import load_project

    report = validate_project(broken_project, backend=load_project(broken_project))
    assert not report.conforms
    fired = defaultdict(set)
    for result in report.results:
        if result.rule.startswith("queries/"):
            fired[result.rule].add(result.focus)
    assert {rule.removeprefix("queries/"): focus for rule, focus in fired.items()} == {
        name: {focus for focus, _ in rows} for name, rows in EXPECTED_VIOLATIONS.items()}
    late = next(r for r in report.results if r.focus == "stmt:late")
    line = BROKEN.splitlines().index("stmt:late a kg:Statement ; kg:speaker actor:speaker ;") + 1
    assert (late.path, late.value, late.location) == ("kg:date", "2021-12-05",
                                                      f"graph/broken.ttl:{line}")
