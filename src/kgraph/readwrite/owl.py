"""The ``owl-dl`` profile: the graph as an OWL 2 DL ontology a reasoner accepts.

The RDF exports keep kgraph's dates as they are coded, ``xsd:date``, ``xsd:gYearMonth``
or ``xsd:gYear``, each as precise as the text. Those datatypes are outside the OWL 2
datatype map, so HermiT (Protégé's reasoner) refuses the whole graph. This profile
writes every literal whose datatype is outside the map as an ``xsd:string`` with the
same lexical form ("2021-05-27", "2021-05", "2021"): the ISO 8601 text still says the
precision, and nothing is lost but the datatype IRI, which the other exports keep.

It also types every resource that has a class as an ``owl:NamedIndividual`` (Protégé
lists them as individuals) and leaves out nothing else: the ontology declares every
reused property once, with the kind other ontologies give it (DCMI terms as annotation
properties where kgraph does not specialise them).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

#: The OWL 2 datatype map (OWL 2 Structural Specification §4), plus rdf:langString,
#: the RDF 1.1 name of a language-tagged literal's datatype.
OWL2_DATATYPES = {
    RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational,
    *(XSD[name] for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger",
        "positiveInteger", "negativeInteger", "long", "int", "short", "byte",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "double", "float",
        "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
        "boolean", "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp")),
}
#: What a resource of one of these types is: a term of the vocabulary, not an individual.
VOCABULARY_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                    OWL.AnnotationProperty, OWL.Ontology, OWL.AllDisjointClasses,
                    OWL.Restriction, RDFS.Datatype, RDFS.Class, RDF.Property,
                    OWL.FunctionalProperty, OWL.SymmetricProperty,
                    OWL.TransitiveProperty, OWL.InverseFunctionalProperty}


def owl_dl_literal(literal: Literal) -> Literal:
    """``literal`` with a datatype of the OWL 2 datatype map: as it is, or as an
    xsd:string of the same text.

    >>> owl_dl_literal(Literal("2021", datatype=XSD.gYear))
    rdflib.term.Literal('2021', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#string'))
    """
    if literal.language or literal.datatype is None or literal.datatype in OWL2_DATATYPES:
        return literal
    return Literal(str(literal), datatype=XSD.string)


def owl_dl_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` in the ``owl-dl`` profile (see the module's docstring)."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, owl_dl_literal(o) if isinstance(o, Literal) else o))
    vocabulary = {s for s, t in graph.subject_objects(RDF.type) if t in VOCABULARY_TYPES}
    classes = set(graph.subjects(RDF.type, OWL.Class))
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and subject not in vocabulary and cls in classes:
            out.add((subject, RDF.type, OWL.NamedIndividual))
    return out
