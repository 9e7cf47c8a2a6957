"""RDF writers: Turtle, N-Triples, RDF/XML, and TriG with one named graph per file.

Every writer binds exactly kgraph's prefixes (:data:`kgraph.namespaces.PREFIXES`), so
no tool meets an ``ns1:``; blank nodes (the ontology's lists and restrictions) are
relabelled canonically first, so the same graph gives the same bytes in every process,
whatever ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from ..errors import UsageError
from ..namespaces import BASE, ONTOLOGY_IRI, bind_prefixes

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


def sorted_ntriples(graph: Graph) -> list[str]:
    """The graph's N-Triples lines (canonical blank nodes), sorted, without newlines."""
    data = canonical(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted(line for line in data.splitlines() if line.strip())


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
    return canonical(graph).serialize(format=RDF_FORMATS[fmt], encoding="utf-8")


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
        indented = "\n".join("    " + line if line else "" for line in body.splitlines())
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
