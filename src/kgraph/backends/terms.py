"""RDF terms as plain tuples: a query answer before anyone needs rdflib.

Printing an answer (``kgraph query``, ``kgraph stats``) needs each term's kind, text,
datatype and language, nothing more. The default backend hands those over as
:class:`Term` tuples, so such a command never imports rdflib, which is a third of its
start-up; code that works with rdflib reads the same answer as rdflib terms
(:attr:`~kgraph.backends.base.QueryResult.rows`), converted on first use.

The rules are rdflib's parser's, so that answers compare equal across backends: an
``xsd:string`` literal is a plain literal (no datatype), a language string has its tag
and no datatype.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"


class Term(NamedTuple):
    """One RDF term of an answer.

    >>> Term.iri("https://w3id.org/kgraph/actor/lavrov")
    Term(kind='uri', value='https://w3id.org/kgraph/actor/lavrov', datatype=None, language=None)
    >>> Term.literal("5", XSD + "integer").datatype
    'http://www.w3.org/2001/XMLSchema#integer'
    """

    #: ``uri``, ``bnode`` or ``literal`` (the SPARQL JSON results' names)
    kind: str
    #: the IRI, the blank node's label, or the literal's lexical form
    value: str
    #: a literal's datatype IRI; ``None`` for a plain or a language string
    datatype: str | None = None
    #: a language string's tag
    language: str | None = None

    @classmethod
    def iri(cls, value: str) -> "Term":
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None,
                language: str | None = None) -> "Term":
        if language:
            return cls("literal", value, None, language)
        return cls("literal", value, None if datatype == XSD_STRING else datatype)


def from_rdflib(node) -> Term | None:
    """An rdflib term (or ``None``, unbound) as a :class:`Term`."""
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        datatype = node.datatype
        return Term.literal(str(node), None if datatype is None else str(datatype),
                            node.language)
    raise TypeError(f"not an RDF term: {node!r}")


class CachedConversion:
    """Converts RDF terms of one kind to another, each distinct term once: an answer
    repeats IRIs and labels many times. ``None`` (unbound) stays ``None``. A subclass
    says how one term converts (:meth:`convert`)."""

    def __init__(self) -> None:
        self.cache: dict[object, object] = {}

    def __call__(self, term):
        if term is None:
            return None
        converted = self.cache.get(term)
        if converted is None:
            converted = self.cache[term] = self.convert(term)
        return converted

    def convert(self, term):
        raise NotImplementedError


class RdflibTerms(CachedConversion):
    """:class:`Term` → rdflib term (building rdflib terms is the slow part of a big
    answer, hence the cache)."""

    def __init__(self) -> None:
        from rdflib import BNode, Literal, URIRef

        super().__init__()
        self.uri, self.bnode, self.rdf_literal = URIRef, BNode, Literal
        self.datatypes: dict[str, object] = {}

    def convert(self, term: Term):
        kind, value, datatype, language = term
        if kind == "uri":
            return self.uri(value)
        if kind == "bnode":
            return self.bnode(value)
        if language:
            return self.rdf_literal(value, lang=language)
        if datatype is None:
            return self.rdf_literal(value)
        iri = self.datatypes.get(datatype)
        if iri is None:
            iri = self.datatypes[datatype] = self.uri(datatype)
        return self.rdf_literal(value, datatype=iri)


def to_rdflib(term):
    """A :class:`Term` as an rdflib term; an rdflib term (or ``None``) as it is."""
    return RdflibTerms()(term) if isinstance(term, Term) else term


def rdflib_rows(rows: list[tuple[Term | None, ...]]) -> list[tuple]:
    """Answer rows of :class:`Term` turned into rows of rdflib terms, in place (and
    returned): each row's Terms are let go as it is converted, so a big answer is
    never held twice."""
    convert = RdflibTerms()
    for i, row in enumerate(rows):
        rows[i] = tuple(map(convert, row))
    return rows


class FromRdflib(CachedConversion):
    """rdflib term → :class:`Term`."""

    def convert(self, node) -> Term | None:
        return from_rdflib(node)


def term_rows(rows: Iterable[tuple]) -> list[tuple[Term | None, ...]]:
    """Answer rows of rdflib terms as rows of :class:`Term`."""
    convert = FromRdflib()
    return [tuple(map(convert, row)) for row in rows]
