"""The query catalogue: ``queries/*.rq`` files, their grlc headers and parameters.

A query file starts with grlc-style decorators (``#+ summary: …``, ``#+ tags:``, …).
Parameters follow grlc's naming: ``?_actor_iri`` is required, ``?__from_xsd_date``
optional; the part after the name says the type (``iri``, ``xsd_date``,
``xsd_integer``, ``xsd_string``, or a language tag such as ``en``). Values are turned
into RDF terms and *bound*, never pasted into the query text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .backends import Backend, QueryResult
from .backends.terms import XSD, Term
from .errors import InputError, UsageError
from .namespaces import PREFIXES
from .paths import QUERIES_DIR

PARAM_PATTERN = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")
KNOWN_TYPES = ("xsd_date", "xsd_gYear", "xsd_gYearMonth", "xsd_integer",
               "xsd_decimal", "xsd_boolean", "xsd_string", "iri")
TYPE_DESCRIPTIONS = {"iri": "an IRI or prefixed name such as actor:lavrov",
                     "xsd_date": "a date YYYY-MM-DD", "xsd_integer": "a whole number"}


@dataclass(frozen=True)
class Parameter:
    """One grlc parameter of a query: ``?_actor_iri`` → name ``actor``, type ``iri``."""

    variable: str          # the variable without "?", e.g. "_actor_iri"
    name: str              # what the user types, e.g. "actor"
    type: str | None       # "iri", "xsd_date", …, a language tag, or None (plain)
    required: bool

    def describe(self) -> str:
        kind = TYPE_DESCRIPTIONS.get(self.type or "", self.type or "a string")
        return f"{self.name} ({'required' if self.required else 'optional'}, {kind})"


@dataclass
class CatalogueQuery:
    """A query file with its decorators and parameters."""

    path: Path
    text: str
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def role(self) -> str:
        """What the file name says it does: ``violation``, ``construct`` or ``select``."""
        if self.path.stem.endswith("-violation"):
            return "violation"
        if self.path.stem.startswith("construct-"):
            return "construct"
        return "select"


def parse_decorators(text: str) -> dict[str, object]:
    """Read the ``#+`` header: ``key: value`` lines and ``key:`` followed by
    ``- item`` lines (an item may itself be ``name: value``)."""
    decorators: dict[str, object] = {}
    current: str | None = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped.startswith("#+"):
            if stripped and not stripped.startswith("#"):
                break  # the header ends where the query starts
            continue
        body = stripped[2:].strip()
        if not body:
            continue
        if body.startswith("- "):
            if current is None:
                continue
            item = body[2:].strip()
            entries = decorators.setdefault(current, [])
            if isinstance(entries, list):
                entries.append(item)
            continue
        key, sep, value = body.partition(":")
        if not sep:
            continue
        current = key.strip()
        value = value.strip()
        decorators[current] = value if value else []
    return decorators


def split_parameter(variable: str, required: bool) -> Parameter:
    """``_actor_iri`` → Parameter(name="actor", type="iri")."""
    bare = variable.lstrip("_")
    for type_name in KNOWN_TYPES:
        if bare.endswith("_" + type_name):
            return Parameter(variable, bare[: -len(type_name) - 1], type_name, required)
    head, sep, tail = bare.rpartition("_")
    if sep and re.fullmatch(r"[a-z]{2}", tail):
        return Parameter(variable, head, tail, required)  # language-tagged literal
    return Parameter(variable, bare, None, required)


def find_parameters(text: str) -> list[Parameter]:
    """The grlc parameters a query uses, in order of first use (comments ignored)."""
    from .backends.sparql_values import strip_comments_and_strings

    # not line.split("#"): an IRI such as <…/ontology#voices> holds a "#" too
    body = strip_comments_and_strings(text)
    seen: dict[str, Parameter] = {}
    for match in PARAM_PATTERN.finditer(body):
        underscores, rest = match.groups()
        variable = underscores + rest
        if variable not in seen:
            seen[variable] = split_parameter(variable, required=underscores == "_")
    return list(seen.values())


def read_query_file(path: str | Path) -> CatalogueQuery:
    """Read one ``.rq`` file with its decorators and parameters."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("query file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a query file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read query file: {exc}", path=path) from None
    decorators = parse_decorators(text)
    tags = decorators.get("tags", [])
    defaults: dict[str, str] = {}
    for item in decorators.get("defaults", []) or []:
        key, _, value = str(item).partition(":")
        defaults[key.strip()] = value.strip()
    return CatalogueQuery(
        path=path, text=text,
        summary=str(decorators.get("summary", "")),
        description=str(decorators.get("description", "")),
        tags=[str(t) for t in tags] if isinstance(tags, list) else
             [t.strip() for t in str(tags).split(",") if t.strip()],
        defaults=defaults, parameters=find_parameters(text))


def read_catalogue(root: str | Path) -> list[CatalogueQuery]:
    """Every ``queries/*.rq`` of the project, sorted by file name."""
    folder = Path(root) / QUERIES_DIR
    if not folder.is_dir():
        raise InputError("no queries/ folder", path=folder)
    return [read_query_file(p) for p in sorted(folder.glob("*.rq"))]


def parse_param_options(options: Iterable[str]) -> dict[str, str]:
    """``["actor=actor:lavrov"]`` → ``{"actor": "actor:lavrov"}``."""
    values: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param takes NAME=VALUE, got {option!r}")
        values[name.strip()] = value
    return values


