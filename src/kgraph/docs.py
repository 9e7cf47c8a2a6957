"""The ontology's documentation: ``kgraph docs -o DIR``.

``DIR/ontology.html`` is pyLODE's reference of the classes and properties (pyLODE is
the standard ontology documentation tool; 3.4.1 is left out because its wheel reads a
``pyproject.toml`` it does not ship, and 3.4.2 and later need Python 3.12).
``DIR/index.html`` adds, from the same ontology and the shipped graph, what pyLODE's
OntPub profile leaves out: the enumerations and named individuals (``kg:DirectQuote``,
``kg:Paraphrase``), the disjointness axioms, and the narrative and revisionism-category
SKOS concept schemes as trees. Every text is HTML-escaped (jinja2 autoescaping).

``index.html`` is byte-identical for the same graph. ``ontology.html`` is pyLODE's,
with its subjects sorted; pyLODE itself lists the members of an ``owl:unionOf``
(a domain "narrative or revisionism category") in Python's hash order, which kgraph
does not patch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .errors import InputError
from .namespaces import KG, ONTOLOGY_IRI
from .results import compact


@dataclass
class Concept:
    """One node of a concept scheme's tree."""

    name: str
    label: str
    definition: str
    alt_labels: list[str]
    anchor: str
    narrower: list["Concept"] = field(default_factory=list)


def english(graph: Graph, subject, predicate) -> str:
    """The English (else any) value of ``predicate``, the first in sorted order."""
    values = sorted((o for o in graph.objects(subject, predicate) if isinstance(o, Literal)),
                    key=lambda o: (o.language not in ("en", None), str(o)))
    return str(values[0]) if values else ""


def anchor(term) -> str:
    return compact(term).replace(":", "-")


def term_row(graph: Graph, term) -> dict:
    return {"name": compact(term), "anchor": anchor(term),
            "label": english(graph, term, RDFS.label) or english(graph, term, SKOS.prefLabel),
            "definition": english(graph, term, SKOS.definition)
            or english(graph, term, RDFS.comment)}


def enumerations(ontology: Graph) -> tuple[list[dict], list[dict]]:
    """Classes equivalent to an owl:oneOf, with their members; other individuals."""
    found, members_seen = [], set()
    for cls, equivalent in sorted(ontology.subject_objects(OWL.equivalentClass)):
        head = ontology.value(equivalent, OWL.oneOf)
        if head is None:
            continue
        members = list(Collection(ontology, head))
        members_seen.update(members)
        found.append(dict(term_row(ontology, cls),
                          members=[term_row(ontology, m) for m in members]))
    others = [dict(term_row(ontology, i), types=", ".join(
        sorted(compact(t) for t in ontology.objects(i, RDF.type) if t != OWL.NamedIndividual)))
        for i in sorted(ontology.subjects(RDF.type, OWL.NamedIndividual))
        if i not in members_seen]
    return found, others


def disjoint_groups(ontology: Graph) -> list[list[str]]:
    """owl:AllDisjointClasses members and owl:disjointWith pairs, as prefixed names."""
    groups = [sorted(compact(m) for m in Collection(ontology, ontology.value(node, OWL.members)))
              for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)]
    groups += [sorted([compact(a), compact(b)])
               for a, b in ontology.subject_objects(OWL.disjointWith)]
    return sorted(groups)


def concept_schemes(data: Graph) -> list[dict]:
    """Each skos:ConceptScheme with its concepts as a tree (top concepts, then
    skos:broader/narrower below them)."""
    schemes = []
    for scheme in sorted(data.subjects(RDF.type, SKOS.ConceptScheme)):
        members = set(data.subjects(SKOS.inScheme, scheme)) | set(
            data.objects(scheme, SKOS.hasTopConcept)) | set(
            data.subjects(SKOS.topConceptOf, scheme))
        children: dict = {}
        for concept in members:
            for parent in set(data.objects(concept, SKOS.broader)) | set(
                    data.subjects(SKOS.narrower, concept)):
                children.setdefault(parent, set()).add(concept)
        top = set(data.objects(scheme, SKOS.hasTopConcept)) | set(
            data.subjects(SKOS.topConceptOf, scheme))
        top |= {c for c in members if not any(c in kids for kids in children.values())}

        def build(concept, seen: frozenset) -> Concept:
            node = Concept(compact(concept), english(data, concept, SKOS.prefLabel),
                           english(data, concept, SKOS.definition),
                           sorted(str(a) for a in data.objects(concept, SKOS.altLabel)),
                           anchor(concept))
            node.narrower = [build(c, seen | {concept}) for c in sorted(
                children.get(concept, ()), key=lambda c: english(data, c, SKOS.prefLabel))
                if c not in seen]  # a skos:broader cycle is a violation query's job
            return node

        schemes.append({
            "name": compact(scheme), "anchor": anchor(scheme), "count": len(members),
            "label": english(data, scheme, SKOS.prefLabel) or compact(scheme),
            "top": [build(c, frozenset()) for c in sorted(
                top, key=lambda c: english(data, c, SKOS.prefLabel))]})
    return schemes


