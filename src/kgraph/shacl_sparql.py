"""SHACL Core shapes as SPARQL queries, run on the backend itself.

pySHACL validates an rdflib graph, so a store such as Oxigraph had to be copied into one
first (16 s and +570 MB at a million triples) before pySHACL's ~190 s of per-node
Python. Here every shape becomes a few SPARQL 1.1 SELECT queries that the store answers
in one pass over the focus nodes of the shape's targets.

The results are pySHACL's (the reference, still used on the memory backend), field by
field: severity, focus node, path, message, source shape and value, with the same
number of results. That means copying pySHACL's conventions, not only the SHACL
specification's:

- sh:minCount, sh:maxCount, sh:hasValue and sh:uniqueLang report no value; constraints
  of a node shape report the focus node as value and no path.
- sh:datatype accepts a literal when rdflib can read its lexical form: xsd:integer as
  Python's ``int()`` reads it, xsd:date as rdflib's date parser does; datatypes rdflib
  has no parser for (xsd:gYear, xsd:anyURI, …) are not checked beyond their IRI.
- sh:pattern honours only the ``i`` and ``m`` flags; a blank node fails sh:pattern and
  sh:minLength (unless the minimum is 0); a literal fails sh:class.
- sh:minInclusive follows rdflib's literal ordering: numbers compare by value, strings
  fail, and other datatypes compare by their datatype IRI.
- sh:languageIn matches a tag or its first subtag, ignoring case.
- A value that fails sh:node gives one result, of sh:NodeConstraintComponent with the
  value; the nested shape's own results on that value are pySHACL's ``sh:detail``
  explanations, not results of the report, and are not queried.
- In sh:or and sh:not, a nested shape of severity sh:Warning or sh:Info always conforms
  (pySHACL runs with warnings allowed); sh:node fails on any nested result.
- A message missing from the shape is generated with pySHACL's own wording.

Every condition sits inside ``COALESCE(…, false)``: a FILTER whose expression raises an
error drops the row, which would hide a violation. Comparisons use sameTerm, not ``=``,
and guard types explicitly, because rdflib and Oxigraph differ on what ``=`` or ``>=``
between unlike terms returns.

Only the part of SHACL Core that ``ontology/shapes.ttl`` uses is supported (targets
sh:targetClass and sh:targetSubjectsOf; paths that are an IRI or sh:inversePath; the
constraints in :data:`COMPONENTS`; sh:property on node shapes; sh:severity, sh:message,
sh:deactivated); anything else raises :class:`UnsupportedShape` naming the shape and
the feature, never a silently skipped check.

Where the results can still differ from pySHACL's:

- The stores themselves: rdflib and Oxigraph each normalise typed literals their own
  way when loading (Oxigraph keeps ``" 5 "^^xsd:integer`` or ``"1_000"`` as written,
  where rdflib reads 5 and 1000; it stores ``"1"^^xsd:int`` as an xsd:integer), so a
  pattern, length or comparison on such a value can differ between backends.
- A message pySHACL generates for a shape without sh:message writes a blank node with
  its triples, which a SPARQL result does not carry (it is written ``[ ]``), and a
  language tag in Oxigraph's case.
- A shape with several sh:message: pySHACL keeps one in hashing order, this module the
  first in sorted order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node, XSDToPython

from .backends import Backend
from .backends.sparql_values import sparql_term
from .errors import BackendError, InputError, UsageError
from .namespaces import bind_prefixes
from .paths import SHAPES_FILE
from .results import compact
from .validate import ValidationResult, describe_path, describe_shape, severity_name


class UnsupportedShape(InputError):
    """A shape uses a part of SHACL that cannot be checked as SPARQL here."""


#: Constraint parameter → the constraint component a result names.
COMPONENTS: dict[URIRef, URIRef] = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}
#: Constraints checked on each value node, in the order their checks are reported.
VALUE_PARAMETERS = [SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minLength,
                    SH["in"], SH.languageIn, SH.minInclusive, SH.node, SH["or"],
                    SH["not"]]
#: Predicates that structure shapes or only annotate them (pySHACL reads the
#: annotations for its report, or not at all).
STRUCTURE = {SH.path, SH.property, SH.targetClass, SH.targetSubjectsOf, SH.flags}
ANNOTATIONS = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated,
               SH.order, SH.group}
SUPPORTED = set(COMPONENTS) | STRUCTURE | ANNOTATIONS
#: Predicates that make their subject a shape, supported or not (so that an unsupported
#: one is refused, not ignored).
SHAPE_MARKERS = set(COMPONENTS) | {SH.path, SH.property, SH.targetClass,
                                   SH.targetSubjectsOf, SH.targetNode,
                                   SH.targetObjectsOf, SH.target}

#: pySHACL runs with warnings and infos allowed: a nested shape of these severities
#: always conforms, and their results never make a shape fail.
ALLOWED_SEVERITIES = {SH.Warning, SH.Info}

NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}

# Lexical forms rdflib reads (so pySHACL accepts) for the datatypes it parses. SPARQL
# regular expressions run in Python (rdflib) and Rust (Oxigraph): no look-around, and
# [\s\x1c-\x1f] because Python's \s and str.strip() include \x1c-\x1f, Rust's \s not.
SPACE = r"[\s\x1c-\x1f]"
PYTHON_INT = rf"^{SPACE}*[+-]?\d+(?:_\d+)*{SPACE}*$"
YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
LEAP_YEAR = (r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])"
             r"|(?:0[48]|[2468][048]|[13579][26])00)")
MONTH_DAY = (r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
             r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))")


def years_with_week_53() -> str:
    """A regular expression for the four-digit years that have an ISO week 53.

    The Gregorian calendar repeats every 400 years, so whether a year has one depends
    on its last two digits and on its first two modulo 4, which a pattern can test.
    """
    centuries = [r"(?:[02468][048]|[13579][26])", r"(?:[02468][159]|[13579][37])",
                 r"(?:[02468][26]|[13579][048])", r"(?:[02468][37]|[13579][159])"]
    branches = []
    for century, pattern in enumerate(centuries):
        years = [f"{y:02d}" for y in range(100)
                 if date(2000 + 100 * century + y, 12, 28).isocalendar()[1] == 53]
        branches.append(f"{pattern}(?:{'|'.join(years)})")
    return "(?:" + "|".join(branches) + ")"


# Python's date.fromisoformat also reads ISO week dates (week 53 only in a year that
# has one).
ISO_DATE = (rf"(?:{YEAR}-{MONTH_DAY}|{LEAP_YEAR}-02-29"
            rf"|{YEAR}-W(?:0[1-9]|[1-4][0-9]|5[0-2])(?:-[1-7])?"
            rf"|{years_with_week_53()}-W53(?:-[1-7])?)")
# rdflib's parse_xsd_date drops a final Z, everything from a T, a +hh:mm zone or a
# -hh:mm zone (the last "-" part when it holds a colon), then needs a "-" and an ISO date.
RDFLIB_DATE = (rf"^(?:{ISO_DATE}[Zz]?|{ISO_DATE}T[\s\S]*|{ISO_DATE}\+[^+T]*"
               rf"|{ISO_DATE}-[^-+T]*:[^-+T]*)$")
XSD_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"
XSD_DOUBLE = r"^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN)$"

#: rdflib's numeric datatypes (its Literal ordering compares these by value).
INTEGER_TYPES = [XSD[name] for name in (
    "integer", "int", "long", "short", "byte", "negativeInteger", "nonNegativeInteger",
    "nonPositiveInteger", "positiveInteger", "unsignedByte", "unsignedInt",
    "unsignedLong", "unsignedShort")]
NUMERIC_LEXICAL = {**{t: PYTHON_INT for t in INTEGER_TYPES},
                   XSD.decimal: XSD_DECIMAL, XSD.double: XSD_DOUBLE, XSD.float: XSD_DOUBLE}
#: Datatypes whose values rdflib keeps as Python strings: they never compare with a
#: number in sh:minInclusive.
STRING_VALUED = [XSD.string, XSD.normalizedString, XSD.token, XSD.language, XSD.anyURI]
#: Datatypes whose values rdflib compares as datetime/time objects: never with a number.
TIME_VALUED = [XSD.dateTime, XSD.time]
#: Datatypes rdflib parses, with the lexical forms it accepts; sh:datatype with any
#: other parsed datatype is refused rather than checked differently from pySHACL.
PARSED_DATATYPES = {XSD.integer: PYTHON_INT, XSD.date: RDFLIB_DATE}

#: Above this, a count inside sh:or/sh:not/sh:node would need too large a self-join.
NESTED_COUNT_LIMIT = 4

PROLOGUE = (f"PREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\nPREFIX xsd: <{XSD}>\n")


@dataclass(frozen=True)
class Check:
    """One constraint a :class:`ShapeQuery` checks, answered by its ``?failN`` column.

    ``message`` is the shape's sh:message or, when ``generated``, pySHACL's message for
    the constraint as a ``str.format`` template with ``{focus}`` and ``{value}`` fields.
    """

    component: URIRef
    message: str
    generated: bool = False
    reports_value: bool = True
    language: str | None = None  # the sh:message's language tag


@dataclass(frozen=True)
class ShapeQuery:
    """A SELECT query for the constraints of one shape, and how to report its rows.

    Each row is one focus node (``?focus``) with, for value constraints, the value
    (``?value``), and a ``?failN`` flag per check (1 or 0; true for the count
    queries): every set one is a result.

    Attributes
    ----------
    text
        The SPARQL 1.1 query.
    severity
        ``Violation``, ``Warning`` or ``Info``.
    shape
        The source shape (an IRI or a blank node of the shapes graph).
    rule
        The shape as the report names it (``shapes.ttl kgsh:Actor-holds``).
    path
        The result path as reported (``kg:speaker``, ``^kg:judgedAct``; "" for a node
        shape).
    checks
        The constraints, in the order of the ``?failN`` columns.
    has_value
        Whether the query returns a ``?value`` column.
    """

    text: str
    severity: str
    shape: Node
    rule: str
    path: str
    checks: tuple[Check, ...]
    has_value: bool

    @property
    def components(self) -> tuple[URIRef, ...]:
        return tuple(check.component for check in self.checks)


@dataclass
class Shape:
    """What the compiler needs to know of one shape, read and checked once."""

    node: Node
    path: Node | None               # sh:path (None for a node shape)
    sparql_path: str                # the path in SPARQL ("" for a node shape)
    severity: URIRef
    message: Literal | None
    deactivated: bool
    targets: list[tuple[URIRef, URIRef]]      # (sh:targetClass or …SubjectsOf, term)
    properties: list[Node] = field(default_factory=list)
    parameters: dict[URIRef, list[Node]] = field(default_factory=dict)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def values(self, parameter: URIRef) -> list[Node]:
        return self.parameters.get(parameter, [])


@dataclass(frozen=True)
class Condition:
    """A SPARQL boolean expression that never raises an error, and the patterns
    (OPTIONAL blocks) it needs in the group where it is evaluated.

    ``expr`` is always a primary expression (a call, EXISTS, a bracketed expression)
    or the negation of one, so conditions combine without precedence surprises.
    """

    expr: str
    patterns: tuple[str, ...] = ()


TRUE = Condition("true")
FALSE = Condition("false")


def _combine(conditions: list[Condition], operator: str, identity: Condition,
             absorbing: Condition) -> Condition:
    """``conditions`` joined by ``operator``: ``identity`` drops out, ``absorbing``
    decides the whole (true and false for ``&&``, the other way round for ``||``)."""
    conditions = [c for c in conditions if c != identity]
    if not conditions:
        return identity
    if absorbing in conditions:
        return absorbing
    return Condition("(" + f" {operator} ".join(c.expr for c in conditions) + ")",
                     tuple(p for c in conditions for p in c.patterns))


def all_of(conditions: list[Condition]) -> Condition:
    return _combine(conditions, "&&", TRUE, FALSE)


def any_of(conditions: list[Condition]) -> Condition:
    return _combine(conditions, "||", FALSE, TRUE)


def negate(condition: Condition) -> Condition:
    if condition == TRUE:
        return FALSE
    if condition == FALSE:
        return TRUE
    # SPARQL's grammar has no "!!": a leading "!" always applies to the whole (primary)
    # expression, so negating it drops it
    if condition.expr.startswith("!"):
        return Condition(condition.expr[1:], condition.patterns)
    return Condition(f"!{condition.expr}", condition.patterns)


def safe(expr: str) -> Condition:
    """An expression that may raise a SPARQL error, with the error counted as false."""
    return Condition(f"COALESCE({expr}, false)")


@dataclass(frozen=True)
class Context:
    """Where a shape is validated: the focus nodes of the ``root`` shape's targets,
    followed along ``steps`` (SPARQL paths) when the shape is reached through the
    sh:node of a property shape. pySHACL validates the shape once per distinct chain."""

    root: Node
    steps: tuple[str, ...] = ()


# ----------------------------------------------------------------------- reading shapes

class ShapesReader:
    """Reads shapes from the shapes graph, refusing what the compiler cannot check."""

    def __init__(self, graph: Graph, source: str | Path | None = None) -> None:
        self.graph = graph
        self.source = source
        self.cache: dict[Node, Shape] = {}
        self.reading: set[Node] = set()  # shapes being read, to catch a cycle

    def unsupported(self, node: Node, what: str) -> UnsupportedShape:
        return UnsupportedShape(f"shape {self.name(node)}: {what} is not supported when "
                                "validating as SPARQL (use the memory backend)",
                                path=self.source)

    def name(self, node: Node) -> str:
        """The shape as a person finds it in the file: its IRI, sh:name or sh:path, or
        the shape it is nested in."""
        if isinstance(node, URIRef):
            return compact(node)
        described = describe_shape(self.graph, node)
        if described != "(shape)":
            return f"[{described}]"
        holder = next(self.graph.subject_predicates(node), None)
        while holder is not None and holder[1] in (RDF.first, RDF.rest):
            holder = next(self.graph.subject_predicates(holder[0]), None)
        if holder is None:
            return "[a blank node]"
        return f"[the {compact(holder[1])} of {self.name(holder[0])}]"

    def shape_nodes(self) -> list[Node]:
        """Every node that is a shape by its type or by a predicate only shapes have
        (a target, sh:path, sh:property, a constraint parameter), in graph order."""
        nodes: dict[Node, None] = {}
        for subject in self.graph.subjects(RDF.type, SH.NodeShape):
            nodes[subject] = None
        for subject in self.graph.subjects(RDF.type, SH.PropertyShape):
            nodes[subject] = None
        for subject, predicate in self.graph.subject_predicates():
            if predicate in SHAPE_MARKERS:
                nodes[subject] = None
        return list(nodes)

    def one(self, node: Node, predicate: URIRef, what: str) -> Node | None:
        values = list(self.graph.objects(node, predicate))
        if len(values) > 1:
            raise self.unsupported(node, f"more than one {what}")
        return values[0] if values else None

    def shape(self, node: Node) -> Shape:
        """The shape at ``node``, read with every shape it refers to."""
        if node not in self.cache:
            if node in self.reading:
                raise self.unsupported(node, "a recursive shape (one that refers to "
                                             "itself)")
            self.reading.add(node)
            self.cache[node] = self.read(node)
            self.reading.discard(node)
        return self.cache[node]

    def read(self, node: Node) -> Shape:
        # Any node can be a shape: one named by sh:node, sh:or, … with no triples of its
        # own is an empty shape, which every node conforms to (as in pySHACL).
        graph = self.graph
        for predicate in graph.predicates(node):
            if str(predicate).startswith(str(SH)) and predicate not in SUPPORTED:
                raise self.unsupported(node, compact(predicate))
        path = self.one(node, SH.path, "sh:path")
        severity = self.one(node, SH.severity, "sh:severity")
        deactivated = self.one(node, SH.deactivated, "sh:deactivated")
        if deactivated is not None and not isinstance(deactivated, Literal):
            raise self.unsupported(node, "a non-literal sh:deactivated")
        # pySHACL reports every sh:message and the report keeps one of them: pick one
        # that does not depend on hashing order.
        messages = sorted(graph.objects(node, SH.message), key=str)
        shape = Shape(
            node=node, path=path,
            sparql_path=self.sparql_path(node, path) if path is not None else "",
            severity=severity if severity is not None else SH.Violation,
            message=messages[0] if messages else None,
            # pySHACL's own reading: the Python truth of the literal's value
            deactivated=bool(deactivated.value) if deactivated is not None else False,
            targets=[(p, t) for p in (SH.targetClass, SH.targetSubjectsOf)
                     for t in graph.objects(node, p)])
        for kind, term in shape.targets:
            if not isinstance(term, URIRef):
                raise self.unsupported(node, f"a {compact(kind)} that is not an IRI")
        if any(t in ((RDFS.Class,) + tuple(graph.subjects(RDFS.subClassOf, RDFS.Class)))
               for t in graph.objects(node, RDF.type)):
            raise self.unsupported(node, "an implicit class target (a shape that is a "
                                         "class)")
        shape.properties = list(graph.objects(node, SH.property))
        if shape.properties and shape.is_property:
            raise self.unsupported(node, "sh:property on a property shape")
        for parameter in COMPONENTS:
            values = list(graph.objects(node, parameter))
            if values:
                shape.parameters[parameter] = values
        self.check_parameters(shape)
        return shape

    def sparql_path(self, node: Node, path: Node) -> str:
        if isinstance(path, URIRef):
            return self.iri(node, path)
        inverse = list(self.graph.objects(path, SH.inversePath))
        if (isinstance(path, BNode) and len(inverse) == 1
                and isinstance(inverse[0], URIRef)
                and len(list(self.graph.predicate_objects(path))) == 1):
            return "^" + self.iri(node, inverse[0])
        raise self.unsupported(node, "a complex sh:path (only an IRI or sh:inversePath)")

    def iri(self, node: Node, term: Node) -> str:
        try:
            return sparql_term(term)
        except UsageError as exc:
            raise self.unsupported(node, f"a term SPARQL cannot hold ({exc.message})") \
                from None

    def items(self, node: Node, head: Node, what: str) -> list[Node]:
        try:
            return list(self.graph.items(head))
        except Exception:
            raise self.unsupported(node, f"a {what} that is not an RDF list") from None

    def check_parameters(self, shape: Shape) -> None:
        """Refuse parameter values pySHACL would reject or read in ways the queries do
        not copy."""
        node = shape.node
        for parameter in (SH.minCount, SH.maxCount, SH.minLength):
            values = shape.values(parameter)
            if len(values) > 1:
                raise self.unsupported(node, f"more than one {compact(parameter)}")
            if values and not (isinstance(values[0], Literal)
                               and values[0].datatype in INTEGER_TYPES
                               and isinstance(values[0].value, int)
                               and values[0].value >= 0):
                raise self.unsupported(node, f"a {compact(parameter)} that is not a "
                                             "non-negative integer")
        for parameter in (SH.minCount, SH.maxCount, SH.uniqueLang):
            if shape.values(parameter) and not shape.is_property:
                raise self.unsupported(node, f"{compact(parameter)} on a node shape")
        for parameter in (SH.datatype, SH.nodeKind, SH["in"], SH.languageIn,
                          SH.uniqueLang, SH.flags):
            self.one(node, parameter, compact(parameter))
        for term in shape.values(SH["class"]):
            self.iri(node, term)
        for datatype in shape.values(SH.datatype):
            if not isinstance(datatype, URIRef) or (
                    datatype not in PARSED_DATATYPES and rdflib_parses(datatype)):
                raise self.unsupported(node, f"sh:datatype {compact(datatype)} (no "
                                             "lexical check matching rdflib's)")
        for kind in shape.values(SH.nodeKind):
            if kind not in NODE_KINDS:
                raise self.unsupported(node, f"sh:nodeKind {compact(kind)}")
        for pattern in shape.values(SH.pattern):
            if not isinstance(pattern, Literal):
                raise self.unsupported(node, "a non-literal sh:pattern")
            try:
                re.compile(str(pattern))
            except re.error as exc:
                raise self.unsupported(node, f"sh:pattern {str(pattern)!r} ({exc})") \
                    from None
        for head in shape.values(SH["in"]):
            for item in self.items(node, head, "sh:in"):
                if isinstance(item, BNode):
                    raise self.unsupported(node, "a blank node in sh:in")
                self.iri(node, item)
        for head in shape.values(SH.languageIn):
            for item in self.items(node, head, "sh:languageIn"):
                if not isinstance(item, Literal) or not isinstance(item.value, str):
                    raise self.unsupported(node, "a sh:languageIn item that is not a "
                                                 "string")
        for minimum in shape.values(SH.minInclusive):
            if not (isinstance(minimum, Literal) and minimum.datatype in NUMERIC_LEXICAL
                    and minimum.value is not None and not minimum.ill_typed):
                raise self.unsupported(node, "a sh:minInclusive that is not a number")
        for value in shape.values(SH.hasValue):
            if isinstance(value, BNode):
                raise self.unsupported(node, "a blank node as sh:hasValue")
            self.iri(node, value)
        for flag in shape.values(SH.uniqueLang):
            if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
                raise self.unsupported(node, "a sh:uniqueLang that is not a boolean")
        for nested in shape.values(SH.node):
            if self.shape(nested).is_property:
                raise self.unsupported(node, "sh:node pointing to a property shape")
        for head in shape.values(SH["or"]):
            members = self.items(node, head, "sh:or")
            if not members:
                raise self.unsupported(node, "an empty sh:or")
            for member in members:
                self.shape(member)
        for nested in shape.values(SH["not"]):
            self.shape(nested)
        for nested in shape.properties:
            if not self.shape(nested).is_property:
                raise self.unsupported(node, "sh:property pointing to a node shape")


def rdflib_parses(datatype: URIRef) -> bool:
    """Whether rdflib turns literals of ``datatype`` into Python values (and so may
    find them ill-typed, which pySHACL reports)."""
    return XSDToPython.get(datatype) is not None or datatype in (RDF.HTML, RDF.XMLLiteral)


def regex_literal(pattern: str) -> str:
    return sparql_term(Literal(pattern))


# -------------------------------------------------------------------------- compiling

class ShapesCompiler:
    """Turns the shapes of a :class:`ShapesReader` into :class:`ShapeQuery` objects."""

    def __init__(self, reader: ShapesReader) -> None:
        self.reader = reader
        self.counter = 0

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"?{stem}{self.counter}"

    def exists(self, group: str) -> Condition:
        """Whether ``group`` has a match, as a flag an OPTIONAL sets rather than an
        EXISTS: Virtuoso 7.2 cannot compile two EXISTS in one expression
        (``EXISTS {…} || NOT EXISTS {…}``: SQ074) nor an EXISTS reading a BINDed
        variable. The OPTIONAL's extra rows are merged by the query's DISTINCT."""
        flag = self.fresh("found")
        return Condition(f"BOUND({flag})",
                         (f"OPTIONAL {{ {group} BIND(true AS {flag}) }}",))

    # ------------------------------------------------------------- value conditions

    def passes(self, shape: Shape, parameter: URIRef, value: Node, var: str) -> Condition:
        """Whether the value node ``var`` meets one constraint (one parameter value)."""
        if parameter == SH["class"]:
            flag = self.fresh("isa")
            return Condition(f"BOUND({flag})", (
                f"OPTIONAL {{ {instance_pattern(var, value, self.fresh('type'))} "
                f"BIND(true AS {flag}) }}",))
        if parameter == SH.datatype:
            return datatype_condition(value, var)
        if parameter == SH.nodeKind:
            return Condition(NODE_KINDS[value].format(v=var))
        if parameter == SH.pattern:
            # pySHACL lower-cases sh:flags and applies only i and m
            flags = self.reader.one(shape.node, SH.flags, "sh:flags")
            used = "".join(f for f in "im" if flags is not None and f in str(flags).lower())
            flag_argument = f", {regex_literal(used)}" if used else ""
            return safe(f"!isBlank({var}) && REGEX(STR({var}), {regex_literal(str(value))}"
                        f"{flag_argument})")
        if parameter == SH.minLength:
            if value.value == 0:
                return TRUE  # pySHACL passes even a blank node then
            return safe(f"!isBlank({var}) && STRLEN(STR({var})) >= {value.value}")
        if parameter == SH["in"]:
            members = self.reader.items(shape.node, value, "sh:in")
            return any_of([same_term(var, member) for member in members])
        if parameter == SH.languageIn:
            wanted = sorted({str(item).lower() for item in self.reader.graph.items(value)})
            if not wanted:
                return FALSE
            if "*" in wanted:
                return safe(f'LANG({var}) != ""')
            tags = ", ".join(sparql_term(Literal(tag)) for tag in wanted)
            return safe(f'LANG({var}) != "" && (LCASE(LANG({var})) IN ({tags}) || '
                        f'STRBEFORE(CONCAT(LCASE(LANG({var})), "-"), "-") IN ({tags}))')
        if parameter == SH.minInclusive:
            return min_inclusive_condition(value, var)
        if parameter == SH.hasValue:  # on a node shape: the focus node itself
            return same_term(var, value)
        if parameter == SH.node:
            return negate(self.reports_any(self.reader.shape(value), var))
        if parameter == SH["or"]:
            return any_of([self.conforms(self.reader.shape(member), var)
                           for member in self.reader.items(shape.node, value, "sh:or")])
        if parameter == SH["not"]:
            return negate(self.conforms(self.reader.shape(value), var))
        raise AssertionError(f"no value condition for {parameter}")  # pragma: no cover

    def value_constraints(self, shape: Shape) -> list[tuple[URIRef, Node]]:
        """(parameter, value) of each per-value constraint, one per parameter value:
        pySHACL reports each sh:class, sh:pattern, sh:or, … value separately."""
        found = [(p, v) for p in VALUE_PARAMETERS for v in shape.values(p)]
        if not shape.is_property:
            found += [(SH.hasValue, v) for v in shape.values(SH.hasValue)]
        return found

    # ----------------------------------------------------- nested shape conditions

    def direct_failure(self, shape: Shape, var: str) -> Condition:
        """Whether one of the shape's own constraints reports on the focus ``var``."""
        if not shape.is_property:
            return any_of([negate(self.passes(shape, p, v, var))
                           for p, v in self.value_constraints(shape)])
        path = shape.sparql_path
        failures = []
        value = self.fresh("x")
        each = all_of([self.passes(shape, p, v, value)
                       for p, v in self.value_constraints(shape)])
        if each != TRUE:
            failures.append(self.exists(
                f"{var} {path} {value} . {' '.join(each.patterns)} "
                f"FILTER({negate(each).expr})"))
        for minimum in shape.values(SH.minCount):
            if minimum.value > 0:
                failures.append(negate(self.distinct_values(shape, var, minimum.value)))
        for maximum in shape.values(SH.maxCount):
            failures.append(self.distinct_values(shape, var, maximum.value + 1))
        for required in shape.values(SH.hasValue):
            failures.append(negate(self.exists(f"{var} {path} {sparql_term(required)} .")))
        if any(flag.value for flag in shape.values(SH.uniqueLang)):
            first, second = self.fresh("x"), self.fresh("x")
            failures.append(self.exists(
                f"{var} {path} {first} . {var} {path} {second} . "
                f"FILTER({same_language(first, second)})"))
        return any_of(failures)

    def distinct_values(self, shape: Shape, var: str, count: int) -> Condition:
        """Whether ``var`` has at least ``count`` distinct values on the shape's path."""
        if count > NESTED_COUNT_LIMIT:
            raise self.reader.unsupported(shape.node, f"a count above {NESTED_COUNT_LIMIT} "
                                                      "in a nested shape")
        values = [self.fresh("x") for _ in range(count)]
        triples = " ".join(f"{var} {shape.sparql_path} {v} ." for v in values)
        different = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(values)
                                for b in values[i + 1:])
        return self.exists(triples + (f" FILTER({different})" if different else ""))

    def reports_any(self, shape: Shape, var: str) -> Condition:
        """Whether validating ``var`` against the shape gives any result (sh:node)."""
        if shape.deactivated:
            return FALSE
        return any_of([self.direct_failure(shape, var)]
                      + [self.reports_any(self.reader.shape(p), var)
                         for p in shape.properties])

    def conforms(self, shape: Shape, var: str) -> Condition:
        """pySHACL's conformance of ``var`` to the shape (sh:or, sh:not)."""
        if shape.deactivated or shape.severity in ALLOWED_SEVERITIES:
            return TRUE
        return negate(self.reports_blocking(shape, var))

    def reports_blocking(self, shape: Shape, var: str) -> Condition:
        """Whether the shape gives a result whose severity is not allowed."""
        if shape.deactivated:
            return FALSE
        own = [] if shape.severity in ALLOWED_SEVERITIES else [
            self.direct_failure(shape, var)]
        return any_of(own + [self.reports_blocking(self.reader.shape(p), var)
                             for p in shape.properties])

    # --------------------------------------------------------------------- contexts

    def contexts(self) -> dict[Node, list[Context]]:
        """Every shape that produces results, with the contexts it is validated in."""
        found: dict[Node, list[Context]] = {}

        def visit(shape: Shape, context: Context) -> None:
            found.setdefault(shape.node, []).append(context)
            for node in shape.properties:
                nested = self.reader.shape(node)
                if not nested.deactivated:
                    visit(nested, context)
            # a value that fails sh:node adds the nested shape's results on that value
            value_context = Context(context.root, context.steps + (shape.sparql_path,)) \
                if shape.is_property else context
            for node in shape.values(SH.node):
                nested = self.reader.shape(node)
                if not nested.deactivated:
                    visit(nested, value_context)

        for node in self.reader.shape_nodes():
            shape = self.reader.shape(node)
            if shape.targets and not shape.deactivated:
                visit(shape, Context(node))
        return found

    def focus_block(self, contexts: list[Context]) -> tuple[str, list[str]]:
        """A group pattern binding ``?focus`` in every context, and the key variables
        (besides ``?focus``) that keep the chains of nodes apart.

        Its rows may repeat (a node reached through two targets): each query counts
        distinct keys. It is a subquery so that Oxigraph finds the focus nodes first
        (joined flat, it may start from the path's triples and run every target per
        triple), without DISTINCT, which would make rdflib join it by a nested loop.
        """
        keys = ["?ctx"]
        branches = []
        for number, context in enumerate(contexts):
            chain = [f"?via{number}_{i}" for i in range(len(context.steps))] + ["?focus"]
            keys.extend(chain[:-1])
            shape = self.reader.shape(context.root)
            targets = " UNION ".join("{ " + target_pattern(kind, term, chain[0]) + " }"
                                     for kind, term in shape.targets)
            steps = "".join(f" {a} {step} {b} ." for a, step, b
                            in zip(chain, context.steps, chain[1:]))
            branches.append(f"{{ {targets}{steps} BIND({number} AS ?ctx) }}")
        block = "\n    UNION ".join(branches)
        return f"{{ SELECT {' '.join(keys)} ?focus WHERE {{\n    {block}\n  }} }}", keys

    # ---------------------------------------------------------------------- queries

    def queries(self) -> list[ShapeQuery]:
        out = []
        for node, contexts in self.contexts().items():
            # a context reached through sh:node gives sh:detail explanations only
            contexts = [context for context in contexts if not context.steps]
            if not contexts:
                continue
            shape = self.reader.shape(node)
            focus, keys = self.focus_block(contexts)
            head = " ".join(keys)
            out.extend(query for query in (self.value_query(shape, focus, head),
                                           self.count_query(shape, focus, head))
                       if query is not None)
            if shape.is_property:
                out.extend(self.has_value_queries(shape, focus, head))
                out.extend(self.unique_lang_queries(shape, focus, head))
        return out

    def value_query(self, shape: Shape, focus: str, keys: str) -> ShapeQuery | None:
        """Every per-value constraint of the shape, one ``?failN`` column each."""
        checks, conditions = [], []
        # a node shape's value node is its focus node: its conditions read ?focus,
        # which is projected as ?value (a ?value made by BIND and read in EXISTS
        # is refused by Virtuoso 7.2's compiler: SP031 "triple not found")
        var = "?value" if shape.is_property else "?focus"
        for parameter, value in self.value_constraints(shape):
            checks.append(self.check(shape, parameter, value,
                                     reports_value=parameter != SH.hasValue))
            conditions.append(self.passes(shape, parameter, value, var))
        if not checks:
            return None
        patterns = "\n  ".join(p for c in conditions for p in c.patterns)
        # flags are the integers 1 and 0, not booleans, and the FILTER compares them:
        # Virtuoso 7.2 projected BINDed booleans wrongly (0 on the very row that
        # FILTER(?flag) kept; one flag's value under another's name) and has no
        # boolean values anyway (true is 1)
        binds = "\n  ".join(f"BIND(IF({negate(c).expr}, 1, 0) AS ?fail{i})"
                            for i, c in enumerate(conditions))
        fails = [f"?fail{i}" for i in range(len(checks))]
        value = f"?focus {shape.sparql_path} ?value ." if shape.is_property else ""
        projected = "?value" if shape.is_property else "(?focus AS ?value)"
        return self.query(shape, checks, True, f"""\
SELECT DISTINCT {keys} ?focus {projected} {' '.join(fails)} WHERE {{
  {focus}
  {value}
  {patterns}
  {binds}
  FILTER({' || '.join(f"{flag} = 1" for flag in fails)})
}}""")

    def count_query(self, shape: Shape, focus: str, keys: str) -> ShapeQuery | None:
        """sh:minCount and sh:maxCount, which report no value."""
        counts = [(SH.minCount, m, f"COUNT(DISTINCT ?value) < {m.value}")
                  for m in shape.values(SH.minCount) if m.value > 0]
        counts += [(SH.maxCount, m, f"COUNT(DISTINCT ?value) > {m.value}")
                   for m in shape.values(SH.maxCount)]
        if not counts:
            return None
        checks = [self.check(shape, p, m, reports_value=False) for p, m, _ in counts]
        if [(p, m.value) for p, m, _ in counts] == [(SH.minCount, 1)]:
            # "at least one": cheaper as NOT EXISTS than counting every focus node's values
            return self.query(shape, checks, False, f"""\
SELECT DISTINCT {keys} ?focus (true AS ?fail0) WHERE {{
  {focus}
  FILTER NOT EXISTS {{ ?focus {shape.sparql_path} ?value }}
}}""")
        columns = " ".join(f"(({test}) AS ?fail{i})"
                           for i, (_, _, test) in enumerate(counts))
        return self.query(shape, checks, False, f"""\
SELECT {keys} ?focus {columns} WHERE {{
  {focus}
  OPTIONAL {{ ?focus {shape.sparql_path} ?value }}
}}
GROUP BY {keys} ?focus
HAVING ({' || '.join(test for _, _, test in counts)})""")

    def has_value_queries(self, shape: Shape, focus: str, keys: str) -> list[ShapeQuery]:
        """sh:hasValue of a property shape, one query (and result) per value."""
        return [self.query(
            shape, [self.check(shape, SH.hasValue, required, reports_value=False)], False,
            f"""\
SELECT DISTINCT {keys} ?focus (true AS ?fail0) WHERE {{
  {focus}
  FILTER NOT EXISTS {{ ?focus {shape.sparql_path} {sparql_term(required)} }}
}}""") for required in shape.values(SH.hasValue)]

    def unique_lang_queries(self, shape: Shape, focus: str, keys: str) -> list[ShapeQuery]:
        """sh:uniqueLang true: one result per language (in lower case, as pySHACL
        compares tags) that two values share."""
        return [self.query(
            shape, [self.check(shape, SH.uniqueLang, flag, reports_value=False)], False,
            f"""\
SELECT DISTINCT {keys} ?focus ?language (true AS ?fail0) WHERE {{
  {focus}
  ?focus {shape.sparql_path} ?first .
  ?focus {shape.sparql_path} ?second .
  FILTER({same_language('?first', '?second')})
  BIND(LCASE(LANG(?first)) AS ?language)
}}""") for flag in shape.values(SH.uniqueLang) if flag.value]

    def query(self, shape: Shape, checks: list[Check], has_value: bool,
              text: str) -> ShapeQuery:
        return ShapeQuery(
            text=PROLOGUE + text + "\n", severity=severity_name(shape.severity),
            shape=shape.node, rule=rule_name(self.reader.graph, shape.node),
            path=describe_path(self.reader.graph, shape.path), checks=tuple(checks),
            has_value=has_value)

    # --------------------------------------------------------------------- messages

    def check(self, shape: Shape, parameter: URIRef, value: Node, *,
              reports_value: bool) -> Check:
        component = COMPONENTS[parameter]
        if shape.message is not None:
            return Check(component, str(shape.message), reports_value=reports_value,
                         language=getattr(shape.message, "language", None))
        return Check(component, self.generic_message(shape, parameter, value), True,
                     reports_value)

    def generic_message(self, shape: Shape, parameter: URIRef, value: Node) -> str:
        """pySHACL's message for a shape without sh:message, as a ``str.format``
        template: its ``{focus}`` and ``{value}`` are filled in per result."""
        graph = self.reader.graph

        def text(term: Node) -> str:  # a shapes-graph term, escaped for str.format
            return escaped(stringify_node(graph, term))

        values = shape.values(parameter)
        path = text(shape.path) if shape.path is not None else ""
        if parameter == SH.minCount:
            return f"Less than {value.value} values on {{focus}}->{path}"
        if parameter == SH.maxCount:
            return f"More than {value.value} values on {{focus}}->{path}"
        if parameter == SH["class"]:
            if len(values) < 2:
                return f"Value does not have class {text(values[0])}"
            return ("Value class is not in classes ("
                    + ", ".join(text(c) for c in values) + ")")
        if parameter == SH.datatype:
            return f"Value is not Literal with datatype {text(value)}"
        if parameter == SH.nodeKind:
            return f"Value is not of Node Kind {text(value)}"
        if parameter == SH.pattern:
            if len(values) < 2:
                return escaped(f"Value does not match pattern '{values[0].value}'")
            return escaped("Value does not match every pattern in ('"
                           + "', '".join(str(p.value) for p in values) + "')")
        if parameter == SH.minLength:
            # pySHACL formats the minimum with the data graph's prefixes
            return escaped("String length not >= "
                           + stringify_node(data_prefixes(), value))
        if parameter == SH["in"]:
            members = set(graph.items(value))  # a set, as pySHACL builds it
            return ("Value {value} not in list "
                    + escaped(str([stringify_node(graph, m) for m in members])))
        if parameter == SH.languageIn:
            return f"String language is not in {text(value)}"
        if parameter == SH.minInclusive:
            if len(values) < 2:
                return f"Value is not >= {text(values[0])}"
            return "Value is not >= in (" + ", ".join(text(m) for m in values) + ")"
        if parameter == SH.hasValue:
            the_set = escaped(str([stringify_node(graph, v) for v in set(values)]))
            if shape.is_property:
                return (f"Node {{focus}}->{path} does not contain a value in the set: "
                        f"{the_set}")
            return f"Node {{focus}} value is not a in the set of values: {the_set}"
        if parameter == SH.uniqueLang:
            return "More than one String shares the same Language"
        if parameter == SH.node:
            if len(values) < 2:
                return (f"Value does not conform to Shape {text(values[0])}. "
                        "See details for more information.")
            return ("Value must conform to every Shape in ('"
                    + "', '".join(text(n) for n in values)
                    + "'). See details for more information.")
        if parameter == SH["or"]:
            if len(values) < 2:
                members = " , ".join(text(m) for m in graph.items(values[0]))
            else:
                members = " and ".join(
                    "(" + " , ".join(text(m) for m in graph.items(head)) + ")"
                    for head in values)
            return f"Node {{value}} must conform to one or more shapes in {members}"
        if parameter == SH["not"]:
            if len(values) == 1:
                return f"Node {{value}} must not conform to shape {text(values[0])}"
            return ("Node {value} must not conform to any shapes in "
                    + " , ".join(text(n) for n in values))
        raise AssertionError(f"no message for {parameter}")  # pragma: no cover


