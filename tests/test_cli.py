"""The foundation commands on the small fixture project: exact output and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph

MINI_STATS = """\
triples: 28

class         instances
------------  ---------
kg:Person     2
kg:Document   1
kg:Evidence   1
kg:Narrative  1
kg:Statement  1

reported as     statements  with quote  evidence passages
--------------  ----------  ----------  -----------------
kg:DirectQuote  1           1           0

actor         label          statements  narratives
------------  -------------  ----------  ----------
actor:lavrov  Sergei Lavrov  1           1
"""

MINI_QUERIES = """\
file                          summary                           parameters  tags
----------------------------  --------------------------------  ----------  ----------
construct-voices.rq           Speaker to narrative edges
missing-speaker-violation.rq  A statement has no speaker
speaker-of.rq                 The speaker of one statement      statement
statements.rq                 Statements with speaker and date  [actor]     statements
"""

MINI_STATEMENTS = """\
statement                       speaker        date        quote
------------------------------  -------------  ----------  -----------------------------------------
stmt:lavrov-2021-05-27-ryanair  Sergei Lavrov  2021-05-27  demonizing people who are not liked there
"""


def test_help_of_every_command_shows_an_example(run):
    for command in ["validate", "query", "queries", "export", "stats", "check-quotes"]:
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout
        assert f"kgraph {command}" in result.stdout


def test_stats(run, mini):
    result = run("--root", mini, "stats")
    assert (result.exit_code, result.stdout) == (0, MINI_STATS)


def test_stats_json(run, mini):
    result = run("--root", mini, "stats", "--format", "json")
    data = json.loads(result.stdout)
    assert data["triples"] == 28
    assert data["classes"]["kg:Person"] == 2
    assert data["actors"] == [{"actor": "actor:lavrov", "label": "Sergei Lavrov",
                               "statements": 1, "narratives": 1}]
    assert data["reporting"] == [{"reported_as": "kg:DirectQuote", "statements": 1,
                                  "with_quote": 1, "evidence_passages": 0}]


def test_queries_lists_the_catalogue(run, mini):
    result = run("--root", mini, "queries")
    assert (result.exit_code, result.stdout) == (0, MINI_QUERIES)


def test_root_is_found_from_a_subfolder(run, mini, monkeypatch):
    monkeypatch.chdir(mini / "queries")
    result = run("stats")
    assert (result.exit_code, result.stdout) == (0, MINI_STATS)


def test_query_table(run, mini):
    result = run("--root", mini, "query", mini / "queries" / "statements.rq")
    assert (result.exit_code, result.stdout) == (0, MINI_STATEMENTS)


def test_query_optional_parameter_filters(run, mini):
    query = mini / "queries" / "statements.rq"
    hit = run("--root", mini, "query", query, "--param", "actor=actor:lavrov",
              "--format", "csv")
    assert hit.stdout_bytes.decode() == ("statement,speaker,date,quote\r\n"
                          "https://w3id.org/kgraph/statement/lavrov-2021-05-27-ryanair,"
                          "Sergei Lavrov,2021-05-27,demonizing people who are not liked there\r\n")
    miss = run("--root", mini, "query", query, "--param", "actor=actor:lukashenka",
               "--format", "csv")
    assert (miss.exit_code, miss.stdout_bytes) == (0, b"statement,speaker,date,quote\r\n")


def test_query_parameter_is_bound_not_pasted(run, mini):
    """A value that would break the query if pasted in is just an IRI that matches
    nothing (or a type error), never query text."""
    query = mini / "queries" / "statements.rq"
    result = run("--root", mini, "query", query, "--param",
                 "actor=actor:x> } UNION { ?s ?p ?o", "--format", "csv")
    assert result.exit_code == 2
    assert "is not an IRI" in result.stderr


def test_query_json_is_sparql_results_json(run, mini):
    result = run("--root", mini, "query", mini / "queries" / "statements.rq",
                 "--format", "json")
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["statement", "speaker", "date", "quote"]
    binding = data["results"]["bindings"][0]
    assert binding["date"] == {"type": "literal", "value": "2021-05-27",
                               "datatype": "http://www.w3.org/2001/XMLSchema#date"}
    assert binding["speaker"] == {"type": "literal", "value": "Sergei Lavrov",
                                  "xml:lang": "en"}


def test_query_tsv(run, mini):
    result = run("--root", mini, "query", mini / "queries" / "statements.rq",
                 "--format", "tsv")
    assert result.stdout.splitlines() == [
        "?statement\t?speaker\t?date\t?quote",
        "<https://w3id.org/kgraph/statement/lavrov-2021-05-27-ryanair>\t\"Sergei Lavrov\"@en"
        "\t\"2021-05-27\"^^<http://www.w3.org/2001/XMLSchema#date>"
        "\t\"demonizing people who are not liked there\"@en"]


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_query_tsv_escapes_tabs_and_newlines_in_literals(run, mini, backend):
    """W3C SPARQL 1.1 TSV: a literal's tab, newline or carriage return is written as
    an escape; raw, it would split the cell or the row for any TSV reader."""
    query = mini / "queries" / "spaced.rq"
    query.write_text('SELECT ?text ?n WHERE { BIND("a\\tb\\nc\\r\\"d\\"\\\\" AS ?text) '
                     'BIND(2 AS ?n) }\n')
    result = run("--root", mini, "--backend", backend, "query", query, "--format", "tsv")
    assert result.stdout == '?text\t?n\n"a\\tb\\nc\\r\\"d\\"\\\\"\t2\n'
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\t",
                           quoting=csv.QUOTE_NONE))
    assert [len(row) for row in rows] == [2, 2]


def test_query_missing_required_parameter(run, mini):
    result = run("--root", mini, "query", mini / "queries" / "speaker-of.rq")
    assert result.exit_code == 2
    assert result.stderr == ("Error: speaker-of.rq needs parameter statement (required, "
                             "an IRI or prefixed name such as actor:lavrov): add --param "
                             "statement=VALUE\n")


def test_query_unknown_parameter(run, mini):
    result = run("--root", mini, "query", mini / "queries" / "speaker-of.rq",
                 "--param", "speeker=actor:lavrov")
    assert result.exit_code == 2
    assert "unknown parameter 'speeker' for speaker-of.rq" in result.stderr


def test_query_wrong_type(run, mini):
    query = mini / "queries" / "dated.rq"
    query.write_text("PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"
                     "SELECT ?s WHERE { ?s kg:date ?d FILTER(STR(?d) >= STR(?_from_xsd_date)) }\n")
    result = run("--root", mini, "query", query, "--param", "from=May 2021")
    assert result.exit_code == 2
    assert result.stderr == ("Error: parameter from='May 2021' for dated.rq is not a date "
                             "YYYY-MM-DD\n")
    ok = run("--root", mini, "query", query, "--param", "from=2021-01-01", "--format", "csv")
    assert ok.stdout.splitlines()[1].endswith("lavrov-2021-05-27-ryanair")


def test_query_ask_and_construct(run, mini):
    ask = mini / "queries" / "ask.rq"
    ask.write_text("PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"
                   "ASK { ?s a kg:Statement }\n")
    assert run("--root", mini, "query", ask).stdout == "true\n"
    assert json.loads(run("--root", mini, "query", ask, "--format", "json").stdout) == \
        {"head": {}, "boolean": True}
    # the default backend writes a graph answer's Turtle itself (sorted, the prefixes
    # used); the reference backend's comes from rdflib's writer
    expected = ("@prefix actor: <https://w3id.org/kgraph/actor/> .\n"
                "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
                "@prefix narr: <https://w3id.org/kgraph/narrative/> .\n\n"
                "actor:lavrov kg:voices narr:western-hypocrisy .\n")
    construct = run("--root", mini, "query", mini / "queries" / "construct-voices.rq")
    assert construct.stdout == expected
    construct = run("--root", mini, "--backend", "memory", "query",
                    mini / "queries" / "construct-voices.rq")
    assert construct.stdout == expected + "\n"
    jsonld = run("--root", mini, "query", mini / "queries" / "construct-voices.rq",
                 "--format", "jsonld")
    assert len(Graph().parse(data=jsonld.stdout, format="json-ld")) == 1


def test_query_describe(run, mini):
    describe = mini / "queries" / "describe.rq"
    describe.write_text("DESCRIBE <https://w3id.org/kgraph/actor/lavrov>\n")
    result = run("--root", mini, "query", describe, "--format", "nt")
    assert result.exit_code == 0
    assert '<https://w3id.org/kgraph/actor/lavrov> <http://www.w3.org/2004/02/skos/core#prefLabel> "Sergei Lavrov"@en .' in result.stdout


def test_query_output_file(run, mini, tmp_path):
    out = tmp_path / "rows.csv"
    result = run("--root", mini, "-q", "query", mini / "queries" / "statements.rq",
                 "--format", "csv", "-o", out)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert out.read_text().startswith("statement,speaker,date,quote")


def test_validate_conforming(run, mini):
    result = run("--root", mini, "validate")
    assert (result.exit_code, result.stdout) == (
        0, "0 violations, 0 warnings, 0 infos: conforms\n")


def break_speaker(mini: Path) -> None:
    path = mini / "graph" / "statements.ttl"
    path.write_text(path.read_text().replace("    kg:speaker actor:lavrov ;\n", ""))


def test_validate_reports_shape_and_query_violations(run, mini):
    break_speaker(mini)
    result = run("--root", mini, "validate")
    assert result.exit_code == 1
    assert result.stdout == """\
