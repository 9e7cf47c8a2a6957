"""Export the graph: RDF formats, GraphML/GEXF for Gephi, and a statements CSV.

:func:`export_graph` picks the writer; the writers live in :mod:`kgraph.readwrite`,
one module per format. Every export is deterministic: kgraph's prefixes are bound
explicitly, output is sorted, and blank nodes are relabelled canonically first, so the
same graph gives byte-identical output in every process, whatever ``PYTHONHASHSEED``.

Every export parses back: Turtle and TriG never use a prefix rdflib invents (``ns1:``);
RDF/XML is refused, with the reason, for what XML cannot hold, and every XML output is
checked to be well-formed before it is returned (:mod:`kgraph.readwrite.rdf`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from typing import TYPE_CHECKING

from .backends import Backend
from .errors import UsageError
from .namespaces import sparql_prologue
from .progress import Progress

if TYPE_CHECKING:
    from rdflib import Graph

NETWORK_FORMATS = {"graphml", "gexf"}


PROFILES = ("owl-dl",)


def term_labels(root, data_files: list) -> Graph:
    """The rdfs:label and skos:prefLabel triples the ontology gives the terms the data
    files use (classes, properties, individuals such as kg:DirectQuote), so that a
    data-only export still names them (the CSV's reported_as column, a browser's
    labels) without carrying the ontology's axioms."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS, SKOS

    from .backends.memory import parse_turtle_file
    from .paths import turtle_files

    data = set()
    for path in data_files:
        for triple in parse_turtle_file(path):
            data.update(term for term in triple if isinstance(term, URIRef))
    labels = Graph()
    data_set = set(map(str, data_files))
    for path in turtle_files(root):
        if str(path) in data_set:
            continue
        ontology = parse_turtle_file(path)
        for predicate in (RDFS.label, SKOS.prefLabel):
            for term, label in ontology.subject_objects(predicate):
                if term in data:
                    labels.add((term, predicate, label))
    return labels


def open_data_only(root, backend: str = "memory", **options) -> Backend:
    """The project's graph/ files in a new ``backend``, with the labels of the
    ontology terms they use (see :func:`term_labels`): what ``--data-only`` exports."""
    import tempfile
    from pathlib import Path

    from .backends import open_backend
    from .paths import check_root, turtle_files

    root = check_root(Path(root))
    files = turtle_files(root, data_only=True)
    store = open_backend(backend, **options)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ontology-labels.ttl"
        from .readwrite.rdf import serialize_graph

        path.write_bytes(serialize_graph(term_labels(root, files), "nt"))
        store.load(files + [path])
    return store


def export_graph(store: Backend, fmt: str = "turtle", *, view: str | None = None,
                 files: list | None = None, profile: str | None = None,
                 progress: Progress | None = None) -> bytes:
    """The store's graph in ``fmt``: an RDF format, ``graphml``/``gexf`` (the ``full``
    projection, or ``view`` with the page's layout; see :func:`write_network`) or
    ``csv`` (one row per statement).

    ``files``, the Turtle files the store was loaded from, give TriG one named graph
    per file; without them (a SPARQL endpoint) TriG has the default graph only.
    ``profile="owl-dl"`` writes an RDF format as OWL 2 DL a reasoner accepts (see
    :mod:`kgraph.readwrite.owl`). ``progress(done, total)`` is told how far the
    writing is where a writer can tell (native Turtle: lines; else the triples read
    from the store), see :mod:`kgraph.progress`."""
    fast = getattr(store, "dump", None)  # a backend may write Turtle or N-Triples itself
    if profile is None and view is None and fast is not None and fmt in ("turtle", "nt"):
        data = fast(fmt, progress) if progress is not None else fast(fmt)
        if data is not None:
            return data
    # rdflib's writers, imported only now: the native path above needs none
    from .readwrite.rdf import RDF_FORMATS, check_well_formed_xml, serialize_graph

    if profile is not None:
        if profile not in PROFILES or fmt not in RDF_FORMATS:
            raise UsageError(f"--profile {profile} goes with an RDF format (turtle, nt, "
                             f"xml, jsonld, trig), not {fmt}" if profile in PROFILES
                             else f"unknown profile {profile!r}; choose owl-dl")
        from .readwrite.owl import owl_dl_graph

        return serialize_graph(owl_dl_graph(store.to_graph()), fmt)
    if view is not None and fmt not in NETWORK_FORMATS:
        raise UsageError(f"--view projects the graph for Gephi; it goes with --format "
                         f"graphml or gexf, not {fmt}")
    if fmt == "trig" and files:
        from .readwrite.rdf import project_trig

        return project_trig(store, files)
    if fmt in RDF_FORMATS:
        return serialize_graph(graph_with_progress(store, progress), fmt)
    if fmt in NETWORK_FORMATS:
        return check_well_formed_xml(write_network(store, fmt, view), fmt)
    if fmt == "csv":
        return statements_csv(store)
    raise UsageError(f"unknown export format {fmt!r}")