def index_page(ontology: Graph, data: Graph) -> str:
    """The documentation's front page (see the module's docstring) as HTML."""
    from importlib import resources

    from jinja2 import Environment, select_autoescape
    from markupsafe import Markup, escape

    from . import __version__

    def render(concept: Concept) -> Markup:
        alt = (f' <span class="alt">(also: {escape("; ".join(concept.alt_labels))})</span>'
               if concept.alt_labels else "")
        below = "".join(render(c) for c in concept.narrower)
        return Markup(f'<li id="{escape(concept.anchor)}"><strong>{escape(concept.label)}'
                      f'</strong> <code>{escape(concept.name)}</code>{alt}'
                      f'<br>{escape(concept.definition)}'
                      + (f'<ul>{below}</ul>' if below else "") + "</li>\n")

    template_text = resources.files("kgraph").joinpath(
        "templates", "docs-index.html").read_text(encoding="utf-8")
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                      keep_trailing_newline=True)
    found, individuals = enumerations(ontology)
    ontology_iri = URIRef(ONTOLOGY_IRI)
    return env.from_string(template_text).render(
        title=english(ontology, ontology_iri, DCTERMS.title) or "kgraph ontology",
        description=english(ontology, ontology_iri, DCTERMS.description),
        namespace=str(KG), version=str(ontology.value(ontology_iri, OWL.versionInfo) or
                                       __version__),
        enumerations=found, individuals=individuals, disjoint=disjoint_groups(ontology),
        schemes=concept_schemes(data), render=render)


def pylode_page(ontology_file: Path) -> str:
    """pyLODE's OntPub HTML for the ontology file."""
    try:
        from pylode import OntPub
    except ImportError as exc:  # pyLODE 3.4.1's wheel fails here (see the docstring)
        raise InputError(f"pyLODE cannot be imported ({exc}); install pylode>=3.3.4,"
                         "!=3.4.1") from None
    import logging

    # pyLODE logs at INFO/DEBUG on the root logger; the library stays quiet
    previous = logging.root.level
    logging.root.setLevel(logging.WARNING)
    try:
        return OntPub(str(ontology_file), sort_subjects=True).make_html()
    finally:
        logging.root.setLevel(previous)


def write_docs(root: str | Path, out_dir: str | Path) -> list[Path]:
    """Write ``ontology.html`` (pyLODE) and ``index.html`` into ``out_dir``; returns
    their paths. The ontology is ``root/ontology/revisionism.ttl``, the schemes come
    from ``root/graph/``.

    >>> write_docs(".", "build/docs")  # doctest: +SKIP
    [PosixPath('build/docs/index.html'), PosixPath('build/docs/ontology.html')]
    """
    from .backends.memory import parse_turtle_file
    from .paths import GRAPH_DIR, ONTOLOGY_DIR, atomic_write, check_root

    root = check_root(Path(root))
    ontology_file = root / ONTOLOGY_DIR / "revisionism.ttl"
    if not ontology_file.is_file():
        raise InputError("no ontology to document", path=ontology_file)
    ontology = parse_turtle_file(ontology_file)
    data = Graph()
    for path in sorted((root / GRAPH_DIR).glob("*.ttl")):
        parse_turtle_file(path, into=data)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder: {exc.strerror}", path=out) from None
    return [atomic_write(out / "index.html", index_page(ontology, data)),
            atomic_write(out / "ontology.html", pylode_page(ontology_file))]