Violation: stmt:lavrov-2021-05-27-ryanair (Lavrov on the Ryanair incident)
  message: A statement has no speaker
  defined: graph/statements.ttl:11
  rule:    queries/missing-speaker-violation.rq

Violation: stmt:lavrov-2021-05-27-ryanair (Lavrov on the Ryanair incident)
  path:    kg:speaker
  message: A statement has exactly one speaker, an actor.
  defined: graph/statements.ttl:11
  rule:    shapes.ttl kg:speaker

2 violations, 0 warnings, 0 infos: does not conform
"""


def test_validate_formats(run, mini):
    break_speaker(mini)
    table = run("--root", mini, "validate", "--format", "table")
    assert table.exit_code == 1
    assert table.stdout.splitlines()[0].split() == [
        "severity", "focus", "label", "path", "message", "defined"]
    data = json.loads(run("--root", mini, "validate", "--format", "json").stdout)
    assert data["conforms"] is False
    assert {r["rule"] for r in data["results"]} == {
        "shapes.ttl kg:speaker", "queries/missing-speaker-violation.rq"}
    turtle = run("--root", mini, "validate", "--format", "turtle")
    report = Graph().parse(data=turtle.stdout, format="turtle")
    assert len(list(report.subjects(
        predicate=None, object=__import__("rdflib").namespace.SH.ValidationResult))) == 2


# ---------------------------------------------------------------- bad input (exit 2)

@pytest.mark.parametrize("backend, position", [("memory", "3"), ("oxigraph", "3:11")])
def test_turtle_syntax_error_names_file_and_line(run, mini, tmp_path, backend, position):
    """rdflib names the line, Oxigraph (the default) the line and column."""
    (mini / "graph" / "broken.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated\n")
    out = tmp_path / "out.ttl"
    result = run("--root", mini, "--backend", backend, "export", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {mini / 'graph' / 'broken.ttl'}:{position}: "
                                    "Turtle syntax error: ")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_failed_export_keeps_existing_file(run, mini, tmp_path):
    out = tmp_path / "out.ttl"
    out.write_text("precious")
    (mini / "graph" / "broken.ttl").write_text("this is not turtle\n")
    assert run("--root", mini, "export", "-o", out).exit_code == 2
    assert out.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


@pytest.mark.parametrize("backend, line", [("memory", 2), ("oxigraph", 3)])
def test_sparql_syntax_error_names_file_and_position(run, mini, backend, line):
    """rdflib points at the unfinished pattern, Oxigraph at the end of the text where
    it expected more."""
    query = mini / "queries" / "bad.rq"
    query.write_text("SELECT ?x WHERE {\n  ?x ?y\n")
    result = run("--root", mini, "--backend", backend, "query", query)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {query}:{line}:")
    assert "SPARQL syntax error" in result.stderr


def test_undeclared_prefix_names_file_and_position(run, mini):
    query = mini / "queries" / "prefix.rq"
    query.write_text("PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"
                     "SELECT ?x WHERE {\n  ?x kg:speaker foo:bar .\n}\n")
    result = run("--root", mini, "query", query)
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {query}:3:17: undeclared prefix foo:\n")


def test_missing_query_file(run, mini):
    result = run("--root", mini, "query", mini / "queries" / "nope.rq")
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {mini / 'queries' / 'nope.rq'}: query file not found\n")


def test_missing_root_folder(run, tmp_path):
    result = run("--root", tmp_path / "nowhere", "stats")
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {tmp_path / 'nowhere'}: no such folder\n")


def test_root_without_graph_folder(run, tmp_path):
    (tmp_path / "ontology").mkdir()
    result = run("--root", tmp_path, "stats")
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {tmp_path}: not a kgraph project: graph/ is missing\n")


def test_no_project_above_working_directory(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("stats")
    assert result.exit_code == 2
    assert "no kgraph project (a folder with graph/ and ontology/) at or above" in result.stderr


def test_unreadable_graph_file(run, mini):
    path = mini / "graph" / "actors.ttl"
    path.write_bytes(b"\xff\xfe not utf-8")
    result = run("--root", mini, "stats")
    assert result.exit_code == 2
    assert str(path) in result.stderr


def test_missing_corpus_folder(run, mini, tmp_path):
    result = run("--root", mini, "check-quotes", "--corpus", tmp_path / "nope")
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {tmp_path / 'nope'}: corpus folder not found\n")


def test_usage_error_exit_code(run, mini):
    result = run("--root", mini, "export", "--format", "docx")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
