"""Shared fixtures: the small fixture project and the shipped graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture project (graph/, ontology/, queries/)."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def shipped_store():
    """The shipped ontology + graph, loaded once into the memory backend."""
    from kgraph.load import load_project

    return load_project(REPO)


@pytest.fixture
def run():
    """Invoke the kgraph CLI in-process; returns click's Result."""
    from kgraph.cli import cli

    def invoke(*args: str, **kwargs):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False,
                                  **kwargs)

    return invoke


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A fresh Oxigraph server on a free loopback port (see tests/servers.py)."""
    from .servers import start_oxigraph

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A fresh Virtuoso 7 on free loopback ports, updates granted (see tests/servers.py)."""
    from .servers import start_virtuoso

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-server"))
    yield server
    server.stop()
