"""Hostile input and faults (issue 14): no check passes on missing input, no file is read
outside the corpus, no failure a user can cause shows a traceback, every export parses
back, and interruptions leave nothing broken.

Interruptions are real signals sent to a real ``python -m kgraph`` subprocess; disk and
permission failures are real ones (a full-device node; a folder the user cannot read or
write, with root's power to ignore permissions dropped by ``setpriv`` when the suite
runs as root).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import MINI

KG = "https://w3id.org/kgraph/ontology#"
PREFIXES = ("@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            "@prefix ex: <http://example.org/> .\n")


def kgraph(*args, unprivileged: bool = False, **popen) -> subprocess.Popen:
    """A real ``python -m kgraph`` process; ``unprivileged``: without root's
    capability to ignore file permissions."""
    prefix = []
    if unprivileged and os.geteuid() == 0:
        import shutil

        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop CAP_DAC_OVERRIDE")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    return subprocess.Popen([*prefix, sys.executable, "-m", "kgraph", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str]:
    """Exit code and output of ``process``; killed if it outlives ``timeout`` (a hang
    fails the test without leaving the process behind)."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, out.decode(errors="replace") + err.decode(errors="replace")


def one_line_error(result, code: int = 2) -> str:
    """The CliRunner result is exit ``code`` with a single ``Error:`` line and no
    traceback; returns that line."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def project_copy(folder: Path) -> Path:
    import shutil

    return Path(shutil.copytree(MINI, folder / "project"))


# ------------------------------------------------------------------- check-quotes

def corpus_project(mini: Path, corpus_file: str) -> Path:
    path = mini / "graph" / "statements.ttl"
    path.write_text(path.read_text().replace('kg:corpusFile "article.txt"',
                                             f'kg:corpusFile "{corpus_file}"'))
    return mini


@pytest.mark.parametrize("name", ["../secret.txt", "SECRET_ABSOLUTE", "link.txt",
                                  "sub/../../secret.txt"])
def test_check_quotes_reads_nothing_outside_the_corpus(run, mini, tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text("PASSWORD=hunter2 demonizing people who are not")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.txt").symlink_to(secret)
    name = str(secret) if name == "SECRET_ABSOLUTE" else name
    corpus_project(mini, name)
    result = run("--root", mini, "check-quotes", "--corpus", corpus)
    line = one_line_error(result)
    assert repr(name) in line and ("out of the corpus folder" in line
                                   or "not a file name inside the corpus" in line)
    assert "hunter2" not in result.output


def test_check_quotes_binary_corpus_file_is_an_error(run, mini, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "article.txt").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary")
    result = run("--root", mini, "check-quotes", "--corpus", corpus)
    line = one_line_error(result)
    assert str(corpus / "article.txt") in line and "not UTF-8" in line


def test_check_quotes_still_reads_a_file_inside_the_corpus(run, mini, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "a.txt").write_text("They keep demonizing people who are not "
                                          "liked there, he said.")
    corpus_project(mini, "sub/a.txt")
    result = run("--root", mini, "check-quotes", "--corpus", corpus)
    assert (result.exit_code, result.stdout) == (0, "1 quotes checked: 1 found, 0 not found\n"
                                                 "0 passages checked: 0 found, 0 not found\n")


# -------------------------------------------------------- validate on nothing

def test_validate_without_shapes_fails(run, mini):
    (mini / "ontology" / "shapes.ttl").unlink()
    line = one_line_error(run("--root", mini, "validate"))
    assert "shapes.ttl is missing" in line


def test_validate_with_an_empty_graph_folder_fails(run, mini):
    for path in (mini / "graph").iterdir():
        path.unlink()
    line = one_line_error(run("--root", mini, "validate"))
    assert "graph/ holds no Turtle files" in line


def test_validate_with_data_files_that_hold_nothing_fails(run, mini):
    for path in (mini / "graph").iterdir():
        path.write_text("# nothing coded yet\n")
    line = one_line_error(run("--root", mini, "validate"))
    assert "no data beyond the ontology" in line


def test_validate_with_an_unreadable_graph_folder_fails(tmp_path):
    project = project_copy(tmp_path)
    (project / "graph").chmod(0o000)
    code, output = finish(kgraph("--root", project, "validate", unprivileged=True))
    assert code == 2, output
    assert "cannot list the folder: Permission denied" in output
    assert "Traceback" not in output and "conforms" not in output


ILL_TYPED = """
ex:a kg:date "2021-13"^^xsd:gYearMonth .
ex:b kg:date "1x99"^^xsd:gYear .
ex:c kg:date "2021-02-30"^^xsd:date .
ex:d kg:date "2021-05-27T25:00:00"^^xsd:dateTime .
ex:e kg:date "2021-05"^^xsd:gYearMonth .
"""


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_ill_typed_dates_are_violations_on_every_backend(run, mini, backend):
    (mini / "graph" / "dates.ttl").write_text(PREFIXES + ILL_TYPED)
    result = run("--root", mini, "--backend", backend, "validate", "--format", "json")
    assert result.exit_code == 1, result.output
    import json

    found = {(r["focus"], r["value"]) for r in json.loads(result.stdout)["results"]
             if r["rule"] == "kgraph: literals well-typed"}
    assert found == {("http://example.org/a", "2021-13"), ("http://example.org/b", "1x99"),
                     ("http://example.org/c", "2021-02-30"),
                     ("http://example.org/d", "2021-05-27T25:00:00")}


def test_well_typed_date_rules():
    from kgraph.validate import well_typed_date

    xsd = "http://www.w3.org/2001/XMLSchema#"
    good = [("2020-02-29", "date"), ("2021-05-27Z", "date"), ("-0044-03-15", "date"),
            ("2021", "gYear"), ("2021-12", "gYearMonth"), ("2021-05-27T24:00:00", "dateTime"),
            ("2021-05-27T10:00:00.5+03:00", "dateTime"), ("--02-29", "gMonthDay")]
    bad = [("2021-02-29", "date"), ("1900-02-29", "date"), ("2021-04-31", "date"),
           ("21", "gYear"), ("2021-00", "gYearMonth"), ("2021-05-27T24:00:01", "dateTime"),
           ("2021-05-27", "dateTime"), ("--04-31", "gMonthDay"), ("2021-5-7", "date")]
    assert all(well_typed_date(text, xsd + kind) for text, kind in good)
    assert not any(well_typed_date(text, xsd + kind) for text, kind in bad)


def test_service_in_a_violation_rule_is_refused(run, mini):
    rule = mini / "queries" / "remote-violation.rq"
    rule.write_text("#+ summary: calls out\nSELECT ?focus WHERE {\n"
                    "  SERVICE <http://127.0.0.1:9/sparql> { ?focus ?p ?o }\n}\n")
    line = one_line_error(run("--root", mini, "validate"))
    assert str(rule) in line and "SERVICE" in line
    rule.write_text("#+ summary: the word in a comment or string is no call\n"
                    "# SERVICE\nSELECT ?focus WHERE { ?focus ?p \"SERVICE\" }\n")
    assert run("--root", mini, "validate").exit_code == 0


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_bad_iri_is_refused_at_load_with_file_and_line(run, mini, backend):
    bad = mini / "graph" / "bad.ttl"
    bad.write_text(PREFIXES + "ex:a ex:b ex:c .\n<http://exa mple.org/a b> ex:b ex:c .\n")
    line = one_line_error(run("--root", mini, "--backend", backend, "export"))
    assert line.startswith(f"Error: {bad}:5")


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_byte_order_mark_is_named(run, mini, backend):
    path = mini / "graph" / "actors.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    line = one_line_error(run("--root", mini, "--backend", backend, "stats"))
    assert line.startswith(f"Error: {path}:1:") and "byte-order mark (BOM)" in line


def test_a_fifo_under_graph_is_not_read(tmp_path):
    project = project_copy(tmp_path)
    os.mkfifo(project / "graph" / "pipe.ttl")
    code, output = finish(kgraph("--root", project, "stats"), timeout=30)
    assert code == 2 and "pipe.ttl: not a regular file" in output, output


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_an_update_in_a_query_file_is_named(run, mini, backend):
    query = mini / "queries" / "update.rq"
    query.write_text("PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"
                     "# not a query\nINSERT DATA { kg:a kg:b kg:c }\n")
    line = one_line_error(run("--root", mini, "--backend", backend, "query", query))
    assert "SPARQL Update (INSERT); updates are not allowed" in line


def test_invalid_regex_and_failing_service_on_memory(run, mini):
    regex = mini / "queries" / "regex.rq"
    regex.write_text('SELECT ?s WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "(")) }\n')
    assert "invalid regular expression" in one_line_error(
        run("--root", mini, "--backend", "memory", "query", regex))
    service = mini / "queries" / "service.rq"
    service.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> "
                       "{ ?s ?p ?o } }\n")
    assert "query failed" in one_line_error(run("--root", mini, "--backend", "memory",
                                                "query", service))


def test_a_literal_over_16_mib_on_oxigraph_is_an_input_error(run, mini):
    big = mini / "graph" / "big.ttl"
    big.write_text(PREFIXES + 'ex:a ex:b "' + "x" * (17 << 20) + '" .\n')
    line = one_line_error(run("--root", mini, "--backend", "oxigraph", "stats"))
    assert str(big) in line and "too long" in line


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_an_invalid_date_does_not_print_a_traceback_on_stats(mini, backend):
    """In a fresh process: rdflib logs its traceback once per process (when it parses
    the literal, or when Oxigraph's answer is turned into rdflib terms)."""
    (mini / "graph" / "dates.ttl").write_text(PREFIXES + ILL_TYPED)
    process = kgraph("--root", mini, "--backend", backend, "stats")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0 and b"triples: 33" in out
    assert err == b""


def test_required_parameter_next_to_an_iri_with_a_hash(run, mini):
    query = mini / "queries" / "hash.rq"
    query.write_text("SELECT ?s WHERE { ?s <https://w3id.org/kgraph/ontology#speaker> "
                     "?_actor_iri }\n")
    assert "hash.rq needs parameter actor" in one_line_error(
        run("--root", mini, "query", query))


def test_csv_cells_are_not_formulas(run, mini):
    (mini / "graph" / "formula.ttl").write_text(
        PREFIXES + 'ex:a ex:v "=HYPERLINK(\\"http://evil\\")", "+1+1", "@SUM(A1)", '
        '"-2+3", "-5", "+1.5e3", "plain" .\n')
    query = mini / "queries" / "values.rq"
    query.write_text("SELECT ?v WHERE { <http://example.org/a> "
                     "<http://example.org/v> ?v } ORDER BY ?v\n")
    result = run("--root", mini, "query", query, "--format", "csv")
    import csv

    cells = sorted(row[0] for row in csv.reader(result.stdout.splitlines()[1:]))
    assert cells == sorted(["'=HYPERLINK(\"http://evil\")", "'+1+1", "'@SUM(A1)", "'-2+3",
                            "-5", "+1.5e3", "plain"])


def test_credentials_in_a_non_http_url_are_not_echoed(run):
    for url in ("ftp://alice:hunter2@example.org/query", "alice:hunter2@example.org",
                "http://alice:hunter2@exa mple.org/#x"):
        result = run("--endpoint", url, "stats")
        assert result.exit_code == 2 and "hunter2" not in result.output, result.output
        result = run("--root", MINI, "push", "--endpoint", url)
        assert result.exit_code == 2 and "hunter2" not in result.output, result.output


# ------------------------------------------------------------------ writing

def test_output_into_a_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    code, output = finish(kgraph("--root", MINI, "export", "-o", folder / "out.ttl",
                                 unprivileged=True))
    assert code == 2, output
    assert f"{folder / 'out.ttl'}: cannot write: permission denied" in output
    assert "Traceback" not in output


def device_node(path: Path, minor: int) -> Path:
    """A character device in the test folder (1, minor): 3 is null, 7 is full; needs
    root, else the system's own node is used (which a non-root user cannot replace)."""
    if os.geteuid() != 0:
        return Path({3: "/dev/null", 7: "/dev/full"}[minor])
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


def test_a_full_disk_is_a_one_line_error(run, mini, tmp_path):
    full = device_node(tmp_path / "full", 7)
    line = one_line_error(run("--root", mini, "export", "-o", full))
    assert "no space left on the device (the disk is full)" in line
    assert stat.S_ISCHR(full.stat().st_mode)  # written into, not replaced


def test_output_onto_a_device_writes_into_it(run, mini, tmp_path):
    null = device_node(tmp_path / "null", 3)
    assert run("--root", mini, "export", "-o", null).exit_code == 0
    assert stat.S_ISCHR(null.stat().st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_onto_a_symlink_replaces_its_target(run, mini, tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    assert run("--root", mini, "export", "-o", link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("@prefix")


def test_output_keeps_the_file_mode(run, mini, tmp_path):
    private = tmp_path / "private.ttl"
    private.write_text("old")
    private.chmod(0o600)
    assert run("--root", mini, "export", "-o", private).exit_code == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.ttl"
    assert run("--root", mini, "export", "-o", fresh).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask


def test_output_where_a_folder_is_a_file(run, mini, tmp_path):
    (tmp_path / "file").write_text("x")
    line = one_line_error(run("--root", mini, "export", "-o", tmp_path / "file" / "o.ttl"))
    assert "a file has its name" in line or "is a file, not a folder" in line


def test_a_temporary_file_of_a_killed_writer_is_removed(run, mini, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".out.ttl.{dead.pid}.abcd.tmp"
    stale.write_text("half")
    alive = tmp_path / f".out.ttl.{os.getpid()}.efgh.tmp"  # a writer still running
    alive.write_text("busy")
    assert run("--root", mini, "export", "-o", tmp_path / "out.ttl").exit_code == 0
    assert not stale.exists() and alive.exists()


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path):
    """SIGTERM is sent the moment the temporary file appears; the process must remove
    it on the way out and leave the old output whole (or the new one, complete)."""
    out = tmp_path / "big.ttl"
    out.write_text("precious")
    caught = 0
    for _attempt in range(5):
        process = kgraph("bench", "generate", "--triples", "400000", "-o", out)
        while process.poll() is None:
            if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
                process.send_signal(signal.SIGTERM)
                caught += 1
                break
            time.sleep(0.0005)
        code, output = finish(process)
        assert "Traceback" not in output
        assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert out.read_bytes() == b"precious" or out.read_bytes().endswith(b" .\n")
        if caught:
            assert code in (0, 143), output
            break
    assert caught, "the temporary file was never seen"


# ------------------------------------------------------ interruption and time

SLOW_QUERY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . "
              "?g ?s ?h . ?i ?t ?j . ?k ?u ?l }\n")


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_ctrl_c_stops_a_query_at_once_with_exit_130(tmp_path, backend):
    query = tmp_path / "slow.rq"
    query.write_text(SLOW_QUERY)
    process = kgraph("--root", MINI, "--backend", backend, "query", query)
    time.sleep(2.5)  # started, loaded, and deep in the query
    assert process.poll() is None, finish(process, timeout=1)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    code, output = finish(process, timeout=30)
    assert code == 130, output
    assert time.monotonic() - sent < 6  # a bound: unfixed, it never stopped
    assert "Traceback" not in output


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_timeout_applies_to_local_queries(tmp_path, backend):
    """In a subprocess: pyoxigraph cannot cancel a running query, so its abandoned
    worker thread runs on until the process ends (as the command's does at once)."""
    query = tmp_path / "slow.rq"
    query.write_text(SLOW_QUERY)
    started = time.monotonic()
    code, output = finish(kgraph("--root", MINI, "--backend", backend, "--timeout", "1",
                                 "query", query), timeout=30)
    assert time.monotonic() - started < 10
    assert code == 2 and "took longer than the time-out of 1 s" in output, output
    assert "Traceback" not in output


def test_a_timed_out_rdflib_query_stops_its_thread():
    import threading

    from rdflib import Literal, URIRef

    from kgraph.backends.memory import MemoryBackend
    from kgraph.errors import BackendError

    store = MemoryBackend(timeout=0.5)
    for i in range(30):
        store.graph.add((URIRef(f"http://example.org/{i}"), URIRef("http://example.org/p"),
                         Literal(i)))
    with pytest.raises(BackendError, match="time-out of 0.5 s"):
        store.query(SLOW_QUERY)
    time.sleep(0.5)
    assert not [t for t in threading.enumerate() if t.name == "kgraph-query"]


def big_project(tmp_path: Path, triples: int) -> Path:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    from kgraph.benchgen import generate_turtle

    (project / "graph" / "generated.ttl").write_bytes(generate_turtle(triples, 0))
    return project


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_store_load_is_rebuilt(tmp_path, how):
    project = big_project(tmp_path, 150000)
    count = tmp_path / "count.rq"
    count.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    store = tmp_path / "store"
    process = kgraph("--root", project, "--store", store, "query", count)
    deadline = time.monotonic() + 30
    while not (store / "CURRENT").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # parsing the 150k triples takes seconds
    assert process.poll() is None, "the load ended before it could be interrupted"
    sent = time.monotonic()
    process.send_signal(how)
    code, output = finish(process)
    assert code == (-9 if how == signal.SIGKILL else 130), output
    assert time.monotonic() - sent < 6  # Ctrl-C does not wait for the file to load
    assert "Traceback" not in output
    again = kgraph("--root", project, "--store", store, "query", count, "--format", "csv")
    code, output = finish(again, timeout=120)
    assert code == 0, output
    assert output.splitlines()[:2] == ["n", "150028"]


def test_store_staleness_sees_an_edit_that_kept_size_and_mtime(run, mini, tmp_path):
    store = tmp_path / "store"
    assert "Sergei Lavrov" in run("--root", mini, "--store", store, "stats").stdout
    path = mini / "graph" / "actors.ttl"
    before = path.stat()
    path.write_text(path.read_text().replace("Sergei Lavrov", "Sergei Lavrof"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert "Sergei Lavrof" in run("--root", mini, "--store", store, "stats").stdout


def test_rdfxml_refuses_a_predicate_it_cannot_split(run, mini):
    (mini / "graph" / "odd.ttl").write_text(PREFIXES + "ex:a <http://example.org/path/> 1 .\n")
    line = one_line_error(run("--root", mini, "export", "--format", "xml"))
    assert "RDF/XML cannot write the predicate <http://example.org/path/>" in line
    assert run("--root", mini, "export", "--format", "turtle").exit_code == 0


@pytest.mark.parametrize("fmt", ["xml", "graphml", "gexf"])
def test_control_characters_never_make_ill_formed_xml(run, mini, fmt):
    """XML 1.0 cannot hold U+0001 even as &#1;: the export is refused, or (if a writer
    drops or replaces it) what is written parses."""
    path = mini / "graph" / "statements.ttl"
    path.write_text(path.read_text().replace('"Lavrov on the Ryanair incident"@en',
                                             '"Lavrov on\\u0001 the Ryanair incident"@en'))
    result = run("--root", mini, "export", "--format", fmt)
    if result.exit_code == 0:
        import xml.dom.minidom

        xml.dom.minidom.parseString(result.stdout_bytes)
    else:
        assert "control character U+0001" in one_line_error(result) \
            or "ill-formed XML" in result.stderr


def test_exported_csv_cells_are_not_formulas(run, mini, tmp_path):
    """The statements CSV and the coding workbook's CSV folder neutralise a cell that a
    spreadsheet would run (OWASP: a leading '); the workbook reads it back unchanged."""
    import csv

    path = mini / "graph" / "statements.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"demonizing people who are not liked there"@en',
        '"=HYPERLINK(\\"http://evil\\")"@en'), encoding="utf-8")
    result = run("--root", mini, "export", "--format", "csv")
    rows = list(csv.reader(result.stdout.splitlines()))
    quote = rows[0].index("quote")
    assert rows[1][quote] == "'=HYPERLINK(\"http://evil\")"
    folder = tmp_path / "sheets"
    assert run("--root", mini, "sheet", "export", "-o", f"{folder}/").exit_code == 0
    text = (folder / "statements.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ',=HYPERLINK' not in text
    from kgraph.coding.workbook import read_workbook

    table = read_workbook(folder)["statements"]
    column = table.header.index("quote")
    assert table.rows[0][1][column] == '=HYPERLINK("http://evil")'
