"""The layout of a converted document: which lines are table rows, and which
rows belong to one logical table.

A table printed over several pages reaches us as several *blocks* of rows,
each under a repeated title, organisation line and header. ``logical_tables``
stitches them back into one table; the header rows are told apart from data
rows by their content (labels, not amounts), not by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.documents.numbers import is_amount
from kg.documents.reader import Document
from kg.documents.text import compact

_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}")
_TITLE_END = re.compile(r"(表|表\(.*\)|情况)$")
_TITLE_WORDS = ("情况表", "预算表", "决算表", "决算总表", "指标表", "使用情况表", "完成情况表")
_CONTEXT = re.compile(r"^(单位名称|部门名称|部门|预算单位|编制单位|单位|金额单位)[:：]")
_TABLE_NUMBER = re.compile(r"^表\s*\d+\s*")
_NARRATIVE_MIN = 30  # a line of prose this long between two blocks separates two tables


@dataclass
class Row:
    line: int  # 1-based line in the source
    cells: list[str]

    @property
    def texts(self) -> list[str]:
        return [c for c in self.cells if c.strip()]


@dataclass
class Block:
    """Rows printed together on one page, with what stands above them."""

    rows: list[Row]
    title: str = ""
    title_line: int = 0
    context: list[str] = field(default_factory=list)
    separated: bool = False  # prose or a note stands between this block and the one before

    @property
    def first_line(self) -> int:
        return self.rows[0].line

    @property
    def last_line(self) -> int:
        return self.rows[-1].line


@dataclass
class LogicalTable:
    """One table as the document means it: all its pages, one header."""

    title: str
    title_line: int
    blocks: list[Block]
    header: list[Row]
    rows: list[Row]  # data rows of all pages, page headers and repeated totals removed
    context: list[str] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        return self.title_line or self.blocks[0].first_line

    @property
    def last_line(self) -> int:
        return self.blocks[-1].last_line

    @property
    def all_rows(self) -> list[Row]:
        """Header and data rows together: for tables of text (indicators) with no amounts."""
        return self.header + self.rows

    @property
    def header_text(self) -> str:
        return "".join(compact(c) for row in self.header for c in row.cells)


def is_table_line(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return True
    return "\t" in line and bool(line.strip())


def cells(line: str) -> list[str]:
    """The cells of a table line: pipe-delimited or tab-separated."""
    stripped = line.strip()
    if stripped.startswith("|"):
        inner = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
        return [c.strip() for c in inner.split("|")]
    parts = [c.strip() for c in line.rstrip("\n").split("\t")]
    while parts and not parts[-1]:
        parts.pop()
    return parts


def is_rule(line: str) -> bool:
    """A markdown separator row (``|---|---|``)."""
    return bool(_PIPE_RULE.match(line.strip())) and not re.search(r"[^\s|:-]", line)


def is_title(text: str) -> bool:
    folded = compact(text)
    if not folded or len(folded) > 60 or folded.startswith(("注", "-", "第")):
        return False
    folded = _TABLE_NUMBER.sub("", folded)
    if not folded:
        return False
    return any(word in folded for word in _TITLE_WORDS) or bool(_TITLE_END.search(folded))


def clean_title(text: str) -> str:
    """The title without its number: "表 2 2019 年度…表" → "2019年度…表"."""
    return compact(re.sub(r"^\s*表\s*\d+(?:\s+|(?=\D))", "", text))


def blocks(doc: Document) -> list[Block]:
    """Every run of table rows, with the title and context lines above it."""
    found: list[Block] = []
    pending_title, pending_title_line = "", 0
    pending_context: list[str] = []
    separated = True
    current: list[Row] = []

    def close() -> None:
        nonlocal current, pending_title, pending_title_line, pending_context, separated
        if current:
            found.append(
                Block(current, pending_title, pending_title_line, pending_context, separated)
            )
            pending_title, pending_title_line, pending_context = "", 0, []
            separated = False
        current = []

    for number, line in enumerate(doc.lines, start=1):
        if is_table_line(line):
            if is_rule(line):
                continue
            row = Row(number, cells(line))
            if row.texts:
                current.append(row)
            continue
        stripped = line.strip()
        if not stripped:
            continue  # blank lines do not end a table: pipe tables resume after them
        close()
        folded = compact(stripped)
        if _CONTEXT.match(folded):
            pending_context.append(folded)
        elif is_title(stripped):
            pending_title, pending_title_line = clean_title(stripped), number
        elif _TABLE_NUMBER.fullmatch(folded) or re.fullmatch(r"表\d+", folded):
            continue
        elif folded.startswith("注") or len(folded) >= _NARRATIVE_MIN or folded.startswith("第"):
            separated = True
            pending_title, pending_title_line = "", 0
        else:
            # a short line of prose (a heading such as 二、项目绩效) also separates
            separated = True
    close()
    return found


def is_column_numbers(row: Row) -> bool:
    """The row of column numbers (1 2 3 …) or 栏次 under a header."""
    texts = [compact(t) for t in row.texts]
    if texts and texts[0] in {"栏次", "行次"}:
        return True
    numbers = [t for t in texts if t.isdigit()]
    if len(numbers) < 3 or len(numbers) < len(texts) - 1:
        return False
    values = [int(t) for t in numbers]
    return values == list(range(values[0], values[0] + len(values))) and values[0] <= 2


def is_data_row(row: Row) -> bool:
    return any(is_amount(c) for c in row.cells) and not is_column_numbers(row)


def _split_header(block: Block) -> tuple[list[Row], list[Row]]:
    header: list[Row] = []
    for index, row in enumerate(block.rows):
        if is_data_row(row):
            return header, block.rows[index:]
        if not is_column_numbers(row):
            header.append(row)
    return header, []


def _same_table(previous: LogicalTable, block: Block) -> bool:
    if block.separated:
        return False
    if not block.title:
        return True
    return block.title == previous.title


def _repeats_header(row: Row, header: list[Row]) -> bool:
    """A page's repeated header row: most of its labels are in the table's header."""
    labels = {compact(c) for c in row.texts}
    known = {compact(c) for h in header for c in h.texts}

    def is_known(label: str) -> bool:  # a header cell split differently on this page
        return label in known or any(label in k or k in label for k in known if len(k) >= 2)

    return bool(labels) and sum(map(is_known, labels)) * 2 >= len(labels)


def logical_tables(doc: Document) -> list[LogicalTable]:
    """The document's tables, each continued page stitched to the one before."""
    tables: list[LogicalTable] = []
    for block in blocks(doc):
        if tables and _same_table(tables[-1], block):
            table = tables[-1]
            table.blocks.append(block)
            seen_totals = {tuple(r.cells) for r in table.rows if _is_total_row(r)}
            rows = list(block.rows)
            while (
                rows
                and not is_data_row(rows[0])
                and (is_column_numbers(rows[0]) or _repeats_header(rows[0], table.header))
            ):
                rows.pop(0)
            for row in rows:
                # a total row repeated at the top of every page is printed once
                if _is_total_row(row) and tuple(row.cells) in seen_totals:
                    continue
                table.rows.append(row)
            continue
        header, data = _split_header(block)
        tables.append(
            LogicalTable(
                title=block.title,
                title_line=block.title_line,
                blocks=[block],
                header=header,
                rows=list(data),
                context=list(block.context),
            )
        )
    return tables


def _is_total_row(row: Row) -> bool:
    texts = [compact(t) for t in row.texts]
    return bool(texts) and texts[0] in {"合计", "总计"} and is_data_row(row)
