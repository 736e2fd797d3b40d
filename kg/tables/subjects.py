"""Tables keyed by budget subject codes: every amount with its code and measure.

Covers the function-classified tables (收入/支出总体情况表, 一般公共预算支出…),
the economic-classified ones (基本支出/项目支出 按经济分类), two-panel tables
(人员经费 | 公用经费 side by side) and tables pairing two classifications
([301]… beside [501]…). A code printed twice in one table (one sub-block per
unit) keeps its rows apart by ``block``.
"""

from __future__ import annotations

from collections import defaultdict

from kg.documents.text import compact
from kg.tables.columns import column_labels
from kg.tables.layout import LogicalTable, Row
from kg.tables.rows import ReadRow, classification_of, read_row, total_rows

SUBJECT_TABLES = {
    "income_by_function",
    "expenditure_by_function",
    "general_budget_expenditure_by_function",
    "basic_expenditure_by_economic",
    "project_expenditure_by_economic",
    "project_expenditure_by_function",
    "government_fund_expenditure",
    "state_capital_expenditure",
}


def panels(table: LogicalTable) -> list[tuple[str, int, int]]:
    """(panel name, first column, end column) of each side-by-side panel.

    A panel starts wherever a code column label (…编码) is printed again.
    """
    labels = column_labels(table.header)
    starts = [p for p, label in enumerate(labels) if "编码" in label]
    if len(starts) < 2:
        return [("", 0, max(len(labels), 1) + 64)]
    top = table.header[0].cells if table.header else []
    bounds = starts + [max(len(labels), max(len(r.cells) for r in table.rows)) + 1]
    result = []
    for index, start in enumerate(starts):
        name = compact(top[start]) if start < len(top) else ""
        result.append((name, start, bounds[index + 1]))
    return result


def _slice(row: Row, start: int, end: int) -> Row:
    return Row(row.line, row.cells[start:end])


def subject_rows(doc_id: str, name: str, table: LogicalTable) -> tuple[list[dict], list[dict]]:
    """Rows for ``subject_amounts`` and ``totals`` from one subject table."""
    amounts: list[dict] = []
    totals: list[dict] = []
    for panel, start, end in panels(table):
        header = [_slice(h, start, end) for h in table.header]
        occurrences: dict[tuple[str, str], int] = defaultdict(int)
        block = 0
        for row in table.rows:
            part = _slice(row, start, end)
            if not part.texts:
                continue
            read = read_row(part, header)
            if not read.amounts:
                continue
            if not read.code:
                label = compact(read.name)
                if read.is_total or label.endswith("合计"):
                    scope, unit = ("table", "") if read.is_total else ("panel", panel)
                    totals.extend(total_rows(doc_id, name, scope, unit, read.amounts, read.line))
                    if read.is_total:
                        amounts.extend(_amount_rows(doc_id, name, read, "", panel, 0))
                continue
            if len(read.code) == 3:
                key = (read.code, read.related_code)
                block = occurrences[key]
                occurrences[key] += 1
            amounts.extend(_amount_rows(doc_id, name, read, read.code, panel, block))
            if read.related_code:
                mirrored = ReadRow(
                    line=read.line,
                    code=read.related_code,
                    related_code=read.code,
                    name=read.texts[0] if read.texts else "",
                    amounts=read.amounts,
                )
                amounts.extend(_amount_rows(doc_id, name, mirrored, mirrored.code, panel, block))
    return amounts, totals


def _amount_rows(
    doc_id: str, table: str, read: ReadRow, code: str, panel: str, block: int
) -> list[dict]:
    classification = classification_of(code) if code else ""
    return [
        {
            "doc_id": doc_id,
            "table": table,
            "classification": classification,
            "code": code,
            "name": read.name if code else (read.name or "合计"),
            "unit": "",
            "block": block,
            "panel": panel,
            "related_code": read.related_code,
            "measure": measure,
            "amount": value,
            "source_line": read.line,
        }
        for measure, value in read.amounts
    ]