def node_text(term: Node | None) -> str:
    """A focus or value node as pySHACL writes it in a generated message, with the data
    graph's prefixes (a blank node's triples are not at hand here: it is written as
    pySHACL writes one without any)."""
    return stringify_node(data_prefixes(), term) if term is not None else ""


def stringify_node(graph: Graph, term: Node) -> str:
    """pySHACL's own formatter, so that generated messages read exactly as its do."""
    from pyshacl.rdfutil import stringify_node as pyshacl_stringify

    return pyshacl_stringify(graph, term)


def escaped(text: str) -> str:
    """``text`` as literal text in a ``str.format`` template."""
    return text.replace("{", "{{").replace("}", "}}")


def instance_pattern(var: str, cls: Node, stem: str) -> str:
    """``var`` is an instance of ``cls`` or of a subclass (SHACL's rdf:type/
    rdfs:subClassOf*), with the path's far end free and compared by STR(): on a named
    graph, Virtuoso 7.2 follows a path whose both ends are bound (here the value and the
    class) for zero steps only, and reads sameTerm() or ``=`` against a constant as
    such a bound end."""
    return (f"{var} rdf:type {stem} . {stem} rdfs:subClassOf* {stem}_super . "
            f"FILTER(STR({stem}_super) = {sparql_term(Literal(str(cls)))})")


