"""kgraph init and the coding workbook: a new case coded in a spreadsheet, end to end.

The workbook is read back with openpyxl, the library Excel users' tools are checked
against here; what Excel itself does with a drop-down list or a frozen pane is the
XLSX standard's (ECMA-376) and is tested as the properties openpyxl reads back.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kgraph.coding.diff import krippendorff_alpha_nominal
from kgraph.coding.importer import file_header, turtle_file_bytes
from kgraph.backends.memory import parse_turtle_file

from .conftest import CORPUS, REPO

TEXT = """Foreign Minister Sergei Lavrov said on 3 March 2023 that "the West is waging a
hybrid war against our country", and he repeated it a week later.
"""
QUOTE = "the West is waging a hybrid war against our country"
PASSAGE = " ".join(TEXT.split())


def graph_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "graph").glob("*.ttl"))}


def append_row(sheet, values: dict[str, str]) -> int:
    """Write ``values`` under the matching headers of a worksheet; the row's number."""
    headers = [cell.value for cell in sheet[1]]
    row = sheet.max_row + 1
    for header, value in values.items():
        sheet.cell(row=row, column=headers.index(header) + 1, value=value)
    return row


@pytest.fixture
def case(tmp_path, run) -> Path:
    """A new project with one document text in corpus/."""
    root = tmp_path / "case"
    result = run("init", root, "--title", "Hybrid war 2023")
    assert result.exit_code == 0, result.output
    (root / "corpus" / "lavrov-2023.txt").write_text(TEXT, encoding="utf-8")
    return root


def coded_workbook(run, root: Path, **overrides) -> Path:
    """Export the project's workbook and add a document, an actor, a narrative and a
    statement quoting the document (``overrides`` replace statement cells)."""
    path = root / "coding.xlsx"
    assert run("--root", root, "sheet", "export", "-o", path).exit_code == 0
    book = load_workbook(path)
    append_row(book["documents"], {"label": "Lavrov interview (2023)",
                                   "file": "lavrov-2023.txt", "date": "2023-03"})
    append_row(book["actors"], {"label": "Sergei Lavrov", "kind": "Person",
                                "other spellings": "Лавров@ru"})
    append_row(book["narratives"], {"label": "Hybrid war", "scheme": "narr:scheme",
                                    "top concept of": "narr:scheme",
                                    "definition": "The West wages a hybrid war on Russia."})
    statement = {"label": "Lavrov: the West wages a hybrid war", "speaker": "Sergei Lavrov",
                 "date": "2023-03-03", "reported as": "direct quote", "quote": QUOTE,
                 "narratives": "Hybrid war", "document": "Lavrov interview (2023)",
                 "locator": "para. 1", "passage": PASSAGE}
    statement.update(overrides)
    row = append_row(book["statements"], statement)
    book.save(path)
    return path, row


def test_init_writes_a_project_that_every_command_reads(case, run):
    assert sorted(p.name for p in case.iterdir()) == ["README.md", "corpus", "graph",
                                                      "ontology", "queries"]
    assert (case / "ontology" / "shapes.ttl").read_bytes() == \
        (REPO / "ontology" / "shapes.ttl").read_bytes()  # a copy, not a reference
    assert sorted(p.name for p in (case / "queries").glob("*.rq")) == \
        sorted(p.name for p in (REPO / "queries").glob("*.rq"))
    for args in (["validate"], ["queries"], ["stats"], ["render"]):
        result = run("--root", case, *args)
        assert result.exit_code == 0, (args, result.output)
    assert run("--root", case, "sheet", "export", "-o", case / "c.xlsx").exit_code == 0


def test_init_never_writes_over_a_folder_that_has_files(tmp_path, run):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = CliRun(run)("init", tmp_path / "busy")
    assert result.exit_code == 2
    assert "not an empty folder" in result.output
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"


def CliRun(run):
    """The CLI with click's own exception handling (exit codes, messages)."""
    from click.testing import CliRunner

    from kgraph.cli import cli

    return lambda *args: CliRunner().invoke(cli, [str(a) for a in args])


