"""Writing the coding workbook from ``graph/`` and reading a workbook's cells back.

One worksheet per kind (:data:`~kgraph.coding.sheets.SHEETS`), one row per thing,
sorted by IRI; an XLSX (openpyxl) with a frozen header, readable widths and drop-down
lists of the things a reference may name, or a folder of CSV files, one per worksheet.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ..backends.memory import parse_turtle_file
from ..errors import InputError
from ..namespaces import KG
from ..paths import GRAPH_DIR, ONTOLOGY_DIR, SHAPES_FILE, atomic_write, check_root
from .sheets import (LINES, REPORTING_WORDS, SHEETS, Column, Sheet, literal_text,
                     prefixed, record_separator)

LISTS_SHEET = "lists"  # the hidden worksheet the drop-down lists read from


@dataclass
class ProjectGraph:
    """A project's ``graph/`` files, each parsed on its own (an import writes each
    thing back to the file it came from), and its ontology."""

    root: Path
    files: dict[str, Graph]
    ontology: Graph

    @property
    def union(self) -> Graph:
        union = Graph()
        for graph in self.files.values():
            union += graph
        return union


def read_project_graph(root: str | Path) -> ProjectGraph:
    """Parse every ``graph/*.ttl`` and ``ontology/*.ttl`` (shapes aside) of a project."""
    root = check_root(root)
    files: dict[str, Graph] = {}
    for path in sorted((root / GRAPH_DIR).glob("*.ttl")):
        files[path.name] = parse_turtle_file(path)
    ontology = Graph()
    for path in sorted((root / ONTOLOGY_DIR).glob("*.ttl")):
        if path.name != SHAPES_FILE:
            ontology += parse_turtle_file(path)
    return ProjectGraph(root, files, ontology)


def sheet_of(graph: Graph, subject) -> Sheet | None:
    """The worksheet a thing belongs to: the first whose classes it has."""
    types = set(graph.objects(subject, RDF.type))
    return next((sheet for sheet in SHEETS if types.intersection(sheet.classes)), None)


def sheet_subjects(graph: Graph) -> dict[str, list[URIRef]]:
    """Worksheet name → its things, sorted by IRI."""
    found: dict[str, list[URIRef]] = {sheet.name: [] for sheet in SHEETS}
    for subject in set(graph.subjects(RDF.type, None)):
        sheet = sheet_of(graph, subject)
        if sheet is not None and isinstance(subject, URIRef):
            found[sheet.name].append(subject)
    for subjects in found.values():
        subjects.sort()
    return found


def sorted_objects(graph: Graph, subject, predicate) -> list:
    return sorted(graph.objects(subject, predicate), key=lambda term: term.n3())


def cell_text(graph: Graph, subject, column: Column, sheet: Sheet) -> str:
    """The cell of ``subject`` in ``column``: its values spelled and joined."""
    if column.predicate is None:
        return prefixed(str(subject))
    if column.mirror:
        records = sorted_objects(graph, subject, KG.evidence)
        per_record = []
        for record in records:
            values = sorted_objects(graph, record, column.predicate)
            per_record.append(", ".join(literal_text(v, column) for v in values))
        return record_separator(column).join(per_record) if any(per_record) else ""
    values = sorted_objects(graph, subject, column.predicate)
    if column.predicate == RDF.type:
        values = [v for v in values if v not in sheet.implied_kinds]
    for also in column.also:
        repeated = sorted_objects(graph, subject, also)
        if repeated and repeated != values:
            raise InputError(f"{prefixed(str(subject))}: its {prefixed(str(also))} differs "
                             f"from its {prefixed(str(column.predicate))}, and the "
                             f"{sheet.name} worksheet has one {column.header!r} column for "
                             f"both")
    spelled = []
    for value in values:
        try:
            spelled.append(literal_text(value, column))
        except ValueError as exc:
            raise InputError(f"{prefixed(str(subject))}: its {column.header!r} cannot "
                             f"be written in the {sheet.name} worksheet: {exc}") from None
    return column.separator.join(spelled)


def workbook_rows(graph: Graph) -> dict[str, list[list[str]]]:
    """Worksheet name → rows of cell texts (header first)."""
    subjects = sheet_subjects(graph)
    tables: dict[str, list[list[str]]] = {}
    for sheet in SHEETS:
        rows = [[column.header for column in sheet.columns]]
        for subject in subjects[sheet.name]:
            rows.append([cell_text(graph, subject, column, sheet)
                         for column in sheet.columns])
        tables[sheet.name] = rows
    return tables


def export_workbook(root: str | Path, output: str | Path) -> Path:
    """Write the project's graph as a coding workbook: an ``.xlsx`` file, or a folder
    of CSV files (one per worksheet) when ``output`` ends with ``/`` or is a folder.

    >>> export_workbook(".", "coding.xlsx")  # doctest: +SKIP
    PosixPath('coding.xlsx')
    """
    project = read_project_graph(root)
    tables = workbook_rows(project.union)
    as_folder = str(output).endswith("/") or Path(output).is_dir()
    output = Path(output)
    if as_folder:
        output.mkdir(parents=True, exist_ok=True)
        from ..results import spreadsheet_safe

        for name, rows in tables.items():
            buffer = io.StringIO()
            # a cell starting with "=" gets a leading "'" (read back without it), so a
            # spreadsheet opening the CSV never runs a quote as a formula
            csv.writer(buffer, lineterminator="\n").writerows(
                [[spreadsheet_safe(cell) for cell in row] for row in rows])
            atomic_write(output / f"{name}.csv", buffer.getvalue())
        return output
    if output.suffix.lower() != ".xlsx":
        raise InputError("a workbook is an .xlsx file or a folder (ending in /) of CSV "
                         "files", path=output)
    return atomic_write(output, xlsx_bytes(tables))


def xlsx_bytes(tables: dict[str, list[list[str]]]) -> bytes:
    """The workbook as XLSX: frozen bold header, widths, wrapped long texts, drop-down
    lists (warnings, not refusals: a label is a valid reference too)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    lists = choice_lists(tables)
    list_sheet = book.create_sheet(LISTS_SHEET)
    list_range: dict[str, str] = {}
    for index, (name, values) in enumerate(sorted(lists.items()), start=1):
        letter = get_column_letter(index)
        list_sheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            set_text(list_sheet.cell(row=row, column=index), value)
        list_range[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    list_sheet.sheet_state = "hidden"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for sheet in SHEETS:
        rows = tables[sheet.name]
        worksheet = book.create_sheet(sheet.name)
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row, start=1):
                if text == "":
                    continue
                cell = worksheet.cell(row=r, column=c)
                set_text(cell, text)
                if r == 1:
                    cell.font = bold
                elif sheet.columns[c - 1].separator == LINES:
                    cell.alignment = wrap
        worksheet.freeze_panes = "B2"
        for c, column in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[get_column_letter(c)].width = column.width
            target = choice_list_name(sheet, column)
            if target and target in list_range:
                letter = get_column_letter(c)
                validation = DataValidation(type="list", formula1=f"={list_range[target]}",
                                            allow_blank=True, errorStyle="warning",
                                            error="Not in the list: a label or prefixed "
                                                  "name of a new row is fine too.")
                worksheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}5000")
    book.move_sheet(LISTS_SHEET, offset=len(SHEETS))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def set_text(cell, text: str) -> None:
    """Store ``text`` as a string even when it starts with ``=`` (openpyxl would make
    it a formula: a quote must never run as one)."""
    cell.value = text
    cell.data_type = "s"


def choice_list_name(sheet: Sheet, column: Column) -> str | None:
    if column.header == "kind":
        return f"kinds of {sheet.name}"
    if column.header == "reported as":
        return "reporting modes"
    if column.choices and column.targets:
        return column.targets[0]
    return None


def choice_lists(tables: dict[str, list[list[str]]]) -> dict[str, list[str]]:
    """The drop-down lists: every worksheet's ids, each worksheet's kinds, and the
    reporting modes."""
    lists: dict[str, list[str]] = {"reporting modes": sorted(REPORTING_WORDS)}
    for sheet in SHEETS:
        lists[sheet.name] = [row[0] for row in tables[sheet.name][1:]]
        lists[f"kinds of {sheet.name}"] = sorted(prefixed(str(c)).removeprefix("kg:")
                                                 for c in sheet.classes)
    return lists


# ----------------------------------------------------------------------------- reading

@dataclass
class SheetTable:
    """A worksheet as read: its header and its rows of cell texts, with row numbers."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    #: row number → where the row came from, when not from a worksheet (a QDA segment)
    notes: dict[int, str] = field(default_factory=dict)


def read_workbook(path: str | Path) -> dict[str, SheetTable]:
    """The worksheets of an ``.xlsx`` workbook or a folder of CSV files, as text."""
    path = Path(path)
    if path.is_dir():
        tables = {}
        for csv_path in sorted(path.glob("*.csv")):
            try:
                with csv_path.open(encoding="utf-8-sig", newline="") as handle:
                    rows = list(csv.reader(handle))
            except (OSError, UnicodeDecodeError, csv.Error) as exc:
                raise InputError(f"cannot read this CSV file: {exc}", path=csv_path) \
                    from None
            from ..results import spreadsheet_text

            rows = [[spreadsheet_text(cell) for cell in row] for row in rows]
            tables[csv_path.stem] = table_of(csv_path.stem, rows)
        return tables
    if not path.is_file():
        raise InputError("no such workbook (an .xlsx file or a folder of CSV files)",
                         path=path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors: all the file's fault
        raise InputError(f"not an .xlsx workbook openpyxl can read: {exc}", path=path) \
            from None
    tables = {}
    try:
        for worksheet in book.worksheets:
            if worksheet.title == LISTS_SHEET:
                continue
            rows = [[cell_value_text(v) for v in row]
                    for row in worksheet.iter_rows(values_only=True)]
            tables[worksheet.title] = table_of(worksheet.title, rows)
    finally:
        book.close()
    return tables


def cell_value_text(value) -> str:
    """A cell's value as the text the importer reads (Excel may have turned a typed
    date into a datetime, or a page number into a float)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def table_of(name: str, rows: list[list[str]]) -> SheetTable:
    rows = [[cell.strip() if isinstance(cell, str) else cell_value_text(cell)
             for cell in row] for row in rows]
    header = rows[0] if rows else []
    while header and header[-1] == "":
        header = header[:-1]
    body = [(number, row) for number, row in enumerate(rows[1:], start=2)
            if any(cell for cell in row)]
    return SheetTable(name, header, body)
