"""The department, its subordinate units and internal bodies.

The 机构设置 / 预算构成 prose names them ("下属单位具体包括：A、B", "内设机构共5个，
分别为：办公室、…"), and the unit rows of the tables confirm them.
"""

from __future__ import annotations

import re

from kg.documents.reader import Document
from kg.documents.text import compact

_SUBORDINATES = (
    re.compile(r"下属单位具体包括[:：]?(.+?)[。；;]"),
    re.compile(r"下属事业单位[一二三四五六七八九十\d]+个[,，:：]?(.+?)[。；;]"),
    re.compile(r"下属\d+个预算单位(.+?)[。；;]"),
    re.compile(r"([^,，。、；:：]{4,40}?)为[^,，。]{0,12}下属事业单位"),
)
_INTERNAL = re.compile(r"内设机构[共有]?[一二三四五六七八九十\d]+个[,，]?分别为[:：]?(.+?)[。；;]")


def split_names(text: str) -> list[str]:
    """Names listed with 、 (commas inside parentheses do not split)."""
    names, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "(（"
        depth -= ch in ")）"
        if ch in "、,，" and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    return [n.strip() for n in names if n.strip()]


def _paragraphs(doc: Document) -> list[tuple[int, str]]:
    """Prose paragraphs (blank-line separated) with their first line number."""
    paragraphs, start, parts = [], 0, []
    for number, line in enumerate(doc.lines, start=1):
        if "\t" in line or line.lstrip().startswith("|"):
            continue
        folded = compact(line)
        if not folded:
            if parts:
                paragraphs.append((start, "".join(parts)))
            parts = []
            continue
        if not parts:
            start = number
        parts.append(folded.lstrip("-"))
    if parts:
        paragraphs.append((start, "".join(parts)))
    return paragraphs


def organization_rows(doc: Document, out: dict[str, list[dict]]) -> list[dict]:
    """All organisations of ``doc``; replaces the unit rows the tables reported."""
    department = doc.info.department
    rows: dict[str, dict] = {}

    def add(name: str, role: str, line: int, code: str = "") -> None:
        name = compact(name)
        own = name.removesuffix("本级")
        if not name or own == department or name in rows:
            return
        rows[name] = {
            "doc_id": doc.doc_id,
            "name": name,
            "role": role,
            "parent": department if role != "department" else "",
            "code": code,
            "source_line": line,
        }

    if department:
        rows[department] = {
            "doc_id": doc.doc_id,
            "name": department,
            "role": "department",
            "parent": "",
            "code": "",
            "source_line": 1,
        }
    for line, text in _paragraphs(doc):
        for pattern in _SUBORDINATES:
            for match in pattern.finditer(text):
                for name in split_names(match.group(1)):
                    add(name, "subordinate_unit", line)
        for match in _INTERNAL.finditer(text):
            for name in split_names(match.group(1)):
                add(name, "internal_body", line)
    for unit in out["organizations"]:
        add(unit["name"], "subordinate_unit", unit["source_line"], unit["code"])
    return list(rows.values())
