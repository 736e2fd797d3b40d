"""Tables of line items: procurement, purchased services, non-tax revenue,
transfer payments, and the 三公 funds table (as items and as facts)."""

from __future__ import annotations

import re

from kg.documents.text import compact
from kg.tables.columns import column_labels
from kg.tables.layout import LogicalTable
from kg.tables.rows import read_row
from kg.tables.summary import item_name
from kg.tables.units import is_organization_name

ITEM_TABLES = {
    "government_procurement",
    "government_purchased_services",
    "non_tax_revenue",
    "transfer_payment_projects",
    "three_public_funds",
}

# 三公 items by the words that name them, most specific first.
_THREE_PUBLIC: tuple[tuple[str, str], ...] = (
    (r"行政经费|机关运行经费", "administrative_funds"),
    (
        r"公务用车购置及运行|购置及运行维护|用车.*小计",
        "three_public.vehicle_purchase_and_operation",
    ),
    (r"公务用车购置", "three_public.vehicle_purchase"),
    (r"公务用车运行", "three_public.vehicle_operation"),
    (r"出国", "three_public.outbound_travel"),
    (r"接待", "three_public.official_reception"),
    (r"三公|^合计", "three_public.total"),
)


def three_public_key(label: str) -> str | None:
    folded = compact(label)
    for pattern, key in _THREE_PUBLIC:
        if re.search(pattern, folded):
            return key
    return None


def item_rows(doc_id: str, name: str, table: LogicalTable, amount_unit: str) -> tuple[list, list]:
    """Rows for ``line_items`` and ``facts`` from one line-item table."""
    if name == "three_public_funds" and _is_horizontal(table):
        return [], _three_public_horizontal(doc_id, table, amount_unit)
    items: list[dict] = []
    facts: list[dict] = []
    unit = ""
    for row in table.rows:
        read = read_row(row, table.header)
        if not read.amounts:
            continue
        label = read.name or (read.texts[0] if read.texts else "")
        if is_organization_name(label) and name != "three_public_funds":
            unit = compact(label)
        item = item_name(label)
        for measure, value in read.amounts:
            items.append(
                {
                    "doc_id": doc_id,
                    "table": name,
                    "unit_code": read.code,
                    "unit": unit,
                    "item": item,
                    "detail": " | ".join(t for t in read.texts + read.trailing if t not in {"无"}),
                    "measure": measure,
                    "amount": value,
                    "source_line": read.line,
                }
            )
        if name == "three_public_funds" and read.amounts:
            key = three_public_key(label)
            if key:
                facts.append(_fact(doc_id, key, read.amounts[0][1], amount_unit, read.line, label))
    return items, facts


def _is_horizontal(table: LogicalTable) -> bool:
    """The final-accounts layout: one data row, items as columns, 预算数 | 决算数 panels."""
    return len(table.rows) <= 2 and any("决算数" in label for label in column_labels(table.header))


def _three_public_horizontal(doc_id: str, table: LogicalTable, amount_unit: str) -> list[dict]:
    labels = column_labels(table.header)
    panels = _panel_of_positions(table)
    facts = []
    for row in table.rows:
        for position, cell in enumerate(row.cells):
            read = read_row(type(row)(row.line, [cell]), [])
            if not read.amounts or position >= len(labels):
                continue
            key = three_public_key(labels[position].replace(panels.get(position, ""), ""))
            if not key:
                continue
            phase = panels.get(position, "")
            suffix = ".budget" if "预算" in phase else ""
            facts.append(
                _fact(
                    doc_id,
                    key + suffix,
                    read.amounts[0][1],
                    amount_unit,
                    row.line,
                    f"{phase} {labels[position]}",
                )
            )
    return facts


def _panel_of_positions(table: LogicalTable) -> dict[int, str]:
    top = table.header[0].cells if table.header else []
    result, current = {}, ""
    width = max(len(r.cells) for r in table.header + table.rows)
    for position in range(width):
        cell = compact(top[position]) if position < len(top) else ""
        if cell in {"预算数", "决算数"}:
            current = cell
        result[position] = current
    return result


def _fact(doc_id: str, key: str, value, unit: str, line: int, evidence: str) -> dict:
    return {
        "doc_id": doc_id,
        "key": key,
        "value": value,
        "unit": unit,
        "source_line": line,
        "evidence": compact(evidence),
    }
