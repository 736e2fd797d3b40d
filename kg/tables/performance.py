"""Performance targets, evaluation reports and key projects as tidy rows.

``extract_performance(doc)`` returns rows for these contract tables:

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
  with 年初预算, 调整后预算, 实际支出, 执行率 and the sentence stating the
  project's 绩效目标), the 重点项目 tables
  (``key_projects``) and projects only mentioned in the narrative
  (``narrative``, name exactly as printed; only clear project noun phrases).
- ``line_items``: the 区财政资金使用情况表 of each report
  (``evaluation_fund_use``, detail = the project) and the amounts paid per
  task of the 部门整体支出 table (``department_tasks``).
- ``problems``: evaluation tables found outside a report whose heading names
  the project (read all the same, with no project).

Empty level cells mean "same as above" and are carried down; a row whose
三级指标 is empty continues the row above (a cell wrapped onto the next page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.documents.numbers import parse_amount, parse_percent
from kg.documents.reader import Document
from kg.documents.text import clean_text, compact, join_wrapped
from kg.tables.evaluation import evaluation_rows
from kg.tables.kinds import table_name
from kg.tables.layout import LogicalTable, logical_tables
from kg.tables.prose import Prose, read_prose
from kg.tables.targets import cell, column, indicator, new_row, parse_target, set_target

__all__ = ["extract_performance", "parse_target"]


# --- 部门整体及主要工作任务绩效目标 (关键指标 | 预期实现值) ------------------------------


@dataclass
class _Scope:
    """The department or one task: its name, its goal text and its indicators."""

    kind: str
    name: str
    goal_label: str
    line: int
    goal: list[str] = field(default_factory=list)
    goal_line: int = 0
    indicators: list[dict] = field(default_factory=list)


def _target_rows(doc: Document, table: LogicalTable) -> list[dict]:
    """Department and task targets; a header row with 关键指标 starts each part.

    A row with text in the first column starts a task; a row with its
    first columns empty adds to the task above: more goal text (wrapped onto
    the next line), another indicator, or the rest of a wrapped target.
    """
    scopes: list[_Scope] = []
    columns: dict[str, int | None] = {}
    kind, goal_label = "department", ""
    for row in table.all_rows:
        labels = [compact(c) for c in row.cells]
        if any("关键指标" in label for label in labels):
            columns = {
                "indicator": column(labels, "关键指标"),
                "value": column(labels, "预期实现值", "预期值", "目标值", "指标值"),
                "goal": column(labels, "绩效目标", avoid=("关键指标",)),
            }
            kind = "task" if any("任务" in label for label in labels) else "department"
            goal_label = cell(row, columns["goal"])
            scopes.append(_Scope(kind, doc.info.department, goal_label, row.line))
            continue
        if not columns:
            continue
        name = cell(row, 0) if columns["goal"] else ""
        goal, label, value = (cell(row, columns[c]) for c in ("goal", "indicator", "value"))
        current = scopes[-1]
        if kind == "task" and name:
            if current.goal or current.indicators:
                if not (goal or label or value):  # the task's name wrapped onto this line
                    current.name = join_wrapped([current.name, name])
                    continue
                current = _Scope(kind, name, goal_label, row.line)
                scopes.append(current)
            else:
                current.name, current.line = name, row.line
        if goal:
            current.goal.append(goal)
            current.goal_line = current.goal_line or row.line
        if label:
            level3, target = _split_inline_target(label, value)
            current.indicators.append(indicator(
                doc, scope_kind=kind, scope_name="", level3=level3, target=target,
                line=row.line, table="performance_targets"))
        elif value and current.indicators:  # a target wrapped onto the next line
            last = current.indicators[-1]
            set_target(last, join_wrapped([last["target_text"], value]))
    rows: list[dict] = []
    for scope in scopes:
        if scope.goal:
            rows.append(indicator(
                doc, scope_kind=scope.kind, scope_name=scope.name, level3=scope.goal_label,
                target=join_wrapped(scope.goal), line=scope.goal_line,
                table="performance_targets"))
        for row in scope.indicators:
            row["scope_name"] = scope.name
            rows.append(row)
    return rows


def _split_inline_target(label: str, value: str) -> tuple[str, str]:
    """"其中：部门年度整体预算完成率：90%" with no value cell: label and target."""
    label = re.sub(r"^其中[:：]", "", label)
    if not value:
        *words, last = re.split(r"[:：]", label)
        if words and re.search(r"\d", last):
            return clean_text("".join(words)), last
    return label, value


# --- 部门整体支出 table of a final account ----------------------------------------------


def _is_figure(text: str) -> bool:
    return parse_amount(text) is not None or parse_percent(text) is not None


def _department_rows(doc: Document, table: LogicalTable) -> tuple[list[dict], list[dict]]:
    """The 部门整体支出 table: figures, the goal and its outcome, tasks and amounts paid.

    Its parts follow each other: label | figure pairs (支出总额 5268.77,
    部门整体预算完成率 68.31%), a 部门整体支出目标 | 部门整体目标完成情况 row
    whose texts continue over fragments with different columns, then a
    主要任务 header and one row per task. In a final account the printed
    texts and figures are what was achieved (``actual_text``).
    """
    indicators: list[dict] = []
    paid: list[dict] = []
    final = doc.info.kind == "final_accounts"
    level1 = ""
    goal: tuple[dict, list[str], list[str]] | None = None  # row, goal texts, outcome texts
    tasks: dict[str, int | None] | None = None
    task_label = ""
    for row in table.all_rows:
        cells = [clean_text(c) for c in row.cells]
        texts = [c for c in cells if c]
        if not texts:
            continue
        labels = [compact(c) for c in cells]
        joined = "".join(labels)
        if "主要任务" in joined:
            tasks = {
                "goal": column(labels, "绩效目标", avoid=("完成情况",)),
                "done": column(labels, "完成情况"),
                "amount": column(labels, "资金", "万元", "金额"),
            }
            task_label = cell(row, tasks["goal"])
            continue
        if tasks is not None:
            name = cells[0]
            if not name:
                continue
            target, done = cell(row, tasks["goal"]), cell(row, tasks["done"])
            indicators.append(indicator(
                doc, scope_kind="task", scope_name=name, level3=task_label,
                target=target, actual=done if final else "", line=row.line,
                table="department_performance"))
            amount = parse_amount(cell(row, tasks["amount"]))
            if amount is not None:
                paid.append(new_row(
                    "line_items", doc_id=doc.doc_id, table="department_tasks", unit_code="",
                    unit="", item=name, detail="", measure="actual" if final else "budget",
                    amount=amount, source_line=row.line))
            continue
        figures = [p for p, c in enumerate(cells) if c and _is_figure(c)]
        if figures:
            words = [p for p, c in enumerate(cells) if c and not _is_figure(c)]
            if len(words) > len(figures):  # the first text names the group: 部门整体财政支出
                level1 = cells[words[0]]
            for position in figures:
                label = cells[max(p for p in words if p < position)] if any(
                    p < position for p in words) else ""
                label = re.sub(r"^其中[:：]|[:：]$", "", label)
                value = cells[position]
                indicators.append(indicator(
                    doc, scope_kind="department", scope_name=doc.info.department,
                    level1=level1, level3=label, target="" if final else value,
                    actual=value if final else "", line=row.line,
                    table="department_performance"))
            goal = None
            continue
        if "目标" in joined and "完成情况" in joined:  # 年度目标 | 部门整体支出目标 | … 完成情况
            level1 = cells[0] or level1
            label = next((c for c, f in zip(cells[1:], labels[1:], strict=True)
                          if "目标" in f and "完成情况" not in f), cells[0])
            found = indicator(doc, scope_kind="department", scope_name=doc.info.department,
                              level1=level1, level3=label, line=row.line,
                              table="department_performance")
            indicators.append(found)
            goal = (found, [], [])
            continue
        if goal is not None:
            # the goal and its outcome continue over fragments whose columns differ:
            # the first text is the goal's, the second the outcome's
            found, targets, outcomes = goal
            if not targets:
                found["source_line"] = row.line  # the goal starts under its label
            targets.append(texts[0])
            outcomes.extend(texts[1:2])
            set_target(found, join_wrapped(targets))
            found["actual_text"] = join_wrapped(outcomes)
    return indicators, paid


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
                "name": column(labels, "项目"),
                "total": column(labels, "预算", "金额", "万元"),
                "target": column(labels, "绩效目标"),
            }
            continue
        if not columns or all(parse_amount(c) is None and compact(c) in
                              {"", "-", "--", "—", "无"} for c in row.cells):
            continue
        name = cell(row, columns["name"])
        total = parse_amount(cell(row, columns["total"]))
        target = cell(row, columns["target"])
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


def extract_performance(
    doc: Document, tables: list[LogicalTable] | None = None
) -> dict[str, list[dict]]:
    """Rows for ``indicators``, ``projects``, ``line_items`` and ``problems`` (module docstring).

    ``tables`` are ``logical_tables(doc)`` when the caller has them already.
    """
    out: dict[str, list[dict]] = {"indicators": [], "projects": [], "line_items": [],
                                  "problems": []}
    named = [(table_name(t), t) for t in (logical_tables(doc) if tables is None else tables)]
    for name, table in named:
        if name == "performance_targets":
            out["indicators"] += _target_rows(doc, table)
        elif name == "department_performance":
            found, paid = _department_rows(doc, table)
            out["indicators"] += found
            out["line_items"] += paid
        elif name == "key_projects":
            out["projects"] += _key_project_rows(doc, table)
    for table, rows in evaluation_rows(doc, named).items():
        out[table] += rows
    known = {compact(p["name"]) for p in out["projects"]}
    out["projects"] += _narrative_projects(doc, read_prose(doc), known)
    return out
