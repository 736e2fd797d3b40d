"""Two-sided summary tables: income items on the left, expenditure on the right.

收支总体情况表, 财政拨款收支总体情况表 and their final-accounts twins print
an income panel and an expenditure panel side by side, each with its own
item column, optional 行次 column and amount columns.
"""

from __future__ import annotations

import re

from kg.documents.text import compact
from kg.tables.columns import column_labels
from kg.tables.layout import LogicalTable, Row
from kg.tables.rows import read_row

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十百]+、|\(?[一二三四五六七八九十]+\)|\d+[\.、])\s*")
_ITEM_LABEL = re.compile(r"^(项目|收入项目|支出项目)$")


def item_name(text: str) -> str:
    """An item without its printed ordinal (一、 / (一) / 1.) or 其中: lead."""
    folded = re.sub(r"^其中[:：]?", "", compact(text))
    return _ORDINAL.sub("", folded)


def _sides(table: LogicalTable) -> list[tuple[str, int, int]]:
    labels = column_labels(table.header)
    # the second header row names the item columns (项目 … 项目)
    starts = [p for p, label in enumerate(labels) if _ITEM_LABEL.match(_strip_group(label))]
    if len(starts) < 2:
        width = max((len(r.cells) for r in table.rows), default=2)
        half = width // 2
        starts = [0, half]
    end = max([len(labels)] + [len(r.cells) for r in table.rows]) + 1
    return [("income", starts[0], starts[1]), ("expenditure", starts[1], end)]


def _strip_group(label: str) -> str:
    """A stacked label such as 收入项目 or 支出项目 loses its panel word."""
    return re.sub(r"^(收入|支出|收|支|入|出)+", "", label) or label


def summary_rows(doc_id: str, name: str, table: LogicalTable) -> list[dict]:
    rows: list[dict] = []
    for side, start, end in _sides(table):
        header = [Row(h.line, h.cells[start:end]) for h in table.header]
        for row in table.rows:
            part = Row(row.line, row.cells[start:end])
            if not part.texts:
                continue
            read = read_row(part, header)
            if not read.name or not read.amounts:
                continue
            for measure, value in read.amounts:
                rows.append(
                    {
                        "doc_id": doc_id,
                        "table": name,
                        "side": side,
                        "item": item_name(read.name),
                        "measure": measure,
                        "amount": value,
                        "source_line": read.line,
                    }
                )
    return rows
