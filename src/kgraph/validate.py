"""Validation: the SHACL shapes plus every ``queries/*-violation.rq``.

The shapes are checked by pySHACL on the memory backend (the reference) and, on every
other backend, by :mod:`kgraph.shacl_sparql`, which compiles them into SPARQL queries
the store answers itself, with the same results; the graph is never copied into rdflib.

A violation query returns one row per broken rule: its first variable (or ``?focus``)
is the offending resource; optional ``?path``, ``?value`` and ``?message`` columns
fill the report, and the query's ``#+ summary`` is the message otherwise.

The report names, for each result, the severity, the focus node with its label (read
with SPARQL from the store), the path, the message and the file and line where the
node is defined; :func:`report_graph` writes it as a SHACL 1.0 validation report.

Conforming and passing differ, as in pySHACL's ``allow_warnings``: the graph
*conforms* (``sh:conforms true``) only when there is no result at all, as SHACL 1.0
defines it; it *passes* (``kgraph validate`` exits 0) when no result has severity
Violation: warnings and infos are reported, not fatal.

Only pySHACL's top-level results (the objects of ``sh:result``) are results: the
nested ones it attaches with ``sh:detail`` to a failed ``sh:node`` are explanations of
that one result, and their focus node may be a literal. The report does not carry
them (``sh:detail`` is optional in SHACL 1.0); the ``sh:node`` result's ``sh:value``
names the value that failed, and its message what it should have been.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from .backends import Backend
from .backends.memory import parse_turtle_file
from .backends.sparql_values import sparql_term, strip_comments_and_strings
from .catalogue import read_catalogue
from .errors import InputError, UsageError
from .namespaces import BASE, KG, PREFIXES, bind_prefixes
from .paths import GRAPH_DIR, ONTOLOGY_DIR, SHAPES_FILE, turtle_files
from .progress import Progress, report_every
from .results import compact, format_table


@dataclass
class ValidationResult:
    severity: str            # Violation, Warning or Info
    focus: str               # the IRI (or blank node id) of the offending resource
    label: str               # its label, if it has one
    path: str                # the property path, compacted ("" when none)
    message: str
    rule: str                # the shape or the violation query that fired
    value: str = ""
    location: str = ""       # "graph/statements.ttl:42" where the focus is defined
    # The RDF terms the SHACL report graph is written from (see report_graph).
    focus_node: Node | None = None     # the focus node as a term
    value_node: Node | None = None     # sh:value, when the constraint reports one
    source_shape: Node | None = None   # the shape, or the violation query's IRI
    component: URIRef | None = None    # sh:sourceConstraintComponent
    message_language: str | None = None


@dataclass
class ValidationReport:
    """The results, in report order. ``conforms`` is SHACL 1.0's (no result at all);
    :attr:`passes` is the exit-code policy (no Violation)."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def passes(self) -> bool:
        """No result of severity Violation: ``kgraph validate`` exits 0."""
        return self.count("Violation") == 0


#: The constraint component of a ``*-violation.rq`` result: the query is a SPARQL-based
#: constraint (SHACL 1.0 §5) run by kgraph rather than written into a shape.
QUERY_COMPONENT = SH.SPARQLConstraintComponent
#: Violation queries are named as source shapes by this IRI + their file name.
QUERY_BASE = BASE + "queries/"


def severity_name(term) -> str:
    return str(term).rsplit("#", 1)[-1] if term is not None else "Violation"


def shacl_results(data: Graph, shapes: Graph) -> list[ValidationResult]:
    """Run pySHACL and read the top-level results of its report into
    :class:`ValidationResult`s (not the nested ``sh:detail`` ones)."""
    report = pyshacl_report(data, shapes)
    return [report_result(report, node) for node in top_level_results(report)]


def top_level_results(report: Graph) -> list[Node]:
    """The results of a SHACL report graph: the objects of ``sh:result``."""
    return [node for top in report.subjects(RDF.type, SH.ValidationReport)
            for node in report.objects(top, SH.result)]


def pyshacl_report(data: Graph, shapes: Graph) -> Graph:
    """pySHACL's results graph for ``data`` against ``shapes``, warnings and infos
    allowed."""
    import pyshacl

    _conforms, results_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False,
        allow_infos=True, allow_warnings=True)
    return results_graph


