"""The prose of a document as searchable text, every character traced to its line.

Converted PDFs break sentences at the page width, often with a blank line in
between ("…项目支出预" / "" / "算 30,566.62 万元"). Narrative figures are
matched on paragraphs joined back together, with full-width punctuation
folded to ASCII and all whitespace removed; ``Prose.line_at`` maps a match
back to the 1-based line where it starts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kg.documents.reader import Document
from kg.documents.text import fold
from kg.tables.layout import is_table_line

# How headings are numbered: 一、 (一) （1） 1. I. II ①
NUMBERING = (
    r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]"
    r"|[IVXⅠ-Ⅻ]+[.、]?|[①-⑩])"
)
# A heading ends its paragraph even without a full stop: 五、“三公”经费预算情况.
_HEADING = re.compile(rf"^(?:第.{{1,3}}部分|{NUMBERING})")
_SENTENCE_END = "。!?！？"
_BULLET = re.compile(r"^\s*[-*]\s+")
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|\*\*")
_HEADING_MAX = 40


@dataclass(frozen=True)
class Prose:
    """Joined paragraphs; ``text`` has one ``\\n`` between paragraphs."""

    text: str
    starts: tuple[int, ...]  # offset in ``text`` where each source line's text begins
    numbers: tuple[int, ...]  # the 1-based source line of each of those stretches

    def line_at(self, offset: int) -> int:
        """The 1-based source line of the character at ``offset``."""
        if not self.starts:
            return 0
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]

    def sentence_at(self, offset: int) -> str:
        """The sentence around ``offset``: from the last full stop to the next."""
        start = offset
        while start > 0 and self.text[start - 1] not in _SENTENCE_END + "\n":
            start -= 1
        end = offset
        while end < len(self.text) and self.text[end] not in _SENTENCE_END + "\n":
            end += 1
        if end < len(self.text) and self.text[end] != "\n":
            end += 1
        return self.text[start:end]


def _is_heading(folded: str) -> bool:
    """A short numbered line that states nothing: no clause breaks, no amounts.

    "2.项目支出4083.81万元,比上年决算数增加830.29万元,增长" is the first half
    of a wrapped sentence, not a heading, though it is short and numbered.
    """
    return (
        len(folded) <= _HEADING_MAX
        and bool(_HEADING.match(folded))
        and not any(mark in folded for mark in _SENTENCE_END + ",;，；%")
        and "万元" not in folded
    )


def read_prose(doc: Document, first: int = 1, last: int | None = None) -> Prose:
    """The prose lines ``first``..``last`` of ``doc`` (tables skipped), joined.

    A line continues the paragraph before it when that paragraph does not end
    a sentence and is not a heading, even across blank lines; a table row or
    a heading always ends the paragraph.
    """
    last = len(doc.lines) if last is None else min(last, len(doc.lines))
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    size = 0
    open_paragraph = False  # the text so far may continue on the next prose line
    for number in range(first, last + 1):
        raw = doc.lines[number - 1]
        if is_table_line(raw):
            open_paragraph = False
            continue
        folded = "".join(_MARKUP.sub("", fold(_BULLET.sub("", raw))).split())
        if not folded:
            continue
        heading = _is_heading(folded)
        if parts and not (open_paragraph and not heading):
            folded = "\n" + folded
        starts.append(size)
        numbers.append(number)
        parts.append(folded)
        size += len(folded)
        open_paragraph = not heading and folded[-1] not in _SENTENCE_END
    return Prose("".join(parts), tuple(starts), tuple(numbers))
