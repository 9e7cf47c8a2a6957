"""Everyday speed (issue 15): the fast default backend, views that read only what they
draw, CONSTRUCT answers serialised natively, progress bars on a terminal only, a lean
start-up and a short demo. No timing here: speed is measured in bench/."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kgraph.backends import open_backend
from kgraph.load import load_project
from kgraph.views import PROJECTIONS, VIEW_READS, Read, project

from .conftest import REPO

KGRAPH = [sys.executable, "-m", "kgraph"]


def test_the_default_backend_is_oxigraph_in_memory():
    from kgraph.cli import choose_backend

    assert choose_backend(None, None, None, False) == ("oxigraph", {})
    assert choose_backend(None, Path("st"), None, False) == ("oxigraph",
                                                             {"store_dir": Path("st")})
    assert choose_backend(None, None, "http://h/q", True)[0] == "endpoint"
    assert choose_backend("memory", None, None, False) == ("memory", {})


def _same_graphs(first, second) -> None:
    assert first.graph == second.graph
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True,
                                                                        data=True))


@pytest.fixture(scope="module")
def generated_project(tmp_path_factory) -> Path:
    """A generated graph (benchgen) beside the shipped ontology: other shapes of data
    than the shipped graph's (many actors, quotes in several languages)."""
    import shutil

    from kgraph.benchgen import generate_turtle

    root = tmp_path_factory.mktemp("generated")
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "graph").mkdir()
    (root / "graph" / "generated.ttl").write_bytes(generate_turtle(6000, seed=3))
    return root


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
@pytest.mark.parametrize("where", ["shipped", "generated"])
def test_each_view_reading_its_slices_draws_what_the_whole_store_read_drew(
        backend, where, generated_project, monkeypatch):
    """The projection reads only the (subject, predicate) slices its view draws; the
    graph it builds, every attribute and the panel details included, equals the one
    built from a read of the whole store (what views did before), for every view, a
    date range, a focus and a CONSTRUCT query's page."""
    store = load_project(REPO if where == "shipped" else generated_project,
                         backend=backend)
    cases = [dict(view=v) for v in PROJECTIONS] + [
        dict(view="statements", date_from="2021", date_to="2021-06", undated=False),
        dict(view="revisionism", date_from="2021"),
        dict(view="full", date_from="2020-08", date_to="2020-12")]
    if where == "shipped":
        cases += [dict(view="actor-narrative", focus="actor:lavrov", depth=2),
                  dict(view="actor-narrative", query="construct-co-voicing.rq",
                       root=REPO)]
    for case in cases:
        sliced = project(store, **case)
        with monkeypatch.context() as patch:
            patch.setitem(VIEW_READS, "query" if "query" in case else case["view"],
                          [Read()])
            whole = project(store, **case)
        _same_graphs(sliced, whole)
        assert sliced.number_of_nodes() > 0, case


def test_the_slices_are_smaller_than_the_store(shipped_store):
    """What a view reads is a part of the store, not the whole: the shipped graph's
    revisionism view reads under half of its triples (most of it the names and types
    of everything, which any node's label may need)."""
    rows = {(s, p, o) for read in VIEW_READS["revisionism"]
            for s, p, o in shipped_store.query(read.query()).rows}
    assert 0 < len(rows) < len(shipped_store) / 2


def test_slice_queries_keep_to_portable_shapes():
    """The shapes issue 12 found unportable (Virtuoso): no COALESCE filter, no OPTIONAL,
    no property path in a pattern, no GROUP_CONCAT, no sub-select; parameters are none
    (views bind nothing)."""
    for reads in VIEW_READS.values():
        for read in reads:
            text = read.query().split("SELECT", 1)[1]
            for banned in ("COALESCE", "OPTIONAL", "GROUP_CONCAT", "+", "*", "/kg:",
                           "{ SELECT"):
                assert banned not in text, (banned, text)


# ------------------------------------------------------------- CONSTRUCT natively

GRAPH_ANSWERS = [
    "construct-co-voicing.rq",
    "DESCRIBE <https://w3id.org/kgraph/actor/lavrov>",
    "PREFIX kg: <https://w3id.org/kgraph/ontology#> CONSTRUCT { ?s kg:quote ?q } "
    "WHERE { ?s kg:quote ?q }",  # quotes in several languages and scripts
]

#: a new blank node per solution: one for each actor's class
BLANK_NODE_ANSWER = ("CONSTRUCT { ?s <urn:x:note> [ <urn:x:about> ?o ] } WHERE { ?s a ?o "
                     "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/kgraph/actor/')) }")