def report_result(report: Graph, node) -> ValidationResult:
    """One sh:ValidationResult of a pySHACL results graph."""
    def one(predicate):
        return report.value(node, predicate)
    path = one(SH.resultPath)
    shape = one(SH.sourceShape)
    message = one(SH.resultMessage)
    return ValidationResult(
        severity=severity_name(one(SH.resultSeverity)),
        focus=str(one(SH.focusNode)),
        label="",
        path=describe_path(report, path),
        message=str(message or ""),
        rule=f"{SHAPES_FILE} " + (compact(shape) if isinstance(shape, URIRef)
                                  else describe_shape(report, shape)),
        value=compact(one(SH.value)) if one(SH.value) is not None else "",
        focus_node=one(SH.focusNode), value_node=one(SH.value), source_shape=shape,
        component=one(SH.sourceConstraintComponent),
        message_language=message.language if isinstance(message, Literal) else None)


def describe_path(graph: Graph, path) -> str:
    if path is None:
        return ""
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + compact(inverse)
        return "(complex path)"
    return compact(path)


def describe_shape(graph: Graph, shape) -> str:
    """A property shape is usually a blank node: name it by its sh:name or its path."""
    name = graph.value(shape, SH.name)
    if name is not None:
        return str(name)
    return describe_path(graph, graph.value(shape, SH.path)) or "(shape)"


def query_results(store: Backend, root: Path,
                  ran: Callable[[int], None] | None = None) -> list[ValidationResult]:
    """Run every ``*-violation.rq``; each row is one Violation. ``ran(n)`` is told how
    many have run."""
    results = []
    if not (root / "queries").is_dir():
        return results
    violation_queries = [q for q in read_catalogue(root) if q.role == "violation"]
    for number, query in enumerate(violation_queries, 1):
        answer = store.query(query.text, source=query.path)
        if ran is not None:
            ran(number)
        if answer.kind != "SELECT" or not answer.variables:
            continue
        focus_var = "focus" if "focus" in answer.variables else answer.variables[0]
        for record in answer.records():
            message = record.get("message")
            results.append(ValidationResult(
                severity="Violation",
                focus=str(record.get(focus_var) or ""),
                label="",
                path=compact(record["path"]) if record.get("path") is not None else "",
                message=str(message) if message is not None else query.summary,
                rule=f"queries/{query.name}",
                value=compact(record["value"]) if record.get("value") is not None else "",
                focus_node=record.get(focus_var), value_node=record.get("value"),
                source_shape=URIRef(QUERY_BASE + query.name), component=QUERY_COMPONENT,
                # the catalogue's queries and the messages they build are English
                message_language=getattr(message, "language", None) or "en"))
    return results


SUBJECT_AT_LINE_START = re.compile(r"^(<[^>\s]+>|[A-Za-z][\w-]*:[^\s;,.]*(?:\.[^\s;,.]+)*)")


def definition_index(root: Path) -> dict[str, str]:
    """IRI → "file:line" of the line where it first stands as a subject, read from the
    Turtle text (cheap, and exact for the one-block-per-resource style of graph/)."""
    index: dict[str, str] = {}
    for path in turtle_files(root):
        prefixes = dict(PREFIXES)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            declared = re.match(r"@?prefix\s+([\w-]*):\s*<([^>]*)>", line, re.IGNORECASE)
            if declared:
                prefixes[declared.group(1)] = declared.group(2)
                continue
            match = SUBJECT_AT_LINE_START.match(line)
            if not match:
                continue
            token = match.group(1)
            if token.startswith("<"):
                iri = token[1:-1]
            else:
                prefix, _, local = token.partition(":")
                if prefix not in prefixes:
                    continue
                iri = prefixes[prefix] + local
            index.setdefault(iri, f"{path.parent.name}/{path.name}:{number}")
    return index


def validate_project(root: str | Path, *, backend: Backend,
                     progress: Progress | None = None) -> ValidationReport:
    """Validate the project at ``root`` already loaded into ``backend``.

    Returns a :class:`ValidationReport`; the caller decides what to print and which
    exit code follows. ``progress(done, total)`` is told the checks run: the literal
    check, the shapes, each violation query, the labels (see :mod:`kgraph.progress`).

    Raises
    ------
    kgraph.shacl_sparql.UnsupportedShape
        On a backend other than memory, when a shape uses SHACL beyond what
        :mod:`kgraph.shacl_sparql` checks.
    """
    root = Path(root)
    check_validation_input(root, backend)
    steps = 3 + sum(1 for q in read_catalogue(root) if q.role == "violation") \
        if progress is not None and (root / "queries").is_dir() else 3
    tick = report_every(progress, steps, steps)
    results: list[ValidationResult] = ill_typed_literals(backend)
    tick(1)
    shapes_path = root / ONTOLOGY_DIR / SHAPES_FILE
    if shapes_path.is_file():
        shapes = parse_turtle_file(shapes_path)
        if backend.name == "memory":
            results.extend(shacl_results(backend.to_graph(), shapes))
        else:
            # imported here: shacl_sparql builds on this module's ValidationResult
            from .shacl_sparql import check_shapes

            results.extend(check_shapes(backend, shapes, source=shapes_path))
    tick(2)
    results.extend(query_results(backend, root, lambda done: tick(2 + done)))
    if results:
        index = definition_index(root)
        labels = focus_labels(backend, [result.focus for result in results])
        for result in results:
            result.label = labels.get(result.focus, "")
            result.location = index.get(result.focus, "")
            result.focus = compact(URIRef(result.focus))
    tick(steps)
    results.sort(key=lambda r: (r.severity != "Violation", r.location, r.focus, r.path,
                                r.message))
    return ValidationReport(conforms=not results, results=results)


