"""The Backend interface and the query result every backend returns."""

from __future__ import annotations

import codecs
import threading
import time
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..errors import BackendError, InputError, KgraphError
from ..progress import Progress
from .terms import Term, rdflib_rows, term_rows

if TYPE_CHECKING:  # rdflib is imported by the code that builds or reads its terms
    from rdflib import Graph
    from rdflib.term import Node

T = TypeVar("T")


class QueryResult:
    """The answer to one SPARQL query, whatever the backend.

    ``kind`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``. SELECT fills
    ``variables`` and ``rows`` (tuples of rdflib terms in variable order, ``None`` for
    unbound); ASK fills ``boolean``; CONSTRUCT and DESCRIBE fill ``graph``.

    A backend may give the rows as :class:`~kgraph.backends.terms.Term` tuples
    instead (``term_rows``): :attr:`rows` then converts them to rdflib terms on first
    use, and :meth:`terms` hands them over as they are, so code that only prints an
    answer needs no rdflib.
    """

    def __init__(self, kind: str, variables: Sequence[str] | None = None,
                 rows: Sequence[tuple] | None = None, boolean: bool | None = None,
                 graph: Graph | None = None, *,
                 term_rows: list[tuple[Term | None, ...]] | None = None) -> None:
        self.kind = kind
        self.variables = list(variables or [])
        self._rows = list(rows) if rows is not None else None if term_rows is not None \
            else []
        self._term_rows = term_rows
        self.boolean = boolean
        self.graph = graph

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        if self._rows is None:
            # converted in place: the Term rows become these rows (read them again
            # with terms())
            term_rows, self._term_rows = self._term_rows or [], None
            self._rows = rdflib_rows(term_rows)
        return self._rows

    def terms(self) -> list[tuple[Term | None, ...]]:
        """SELECT rows as :class:`~kgraph.backends.terms.Term` tuples."""
        if self._term_rows is None:
            self._term_rows = term_rows(self._rows or [])
        return self._term_rows

    def records(self) -> list[dict[str, Node | None]]:
        """SELECT rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, row)) for row in self.rows]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return (self.kind, self.variables, self.boolean, self.graph) == \
            (other.kind, other.variables, other.boolean, other.graph) \
            and self.terms() == other.terms()

    def __repr__(self) -> str:
        shown = f"{len(self.terms())} rows" if self.kind == "SELECT" else \
            f"boolean={self.boolean}" if self.kind == "ASK" else f"graph={self.graph!r}"
        return f"QueryResult({self.kind!r}, {self.variables!r}, {shown})"


class Backend(ABC):
    """A triple store that kgraph can load Turtle into and query with SPARQL 1.1."""

    #: the name it is registered under (``memory``, ``oxigraph``, ``endpoint``)
    name: str = ""

    @abstractmethod
    def load(self, paths: Sequence[Path], *, progress: Progress | None = None) -> None:
        """Parse Turtle files into the store. A syntax error raises
        :class:`~kgraph.errors.InputError` naming the file and line; a file that fails
        adds nothing. ``progress(done, total)`` is told the bytes parsed so far of all
        the files' bytes (see :mod:`kgraph.progress`)."""

    @abstractmethod
    def query(self, text: str, bindings: Mapping[str, Term | Node] | None = None, *,
              source: str | Path | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query. ``bindings`` pre-bind variables (names without
        ``?``) to RDF terms; they are never pasted into the text. ``source`` names
        the file the query came from, for error messages."""

    def construct_dump(self, text: str, fmt: str,
                       bindings: Mapping[str, Term | Node] | None = None, *,
                       source: str | Path | None = None) -> bytes | None:
        """A CONSTRUCT or DESCRIBE answer written in ``fmt`` by the store itself, with
        no rdflib Graph in between; ``None`` (the default) when the store cannot, or
        the query is another form: the caller then formats :meth:`query`'s answer."""
        return None

    @abstractmethod
    def to_graph(self) -> Graph:
        """Every triple of the store as an rdflib Graph (for SHACL and export)."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""

    def close(self) -> None:
        """Release files, connections or servers the backend holds."""

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


BOMS = {codecs.BOM_UTF8: "UTF-8", codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16",
        codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32"}


def read_turtle_bytes(path: Path) -> bytes:
    """The bytes of one Turtle file, checked to be UTF-8 text: the read every backend
    shares, so every backend refuses the same files with the same message.

    Only regular files are read (a FIFO would block the load forever); a byte-order
    mark is named as such, since editors hide it and parsers report it as a syntax
    error in the first character.
    """
    if path.is_dir():
        raise InputError("is a folder, not a Turtle file", path=path)
    if path.exists() and not path.is_file():
        raise InputError("not a regular file (a FIFO or device); kgraph reads regular "
                         "Turtle files only", path=path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    for bom in sorted(BOMS, key=len, reverse=True):
        if data.startswith(bom):
            raise InputError(f"the file starts with a {BOMS[bom]} byte-order mark (BOM); "
                             "save it as UTF-8 without BOM", path=path, line=1)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", path=path, line=line) from None
    return data


def run_interruptibly(work: Callable[[], T], timeout: float | None,
                      source: str | Path | None = None) -> T:
    """Run ``work()`` in a worker thread and wait for it in slices.

    Why: a query engine's native loop (rdflib's evaluation is Python, pyoxigraph's is
    Rust and releases the GIL) keeps the main thread from seeing Ctrl-C until it
    returns; waiting here lets the main thread take the KeyboardInterrupt at once, and
    gives every backend the same whole-query ``timeout`` (seconds; ``None``: none).

    A worker given up on (time-out, Ctrl-C) is cancelled: an exception is raised in it,
    which stops rdflib's Python evaluation at once; pyoxigraph's Rust evaluation has no
    cancellation and sees it only when it hands back a solution, so until then the
    (daemon) thread runs on; the command's process ends anyway.
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except QueryCancelled:
            pass
        except BaseException as exc:
            # Free the worker's frames here: pyoxigraph's answer objects in them must
            # not be freed on another thread (PyO3 "unsendable"). An expected error
            # needs no traceback; a bug keeps its lines, without the locals.
            if isinstance(exc, KgraphError):
                exc.__context__ = exc.__cause__ = None
                exc = exc.with_traceback(None)
            chained: BaseException | None = exc
            while chained is not None:
                traceback.clear_frames(chained.__traceback__)
                chained = chained.__cause__ or chained.__context__
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="kgraph-query", daemon=True)
    worker.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while worker.is_alive():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise QueryTimeout(f"the query took longer than the time-out of "
                                   f"{timeout:g} s (--timeout)", path=source)
            worker.join(0.05 if left is None else min(0.05, left))
    except BaseException:
        cancel(worker)
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


class QueryCancelled(Exception):
    """Raised inside a query's worker thread that was given up on."""


def cancel(worker: threading.Thread) -> None:
    """Raise :class:`QueryCancelled` in ``worker`` (CPython's async exception)."""
    import ctypes

    if worker.ident is not None and worker.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident),
                                                   ctypes.py_object(QueryCancelled))


class QueryTimeout(BackendError):
    """A query ran past its time-out."""