def expand_iri(value: str) -> Term:
    """An absolute IRI, ``<IRI>`` or a prefixed name with a kgraph prefix."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
        raise ValueError("not an IRI")
    return Term.iri(value)


def to_term(parameter: Parameter, value: str) -> Term:
    """Turn a user's text into the RDF term for ``parameter``; ValueError if it does not
    fit the type."""
    kind = parameter.type
    if kind == "iri":
        return expand_iri(value)
    if kind == "xsd_date":
        date.fromisoformat(value)  # raises ValueError on anything but YYYY-MM-DD
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("not YYYY-MM-DD")
        return Term.literal(value, XSD + "date")
    if kind == "xsd_gYear":
        if not re.fullmatch(r"-?\d{4}", value):
            raise ValueError("not a year YYYY")
        return Term.literal(value, XSD + "gYear")
    if kind == "xsd_gYearMonth":
        if not re.fullmatch(r"-?\d{4}-(0[1-9]|1[0-2])", value):
            raise ValueError("not YYYY-MM")
        return Term.literal(value, XSD + "gYearMonth")
    if kind == "xsd_integer":
        return Term.literal(str(int(value)), XSD + "integer")
    if kind == "xsd_decimal":
        float(value)
        return Term.literal(value, XSD + "decimal")
    if kind == "xsd_boolean":
        if value not in ("true", "false"):
            raise ValueError("not true or false")
        return Term.literal(value, XSD + "boolean")
    if kind and kind != "xsd_string":
        return Term.literal(value, language=kind)
    return Term.literal(value)


def bind_parameters(query: CatalogueQuery, values: Mapping[str, str]) -> dict[str, Term]:
    """Check ``values`` against the query's parameters and turn them into bindings.

    Defaults from the ``#+ defaults:`` header fill parameters not given. A missing
    required parameter, an unknown name or a value of the wrong type is a UsageError.
    """
    by_name: dict[str, Parameter] = {}
    for parameter in query.parameters:
        by_name[parameter.name] = parameter
        by_name[parameter.variable.lstrip("_")] = parameter  # "actor_iri" works too
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        known = ", ".join(p.describe() for p in query.parameters) or "none"
        raise UsageError(f"unknown parameter {unknown[0]!r} for {query.name}; "
                         f"it takes: {known}")
    bindings: dict[str, Term] = {}
    for parameter in query.parameters:
        given = [values[k] for k in (parameter.name, parameter.variable.lstrip("_"))
                 if k in values]
        if not given:
            given = [query.defaults[k] for k in (parameter.name,
                                                   parameter.variable.lstrip("_"))
                     if k in query.defaults]
        if not given:
            if parameter.required:
                raise UsageError(f"{query.name} needs parameter {parameter.describe()}: "
                                 f"add --param {parameter.name}=VALUE")
            continue
        try:
            bindings[parameter.variable] = to_term(parameter, given[0])
        except ValueError:
            raise UsageError(f"parameter {parameter.name}={given[0]!r} for {query.name} "
                             f"is not {TYPE_DESCRIPTIONS.get(parameter.type or '', parameter.type or 'a string')}") from None
    return bindings


def run_query(store: Backend, query: CatalogueQuery,
              values: Mapping[str, str] | None = None) -> QueryResult:
    """Bind ``values`` to ``query``'s parameters and run it on ``store``."""
    bindings = bind_parameters(query, values or {})
    return store.query(query.text, bindings, source=query.path)


def query_answer_bytes(store: Backend, query: CatalogueQuery,
                       values: Mapping[str, str] | None = None,
                       fmt: str | None = None) -> bytes:
    """The answer to ``query`` written in ``fmt`` (``None``: table for SELECT and ASK,
    Turtle for a graph), as :func:`kgraph.results.format_result` writes it. A graph
    answer in Turtle or N-Triples comes from the store's own writer where it has one
    (:meth:`~kgraph.backends.base.Backend.construct_dump`), with no rdflib Graph in
    between, so a big answer costs its text only.

    Examples
    --------
    >>> from kgraph.load import load_project
    >>> query = read_query_file("queries/construct-co-voicing.rq")
    >>> query_answer_bytes(load_project("."), query)[:7]  # doctest: +SKIP
    b'@prefix'
    """
    bindings = bind_parameters(query, values or {})
    data = store.construct_dump(query.text, fmt or "turtle", bindings, source=query.path)
    if data is not None:
        return data
    from .results import format_result

    return format_result(store.query(query.text, bindings, source=query.path), fmt)


def format_catalogue(entries: list[CatalogueQuery], fmt: str = "table") -> str:
    """The catalogue as an aligned table or JSON."""
    if fmt == "json":
        return json.dumps([{
            "file": e.name, "role": e.role, "summary": e.summary,
            "parameters": [{"name": p.name, "type": p.type, "required": p.required}
                           for p in e.parameters],
            "tags": e.tags} for e in entries], indent=2, ensure_ascii=False) + "\n"
    from .results import format_table

    rows = [[e.name, e.summary,
             ", ".join(("" if p.required else "[") + p.name + ("" if p.required else "]")
                       for p in e.parameters),
             ", ".join(e.tags)] for e in entries]
    return format_table(["file", "summary", "parameters", "tags"], rows)