@pytest.mark.parametrize("query", GRAPH_ANSWERS)
def test_a_graph_answer_in_ntriples_natively_is_the_python_paths_bytes(query):
    from kgraph.readwrite.rdf import serialize_graph

    text = (REPO / "queries" / query).read_text() if query.endswith(".rq") else query
    oxigraph = load_project(REPO, backend="oxigraph")
    native = oxigraph.construct_dump(text, "nt")
    assert native is not None and native.count(b"\n") > 10
    assert native == serialize_graph(oxigraph.query(text).graph, "nt")
    memory = load_project(REPO, backend="memory")
    assert native == serialize_graph(memory.query(text).graph, "nt")


@pytest.mark.parametrize("query", GRAPH_ANSWERS + [
    BLANK_NODE_ANSWER])
def test_a_graph_answer_in_turtle_natively_is_the_reference_answer(query):
    """Turtle written by the store (no rdflib Graph) parses, with rdflib's reader, to
    the graph the rdflib/pySHACL reference backend answers, blank nodes included; it
    is the sorted Turtle ``export`` writes for the same triples, with the prefixes it
    uses declared."""
    from kgraph.backends.oxigraph import OxigraphBackend
    from kgraph.backends.sorted_turtle import write_sorted_turtle

    text = (REPO / "queries" / query).read_text() if query.endswith(".rq") else query
    native = load_project(REPO, backend="oxigraph").construct_dump(text, "turtle")
    reference = load_project(REPO, backend="memory").query(text).graph
    assert len(reference) > 10
    assert isomorphic(Graph().parse(data=native, format="turtle"), reference)
    answered = OxigraphBackend()
    answered.store.load(reference.serialize(format="nt", encoding="utf-8"),
                        format=__import__("pyoxigraph").RdfFormat.N_TRIPLES)
    exported = answered.dump("turtle")
    body = exported[exported.index(b"\n\n"):]
    assert native.endswith(body) and native.count(b"@prefix") < exported.count(b"@prefix")
    assert native == write_sorted_turtle(answered.ntriples_lines(), used_prefixes_only=True)


def test_a_graph_answer_with_blank_nodes_is_written_the_same_in_every_process(tmp_path):
    """Blank nodes get canonical labels (RDFC-1.0), not the labels of one run: two
    processes under different hash seeds write the same bytes."""
    query = tmp_path / "blank.rq"
    query.write_text(BLANK_NODE_ANSWER + "\n")
    outputs = set()
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "kgraph", "--root", str(REPO), "-q",
                               "query", str(query)], capture_output=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed))
        outputs.add(done.stdout)
    assert len(outputs) == 1 and b"_:" in outputs.pop()