def check_validation_input(root: Path, backend: Backend) -> None:
    """Refuse to validate when the check would run on nothing: no shapes file, no
    data files (an empty or unreadable graph/), a store without a data triple beyond
    the ontology; and refuse a violation query that calls out with SERVICE (validate
    reads the graph, it does not query third parties). An :class:`InputError`, exit 2:
    nothing was checked, so "conforms" would be a false pass."""
    shapes_path = root / ONTOLOGY_DIR / SHAPES_FILE
    if not shapes_path.is_file():
        raise InputError(f"cannot validate: {ONTOLOGY_DIR}/{SHAPES_FILE} is missing, so "
                         "there are no shapes to check", path=root)
    if not getattr(backend, "remote", False) \
            and not turtle_files(root, data_only=True):  # raises when unreadable
        raise InputError(f"cannot validate: {GRAPH_DIR}/ holds no Turtle files, so there "
                         "is no data to check", path=root / GRAPH_DIR)
    ontology = Graph()
    for path in turtle_files(root):
        if path.parent.name == ONTOLOGY_DIR:
            parse_turtle_file(path, into=ontology)
    if len(backend) <= len(ontology):
        raise InputError("cannot validate: the graph holds no data beyond the ontology "
                         "(its files are empty?)", path=root / GRAPH_DIR)
    if (root / "queries").is_dir():
        for query in read_catalogue(root):
            found = query.role == "violation" and SERVICE_KEYWORD.search(
                strip_comments_and_strings(query.text))
            if found:
                raise InputError("a violation rule may not call another endpoint with "
                                 "SERVICE; validate only reads the graph", path=query.path)


SERVICE_KEYWORD = re.compile(r"\bSERVICE\b", re.IGNORECASE)


#: lexical forms of XML Schema's date and time types (XSD 1.1, section 3.3)
TIMEZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"
DAY_TIME = r"T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?)"
DATE_TYPES = {
    "date": YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + TIMEZONE,
    "dateTime": YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + DAY_TIME + TIMEZONE,
    "dateTimeStamp": YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + DAY_TIME
                     + r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))",
    "time": DAY_TIME[1:] + TIMEZONE,
    "gYear": YEAR + TIMEZONE,
    "gYearMonth": YEAR + r"-(0[1-9]|1[0-2])" + TIMEZONE,
    "gMonth": r"--(0[1-9]|1[0-2])" + TIMEZONE,
    "gMonthDay": r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + TIMEZONE,
    "gDay": r"---(0[1-9]|[12]\d|3[01])" + TIMEZONE,
}
DATE_PATTERNS = {PREFIXES["xsd"] + name: re.compile(pattern)
                 for name, pattern in DATE_TYPES.items()}
DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def well_typed_date(lexical: str, datatype: str) -> bool:
    """Whether ``lexical`` is a valid value of the XSD date/time type ``datatype``:
    the pattern, and a day the month has (2021-02-29 is not a date)."""
    found = DATE_PATTERNS[datatype].fullmatch(lexical)
    if found is None:
        return False
    if datatype.endswith(("#date", "#dateTime", "#dateTimeStamp")):
        year = int(lexical.lstrip("-")[:lexical.lstrip("-").index("-")])
        month, day = int(found.group(1)), int(found.group(2))
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= (29 if month == 2 and leap else DAYS_IN_MONTH[month - 1]) \
            and not (month == 2 and day == 29 and not leap)
    if datatype.endswith("#gMonthDay"):
        month, day = int(found.group(1)), int(found.group(2))
        return day <= DAYS_IN_MONTH[month - 1]
    return True


