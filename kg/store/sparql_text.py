"""SPARQL text read without evaluating it: the form, the prologue, FROM graphs, keywords.

A light lexer (strings, IRIs and comments skipped properly) is enough for what
the store and the endpoint must know before running a request: which result
formats apply, and whether it asks to reach outside the dataset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00c0-\uffff]*)?:
               (?:[^\s{}()<>,;\[\]"'\#]*[^\s{}()<>,;\[\]"'\#.])?)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                "WITH"}


@dataclass
class Reading:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    line: int = 1
    column: int = 1
    prefixes: dict[str, str] = field(default_factory=dict)
    from_graphs: list[str] = field(default_factory=list)
    keywords: set[str] = field(default_factory=set)
    keyword_positions: dict[str, tuple[int, int]] = field(default_factory=dict)


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read(text: str) -> Reading:
    """Scan SPARQL text: its form, prefixes, FROM graphs and the keywords it uses."""
    tokens = [(m.lastgroup, m.group(), m.start()) for m in TOKEN.finditer(text)
              if m.lastgroup not in ("space", "comment")]
    reading = Reading(form=None)
    base = ""
    index = 0
    # Prologue: BASE <iri> and PREFIX name: <iri>.
    while index < len(tokens):
        kind, value, _ = tokens[index]
        upper = value.upper() if kind == "word" else ""
        if upper == "BASE" and index + 1 < len(tokens) and tokens[index + 1][0] == "iri":
            base = urljoin(base, tokens[index + 1][1][1:-1])
            index += 2
        elif upper == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2][0] == "iri":
            reading.prefixes[tokens[index + 1][1].rstrip(":")] = urljoin(
                base, tokens[index + 2][1][1:-1])
            index += 3
        else:
            break
    for position_index in range(index, len(tokens)):
        kind, value, start = tokens[position_index]
        if kind != "word":
            continue
        upper = value.upper()
        reading.keywords.add(upper)
        reading.keyword_positions.setdefault(upper, position(text, start))
        if reading.form is None:
            if upper in QUERY_FORMS:
                reading.form = upper
            elif upper in UPDATE_FORMS:
                reading.form = "UPDATE"
            reading.line, reading.column = position(text, start)
        if upper == "FROM":
            following = tokens[position_index + 1: position_index + 3]
            if following and following[0][1].upper() == "NAMED":
                following = following[1:]
            if following:
                target = resolve(following[0], reading.prefixes, base)
                if target:
                    reading.from_graphs.append(target)
    return reading


def resolve(token: tuple[str | None, str, int], prefixes: dict[str, str], base: str) -> str:
    kind, value, _ = token
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return ""