def test_a_select_has_no_native_graph_answer():
    store = load_project(REPO, backend="oxigraph")
    assert store.construct_dump("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "nt") is None
    assert store.construct_dump("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "jsonld") is None


def test_query_format_nt_gives_the_memory_backends_bytes(run):
    memory = run("--root", REPO, "-q", "--backend", "memory", "query",
                 REPO / "queries" / "construct-co-voicing.rq", "--format", "nt")
    default = run("--root", REPO, "-q", "query",
                  REPO / "queries" / "construct-co-voicing.rq", "--format", "nt")
    assert memory.exit_code == default.exit_code == 0
    assert default.stdout_bytes == memory.stdout_bytes and default.stdout_bytes


# ----------------------------------------------------------------------- progress

def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run kgraph with stderr on a pseudo-terminal (stdout to /dev/null); what the
    terminal showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(KGRAPH + args, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(timeout=300), shown.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def large_project(tmp_path_factory) -> Path:
    """100k generated triples (over 6 MB of Turtle): large enough for the bars."""
    import shutil

    root = tmp_path_factory.mktemp("large")
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "graph").mkdir()
    # written beside graph/ and moved in: bench generate refuses to write into it
    code, shown = run_on_terminal(["bench", "generate", "--triples", "100000", "-o",
                                   str(root / "generated.ttl")], root)
    assert code == 0, shown
    (root / "generated.ttl").rename(root / "graph" / "generated.ttl")
    root.joinpath("generate-terminal.txt").write_text(shown)
    return root


def test_long_work_shows_a_bar_on_a_terminal(large_project):
    shown = (large_project / "generate-terminal.txt").read_text()
    assert "generating" in shown and "100%" in shown
    code, shown = run_on_terminal(["export", "-o", str(large_project / "out.ttl")],
                                  large_project)
    assert code == 0
    assert "loading" in shown and "exporting" in shown and "100%" in shown


def test_no_bar_with_quiet_or_when_stderr_is_no_terminal(large_project):
    code, shown = run_on_terminal(["-q", "export", "-o", str(large_project / "q.ttl")],
                                  large_project)
    assert code == 0 and shown == ""
    piped = subprocess.run(KGRAPH + ["export", "-o", str(large_project / "p.ttl")],
                           cwd=large_project, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0
    assert piped.stderr == f"wrote {large_project / 'p.ttl'}\n"
    assert (large_project / "q.ttl").read_bytes() == (large_project / "p.ttl").read_bytes()


def test_a_small_task_shows_no_bar_even_on_a_terminal():
    code, shown = run_on_terminal(["stats"], REPO)
    assert code == 0 and shown == ""


def test_load_reports_bytes_parsed_in_one_transaction(tmp_path):
    """The progress callback sees the bytes parsed rising to the total; a file that
    fails still adds nothing (pyoxigraph parses the stream in one transaction)."""
    from kgraph.benchgen import generate_turtle
    from kgraph.errors import InputError

    good = tmp_path / "good.ttl"
    good.write_bytes(generate_turtle(20000))
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(generate_turtle(20000, seed=1) + b"\nbroken <")
    for backend in ("oxigraph", "memory"):
        seen: list[tuple[int, int]] = []
        store = open_backend(backend)
        store.load([good], progress=lambda done, total: seen.append((done, total)))
        assert seen[-1] == (good.stat().st_size,) * 2
        assert [d for d, _ in seen] == sorted(d for d, _ in seen)
        before = len(store)
        with pytest.raises(InputError):
            store.load([bad], progress=lambda done, total: None)
        assert len(store) == before


# ----------------------------------------------------------------------- start-up

def test_help_imports_none_of_the_heavy_libraries():
    """``kgraph --help`` loads click and kgraph's CLI only: no SHACL engine, graph
    library, page or workbook writer, and no RDF library."""
    code = ("import sys\nfrom kgraph.cli import main\nsys.argv = ['kgraph', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ['pyshacl', 'networkx', 'pyvis', 'igraph', 'openpyxl', 'jinja2', "
            "'selenium', 'owlready2', 'pylode', 'cairosvg', 'rdflib', 'pyoxigraph']\n"
            "print('LOADED', [m for m in heavy if m in sys.modules])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, timeout=120)
    assert "LOADED []" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("arguments", [
    ["query", "queries/statements.rq"],
    ["query", "queries/statements.rq", "--param", "actor=actor:lavrov", "--format", "json"],
    ["query", "queries/timeline.rq", "--param", "from=2021-01-01", "--format", "tsv"],
    ["stats"]])
def test_a_query_on_the_corpus_imports_no_rdf_drawing_or_shacl_library(arguments):
    """On the default backend a query (parameters bound, any SELECT format) and stats
    print their answer from pyoxigraph's terms: rdflib, a third of the start-up, is
    not imported, nor any drawing or SHACL library."""
    code = ("import sys\nfrom kgraph.cli import main\n"
            f"sys.argv = ['kgraph', '-q', *{arguments!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ['pyshacl', 'networkx', 'pyvis', 'igraph', 'openpyxl', 'jinja2', "
            "'selenium', 'owlready2', 'pylode', 'cairosvg', 'rdflib']\n"
            "print('LOADED', [m for m in heavy if m in sys.modules], file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, cwd=REPO, timeout=120)
    assert "LOADED []" in result.stderr, result.stderr
    assert "actor:" in result.stdout or "w3id.org/kgraph/" in result.stdout


# --------------------------------------------------------------------------- demo

def test_validate_summary_counts_per_rule_on_one_line(run):
    full = run("--root", REPO, "validate", "--format", "json")
    summary = run("--root", REPO, "validate", "--format", "summary")
    assert summary.exit_code == full.exit_code == 0
    import json

    results = json.loads(full.stdout)["results"]
    warnings = [r for r in results if r["severity"] == "Warning"]
    assert warnings and not any(r["severity"] == "Violation" for r in results)
    lines = summary.stdout.splitlines()
    assert lines[0].startswith(f"{len(warnings)} warnings (")
    assert lines[0].endswith("; to see each: kgraph validate")
    assert lines[-1].startswith(f"0 violations, {len(warnings)} warnings, 0 infos")
    assert len(lines) == 2


def test_validate_summary_shows_violations_in_full(run, mini):
    full = run("--root", mini, "validate")
    summary = run("--root", mini, "validate", "--format", "summary")
    assert full.exit_code == summary.exit_code
    violations = [block for block in full.stdout.split("\n\n")
                  if block.startswith("Violation")]
    for block in violations:
        assert block in summary.stdout


def test_stats_summary_is_one_line(run):
    result = run("--root", REPO, "stats", "--format", "summary")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    assert " statements (" in result.stdout and " narratives, " in result.stdout


def test_make_demo_is_short():
    makefile = (REPO / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "validate --format summary" in demo and "stats --format summary" in demo
