"""Two coders, one set of documents: where their workbooks differ, and how far they
agree (percent agreement and Krippendorff's alpha for the nominal fields).

Statements are matched by id, else by the same quote (compared as the quote check
compares text), else by the same label. Acts are matched by id; an act's "category" is
the set of categories its judgements give it, and so is that of an actor judged itself
(a judgement's actor column). An empty cell is a coding decision too
("no narrative"), so it counts as a value.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import permutations
from pathlib import Path

from .sheets import SHEETS_BY_NAME, split_cell
from .workbook import SheetTable, read_workbook

#: the statement fields compared, with the column each comes from
STATEMENT_FIELDS = ("speaker", "date", "reported as", "narratives")
BLANK = "(blank)"


def krippendorff_alpha_nominal(units: list[list[str | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; ``units`` holds each unit's values, one
    per coder (None where a coder gave none). Units with fewer than two values are not
    pairable and are left out, as the coefficient prescribes. None when no two values
    can be paired or when every value is the same (alpha is undefined then).

    >>> round(krippendorff_alpha_nominal([["a", "a"], ["b", "b"], ["a", "b"]]), 3)
    0.444
    """
    coincidences: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for c, k in permutations(range(m), 2):
            coincidences[(values[c], values[k])] += 1 / (m - 1)
    totals: Counter = Counter()
    for (c, _), weight in coincidences.items():
        totals[c] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


@dataclass
class FieldAgreement:
    field: str
    units: int
    agreed: int
    alpha: float | None

    @property
    def percent(self) -> float | None:
        return 100 * self.agreed / self.units if self.units else None


@dataclass
class Difference:
    kind: str        # "only in A", "only in B" or a field name
    unit: str        # the statement or act (id or label)
    a: str = ""
    b: str = ""


@dataclass
class DiffReport:
    matched: int = 0
    differences: list[Difference] = field(default_factory=list)
    agreement: list[FieldAgreement] = field(default_factory=list)


def rows_of(table: SheetTable | None) -> list[dict[str, str]]:
    if table is None:
        return []
    return [{h: (cells[i] if i < len(cells) else "") for i, h in enumerate(table.header)}
            for _, cells in table.rows]


def field_value(row: dict[str, str], header: str, sheet: str) -> str:
    """A cell as a comparable value: list items sorted, case and spacing ignored."""
    column = SHEETS_BY_NAME[sheet].column(header)
    values = sorted(v.casefold() for v in split_cell(row.get(header, ""), column))
    return "; ".join(values) if values else BLANK


def quote_key(row: dict[str, str]) -> str:
    from ..quotes import fold

    return fold(row.get("quote", "")).casefold()


def match_statements(a: list[dict], b: list[dict]) -> tuple[list, list, list]:
    """Pairs of the same statement, and those only one coder has."""
    pairs, rest_a, rest_b = [], list(a), list(b)
    for key in (lambda r: r.get("id", ""), quote_key, lambda r: r.get("label", "").casefold()):
        index = defaultdict(list)
        for row in rest_b:
            if key(row):
                index[key(row)].append(row)
        unmatched = []
        for row in rest_a:
            candidates = index.get(key(row)) if key(row) else None
            if candidates:
                other = candidates.pop(0)
                pairs.append((row, other))
                rest_b.remove(other)
            else:
                unmatched.append(row)
        rest_a = unmatched
    return pairs, rest_a, rest_b


def unit_name(row: dict[str, str]) -> str:
    return row.get("id") or row.get("label", "")


def diff_workbooks(first: str | Path, second: str | Path) -> DiffReport:
    """Compare two codings (``.xlsx`` files or CSV folders) of the same documents.

    >>> report = diff_workbooks("coder-a.xlsx", "coder-b.xlsx")  # doctest: +SKIP
    """
    a, b = read_workbook(first), read_workbook(second)
    report = DiffReport()
    pairs, only_a, only_b = match_statements(rows_of(a.get("statements")),
                                             rows_of(b.get("statements")))
    report.matched = len(pairs)
    report.differences += [Difference("only in A", unit_name(r)) for r in only_a]
    report.differences += [Difference("only in B", unit_name(r)) for r in only_b]
    for header in STATEMENT_FIELDS:
        units, agreed = [], 0
        for row_a, row_b in pairs:
            va, vb = field_value(row_a, header, "statements"), \
                field_value(row_b, header, "statements")
            units.append([va, vb])
            if va == vb:
                agreed += 1
            else:
                report.differences.append(Difference(header, unit_name(row_a), va, vb))
        report.agreement.append(FieldAgreement(header, len(units), agreed,
                                               krippendorff_alpha_nominal(units)))
    categories_a, categories_b = act_categories(a), act_categories(b)
    acts = sorted(set(categories_a) | set(categories_b))
    units, agreed = [], 0
    for act in acts:
        va, vb = categories_a.get(act, BLANK), categories_b.get(act, BLANK)
        units.append([va, vb])
        if va == vb:
            agreed += 1
        else:
            report.differences.append(Difference("category", act, va, vb))
    report.agreement.append(FieldAgreement("category", len(units), agreed,
                                           krippendorff_alpha_nominal(units)))
    return report


def act_categories(tables: dict[str, SheetTable]) -> dict[str, str]:
    """Act → the categories its judgements give it (sorted, joined), for every act of
    the acts worksheet (BLANK when none), and likewise every actor a judgement judges."""
    found: dict[str, set[str]] = {row.get("id") or row.get("label", ""): set()
                                  for row in rows_of(tables.get("acts"))}
    for row in rows_of(tables.get("judgements")):
        act = row.get("act", "") or row.get("actor", "")
        if act:
            found.setdefault(act, set()).update(
                v.casefold() for v in split_cell(row.get("category", ""),
                                                 SHEETS_BY_NAME["judgements"].column("category")))
    return {act: "; ".join(sorted(values)) if values else BLANK
            for act, values in found.items()}


def format_diff(report: DiffReport) -> str:
    """The agreement table, then every difference."""
    from ..results import format_table

    lines = [f"statements matched: {report.matched}", ""]
    rows = [[a.field, str(a.units), str(a.agreed),
             "" if a.percent is None else f"{a.percent:.1f}",
             "" if a.alpha is None else f"{a.alpha:.3f}"] for a in report.agreement]
    lines.append(format_table(["field", "units", "agreed", "percent", "alpha"], rows))
    if report.differences:
        lines.append(format_table(["difference", "unit", "A", "B"],
                                  [[d.kind, d.unit, d.a, d.b] for d in report.differences]))
    return "\n".join(lines).rstrip("\n") + "\n"
