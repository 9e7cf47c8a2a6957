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
