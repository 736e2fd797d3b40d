"""Performance targets as printed ("≥95%", "98%以上", "不少于15个") and indicator rows.

Shared by the readers of target tables (``kg.tables.performance``) and of
project evaluation reports (``kg.tables.evaluation``): the parsing of a
printed target, the ``indicators`` row, and the lookup of cells in tables
of text, where a cell may be missing from a short row.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.documents.reader import Document
from kg.documents.text import clean_text, compact
from kg.tables.layout import Row
from kg.tables.schema import TABLES

_TARGET = re.compile(
    r"(?P<before>≥|>=|≤|<=|大于等于|小于等于|不少于|不低于|不超过|不高于|不多于|至少|"
    r"大于|小于|高于|低于|多于|少于|>|<)?"
    r"(?P<value>\d+(?:\.\d+)?)"
    r"(?P<unit>%|[A-Za-z]{1,5}|[\u4e00-\u9fff]{1,4}?)?"
    r"(?P<after>及以上|及以下|以上|以下|以内)?$"
)
_BEFORE = {
    "≥": ">=", ">=": ">=", "大于等于": ">=", "不少于": ">=", "不低于": ">=", "至少": ">=",
    "≤": "<=", "<=": "<=", "小于等于": "<=", "不超过": "<=", "不高于": "<=", "不多于": "<=",
    "大于": ">", "高于": ">", "多于": ">", ">": ">",
    "小于": "<", "低于": "<", "少于": "<", "<": "<",
}
_AFTER = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<="}


def parse_target(text: str) -> tuple[str, Decimal | None, str]:
    """(comparator, value, unit) of a printed target, or ("", None, "") for prose.

    A bare number with its unit ("0次", "90%") is an equality; a comparison
    may follow a description ("全区数据归集量有效提升≥30%") as long as the
    description holds no other number.
    """
    folded = compact(text).rstrip("。.")
    found = _TARGET.search(folded)
    if not found:
        return "", None, ""
    before = folded[: found.start()]
    comparator = _BEFORE.get(found["before"] or "") or _AFTER.get(found["after"] or "")
    if comparator:
        if re.search(r"\d", before):
            return "", None, ""
    elif before:
        return "", None, ""
    else:
        comparator = "="
    return comparator, Decimal(found["value"]), found["unit"] or ""


def new_row(contract: str, /, **values: object) -> dict:
    """A row of contract table ``contract``: every column present, unknown ones None."""
    unknown = set(values) - set(TABLES[contract])
    if unknown:
        raise KeyError(f"{contract} has no column {sorted(unknown)}")
    return {column: values.get(column) for column in TABLES[contract]}


def set_target(row: dict, target: str) -> None:
    """Set an indicator's printed target and what it parses to."""
    comparator, value, unit = parse_target(target) if target else ("", None, "")
    row.update(target_text=target, target_comparator=comparator, target_value=value,
               target_unit=unit)


def indicator(
    doc: Document, *, scope_kind: str, scope_name: str, level3: str, line: int, table: str,
    level1: str = "", level2: str = "", target: str = "", actual: str = "",
) -> dict:
    """An ``indicators`` row, its target parsed."""
    row = new_row(
        "indicators", doc_id=doc.doc_id, scope_kind=scope_kind, scope_name=scope_name,
        level1=level1, level2=level2, level3=level3, actual_text=actual, table=table,
        source_line=line,
    )
    set_target(row, target)
    return row


def cell(row: Row, position: int | None) -> str:
    """The cleaned text at ``position``, "" where the row has no such cell."""
    if position is None or position >= len(row.cells):
        return ""
    return clean_text(row.cells[position])


def column(labels: list[str], *words: str, avoid: tuple[str, ...] = ()) -> int | None:
    """The first column whose label holds one of ``words`` (in order) and none of ``avoid``."""
    for word in words:
        for position, label in enumerate(labels):
            if word in label and not any(a in label for a in avoid):
                return position
    return None