def graph_with_progress(store: Backend, progress: Progress | None) -> Graph:
    """``store.to_graph()``, telling ``progress`` the triples read when the backend
    copies them (Oxigraph's; rdflib's store is its graph)."""
    if progress is None or not hasattr(store, "triples"):
        return store.to_graph()
    return store.to_graph(progress=progress)


def write_network(store: Backend, fmt: str, view: str | None = None) -> bytes:
    """GraphML or GEXF of a projection: the ``full`` one (every typed resource), or
    the named ``view`` laid out as the seminar page draws it, with each node's
    position, size and colour, so Gephi opens the same picture."""
    from .readwrite.gexf import write_gexf
    from .readwrite.graphml import write_graphml
    from .readwrite.network import network_table
    from .views import project_view

    graph = project_view(store, view or "full")
    positions = None
    if view is not None:
        from .layout import compute_layout
        from .render import LARGE_GRAPH, label_boxes

        large = graph.number_of_nodes() > LARGE_GRAPH  # as render_page lays it out
        positions = compute_layout(graph, boxes=None if large else label_boxes(graph))
    table = network_table(graph, positions)
    return write_graphml(table) if fmt == "graphml" else write_gexf(table)


#: One row per (statement, column value): multi-valued columns are joined in Python,
#: sorted, because GROUP_CONCAT's order differs between engines.
STATEMENT_CSV_QUERY = sparql_prologue() + """
SELECT ?statement ?column ?value WHERE {
  ?statement a kg:Statement .
  {
    ?statement rdfs:label ?value . BIND("label" AS ?column)
  } UNION {
    ?statement kg:speaker ?value . BIND("speaker" AS ?column)
  } UNION {
    ?statement kg:speaker/skos:prefLabel ?value . BIND("speaker_label" AS ?column)
  } UNION {
    ?statement kg:speakerOffice/rdfs:label ?value . BIND("office" AS ?column)
  } UNION {
    ?statement kg:date ?value . BIND("date" AS ?column)
  } UNION {
    ?statement kg:quote ?value . BIND("quote" AS ?column)
  } UNION {
    ?statement kg:reportedAs/rdfs:label ?value . BIND("reported_as" AS ?column)
  } UNION {
    ?statement kg:evidence ?evidence . ?evidence kg:passage ?passage ; kg:locator ?locator .
    BIND(CONCAT(STR(?locator), ": ", STR(?passage)) AS ?value) BIND("passages" AS ?column)
  } UNION {
    ?statement kg:voices/skos:prefLabel ?value . BIND("narratives" AS ?column)
  } UNION {
    ?statement kg:refersTo/rdfs:label ?value . BIND("events" AS ?column)
  } UNION {
    ?statement kg:target/skos:prefLabel ?value . BIND("targets" AS ?column)
  } UNION {
    ?statement kg:addressee/skos:prefLabel ?value . BIND("addressees" AS ?column)
  } UNION {
    ?statement kg:channel ?value . BIND("channel" AS ?column)
  } UNION {
    ?statement kg:evidence/kg:document/rdfs:label ?value . BIND("documents" AS ?column)
  } UNION {
    ?statement kg:evidence/kg:locator ?value . BIND("locators" AS ?column)
  } UNION {
    ?statement kg:evidence/kg:primarySource/schema:url ?value .
    BIND("primary_source_urls" AS ?column)
  }
}
"""
STATEMENT_CSV_COLUMNS = ["statement", "label", "speaker", "speaker_label", "office", "date",
                         "quote", "reported_as", "passages", "narratives", "events", "targets",
                         "addressees", "channel", "documents", "locators",
                         "primary_source_urls"]


def statements_csv(store: Backend) -> bytes:
    """Every statement as one CSV row with all its attributes; several values in one
    cell are sorted and joined with " | ". ``quote`` holds the speaker's own words as
    the document prints them (empty for a paraphrase that quotes none), ``passages``
    the document's sentences that report the statement, each as ``locator: passage``,
    so that the two are never confused."""
    cells: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for statement, column, value in store.query(STATEMENT_CSV_QUERY).rows:
        cells[str(statement)][str(column)].add(str(value))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STATEMENT_CSV_COLUMNS)
    from .results import spreadsheet_safe

    for statement in sorted(cells):
        row = cells[statement]
        # a quote starting with "=" must not run as a formula in a spreadsheet
        writer.writerow([statement] + [spreadsheet_safe(" | ".join(sorted(row.get(c, ()))))
                                       for c in STATEMENT_CSV_COLUMNS[1:]])
    return buffer.getvalue().encode("utf-8")