def test_a_statement_coded_in_the_workbook_is_validated_queried_checked_and_drawn(case, run):
    workbook, _ = coded_workbook(run, case)
    result = run("--root", case, "sheet", "import", workbook)
    assert result.exit_code == 0, result.output
    assert "added: 1 actors, 1 documents, 1 evidence, 1 narratives, 1 statements" \
        in result.output

    result = run("--root", case, "validate")
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output

    result = run("--root", case, "query", case / "queries" / "statements.rq",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Sergei Lavrov" in result.output and QUOTE in result.output
    assert "stmt:sergei-lavrov-2023-03-03-the-west-wages-a-hybrid-war" in \
        run("--root", case, "query", case / "queries" / "statements.rq").output

    result = run("--root", case, "check-quotes", "--corpus", case / "corpus")
    assert result.exit_code == 0, result.output
    assert "0 not found" in result.output

    result = run("--root", case, "render", "-o", case / "page.html")
    assert result.exit_code == 0, result.output
    page = (case / "page.html").read_text()
    assert "Sergei Lavrov" in page and "Hybrid war" in page

    statements = (case / "graph" / "statements.ttl").read_text()
    assert 'kg:date "2023-03-03"^^xsd:date' in statements
    sources = (case / "graph" / "sources.ttl").read_text()
    assert "kg:sha256" in sources  # the text's digest, so a changed text is noticed

    # importing the same workbook again changes nothing, and a re-export round-trips
    before = graph_bytes(case)
    assert "graph/ unchanged" in run("--root", case, "sheet", "import",
                                     workbook).output
    again = case / "again.xlsx"
    run("--root", case, "sheet", "export", "-o", again)
    assert "graph/ unchanged" in run("--root", case, "sheet", "import", again).output
    assert graph_bytes(case) == before


@pytest.mark.parametrize("cells, column, message", [
    ({"quote": "the West is waging a cold war against us"}, "quote",
     "not in the cited document's text: 'the West is waging a cold war against us'; "
     "closest passage: 'the West is waging a"),
    ({"speaker": "Sergey Lavroff"}, "speaker",
     "unknown speaker 'Sergey Lavroff': no id or label in worksheet actors"),
    ({"date": "3 March 2023"}, "date", "'3 March 2023' is not a date"),
    ({"date": "2023-02-30"}, "date", "'2023-02-30' is not a date in the calendar"),
    ({"narratives": "Hybrid peace"}, "narratives",
     "unknown narratives 'Hybrid peace': no id or label in worksheet narratives"),
])
def test_a_bad_row_is_refused_by_worksheet_row_and_column_and_nothing_is_written(
        case, run, cells, column, message):
    workbook, row = coded_workbook(run, case, **cells)
    before = graph_bytes(case)
    result = CliRun(run)("--root", case, "sheet", "import", workbook)
    assert result.exit_code == 2, result.output
    assert f"worksheet statements, row {row}, column {column!r}: {message}" in result.output
    assert "graph/ was not changed" in result.output
    assert "Traceback" not in result.output
    assert graph_bytes(case) == before


def test_a_judgement_on_an_actor_itself_is_coded_in_the_workbook(case, run):
    """The judgements worksheet judges an act or an actor (kg:judgedActor, as 000
    p. 170 judges the siloviks faction): the actor column is imported, named
    judg:actor--category--judges, validated; both or neither is refused."""
    workbook, _ = coded_workbook(run, case)
    book = load_workbook(workbook)
    headers = [c.value for c in book["judgements"][1]]
    assert headers[headers.index("act") + 1] == "actor"
    append_row(book["actors"], {"label": "Analyst A", "kind": "Person"})
    append_row(book["actors"], {"label": "Hawks", "kind": "Faction"})
    book["documents"].cell(row=2, column=[c.value for c in book["documents"][1]]
                           .index("authors") + 1, value="Analyst A")
    append_row(book["categories"], {"label": "Offensive revisionism",
                                    "scheme": "cat:scheme", "top concept of": "cat:scheme",
                                    "definition": "Revising the order by force."})
    judgement = {"label": "Analyst A judges the hawks offensive", "actor": "Hawks",
                 "category": "Offensive revisionism", "judged by": "Analyst A",
                 "quote": QUOTE, "document": "Lavrov interview (2023)",
                 "locator": "para. 1", "passage": PASSAGE}
    row = append_row(book["judgements"], judgement)
    book.save(workbook)
    result = run("--root", case, "sheet", "import", workbook)
    assert result.exit_code == 0, result.output
    acts = (case / "graph" / "acts.ttl").read_text(encoding="utf-8")
    assert "judg:hawks--offensive-revisionism--analyst-a a kg:CategoryJudgement" in acts
    assert "kg:judgedActor actor:hawks" in acts and "kg:judgedAct " not in acts
    result = run("--root", case, "validate")
    assert result.exit_code == 0 and "0 violations" in result.output, result.output

    before = graph_bytes(case)
    for cells, column in (({"act": "act:some-act"}, "actor"), ({"actor": None}, "act")):
        book = load_workbook(workbook)
        append_row(book["acts"], {"id": "act:some-act", "label": "Some act"})
        sheet = book["judgements"]
        for header, value in cells.items():
            sheet.cell(row=row, column=headers.index(header) + 1).value = value
        book.save(case / "bad.xlsx")
        result = CliRun(run)("--root", case, "sheet", "import", case / "bad.xlsx")
        assert result.exit_code == 2, result.output
        assert (f"worksheet judgements, row {row}, column {column!r}: fill "
                "exactly one of the columns act and actor") in result.output
        assert graph_bytes(case) == before


def test_a_changed_document_text_is_noticed(case, run):
    workbook, _ = coded_workbook(run, case)
    assert run("--root", case, "sheet", "import", workbook).exit_code == 0
    again = case / "again.xlsx"
    run("--root", case, "sheet", "export", "-o", again)
    (case / "corpus" / "lavrov-2023.txt").write_text(TEXT + "A new paragraph.\n")
    result = CliRun(run)("--root", case, "sheet", "import", again)
    assert result.exit_code == 2
    assert "column 'sha256': lavrov-2023.txt has changed since it was coded" in result.output


def test_a_cell_starting_with_equals_is_text_never_a_formula(case, run):
    path = case / "coding.xlsx"
    run("--root", case, "sheet", "export", "-o", path)
    from kgraph.coding.workbook import xlsx_bytes

    tables = {"documents": [["id", "label"], ["doc:x", "=HYPERLINK(\"http://x\")"]]}
    from kgraph.coding.sheets import SHEETS

    for sheet in SHEETS:
        tables.setdefault(sheet.name, [[c.header for c in sheet.columns]])
    (case / "f.xlsx").write_bytes(xlsx_bytes(tables))
    cell = load_workbook(case / "f.xlsx")["documents"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_workbook_has_a_frozen_header_widths_and_drop_down_lists(tmp_path, run):
    path = tmp_path / "shipped.xlsx"
    assert run("--root", REPO, "sheet", "export", "-o", path).exit_code == 0
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["documents", "actors", "offices"]
    assert book["lists"].sheet_state == "hidden"
    statements = book["statements"]
    assert statements.freeze_panes == "B2"
    assert [c.value for c in statements[1]][:8] == [
        "id", "kind", "label", "speaker", "office", "date", "reported as", "quote"]
    assert statements.column_dimensions["H"].width == 60
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
             for v in statements.data_validations.dataValidation}
    assert lists["D"].startswith("=lists!$")   # speaker: the actors' ids
    headers = [c.value for c in statements[1]]
    for header in ("narratives", "document", "reported as"):
        letter = statements.cell(row=1, column=headers.index(header) + 1).column_letter
        assert lists[letter].startswith("=lists!$"), header
    judgements = book["judgements"]
    assert any(v.formula1.startswith("=lists!$")
               for v in judgements.data_validations.dataValidation)  # categories
    speakers = book["lists"]
    column = next(c for c in speakers[1] if c.value == "actors").column_letter
    assert "actor:lavrov" in [c.value for c in speakers[column]]
    assert statements["A2"].value.startswith("stmt:")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus sits beside the clone")
@pytest.mark.parametrize("form", ["shipped.xlsx", "csv/"])
def test_the_shipped_graph_round_trips_byte_identical(tmp_path, run, form):
    project = tmp_path / "project"
    for folder in ("graph", "ontology"):
        shutil.copytree(REPO / folder, project / folder)
    workbook = tmp_path / form
    assert run("--root", project, "sheet", "export", "-o", f"{workbook}"
               + ("/" if form.endswith("/") else "")).exit_code == 0
    before = graph_bytes(project)
    result = run("--root", project, "sheet", "import", workbook, "--corpus", CORPUS)
    assert result.exit_code == 0, result.output
    assert "graph/ unchanged" in result.output
    assert "kept untouched (no worksheet)" in result.output  # the concept schemes
    assert graph_bytes(project) == before


def test_the_writer_reproduces_every_shipped_file_byte_for_byte():
    """Import writes a file as header + rdflib Turtle with the prefixes it uses; the
    shipped files are in that form, so rewriting one changes no byte."""
    for path in sorted((REPO / "graph").glob("*.ttl")):
        assert turtle_file_bytes(parse_turtle_file(path), file_header(path)) == \
            path.read_bytes(), path.name


def test_krippendorff_alpha_on_krippendorffs_own_example():
    """The reliability data of Krippendorff (2011), 'Computing Krippendorff's
    Alpha-Reliability', four coders, twelve units, nominal: alpha = 0.743."""
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [[v if v is None else str(v) for v in unit] for unit in zip(a, b, c, d)]
    assert round(krippendorff_alpha_nominal(units), 3) == 0.743
    assert krippendorff_alpha_nominal([["x", "x"], ["x", "x"]]) is None  # no variation


def test_sheet_diff_lists_differences_and_agreement(tmp_path, run):
    first = tmp_path / "a"
    second = tmp_path / "b"
    for folder in (first, second):
        assert run("--root", REPO, "sheet", "export", "-o", f"{folder}/").exit_code == 0
    import csv

    path = second / "statements.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    speaker, date = header.index("speaker"), header.index("date")
    rows[1][speaker] = "actor:putin"       # same statement, another speaker
    dated = next(r for r in rows[2:] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[date]))
    dated[date] = dated[date][:4]          # and another date (its year only)
    dropped = rows.pop(rows.index(next(r for r in rows[2:] if r is not dated)))
    acts = len(list(csv.reader((first / "acts.csv").open(encoding="utf-8")))) - 1
    judgements = list(csv.DictReader((first / "judgements.csv").open(encoding="utf-8")))
    acts += len({j["actor"] for j in judgements if j["actor"]})  # the siloviks, 000 p. 170
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = run("sheet", "diff", first, second)
    assert result.exit_code == 0, result.output
    n = len(rows) - 1
    lines = result.output.splitlines()
    assert lines[0] == f"statements matched: {n}"
    speaker_row = next(line for line in lines if line.startswith("speaker "))
    assert speaker_row.split()[1:4] == [str(n), str(n - 1), f"{100 * (n - 1) / n:.1f}"]
    assert re.search(rf"^only in A\s+{dropped[0]}$", result.output, re.M)
    assert re.search(rf"^speaker\s+{rows[1][0]}\s+\S+\s+actor:putin$", result.output, re.M)
    date_row = next(line for line in lines if line.startswith("date "))
    assert date_row.split()[2] == str(n - 1)
    category_row = next(line for line in lines if line.startswith("category "))
    assert category_row.split()[1:4] == [str(acts), str(acts), "100.0"]