def target_pattern(kind: URIRef, term: URIRef, var: str) -> str:
    if kind == SH.targetClass:  # the focus end free: Virtuoso follows this path right
        return f"{var} rdf:type/rdfs:subClassOf* {sparql_term(term)} ."
    return f"{var} {sparql_term(term)} [] ."


def same_term(var: str, term: Node) -> Condition:
    """``var`` is the RDF term ``term``, compared by its parts: sameTerm() against a
    constant matches too much on Virtuoso 7.2 (it reads it as a join on the value),
    and Virtuoso stores an xsd:boolean as 1 or 0, so both lexical forms are taken."""
    if isinstance(term, URIRef):
        return safe(f"isIRI({var}) && STR({var}) = {sparql_term(Literal(str(term)))}")
    if not isinstance(term, Literal):
        return Condition(f"sameTerm({var}, {sparql_term(term)})")
    lexical = sparql_term(Literal(str(term)))
    if term.datatype == XSD.boolean and str(term) in ("true", "false"):
        lexical = f'{lexical}, "{1 if str(term) == "true" else 0}"'
    if term.language:
        kind = f"LCASE(LANG({var})) = {sparql_term(Literal(term.language.lower()))}"
    else:
        datatype = term.datatype or XSD.string
        kind = f'LANG({var}) = "" && STR(DATATYPE({var})) = ' \
               f"{sparql_term(Literal(str(datatype)))}"
    return safe(f"isLiteral({var}) && STR({var}) IN ({lexical}) && {kind}")