#: names the well-typed-literal check as the source shape of its results
WELL_TYPED_SHAPE = URIRef(BASE + "shapes#WellTypedDateLiterals")


def ill_typed_literals(store: Backend) -> list[ValidationResult]:
    """A Violation for every date or time literal whose text is not a valid value of
    its datatype ("2021-13"^^xsd:gYearMonth, "1x99"^^xsd:gYear): the stores keep such
    literals as they are, and SHACL's sh:datatype, as compiled or as pySHACL checks
    it, lets some through. Read with SPARQL, so every backend gives the same."""
    if store.name == "memory":  # rdflib's FILTER over every triple is slow: scan here
        rows = [(s, p, o) for s, p, o in store.to_graph()
                if isinstance(o, Literal) and str(o.datatype) in DATE_PATTERNS]
    else:
        types = ", ".join(f"<{datatype}>" for datatype in DATE_PATTERNS)
        rows = store.query(
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isLiteral(?o) && "
            f"DATATYPE(?o) IN ({types})) }}", source="<well-typed literals>").rows
    results = []
    for subject, predicate, literal in rows:
        datatype = str(literal.datatype)
        if well_typed_date(str(literal), datatype):
            continue
        results.append(ValidationResult(
            severity="Violation", focus=str(subject), label="", path=compact(predicate),
            message=f"{str(literal)!r} is not a valid xsd:{datatype.rsplit('#', 1)[1]}",
            rule="kgraph: literals well-typed", value=str(literal),
            # a SHACL report names a shape and a component for every result: this
            # check is sh:datatype's, done by kgraph (the stores keep such literals)
            focus_node=subject, value_node=literal, source_shape=WELL_TYPED_SHAPE,
            component=SH.DatatypeConstraintComponent, message_language="en"))
    return results


#: IRIs per label query: VALUES blocks stay far below any server's request limit.
LABEL_CHUNK = 200
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def focus_labels(store: Backend, foci: list[str]) -> dict[str, str]:
    """The label of each focus IRI, read from the store with SPARQL: its
    skos:prefLabel, else its rdfs:label (the first in order when it has several).

    Foci that are not IRIs (blank nodes; literals, the focus of a nested shape's
    result) have no label.
    """
    terms = {}
    for focus in foci:
        if not ABSOLUTE_IRI.match(focus):
            continue
        try:
            terms[focus] = sparql_term(URIRef(focus))
        except UsageError:  # not an IRI SPARQL can hold, so not one in the store
            continue
    names = sorted(terms)
    found: dict[str, tuple[list[str], list[str]]] = {}
    for start in range(0, len(names), LABEL_CHUNK):
        values = " ".join(terms[name] for name in names[start:start + LABEL_CHUNK])
        answer = store.query(
            f"PREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\n"
            f"SELECT ?focus ?preferred ?label WHERE {{\n  VALUES ?focus {{ {values} }}\n"
            "  { ?focus skos:prefLabel ?preferred }\n"
            "  UNION { ?focus rdfs:label ?label }\n}\n",
            source="<focus labels>")
        for focus, preferred, label in answer.rows:
            preferred_labels, labels = found.setdefault(str(focus), ([], []))
            if preferred is not None:
                preferred_labels.append(str(preferred))
            if label is not None:
                labels.append(str(label))
    return {focus: min(preferred_labels or labels)
            for focus, (preferred_labels, labels) in found.items()}


