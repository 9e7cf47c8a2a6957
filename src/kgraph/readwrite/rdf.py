"""RDF writers: Turtle, N-Triples, RDF/XML, and TriG with one named graph per file.

Every writer binds exactly kgraph's prefixes (:data:`kgraph.namespaces.PREFIXES`), so
no tool meets an ``ns1:``; blank nodes (the ontology's lists and restrictions) are
relabelled canonically first, so the same graph gives the same bytes in every process,
whatever ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.namespace import NamespaceManager

from ..errors import UsageError
from ..namespaces import BASE, ONTOLOGY_IRI, PREFIXES, bind_prefixes

RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml",
               "trig": "trig"}
#: The named graph of each graph/ file: this IRI + the file's stem ("graph/actors").
GRAPH_BASE = BASE + "graph/"


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


def sorted_ntriples(graph: Graph) -> list[str]:
    """The graph's N-Triples lines (canonical blank nodes), sorted, without newlines."""
    data = canonical(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    # split at "\n" only: a literal may hold U+2028 or U+0085 unescaped, where
    # str.splitlines() would cut the line
    return sorted(line for line in data.split("\n") if line.strip())


def serialize_graph(graph: Graph, fmt: str = "turtle") -> bytes:
    """Serialise an rdflib graph deterministically in one of :data:`RDF_FORMATS`
    (TriG: everything in the default graph; :func:`write_trig` names the graphs).

    >>> from rdflib import Graph
    >>> serialize_graph(Graph(), "nt")
    b''
    """
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}; choose " + ", ".join(RDF_FORMATS))
    if fmt == "nt":
        return "".join(line + "\n" for line in sorted_ntriples(graph)).encode("utf-8")
    if fmt == "trig":
        return write_trig([(None, graph)])
    if fmt == "jsonld":
        from .jsonld import write_jsonld

        return write_jsonld(graph)
    graph = canonical(graph)
    if fmt == "xml":
        check_rdfxml(graph)
        try:
            data = in_sorted_order(graph).serialize(format="xml", encoding="utf-8")
        except ValueError as exc:  # rdflib: "cannot be serialized to a strict format"
            raise UsageError(f"RDF/XML cannot write this graph: {exc}; export as turtle, "
                             "nt or jsonld instead") from None
        return check_well_formed_xml(data, "RDF/XML")
    return declared_prefixes_only(graph).serialize(format=RDF_FORMATS[fmt],
                                                   encoding="utf-8")


class SortedGraph(Graph):
    """A graph whose subjects and (property, value) pairs come out sorted, for rdflib's
    RDF/XML writer: it walks ``subjects()`` and ``predicate_objects()``, which follow
    rdflib's sets (their order depends on PYTHONHASHSEED)."""

    def subjects(self, predicate=None, object=None, unique=False):
        return iter(sorted(set(super().subjects(predicate, object)), key=term_key))

    def predicate_objects(self, subject=None, unique=False):
        return iter(sorted(set(super().predicate_objects(subject)),
                           key=lambda pair: (term_key(pair[0]), term_key(pair[1]))))


def term_key(term) -> str:
    return term.n3()


def in_sorted_order(graph: Graph) -> Graph:
    """``graph`` as a :class:`SortedGraph` with a prefix bound for every predicate's
    namespace in sorted order (rdflib invents ``ns1:``… in the order of a set of
    predicates otherwise): the same graph gives the same RDF/XML bytes every time."""
    ordered = SortedGraph()
    ordered.namespace_manager = graph.namespace_manager
    for triple in graph:
        ordered.add(triple)
    for predicate in sorted(set(ordered.predicates()), key=term_key):
        ordered.namespace_manager.compute_qname_strict(predicate)
    return ordered


def write_trig(graphs: list[tuple[str | None, Graph]]) -> bytes:
    """TriG of (graph name, graph) pairs, in the order given; a name of None is the
    default graph. Every kgraph prefix is declared once; each graph's triples are
    sorted Turtle, as :mod:`kgraph.backends.sorted_turtle` writes them."""
    from ..backends.sorted_turtle import write_sorted_turtle
    from ..namespaces import PREFIXES

    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
    for name, graph in graphs:
        body = write_sorted_turtle(sorted_ntriples(graph), header=False).decode("utf-8")
        if name is None:
            out.append(body)
            continue
        # graph names have no kgraph prefix (graph/… and the ontology IRI itself)
        lines = body.removesuffix("\n").split("\n")
        indented = "\n".join("    " + line if line else "" for line in lines)
        out.append(f"\n<{name}> {{{indented}\n}}\n")
    return "".join(out).encode("utf-8")


def graph_name(path: Path) -> str:
    """The named graph of a project file: the ontology IRI for the ontology, else
    ``https://w3id.org/kgraph/graph/`` + the file's stem."""
    if path.parent.name == "ontology":
        return ONTOLOGY_IRI if path.stem == "revisionism" else BASE + "ontology/" + path.stem
    return GRAPH_BASE + path.stem


def project_trig(store, files: list[Path]) -> bytes:
    """TriG of the store with one named graph per Turtle file it was loaded from
    (the ontology, then one per concern file of graph/); whatever the store holds
    that no file gives (nothing, for a store loaded from the files) goes in the
    default graph, so the union of the graphs is the store's graph."""
    from ..backends.memory import parse_turtle_file

    named = [(graph_name(path), parse_turtle_file(path)) for path in files]
    covered = set()
    for _, graph in named:
        covered.update(graph)
    rest = Graph()
    for triple in store.to_graph():
        # blank nodes get new labels in every parse: those triples come from the files
        if triple not in covered and not any(isinstance(t, BNode) for t in triple):
            rest.add(triple)
    return write_trig(([(None, rest)] if len(rest) else []) + named)
