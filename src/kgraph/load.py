"""Loading a project (ontology + graph) into a backend."""

from __future__ import annotations

from pathlib import Path

from .backends import Backend, backend_class, open_backend
from .errors import InputError
from .paths import check_root, turtle_files
from .progress import Progress


def load_project(root: str | Path, *, backend: Backend | str = "memory",
                 data_only: bool = False, progress: Progress | None = None,
                 **backend_options) -> Backend:
    """Load every ``ontology/*.ttl`` and ``graph/*.ttl`` of the project at ``root``.

    ``backend`` is a backend name (opened with ``backend_options``) or an open
    backend to load into. ``data_only`` skips the ontology (for exporting the data
    alone). A remote backend (a SPARQL endpoint) already holds its data and is
    returned as opened; a persisted Oxigraph store skips parsing by itself when it
    already holds these files unchanged. ``progress(done, total)`` is told the bytes
    parsed (see :mod:`kgraph.progress`).

    >>> store = load_project(".")  # doctest: +SKIP
    >>> len(store) > 0  # doctest: +SKIP
    True
    """
    kind = backend_class(backend) if isinstance(backend, str) else type(backend)
    if getattr(kind, "remote", False):
        return open_backend(backend, **backend_options) if isinstance(backend, str) \
            else backend
    root = check_root(root)
    files = turtle_files(root, data_only=data_only)
    if not files:
        raise InputError("no Turtle files in graph/ or ontology/", path=root)
    store = open_backend(backend, **backend_options) if isinstance(backend, str) else backend
    store.load(files, progress=progress)
    return store
