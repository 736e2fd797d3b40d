"""One table row read as the document means it: its key cells and its amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.documents.numbers import parse_amount, split_amounts
from kg.documents.text import clean_text, compact
from kg.tables.columns import amount_columns, column_labels, key_columns, measures_for
from kg.tables.layout import Row

_BRACKETED = re.compile(r"^\[\s*(\d{3,7})\s*\]\s*(.*)$")
# Subject codes (3, 5 or 7 digits) and unit codes (6 digits) printed in a column of their own.
_INTEGER_CODE = re.compile(r"^\d{3,9}$")
_TOTAL_NAMES = {"合计", "总计", "小计"}
_PLACEHOLDERS = {"-", "—", "--", "无", "/"}  # "nothing" printed in a text cell


@dataclass
class ReadRow:
    line: int
    code: str = ""
    related_code: str = ""
    name: str = ""
    texts: list[str] = field(default_factory=list)  # key cells other than code and name
    amounts: list[tuple[str, Decimal]] = field(default_factory=list)  # (measure, amount)
    trailing: list[str] = field(default_factory=list)  # text cells after the amounts

    @property
    def is_total(self) -> bool:
        return not self.code and compact(self.name) in _TOTAL_NAMES


def classification_of(code: str) -> str:
    """功能分类 codes start with 2, 经济分类 with 3, 部门经济分类 with 5."""
    return {"2": "function", "3": "economic", "5": "dept_economic"}.get(code[:1], "")


def read_row(row: Row, header: list[Row]) -> ReadRow:
    """Split ``row`` into key cells (code, name) and amounts mapped to measures."""
    result = ReadRow(line=row.line)
    positions: list[tuple[int, Decimal]] = []
    first_amount = None
    keys = key_columns(column_labels(header))
    for position, cell in enumerate(row.cells):
        is_code = first_amount is None and bool(_INTEGER_CODE.match(compact(cell)))
        value = None if (position in keys or is_code) else parse_amount(cell)
        several = split_amounts(cell) if value is None and position not in keys else None
        if value is not None or several:
            if first_amount is None:
                first_amount = position
            for v in [value] if value is not None else several or []:
                positions.append((position, v))
            continue
        text = clean_text(cell)
        if not text or text in _PLACEHOLDERS:
            continue
        if first_amount is not None:
            result.trailing.append(text)
            continue
        bracketed = _BRACKETED.match(text)
        if bracketed:
            if not result.code:
                result.code = bracketed.group(1)
                if bracketed.group(2):
                    result.name = clean_text(bracketed.group(2))
            elif not result.related_code:
                result.related_code = bracketed.group(1)
            continue
        if _INTEGER_CODE.match(text) and not result.code and not result.name:
            result.code = text
            continue
        if compact(text).isdigit() and len(compact(text)) <= 3 and position in keys:
            continue  # a 行次 line number, not part of the row's meaning
        if not result.name:
            result.name = text
        else:
            result.texts.append(text)
    result.amounts = _assign(positions, row, header)
    return result


def _assign(positions: list[tuple[int, Decimal]], row: Row, header: list[Row]) -> list:
    if not positions:
        return []
    labels = column_labels(header)
    distinct = {p for p, _ in positions}
    if len(distinct) == len(positions) and len(row.cells) <= len(labels):
        by_position = measures_for_positions(header)
        if all(p in by_position for p in distinct):
            return [(by_position[p], v) for p, v in positions]
    measures = measures_for(header, len(positions))
    return list(zip(measures, (v for _, v in positions), strict=True))


def measures_for_positions(header: list[Row]) -> dict[int, str]:
    """Measure per column position, for rows printed in the header's own columns."""
    amount_positions = amount_columns(column_labels(header))
    keys = measures_for(header, len(amount_positions))
    return dict(zip(amount_positions, keys, strict=True))


def total_rows(
    doc_id: str,
    table: str,
    scope: str,
    unit: str,
    amounts: list[tuple[str, Decimal]],
    line: int,
) -> list[dict]:
    """Rows of the ``totals`` table for one printed subtotal line."""
    return [
        {
            "doc_id": doc_id,
            "table": table,
            "scope": scope,
            "unit": unit,
            "measure": measure,
            "amount": value,
            "source_line": line,
        }
        for measure, value in amounts
    ]
