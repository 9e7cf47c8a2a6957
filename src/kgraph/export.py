"""Export the graph: RDF formats, GraphML/GEXF for Gephi, and a statements CSV.

Turtle is deterministic: kgraph's prefixes are bound explicitly, subjects, predicates
and objects are written sorted, and blank nodes (which kgraph's own graph does not use)
are relabelled canonically first, so the same graph gives byte-identical output in
every process, whatever ``PYTHONHASHSEED``.

Every export parses back. Turtle and TriG never use a prefix rdflib invents
(``ns1:``), which its serialiser could leave undeclared depending on the hash seed: an
IRI outside kgraph's namespaces is written whole. RDF/XML is refused, with the reason,
for what XML cannot hold (a predicate that does not end in an XML name, a control
character XML 1.0 forbids), and every XML output is checked to be well-formed before
it is returned.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.namespace import NamespaceManager

from .backends import Backend
from .errors import UsageError
from .namespaces import PREFIXES, bind_prefixes, sparql_prologue

RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml",
               "trig": "trig"}
NETWORK_FORMATS = {"graphml", "gexf"}


def canonical(graph: Graph) -> Graph:
    """``graph`` with kgraph's prefixes and, if it has blank nodes, canonical labels."""
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        graph = to_canonical_graph(graph)
    out = bind_prefixes(Graph())
    for triple in graph:
        out.add(triple)
    return out


class DeclaredPrefixesOnly(NamespaceManager):
    """A namespace manager that abbreviates with bound prefixes only and never invents
    one: rdflib's Turtle serialiser binds an ``ns1:`` for a predicate it then writes
    whole (a local name ending in ".") and may use that prefix for a later IRI after
    the header is written, undeclared, in an order that depends on PYTHONHASHSEED."""

    def compute_qname(self, uri, generate: bool = True):
        return super().compute_qname(uri, generate=False)


def declared_prefixes_only(graph: Graph) -> Graph:
    """``graph`` with a :class:`DeclaredPrefixesOnly` manager holding kgraph's prefixes."""
    manager = DeclaredPrefixesOnly(graph, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)
    graph.namespace_manager = manager
    return graph


#: characters XML 1.0 cannot hold, not even as character references
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def check_rdfxml(graph: Graph) -> None:
    """Refuse, naming the culprit, what RDF/XML cannot write: a predicate IRI that
    does not end in an XML name (rdflib: "Can't split"), a literal or IRI with a
    character XML 1.0 forbids."""
    from rdflib.namespace import split_uri

    checked: set = set()
    for subject, predicate, obj in graph:
        if predicate not in checked:
            checked.add(predicate)
            try:
                split_uri(predicate)
            except ValueError:
                raise UsageError(f"RDF/XML cannot write the predicate <{predicate}>: an "
                                 "RDF/XML predicate must end in an XML name (a letter or _ "
                                 "after the last / or #); export as turtle, nt or jsonld "
                                 "instead") from None
        for term in (subject, predicate, obj):
            found = XML_FORBIDDEN.search(str(term))
            if found:
                what = "a literal" if isinstance(term, Literal) else "an IRI"
                raise UsageError(f"RDF/XML (XML 1.0) cannot hold the control character "
                                 f"U+{ord(found.group()):04X}, found in {what} of "
                                 f"{subject.n3()} <{predicate}>; export as turtle, nt or "
                                 "jsonld instead")


