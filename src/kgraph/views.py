"""Views: projections of the RDF graph into networkx graphs for drawing.

A view is a :class:`networkx.MultiDiGraph` whose node ids are IRIs (strings) and
whose nodes and edges carry display-neutral attributes only; :mod:`kgraph.layout`
adds positions and :mod:`kgraph.render` turns the graph into a page. Every view reads
the store through SPARQL (:meth:`Backend.query`), so it works on every backend.

Node attributes
    ``kind`` (``actor``, ``narrative``, ``statement``, ``act``, ``category``,
    ``judgement``, ``attribution``, ``event``, ``claim``, ``document``, ``evidence``,
    ``source``,
    ``office``, ``resource``), ``label``, ``alt_labels`` (sorted), ``actor_kind``
    (``Person``, ``State``, ``Agency``, … or ``None``), ``date`` and ``end_date``
    (as written: ``2021-05-27``, ``2021-05`` or ``2021``; ``None`` when undated),
    ``narratives`` and ``categories`` (IRIs the node is about, for filtering),
    ``weight`` (what the node's size shows: statements, acts, or ``None`` for
    degree) and ``details`` (an ordered dict: field name → text, list of texts, or
    list of dicts of the same shape).
Edge attributes (the edge key is its kind)
    ``kind``, ``label`` (the kind in words), ``weight``, ``dates`` (the dates of
    what the edge stands for), ``narratives``, ``categories``, ``details``, and
    ``structural`` (true for links of the vocabulary itself, such as narrower
    narratives, rather than of the evidence).
Graph attributes
    ``view``, ``title`` (a default page title), ``narrative_labels`` and
    ``category_labels`` (IRI → label, for the page's filters).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from .backends import Backend
from .errors import InputError, UsageError
from .namespaces import KG, PREFIXES, SCHEMA, sparql_prologue
from .paths import QUERIES_DIR

VIEWS = ("actor-narrative", "revisionism", "statements", "full")

#: kg: class local name → node kind. Actor classes share the kind ``actor``.
ACTOR_CLASSES = ("Agency", "MediaOutlet", "InternationalOrganisation", "Person", "State",
                 "Faction", "Bloc", "Organisation", "Actor")
KIND_OF_CLASS = {
    "Statement": "statement", "Narrative": "narrative", "RevisionismCategory": "category",
    "Act": "act", "CategoryJudgement": "judgement", "NarrativeAttribution": "attribution",
    "Event": "event", "Claim": "claim",
    "Document": "document", "Evidence": "evidence", "PrimarySource": "source",
    "Office": "office",
}
#: what an actor class is called on the page
ACTOR_KIND_NAMES = {
    "Agency": "Agency", "MediaOutlet": "Media outlet",
    "InternationalOrganisation": "International organisation", "Person": "Person",
    "State": "State", "Faction": "Faction", "Bloc": "Bloc",
    "Organisation": "Organisation", "Actor": "Actor",
}
#: field names for predicates the details panel shows; others are derived from the name
FIELD_NAMES = {
    "quote": "Quote", "speaker": "Speaker", "date": "Date", "endDate": "End date",
    "voices": "Narratives", "refersTo": "Refers to", "target": "Target",
    "addressee": "Addressee", "speakerOffice": "Office", "channel": "Channel",
    "reportedAs": "Reported as", "evidence": "Evidence", "performer": "Performer",
    "partOfEvent": "Part of event", "invokes": "Narratives used", "judgedAct": "Act",
    "judgedActor": "Judged actor", "category": "Category",
    "judgedBy": "Judged by", "definition": "Definition", "editorialNote": "Editorial note",
    "prefLabel": "Label", "altLabel": "Also called", "label": "Label",
    "broader": "Broader", "inScheme": "Scheme", "topConceptOf": "Top concept of",
    "theorisedBy": "Theorised by", "involves": "Involves", "subEventOf": "Part of",
    "claimant": "Claimant", "concerns": "Concerns", "supports": "Supports",
    "contradicts": "Contradicts", "document": "Document", "locator": "Locator",
    "primarySource": "Primary source", "affiliatedState": "State", "holds": "Office",
    "memberOf": "Member of", "postIn": "Post in", "type": "Type",
    "passage": "Passage", "qualifies": "Qualifies", "attributedActor": "Actor",
    "attributedNarrative": "Narrative", "attributedBy": "Attributed by",
    "member": "Member", "role": "Office", "organization": "Organisation", "former": "Former",
}
#: edge kinds → words on the legend
EDGE_LABELS = {
    "voices": "voices (statements)", "said": "said", "voices-narrative": "voices",
    "refers-to": "refers to", "performed": "performed", "judged-as": "judged as",
    "broader": "narrower than", "attributed": "attributed (by analysts)",
}

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label)
#: how the panel tells a paraphrase from a direct quote (kg:reportedAs)
REPORTED_AS = {str(KG.DirectQuote): "direct", str(KG.Paraphrase): "paraphrase"}


# ----------------------------------------------------------------------------- helpers

def curie(iri: str) -> str:
    """``iri`` as a prefixed name when one of kgraph's prefixes fits, else unchanged.

    >>> curie("https://w3id.org/kgraph/actor/lavrov")
    'actor:lavrov'
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    if best and re.fullmatch(r"[A-Za-z0-9_.\-]*", iri[len(best):]):
        return f"{name}:{iri[len(best):]}"
    return iri


def expand(name: str) -> str:
    """A prefixed name such as ``actor:lavrov`` as a full IRI; anything else unchanged.

    >>> expand("actor:lavrov")
    'https://w3id.org/kgraph/actor/lavrov'
    """
    prefix, _, local = name.partition(":")
    if local and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def field_name(predicate: str) -> str:
    """A readable field name for a predicate IRI: ``kg:reportedAs`` → ``Reported as``."""
    local = re.split(r"[#/]", predicate)[-1]
    if local in FIELD_NAMES:
        return FIELD_NAMES[local]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()
    return words[:1].upper() + words[1:]


