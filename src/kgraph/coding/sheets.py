"""The coding workbook's layout: which worksheet holds which things, which column holds
which property, and how a cell spells an RDF term.

A cell holds one value or a list. Lists of names are separated by ``"; "``; lists of
long texts (quotes, titles, notes) by line breaks, since a quote may contain a
semicolon. A text in the column's language (English) is written as it is; another
language carries a suffix, ``Лукашенко@ru``. A reference is a prefixed name
(``actor:lavrov``), an ``<IRI>``, or a label of a thing in the workbook. Dates are
``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as precise as the text is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from ..namespaces import KG, PREFIXES, SCHEMA

NAMES = "; "   # separator of a list of names and references
LINES = "\n"   # separator of a list of long texts

#: how a column's cells map to RDF terms
TEXT = "text"          # a language-tagged string, English unless suffixed @xx
PLAIN = "plain"        # a string without language or datatype
REF = "ref"            # an IRI: prefixed name, <IRI> or a label
DATE = "date"          # xsd:gYear, xsd:gYearMonth or xsd:date by the cell's form
INTEGER = "integer"    # xsd:integer
URL = "url"            # an xsd:anyURI literal
BOOLEAN = "boolean"    # xsd:boolean, written true or false
KIND = "kind"          # rdf:type, as kg: local names or prefixed names

DEFAULT_LANGUAGE = "en"
LANGUAGE_SUFFIX = re.compile(r"(?<=\S)@([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)$")
DATE_FORMS = {
    re.compile(r"[0-9]{4}"): XSD.gYear,
    re.compile(r"[0-9]{4}-[0-9]{2}"): XSD.gYearMonth,
    re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"): XSD.date,
}


@dataclass(frozen=True)
class Column:
    """One column: its header, the property it holds and how its cells read."""

    header: str
    predicate: URIRef | None  # None for the ``id`` column
    value: str
    separator: str = NAMES
    width: int = 18
    #: worksheets whose rows a reference may name (by prefixed name or label)
    targets: tuple[str, ...] = ()
    #: a drop-down list of the targets' ids in the XLSX (single references only)
    choices: bool = False
    #: informative: filled on export from the row's evidence records (see importer)
    mirror: bool = False
    #: properties that repeat the column's values (rdfs:label beside skos:prefLabel,
    #: so that tools reading either see a label): written on import, checked on export
    also: tuple[URIRef, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """One worksheet: the things it lists, where new ones go, and its columns."""

    name: str
    #: the graph/ file new rows are written to (existing rows stay where they are)
    file: str
    #: the namespace prefix of IRIs minted for new rows
    prefix: str
    #: a thing belongs to the first sheet one of whose classes it has
    classes: tuple[URIRef, ...]
    columns: tuple[Column, ...]
    #: the rdf:type of a new row whose kind cell is empty
    default_kind: URIRef | None = None
    #: types every row has besides its kind (not shown in the kind cell): a narrative
    #: is a skos:Concept explicitly, for SKOS tools that do not read the ontology
    implied_kinds: tuple[URIRef, ...] = ()
    #: columns of which a row fills exactly one (a judgement's act or actor)
    one_of: tuple[str, ...] = ()

    def column(self, header: str) -> Column | None:
        return next((c for c in self.columns if c.header == header), None)

    @property
    def label_column(self) -> Column:
        return next(c for c in self.columns if c.header == "label")


ID = Column("id", None, REF, width=34)


def kind(width: int = 14) -> Column:
    return Column("kind", RDF.type, KIND, width=width)


NOTE = Column("note", SKOS.editorialNote, TEXT, LINES, width=40)
EVIDENCE = Column("evidence", KG.evidence, REF, width=34, targets=("evidence",))
QUOTE = Column("quote", KG.quote, TEXT, LINES, width=60)

#: the evidence record's columns repeated on a row that cites it (see importer)
MIRRORS = (
    Column("document", KG.document, REF, width=26, targets=("documents",), choices=True,
           mirror=True),
    Column("locator", KG.locator, PLAIN, width=18, mirror=True),
    Column("page", KG.page, INTEGER, width=8, mirror=True),
    Column("footnote", KG.footnote, INTEGER, width=10, mirror=True),
    Column("primary source", KG.primarySource, REF, width=26, targets=("sources",),
           mirror=True),
    Column("passage", KG.passage, TEXT, LINES, width=60, mirror=True),
)

ACTOR_CLASSES = (KG.Person, KG.State, KG.Organisation, KG.Agency, KG.MediaOutlet,
                 KG.InternationalOrganisation, KG.Faction, KG.Bloc)
ACTORS = ("actors",)


def concept_sheet(name: str, file: str, prefix: str, cls: URIRef) -> Sheet:
    """Narratives and categories: SKOS concepts in a scheme."""
    return Sheet(name, file, prefix, (cls,), (
        ID, kind(),
        Column("label", SKOS.prefLabel, TEXT, LINES, width=34, also=(RDFS.label,)),
        Column("definition", SKOS.definition, TEXT, LINES, width=50),
        Column("broader", SKOS.broader, REF, width=30, targets=(name,)),
        Column("other spellings", SKOS.altLabel, TEXT, width=26),
        Column("scheme", SKOS.inScheme, REF, width=14),
        Column("top concept of", SKOS.topConceptOf, REF, width=14),
        Column("theorised by", KG.theorisedBy, REF, width=22, targets=ACTORS),
        QUOTE, EVIDENCE, NOTE,
    ), default_kind=cls, implied_kinds=(SKOS.Concept,))


def judgement_sheet(name: str, file: str, cls: URIRef, what: tuple[Column, ...],
                    which: Column, judges: Column) -> Sheet:
    """An analyst's judgement: what is judged (one of the ``what`` columns), what it is
    judged to be, and by whom (category judgements on acts or on actors themselves;
    narrative attributions to actors)."""
    return Sheet(name, file, "judg", (cls,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=40),
        *what, which, judges,
        QUOTE, EVIDENCE, *MIRRORS, NOTE,
    ), default_kind=cls, one_of=tuple(c.header for c in what) if len(what) > 1 else ())


SHEETS: tuple[Sheet, ...] = (
    Sheet("documents", "sources.ttl", "doc", (KG.Document,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=34),
        Column("file", KG.corpusFile, PLAIN, width=28),
        Column("title", DCTERMS.title, TEXT, LINES, width=40),
        Column("authors", DCTERMS.creator, REF, width=26, targets=ACTORS),
        Column("date", DCTERMS.date, DATE, width=12),
        Column("language", DCTERMS.language, PLAIN, width=10),
        Column("citation", DCTERMS.bibliographicCitation, PLAIN, LINES, width=30),
        Column("rights", DCTERMS.rights, PLAIN, LINES, width=20),
        Column("license", DCTERMS.license, REF, width=20),
        Column("sha256", KG.sha256, PLAIN, width=20),
        Column("section headings", KG.sectionHeading, PLAIN, LINES, width=30),
        NOTE,
    ), default_kind=KG.Document),
    Sheet("actors", "actors.ttl", "actor", ACTOR_CLASSES, (
        ID, kind(),
        Column("label", SKOS.prefLabel, TEXT, LINES, width=28, also=(RDFS.label,)),
        Column("other spellings", SKOS.altLabel, TEXT, width=30),
        Column("state", KG.affiliatedState, REF, width=18, targets=ACTORS),
        Column("member of", ORG.memberOf, REF, width=20, targets=ACTORS),
        EVIDENCE, NOTE,
    ), default_kind=KG.Person),
    Sheet("offices", "actors.ttl", "office", (KG.Office,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=34),
        Column("post in", ORG.postIn, REF, width=20, targets=ACTORS, choices=True),
        NOTE,
    ), default_kind=KG.Office),
    Sheet("memberships", "actors.ttl", "office", (ORG.Membership,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=34),
        Column("member", ORG.member, REF, width=22, targets=ACTORS, choices=True),
        Column("office", ORG.role, REF, width=28, targets=("offices",), choices=True),
        Column("organisation", ORG.organization, REF, width=20, targets=ACTORS),
        Column("from", KG.date, DATE, width=12),
        Column("to", KG.endDate, DATE, width=12),
        Column("former", KG.former, BOOLEAN, width=8),
        EVIDENCE, NOTE,
    ), default_kind=ORG.Membership),
    concept_sheet("narratives", "narratives.ttl", "narr", KG.Narrative),
    concept_sheet("categories", "categories.ttl", "cat", KG.RevisionismCategory),
    Sheet("statements", "statements.ttl", "stmt", (KG.Statement,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=40),
        Column("speaker", KG.speaker, REF, width=22, targets=ACTORS, choices=True),
        Column("office", KG.speakerOffice, REF, width=22, targets=("offices",)),
        Column("date", KG.date, DATE, width=12),
        Column("reported as", KG.reportedAs, REF, width=14, choices=True),
        QUOTE,
        # a drop-down offers one narrative; "a; b" is kept with a warning, not refused
        Column("narratives", KG.voices, REF, width=30, targets=("narratives",),
               choices=True),
        Column("refers to", KG.refersTo, REF, width=24, targets=("events",)),
        Column("addressee", KG.addressee, REF, width=18, targets=ACTORS),
        Column("target", KG.target, REF, width=18, targets=ACTORS),
        Column("channel", KG.channel, TEXT, LINES, width=18),
        EVIDENCE, *MIRRORS, NOTE,
    ), default_kind=KG.Statement),
    Sheet("acts", "acts.ttl", "act", (KG.Act,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=40),
        Column("performer", KG.performer, REF, width=18, targets=ACTORS),
        Column("date", KG.date, DATE, width=12),
        Column("part of event", KG.partOfEvent, REF, width=24, targets=("events",)),
        Column("target", KG.target, REF, width=18, targets=ACTORS),
        Column("invokes", KG.invokes, REF, width=24, targets=("narratives",)),
        QUOTE, EVIDENCE, *MIRRORS, NOTE,
    ), default_kind=KG.Act),
    judgement_sheet("judgements", "acts.ttl", KG.CategoryJudgement,
                    (Column("act", KG.judgedAct, REF, width=30, targets=("acts",),
                            choices=True),
                     # an actor the text itself places in a category (000 p. 170)
                     Column("actor", KG.judgedActor, REF, width=22, targets=ACTORS,
                            choices=True)),
                    Column("category", KG.category, REF, width=18,
                           targets=("categories",), choices=True),
                    Column("judged by", KG.judgedBy, REF, width=24, targets=ACTORS)),
    judgement_sheet("attributions", "attributions.ttl", KG.NarrativeAttribution,
                    (Column("actor", KG.attributedActor, REF, width=22, targets=ACTORS,
                            choices=True),),
                    Column("narrative", KG.attributedNarrative, REF, width=28,
                           targets=("narratives",), choices=True),
                    Column("attributed by", KG.attributedBy, REF, width=24,
                           targets=ACTORS)),
    Sheet("claims", "claims.ttl", "claim", (KG.Claim,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=40),
        Column("claimant", KG.claimant, REF, width=22, targets=ACTORS),
        Column("concerns", KG.concerns, REF, width=30),
        Column("supports", KG.supports, REF, width=26, targets=("claims",)),
        Column("qualifies", KG.qualifies, REF, width=26, targets=("claims",)),
        Column("contradicts", KG.contradicts, REF, width=26, targets=("claims",)),
        QUOTE, EVIDENCE, *MIRRORS, NOTE,
    ), default_kind=KG.Claim),
    Sheet("events", "events.ttl", "event", (KG.Event,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=40),
        Column("other spellings", SKOS.altLabel, TEXT, width=24),
        Column("date", KG.date, DATE, width=12),
        Column("end date", KG.endDate, DATE, width=12),
        Column("part of", KG.subEventOf, REF, width=24, targets=("events",)),
        Column("involves", KG.involves, REF, width=30, targets=ACTORS),
        QUOTE, EVIDENCE, *MIRRORS, NOTE,
    ), default_kind=KG.Event),
    Sheet("sources", "sources.ttl", "src", (KG.PrimarySource,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=40),
        Column("outlet", KG.outlet, PLAIN, width=18),
        Column("title", DCTERMS.title, TEXT, LINES, width=40),
        Column("authors", KG.authorName, PLAIN, width=20),
        Column("date", DCTERMS.date, DATE, width=12),
        Column("url", SCHEMA.url, URL, width=30),
        Column("citation", DCTERMS.bibliographicCitation, PLAIN, LINES, width=40),
        Column("referenced by", DCTERMS.isReferencedBy, REF, width=24),
        NOTE,
    ), default_kind=KG.PrimarySource),
    Sheet("evidence", "evidence.ttl", "evid", (KG.Evidence,), (
        ID, kind(),
        Column("label", RDFS.label, TEXT, LINES, width=40),
        Column("document", KG.document, REF, width=26, targets=("documents",),
               choices=True),
        Column("locator", KG.locator, PLAIN, width=18),
        Column("page", KG.page, INTEGER, width=8),
        Column("footnote", KG.footnote, INTEGER, width=10),
        Column("primary source", KG.primarySource, REF, width=26, targets=("sources",)),
        Column("passage", KG.passage, TEXT, LINES, width=60),
        NOTE,
    ), default_kind=KG.Evidence),
)

SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

#: words a coder may write for the two reporting modes
REPORTING_WORDS = {"direct quote": KG.DirectQuote, "paraphrase": KG.Paraphrase}


# ----------------------------------------------------------------------------- terms

def prefixed(iri: str) -> str:
    """``actor:lavrov`` for an IRI in one of kgraph's namespaces, else ``<IRI>``."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace):]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", local or "-") and local:
                best = prefix
    if best:
        return best + ":" + iri[len(PREFIXES[best]):]
    return f"<{iri}>"


