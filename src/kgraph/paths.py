"""Finding the project root and writing output files atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError

GRAPH_DIR = "graph"
ONTOLOGY_DIR = "ontology"
QUERIES_DIR = "queries"
#: the SHACL shapes live beside the ontology but are not data: loaded only by validate
SHAPES_FILE = "shapes.ttl"


def find_root(start: str | Path | None = None) -> Path:
    """Return the nearest ancestor of ``start`` (default: the working directory) that
    holds both ``graph/`` and ``ontology/``.

    >>> find_root("/")  # doctest: +SKIP
    Traceback (most recent call last):
    kgraph.errors.InputError: no kgraph project (a folder with graph/ and ontology/) at or above /
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / GRAPH_DIR).is_dir() and (folder / ONTOLOGY_DIR).is_dir():
            return folder
    raise InputError(f"no kgraph project (a folder with {GRAPH_DIR}/ and "
                     f"{ONTOLOGY_DIR}/) at or above {here}")


def check_root(root: str | Path) -> Path:
    """Check that ``root`` is a project folder (has graph/ and ontology/)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError("no such folder", path=root)
    for sub in (GRAPH_DIR, ONTOLOGY_DIR):
        if not (root / sub).is_dir():
            raise InputError(f"not a kgraph project: {sub}/ is missing", path=root)
    return root.resolve()


def turtle_files(root: Path, *, data_only: bool = False) -> list[Path]:
    """The Turtle files of a project, ontology first, each folder sorted by name; the
    SHACL shapes are left out (they describe the data, they are not part of it)."""
    folders = [GRAPH_DIR] if data_only else [ONTOLOGY_DIR, GRAPH_DIR]
    files: list[Path] = []
    for sub in folders:
        files.extend(p for p in sorted((root / sub).glob("*.ttl"))
                     if not (sub == ONTOLOGY_DIR and p.name == SHAPES_FILE))
    return files


def atomic_write(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then
    rename it into place: a failed or interrupted run never leaves a half-written file,
    and an existing file survives any failure before the rename."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("output folder does not exist", path=folder)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
