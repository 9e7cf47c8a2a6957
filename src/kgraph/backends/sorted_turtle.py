"""A fast, deterministic Turtle writer working on N-Triples lines.

rdflib's Turtle serialiser builds Python objects for every term and takes about a
minute for a million triples. A store that can dump N-Triples natively (Oxigraph does
it in about a second) gets sorted Turtle from this module in a few seconds instead: it
sorts the lines as text, abbreviates IRIs with kgraph's prefixes and groups
predicates and objects per subject. Nothing here depends on the store.

Output is a function of the set of lines only, so the same graph gives byte-identical
Turtle run after run, provided blank nodes carry canonical labels (the caller's job).
"""

from __future__ import annotations

import re

from ..namespaces import PREFIXES
from ..progress import Progress, report_every

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"

# A prefixed name's local part we write without escapes; anything else stays <IRI>.
SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
BARE_LITERALS = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}
# An N-Triples line whose object is a blank node ends with " _:label ."; a literal
# never does (it ends with a quote, a language tag or a datatype IRI).
BLANK_OBJECT = re.compile(r" _:[A-Za-z0-9_.-]+ \.$")


def bcp47_case(tag: str) -> str:
    """A language tag in BCP 47's conventional case (RFC 5646 §2.1.1): ``ru-latn`` →
    ``ru-Latn``, ``en-gb`` → ``en-GB``. Oxigraph stores tags lower-cased; this gives
    back the form a coder writes, so output matches the rdflib backend's.

    >>> bcp47_case("sr-latn-rs")
    'sr-Latn-RS'
    """
    parts = tag.lower().split("-")
    for i in range(1, len(parts)):
        if len(parts[i - 1]) == 1:  # after a singleton (x-, u-) case is free: keep lower
            break
        if len(parts[i]) == 4 and parts[i].isalpha():
            parts[i] = parts[i].title()
        elif len(parts[i]) == 2 and parts[i].isalpha():
            parts[i] = parts[i].upper()
    return "-".join(parts)


LANGUAGE_TAIL = re.compile(r'"@([A-Za-z]+(?:-[A-Za-z0-9]+)+) \.$')


def restore_language_case(lines: list[str]) -> None:
    """Rewrite, in place, the language tags of N-Triples lines in BCP 47 case (only
    tags with a subtag change: ``@en`` stays as it is)."""
    cased: dict[str, str] = {}
    for i, line in enumerate(lines):
        if "-" not in line[-24:]:
            continue
        found = LANGUAGE_TAIL.search(line)
        if found is None:
            continue
        tag = found.group(1)
        new = cased.get(tag)
        if new is None:
            new = cased[tag] = bcp47_case(tag)
        if new != tag:
            lines[i] = line[:found.start(1)] + new + " ."


def has_blank_node(line: str) -> bool:
    """Whether an N-Triples line mentions a blank node (as subject or object)."""
    return line.startswith("_:") or BLANK_OBJECT.search(line) is not None


class _Abbreviator:
    """Shortens ``<IRI>`` to ``prefix:local`` with a cache (terms repeat a lot)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_namespace = {ns: p for p, ns in prefixes.items()}
        self.cache: dict[str, str] = {}
        #: the prefixes written so far
        self.used: set[str] = set()

    def iri(self, term: str) -> str:
        short = self.cache.get(term)
        if short is None:
            short = term
            body = term[1:-1]
            cut = max(body.rfind("#"), body.rfind("/")) + 1
            prefix = self.by_namespace.get(body[:cut])
            if prefix is not None and (cut == len(body) or SAFE_LOCAL.fullmatch(body[cut:])):
                short = f"{prefix}:{body[cut:]}"
                self.used.add(prefix)
            self.cache[term] = short
        return short

    def object(self, term: str) -> str:
        first = term[0]
        if first == "<":
            return self.iri(term)
        if first == "_":
            return term
        # a literal: "lexical", "lexical"@lang or "lexical"^^<datatype>
        if term[-1] != ">":
            return term
        cut = term.rfind('"^^<')
        datatype = term[cut + 4:-1]
        bare = BARE_LITERALS.get(datatype)
        lexical = term[1:cut]
        if bare is not None and bare.fullmatch(lexical):
            return lexical
        return term[:cut + 3] + self.iri(term[cut + 3:])


def write_sorted_turtle(lines: list[str],
                        prefixes: dict[str, str] | None = None, *,
                        header: bool = True, used_prefixes_only: bool = False,
                        progress: Progress | None = None) -> bytes:
    """Turtle for N-Triples lines (distinct triples), sorted and grouped by subject.

    ``lines`` is sorted in place (a copy of a million lines costs memory for nothing).

    Every kgraph prefix is declared (so the header does not depend on the data), or
    with ``used_prefixes_only`` those the triples use (a query's answer, read by a
    person), or none if ``header`` is false (a graph block of a TriG document);
    ``rdf:type`` comes first as ``a``, then predicates in IRI order, objects in
    N-Triples order joined with commas. ``progress(done, total)`` is told the lines
    written.

    >>> write_sorted_turtle(['<https://w3id.org/kgraph/actor/x> '
    ...     '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    ...     '<https://w3id.org/kgraph/ontology#Person> .'],
    ...     {"actor": "https://w3id.org/kgraph/actor/",
    ...      "kg": "https://w3id.org/kgraph/ontology#"}).decode()
    '@prefix actor: <https://w3id.org/kgraph/actor/> .\\n@prefix kg: <https://w3id.org/kgraph/ontology#> .\\n\\nactor:x a kg:Person .\\n'
    """
    prefixes = PREFIXES if prefixes is None else prefixes
    short = _Abbreviator(prefixes)
    out: list[str] = []
    lines.sort()

    def flush(subject: str, pairs: list[tuple[str, str]]) -> None:
        typed = [o for p, o in pairs if p == RDF_TYPE]
        rest = [(p, o) for p, o in pairs if p != RDF_TYPE]
        blocks = []
        if typed:
            blocks.append("a " + ", ".join(short.object(o) for o in typed))
        previous = None
        for predicate, obj in rest:
            if predicate == previous:
                blocks[-1] += ", " + short.object(obj)
            else:
                blocks.append(short.iri(predicate) + " " + short.object(obj))
                previous = predicate
        subject_text = short.iri(subject) if subject[0] == "<" else subject
        out.append("\n" + subject_text + " " + " ;\n    ".join(blocks) + " .\n")

    subject = None
    pairs: list[tuple[str, str]] = []
    tick = report_every(progress, len(lines))
    for number, line in enumerate(lines, 1):
        tick(number)
        if not line:
            continue
        s, p, o = line[:-2].split(" ", 2)
        if s != subject:
            if subject is not None:
                flush(subject, pairs)
            subject, pairs = s, []
        pairs.append((p, o))
    if subject is not None:
        flush(subject, pairs)
    declared = [] if not header else [
        f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())
        if not used_prefixes_only or p in short.used]
    return "".join(declared + out).encode("utf-8")
