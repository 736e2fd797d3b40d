"""Performance targets, evaluation reports and key projects as tidy rows.

``extract_performance(doc)`` returns rows for three contract tables:

- ``indicators``: department-level and task-level targets (关键指标 |
  预期实现值), the indicators of each project evaluation report (表2
  个性化绩效指标表 merged with 表3 绩效指标完成情况表 by 三级指标, and
  indicators given only in prose), and the 部门整体支出 table of a final
  account. Each scope's goal text (部门整体支出绩效目标, 任务绩效目标) is one
  row too, its ``level3`` the printed column label and ``target_text`` the
  goal, so the goal is kept with its indicators. ``table`` says where a row
  came from: ``performance_targets``, ``department_performance``,
  ``evaluation_results`` (表3, merged with 表2), ``evaluation_indicators``
  (表2 only) or ``evaluation_prose``.
- ``projects``: projects named in evaluation reports (``evaluation_report``,
  with 年初预算, 调整后预算, 实际支出 and 执行率), the 重点项目 tables
  (``key_projects``) and projects only mentioned in the narrative
  (``narrative``, name exactly as printed; only clear project noun phrases).
- ``line_items``: the 区财政资金使用情况表 of each report
  (``evaluation_fund_use``, detail = the project) and the amounts paid per
  task of the 部门整体支出 table (``department_tasks``).

Empty level cells mean "same as above" and are carried down; a row whose
三级指标 is empty continues the row above (a cell wrapped onto the next page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.documents.numbers import parse_amount, parse_percent
from kg.documents.reader import Document
from kg.documents.text import clean_text, compact, join_wrapped
from kg.tables.kinds import table_name
from kg.tables.layout import LogicalTable, Row, logical_tables
from kg.tables.prose import Prose, read_prose
from kg.tables.schema import TABLES

NUMBER = r"\d+(?:\.\d+)?"


def new_row(contract: str, /, **values: object) -> dict:
    """A row of contract table ``contract``: every column present, unknown ones None."""
    unknown = set(values) - set(TABLES[contract])
    if unknown:
        raise KeyError(f"{contract} has no column {sorted(unknown)}")
    return {column: values.get(column) for column in TABLES[contract]}


# --- targets: "≥95%", "98%以上", "不少于15个", "0次" --------------------------------

_TARGET = re.compile(
    r"(?P<before>≥|>=|≤|<=|大于等于|小于等于|不少于|不低于|不超过|不高于|不多于|至少|"
    r"大于|小于|高于|低于|多于|少于|>|<)?"
    rf"(?P<value>{NUMBER})"
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


def indicator(
    doc: Document, *, scope_kind: str, scope_name: str, level3: str, line: int, table: str,
    level1: str = "", level2: str = "", target: str = "", actual: str = "",
) -> dict:
    comparator, value, unit = parse_target(target) if target else ("", None, "")
    return new_row(
        "indicators", doc_id=doc.doc_id, scope_kind=scope_kind, scope_name=scope_name,
        level1=level1, level2=level2, level3=level3, target_text=target,
        target_comparator=comparator, target_value=value, target_unit=unit,
        actual_text=actual, table=table, source_line=line,
    )


# --- cells of text tables ---------------------------------------------------------


def _cell(row: Row, position: int | None) -> str:
    if position is None or position >= len(row.cells):
        return ""
    return clean_text(row.cells[position])


def _position(labels: list[str], *words: str, avoid: tuple[str, ...] = ()) -> int | None:
    for word in words:
        for position, label in enumerate(labels):
            if word in label and not any(a in label for a in avoid):
                return position
    return None


# --- 部门整体及主要工作任务绩效目标 (关键指标 | 预期实现值) ------------------------------


@dataclass
class _Scope:
    kind: str
    name: str
    goal_label: str
    goal: list[str] = field(default_factory=list)
    goal_line: int = 0
    name_line: int = 0


def _target_rows(doc: Document, table: LogicalTable) -> list[dict]:
    """Department and task targets: a scope, its goal text, its indicators."""
    rows: list[dict] = []
    scopes: list[_Scope] = []
    columns: dict[str, int | None] = {}
    kind = "department"
    goal_label = ""
    last: dict | None = None

    def scope() -> _Scope:
        if not scopes or scopes[-1].kind != kind:
            scopes.append(_Scope(kind, doc.info.department, goal_label))
        return scopes[-1]

    for row in table.all_rows:
        labels = [compact(c) for c in row.cells]
        if any("关键指标" in label for label in labels):
            columns = {
                "indicator": _position(labels, "关键指标"),
                "value": _position(labels, "预期实现值", "预期值", "目标值", "指标值"),
                "goal": _position(labels, "绩效目标", avoid=("关键指标",)),
            }
            kind = "task" if any("任务" in label for label in labels) else "department"
            goal_at = columns["goal"]
            goal_label = clean_text(row.cells[goal_at]) if goal_at is not None else ""
            last = None
            continue
        if not columns:
            continue
        name = _cell(row, 0) if columns["goal"] not in (0, None) else ""
        goal = _cell(row, columns["goal"])
        label = _cell(row, columns["indicator"])
        value = _cell(row, columns["value"])
        if kind == "task" and name:
            if scopes and scopes[-1].kind == "task" and not (goal or label or value):
                scopes[-1].name = join_wrapped([scopes[-1].name, name])  # a wrapped task name
                continue
            scopes.append(_Scope("task", name, goal_label, name_line=row.line))
        current = scope()
        if goal:
            current.goal.append(goal)
            current.goal_line = current.goal_line or row.line
        if label:
            level3, target = _split_inline_target(label, value)
            last = indicator(doc, scope_kind=current.kind, scope_name=current.name,
                             level3=level3, target=target, line=row.line,
                             table="performance_targets")
            rows.append(last)
        elif value and last is not None:  # a target wrapped onto the next line
            last["target_text"] = join_wrapped([last["target_text"], value])
    for found in scopes:
        if found.goal:
            rows.append(indicator(doc, scope_kind=found.kind, scope_name=found.name,
                                  level3=found.goal_label, target=join_wrapped(found.goal),
                                  line=found.goal_line or found.name_line,
                                  table="performance_targets"))
    for row in rows:  # a task's name may have grown after its first indicator
        if row["scope_kind"] == "task":
            row["scope_name"] = next(
                (s.name for s in scopes if s.kind == "task" and s.name.startswith(
                    row["scope_name"])), row["scope_name"])
    # each scope's goal first, then its indicators, in the order printed
    rows.sort(key=lambda r: (r["source_line"], r["level3"] != goal_label_of(r, scopes)))
    return rows


def goal_label_of(row: dict, scopes: list[_Scope]) -> str:
    return next((s.goal_label for s in scopes if s.name == row["scope_name"]), "")


def _split_inline_target(label: str, value: str) -> tuple[str, str]:
    """"其中：部门年度整体预算完成率：90%" with no value cell: label and target."""
    label = re.sub(r"^其中[:：]", "", label)
    if not value:
        parts = re.split(r"[:：]", label)
        if len(parts) >= 2 and re.search(r"\d", parts[-1]):
            return clean_text("".join(parts[:-1])), parts[-1]
    return label, value


# --- 部门整体支出 table of a final account ----------------------------------------------


def _is_figure(text: str) -> bool:
    return parse_amount(text) is not None or parse_percent(text) is not None


def _department_rows(doc: Document, table: LogicalTable) -> tuple[list[dict], list[dict]]:
    """Figures (支出总额, 部门整体预算完成率), goal and outcome, tasks with amounts paid."""
    indicators: list[dict] = []
    items: list[dict] = []
    department = doc.info.department
    final = doc.info.kind == "final_accounts"
    level1 = ""
    goal: dict | None = None
    task_columns: dict[str, int] | None = None
    task_goal_label = ""
    for row in table.all_rows:
        cells = [clean_text(c) for c in row.cells]
        texts = [c for c in cells if c]
        if not texts:
            continue
        labels = [compact(c) for c in cells]
        joined = "".join(labels)
        if "主要任务" in joined or (
            task_columns is None and labels and "任务" in labels[0] and "绩效目标" in joined
        ):
            task_columns = {
                "name": 0,
                "goal": _position(labels, "绩效目标", avoid=("完成情况",)) or 1,
                "done": _position(labels, "完成情况") or 2,
                "amount": _position(labels, "资金", "万元", "金额") or 3,
            }
            task_goal_label = cells[task_columns["goal"]]
            goal = None
            continue
        if task_columns is not None:
            name = _cell(row, task_columns["name"])
            if not name:
                continue
            target = _cell(row, task_columns["goal"])
            done = _cell(row, task_columns["done"])
            indicators.append(indicator(
                doc, scope_kind="task", scope_name=name, level3=task_goal_label,
                target=target if not final or target else "", actual=done if final else "",
                line=row.line, table="department_performance"))
            amount = parse_amount(_cell(row, task_columns["amount"]))
            if amount is not None:
                items.append(new_row(
                    "line_items", doc_id=doc.doc_id, table="department_tasks", unit_code="",
                    unit="", item=name, detail="", measure="actual" if final else "budget",
                    amount=amount, source_line=row.line))
            continue
        pairs = [(i, c) for i, c in enumerate(cells) if c]
        figures = [(i, c) for i, c in pairs if _is_figure(c)]
        if figures:
            if not _is_figure(pairs[0][1]) and pairs[0][0] == 0 and (
                len(pairs) > 1 and not _is_figure(pairs[1][1])
            ):
                level1 = pairs[0][1]
            for index, value in figures:
                label = next((c for i, c in reversed(pairs) if i < index and not _is_figure(c)),
                             "")
                label = re.sub(r"^其中[:：]|[:：]$", "", label)
                indicators.append(indicator(
                    doc, scope_kind="department", scope_name=department, level1=level1,
                    level3=label, target="" if final else value, actual=value if final else "",
                    line=row.line, table="department_performance"))
            goal = None
            continue
        if "目标" in joined and "完成情况" in joined:
            first = cells[0] if cells[0] else level1
            goal_at = next((i for i, label in enumerate(labels)
                            if i > 0 and "目标" in label and "完成情况" not in label), 0)
            level1 = first if cells[0] else level1
            goal = indicator(doc, scope_kind="department", scope_name=department,
                             level1=level1, level3=cells[goal_at], line=row.line,
                             table="department_performance")
            goal["_parts"] = ([], [])
            indicators.append(goal)
            continue
        if goal is not None:
            # the goal and its outcome, continued over fragments whose columns differ:
            # the first text cell is the goal, the second the outcome
            targets, actuals = goal["_parts"]
            if not targets:
                goal["source_line"] = row.line  # the goal starts under its label
            targets.append(texts[0])
            if len(texts) >= 2:
                actuals.append(texts[1])
    for row in indicators:
        parts = row.pop("_parts", None)
        if parts:
            row["target_text"] = join_wrapped(parts[0])
            row["actual_text"] = join_wrapped(parts[1])
    return indicators, items


# --- key projects (重点项目预算绩效目标情况) -------------------------------------------------


def _key_project_rows(doc: Document, table: LogicalTable) -> list[dict]:
    projects: list[dict] = []
    columns: dict[str, int | None] = {}
    parts: tuple[list[str], list[str]] = ([], [])
    for row in table.all_rows:
        labels = [compact(c) for c in row.cells]
        if any("绩效目标" in label for label in labels) and not any(
            parse_amount(c) is not None for c in row.cells
        ):
            columns = {
                "name": _position(labels, "项目"),
                "total": _position(labels, "预算", "金额", "万元"),
                "target": _position(labels, "绩效目标"),
            }
            continue
        if not columns or all(parse_amount(c) is None and compact(c) in
                              {"", "-", "--", "—", "无"} for c in row.cells):
            continue
        name = _cell(row, columns["name"])
        total = parse_amount(_cell(row, columns["total"]))
        target = _cell(row, columns["target"])
        if total is not None and name:
            parts = ([name], [target] if target else [])
            projects.append(new_row(
                "projects", doc_id=doc.doc_id, unit="", name=name, total=total,
                performance_target=target, table="key_projects", source_line=row.line,
                end_line=row.line))
        elif projects and total is None:  # a name or target wrapped onto the next line
            if name:
                parts[0].append(name)
            if target:
                parts[1].append(target)
            projects[-1]["name"] = join_wrapped(parts[0])
            projects[-1]["performance_target"] = join_wrapped(parts[1])
            projects[-1]["end_line"] = row.line
    return projects


# --- project evaluation reports -------------------------------------------------------

_REPORT = re.compile(
    r"^(?:[IVXⅠ-Ⅻ]+\.?|[(（]\d+[)）]|\d+[.、]|[一二三四五六七八九十]+、)?"
    r"[\"“「『](?P<name>[^\"”」』]{2,80})[\"”」』](?:项目)?(?:绩效)?(?:自评|评价)报告$"
)
_NUMERAL = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_NUMERAL}]+)、")


@dataclass
class Report:
    name: str
    first_line: int
    last_line: int


def _numeral(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _NUMERAL.index(text[1]) + 1
    return _NUMERAL.index(text[0]) + 1 + (9 if text.endswith("十") and len(text) > 1 else 0)


def evaluation_reports(doc: Document) -> list[Report]:
    """Each project evaluation report: its project and its lines.

    A report runs to the next report, to the next part (第X部分), or to a
    numbered section whose number does not follow on from the report's own
    (二、 after the report's 四、 belongs to the document again).
    """
    heads = [
        (number, found["name"])
        for number, line in enumerate(doc.lines, start=1)
        if (found := _REPORT.match(compact(line)))
    ]
    reports: list[Report] = []
    for index, (first, name) in enumerate(heads):
        limit = heads[index + 1][0] - 1 if index + 1 < len(heads) else len(doc.lines)
        last, seen = limit, 0
        for number in range(first + 1, limit + 1):
            folded = compact(doc.lines[number - 1])
            section = _SECTION.match(folded)
            if re.match(r"^第.{1,3}部分", folded) or (section and 0 < _numeral(
                    section.group(1)) <= seen):
                last = number - 1
                break
            if section:
                seen = _numeral(section.group(1))
        while last > first and not doc.lines[last - 1].strip():
            last -= 1
        reports.append(Report(clean_text(name), first, last))
    return reports


_FUNDING = {
    "budget_initial": rf"年初(?:总)?预算(?:安排)?(?:为)?(?P<value>{NUMBER})万元",
    "budget_adjusted": rf"调整后(?:的)?预算(?:为)?(?P<value>{NUMBER})万元",
    "actual": rf"(?:实际支出|最终支付|实际支付)(?:为)?(?P<value>{NUMBER})万元",
    "execution_rate": rf"(?:执行率|支付率|支出执行)(?:为|达到|达)?(?P<value>{NUMBER})%",
}


def _report_project(doc: Document, report: Report, prose: Prose) -> dict:
    values: dict[str, Decimal | None] = {}
    for column, pattern in _FUNDING.items():
        found = re.search(pattern, prose.text.replace(",", ""))
        values[column] = parse_amount(found["value"]) if found else None
    return new_row(
        "projects", doc_id=doc.doc_id, unit="", name=report.name, table="evaluation_report",
        source_line=report.first_line, end_line=report.last_line, **values,
    )


def _evaluation_table(doc: Document, table: LogicalTable, project: str, kind: str) -> list[dict]:
    """表2 or 表3 of a report: levels carried down, wrapped cells joined."""
    columns: dict[str, int | None] = {
        "level1": 0, "level2": 1, "level3": 2, "target": 3, "actual": 4 if kind else None,
    }
    rows: list[dict] = []
    cells_of: list[list[str]] = []  # the raw cells of each row, for continuations
    header_open = True
    for row in table.all_rows:
        labels = [compact(c) for c in row.cells]
        if any("三级" in label for label in labels) or ("一级" in "".join(labels[:1])):
            columns = {
                "level1": _position(labels, "一级"),
                "level2": _position(labels, "二级"),
                "level3": _position(labels, "三级"),
                "actual": _position(labels, "实际完成", "完成情况", "实际值", "完成值"),
                "target": _position(labels, "指标值", "预期目标", "预期值", "目标值",
                                    avoid=("完成情况",)),
            }
            header_open = True
            continue
        level3 = _cell(row, columns["level3"])
        if not level3:
            if header_open or not rows:
                continue  # the rest of a header cell (指标 | 标) wrapped onto the next line
            previous = cells_of[-1]
            for position, cell in enumerate(row.cells):
                if clean_text(cell) and position < len(previous):
                    previous[position] = join_wrapped([previous[position], cell])
            _fill(rows[-1], previous, columns)
            continue
        header_open = False
        carried = rows[-1] if rows else None
        cells = list(row.cells)
        cells_of.append(cells)
        found = new_row("indicators", doc_id=doc.doc_id, scope_kind="project",
                        scope_name=project, level3=level3, source_line=row.line,
                        table=kind or "evaluation_indicators")
        level1 = _cell(row, columns["level1"])
        level2 = _cell(row, columns["level2"])
        found["level1"] = level1 or (carried["level1"] if carried else "")
        found["level2"] = level2 or ("" if level1 or not carried else carried["level2"])
        _fill(found, cells, columns)
        rows.append(found)
    return rows


def _fill(found: dict, cells: list[str], columns: dict[str, int | None]) -> None:
    def at(name: str) -> str:
        position = columns.get(name)
        return clean_text(cells[position]) if position is not None and position < len(
            cells) else ""

    found["target_text"] = at("target")
    found["actual_text"] = at("actual")
    comparator, value, unit = parse_target(found["target_text"])
    found["target_comparator"], found["target_value"], found["target_unit"] = (
        comparator, value, unit)


def _merge(planned: list[dict], results: list[dict]) -> list[dict]:
    """表3 rows, each completed from the 表2 row of the same 三级指标; then 表2-only rows."""
    by_name = {compact(r["level3"]): r for r in planned}
    merged: list[dict] = []
    used: set[str] = set()
    for row in results:
        key = compact(row["level3"])
        plan = by_name.get(key)
        if plan is not None:
            used.add(key)
            if not row["target_text"] and plan["target_text"]:
                row.update({k: plan[k] for k in (
                    "target_text", "target_comparator", "target_value", "target_unit")})
        merged.append(row)
    merged.extend(r for r in planned if compact(r["level3"]) not in used)
    return merged


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
    """"数量指标：…。指标值完成情况，已完成…" as indicators of the report's project."""
    rows: list[dict] = []
    for found in _PROSE_INDICATOR.finditer(prose.text):
        body = found["body"].rstrip("。")
        head = re.split(r"[,;。:]", body, maxsplit=1)
        level3 = clean_text(head[0])
        target = clean_text(head[1].strip("。,;")) if len(head) > 1 else ""
        rows.append(indicator(
            doc, scope_kind="project", scope_name=project, level1=_LEVEL2[found["level2"]],
            level2=found["level2"], level3=level3, target=target,
            actual=clean_text(found["actual"]), line=prose.line_at(found.start()),
            table="evaluation_prose"))
    return rows


def _fund_use(doc: Document, table: LogicalTable, project: str) -> list[dict]:
    """表1 …区财政资金使用情况表: one row per spending item, totals left out."""
    items: list[dict] = []
    columns: dict[str, int | None] = {}
    for row in table.all_rows:
        labels = [compact(c) for c in row.cells]
        if any("具体支出内容" in label or "金额" in label for label in labels):
            columns = {
                "item": _position(labels, "具体支出内容", "支出内容", "内容"),
                "sub": _position(labels, "小项目"),
                "amount": _position(labels, "金额"),
            }
            continue
        if not columns or any(label in {"合计", "小计", "总计"} for label in labels):
            continue
        amount = parse_amount(_cell(row, columns["amount"]))
        content = _cell(row, columns["item"])
        if amount is None or not content:
            continue
        sub = _cell(row, columns["sub"])
        items.append(new_row(
            "line_items", doc_id=doc.doc_id, table="evaluation_fund_use", unit_code="",
            unit="", item=f"{sub}：{content}" if sub else content, detail=project,
            measure="actual", amount=amount, source_line=row.line))
    return items


# --- projects mentioned in the narrative -------------------------------------------------

_NAME = r"[^,，。;；:：、\n]"
# (pattern, how its list splits into names): only clear project noun phrases
_MENTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 新增A、B等项目 / 等专项资金: every listed item is a project, as printed
    (re.compile(r"新增(?P<names>[^。;\n]{4,160}?)等(?:项目|专项资金|专项|资金)"), "、"),
    # 新增(了)X项目, 启动X项目
    (re.compile(rf"(?:新增了?|启动)(?P<names>{_NAME}{{4,40}}?(?:项目|工程))"
                r"(?=[,;。:\n]|并|预算|已|年初|年中)"), ""),
    # X项目已完工
    (re.compile(rf"(?<=[:,;。\n])(?P<names>{_NAME}{{4,40}}?(?:项目|工程))(?=已完工|已完成|已竣工)"),
     ""),
    # 主要用于X项目及Y项目
    (re.compile(rf"用于(?P<names>{_NAME}{{4,40}}?项目(?:(?:及|和|、){_NAME}{{4,40}}?项目)*)"
                r"(?=[,;。\n])"), r"(?<=项目)(?:及|和|、)"),
)
_NOT_A_NAME = re.compile(r"^(?:\d|共|各|所有|该|本|此|其他|上述|相关|部分|个)|\d+个项目|重点项目$")