def expand(name: str) -> URIRef | None:
    """The IRI a prefixed name or ``<IRI>`` spells, or None for anything else."""
    if name.startswith("<") and name.endswith(">") and " " not in name:
        return URIRef(name[1:-1])
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*",
                                                     local):
        return URIRef(PREFIXES[prefix] + local)
    return None


def literal_text(term, column: Column) -> str:
    """How ``term`` (an object of the column's property) is spelled in a cell.

    Raises ValueError for a term this column cannot spell, so an export never writes a
    cell that would import as something else.
    """
    if column.value in (REF, KIND):
        if not isinstance(term, URIRef):
            raise ValueError(f"expected an IRI, found {term!r}")
        if column.value == KIND and term.startswith(str(KG)):
            return term[len(str(KG)):]
        if column.header == "reported as":
            for word, iri in REPORTING_WORDS.items():
                if term == iri:
                    return word
        return prefixed(str(term))
    if not isinstance(term, Literal):
        raise ValueError(f"expected a literal, found <{term}>")
    text = str(term)
    if column.separator in text or (column.separator == NAMES and ";" in text):
        raise ValueError(f"{text!r} contains the list separator {column.separator!r}")
    if column.value == TEXT:
        if term.datatype is not None or term.language is None:
            raise ValueError(f"expected a language-tagged text, found {term.n3()}")
        if term.language == DEFAULT_LANGUAGE:
            if LANGUAGE_SUFFIX.search(text):
                raise ValueError(f"{text!r} ends like a language suffix")
            return text
        return f"{text}@{term.language}"
    if column.value == PLAIN:
        if term.datatype is not None or term.language is not None:
            raise ValueError(f"expected a plain string, found {term.n3()}")
        return text
    if column.value == DATE:
        if term.datatype not in DATE_FORMS.values():
            raise ValueError(f"expected xsd:date, gYearMonth or gYear, found {term.n3()}")
        return text
    if column.value == INTEGER:
        if term.datatype != XSD.integer:
            raise ValueError(f"expected an xsd:integer, found {term.n3()}")
        return text
    if column.value == URL:
        if term.datatype != XSD.anyURI:
            raise ValueError(f"expected an xsd:anyURI, found {term.n3()}")
        return text
    if column.value == BOOLEAN:
        if term.datatype != XSD.boolean or text not in ("true", "false"):
            raise ValueError(f"expected true or false, found {term.n3()}")
        return text
    raise ValueError(f"unknown column kind {column.value}")


