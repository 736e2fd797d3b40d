"""Project evaluation reports (项目绩效评价报告) of a final account.

Each report names its project in its heading (I.“政府专线线路租用费用”项目
绩效评价报告) and gives, in prose, its 年初预算, 调整后预算, 实际支出 and
执行率; in tables, its 表1 fund use, 表2 个性化绩效指标表 (planned indicators)
and 表3 绩效指标完成情况表 (results). Some reports give their indicators only
in prose ("数量指标：…。指标值完成情况，已完成…").

The indicator tables reach us as pipe fragments: empty level cells mean
"same as above" and are carried down; a row with no 三级指标 continues the
row above (a cell wrapped onto the next page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.documents.numbers import parse_amount
from kg.documents.reader import Document
from kg.documents.text import clean_text, compact, join_wrapped
from kg.tables.layout import LogicalTable
from kg.tables.prose import NUMBERING, Prose, read_prose
from kg.tables.targets import cell, column, indicator, new_row, set_target

_REPORT = re.compile(
    rf"^{NUMBERING}?"
    r"[\"“「『](?P<name>[^\"”」』]{2,80})[\"”」』](?:项目)?(?:绩效)?(?:自评|评价)报告$"
)
_NUMERAL = "一二三四五六七八九"
_SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})、")
_PART = re.compile(r"^第.{1,3}部分")

RESULTS = "evaluation_results"
PLANNED = "evaluation_indicators"
FUND_USE = "evaluation_fund_use"


@dataclass
class Report:
    name: str
    first_line: int
    last_line: int

    def holds(self, line: int) -> bool:
        return self.first_line <= line <= self.last_line


def _numeral(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20."""
    if "十" not in text:
        return _NUMERAL.index(text) + 1 if len(text) == 1 and text in _NUMERAL else 0
    tens, _, ones = text.partition("十")
    return (_NUMERAL.index(tens) + 1 if tens else 1) * 10 + (
        _NUMERAL.index(ones) + 1 if ones else 0)


def evaluation_reports(doc: Document) -> list[Report]:
    """Each project evaluation report: its project and its lines.

    A report runs to the next report, to the next part (第X部分), or to a
    numbered section whose number does not follow on from the report's own
    (二、 after the report's 四、 belongs to the document again); it ends at
    its last printed line.
    """
    heads = [
        (number, found["name"])
        for number, line in enumerate(doc.lines, start=1)
        if "报告" in line and (found := _REPORT.match(compact(line)))
    ]
    reports: list[Report] = []
    for index, (first, name) in enumerate(heads):
        last = heads[index + 1][0] - 1 if index + 1 < len(heads) else len(doc.lines)
        seen = 0
        for number in range(first + 1, last + 1):
            folded = compact(doc.lines[number - 1])
            section = _SECTION.match(folded)
            numeral = _numeral(section.group(1)) if section else 0
            if _PART.match(folded) or 0 < numeral <= seen:
                last = number - 1
                break
            seen = numeral or seen
        while last > first and not doc.lines[last - 1].strip():
            last -= 1
        reports.append(Report(clean_text(name), first, last))
    return reports


_FUNDING = {
    "budget_initial": r"年初(?:总)?预算(?:安排)?(?:为)?(?P<value>\d+(?:\.\d+)?)万元",
    "budget_adjusted": r"调整后(?:的)?预算(?:为)?(?P<value>\d+(?:\.\d+)?)万元",
    "actual": r"(?:实际支出|最终支付|实际支付)(?:为)?(?P<value>\d+(?:\.\d+)?)万元",
    "execution_rate": r"(?:执行率|支付率|支出执行)(?:为|达到|达)?(?P<value>\d+(?:\.\d+)?)%",
}


# 项目绩效目标: / 该项目的绩效目标是 / 项目的绩效总目标为： / 本项目年初所设置的目标为：
_GOAL = re.compile(r"(?:绩效总?目标(?:是|为)|绩效总?目标(?=:)|所设置的目标为):?(?P<goal>[^\n。]+)")