def qdpx(path: Path, text: str, segments: list[tuple[str, list[str]]]) -> Path:
    """A REFI-QDA 1.5 project archive: the code book (speakers and narratives as parent
    codes), one text source, and one coded segment per ``(passage, codes)``."""
    import zipfile

    guids = {name: f"{i:08d}-0000-4000-8000-000000000000" for i, name in enumerate(
        ["Speakers", "Sergei Lavrov", "Narratives", "Hybrid war", "Hybrid peace",
         "direct quote", "Dates", "2023-03-03", "source", *[f"seg{n}" for n in range(len(segments))]])}
    selections = []
    for n, (passage, codes) in enumerate(segments):
        found = re.search(r"\s+".join(map(re.escape, passage.split())), text)
        start, end = found.span()
        refs = "".join(f'<Coding guid="{guids[f"seg{n}"][:-1]}1"><CodeRef targetGUID='
                       f'"{guids[c]}"/></Coding>' for c in codes)
        selections.append(f'<PlainTextSelection guid="{guids[f"seg{n}"]}" name="s{n}" '
                          f'startPosition="{start}" endPosition="{end}">'
                          f'{refs}</PlainTextSelection>')
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="test" origin="a test">
 <CodeBook><Codes>
  <Code guid="{guids['Speakers']}" name="Speakers" isCodable="false">
   <Code guid="{guids['Sergei Lavrov']}" name="Sergei Lavrov" isCodable="true"/>
  </Code>
  <Code guid="{guids['Narratives']}" name="Narratives" isCodable="false">
   <Code guid="{guids['Hybrid war']}" name="Hybrid war" isCodable="true"/>
   <Code guid="{guids['Hybrid peace']}" name="Hybrid peace" isCodable="true"/>
  </Code>
  <Code guid="{guids['direct quote']}" name="direct quote" isCodable="true"/>
  <Code guid="{guids['Dates']}" name="Dates" isCodable="false">
   <Code guid="{guids['2023-03-03']}" name="2023-03-03" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="{guids['source']}" name="Lavrov interview"
     plainTextPath="internal://{guids['source']}.txt">{''.join(selections)}</TextSource>
 </Sources>
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project)
        archive.writestr(f"Sources/{guids['source']}.txt", text)
    return path


