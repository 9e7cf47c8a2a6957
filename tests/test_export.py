"""Export: round trip, determinism across processes, Gephi-readable GraphML, CSV."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kgraph.export import export_graph
from kgraph.paths import atomic_write

from .conftest import REPO


def test_turtle_round_trip_is_isomorphic(shipped_store):
    data = export_graph(shipped_store, "turtle")
    assert isomorphic(Graph().parse(data=data, format="turtle"), shipped_store.to_graph())


@pytest.mark.parametrize("fmt, parser", [("nt", "nt"), ("jsonld", "json-ld"),
                                         ("xml", "xml"), ("trig", "trig")])
def test_other_rdf_formats_round_trip(shipped_store, fmt, parser):
    data = export_graph(shipped_store, fmt)
    assert len(Graph().parse(data=data, format=parser)) == len(shipped_store)


def export_in_process(seed: str, *args: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-m", "kgraph", "--root", str(REPO), "export",
                           *args], env=env, check=True, capture_output=True).stdout


def test_turtle_is_byte_identical_across_processes_and_hash_seeds():
    first = export_in_process("1")
    second = export_in_process("4242")
    assert first == second
    assert first.startswith(b"@prefix act: <https://w3id.org/kgraph/act/> .\n")


def test_graphml_opens_with_networkx_reader(shipped_store):
    data = export_graph(shipped_store, "graphml")
    graph = nx.read_graphml(io.BytesIO(data))
    assert graph.number_of_nodes() > 100
    lavrov = graph.nodes["https://w3id.org/kgraph/actor/lavrov"]
    assert lavrov["label"] == "Sergei Lavrov"
    # plain GraphML: no yEd/yFiles dialect
    assert b"yworks" not in data and b"xmlns:y" not in data and b"<y:" not in data


def test_gexf_opens_with_networkx_reader(shipped_store):
    graph = nx.read_gexf(io.BytesIO(export_graph(shipped_store, "gexf")))
    assert graph.number_of_nodes() > 100


def test_csv_has_one_row_per_statement(shipped_store):
    rows = list(csv.DictReader(io.StringIO(export_graph(shipped_store, "csv").decode())))
    statements = shipped_store.query(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a "
        "<https://w3id.org/kgraph/ontology#Statement> }").rows[0][0]
    assert len(rows) == int(statements)
    by_id = {r["statement"]: r for r in rows}
    ryanair = [r for r in rows if r["speaker_label"] == "Sergei Lavrov"
               and "demonizing" in r["quote"]]
    assert ryanair and ryanair[0]["locators"].startswith("p. 16")
    # every statement has the document's passage; only direct quotes and paraphrases
    # that quote some words have the speaker's words, and the two never coincide
    assert all(r["passages"] and r["locators"] for r in by_id.values())
    # statements the text does not date have none (000 pp. 150–160: 15 of 51)
    assert sum(1 for r in by_id.values() if r["date"]) >= len(by_id) - 15
    assert all(r["quote"] for r in by_id.values() if r["reported_as"] == "direct quote")
    assert all(q not in {p.split(": ", 1)[1] for p in r["passages"].split(" | ")}
               for r in by_id.values() for q in r["quote"].split(" | ") if q)
    bessmertny = by_id["https://w3id.org/kgraph/statement/bessmertny-2021-11-11-migration-crisis"]
    assert (bessmertny["reported_as"], bessmertny["quote"]) == ("paraphrase", "")
    assert bessmertny["passages"].startswith("p. 164, fn. 46: Former Ukrainian Ambassador")


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.ttl"
    target.write_text("old")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_atomic_write_replaces(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old")
    atomic_write(target, "new")
    assert target.read_text() == "new"


def test_export_to_file(run, tmp_path):
    out = tmp_path / "graph.ttl"
    result = run("--root", REPO, "export", "-o", out)
    assert result.exit_code == 0
    assert result.stderr == f"wrote {out}\n"
    assert Path(out).read_bytes() == export_in_process("7")
