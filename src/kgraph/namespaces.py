"""Every namespace kgraph uses, bound explicitly in one place.

rdflib's default prefix bindings have changed between versions; binding ours
explicitly (and only ours) keeps serialised output stable.
"""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import VANN
from rdflib.namespace import NamespaceManager
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

BASE = "https://w3id.org/kgraph/"

KG = Namespace(BASE + "ontology#")
KGSH = Namespace(BASE + "shapes#")  # SHACL shapes, kept apart from the ontology terms
ACTOR = Namespace(BASE + "actor/")
OFFICE = Namespace(BASE + "office/")
STMT = Namespace(BASE + "statement/")
NARR = Namespace(BASE + "narrative/")
CAT = Namespace(BASE + "category/")
ACT = Namespace(BASE + "act/")
JUDG = Namespace(BASE + "judgement/")
EVENT = Namespace(BASE + "event/")
CLAIM = Namespace(BASE + "claim/")
DOC = Namespace(BASE + "document/")
SRC = Namespace(BASE + "source/")
EVID = Namespace(BASE + "evidence/")
SCHEMA = Namespace("https://schema.org/")

ONTOLOGY_IRI = BASE + "ontology"

#: prefix → namespace, in the order they are written (sorted by prefix).
PREFIXES: dict[str, str] = dict(sorted({
    "act": str(ACT), "actor": str(ACTOR), "cat": str(CAT), "claim": str(CLAIM),
    "dcterms": str(DCTERMS), "doc": str(DOC), "event": str(EVENT), "evid": str(EVID),
    "foaf": str(FOAF), "judg": str(JUDG), "kg": str(KG), "kgsh": str(KGSH),
    "narr": str(NARR),
    "office": str(OFFICE), "org": str(ORG), "owl": str(OWL), "prov": str(PROV),
    "rdf": str(RDF), "rdfs": str(RDFS), "schema": str(SCHEMA), "sh": str(SH),
    "skos": str(SKOS), "src": str(SRC), "stmt": str(STMT), "vann": str(VANN),
    "xsd": str(XSD),
}.items()))


def bind_prefixes(graph: Graph) -> Graph:
    """Replace ``graph``'s prefix bindings with exactly kgraph's, and return it."""
    # rdflib binds many defaults ("brick", "wgs", …); start from none so output shows ours.
    graph.namespace_manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.namespace_manager.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """``PREFIX`` lines for every kgraph prefix, for queries written in code."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
