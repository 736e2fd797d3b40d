"""Tables of performance targets laid out one indicator per row (项目支出绩效目标表,
部门整体支出绩效目标表 and the like): 项目名称 | 一级指标 | 二级指标 | 三级指标 |
指标值 [| 实际完成]. Empty level and project cells mean "as above"."""

from __future__ import annotations

from kg.documents.reader import Document
from kg.documents.text import compact
from kg.tables.columns import column_labels
from kg.tables.layout import LogicalTable
from kg.tables.targets import cell, column, indicator


def indicator_table_rows(doc: Document, name: str, table: LogicalTable) -> list[dict]:
    labels = column_labels(table.header)
    project = column(labels, "项目名称", "项目", avoid=("指标",))
    level1 = column(labels, "一级指标")
    level2 = column(labels, "二级指标")
    level3 = column(labels, "三级指标", "指标名称")
    target = column(labels, "指标值", "目标值", "预期目标", "预期值", "绩效目标值")
    actual = column(labels, "实际完成", "完成值", "实际值", "完成情况")
    if level3 is None:
        return []
    scope_kind = "project" if project is not None else "department"
    scope_name = "" if project is not None else doc.info.department
    carried = {"l1": "", "l2": ""}
    rows: list[dict] = []
    for row in table.all_rows[len(table.header):] if table.rows else table.all_rows:
        if any(compact(c) in {"一级指标", "三级指标"} for c in row.cells):
            continue  # a header repeated on a later page
        if project is not None and cell(row, project):
            scope_name = cell(row, project)
            carried = {"l1": "", "l2": ""}
        carried["l1"] = cell(row, level1) or carried["l1"]
        carried["l2"] = cell(row, level2) or carried["l2"]
        indicator_name = cell(row, level3)
        if not indicator_name:
            continue
        rows.append(indicator(
            doc, scope_kind=scope_kind, scope_name=scope_name, level1=carried["l1"],
            level2=carried["l2"], level3=indicator_name, line=row.line, table=name,
            target=cell(row, target), actual=cell(row, actual),
        ))
    return rows
