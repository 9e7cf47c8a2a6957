"""Binding query parameters as a ``VALUES`` block of properly serialised RDF terms.

Stores that take no pre-bound variables (a remote SPARQL endpoint) or whose native
binding has other semantics (pyoxigraph 0.5's ``substitutions=`` only binds projected
variables and leaves them unbound inside ``FILTER(BOUND(…))``) get the bindings as
``VALUES (?a ?b) { (<iri> "text"@en) }`` at the start of the query's WHERE group.

Safety: every value is an rdflib term serialised here, character by character, never
user text pasted into the query: an IRI with a character that could close it is
refused, and literals are escaped. Blank nodes cannot be bound (SPARQL forbids them in
``VALUES``). The block goes on the line of the opening brace, so error positions in
the rest of the query keep their line numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import UsageError

#: Characters SPARQL's IRIREF forbids; one of them in an IRI could end it early.
IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]+")
STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                  "\b": "\\b", "\f": "\\f"}


def sparql_iri(value: str) -> str:
    """``<value>``, or a UsageError if ``value`` cannot be an IRI."""
    if not value or IRI_FORBIDDEN.search(value):
        raise UsageError(f"not a valid IRI to bind: {value!r}")
    return f"<{value}>"


def sparql_string(value: str) -> str:
    """A double-quoted SPARQL string with every special character escaped."""
    out = []
    for char in value:
        escaped = STRING_ESCAPES.get(char)
        if escaped is None and ord(char) < 0x20:
            escaped = f"\\u{ord(char):04X}"
        out.append(escaped or char)
    return '"' + "".join(out) + '"'


def sparql_term(term: Node | None) -> str:
    """One RDF term in SPARQL syntax for a VALUES row (``UNDEF`` for ``None``).

    >>> from rdflib import Literal, URIRef
    >>> sparql_term(URIRef("https://w3id.org/kgraph/actor/lavrov"))
    '<https://w3id.org/kgraph/actor/lavrov>'
    >>> sparql_term(Literal('say "no"', lang="en"))
    '"say \\\\"no\\\\""@en'
    """
    if term is None:
        return "UNDEF"
    if isinstance(term, URIRef):
        return sparql_iri(str(term))
    if isinstance(term, Literal):
        text = sparql_string(str(term))
        if term.language:
            if not LANGUAGE_TAG.fullmatch(term.language):
                raise UsageError(f"not a valid language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{sparql_iri(str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        raise UsageError("a blank node cannot be bound as a query parameter")
    raise UsageError(f"cannot bind {term!r}: not an IRI or a literal")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for one row of bindings."""
    names = []
    for name in bindings:
        if not VARIABLE_NAME.fullmatch(name):
            raise UsageError(f"not a valid SPARQL variable name: {name!r}")
        names.append("?" + name)
    row = " ".join(sparql_term(term) for term in bindings.values())
    return f"VALUES ({' '.join(names)}) {{ ({row}) }}"


# Tokens that may hold braces or keywords which are not structure: comments, strings,
# IRIs, prefixed names and variables are matched whole and skipped.
TOKEN = re.compile(r"""
    (?P<skip> \#[^\n]*
      | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>
      | [?$][A-Za-z0-9_\u00B7-\uFFFF]+
      | [A-Za-z_][\w.-]*:[\w.:%\\-]* )
    | (?P<open>\{) | (?P<close>\}) | (?P<paren>[()])
    | (?P<word>[A-Za-z_]\w*)
    """, re.VERBOSE | re.DOTALL)
QUERY_FORMS = {"select", "construct", "ask", "describe"}


def where_group_start(text: str) -> int | None:
    """The offset just after the ``{`` that opens the query's WHERE group, or ``None``
    when the query has none that may hold VALUES (``DESCRIBE <x>``, the
    ``CONSTRUCT WHERE { … }`` short form)."""
    form = None
    depth = parens = 0
    template_done = False
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "paren":
            parens += 1 if match.group() == "(" else -1
            continue
        if kind == "word":
            word = match.group().lower()
            if depth == 0 and form is None and word in QUERY_FORMS:
                form = word
            elif depth == 0 and form == "construct" and not template_done \
                    and word == "where":
                return None  # CONSTRUCT WHERE { triples }: no VALUES allowed inside
            continue
        if kind == "open":
            if depth == 0 and parens == 0 and form is not None:
                if form != "construct" or template_done:
                    return match.end()
            depth += 1
            continue
        if kind == "close":
            depth -= 1
            if depth == 0 and form == "construct":
                template_done = True
    return None


def bind_with_values(text: str, bindings: Mapping[str, Node] | None) -> str:
    """``text`` with ``bindings`` added as a VALUES block at the start of its WHERE
    group (or, failing one, as a trailing VALUES clause).

    >>> from rdflib import URIRef
    >>> bind_with_values("SELECT ?n WHERE { ?a <p> ?n }",
    ...                  {"a": URIRef("https://example.org/x")})
    'SELECT ?n WHERE { VALUES (?a) { (<https://example.org/x>) } ?a <p> ?n }'
    """
    if not bindings:
        return text
    block = values_block(bindings)
    start = where_group_start(text)
    if start is None:
        return f"{text}\n{block}\n"
    return f"{text[:start]} {block}{text[start:]}"


PREFIX_DECLARATION = re.compile(r"PREFIX\s+([A-Za-z_][\w.-]*|)\s*:", re.IGNORECASE)


def undeclared_prefix(text: str) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix the query does not declare, as
    ``(prefix, line, column)``; engines' own messages for this are often cryptic."""
    declared: set[str] = set()
    for match in TOKEN.finditer(text):
        token = match.group()
        if match.lastgroup != "skip" or token[0] in "#'\"<?$":
            continue
        prefix = token.split(":", 1)[0]
        before = text[max(0, match.start() - 40):match.start()]
        if re.search(r"PREFIX\s+$", before, re.IGNORECASE):
            declared.add(prefix)
            continue
        if prefix.lower() in ("http", "https", "urn") or prefix in declared:
            continue
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        return prefix, line, column
    return None


def query_form(text: str) -> str:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``: the query's first form
    keyword outside comments, strings and IRIs (``SELECT`` if none is found)."""
    for match in TOKEN.finditer(text):
        if match.lastgroup == "word" and match.group().lower() in QUERY_FORMS:
            return match.group().upper()
    return "SELECT"
