"""Reading a coding workbook back into ``graph/``: every row checked, then every file
written at once, or nothing.

What a worksheet's columns hold is replaced by the cells; whatever else the graph says
of a thing (a property without a column) is kept untouched and counted in the report;
a thing that has a worksheet but no row any more is removed. Things of no worksheet
(the concept schemes, say) are kept as they are. New rows get IRIs minted from their
label (a statement's from speaker, date and label), stable once written: the id column
carries them from then on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from itertools import count
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..errors import InputError
from ..namespaces import KG, PREFIXES
from ..paths import GRAPH_DIR, atomic_write
from .sheets import (KIND, MIRRORS, REF, REPORTING_WORDS, SHEETS, SHEETS_BY_NAME,
                     Column, Sheet, expand, literal_text, parse_literal, prefixed,
                     record_separator, split_cell, split_records)
from .workbook import (LISTS_SHEET, ProjectGraph, SheetTable, read_project_graph,
                       read_workbook, sheet_subjects)

MAX_ERRORS_SHOWN = 50
NEW_FILE_HEADER = ("# kgraph — {name}: written by `kgraph sheet import` from the coding "
                   "workbook.\n# Edit the workbook and import it again, or edit this "
                   "file by hand; both stay in step.\n")


@dataclass
class CellError:
    """What is wrong with one cell (or row, or worksheet)."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def format(self, source: Path) -> str:
        where = f"{source}: worksheet {self.sheet}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class WorkbookError(InputError):
    """The workbook has rows that cannot be imported; nothing was written."""

    def __init__(self, source: Path, errors: list[CellError]) -> None:
        self.errors = errors
        shown = [error.format(source) for error in errors[:MAX_ERRORS_SHOWN]]
        more = len(errors) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more" if more else "")
        summary = f"{len(errors)} problem{'s' * (len(errors) != 1)} in the workbook; " \
                  f"graph/ was not changed"
        super().__init__(text + "\n" + summary)


@dataclass
class ImportReport:
    """What an import did."""

    written: list[Path] = field(default_factory=list)
    added: Counter = field(default_factory=Counter)      # worksheet → new rows
    changed: Counter = field(default_factory=Counter)    # worksheet → rows whose triples changed
    removed: Counter = field(default_factory=Counter)    # worksheet → things without a row
    kept: Counter = field(default_factory=Counter)       # property → triples kept untouched
    outside: int = 0                                     # triples of things of no worksheet


@dataclass
class Row:
    sheet: Sheet
    number: int
    cells: dict[str, str]
    subject: URIRef | None = None
    new: bool = False
    triples: list[tuple] = field(default_factory=list)


