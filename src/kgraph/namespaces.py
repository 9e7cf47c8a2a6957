"""Every namespace kgraph uses, bound explicitly in one place.

rdflib's default prefix bindings have changed between versions; binding ours
explicitly (and only ours) keeps serialised output stable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

BASE = "https://w3id.org/kgraph/"
ONTOLOGY_IRI = BASE + "ontology"

#: kgraph's own namespaces, by the name code imports them under. As rdflib
#: ``Namespace`` objects (``KG.speaker``) they are built on first import, so a module
#: that only needs the IRIs as text (:data:`PREFIXES`) does not import rdflib.
NAMESPACE_IRIS: dict[str, str] = {
    "KG": BASE + "ontology#",
    "KGSH": BASE + "shapes#",  # SHACL shapes, kept apart from the ontology terms
    "ACTOR": BASE + "actor/", "OFFICE": BASE + "office/", "STMT": BASE + "statement/",
    "NARR": BASE + "narrative/", "CAT": BASE + "category/", "ACT": BASE + "act/",
    "JUDG": BASE + "judgement/", "EVENT": BASE + "event/", "CLAIM": BASE + "claim/",
    "DOC": BASE + "document/", "SRC": BASE + "source/", "EVID": BASE + "evidence/",
    "SCHEMA": "https://schema.org/",
}

#: prefix → namespace, in the order they are written (sorted by prefix); the W3C and
#: community vocabularies' IRIs are rdflib's (a test compares them).
PREFIXES: dict[str, str] = dict(sorted({
    "act": NAMESPACE_IRIS["ACT"], "actor": NAMESPACE_IRIS["ACTOR"],
    "cat": NAMESPACE_IRIS["CAT"], "claim": NAMESPACE_IRIS["CLAIM"],
    "dcterms": "http://purl.org/dc/terms/", "doc": NAMESPACE_IRIS["DOC"],
    "event": NAMESPACE_IRIS["EVENT"], "evid": NAMESPACE_IRIS["EVID"],
    "foaf": "http://xmlns.com/foaf/0.1/", "judg": NAMESPACE_IRIS["JUDG"],
    "kg": NAMESPACE_IRIS["KG"], "kgsh": NAMESPACE_IRIS["KGSH"],
    "narr": NAMESPACE_IRIS["NARR"], "office": NAMESPACE_IRIS["OFFICE"],
    "org": "http://www.w3.org/ns/org#", "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": NAMESPACE_IRIS["SCHEMA"],
    "sh": "http://www.w3.org/ns/shacl#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "src": NAMESPACE_IRIS["SRC"], "stmt": NAMESPACE_IRIS["STMT"],
    "vann": "http://purl.org/vocab/vann/", "xsd": "http://www.w3.org/2001/XMLSchema#",
}.items()))


def __getattr__(name: str):
    """``KG``, ``ACTOR``, … as rdflib Namespaces, built when first imported."""
    if name not in NAMESPACE_IRIS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace

    namespace = globals()[name] = Namespace(NAMESPACE_IRIS[name])
    return namespace


def bind_prefixes(graph: Graph) -> Graph:
    """Replace ``graph``'s prefix bindings with exactly kgraph's, and return it."""
    from rdflib.namespace import NamespaceManager

    # rdflib binds many defaults ("brick", "wgs", …); start from none so output shows ours.
    graph.namespace_manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.namespace_manager.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """``PREFIX`` lines for every kgraph prefix, for queries written in code."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