def _project(doc: Document, report: Report, prose: Prose) -> dict:
    """The report's project with the first of each funding figure its prose states,
    and the first sentence stating its performance goal."""
    text = prose.text.replace(",", "")
    values: dict[str, Decimal | None] = {}
    for name, pattern in _FUNDING.items():
        found = re.search(pattern, text)
        values[name] = parse_amount(found["value"]) if found else None
    goal = _GOAL.search(prose.text)
    return new_row(
        "projects", doc_id=doc.doc_id, unit="", name=report.name, table="evaluation_report",
        performance_target=clean_text(goal["goal"]) if goal else "",
        source_line=report.first_line, end_line=report.last_line, **values,
    )


def _indicator_table(doc: Document, table: LogicalTable, project: str, kind: str) -> list[dict]:
    """表2 (``PLANNED``) or 表3 (``RESULTS``): levels carried down, wrapped cells joined."""
    columns: dict[str, int | None] = {
        "level1": 0, "level2": 1, "level3": 2, "target": 3,
        "actual": 4 if kind == RESULTS else None,
    }
    rows: list[dict] = []
    cells_of: list[list[str]] = []  # each indicator's cells, grown by continuations
    in_header = True
    for row in table.all_rows:
        labels = [compact(c) for c in row.cells]
        if any("三级" in label for label in labels) or "一级" in "".join(labels[:1]):
            columns = {
                "level1": column(labels, "一级"),
                "level2": column(labels, "二级"),
                "level3": column(labels, "三级"),
                "actual": column(labels, "实际完成", "完成情况", "实际值", "完成值"),
                "target": column(labels, "指标值", "预期目标", "预期值", "目标值",
                                 avoid=("完成情况",)),
            }
            in_header = True
            continue
        level3 = cell(row, columns["level3"])
        if not level3:
            if in_header or not rows:
                continue  # the rest of a header cell (一级 | 指标) wrapped onto the next line
            grown = cells_of[-1]
            for position, text in enumerate(row.cells):
                if clean_text(text) and position < len(grown):
                    grown[position] = join_wrapped([grown[position], text])
            _read_cells(rows[-1], grown, columns)
            continue
        in_header = False
        above = rows[-1] if rows else None
        level1 = cell(row, columns["level1"])
        level2 = cell(row, columns["level2"])
        found = indicator(
            doc, scope_kind="project", scope_name=project, level3=level3, line=row.line,
            table=kind,
            level1=level1 or (above["level1"] if above else ""),
            # a level 2 is carried only under the same level 1
            level2=level2 or ("" if level1 or not above else above["level2"]),
        )
        cells_of.append(list(row.cells))
        _read_cells(found, cells_of[-1], columns)
        rows.append(found)
    return rows


def _read_cells(row: dict, cells: list[str], columns: dict[str, int | None]) -> None:
    def at(name: str) -> str:
        position = columns.get(name)
        return clean_text(cells[position]) if position is not None and position < len(
            cells) else ""

    set_target(row, at("target"))
    row["actual_text"] = at("actual")


def _merge(planned: list[dict], results: list[dict]) -> list[dict]:
    """表3 rows, each completed from the 表2 row of the same 三级指标; then 表2-only rows."""
    by_name = {compact(r["level3"]): r for r in planned}
    used: set[str] = set()
    for row in results:
        plan = by_name.get(compact(row["level3"]))
        if plan is None:
            continue
        used.add(compact(row["level3"]))
        if not row["target_text"]:
            set_target(row, plan["target_text"])
    return results + [r for r in planned if compact(r["level3"]) not in used]


# Level-2 indicators of the national framework and the level 1 each belongs to.
_LEVEL2 = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "环境效益指标": "效益指标", "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标", "满意度指标": "满意度指标",
}
_PROSE_INDICATOR = re.compile(
    r"(?P<level2>" + "|".join(sorted(_LEVEL2, key=len, reverse=True)) + r")[:,]"
    r"(?P<body>[^\n]+?)指标值?完成情况[:,]?(?P<actual>[^。\n]*)"
)