def parse_literal(text: str, column: Column) -> Literal:
    """The literal a cell's value spells in ``column``; ValueError says what is wrong."""
    if column.value == TEXT:
        suffix = LANGUAGE_SUFFIX.search(text)
        if suffix:
            return Literal(text[:suffix.start()], lang=suffix.group(1))
        return Literal(text, lang=DEFAULT_LANGUAGE)
    if column.value == PLAIN:
        return Literal(text)
    if column.value == DATE:
        return parse_date(text)
    if column.value == INTEGER:
        if not re.fullmatch(r"[0-9]+", text):
            raise ValueError(f"{text!r} is not a whole number")
        return Literal(int(text))
    if column.value == URL:
        if not re.fullmatch(r"https?://\S+", text):
            raise ValueError(f"{text!r} is not an http(s) URL")
        return Literal(text, datatype=XSD.anyURI)
    if column.value == BOOLEAN:
        if text.casefold() not in ("true", "false"):
            raise ValueError(f"{text!r} is neither true nor false")
        return Literal(text.casefold() == "true")
    raise ValueError(f"column kind {column.value} holds no literal")


def parse_date(text: str) -> Literal:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the matching XSD type, checked."""
    import datetime

    for form, datatype in DATE_FORMS.items():
        if form.fullmatch(text):
            parts = [int(p) for p in text.split("-")]
            try:
                datetime.date(parts[0], parts[1] if len(parts) > 1 else 1,
                              parts[2] if len(parts) > 2 else 1)
            except ValueError:
                raise ValueError(f"{text!r} is not a date in the calendar") from None
            return Literal(text, datatype=datatype)
    raise ValueError(f"{text!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD, as "
                     f"precise as the text is)")


def record_separator(column: Column) -> str:
    """What separates the evidence records' values in a mirror column's cell."""
    return LINES if column.separator == LINES else NAMES


def split_records(text: str, column: Column) -> list[str]:
    """A mirror cell's values per evidence record (each may list several, with ",")."""
    if not text:
        return []
    parts = text.split("\n") if column.separator == LINES else text.split(";")
    return [part.strip() for part in parts]


def split_cell(text: str, column: Column) -> list[str]:
    """The values of a cell, in order, without empty ones."""
    separator = column.separator
    parts = text.split("\n") if separator == LINES else re.split(r"\s*;\s*", text)
    return [part.strip() for part in parts if part.strip()]
