"""Result formats for SPARQL answers: table, CSV, TSV, SPARQL JSON, RDF formats.

SELECT ``json`` is the W3C SPARQL 1.1 Query Results JSON Format, ``xml`` the SPARQL
Query Results XML Format (SELECT and ASK); ``csv`` and ``tsv`` follow the W3C SPARQL
1.1 CSV/TSV formats; ``table`` is aligned for a terminal.
CONSTRUCT and DESCRIBE results serialise as RDF (Turtle by default, deterministic).

SELECT answers are written from :class:`~kgraph.backends.terms.Term` rows
(:meth:`QueryResult.terms`): printing an answer needs no rdflib.
"""

from __future__ import annotations

import csv
import io
import json
import re

from typing import TYPE_CHECKING

from .backends import QueryResult
from .backends.sparql_values import sparql_string
from .backends.terms import XSD, Term
from .errors import UsageError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib.term import Node

TABLE_CELL_LIMIT = 80  # wider cells are cut with "…" in a terminal table; use csv for all
RDF_FORMATS = {"turtle", "nt", "jsonld", "xml", "trig"}


#: prefixes, longest namespace first: a term is shortened by the most specific one
PREFIXES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda p: -len(p[1]))


def compact(term: Term | Node | None) -> str:
    """A short, readable form for a terminal: prefixed names, literals' text; for a
    :class:`~kgraph.backends.terms.Term` or an rdflib term.

    >>> compact(Term.iri("https://w3id.org/kgraph/actor/lavrov"))
    'actor:lavrov'
    """
    if term is None:
        return ""
    if isinstance(term, Term):
        kind, text = term.kind, term.value
    else:
        from rdflib import BNode, URIRef

        kind = "uri" if isinstance(term, URIRef) else \
            "bnode" if isinstance(term, BNode) else "literal"
        text = str(term)
    if kind == "uri":
        for prefix, namespace in PREFIXES_LONGEST_FIRST:
            if text.startswith(namespace):
                local = text[len(namespace):]
                if local and all(c.isalnum() or c in "-_." for c in local):
                    return f"{prefix}:{local}"
        return text
    if kind == "bnode":
        return f"_:{text}"
    return text


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell, a rule under the header."""
    def cell(text: str) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= TABLE_CELL_LIMIT else text[: TABLE_CELL_LIMIT - 1] + "…"

    body = [[cell(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in body)
    return "\n".join(out) + "\n"


#: what a spreadsheet reads as the start of a formula (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    r"""A CSV cell that Excel or LibreOffice will not run as a formula: text starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
    (OWASP's advice). A number (``-5``, ``+1.5e3``) is left as it is: it is no formula,
    and a quote would turn it into text.

    >>> spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("-5")
    ('\'=HYPERLINK("http://x")', '-5')
    """
    if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def spreadsheet_text(cell: str) -> str:
    """The text behind a cell :func:`spreadsheet_safe` wrote (its inverse), for a CSV
    that is read back: ``'=SUM(A1)`` → ``=SUM(A1)``.

    >>> spreadsheet_text(spreadsheet_safe("=1+1")), spreadsheet_text("'quoted")
    ('=1+1', "'quoted")
    """
    if cell.startswith("'") and spreadsheet_safe(cell[1:]) == cell:
        return cell[1:]
    return cell


def term_to_json(term: Term) -> dict:
    """One RDF term in the SPARQL 1.1 Query Results JSON form."""
    value: dict = {"type": term.kind, "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype:
        value["datatype"] = term.datatype
    return value


#: datatypes whose literals TSV writes bare, as Turtle's shorthand does
TSV_BARE_DATATYPES = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}


def term_to_tsv(term: Term | None) -> str:
    """SPARQL TSV: terms in Turtle/N-Triples syntax, empty when unbound. A literal's
    tab, newline or carriage return is escaped (``\\t``, ``\\n``, ``\\r``), as the
    W3C format requires: a raw one would end the cell or the row.

    >>> term_to_tsv(Term.literal("two\\tcells", language="en"))
    '"two\\\\tcells"@en'
    """
    if term is None:
        return ""
    kind, value, datatype, language = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if datatype in TSV_BARE_DATATYPES:
        return value
    text = sparql_string(value)
    if language:
        return f"{text}@{language}"
    return f"{text}^^<{datatype}>" if datatype else text


SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
XML_LANG = "xml:lang"  # the xml: prefix is predeclared in every XML document


def results_xml(variables: list[str], rows=None, boolean: bool | None = None) -> str:
    """A SELECT (``rows``) or ASK (``boolean``) result in the W3C SPARQL Query Results
    XML Format."""
    from xml.etree import ElementTree as ET

    def element(parent, tag: str, attributes: dict | None = None):
        return ET.SubElement(parent, tag, attributes or {})

    # the namespace as a plain attribute: no global ElementTree registration
    root = ET.Element("sparql", {"xmlns": SPARQL_RESULTS_NS})
    head = element(root, "head")
    for variable in variables:
        element(head, "variable", {"name": variable})
    if boolean is not None:
        element(root, "boolean").text = "true" if boolean else "false"
    else:
        results = element(root, "results")
        for row in rows:
            result = element(results, "result")
            for variable, term in zip(variables, row):
                if term is None:
                    continue
                binding = element(result, "binding", {"name": variable})
                attributes = {XML_LANG: term.language} if term.language else (
                    {"datatype": term.datatype} if term.datatype else {})
                element(binding, term.kind, attributes).text = term.value
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=False) + "\n"


def format_select(result: QueryResult, fmt: str) -> str:
    rows = result.terms()
    if fmt == "table":
        return format_table(result.variables, [[compact(t) for t in row] for row in rows])
    if fmt == "json":
        bindings = [{v: term_to_json(t) for v, t in zip(result.variables, row)
                     if t is not None} for row in rows]
        return json.dumps({"head": {"vars": result.variables},
                           "results": {"bindings": bindings}},
                          indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([["" if t is None else spreadsheet_safe(t.value) for t in row]
                          for row in rows])
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in result.variables)]
        lines.extend("\t".join(term_to_tsv(t) for t in row) for row in rows)
        return "\n".join(lines) + "\n"
    if fmt == "xml":
        return '<?xml version="1.0" encoding="utf-8"?>\n' + results_xml(result.variables,
                                                                      rows)
    raise UsageError(f"a SELECT result cannot be written as {fmt}; "
                     "choose table, csv, tsv, json or xml")


def format_result(result: QueryResult, fmt: str | None = None) -> bytes:
    """Serialise a query result; ``fmt`` None picks table (SELECT/ASK) or turtle."""
    if result.kind == "SELECT":
        return format_select(result, fmt or "table").encode("utf-8")
    if result.kind == "ASK":
        fmt = fmt or "table"
        if fmt == "json":
            return (json.dumps({"head": {}, "boolean": result.boolean}) + "\n").encode()
        if fmt in ("table", "csv", "tsv"):
            return ("true\n" if result.boolean else "false\n").encode()
        if fmt == "xml":
            return ('<?xml version="1.0" encoding="utf-8"?>\n'
                    + results_xml([], boolean=bool(result.boolean))).encode("utf-8")
        raise UsageError(f"an ASK result cannot be written as {fmt}")
    fmt = fmt or "turtle"
    if fmt not in RDF_FORMATS:
        raise UsageError(f"a {result.kind} result is a graph; choose "
                         + ", ".join(sorted(RDF_FORMATS)))
    from .readwrite.rdf import serialize_graph

    return serialize_graph(result.graph, fmt)