def same_language(first: str, second: str) -> str:
    return (f'COALESCE(isLiteral({first}) && LANG({first}) != "" && '
            f"!sameTerm({first}, {second}) && "
            f"LCASE(LANG({first})) = LCASE(LANG({second})), false)")


def datatype_condition(datatype: URIRef, var: str) -> Condition:
    """pySHACL's sh:datatype: the same datatype IRI and, for a datatype rdflib parses,
    a lexical form rdflib can read."""
    if datatype == RDF.langString:
        return safe(f'isLiteral({var}) && LANG({var}) != ""')
    if datatype == XSD.string:
        return safe(f'isLiteral({var}) && LANG({var}) = "" && DATATYPE({var}) = xsd:string')
    condition = f"isLiteral({var}) && DATATYPE({var}) = {sparql_term(datatype)}"
    if datatype in PARSED_DATATYPES:
        condition += f" && REGEX(STR({var}), {regex_literal(PARSED_DATATYPES[datatype])})"
    return safe(condition)


def min_inclusive_condition(minimum: Literal, var: str) -> Condition:
    """pySHACL's sh:minInclusive for a numeric minimum, which compares rdflib literals:
    a well-formed number by value; a string (any string-valued datatype) and a
    date-time or time never; anything else, ill-typed numbers included, by whether its
    datatype IRI sorts after the minimum's (rdflib orders unlike literals so), except
    an ill-typed literal of the minimum's own datatype, which fails."""
    by_pattern: dict[str, list[URIRef]] = {}
    for datatype, pattern in NUMERIC_LEXICAL.items():
        by_pattern.setdefault(pattern, []).append(datatype)
    numeric = " || ".join(
        f"(DATATYPE({var}) IN ({', '.join(sparql_term(t) for t in datatypes)}) && "
        f"REGEX(STR({var}), {regex_literal(pattern)}))"
        for pattern, datatypes in by_pattern.items())
    excluded = ", ".join(sparql_term(t) for t in STRING_VALUED + TIME_VALUED
                         + [minimum.datatype])
    number = safe(f"isLiteral({var}) && ({numeric})")
    by_value = safe(f"{var} >= {sparql_term(minimum)}")
    minimum_datatype = sparql_term(Literal(str(minimum.datatype)))
    by_datatype = safe(f'isLiteral({var}) && LANG({var}) = "" && '
                       f"!(DATATYPE({var}) IN ({excluded})) && "
                       f"STR(DATATYPE({var})) > {minimum_datatype}")
    return any_of([all_of([number, by_value]), all_of([negate(number), by_datatype])])


