"""Seeded generator of small RDF graphs full of edge cases, for round-trip tests.

Every graph is a function of its seed only, so a failure is reproduced by its number.
The IRIs are the ones serialisers trip over: namespaces that end mid-word, local
names starting with a digit or ending in a dot, percent-escapes, ``urn:`` IRIs, IRIs
ending in ``/`` or ``#``; the literals hold quotes, backslashes, newlines, U+2028,
astral characters, language tags with subtags, numbers in odd lexical forms and
typed literals of kgraph's date types.
"""

from __future__ import annotations

import random

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

IRIS = [
    "https://w3id.org/kgraph/actor/lavrov", "https://w3id.org/kgraph/ontology#voices",
    "https://w3id.org/kgraph/actor/", "https://w3id.org/kgraph/ontology#",
    "https://w3id.org/kgraph/actorx", "https://w3id.org/kgraph/act/1",
    "https://w3id.org/kgraph/statement/a.b.", "https://w3id.org/kgraph/narrative/-x",
    "http://example.org/a", "http://example.org/ab/cd", "http://example.org/a/b",
    "http://example.org/ns#", "http://example.org/ns#1x", "http://example.org/ns#a.b",
    "http://example.org/x%20y", "http://example.org/p~q", "http://example.org/9",
    "http://example.org/a/b/c/d", "http://example.org/é", "http://example.org/a_b",
    "http://example.org/path/", "http://example.org/q?x=1&y=2", "urn:x:y", "urn:isbn:1",
    "http://example.org/a:b", "http://example.org/(x)", "http://example.org/a'b",
    "https://schema.org/name", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label", "http://example.org/a-",
    "tag:example.org,2020:x", "http://example.org/ns/_x", "http://example.org/ns#_",
    # a local name ending in "." next to a plain one in the same namespace: rdflib's
    # Turtle writer bound ns1: for the first and used it undeclared for the second
    "http://example.org/z/a.", "http://example.org/z/b", "http://example.org/z/c.d",
    "https://w3id.org/kgraph/actor/a'b", "https://w3id.org/kgraph/actor/x%20y",
    "https://w3id.org/kgraph/actor/(x)", "https://w3id.org/kgraph/actor/a:b",
    "https://w3id.org/kgraph/actor/é", "https://w3id.org/kgraph/actor/a~b",
]
STRINGS = [
    "", "plain", 'say "no"', "back\\slash", "line\nbreak", "cr\rhere", "tab\there",
    "para\u2028sep", "astral 𝄞 😀", "Лавров", "trailing quote\"", '"""triple"""',
    "'single'", "''' x", "  spaces  ", "#hash", "@at", "=1+1", "<tag>&amp;", "ü" * 3,
]
LANGUAGES = ["en", "ru", "en-GB", "ru-Latn", "be", "de-CH-1996", "x-private"]
TYPED = [
    ("1", XSD.integer), ("-0", XSD.integer), ("007", XSD.integer), ("1.50", XSD.decimal),
    (".5", XSD.decimal), ("1e3", XSD.double), ("true", XSD.boolean), ("0", XSD.boolean),
    ("2021-05-27", XSD.date), ("2021-05", XSD.gYearMonth), ("2021", XSD.gYear),
    ("2021-05-27T10:00:00Z", XSD.dateTime), ("x", XSD.string),
    ("abc", URIRef("http://example.org/dt#custom")),
]


def random_term(rng: random.Random, position: str, blanks: list[BNode]):
    if position == "p":
        return URIRef(rng.choice(IRIS))
    roll = rng.random()
    if roll < 0.12:
        if not blanks or rng.random() < 0.5:
            blanks.append(BNode())
        return rng.choice(blanks)
    if position == "s" or roll < 0.5:
        return URIRef(rng.choice(IRIS))
    if roll < 0.7:
        return Literal(rng.choice(STRINGS))
    if roll < 0.85:
        return Literal(rng.choice(STRINGS) or "x", lang=rng.choice(LANGUAGES))
    lexical, datatype = rng.choice(TYPED)
    return Literal(lexical, datatype=datatype)


def random_graph(seed: int, size: int | None = None) -> Graph:
    """A graph of 1 to 8 triples drawn from the edge cases above, by ``seed``."""
    rng = random.Random(seed)
    graph = Graph()
    blanks: list[BNode] = []
    for _ in range(size or rng.randint(1, 8)):
        graph.add((random_term(rng, "s", blanks), random_term(rng, "p", blanks),
                   random_term(rng, "o", blanks)))
    return graph