def _prose_indicators(doc: Document, project: str, prose: Prose) -> list[dict]:
    """"数量指标：X，说明。指标值完成情况，已完成" → level3 X, target 说明, actual 已完成."""
    rows: list[dict] = []
    for found in _PROSE_INDICATOR.finditer(prose.text):
        head, *rest = re.split(r"[,;。:]", found["body"].rstrip("。"), maxsplit=1)
        rows.append(indicator(
            doc, scope_kind="project", scope_name=project, level1=_LEVEL2[found["level2"]],
            level2=found["level2"], level3=clean_text(head),
            target=clean_text(rest[0].strip("。,;")) if rest else "",
            actual=clean_text(found["actual"]), line=prose.line_at(found.start()),
            table="evaluation_prose"))
    return rows


def _fund_use(doc: Document, table: LogicalTable, project: str) -> list[dict]:
    """表1 …区财政资金使用情况表: one row per spending item, its 合计 left out."""
    items: list[dict] = []
    columns: dict[str, int | None] = {}
    for row in table.all_rows:
        labels = [compact(c) for c in row.cells]
        if any("支出内容" in label or "金额" in label for label in labels):
            columns = {
                "item": column(labels, "具体支出内容", "支出内容", "内容"),
                "sub": column(labels, "小项目"),
                "amount": column(labels, "金额"),
            }
            continue
        if not columns or any(label in {"合计", "小计", "总计"} for label in labels):
            continue
        amount = parse_amount(cell(row, columns["amount"]))
        content = cell(row, columns["item"])
        if amount is None or not content:
            continue
        sub = cell(row, columns["sub"])
        items.append(new_row(
            "line_items", doc_id=doc.doc_id, table=FUND_USE, unit_code="", unit="",
            item=f"{sub}：{content}" if sub else content, detail=project, measure="actual",
            amount=amount, source_line=row.line))
    return items


def _tables_rows(
    doc: Document, inside: list[tuple[str, LogicalTable]], project: str
) -> tuple[list[dict], list[dict]]:
    """Indicators (表2 merged into 表3) and fund-use items of one report's tables."""
    by_kind = {
        kind: [row for name, t in inside if name == kind
               for row in _indicator_table(doc, t, project, kind)]
        for kind in (PLANNED, RESULTS)
    }
    items = [item for name, t in inside if name == FUND_USE for item in _fund_use(doc, t, project)]
    return _merge(by_kind[PLANNED], by_kind[RESULTS]), items


def evaluation_rows(doc: Document, tables: list[tuple[str, LogicalTable]]) -> dict[str, list]:
    """Projects, indicators and fund-use items of every evaluation report in ``doc``.

    ``tables`` are the document's named logical tables; those printed inside
    a report are read as its 表1, 表2 and 表3. Such tables outside any report
    whose heading names its project are still read, with no project, and
    reported under ``problems``.
    """
    out: dict[str, list[dict]] = {"indicators": [], "projects": [], "line_items": [],
                                  "problems": []}
    reports = evaluation_reports(doc)
    for report in reports:
        inside = [(name, t) for name, t in tables if report.holds(t.first_line)]
        rows, items = _tables_rows(doc, inside, report.name)
        prose = read_prose(doc, report.first_line, report.last_line)
        out["projects"].append(_project(doc, report, prose))
        named = {compact(r["level3"]) for r in rows}
        rows += [r for r in _prose_indicators(doc, report.name, prose)
                 if compact(r["level3"]) not in named]
        out["indicators"] += rows
        out["line_items"] += items
    stray = [(name, t) for name, t in tables if name in (PLANNED, RESULTS, FUND_USE)
             and not any(r.holds(t.first_line) for r in reports)]
    if stray:
        rows, items = _tables_rows(doc, stray, "")
        out["indicators"] += rows
        out["line_items"] += items
        out["problems"] += [
            new_row("problems", doc_id=doc.doc_id, table=name, line=t.first_line,
                    severity="warning",
                    message=f"{t.title or name} (lines {t.first_line}-{t.last_line}) is not "
                            "under a report heading that names its project: read with no project")
            for name, t in stray
        ]
    return out
