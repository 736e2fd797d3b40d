"""Reading a converted budget document: bytes to lines, and what the document is.

Everything downstream refers back to ``Document.lines`` by 1-based line
number, so the lines are kept exactly as in the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.documents.places import province_of_city
from kg.documents.text import compact


class DocumentError(Exception):
    """A document that cannot be read at all; names the file and the reason."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class DocumentInfo:
    department: str
    province: str
    city: str
    district: str
    fiscal_year: int | None
    kind: str  # "budget" or "final_accounts"
    amount_unit: str
    title: str


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_file: str
    lines: tuple[str, ...]
    sha256: str
    info: DocumentInfo = field(compare=False)

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``."""
        return self.lines[number - 1]


_TITLE_KIND = re.compile(r"部门(预算|决算)")
_YEAR = re.compile(r"(20\d{2})\s*年")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|千元|元)")
_ORG_LABEL = re.compile(
    r"^(?:单位名称|部门名称|部门|预算单位)\s*[:：]\s*(\S.*?)\s*(?:单位\s*[:：].*)?$"
)
_PLACE = re.compile(
    r"^(?P<province>[^省]{2,7}(?:省|自治区))?"
    r"(?P<city>[^市区县]{1,7}?(?:市|自治州|地区|盟))?"
    r"(?P<district>[^市区县]{1,7}?(?:区|县|自治县|旗|市))?"
)


def doc_id_for(path: Path) -> str:
    """A stable identifier from the file name (its stem, spaces folded)."""
    return re.sub(r"\s+", "-", path.stem.strip())


def decode(raw: bytes, source: str) -> str:
    if not raw.strip():
        raise DocumentError(source, "empty file: no text to read")
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(source, "binary file (NUL bytes): expected text converted from a PDF")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DocumentError(
                source,
                f"not UTF-8 text: undecodable byte at offset {utf8_error.start} "
                "(and not GB18030 either)",
            ) from None


def read_document(path: str | Path) -> Document:
    """Read and recognise one document; ``DocumentError`` if it is not one we can read."""
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(source, f"cannot read file: {error.strerror or error}") from None
    text = decode(raw, source)
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    info = describe(lines, source)
    return Document(
        doc_id=doc_id_for(path),
        source_file=path.name,
        lines=lines,
        sha256=hashlib.sha256(raw).hexdigest(),
        info=info,
    )


def _title(lines: tuple[str, ...]) -> str:
    """The cover title: the text before the table of contents, joined."""
    head: list[str] = []
    for line in lines[:40]:
        folded = compact(line)
        if folded in {"目录", "目次"} or folded.startswith("第一部分"):
            break
        if folded:
            head.append(folded)
    return "".join(head)


def describe(lines: tuple[str, ...], source: str) -> DocumentInfo:
    title = _title(lines)
    whole_head = "".join(compact(line) for line in lines[:400])
    kind_match = _TITLE_KIND.search(title) or _TITLE_KIND.search(whole_head)
    if not kind_match:
        raise DocumentError(
            source,
            "not a budget or final-accounts document: no 部门预算 or 部门决算 title found",
        )
    kind = "final_accounts" if kind_match.group(1) == "决算" else "budget"
    if not any(_looks_like_table_row(line) for line in lines):
        raise DocumentError(source, "no tables found: expected budget tables (tab or pipe rows)")

    year_match = _YEAR.search(title) or _YEAR.search(whole_head)
    fiscal_year = int(year_match.group(1)) if year_match else None

    department = _department(title, lines)
    place = _PLACE.match(department) if department else None
    province = (place.group("province") or "") if place else ""
    city = (place.group("city") or "") if place else ""
    district = (place.group("district") or "") if place else ""
    if district and not city:  # "清新区…" with no city printed is still a district
        city = ""
    if not province and city:
        province = province_of_city(city)

    unit = ""
    for line in lines:
        found = _UNIT.search(compact(line).replace("单位名称", ""))
        if found:
            unit = found.group(1)
            break
    return DocumentInfo(
        department=department,
        province=province,
        city=city,
        district=district,
        fiscal_year=fiscal_year,
        kind=kind,
        amount_unit=unit,
        title=title,
    )


def _department(title: str, lines: tuple[str, ...]) -> str:
    name = _YEAR.sub("", title)
    name = re.sub(r"^\d{4}", "", name)
    name = _TITLE_KIND.split(name)[0]
    name = name.strip("年 ")
    if name:
        return name
    for line in lines:  # fall back on the organisation named above the tables
        match = _ORG_LABEL.match(compact(line))
        if match:
            return match.group(1)
    return ""


def _looks_like_table_row(line: str) -> bool:
    return line.count("\t") >= 1 or (line.lstrip().startswith("|") and line.count("|") >= 3)