def slug(text: str, limit: int = 60) -> str:
    """A readable ASCII local name: ``Łukaszenka's "fortress"`` → ``lukaszenkas-fortress``."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    ascii_text = re.sub(r"['’]", "", ascii_text)
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0]
    return words or "item"


def local_name(iri: URIRef) -> str:
    return re.split(r"[/#]", str(iri))[-1]


class WorkbookImport:
    """One import: the project, the workbook's tables, and what the rows say."""

    def __init__(self, project: ProjectGraph, tables: dict[str, SheetTable],
                 source: Path, corpus: Path) -> None:
        self.project = project
        self.union = project.union
        self.tables = tables
        self.source = source
        self.corpus = corpus
        self.errors: list[CellError] = []
        self.rows: list[Row] = []
        self.by_subject: dict[URIRef, Row] = {}
        self.labels: dict[str, dict[str, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
        self.known_terms = set(project.ontology.subjects()) | set(self.union.subjects())
        # A minted IRI may be one the graph has for a thing of a worksheet: a row
        # imported again without its id gets the same IRI, not a copy.
        in_sheets = set().union(*sheet_subjects(self.union).values())
        self.reserved = set(project.ontology.subjects()) | (
            set(self.union.subjects()) - in_sheets)

    def error(self, row: Row | None, column: str | None, message: str,
              sheet: str | None = None) -> None:
        self.errors.append(CellError(sheet or row.sheet.name, row.number if row else None,
                                     column, message))

    # -- reading the rows ------------------------------------------------------------

    def read_rows(self) -> None:
        for name in self.tables:
            if name not in SHEETS_BY_NAME and name != LISTS_SHEET:
                self.error(None, None, f"no such worksheet in a kgraph workbook (they are: "
                           f"{', '.join(s.name for s in SHEETS)})", sheet=name)
        for sheet in SHEETS:
            table = self.tables.get(sheet.name)
            if table is None:
                self.error(None, None, "the worksheet is missing (a workbook that leaves "
                           "out a worksheet would remove all its rows)", sheet=sheet.name)
                continue
            headers = [sheet.column(h) for h in table.header]
            for index, header in enumerate(table.header):
                if headers[index] is None:
                    self.error(None, header or f"#{index + 1}", "no such column in this "
                               "worksheet", sheet=sheet.name)
            missing = [c.header for c in sheet.columns if c.header not in table.header]
            if missing:
                self.error(None, None, f"columns missing: {', '.join(missing)}",
                           sheet=sheet.name)
                continue
            for number, cells in table.rows:
                values = {h: (cells[i] if i < len(cells) else "")
                          for i, h in enumerate(table.header) if h}
                extra = [c for c in cells[len(table.header):] if c]
                row = Row(sheet, number, values)
                if extra:
                    self.error(row, None, "cells to the right of the last column")
                self.rows.append(row)

    def assign_subjects(self) -> None:
        """Existing ids first (so minted ones never clash), then new rows."""
        taken: dict[URIRef, Row] = {}
        for row in self.rows:
            text = row.cells.get("id", "")
            if not text:
                continue
            iri = expand(text)
            if iri is None:
                self.error(row, "id", f"{text!r} is not a prefixed name (like "
                           f"{row.sheet.prefix}:name) or an <IRI>")
                continue
            if iri in taken:
                self.error(row, "id", f"{text} is also the id of worksheet "
                           f"{taken[iri].sheet.name}, row {taken[iri].number}")
                continue
            taken[iri] = row
            row.subject = iri
        self.taken = taken
        for row in self.rows:
            if row.subject is None and not row.cells.get("id"):
                if not self.first_text(row, "label"):
                    self.error(row, "label", "a new row needs a label")
                    continue
                row.new = True  # minted once references are resolved (statements use them)
        self.by_subject = {row.subject: row for row in self.rows if row.subject}

    def index_labels(self) -> None:
        """Label and other spellings → things, per worksheet, for references by label."""
        self.labels.clear()
        for row in self.rows:
            if row.subject is None:
                continue
            for header in ("label", "other spellings"):
                for text in self.texts(row, header):
                    self.labels[row.sheet.name][text.casefold()].add(row.subject)

    def first_text(self, row: Row, header: str) -> str:
        values = self.texts(row, header)
        return values[0] if values else ""

    def texts(self, row: Row, header: str) -> list[str]:
        column = row.sheet.column(header)
        if column is None:
            return []
        values = split_cell(row.cells.get(header, ""), column)
        if column.value == "text":
            values = [str(parse_literal(v, column)) for v in values]
        return values

    def mint(self, row: Row) -> None:
        sheet = row.sheet
        label = self.first_text(row, "label")
        if sheet.name == "statements":
            speaker = self.resolve_one(row, "speaker")
            date = row.cells.get("date", "")
            head, colon, rest = label.partition(":")
            if speaker and colon and rest.strip() and \
                    set(slug(head).split("-")) <= set(local_name(speaker).split("-")):
                label = rest  # "Lavrov: …" would name the speaker twice
            topic = slug(label, 40)
            parts = [local_name(speaker) if speaker else "", date, topic]
            base = "-".join(p for p in parts if p)
        elif sheet.name in ("judgements", "attributions"):
            # judg:act--category--judges (or judg:actor--category--judges for an actor
            # judged itself), judg:actor--narrative--analysts
            what, which, who = ((("act", "actor"), "category", "judged by")
                                if sheet.name == "judgements"
                                else (("actor",), "narrative", "attributed by"))
            thing = next((t for h in what for t in [self.resolve_one(row, h)] if t), None)
            kind = self.resolve_one(row, which)
            judges = [local_name(j) for j in self.resolve_all(row, who)]
            base = "--".join(p for p in (local_name(thing) if thing else slug(label),
                                         local_name(kind) if kind else "",
                                         "-".join(judges)) if p)
        elif sheet.name == "memberships":
            office, member = self.resolve_one(row, "office"), self.resolve_one(row, "member")
            base = "--".join(local_name(t) for t in (office, member) if t) or slug(label)
        else:
            base = slug(label)
        namespace = PREFIXES[sheet.prefix]
        self.claim(row, (URIRef(namespace + base if n == 1 else f"{namespace}{base}-{n}")
                         for n in count(1)))

    def claim(self, row: Row, candidates) -> URIRef:
        """Give ``row`` the first candidate IRI no other row or reserved term has."""
        candidate = next(c for c in candidates
                         if c not in self.taken and c not in self.reserved)
        row.subject = candidate
        self.taken[candidate] = row
        self.by_subject[candidate] = row
        return candidate

    # -- references ------------------------------------------------------------------

    def resolve(self, row: Row, column: Column, text: str) -> URIRef | None:
        """The IRI a reference cell's value names, or None after recording an error."""
        if column.header == "reported as" and text.casefold() in REPORTING_WORDS:
            return REPORTING_WORDS[text.casefold()]
        if column.value == KIND and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", text):
            iri = KG[text]
            if iri not in self.known_terms:
                self.error(row, column.header, f"{text!r} is not a class of the kgraph "
                           f"ontology")
                return None
            return iri
        iri = expand(text)
        if iri is not None:
            if text.startswith("<") or iri in self.by_subject or iri in self.known_terms:
                return iri
            self.error(row, column.header, f"unknown {column.header} {text}: no row of "
                       f"the workbook has this id, and the graph and ontology do not "
                       f"know it")
            return None
        targets = column.targets or tuple(s.name for s in SHEETS)
        found: set[URIRef] = set()
        for target in targets:
            found |= self.labels[target].get(text.casefold(), set())
        found.discard(None)
        if len(found) == 1:
            return found.pop()
        if found:
            names = ", ".join(sorted(prefixed(str(f)) for f in found))
            self.error(row, column.header, f"{text!r} is the label of several things "
                       f"({names}): write the id instead")
        else:
            where = " or ".join(targets)
            self.error(row, column.header, f"unknown {column.header} {text!r}: no id or "
                       f"label in worksheet {where}")
        return None

    def resolve_all(self, row: Row, header: str) -> list[URIRef]:
        column = row.sheet.column(header)
        values = []
        for text in split_cell(row.cells.get(header, ""), column):
            iri = self.resolve(row, column, text)
            if iri is not None:
                values.append(iri)
        return values

    def resolve_one(self, row: Row, header: str) -> URIRef | None:
        values = self.resolve_all(row, header)
        return values[0] if values else None

    # -- the triples of a row --------------------------------------------------------

    def row_triples(self, row: Row) -> None:
        sheet, subject = row.sheet, row.subject
        for column in sheet.columns:
            if column.predicate is None or column.mirror:
                continue
            text = row.cells.get(column.header, "")
            if column.value in (REF, KIND):
                objects = self.resolve_all(row, column.header)
                if column.value == KIND:
                    if not objects and not text:
                        objects = [sheet.default_kind]
                    objects += [k for k in sheet.implied_kinds if k not in objects]
            else:
                objects = []
                for value in split_cell(text, column):
                    try:
                        objects.append(parse_literal(value, column))
                    except ValueError as exc:
                        self.error(row, column.header, str(exc))
            for predicate in (column.predicate, *column.also):
                row.triples.extend((subject, predicate, o) for o in objects)
        if not any(p == sheet.label_column.predicate for _, p, _ in row.triples):
            self.error(row, "label", "every row needs a label")
        filled = [h for h in sheet.one_of if row.cells.get(h, "").strip()]
        if sheet.one_of and len(filled) != 1:
            self.error(row, filled[-1] if filled else sheet.one_of[0],
                       f"fill exactly one of the columns {' and '.join(sheet.one_of)}: "
                       f"the one thing the text judges")

    def record_values(self, record: URIRef, predicate) -> list:
        """What an evidence record says: its row's cells when the workbook has one,
        else the graph's triples."""
        source = self.by_subject.get(record)
        return self.objects(source, predicate) if source else \
            list(self.union.objects(record, predicate))

    def objects(self, row: Row, predicate) -> list:
        return [o for _, p, o in row.triples if p == predicate]

    def evidence_mirrors(self, row: Row) -> None:
        """The document, locator, page, footnote and primary source cells of a row that
        cites evidence: for a row without evidence ids they make its evidence record;
        otherwise they must say what the evidence worksheet says."""
        if not any(row.sheet.column(m.header) is m for m in MIRRORS):
            return
        given = {m.header: row.cells.get(m.header, "") for m in MIRRORS}
        if not any(given.values()):
            return
        records = self.objects(row, KG.evidence)
        if records:
            expected = self.mirror_texts(records)
            for header, text in given.items():
                if normalise_cell(text) != normalise_cell(expected[header]):
                    self.error(row, header, f"says {text!r} but its evidence "
                               f"({', '.join(prefixed(str(r)) for r in records)}) says "
                               f"{expected[header]!r} in the evidence worksheet: edit the "
                               f"evidence there, or clear this cell")
            return
        split = {m.header: split_records(given[m.header], m) for m in MIRRORS}
        count = max(len(v) for v in split.values())
        for index in range(count):
            cells = {h: (v[index] if index < len(v) else "") for h, v in split.items()}
            self.new_evidence(row, index + 1, cells)

    def mirror_texts(self, records: list[URIRef]) -> dict[str, str]:
        texts = {}
        for mirror in MIRRORS:
            per_record = []
            for record in records:
                values = self.record_values(record, mirror.predicate)
                values.sort(key=lambda term: term.n3())
                per_record.append(", ".join(literal_text(v, mirror) for v in values))
            texts[mirror.header] = record_separator(mirror).join(per_record) \
                if any(per_record) else ""
        return texts

    def new_evidence(self, row: Row, index: int, cells: dict[str, str]) -> None:
        sheet = SHEETS_BY_NAME["evidence"]
        if not cells["document"] or not cells["locator"]:
            self.error(row, "document" if not cells["document"] else "locator",
                       "new evidence needs a document and a locator")
            return
        label = self.first_text(row, "label")
        evidence_cells = {"id": "", "kind": "", "note": "", **cells,
                          "label": f"Evidence: {label} ({cells['document']}, "
                                   f"{cells['locator']})"}
        evidence_cells["page"] = cells["page"].replace(",", ";")
        evidence_cells["footnote"] = cells["footnote"].replace(",", ";")
        evidence_cells["primary source"] = cells["primary source"].replace(",", ";")
        record = Row(sheet, row.number, evidence_cells, new=True)
        namespace, base = PREFIXES[sheet.prefix], local_name(row.subject)
        candidate = self.claim(record, (URIRef(f"{namespace}{base}-{n}")
                                        for n in count(index)))
        self.rows.append(record)
        self.row_triples(record)
        row.triples.append((row.subject, KG.evidence, candidate))

    def check_statement_passages(self) -> None:
        """What the shapes require of a statement's evidence, said by worksheet, row and
        column: every record has the document's passage that reports the statement, and
        each quote (the speaker's words) lies within one of them."""
        from ..quotes import fold

        for row in self.rows:
            if row.sheet.name != "statements":
                continue
            passages = []
            for record in self.objects(row, KG.evidence):
                found = self.record_values(record, KG.passage)
                if not found:
                    self.error(row, "passage", f"its evidence {prefixed(str(record))} "
                               f"needs the document's passage that reports the statement, "
                               f"verbatim")
                passages += [fold(str(p)) for p in found]
            for quote in self.objects(row, KG.quote):
                if passages and not any(fold(str(quote)) in p for p in passages):
                    self.error(row, "quote", f"{shorten(str(quote))!r} is not within the "
                               f"passage of any of its evidence records: the quote is the "
                               f"speaker's words inside the passage that reports them")

    # -- the corpus ------------------------------------------------------------------

    def check_documents_and_quotes(self) -> None:
        from ..quotes import NormalisedText, read_corpus_file

        texts: dict[URIRef, NormalisedText | None] = {}
        for row in self.rows:
            if row.sheet.name != "documents":
                continue
            files = self.objects(row, KG.corpusFile)
            texts[row.subject] = None
            if not files:
                continue
            try:  # the same confinement to the corpus folder as check-quotes
                text = read_corpus_file(self.corpus, str(files[0]))
            except InputError as exc:
                self.error(row, "file", exc.message)
                continue
            if text is None:
                self.error(row, "file", f"{files[0]} is not a file in the corpus folder "
                           f"{self.corpus}")
                continue
            # the digest of the file's bytes: UTF-8 decoding and encoding round-trip
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            recorded = [str(v) for v in self.objects(row, KG.sha256)]
            if recorded and recorded[0] != digest:
                self.error(row, "sha256", f"{files[0]} has changed since it was coded "
                           f"(recorded {recorded[0][:12]}…, now {digest[:12]}…): check "
                           f"the quotes against the new text, then clear this cell")
            elif not recorded:
                row.triples.append((row.subject, KG.sha256, Literal(digest)))
            texts[row.subject] = NormalisedText.of(text)
        for row in self.rows:
            for column, predicate in (("quote", KG.quote), ("passage", KG.passage)):
                self.check_texts(row, column, predicate, texts)

    def check_texts(self, row: Row, column: str, predicate, texts: dict) -> None:
        """Each of the row's ``predicate`` texts (quotes, an evidence record's passage)
        must occur in the text of a document its evidence cites (or, for evidence, the
        document it names)."""
        from ..quotes import closest_passage, find_quote

        quotes = self.objects(row, predicate)
        if not quotes:
            return
        documents = list(self.objects(row, KG.document))
        for record in self.objects(row, KG.evidence):
            documents += self.record_values(record, KG.document)
        readable = [texts.get(d) for d in documents if texts.get(d) is not None]
        if not readable:
            if not documents:
                self.error(row, column, f"a {column} needs evidence in a document (fill "
                           f"document and locator, or evidence)")
            return
        for quote in quotes:
            if not any(find_quote(str(quote), text) for text in readable):
                closest = closest_passage(str(quote), readable[0])
                self.error(row, column, f"not in the cited document's text: "
                           f"{shorten(str(quote))!r}; closest passage: "
                           f"{shorten(closest)!r}")

    # -- the new graph ---------------------------------------------------------------

    def build(self) -> tuple[dict[str, Graph], ImportReport]:
        report = ImportReport()
        files = {name: copy_graph(graph) for name, graph in self.project.files.items()}
        home: dict[URIRef, str] = {}
        for name, graph in self.project.files.items():
            for subject in graph.subjects(RDF.type, None):
                home.setdefault(subject, name)
        existing = sheet_subjects(self.union)
        in_workbook = {row.subject for row in self.rows}
        for sheet_name, subjects in existing.items():
            for subject in subjects:
                if subject not in in_workbook:
                    for graph in files.values():
                        graph.remove((subject, None, None))
                    report.removed[sheet_name] += 1
        for row in self.rows:
            covered = {p for c in row.sheet.columns if c.predicate is not None
                       and not c.mirror for p in (c.predicate, *c.also)}
            before = {(s, p, o) for s, p, o in self.union.triples((row.subject, None, None))
                      if p in covered}
            for graph in files.values():
                for predicate in covered:
                    graph.remove((row.subject, predicate, None))
            target = home.get(row.subject, row.sheet.file)
            if target not in files:
                files[target] = Graph()
            for triple in row.triples:
                files[target].add(triple)
            if (row.subject, None, None) not in self.union:
                report.added[row.sheet.name] += 1
            elif before != set(row.triples):
                report.changed[row.sheet.name] += 1
            for _, predicate, _ in self.union.triples((row.subject, None, None)):
                if predicate not in covered:
                    report.kept[prefixed(str(predicate))] += 1
        in_sheets = set().union(*existing.values())
        report.outside = sum(1 for s, _, _ in self.union
                             if s not in in_workbook and s not in in_sheets)
        return files, report


def normalise_cell(text: str) -> str:
    return re.sub(r"\s*([;,])\s*", r"\1", text.strip())


def shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def copy_graph(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def turtle_file_bytes(graph: Graph, header: str) -> bytes:
    """A graph/ file as kgraph writes it: the file's comment header, then rdflib's
    Turtle with kgraph's prefixes (rdflib writes those the file uses, and never invents
    one: see :func:`kgraph.readwrite.rdf.declared_prefixes_only`)."""
    from ..readwrite.rdf import declared_prefixes_only

    body = declared_prefixes_only(graph).serialize(format="turtle")
    return (header + "\n" + body).encode("utf-8") if header else body.encode("utf-8")


def file_header(path: Path) -> str:
    """The leading comment lines of a Turtle file (kept when it is rewritten)."""
    if not path.is_file():
        return NEW_FILE_HEADER.format(name=path.stem)
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def import_workbook(root: str | Path, workbook: str | Path,
                    corpus: str | Path | None = None) -> ImportReport:
    """Check every row of ``workbook`` and, only if all are good, write ``graph/``.

    ``corpus`` is the folder of the documents' texts (default: the project's
    ``corpus/``); every quote must occur in the text of a document its evidence cites.
    Raises :class:`WorkbookError` (exit 2) listing each bad cell by worksheet, row and
    column; then nothing is written.

    >>> import_workbook(".", "coding.xlsx")  # doctest: +SKIP
    """
    project = read_project_graph(root)
    source = Path(workbook)
    corpus_dir = Path(corpus) if corpus is not None else project.root / "corpus"
    if not corpus_dir.is_dir():
        raise InputError("no corpus folder (the documents' texts): give --corpus DIR",
                         path=corpus_dir)
    if source.suffix.lower() == ".qdpx":
        tables = qdpx_tables(project, source, corpus_dir)
    else:
        tables = read_workbook(source)
    job = WorkbookImport(project, tables, source, corpus_dir)
    job.read_rows()
    if not job.errors:
        job.assign_subjects()
    if not job.errors:
        # Names from labels first; statements and judgements are named after the
        # things they reference, which may be new rows themselves.
        derived = ("statements", "judgements", "attributions", "memberships")
        for row in [r for r in job.rows if r.new and r.sheet.name not in derived]:
            job.mint(row)
        job.index_labels()
        for row in [r for r in job.rows if r.new and r.subject is None]:
            job.mint(row)
        job.index_labels()
        for row in list(job.rows):
            job.row_triples(row)
        for row in list(job.rows):
            job.evidence_mirrors(row)
        job.check_statement_passages()
        job.check_documents_and_quotes()
    if job.errors:
        for error in job.errors:
            note = tables[error.sheet].notes.get(error.row) if error.sheet in tables else None
            if note:
                error.message += f" [{note}]"
        unique = list(dict.fromkeys((e.sheet, e.row, e.column, e.message)
                                    for e in job.errors))
        raise WorkbookError(source, [CellError(*e) for e in unique])
    files, report = job.build()
    graph_dir = project.root / GRAPH_DIR
    pending: list[tuple[Path, bytes]] = []
    for name, graph in sorted(files.items()):
        old = project.files.get(name)
        if old is not None and set(old) == set(graph):
            continue
        path = graph_dir / name
        pending.append((path, turtle_file_bytes(graph, file_header(path))))
    # Every file is serialised before the first is replaced: a failure before this
    # point leaves graph/ as it was.
    for path, data in pending:
        atomic_write(path, data)
        report.written.append(path)
    return report


def qdpx_tables(project: ProjectGraph, source: Path, corpus: Path) -> dict[str, SheetTable]:
    """The project's workbook as it stands, with a row added for every coded segment of
    a REFI-QDA project (and for each of its documents not yet in the workbook)."""
    from .qdpx import read_qdpx, segment_rows
    from .workbook import table_of, workbook_rows

    tables = {name: table_of(name, rows) for name, rows in
              workbook_rows(project.union).items()}
    documents = {}
    for _, cells in tables["documents"].rows:
        row = dict(zip(tables["documents"].header, cells))
        if row.get("file"):
            documents[row["file"]] = row["id"]
    added = segment_rows(read_qdpx(source), corpus, documents)
    for name, rows in added.items():
        table = tables[name]
        number = max([n for n, _ in table.rows], default=1)
        for values in rows:
            number += 1
            table.rows.append((number, [values.get(h, "") for h in table.header]))
            if values.get("note"):
                # so that an error names the segment, not a row of a sheet nobody sees
                table.notes[number] = values["note"].removeprefix("Coded in a REFI-QDA "
                                                                  "project: ").rstrip(".")
    return tables


def format_import_report(report: ImportReport) -> str:
    lines = []
    for title, counts in (("added", report.added), ("changed", report.changed),
                          ("removed", report.removed)):
        if counts:
            lines.append(f"{title}: " + ", ".join(f"{n} {name}" for name, n
                                                   in sorted(counts.items())))
    if report.kept:
        lines.append(f"kept untouched (no column): {sum(report.kept.values())} triples of "
                     + ", ".join(f"{name} ({n})" for name, n in sorted(report.kept.items())))
    if report.outside:
        lines.append(f"kept untouched (no worksheet): {report.outside} triples")
    if report.written:
        lines.append("wrote " + ", ".join(str(p) for p in report.written))
    else:
        lines.append("graph/ unchanged")
    return "\n".join(lines) + "\n"