def check_well_formed_xml(data: bytes, fmt: str) -> bytes:
    """``data`` if it is well-formed XML, else a UsageError: no export writes a file
    that its readers refuse."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise UsageError(f"the {fmt} writer produced ill-formed XML ({exc}); a name or "
                         "text in the graph cannot be written in XML 1.0; export as "
                         "turtle or nt instead") from None
    return data


def serialize_graph(graph: Graph, fmt: str = "turtle") -> bytes:
    """Serialise an rdflib graph deterministically in one of :data:`RDF_FORMATS`.

    >>> from rdflib import Graph
    >>> serialize_graph(Graph(), "nt")
    b''
    """
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}; choose " + ", ".join(RDF_FORMATS))
    graph = canonical(graph)
    if fmt in ("turtle", "trig"):
        declared_prefixes_only(graph)
    if fmt == "nt":
        # N-Triples order is whatever the store yields; sort the lines.
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if fmt == "trig":
        from rdflib import Dataset

        dataset = Dataset()
        dataset.namespace_manager = graph.namespace_manager
        for triple in graph:
            dataset.add(triple)
        return dataset.serialize(format="trig", encoding="utf-8")
    if fmt == "xml":
        check_rdfxml(graph)
        try:
            data = graph.serialize(format="xml", encoding="utf-8")
        except ValueError as exc:  # rdflib: "cannot be serialized to a strict format"
            raise UsageError(f"RDF/XML cannot write this graph: {exc}; export as turtle, "
                             "nt or jsonld instead") from None
        return check_well_formed_xml(data, "RDF/XML")
    return graph.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")


def export_graph(store: Backend, fmt: str = "turtle") -> bytes:
    """The store's graph in ``fmt``: an RDF format, ``graphml``/``gexf`` (the ``full``
    projection, with plain attribute keys Gephi reads) or ``csv`` (one row per
    statement)."""
    if fmt in RDF_FORMATS:
        fast = getattr(store, "dump", None)  # a backend may serialise natively
        if fast is not None:
            data = fast(fmt)
            if data is not None:
                return data
        return serialize_graph(store.to_graph(), fmt)
    if fmt in NETWORK_FORMATS:
        return check_well_formed_xml(write_network(store, fmt), fmt)
    if fmt == "csv":
        return statements_csv(store)
    raise UsageError(f"unknown export format {fmt!r}")


def flatten_attributes(graph) -> "object":
    """A copy of a networkx graph whose attributes are all strings or numbers: GraphML
    and GEXF take scalars only, so lists become "; "-joined text and dicts are left out."""
    import networkx as nx

    def flat(attributes: dict) -> dict:
        out = {}
        for key, value in sorted(attributes.items()):
            if value is None or isinstance(value, dict):
                continue
            if isinstance(value, (list, tuple, set, frozenset)):
                value = "; ".join(sorted(str(v) for v in value))
            elif not isinstance(value, (str, int, float, bool)):
                value = str(value)
            out[key] = value
        return out

    flat_graph = nx.MultiDiGraph() if graph.is_multigraph() else nx.DiGraph()
    for node in sorted(graph.nodes):
        flat_graph.add_node(str(node), **flat(graph.nodes[node]))
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() \
        else ((u, v, None, d) for u, v, d in graph.edges(data=True))
    for u, v, _key, data in sorted(edges, key=lambda e: (str(e[0]), str(e[1]),
                                                         str(e[3].get("kind", "")))):
        flat_graph.add_edge(str(u), str(v), **flat(data))
    return flat_graph


def write_network(store: Backend, fmt: str) -> bytes:
    """GraphML or GEXF of the ``full`` projection (every typed resource)."""
    import networkx as nx

    from .views import project_view

    graph = flatten_attributes(project_view(store, "full"))
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml_xml(graph, buffer, encoding="utf-8", named_key_ids=True)
    else:
        nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


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
                         "quote", "reported_as", "narratives", "events", "targets",
                         "addressees", "channel", "documents", "locators",
                         "primary_source_urls"]


def statements_csv(store: Backend) -> bytes:
    """Every statement as one CSV row with all its attributes; several values in one
    cell are sorted and joined with " | "."""
    cells: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for statement, column, value in store.query(STATEMENT_CSV_QUERY).rows:
        cells[str(statement)][str(column)].add(str(value))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STATEMENT_CSV_COLUMNS)
    for statement in sorted(cells):
        row = cells[statement]
        writer.writerow([statement] + [" | ".join(sorted(row.get(c, ())))
                                       for c in STATEMENT_CSV_COLUMNS[1:]])
    return buffer.getvalue().encode("utf-8")
