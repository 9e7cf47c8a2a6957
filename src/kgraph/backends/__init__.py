"""The storage seam: every command talks to a :class:`~kgraph.backends.base.Backend`.

Backends are registered by name; ``open_backend("memory")`` returns a fresh one.
Nothing outside this package imports rdflib stores or pyoxigraph directly.
"""

from __future__ import annotations

from importlib import import_module

from ..errors import UsageError
from .base import Backend, QueryResult

#: backend name → "module:Class"; heavy modules are imported only when chosen.
BACKENDS: dict[str, str] = {
    "memory": "kgraph.backends.memory:MemoryBackend",
    "oxigraph": "kgraph.backends.oxigraph:OxigraphBackend",
    "endpoint": "kgraph.backends.endpoint:EndpointBackend",
}


def backend_class(name: str) -> type[Backend]:
    """The class registered as ``name`` (its module imported only now)."""
    try:
        target = BACKENDS[name]
    except KeyError:
        raise UsageError(f"unknown backend {name!r}; choose one of "
                         + ", ".join(sorted(BACKENDS))) from None
    module_name, class_name = target.split(":")
    return getattr(import_module(module_name), class_name)


def open_backend(name: str = "memory", **options) -> Backend:
    """Create the backend registered as ``name`` with its ``options``."""
    return backend_class(name)(**options)


__all__ = ["BACKENDS", "Backend", "QueryResult", "backend_class", "open_backend"]