def rule_name(graph: Graph, shape: Node) -> str:
    """The report's rule column: the shapes file and the shape, as shacl_results
    names it."""
    return f"{SHAPES_FILE} " + (compact(shape) if isinstance(shape, URIRef)
                                else describe_shape(graph, shape))


@lru_cache(maxsize=1)
def data_prefixes() -> Graph:
    """An empty graph with kgraph's prefixes, those of every backend's data graph:
    pySHACL writes focus and value nodes with the data graph's prefixes."""
    return bind_prefixes(Graph())


# ------------------------------------------------------------------------------ API

def prepare(shapes: Graph, source: str | Path | None) -> ShapesCompiler:
    """A compiler for ``shapes``, every shape read and checked (nested ones too)."""
    reader = ShapesReader(shapes, source)
    for node in reader.shape_nodes():
        reader.shape(node)
    return ShapesCompiler(reader)


def compile_shapes(shapes: Graph, *, source: str | Path | None = None) -> list[ShapeQuery]:
    """Compile the SHACL Core shapes of ``shapes`` into SPARQL SELECT queries.

    Parameters
    ----------
    shapes
        The shapes graph (``ontology/shapes.ttl``).
    source
        The shapes file, named in errors.

    Returns
    -------
    list of ShapeQuery
        The queries whose rows are the validation results.

    Raises
    ------
    UnsupportedShape
        When a shape uses SHACL beyond the supported subset (sh:closed, sh:xone,
        SHACL-SPARQL, complex paths, …).
    """
    return prepare(shapes, source).queries()