def test_a_refi_qda_project_becomes_statements_checked_like_workbook_rows(case, run):
    workbook, row = coded_workbook(run, case)
    book = load_workbook(workbook)
    book["statements"].delete_rows(row)  # the document, actor and narrative only
    book.save(workbook)
    assert run("--root", case, "sheet", "import", workbook).exit_code == 0
    project = qdpx(case / "coded.qdpx", TEXT,
                   [(QUOTE, ["Sergei Lavrov", "Hybrid war", "direct quote", "2023-03-03"])])
    result = run("--root", case, "sheet", "import", project)
    assert result.exit_code == 0, result.output
    assert "added: 1 evidence, 1 statements" in result.output
    assert run("--root", case, "validate").exit_code == 0
    csv_out = run("--root", case, "query", case / "queries" / "statements.rq",
                  "--format", "csv").output
    assert QUOTE in csv_out and "Sergei Lavrov" in csv_out and "Hybrid war" in csv_out
    assert 'kg:locator "para. 1"' in (case / "graph" / "evidence.ttl").read_text()
    assert run("--root", case, "check-quotes", "--corpus", case / "corpus").exit_code == 0

    bad = qdpx(case / "bad.qdpx", TEXT, [("he repeated it a week later",
                                          ["Sergei Lavrov", "Hybrid peace"])])
    before = graph_bytes(case)
    result = CliRun(run)("--root", case, "sheet", "import", bad)
    assert result.exit_code == 2
    assert "column 'narratives': unknown narratives 'Hybrid peace'" in result.output
    assert "characters" in result.output and "of Lavrov interview" in result.output
    assert graph_bytes(case) == before