def report_graph(report: ValidationReport) -> Graph:
    """The report as a SHACL 1.0 ``sh:ValidationReport`` graph (SHACL §3.6).

    ``sh:conforms`` is true only when there is no result. Each result has its focus
    node, severity, source shape and constraint component, its path and value where
    it has them, and its message with its language tag; ``kg:rule`` and
    ``kg:definedAt`` (declared in the ontology) add the rule's name and where the
    focus node is defined. A violation query's result names the query as its source
    shape (``https://w3id.org/kgraph/queries/NAME.rq``) with
    ``sh:SPARQLConstraintComponent``.
    """
    graph = bind_prefixes(Graph())
    top = BNode("report")
    graph.add((top, RDF.type, SH.ValidationReport))
    graph.add((top, SH.conforms, Literal(report.conforms)))
    for number, result in enumerate(report.results):
        node = BNode(f"result{number}")
        graph.add((top, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        focus = result.focus_node if result.focus_node is not None else expand(result.focus)
        graph.add((node, SH.focusNode, focus))
        graph.add((node, SH.resultMessage,
                   Literal(result.message, lang=result.message_language or None)))
        path = result_path(graph, result.path, number)
        if path is not None:
            graph.add((node, SH.resultPath, path))
        if result.value_node is not None:
            graph.add((node, SH.value, result.value_node))
        shape = result.source_shape
        if shape is None or isinstance(shape, BNode):
            # a blank shape of the shapes graph: a node of its own here, with its name
            shape = BNode(f"shape{number}")
            graph.add((shape, SH.name, Literal(result.rule.split(" ", 1)[-1])))
        graph.add((node, SH.sourceShape, shape))
        if result.component is not None:
            graph.add((node, SH.sourceConstraintComponent, result.component))
        graph.add((node, KG.rule, Literal(result.rule)))
        if result.location:
            graph.add((node, KG.definedAt, Literal(result.location)))
    return graph


def result_path(graph: Graph, path: str, number: int) -> Node | None:
    """``kg:speaker`` → its IRI; ``^kg:judgedAct`` → a blank node with sh:inversePath."""
    if not path or path.startswith("("):
        return None
    if path.startswith("^"):
        node = BNode(f"path{number}")
        graph.add((node, SH.inversePath, expand(path[1:])))
        return node
    return expand(path)


def expand(name: str) -> URIRef:
    """A prefixed name (``kg:speaker``) as its IRI; anything else as it is."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    return URIRef(name)


def result_json(result: ValidationResult) -> dict:
    """One result's fields for ``--format json``: text, with the shape and the
    constraint component as prefixed names."""
    fields = {name: value for name, value in asdict(result).items()
              if name not in ("focus_node", "value_node", "source_shape", "component",
                              "message_language")}
    fields["source_shape"] = compact(result.source_shape) \
        if isinstance(result.source_shape, URIRef) else ""
    fields["component"] = compact(result.component)
    return fields


def format_report(report: ValidationReport, fmt: str = "human") -> str:
    """The report as ``human`` text, an aligned ``table``, ``json``, ``turtle`` or a
    ``summary``: every violation in full (they fail the build), then warnings and
    infos one line each, counted per rule, with the command that lists them."""
    if fmt == "summary":
        return summary_report(report)
    if fmt == "json":
        return json.dumps({"conforms": report.conforms, "passes": report.passes,
                           "results": [result_json(r) for r in report.results]},
                          indent=2, ensure_ascii=False) + "\n"
    if fmt == "turtle":
        from .readwrite.rdf import serialize_graph

        return serialize_graph(report_graph(report), "turtle").decode("utf-8")
    summary = count_line(report)
    if fmt == "table":
        rows = [[r.severity, r.focus, r.label, r.path, r.message, r.location]
                for r in report.results]
        table = format_table(["severity", "focus", "label", "path", "message",
                              "defined"], rows) if rows else ""
        return table + ("\n" if rows else "") + summary
    blocks = [human_block(r) for r in report.results]
    return "\n".join(blocks) + ("\n" if blocks else "") + summary


def count_line(report: ValidationReport) -> str:
    """``0 violations, 38 warnings, 0 infos: passes with warnings (…)``."""
    verdict = "conforms" if report.conforms else \
        "passes with warnings (sh:conforms false)" if report.passes else "does not conform"
    return (f"{report.count('Violation')} violations, {report.count('Warning')} "
            f"warnings, {report.count('Info')} infos: {verdict}\n")


def human_block(r: ValidationResult) -> str:
    """One result as the ``human`` report prints it."""
    lines = [f"{r.severity}: {r.focus}" + (f" ({r.label})" if r.label else "")]
    if r.path:
        lines.append(f"  path:    {r.path}")
    if r.value:
        lines.append(f"  value:   {r.value}")
    lines.append(f"  message: {r.message}")
    lines.append(f"  defined: {r.location or 'not in a graph file'}")
    lines.append(f"  rule:    {r.rule}")
    return "\n".join(lines) + "\n"


def summary_report(report: ValidationReport) -> str:
    """The ``summary`` format (see :func:`format_report`)."""
    blocks = [human_block(r) for r in report.results if r.severity == "Violation"]
    lines = []
    for severity, plural in (("Warning", "warnings"), ("Info", "infos")):
        rules: dict[str, int] = {}
        for r in report.results:
            if r.severity == severity:
                rules[r.rule] = rules.get(r.rule, 0) + 1
        if rules:
            counted = ", ".join(f"{n} {rule}" for rule, n in
                                sorted(rules.items(), key=lambda item: (-item[1], item[0])))
            lines.append(f"{sum(rules.values())} {plural} ({counted}); to see each: "
                         "kgraph validate\n")
    return "\n".join(blocks) + ("\n" if blocks else "") + "".join(lines) \
        + count_line(report)