def check_shapes(backend: Backend, shapes: Graph, *,
                 source: str | Path | None = None) -> list[ValidationResult]:
    """Validate the data in ``backend`` against ``shapes`` with SPARQL queries.

    Gives the same results as :func:`kgraph.validate.shacl_results` (pySHACL) on the
    same data, with labels and locations left empty for the caller to fill.

    Parameters
    ----------
    backend
        Any store; it is only queried.
    shapes
        The shapes graph.
    source
        The shapes file, named in errors.

    Raises
    ------
    UnsupportedShape
        When a shape cannot be checked as SPARQL.
    """
    return [result for _component, result in shape_results(backend, shapes, source=source)]


def shape_results(backend: Backend, shapes: Graph, *, source: str | Path | None = None
                  ) -> list[tuple[URIRef, ValidationResult]]:
    """:func:`check_shapes`, each result with the constraint component that gave it."""
    compiler = prepare(shapes, source)
    results = []
    for query in compiler.queries():
        answer = backend.query(query.text, source=f"<SHACL query for {query.rule}>")
        for record in answer.records():
            focus = record["focus"]
            value = record.get("value")
            for number, check in enumerate(query.checks):
                if not failed(record.get(f"fail{number}"), query):
                    continue
                message = check.message
                if check.generated:
                    message = message.format(focus=node_text(focus), value=node_text(value))
                reported = value if check.reports_value else None
                results.append((check.component, ValidationResult(
                    severity=query.severity, focus=str(focus), label="", path=query.path,
                    message=message, rule=query.rule,
                    value=compact(reported) if reported is not None else "",
                    focus_node=focus, value_node=reported, source_shape=query.shape,
                    component=check.component, message_language=check.language)))
    return results


#: How a ``?failN`` flag may come back: the integer 1 or 0 the queries compute, or a
#: boolean (a store that answers a hand-written shape query so).
FLAG_VALUES = {(str(XSD.boolean), "true"): True, (str(XSD.boolean), "1"): True,
               (str(XSD.boolean), "false"): False, (str(XSD.boolean), "0"): False,
               (str(XSD.integer), "1"): True, (str(XSD.integer), "0"): False}


def failed(flag: Node | None, query: ShapeQuery) -> bool:
    """Whether a ``?failN`` flag reports a result. Unbound is "no"; anything but 1, 0
    or a boolean is a BackendError, never a result dropped in silence."""
    if flag is None:
        return False
    datatype = str(flag.datatype) if isinstance(flag, Literal) and flag.datatype else ""
    found = FLAG_VALUES.get((datatype, str(flag).strip()))
    if found is None:
        raise BackendError(f"the store answered the SHACL query for {query.rule} with "
                           f"{flag.n3()} where a boolean belongs: cannot tell whether "
                           "the check failed")
    return found