DATE_PATTERN = re.compile(r"(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def date_bounds(text: str | None) -> tuple[str, str] | None:
    """The first and last day a date as written covers (``xsd:date``, ``gYearMonth``
    or ``gYear``), as ``YYYY-MM-DD`` strings that compare in date order.

    >>> date_bounds("2021-02")
    ('2021-02-01', '2021-02-28')
    >>> date_bounds("2021")
    ('2021-01-01', '2021-12-31')
    """
    if not text:
        return None
    match = DATE_PATTERN.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        import calendar

        if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
            return None
        return (f"{year}-{month}-{day}",) * 2
    if month:
        import calendar

        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def parse_date_option(text: str | None, option: str) -> str | None:
    """Check a ``--from``/``--to`` value (YYYY, YYYY-MM or YYYY-MM-DD); return it."""
    if text is None:
        return None
    bounds = date_bounds(text) if DATE_PATTERN.fullmatch(text.strip()) else None
    if bounds is None:
        raise UsageError(f"{option} {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return text.strip()


#: node kinds that carry a date of their own: with a date range, an undated one is an
#: "undated item" (kept, or dropped on request); other kinds are never dated
DATED_KINDS = ("statement", "act", "event", "judgement", "claim")


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days; either end may be open. ``undated``: whether a
    range keeps undated things (the default: the range says nothing about them)."""

    start: str | None = None
    end: str | None = None
    undated: bool = True

    @classmethod
    def from_options(cls, date_from: str | None, date_to: str | None,
                     undated: bool = True) -> "DateRange":
        start = parse_date_option(date_from, "--from")
        end = parse_date_option(date_to, "--to")
        first = date_bounds(start)[0] if start else None
        last = date_bounds(end)[1] if end else None
        if first and last and first > last:
            raise UsageError(f"--from {date_from} is after --to {date_to}")
        return cls(first, last, undated)

    def keeps_resource(self, kind: str, date: str | None, end_date: str | None = None) -> bool:
        """:meth:`keeps`, where only kinds that have dates can be undated items."""
        return bool(self.keeps(date, end_date) or (not date and kind not in DATED_KINDS))

    @property
    def open(self) -> bool:
        return self.start is None and self.end is None

    def keeps(self, date: str | None, end_date: str | None = None) -> bool:
        """Whether something dated ``date`` (to ``end_date``) overlaps the range.
        Undated things are kept unless the range drops them (``undated=False``)."""
        if self.open:
            return True
        if not date:
            return self.undated
        first = date_bounds(date)
        last = date_bounds(end_date) if end_date else first
        if first is None or last is None:
            return True
        return ((self.end is None or first[0] <= self.end)
                and (self.start is None or last[1] >= self.start))


def _pick_label(literals: Iterable[Literal]) -> str | None:
    """One label among several: English first, then untagged, then any; stable."""
    ranked = sorted(literals, key=lambda lit: (
        0 if lit.language == "en" else 1 if not lit.language else 2, str(lit)))
    return str(ranked[0]) if ranked else None


@dataclass(frozen=True)
class Read:
    """One slice of the store a view draws: the ``predicates`` (``None``: every
    predicate) of each IRI ``?s`` that the SPARQL group pattern ``subjects`` binds
    (empty: every subject). A view is a list of these, so it reads what it draws and
    not the whole store (at a million triples, or on a remote endpoint, the
    difference)."""

    subjects: str = ""
    predicates: tuple[URIRef, ...] | None = None

    def query(self) -> str:
        """The SELECT for this slice, in a shape every tested engine answers alike and
        fast: one branch per predicate, each a plain join that an index answers (no
        VALUES, which rdflib joins by comparing every row with every triple; no
        property paths, no OPTIONAL)."""
        if self.predicates is None:
            branches = [f"{self.subjects} ?s ?p ?o ."]
        else:
            branches = [f"{self.subjects} ?s <{p}> ?o . BIND(<{p}> AS ?p)"
                        for p in self.predicates]
        body = "\n  UNION\n  ".join("{ " + b.strip() + " }" for b in branches)
        return (sparql_prologue() + "SELECT DISTINCT ?s ?p ?o WHERE {\n  " + body
                + "\n  FILTER(isIRI(?s))\n}\n")


def evidence_reads(owner: str) -> list[Read]:
    """The evidence records of each ``?x`` the pattern ``owner`` binds, and their
    primary sources: what :meth:`Resources.evidence`, :meth:`Resources.passages` and
    :meth:`Resources.primary_sources` show."""
    return [
        Read(f"{owner} ?x kg:evidence ?s .",
             (KG.document, KG.locator, KG.passage, KG.primarySource)),
        Read(f"{owner} ?x kg:evidence ?e . ?e kg:primarySource ?s .",
             (SCHEMA.url, KG.outlet, DCTERMS.title, DCTERMS.date,
              DCTERMS.bibliographicCitation)),
    ]


#: What every view reads: each resource's types, names and dates (a node's kind, label
#: and date, whatever it is) and the statements' speakers (every actor's panel lists
#: its statements).
COMMON_READS = [
    Read("", (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, KG.date, KG.endDate)),
    Read("?s a kg:Statement .", (KG.speaker,)),
]
#: A panel showing every property (:func:`generic_details`) names an evidence record
#: by its document and locator.
EVIDENCE_NAMES = Read("?x kg:evidence ?s .", (KG.document, KG.locator))
#: A statement's panel (:func:`statement_details`).
STATEMENT_READS = [
    Read("?s a kg:Statement .", (KG.quote, KG.reportedAs, KG.speakerOffice, KG.voices,
                                 KG.refersTo, KG.target, KG.addressee, KG.channel,
                                 KG.evidence)),
    *evidence_reads("?x a kg:Statement ."),
]
#: A category judgement's panel (:func:`judgement_details`) and the act or actor it
#: judges.
JUDGEMENT_READS = [
    Read("?s a kg:CategoryJudgement .", (KG.judgedAct, KG.judgedActor, KG.category,
                                         KG.judgedBy, KG.quote, KG.evidence)),
    *evidence_reads("?x a kg:CategoryJudgement ."),
]
#: An act's panel (:func:`act_details`).
ACT_READS = [
    Read("?s a kg:Act .", (KG.performer, KG.target, KG.partOfEvent, KG.quote, KG.evidence)),
    *evidence_reads("?x a kg:Act ."),
]
#: A narrative attribution's panel (:func:`attribution_details`).
ATTRIBUTION_READS = [
    Read("?s a kg:NarrativeAttribution .", (KG.attributedActor, KG.attributedNarrative,
                                            KG.attributedBy, KG.evidence)),
    *evidence_reads("?x a kg:NarrativeAttribution ."),
]


class Resources:
    """Types, labels and the properties a view draws, read once.

    A few SELECTs (the view's :class:`Read` slices) give all a view needs; the
    projections then walk these dicts instead of issuing a query per node. A value
    list holds every value of its (subject, predicate): a slice reads a predicate
    whole or not at all.
    """

    def __init__(self, backend: Backend, reads: Iterable[Read] = (Read(),)) -> None:
        self._kinds: dict[str, tuple[str, str | None]] = {}
        #: one string per resource's label, however many panels show it (at 300k
        #: triples, a copy of a label in each panel was a fifth of the view's memory)
        self._labels: dict[str, str] = {}
        self._said: dict[str, list[str]] | None = None
        found: dict[str, dict[str, set[Node]]] = defaultdict(lambda: defaultdict(set))
        # one key string per predicate, not one per subject: a few dozen strings
        # instead of a copy in every subject's dict
        predicate_keys: dict[Node, str] = {}
        for read in reads:
            for s, p, o in backend.query(read.query()).rows:
                key = predicate_keys.get(p)
                if key is None:
                    key = predicate_keys[p] = str(p)
                found[str(s)][key].add(o)
        # each set becomes a sorted list in place (no second copy of a big graph),
        # so the page does not depend on the engine's row order
        for values in found.values():
            for predicate, objects in values.items():
                values[predicate] = sorted(objects, key=lambda term: (  # type: ignore
                    type(term).__name__, str(term), getattr(term, "language", "") or "",
                    str(getattr(term, "datatype", "") or "")))
            values.default_factory = list  # type: ignore[attr-defined]
        found.default_factory = lambda: defaultdict(list)
        self.props: dict[str, dict[str, list[Node]]] = found  # type: ignore[assignment]

    def values(self, iri: str, predicate: URIRef) -> list[Node]:
        found = self.props.get(iri)
        return list(found.get(str(predicate), ())) if found else []

    def iris(self, iri: str, predicate: URIRef) -> list[str]:
        return [str(o) for o in self.values(iri, predicate) if isinstance(o, URIRef)]

    def first(self, iri: str, predicate: URIRef) -> str | None:
        found = self.values(iri, predicate)
        return str(found[0]) if found else None

    def types(self, iri: str) -> list[str]:
        return self.iris(iri, RDF.type)

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            self._labels[iri] = self._label(iri)
        return self._labels[iri]

    def _label(self, iri: str) -> str:
        for predicate in LABEL_PREDICATES:
            found = _pick_label(o for o in self.values(iri, predicate)
                                if isinstance(o, Literal))
            if found:
                return found
        return curie(iri)

    def alt_labels(self, iri: str) -> list[str]:
        labels = {str(o) for o in self.values(iri, SKOS.altLabel)}
        labels |= {str(o) for p in LABEL_PREDICATES for o in self.values(iri, p)}
        labels.discard(self.label(iri))
        return sorted(labels)

    def kind(self, iri: str) -> tuple[str, str | None]:
        """(kind, actor kind) from the resource's kg: classes."""
        if iri not in self._kinds:
            self._kinds[iri] = self._kind(iri)
        return self._kinds[iri]

    def _kind(self, iri: str) -> tuple[str, str | None]:
        local = {t[len(str(KG)):] for t in self.types(iri) if t.startswith(str(KG))}
        for name in ACTOR_CLASSES:
            if name in local:
                return "actor", ACTOR_KIND_NAMES[name]
        for name, kind in KIND_OF_CLASS.items():
            if name in local:
                return kind, None
        return "resource", None

    def is_data(self, iri: str) -> bool:
        """Typed with one of kg:'s classes (an instance, not the ontology itself)."""
        return self.kind(iri)[0] != "resource"

    def node(self, iri: str, **extra) -> dict:
        """The attributes every view node has."""
        kind, actor_kind = self.kind(iri)
        attributes = {
            "kind": kind, "label": self.label(iri), "alt_labels": self.alt_labels(iri),
            "actor_kind": actor_kind, "date": self.first(iri, KG.date),
            "end_date": self.first(iri, KG.endDate), "narratives": [], "categories": [],
            "weight": None, "details": {},
        }
        attributes.update(extra)
        return attributes

    def evidence(self, iri: str) -> list[str]:
        """Each evidence record of ``iri`` as ``document label, locator``."""
        return [self.evidence_text(evid) for evid in self.iris(iri, KG.evidence)]

    def evidence_text(self, evid: str) -> str:
        """One evidence record as ``document label, locator`` (its IRI only when it
        names neither)."""
        parts = [self.label(doc) for doc in self.iris(evid, KG.document)]
        locator = self.first(evid, KG.locator)
        if locator:
            parts.append(locator)
        return ", ".join(parts) or curie(evid)

    def primary_sources(self, iri: str) -> list[dict]:
        """The primary sources behind ``iri``'s evidence, each as a record with
        outlet, title, date, link (http(s) only; the page checks again) and citation."""
        records = []
        for source in _sorted_unique(s for e in self.iris(iri, KG.evidence)
                                     for s in self.iris(e, KG.primarySource)):
            url = self.first(source, SCHEMA.url)
            records.append(_compact({
                "Source": self.label(source),
                "Outlet": [str(o) for o in self.values(source, KG.outlet)],
                "Title": [str(t) for t in self.values(source, DCTERMS.title)],
                "Date": self.first(source, DCTERMS.date),
                "Link": url if url and re.match(r"https?://", url, re.I) else None,
                "Citation": [str(c) for c in self.values(source,
                                                         DCTERMS.bibliographicCitation)],
            }))
        return records

    def statements_of(self, actor: str) -> list[str]:
        """Every kg:Statement whose speaker is ``actor``, in date order (undated last):
        what ``kgraph stats`` counts as the actor's statements."""
        if self._said is None:  # one pass over the store, then a look-up per actor
            self._said = defaultdict(list)
            for s in sorted(self.props):
                if self.kind(s)[0] == "statement":
                    for speaker in set(self.iris(s, KG.speaker)):
                        self._said[speaker].append(s)
        return sorted(self._said.get(actor, ()),
                      key=lambda s: (self.first(s, KG.date) or "9999", s))

    def labels_of(self, iri: str, predicate: URIRef) -> list[str]:
        return [self.label(o) for o in self.iris(iri, predicate)]

    def passages(self, iri: str) -> list[str]:
        """Each evidence passage of ``iri`` as ``locator: passage`` (the document's own
        words at that locator, as distinct from the speaker's words in kg:quote)."""
        return [f"{self.first(evid, KG.locator) or curie(evid)}: {passage}"
                for evid in self.iris(iri, KG.evidence)
                for passage in [self.first(evid, KG.passage)] if passage]


def _compact(details: dict) -> dict:
    """Drop empty fields, unwrap one-element lists of text."""
    out = {}
    for key, value in details.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            value = value[0]
        out[key] = value
    return out


def statement_details(res: Resources, iri: str) -> dict:
    """What the details panel shows for a statement: the speaker's own words
    (``Quote``, kg:quote) apart from the document's passage that reports them."""
    return _compact({
        "Quote": [str(q) for q in res.values(iri, KG.quote)],
        "Reported as": res.labels_of(iri, KG.reportedAs),
        "Passage": res.passages(iri),
        "Speaker": res.labels_of(iri, KG.speaker),
        "Office": res.labels_of(iri, KG.speakerOffice),
        "Date": res.first(iri, KG.date),
        "Narratives": res.labels_of(iri, KG.voices),
        "Refers to": res.labels_of(iri, KG.refersTo),
        "Target": res.labels_of(iri, KG.target),
        "Addressee": res.labels_of(iri, KG.addressee),
        "Channel": [str(c) for c in res.values(iri, KG.channel)],
        "_reported": [REPORTED_AS[r] for r in res.iris(iri, KG.reportedAs) if r in REPORTED_AS],
        "Evidence": res.evidence(iri),
        "Primary sources": res.primary_sources(iri),
        "Document": sorted({res.label(d) for e in res.iris(iri, KG.evidence)
                            for d in res.iris(e, KG.document)}),
        "Locator": [loc for e in res.iris(iri, KG.evidence)
                    for loc in [res.first(e, KG.locator)] if loc],
        "IRI": curie(iri),
    })


def judgement_details(res: Resources, iri: str) -> dict:
    """One category judgement: its category, judges, quote and evidence."""
    return _compact({
        "Judgement": res.label(iri),
        "Category": res.labels_of(iri, KG.category),
        "Judged by": res.labels_of(iri, KG.judgedBy) or ["(no judge named)"],
        "Quote": [str(q) for q in res.values(iri, KG.quote)],
        "Evidence": res.evidence(iri),
    })


def _judgements_by(res: Resources, judged=KG.judgedAct) -> dict[str, list[str]]:
    """What is judged (the act, or with ``KG.judgedActor`` the actor) → its judgements."""
    found: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(res.props):
        if res.kind(iri)[0] == "judgement":
            for thing in res.iris(iri, judged):
                found[thing].append(iri)
    return found


def act_details(res: Resources, iri: str, judgements: list[str]) -> dict:
    """What the details panel shows for an act, with every judgement on it."""
    return _compact({
        "Performer": res.labels_of(iri, KG.performer),
        "Date": res.first(iri, KG.date),
        "Target": res.labels_of(iri, KG.target),
        "Part of event": res.labels_of(iri, KG.partOfEvent),
        "Category": sorted({res.label(c) for j in judgements
                            for c in res.iris(j, KG.category)}),
        "Judged by": sorted({res.label(a) for j in judgements
                             for a in res.iris(j, KG.judgedBy)}),
        "Quote": [str(q) for q in res.values(iri, KG.quote)],
        "Judgements": [judgement_details(res, j) for j in judgements],
        "Evidence": res.evidence(iri),
        "IRI": curie(iri),
    })


def generic_details(res: Resources, iri: str, graph: Graph | None = None) -> dict:
    """Every property of ``iri`` (from ``graph`` if given, else the store) as text."""
    if graph is not None:
        pairs = sorted(graph.predicate_objects(URIRef(iri)), key=lambda po: (str(po[0]),
                                                                            str(po[1])))
    else:
        pairs = [(URIRef(p), o) for p, objects in sorted(res.props.get(iri, {}).items())
                 for o in objects]
    details: dict[str, list[str]] = {}
    for predicate, obj in pairs:
        if predicate in (RDF.type, SKOS.prefLabel, RDFS.label, SKOS.altLabel):
            continue
        if predicate == KG.evidence and isinstance(obj, URIRef):
            text = res.evidence_text(str(obj))  # document and locator, not the record id
        else:
            text = res.label(str(obj)) if isinstance(obj, URIRef) else str(obj)
        details.setdefault(field_name(str(predicate)), []).append(text)
    types = [res.label(t) for t in res.types(iri)]
    return _compact({"Type": types, **details, "IRI": curie(iri)})


def _sorted_unique(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


def _add_edge(graph: nx.MultiDiGraph, source: str, target: str, kind: str, **attrs) -> None:
    graph.add_edge(source, target, key=kind, kind=kind,
                   label=EDGE_LABELS.get(kind, kind), **{
                       "weight": 1, "dates": [], "narratives": [], "categories": [],
                       "details": {}, **attrs})


def actor_statements(res: Resources, actor: str, dates: DateRange = DateRange()) -> dict:
    """The panel's fields for an actor's statements: how many (every kg:Statement it
    is the speaker of, within ``dates``: what ``kgraph stats`` counts) and which."""
    said = [s for s in res.statements_of(actor) if dates.keeps(res.first(s, KG.date))]
    if not said:
        return {}
    return {"Statements": f"{len(said)} (every statement with this actor as speaker)",
            "Statements made": [" · ".join(p for p in (res.first(s, KG.date), res.label(s)) if p)
                                for s in said]}


def _with_actor_statements(details: dict, fields: dict) -> dict:
    """``details`` with ``fields`` put before its IRI (the last line of a panel)."""
    out = {k: v for k, v in details.items() if k != "IRI" and k not in fields}
    out.update(fields)
    if "IRI" in details:
        out["IRI"] = details["IRI"]
    return out


def _finish(graph: nx.MultiDiGraph, res: Resources, view: str, title: str,
            dates: DateRange = DateRange()) -> nx.MultiDiGraph:
    """Graph attributes the page's filters need, the statements in every actor's
    panel, and a deterministic node order."""
    for node, data in graph.nodes(data=True):
        if data["kind"] == "actor":
            data["details"] = _with_actor_statements(data["details"],
                                                     actor_statements(res, node, dates))
    narratives = _sorted_unique(n for _, d in graph.nodes(data=True) for n in d["narratives"])
    categories = _sorted_unique(c for _, d in graph.nodes(data=True) for c in d["categories"])
    ordered = nx.MultiDiGraph()
    ordered.graph.update(
        view=view, title=title,
        narrative_labels={n: res.label(n) for n in narratives},
        category_labels={c: res.label(c) for c in categories})
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    ordered.add_edges_from(sorted(graph.edges(keys=True, data=True),
                                  key=lambda e: (e[0], e[1], e[2])))
    return ordered


def _of_kind(res: Resources, kind: str) -> list[str]:
    return sorted(iri for iri in res.props if res.kind(iri)[0] == kind)


# ----------------------------------------------------------------------------- views

def attribution_details(res: Resources, iri: str) -> dict:
    """One narrative attribution: who attributes which narrative, in which passage."""
    return _compact({
        "Attribution": res.label(iri),
        "Attributed by": res.labels_of(iri, KG.attributedBy) or ["(no analyst named)"],
        "Passage": res.passages(iri),
        "Evidence": res.evidence(iri),
    })


def actor_narrative_view(res: Resources, dates: DateRange = DateRange()) -> nx.MultiDiGraph:
    """Actors and the narratives their statements voice, and the narratives analysts
    attribute to them (kg:NarrativeAttribution: undated, so kept by any date range).
    A voicing edge's weight is the number of statements, its details list them with
    their quotes and evidence; an attribution edge names the analysts."""
    graph = nx.MultiDiGraph()
    per_edge: dict[tuple[str, str], list[str]] = defaultdict(list)
    for stmt in _of_kind(res, "statement"):
        if not dates.keeps(res.first(stmt, KG.date)):
            continue
        for speaker in res.iris(stmt, KG.speaker):
            for narrative in res.iris(stmt, KG.voices):
                per_edge[speaker, narrative].append(stmt)
    attributed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for attribution in _of_kind(res, "attribution"):
        for actor in res.iris(attribution, KG.attributedActor):
            for narrative in res.iris(attribution, KG.attributedNarrative):
                attributed[actor, narrative].append(attribution)
    statements_of: dict[str, set[str]] = defaultdict(set)
    partners: dict[str, set[str]] = defaultdict(set)
    for (actor, narrative), stmts in per_edge.items():
        statements_of[actor].update(stmts)
        statements_of[narrative].update(stmts)
        partners[actor].add(narrative)
        partners[narrative].add(actor)
    attributed_to: dict[str, set[str]] = defaultdict(set)
    for actor, narrative in attributed:
        statements_of[actor].update(())
        statements_of[narrative].update(())
        attributed_to[actor].add(narrative)
        attributed_to[narrative].add(actor)
    narratives = {narrative for _, narrative in [*per_edge, *attributed]}
    for node, stmts in sorted(statements_of.items()):
        is_narrative = node in narratives
        if not is_narrative:  # size and count: all its statements, as kgraph stats
            stmts = {s for s in res.statements_of(node) if dates.keeps(res.first(s, KG.date))}
        graph.add_node(node, **res.node(
            node, weight=len(stmts),
            narratives=[node] if is_narrative else sorted(partners[node])))
        data = graph.nodes[node]
        data["details"] = _compact({
            "Type": data["actor_kind"] or data["kind"].capitalize(),
            "Also called": res.alt_labels(node),
            "Definition": [str(d) for d in res.values(node, SKOS.definition)],
            "Statements": f"{len(stmts)} (voicing this narrative)" if is_narrative else None,
            ("Voiced by" if is_narrative else "Narratives voiced"):
                sorted(res.label(other) for other in partners[node]),
            ("Attributed by analysts to" if is_narrative else "Narratives attributed by analysts"):
                sorted(res.label(other) for other in attributed_to[node]),
            "IRI": curie(node),
        })
        if not is_narrative:
            data["narratives"] = sorted(partners[node] | attributed_to[node])
    # A statement voicing two narratives (or said by two speakers) is listed on each
    # of its links: one panel object, shared, instead of a copy per link.
    panels: dict[str, dict] = {}
    for (actor, narrative), stmts in sorted(per_edge.items()):
        for s in stmts:
            if s not in panels:
                panels[s] = {"Statement": res.label(s), **statement_details(res, s)}
        _add_edge(graph, actor, narrative, "voices", weight=len(stmts),
                  dates=sorted(d for s in stmts for d in [res.first(s, KG.date)] if d),
                  narratives=[narrative], details={
                      "Speaker": res.label(actor), "Narrative": res.label(narrative),
                      "Statements": [panels[s] for s in stmts]})
    for (actor, narrative), attributions in sorted(attributed.items()):
        _add_edge(graph, actor, narrative, "attributed", weight=len(attributions),
                  narratives=[narrative], details={
                      "Actor": res.label(actor), "Narrative": res.label(narrative),
                      "Attributed by": _sorted_unique(res.label(a) for n in attributions
                                                      for a in res.iris(n, KG.attributedBy)),
                      "Attributions": [attribution_details(res, n) for n in attributions]})
    # Narrower-than links group narratives into families; the broader narratives
    # join the page even when no statement voices them directly.
    pending = sorted(narratives)
    while pending:
        narrative = pending.pop()
        for broader in res.iris(narrative, SKOS.broader):
            if broader not in graph:
                graph.add_node(broader, **res.node(broader, weight=0, narratives=[broader]))
                graph.nodes[broader]["details"] = _compact({
                    "Type": "Narrative", "Definition":
                        [str(d) for d in res.values(broader, SKOS.definition)],
                    "Statements": "0 (voiced through its narrower narratives)",
                    "Narrower": sorted(res.label(n) for n in res.props
                                       if broader in res.iris(n, SKOS.broader)),
                    "IRI": curie(broader)})
                pending.append(broader)
            _add_edge(graph, narrative, broader, "broader", structural=True,
                      narratives=[narrative, broader])
    return _finish(graph, res, "actor-narrative", "Actors and narratives", dates)


def revisionism_view(res: Resources, dates: DateRange = DateRange()) -> nx.MultiDiGraph:
    """Actors → the acts they performed → the revisionism categories analysts judged
    them to be; each act → category edge names who judged it. An actor the analysts
    place in a category itself (kg:judgedActor, undated) has its own actor → category
    edge."""
    graph = nx.MultiDiGraph()
    judgements = _judgements_by(res)
    acts_of: dict[str, set[str]] = defaultdict(set)
    for act in _of_kind(res, "act"):
        if not dates.keeps(res.first(act, KG.date)):
            continue
        on_act = judgements.get(act, [])
        categories = _sorted_unique(c for j in on_act for c in res.iris(j, KG.category))
        graph.add_node(act, **res.node(act, categories=categories,
                                       details=act_details(res, act, on_act)))
        for category in categories:
            graph.add_node(category, **res.node(category, categories=[category]))
            on_category = [j for j in on_act if category in res.iris(j, KG.category)]
            judges = _sorted_unique(res.label(a) for j in on_category
                                    for a in res.iris(j, KG.judgedBy))
            _add_edge(graph, act, category, "judged-as", weight=len(on_category),
                      dates=[d for d in [res.first(act, KG.date)] if d],
                      categories=[category], details=_compact({
                          "Act": res.label(act), "Category": res.label(category),
                          "Judged by": judges,
                          "Judgements": [judgement_details(res, j) for j in on_category]}))
        for performer in res.iris(act, KG.performer):
            acts_of[performer].add(act)
            if performer not in graph:
                graph.add_node(performer, **res.node(performer))
            _add_edge(graph, performer, act, "performed",
                      dates=[d for d in [res.first(act, KG.date)] if d],
                      categories=categories)
    judged_actors = _judgements_by(res, KG.judgedActor) if dates.keeps(None) else {}
    for actor, on_actor in sorted(judged_actors.items()):
        if actor not in graph:
            graph.add_node(actor, **res.node(actor))
        for category in _sorted_unique(c for j in on_actor for c in res.iris(j, KG.category)):
            graph.add_node(category, **res.node(category, categories=[category]))
            on_category = [j for j in on_actor if category in res.iris(j, KG.category)]
            _add_edge(graph, actor, category, "judged-as", weight=len(on_category),
                      categories=[category], details=_compact({
                          "Actor": res.label(actor), "Category": res.label(category),
                          "Judged by": _sorted_unique(res.label(a) for j in on_category
                                                      for a in res.iris(j, KG.judgedBy)),
                          "Judgements": [judgement_details(res, j) for j in on_category]}))
    for node, data in graph.nodes(data=True):
        if data["kind"] == "category":
            judged = sorted(u for u, _ in graph.in_edges(node))
            data["weight"] = len(judged)
            data["details"] = _compact({
                "Type": "Revisionism category",
                "Definition": [str(d) for d in res.values(node, SKOS.definition)],
                "Theorised by": res.labels_of(node, KG.theorisedBy),
                "Acts judged so": [res.label(a) for a in judged if a not in judged_actors],
                "Actors judged so": [res.label(a) for a in judged if a in judged_actors],
                "IRI": curie(node)})
        elif node in acts_of or node in judged_actors:
            acts = sorted(acts_of[node])
            own = _sorted_unique(c for j in judged_actors.get(node, [])
                                 for c in res.iris(j, KG.category))
            data["weight"] = len(acts) + len(own)
            data["categories"] = _sorted_unique([*own, *(c for a in acts
                                                         for c in graph.nodes[a]["categories"])])
            data["details"] = _compact({
                "Type": data["actor_kind"] or data["kind"].capitalize(),
                "Also called": res.alt_labels(node),
                "Acts": [res.label(a) for a in acts],
                "Judged itself as": [res.label(c) for c in own], "IRI": curie(node)})
    return _finish(graph, res, "revisionism", "Revisionism: acts and how analysts judged them",
                   dates)


def statements_view(res: Resources, dates: DateRange = DateRange()) -> nx.MultiDiGraph:
    """Speaker → statement → the narratives it voices and the events it refers to."""
    graph = nx.MultiDiGraph()
    narratives_of: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for stmt in _of_kind(res, "statement"):
        date = res.first(stmt, KG.date)
        if not dates.keeps(date):
            continue
        narratives = res.iris(stmt, KG.voices)
        graph.add_node(stmt, **res.node(stmt, narratives=narratives,
                                        details=statement_details(res, stmt)))
        for speaker in res.iris(stmt, KG.speaker):
            narratives_of[speaker].update(narratives)
            count[speaker] += 1
            if speaker not in graph:
                graph.add_node(speaker, **res.node(speaker))
            _add_edge(graph, speaker, stmt, "said", dates=[date] if date else [],
                      narratives=narratives)
        for narrative in narratives:
            count[narrative] += 1
            if narrative not in graph:
                graph.add_node(narrative, **res.node(narrative, narratives=[narrative]))
            _add_edge(graph, stmt, narrative, "voices-narrative",
                      dates=[date] if date else [], narratives=[narrative])
        for event in res.iris(stmt, KG.refersTo):
            if not dates.keeps(res.first(event, KG.date), res.first(event, KG.endDate)):
                continue
            count[event] += 1
            narratives_of[event].update(narratives)
            if event not in graph:
                graph.add_node(event, **res.node(event))
            _add_edge(graph, stmt, event, "refers-to", dates=[date] if date else [],
                      narratives=narratives)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "statement":
            continue
        data["weight"] = count[node]
        if data["kind"] != "narrative":
            data["narratives"] = sorted(narratives_of[node])
        data["details"] = generic_details(res, node)
    return _finish(graph, res, "statements", "Statements: who said what", dates)


def full_view(res: Resources, dates: DateRange = DateRange()) -> nx.MultiDiGraph:
    """Every resource typed with a kg: class, and every link between two of them."""
    graph = nx.MultiDiGraph()
    judgements = _judgements_by(res)
    for iri in sorted(res.props):
        if not res.is_data(iri):
            continue
        if not dates.keeps_resource(res.kind(iri)[0], res.first(iri, KG.date),
                                    res.first(iri, KG.endDate)):
            continue
        attributes = res.node(iri)
        kind = attributes["kind"]
        if kind == "statement":
            attributes["details"] = statement_details(res, iri)
            attributes["narratives"] = res.iris(iri, KG.voices)
        elif kind == "act":
            attributes["details"] = act_details(res, iri, judgements.get(iri, []))
            attributes["categories"] = _sorted_unique(
                c for j in judgements.get(iri, []) for c in res.iris(j, KG.category))
        elif kind == "judgement":
            attributes["details"] = judgement_details(res, iri)
            attributes["categories"] = res.iris(iri, KG.category)
        elif kind == "attribution":
            attributes["details"] = attribution_details(res, iri)
            attributes["narratives"] = res.iris(iri, KG.attributedNarrative)
        else:
            attributes["details"] = generic_details(res, iri)
            if kind == "narrative":
                attributes["narratives"] = [iri]
            elif kind == "category":
                attributes["categories"] = [iri]
        graph.add_node(iri, **attributes)
    for iri in list(graph):
        for predicate, objects in sorted(res.props[iri].items()):
            if predicate == str(RDF.type):
                continue
            for obj in objects:
                if isinstance(obj, URIRef) and str(obj) in graph and str(obj) != iri:
                    kind = curie(predicate)
                    graph.add_edge(iri, str(obj), key=kind, kind=kind,
                                   label=field_name(predicate).lower(), weight=1,
                                   dates=[], narratives=[], categories=[], details={})
    # An office holding (org:Membership, not a kg: class) is drawn as a person → office
    # link, as org:holds was before holdings had time.
    for holding in sorted(res.props):
        if str(ORG.Membership) not in res.types(holding):
            continue
        former = any(str(v).lower() == "true" for v in res.values(holding, KG.former))
        for member in res.iris(holding, ORG.member):
            for office in res.iris(holding, ORG.role):
                if member in graph and office in graph:
                    graph.add_edge(member, office, key="org:role", kind="org:role",
                                   label="held office (former)" if former else "holds office",
                                   weight=1, dates=[], narratives=[], categories=[],
                                   details=_compact({"Office holding": res.label(holding),
                                                     "Evidence": res.evidence(holding)}))
    return _finish(graph, res, "full", "The whole graph", dates)


def _reified_links(constructed: Graph) -> dict[Node, tuple[str, str, str]]:
    """Reified triples in a CONSTRUCT answer (``rdf:subject``, ``rdf:predicate`` and
    ``rdf:object`` on one resource or blank node, usually typed ``rdf:Statement``):
    resource → (subject, predicate, object). They describe a link; they are not nodes."""
    links = {}
    for record in sorted(set(constructed.subjects(RDF.subject)), key=str):
        parts = [constructed.value(record, p) for p in (RDF.subject, RDF.predicate,
                                                        RDF.object)]
        if all(isinstance(part, URIRef) for part in parts):
            links[record] = tuple(str(part) for part in parts)
    return links


def _link_weight(constructed: Graph, record: Node) -> float | None:
    value = constructed.value(record, RDF.value)
    try:
        weight = float(value.toPython()) if isinstance(value, Literal) else None
    except (TypeError, ValueError):
        return None
    return weight if weight is not None and weight > 0 else None


def construct_view(res: Resources, constructed: Graph, name: str,
                   summary: str | None = None) -> nx.MultiDiGraph:
    """The result of a CONSTRUCT query: each IRI a node, each IRI-valued triple an
    edge (its predicate the kind, named by the predicate's label). A reified triple
    (an ``rdf:Statement`` with ``rdf:subject/predicate/object``) is no node of its
    own: it is that link, its ``rdf:value`` the weight, its label and
    ``dcterms:subject`` values the link's details. Types and labels come from the
    result when it has them, else from the store. ``summary`` (the query's
    ``#+ summary``) titles the page."""
    for s, p, o in constructed:  # the result's own types and labels win
        if p in (RDF.type, SKOS.prefLabel, RDFS.label, SKOS.altLabel):
            bucket = res.props[str(s)][str(p)]
            if o not in bucket:
                bucket.append(o)
    reified = _reified_links(constructed)
    records = {str(r) for r in reified}
    # what only describes a reified link (its subjects, say) is no node either
    about_links = {str(o) for r in reified for o in constructed.objects(r)}
    graph = nx.MultiDiGraph()
    iris = {str(s) for s in constructed.subjects() if isinstance(s, URIRef)}
    iris |= {str(o) for s, p, o in constructed if isinstance(o, URIRef) and p != RDF.type
             and str(s) not in records}
    iris -= records
    iris |= {end for s, _, o in reified.values() for end in (s, o)}
    used = {end for s, _, o in reified.values() for end in (s, o)}
    used |= {str(x) for s, p, o in constructed if p != RDF.type and str(s) not in records
             and isinstance(o, URIRef) for x in (s, o)}
    iris = {i for i in iris if i in used or i not in about_links}
    for iri in sorted(iris):
        attributes = res.node(iri, details=generic_details(res, iri, constructed))
        if attributes["kind"] == "narrative":
            attributes["narratives"] = [iri]
        elif attributes["kind"] == "category":
            attributes["categories"] = [iri]
        graph.add_node(iri, **attributes)
    links: dict[tuple[str, str, str], dict] = {}
    for s, p, o in constructed:
        if (p != RDF.type and isinstance(o, URIRef) and str(s) in graph
                and str(o) in graph and o != s):
            link = links.setdefault((str(s), str(o), str(p)), {"count": 0, "records": []})
            link["count"] += 1
    for record, (s, p, o) in reified.items():
        if s in graph and o in graph and s != o:
            links.setdefault((s, o, p), {"count": 0, "records": []})["records"].append(record)
    for (source, target, predicate), link in sorted(links.items()):
        kind = curie(predicate)
        weights = [w for r in link["records"] for w in [_link_weight(constructed, r)] if w]
        weight = sum(weights) if weights else max(link["count"], 1)
        about = _sorted_unique(str(o) for r in link["records"]
                               for o in constructed.objects(r, DCTERMS.subject))
        labels = _sorted_unique(str(o) for r in link["records"]
                                for o in constructed.objects(r, RDFS.label))
        words = res.label(predicate)
        words = field_name(predicate).lower() if words == curie(predicate) else words
        symmetric = str(OWL.SymmetricProperty) in res.types(predicate)
        graph.add_edge(source, target, key=kind, kind=kind, label=words, symmetric=symmetric,
                       weight=int(weight) if float(weight).is_integer() else weight,
                       dates=[], narratives=[a for a in about if res.kind(a)[0] == "narrative"],
                       categories=[], details=_compact({
                           "Description": labels, "Weight": str(weight if not float(weight).is_integer()
                                                         else int(weight)) if weights else None,
                           "About": [res.label(a) for a in about]}))
    for node, data in graph.nodes(data=True):
        if data["kind"] == "actor":
            data["narratives"] = _sorted_unique(
                [t for _, t in graph.out_edges(node) if graph.nodes[t]["kind"] == "narrative"]
                + [n for *_, d in graph.edges(node, data=True) for n in d["narratives"]]
                + [n for *_, d in graph.in_edges(node, data=True) for n in d["narratives"]])
    graph = _finish(graph, res, "query", summary or f"Query: {name}")
    graph.graph["summary"] = summary
    return graph


PROJECTIONS = {
    "actor-narrative": actor_narrative_view, "revisionism": revisionism_view,
    "statements": statements_view, "full": full_view,
}

#: What each view reads of the store (see :class:`Read`); ``query`` is a CONSTRUCT
#: query's page, whose links and details come from the query's answer.
VIEW_READS: dict[str, list[Read]] = {
    "actor-narrative": [*COMMON_READS, *STATEMENT_READS, *ATTRIBUTION_READS,
                        Read("", (SKOS.definition, SKOS.broader))],
    "revisionism": [*COMMON_READS, *ACT_READS, *JUDGEMENT_READS,
                    Read("", (SKOS.definition, KG.theorisedBy))],
    # the panels of speakers, narratives and events show every property they have
    "statements": [*COMMON_READS, *STATEMENT_READS, EVIDENCE_NAMES,
                   Read("?x a kg:Statement ; ?link ?s . "
                        "FILTER(?link IN (kg:speaker, kg:voices, kg:refersTo))")],
    # every kg: resource whole (its panel shows every property), office holdings too
    "full": [*COMMON_READS, Read("?s a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))"),
             Read("?s a org:Membership ."), *evidence_reads("")],
    "query": [*COMMON_READS, EVIDENCE_NAMES],
}


# --------------------------------------------------------------------------- focus

def find_node(graph: nx.MultiDiGraph, focus: str) -> str:
    """The node ``focus`` names: an IRI, a prefixed name (``actor:lavrov``) or a label
    or alternative label (case-insensitive). Raises UsageError when none or several
    match."""
    text = focus.strip()
    iri = expand(text.strip("<>"))
    if iri in graph:
        return iri
    needle = text.casefold()
    matches = sorted(node for node, data in graph.nodes(data=True)
                     if needle == data["label"].casefold()
                     or any(needle == alt.casefold() for alt in data["alt_labels"]))
    if len(matches) == 1:
        return matches[0]
    view = graph.graph.get("view", "this")
    if not matches:
        raise UsageError(f"--focus {focus!r}: no node with that IRI or label in the "
                         f"{view} view")
    raise UsageError(f"--focus {focus!r} is ambiguous in the {view} view: "
                     + ", ".join(curie(m) for m in matches))


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int) -> nx.MultiDiGraph:
    """The nodes at most ``depth`` links from ``centre`` (either direction), with the
    links among them."""
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True),
                                                 centre, cutoff=depth)
    # in the view's own order: graph.subgraph() iterates a set of the kept nodes,
    # whose order changes with the process's string hash seed
    sub = nx.MultiDiGraph()
    sub.graph.update(graph.graph)
    sub.add_nodes_from((n, data) for n, data in graph.nodes(data=True) if n in keep)
    sub.add_edges_from((u, v, k, data) for u, v, k, data in graph.edges(keys=True, data=True)
                       if u in keep and v in keep)
    sub.graph["focus"] = centre
    return sub


# --------------------------------------------------------------------------- entry

def read_construct_query(name: str | Path, root: Path | None) -> tuple[str, Path]:
    """Read a CONSTRUCT query file: ``name`` as a path, or a file in ``queries/``."""
    candidates = [Path(name)]
    if root is not None:
        candidates.append(Path(root) / QUERIES_DIR / Path(name).name)
    for path in candidates:
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8"), path
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read query file: {exc}", path=path) from None
    raise InputError("query file not found (looked for "
                     + " and ".join(str(c) for c in candidates) + ")", path=name)


def _query_summary(text: str) -> str | None:
    """A query file's ``#+ summary``, if it has one."""
    from .catalogue import parse_decorators

    summary = parse_decorators(text).get("summary")
    return str(summary).strip() or None if summary else None


def project(backend: Backend, view: str = "actor-narrative", *,
            query: str | Path | None = None, root: Path | None = None,
            focus: str | None = None, depth: int = 1, date_from: str | None = None,
            date_to: str | None = None, undated: bool = True) -> nx.MultiDiGraph:
    """Project the store into a networkx graph: a named view, or the result of a
    CONSTRUCT query file; optionally only the neighbourhood of ``focus`` and only what
    is dated between ``date_from`` and ``date_to`` (undated things are kept).

    Parameters
    ----------
    backend : the store to read.
    view : one of :data:`VIEWS` (ignored when ``query`` is given).
    query : a CONSTRUCT query file, as a path or a name in ``root/queries/``.
    focus, depth : keep nodes within ``depth`` links of the node ``focus`` names.
    date_from, date_to : ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    undated : with a date range, keep undated statements, acts and events (counted
        in the graph attribute ``undated_kept``) or, if false, leave them out.

    Examples
    --------
    >>> from kgraph.load import load_project
    >>> g = project(load_project("."), "actor-narrative", focus="Lukashenko")  # doctest: +SKIP
    >>> g.nodes["https://w3id.org/kgraph/actor/lukashenka"]["kind"]  # doctest: +SKIP
    'actor'
    """
    dates = DateRange.from_options(date_from, date_to, undated)
    if query is None and view not in PROJECTIONS:
        raise UsageError(f"unknown view {view!r}; choose one of " + ", ".join(VIEWS))
    res = Resources(backend, VIEW_READS["query" if query is not None else view])
    if query is not None:
        text, path = read_construct_query(query, root)
        result = backend.query(text, source=path)
        if result.graph is None:
            raise UsageError(f"{path.name} is a {result.kind} query; --query needs a "
                             "CONSTRUCT (or DESCRIBE) query")
        graph = construct_view(res, result.graph, path.name, _query_summary(text))
        if not dates.open:
            drop = [n for n, d in graph.nodes(data=True)
                    if not dates.keeps_resource(d["kind"], d["date"], d["end_date"])]
            graph.remove_nodes_from(drop)
    else:
        graph = PROJECTIONS[view](res, dates)
    if dates.start or dates.end:
        graph.graph["date_range"] = [dates.start, dates.end]
    if focus is not None:
        graph = neighbourhood(graph, find_node(graph, focus), depth)
    if not dates.open:
        graph.graph["undated_kept"] = len(undated_items(res, graph))
    return graph


def undated_items(res: Resources, graph: nx.MultiDiGraph) -> list[str]:
    """The undated statements, acts and events a view draws: as nodes, or (in the
    actor–narrative view) folded into the links between their speaker and narrative."""
    items = {n for n, d in graph.nodes(data=True)
             if d["kind"] in DATED_KINDS and not d["date"]}
    if graph.graph.get("view") == "actor-narrative":
        items |= {s for s in _of_kind(res, "statement") if not res.first(s, KG.date)
                  and any(graph.has_edge(a, n, "voices") for a in res.iris(s, KG.speaker)
                          for n in res.iris(s, KG.voices))}
    return sorted(items)


def view_summary(graph: nx.MultiDiGraph) -> Mapping[str, int]:
    """Nodes per kind, for messages and tests."""
    counts: dict[str, int] = defaultdict(int)
    for _, data in graph.nodes(data=True):
        counts[data["kind"]] += 1
    return dict(sorted(counts.items()))


def project_view(backend: Backend, view: str = "full") -> nx.MultiDiGraph:
    """One named view of the whole store (no focus, no dates), as export uses it.

    >>> g = project_view(load_project("."), "full")  # doctest: +SKIP
    """
    return project(backend, view)
