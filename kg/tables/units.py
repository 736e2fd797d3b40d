"""Tables broken down by spending unit (资金使用单位): the unit rows, and the
economic categories under each unit (部门预算基本支出预算表)."""

from __future__ import annotations

import re

from kg.documents.text import compact
from kg.tables.layout import LogicalTable
from kg.tables.rows import read_row, total_rows

# Organisation names end with one of these words; project and category names do not.
_ORG_SUFFIX = re.compile(
    r"(局|中心|本级|办公室|委员会|委|办|院|所|站|队|处|馆|校|厅|部|会|社|署|公司)$"
)
# The economic classes printed by name (not code) in unit breakdown tables.
_CATEGORY_CODES = {
    "工资福利支出": "301",
    "工资和福利支出": "301",
    "商品和服务支出": "302",
    "对个人和家庭的补助": "303",
    "对个人和家庭的补助支出": "303",
    "债务利息及费用支出": "307",
    "资本性支出(基本建设)": "309",
    "资本性支出": "310",
    "其他资本性等支出": "310",
    "人员支出": "",
    "人员经费": "",
    "公用经费": "",
    "公用支出": "",
}


def is_organization_name(name: str) -> bool:
    folded = compact(name)
    return bool(folded) and folded not in _CATEGORY_CODES and bool(_ORG_SUFFIX.search(folded))


def category_code(name: str) -> str | None:
    """The economic class code for a category printed by name; None if not a category."""
    folded = compact(name).removesuffix("合计")
    return _CATEGORY_CODES.get(folded)


def unit_breakdown_rows(
    doc_id: str, name: str, table: LogicalTable
) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows for ``subject_amounts``, ``totals`` and ``organizations`` of a unit table."""
    amounts: list[dict] = []
    totals: list[dict] = []
    organizations: list[dict] = []
    unit = ""
    for row in table.rows:
        read = read_row(row, table.header)
        if not read.amounts:
            continue
        label = compact(read.name)
        if read.is_total:
            totals.extend(total_rows(doc_id, name, "table", "", read.amounts, read.line))
            continue
        code = category_code(label)
        if code is not None:
            department_wide = label.endswith("合计")
            amounts.extend(
                {
                    "doc_id": doc_id,
                    "table": name,
                    "classification": "economic" if code else "",
                    "code": code,
                    "name": label.removesuffix("合计"),
                    "unit": "" if department_wide else unit,
                    "block": 0,
                    "panel": "",
                    "related_code": "",
                    "measure": measure,
                    "amount": value,
                    "source_line": read.line,
                }
                for measure, value in read.amounts
            )
            continue
        unit = label
        totals.extend(total_rows(doc_id, name, "unit", unit, read.amounts, read.line))
        organizations.append(
            {
                "doc_id": doc_id,
                "name": unit,
                "role": "unit",
                "parent": "",
                "code": read.code,
                "source_line": read.line,
            }
        )
    return amounts, totals, organizations
