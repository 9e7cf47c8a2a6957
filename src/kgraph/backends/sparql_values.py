"""Binding query parameters as a ``VALUES`` block of properly serialised RDF terms.

Stores that take no pre-bound variables (a remote SPARQL endpoint) or whose native
binding has other semantics (pyoxigraph 0.5's ``substitutions=`` only binds projected
variables and leaves them unbound inside ``FILTER(BOUND(…))``) get the bindings as
``VALUES (?a ?b) { (<iri> "text"@en) }`` at the start of the query's WHERE group, and
also at the start of every sub-query's group that uses one of the variables itself.

That second copy gives a parameter one meaning everywhere in the text, as rdflib's
``initBindings`` (which reach into sub-queries) and grlc's text substitution do; and it
lets a sub-query that aggregates be written for one statement rather than for the whole
graph, which an engine would otherwise evaluate in full before joining (Oxigraph does).

Safety: every value is an RDF term (a :class:`~kgraph.backends.terms.Term` or an
rdflib term) serialised here, character by character, never
user text pasted into the query: an IRI with a character that could close it is
refused, and literals are escaped. Blank nodes cannot be bound (SPARQL forbids them in
``VALUES``). The block goes on the line of the opening brace, so error positions in
the rest of the query keep their line numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from typing import TYPE_CHECKING

from ..errors import UsageError
from .terms import Term, from_rdflib

if TYPE_CHECKING:
    from rdflib.term import Node

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


def sparql_term(term: Term | Node | None) -> str:
    """One RDF term (a :class:`~kgraph.backends.terms.Term` or an rdflib term) in
    SPARQL syntax for a VALUES row (``UNDEF`` for ``None``).

    >>> sparql_term(Term.iri("https://w3id.org/kgraph/actor/lavrov"))
    '<https://w3id.org/kgraph/actor/lavrov>'
    >>> from rdflib import Literal
    >>> sparql_term(Literal('say "no"', lang="en"))
    '"say \\\\"no\\\\""@en'
    """
    if term is None:
        return "UNDEF"
    if not isinstance(term, Term):
        try:
            term = from_rdflib(term)
        except TypeError:
            raise UsageError(f"cannot bind {term!r}: not an IRI or a literal") from None
    kind, value, datatype, language = term
    if kind == "uri":
        return sparql_iri(value)
    if kind == "literal":
        text = sparql_string(value)
        if language:
            if not LANGUAGE_TAG.fullmatch(language):
                raise UsageError(f"not a valid language tag: {language!r}")
            return f"{text}@{language}"
        if datatype is not None:
            return f"{text}^^{sparql_iri(datatype)}"
        return text
    if kind == "bnode":
        raise UsageError("a blank node cannot be bound as a query parameter")
    raise UsageError(f"cannot bind {term!r}: not an IRI or a literal")


def values_block(bindings: Mapping[str, Term | Node]) -> str:
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
    return query_groups(text)[0]


def query_groups(text: str) -> tuple[int | None, list[tuple[int, set[str]]]]:
    """Where VALUES blocks may go: the offset just after the ``{`` of the query's WHERE
    group (``None`` when it has none that may hold VALUES), and for each sub-query the
    offset just after its group's ``{`` with the variables used in that sub-query
    itself (its projection and group, not the sub-queries nested in it)."""
    form = None
    depth = parens = 0
    template_done = False
    where_start = None
    # open sub-queries: [depth of their group's brace or None while in the projection,
    # offset after that brace, variables used]
    scopes: list[list] = []
    done: list[tuple[int, set[str]]] = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "skip":
            if token[0] in "?$" and scopes:
                scopes[-1][2].add(token[1:])
            continue
        if kind == "paren":
            parens += 1 if token == "(" else -1
            continue
        if kind == "word":
            word = token.lower()
            if depth == 0 and form is None and word in QUERY_FORMS:
                form = word
            elif depth == 0 and form == "construct" and not template_done \
                    and word == "where":
                return None, []  # CONSTRUCT WHERE { triples }: no VALUES allowed inside
            elif depth > 0 and word == "select":
                scopes.append([None, 0, set()])
            continue
        if kind == "open":
            if depth == 0 and parens == 0 and form is not None and where_start is None:
                if form != "construct" or template_done:
                    where_start = match.end()
            elif scopes and scopes[-1][0] is None and parens == 0:
                scopes[-1][0], scopes[-1][1] = depth, match.end()
            depth += 1
            continue
        if kind == "close":
            depth -= 1
            if scopes and scopes[-1][0] == depth:
                _, offset, variables = scopes.pop()
                done.append((offset, variables))
            if depth == 0 and form == "construct":
                template_done = True
    return where_start, sorted(done)


def bind_with_values(text: str, bindings: Mapping[str, Term | Node] | None) -> str:
    """``text`` with ``bindings`` added as a VALUES block at the start of its WHERE
    group (or, failing one, as a trailing VALUES clause), and at the start of each
    sub-query that uses a bound variable.

    >>> from rdflib import URIRef
    >>> bind_with_values("SELECT ?n WHERE { ?a <p> ?n }",
    ...                  {"a": URIRef("https://example.org/x")})
    'SELECT ?n WHERE { VALUES (?a) { (<https://example.org/x>) } ?a <p> ?n }'
    >>> bind_with_values("SELECT ?n { { SELECT ?n { ?a <p> ?n } } }",
    ...                  {"a": URIRef("https://example.org/x")})
    'SELECT ?n { VALUES (?a) { (<https://example.org/x>) } { SELECT ?n { VALUES (?a) { (<https://example.org/x>) } ?a <p> ?n } } }'
    """
    if not bindings:
        return text
    block = values_block(bindings)
    start, sub_queries = query_groups(text)
    if start is None:
        return f"{text}\n{block}\n"
    inserts = [(start, block)]
    for offset, variables in sub_queries:
        used = {name: term for name, term in bindings.items() if name in variables}
        if used:
            inserts.append((offset, values_block(used)))
    # from the end, so earlier offsets stay valid
    for offset, insert in sorted(inserts, reverse=True):
        text = f"{text[:offset]} {insert}{text[offset:]}"
    return text


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


UPDATE_KEYWORDS = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move",
                   "add", "with"}


def refuse_update(text: str, source=None) -> None:
    """A UsageError when ``text`` is a SPARQL Update rather than a query: kgraph only
    reads, and parsers would otherwise say "expected SELECT or CONSTRUCT"."""
    from ..errors import UsageError

    for match in TOKEN.finditer(text):
        if match.lastgroup != "word":
            continue
        word = match.group().lower()
        if word in ("prefix", "base"):
            continue
        if word in UPDATE_KEYWORDS:
            raise UsageError(f"this is a SPARQL Update ({word.upper()}); updates are not "
                             "allowed: kgraph runs queries only (SELECT, ASK, CONSTRUCT, "
                             "DESCRIBE)", path=source)
        return


def strip_comments_and_strings(text: str) -> str:
    """``text`` with comments, strings and IRIs blanked out (a ``#`` inside an IRI is
    not a comment; a keyword or variable inside a string is not one)."""
    return TOKEN.sub(lambda m: " " if m.lastgroup == "skip" and m.group()[0] in "#'\"<"
                     else m.group(), text)
