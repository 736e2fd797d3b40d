"""Project tables (部门预算项目支出预算表 and kin): one record per project.

A project row is printed as a table row whose cells wrap over several
lines. In converted PDFs the name and amount cells are vertically centred
while the long text cells (项目内容, 绩效目标) fill the row from its top, so
the lines of one project are not all together: some text of a project stands
above the line that carries its amounts. Records are assembled around the
line carrying the amounts (the *anchor*): name fragments join the anchor they
touch, and text lines between two anchors are split at the sentence end that
closes the first project's text.

OCR overlays add noise that must not become data: a second copy of the
amounts on the next line, a misread copy of a name fragment, or a paragraph
repeated from the lines above. These are recognised and reported in
``problems``, never silently dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from kg.documents.numbers import parse_amount, split_amounts
from kg.documents.text import clean_text, compact
from kg.tables.columns import column_labels, is_key_label, measure_of
from kg.tables.layout import LogicalTable, Row
from kg.tables.rows import _INTEGER_CODE, classification_of, measures_for_positions, total_rows
from kg.tables.units import is_organization_name

_NAME_END = re.compile(
    r"(经费|费|项目|资金|工程|专项|补助|补贴|建设|系统|平台|服务|采购|广告|工作|运维|维护|金)$"
)
_TEXT_END = re.compile(r"[。；;!！]\s*[”\"』」)]?$")
_NOTHING = {"-", "—", "--", "无", "/"}
_RARE = 3  # a character printed this few times in a document is OCR debris when in a fragment


@dataclass
class Cells:
    """One line of a project table with its cells put in their columns."""

    line: int
    code: str = ""
    name: str = ""
    amounts: list[tuple[str, Decimal]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # column role -> text


@dataclass
class Record:
    anchor: Cells
    extra_anchors: list[Cells] = field(default_factory=list)
    name_parts: list[tuple[int, str]] = field(default_factory=list)
    texts: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    lost_unit: str = ""  # set when the unit row above this record was lost

    @property
    def name(self) -> str:
        parts: list[str] = []
        for _, text in sorted(self.name_parts):
            if not parts or compact(parts[-1]) != compact(text):  # a fragment printed twice
                parts.append(text)
        return clean_text(" ".join(parts))

    @property
    def lines(self) -> list[int]:
        found = [self.anchor.line] + [c.line for c in self.extra_anchors]
        found += [n for n, _ in self.name_parts]
        found += [n for parts in self.texts.values() for n, _ in parts]
        return found

    def text(self, role: str) -> str:
        return clean_text(" ".join(t for _, t in self.texts.get(role, [])))

    def text_ended(self) -> bool:
        parts = [p for role in self.texts.values() for p in role]
        if not parts:
            return True
        last_line = max(n for n, _ in parts)
        return any(_TEXT_END.search(t) for n, t in parts if n == last_line)


@dataclass
class ProjectTable:
    projects: list[dict]
    totals: list[dict]
    organizations: list[dict]
    problems: list[dict]


def _roles(header: list[Row]) -> dict[int, str]:
    """Column position -> role (code, name, content, target, or a measure key)."""
    labels = column_labels(header)
    roles: dict[int, str] = {}
    for position, label in enumerate(labels):
        if "绩效目标" in label:
            roles[position] = "target"
        elif "项目内容" in label:
            roles[position] = "content"
        elif "编码" in label or "编码" in label.replace("编 码", "编码"):
            roles[position] = "code"
        elif is_key_label(label) and measure_of(label) in (None, "total"):
            roles.setdefault(position, "name")
    roles.update(measures_for_positions(header))
    return roles


def _amounts_in(cell: str) -> list[Decimal] | None:
    value = parse_amount(cell)
    if value is not None:
        return [value]
    several = split_amounts(cell)
    if several and len(set(several)) == 1:
        return several[:1]  # the same amount printed twice over itself
    return several


def _read(row: Row, roles: dict[int, str]) -> Cells:
    cells = Cells(line=row.line)
    text_roles = sorted(p for p, r in roles.items() if r in ("content", "target"))
    amounts: list[Decimal] = []
    aligned = True
    for position, cell in enumerate(row.cells):
        if not cell.strip():
            continue
        role = roles.get(position, "")
        if role == "code" or (not cells.name and _INTEGER_CODE.match(compact(cell))):
            cells.code = compact(cell)
            continue
        found = None if role in ("content", "target", "name") else _amounts_in(cell)
        if found:
            if len(found) > 1 or role in ("", "code"):
                aligned = False
            amounts.extend(found)
            continue
        if role in ("content", "target"):
            if compact(cell) not in _NOTHING:
                cells.texts[role] = cell
        elif role == "name" or (not role and not amounts):
            cells.name = cell if not cells.name else cells.name + " " + cell
        elif text_roles:
            cells.texts[roles[text_roles[-1]]] = cell
    measures = [
        roles[p] for p in sorted(roles) if roles[p] not in ("code", "name", "content", "target")
    ]
    if amounts:
        if aligned and len(amounts) <= len(measures):
            positions = [
                p for p, c in enumerate(row.cells) if roles.get(p) in measures and _amounts_in(c)
            ]
            cells.amounts = [(roles[p], v) for p, v in zip(positions, amounts, strict=False)]
        else:
            cells.amounts = list(zip(measures, amounts, strict=False))
    return cells


def _char_counts(table: LogicalTable, lines: tuple[str, ...]) -> Counter:
    return Counter(ch for line in lines for ch in line)


def _is_debris(fragment: str, counts: Counter) -> bool:
    """A short name fragment made of characters the document hardly uses."""
    folded = compact(fragment)
    if not folded or len(folded) > 5:
        return False
    if re.search(r"\d\.", folded) or re.fullmatch(r"[/\\|]+.*", folded):
        return True
    return len(folded) <= 3 and any(
        counts[ch] <= _RARE for ch in folded if unicodedata.category(ch) == "Lo"
    )


def _dedupe_overlay(name: str, counts: Counter) -> str:
    """Of two adjacent same-length tokens ending alike ("全费 经费"), keep the likelier."""
    tokens = name.split()
    kept: list[str] = []
    for token in tokens:
        if (
            kept
            and len(kept[-1]) == len(token) <= 3
            and kept[-1][-1] == token[-1]
            and kept[-1] != token
        ):
            score = lambda t: sum(counts[ch] for ch in t) / len(t)  # noqa: E731
            if score(token) > score(kept[-1]):
                kept[-1] = token
            continue
        kept.append(token)
    return " ".join(kept)


def _ghost_text(fragment: str, seen: str) -> str:
    """What a text fragment adds beyond a repetition of text already read."""
    folded = compact(fragment)
    if len(folded) < 40 or folded[:20] not in seen:
        return fragment
    low, high = 20, len(folded)
    while low < high:  # longest prefix already seen
        middle = (low + high + 1) // 2
        if folded[:middle] in seen:
            low = middle
        else:
            high = middle - 1
    return folded[low:]


def _same_amounts(a: Cells, b: Cells) -> bool:
    if not a.amounts or not b.amounts or a.amounts[0][1] != b.amounts[0][1]:
        return False
    left = [v for _, v in a.amounts]
    right = [v for _, v in b.amounts]
    agree = sum(x == y for x, y in zip(left, right, strict=False))
    return agree * 2 > min(len(left), len(right))


def project_rows(
    doc_id: str, table_name: str, table: LogicalTable, lines: tuple[str, ...]
) -> ProjectTable:
    roles = _roles(table.header)
    counts = _char_counts(table, lines)
    problems: list[dict] = []

    def problem(line: int, message: str, severity: str = "warning") -> None:
        problems.append(
            {
                "doc_id": doc_id,
                "table": table_name,
                "line": line,
                "severity": severity,
                "message": message,
            }
        )

    read = [_read(row, roles) for row in table.rows]
    # Drop text repeated by the OCR overlay before anything is assembled.
    seen: dict[str, str] = {}
    for cells in read:
        for role, text in list(cells.texts.items()):
            kept = _ghost_text(text, seen.get(role, ""))
            if kept != text:
                dropped = len(compact(text)) - len(compact(kept))
                problem(
                    cells.line,
                    f"dropped {dropped} characters of {role} text repeating earlier lines "
                    "(OCR overlay)",
                    "info",
                )
            if kept:
                cells.texts[role] = kept
                seen[role] = seen.get(role, "") + compact(kept)
            else:
                del cells.texts[role]

    # Anchors: lines with amounts; an adjacent copy of the same amounts is one line printed twice.
    anchors: list[int] = []
    for index, cells in enumerate(read):
        if not cells.amounts:
            continue
        if anchors and index - anchors[-1] <= 1 and _same_amounts(read[anchors[-1]], cells):
            first, second = read[anchors[-1]], cells
            complete = lambda c: bool(c.name) and not _is_debris(c.name, counts)  # noqa: E731
            if not (
                complete(first)
                and complete(second)
                and is_organization_name(first.name) != is_organization_name(second.name)
            ):
                if complete(second) and not complete(first):
                    anchors[-1] = index  # the later line is the real one, the earlier its copy
                    first, second = second, first
                problem(second.line, "amounts printed twice (OCR overlay): read once", "info")
                second.amounts = []
                continue
        anchors.append(index)

    records: list[Record] = []
    for index in anchors:
        records.append(Record(anchor=read[index]))
    if not records:
        return ProjectTable([], [], [], problems)

    # Name fragments and texts on the anchor lines themselves.
    for record in records:
        if record.anchor.name:
            record.name_parts.append(
                (record.anchor.line, _dedupe_overlay(record.anchor.name, counts))
            )
        for role, text in record.anchor.texts.items():
            record.texts.setdefault(role, []).append((record.anchor.line, text))

    # Lines between anchors.
    bounds = [-1] + anchors + [len(read)]
    for gap in range(len(anchors) + 1):
        between = read[bounds[gap] + 1 : bounds[gap + 1]]
        before = records[gap - 1] if gap > 0 else None
        after = records[gap] if gap < len(records) else None
        _assign_gap(between, before, after, counts, problem)

    projects, totals, organizations = [], [], []
    unit = ""
    for record in records:
        name = record.name
        amounts = dict(record.anchor.amounts)
        line = min(record.lines)
        if record.lost_unit:
            unit = record.lost_unit
        if compact(name) in {"合计", "总计"}:
            totals.extend(
                total_rows(doc_id, table_name, "table", "", _printed(record), record.anchor.line)
            )
            continue
        is_unit = (
            is_organization_name(name)
            and not record.texts.get("target")
            and (not record.anchor.code or classification_of(record.anchor.code) == "")
        )
        if is_unit:
            unit = compact(name)
            totals.extend(
                total_rows(doc_id, table_name, "unit", unit, _printed(record), record.anchor.line)
            )
            organizations.append(
                {
                    "doc_id": doc_id,
                    "name": unit,
                    "role": "unit",
                    "parent": "",
                    "code": record.anchor.code,
                    "source_line": record.anchor.line,
                }
            )
            continue
        if not name:
            problem(record.anchor.line, "amounts with no project name")
        projects.append(
            {
                "doc_id": doc_id,
                "unit": unit,
                "name": name,
                "function_code": record.anchor.code
                if classification_of(record.anchor.code) == "function"
                else "",
                **{m: v for m, v in amounts.items() if not m.startswith("col")},
                "content": record.text("content"),
                "performance_target": record.text("target"),
                "table": table_name,
                "source_line": line,
                "end_line": max(record.lines),
            }
        )
    return ProjectTable(projects, totals, organizations, problems)


def _assign_gap(
    between: list[Cells], before: Record | None, after: Record | None, counts: Counter, problem
) -> None:
    """Give the lines between two anchors to the project above or below."""
    if not between:
        return
    # Name fragments: the run touching the next anchor starts its name; fragments
    # right after an anchor finish that name while it is unfinished.
    touching: list[Cells] = []
    for cells in reversed(between):
        if cells.name:
            touching.insert(0, cells)
        else:
            break
    after_complete = after is not None and " " in _dedupe_overlay(after.anchor.name, counts).strip()
    before_open = (
        before is not None
        and not _NAME_END.search(compact(before.name))
        and not (is_organization_name(before.name) and not before.texts.get("target"))
    )
    for cells in between:
        if not cells.name:
            continue
        fragment = _dedupe_overlay(cells.name, counts)
        if _is_debris(fragment, counts):
            problem(
                cells.line,
                f"name fragment {compact(fragment)!r} looks like OCR debris: not used",
                "info",
            )
            continue
        if before_open:
            before.name_parts.append((cells.line, fragment))  # type: ignore[union-attr]
            before_open = not _NAME_END.search(compact(before.name))  # type: ignore[union-attr]
        elif (
            after is not None
            and cells in touching
            and not after_complete
            and not is_organization_name(fragment)
        ):
            after.name_parts.append((cells.line, fragment))
        elif is_organization_name(fragment) and after is not None:
            # the tail of a unit's name whose row was lost at a page break: the
            # projects that follow belong to that unit, not to the one above
            after.lost_unit = "…" + compact(fragment)
            problem(
                cells.line,
                f"name fragment {compact(fragment)!r} is the end of a unit row lost at a "
                f"page break: following projects get unit {after.lost_unit!r}",
            )
        else:
            problem(
                cells.line,
                f"name fragment {compact(fragment)!r} belongs to no printed row "
                "(a row lost at a page break?)",
            )
    # Text lines: the project above keeps them up to the sentence that ends its text.
    text_lines = [c for c in between if c.texts]
    if not text_lines:
        return
    split = 0
    if before is None or (before is not None and not before.texts and after is not None):
        split = 0
    elif after is None:
        split = len(text_lines)
    else:
        first_name_line = min([n for n, _ in after.name_parts] + [after.anchor.line])
        split = len([c for c in text_lines if c.line < first_name_line])  # default: above the name
        for index, cells in enumerate(text_lines):
            if cells.line >= first_name_line:
                break
            if any(_TEXT_END.search(t) for t in cells.texts.values()):
                split = index + 1
    for cells in text_lines[:split]:
        for role, text in cells.texts.items():
            before.texts.setdefault(role, []).append((cells.line, text))  # type: ignore[union-attr]
    for cells in text_lines[split:]:
        for role, text in cells.texts.items():
            after.texts.setdefault(role, []).insert(  # type: ignore[union-attr]
                len([p for p in after.texts.get(role, []) if p[0] < cells.line]), (cells.line, text)
            )


def _printed(record: Record) -> list[tuple[str, Decimal]]:
    """The record's amounts under named columns (not the col1… of unread headers)."""
    return [(m, v) for m, v in record.anchor.amounts if not m.startswith("col")]