def _narrative_projects(doc: Document, prose: Prose, known: set[str]) -> list[dict]:
    """Projects the narrative names, each once, under the name as printed."""
    projects: list[dict] = []
    seen = set(known)
    taken: list[tuple[int, int]] = []
    for pattern, separator in _MENTIONS:
        for found in pattern.finditer(prose.text):
            if any(s <= found.start() < e for s, e in taken):
                continue
            taken.append((found.start(), found.end()))
            offset = found.start("names")
            names = re.split(separator, found["names"]) if separator else [found["names"]]
            for name in names:
                position = prose.text.find(name, offset)
                offset = position + len(name)
                if len(name) < 4 or _NOT_A_NAME.search(name) or compact(name) in seen:
                    continue
                seen.add(compact(name))
                projects.append(new_row(
                    "projects", doc_id=doc.doc_id, unit="", name=clean_text(name),
                    table="narrative", source_line=prose.line_at(position),
                    end_line=prose.line_at(position + len(name) - 1)))
    return projects


def extract_performance(doc: Document) -> dict[str, list[dict]]:
    """Rows for ``indicators``, ``projects`` and ``line_items`` (see the module docstring)."""
    out: dict[str, list[dict]] = {"indicators": [], "projects": [], "line_items": []}
    reports = evaluation_reports(doc)
    planned: dict[int, list[dict]] = {}
    results: dict[int, list[dict]] = {}
    for table in logical_tables(doc):
        name = table_name(table)
        report_index = next((i for i, r in enumerate(reports)
                             if r.first_line <= table.first_line <= r.last_line), None)
        if name == "performance_targets":
            out["indicators"].extend(_target_rows(doc, table))
        elif name == "department_performance":
            found, items = _department_rows(doc, table)
            out["indicators"].extend(found)
            out["line_items"].extend(items)
        elif name == "key_projects":
            out["projects"].extend(_key_project_rows(doc, table))
        elif report_index is not None and name in ("evaluation_indicators", "evaluation_results"):
            project = reports[report_index].name
            kind = "evaluation_results" if name == "evaluation_results" else ""
            target = results if kind else planned
            target.setdefault(report_index, []).extend(
                _evaluation_table(doc, table, project, kind))
        elif report_index is not None and name == "evaluation_fund_use":
            out["line_items"].extend(_fund_use(doc, table, reports[report_index].name))
    for index, report in enumerate(reports):
        prose = read_prose(doc, report.first_line, report.last_line)
        out["projects"].append(_report_project(doc, report, prose))
        rows = _merge(planned.get(index, []), results.get(index, []))
        names = {compact(r["level3"]) for r in rows}
        rows.extend(r for r in _prose_indicators(doc, report.name, prose)
                    if compact(r["level3"]) not in names)
        out["indicators"].extend(rows)
    known = {compact(p["name"]) for p in out["projects"]}
    out["projects"].extend(_narrative_projects(doc, read_prose(doc), known))
    return out
