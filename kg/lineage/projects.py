"""The projects to link: one record per project per document, with what is known of it.

Records come from the ``projects`` table joined with ``documents`` (see
``kg.tables.schema``). A project printed twice in one document (in the project
table and again among the key projects' performance targets) is one record; two
projects with the same name under two units of a document stay two.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from kg.documents.text import compact
from kg.lineage.names import core_name, place_prefixes, simplified

# Which amount stands for the project, in order of preference, by document kind.
_AMOUNT_COLUMNS = {
    "budget": ("total", "fiscal_appropriation", "general_public_budget", "budget_initial"),
    "final_accounts": ("actual", "budget_adjusted", "total", "budget_initial"),
}
# A project table is the fullest source; other places repeat or mention a project.
_TABLE_RANK = {"evaluation_report": 1, "narrative": 3}
KIND_ORDER = {"budget": 0, "final_accounts": 1}


@dataclass(slots=True)
class Project:
    key: str
    doc_id: str
    department: str
    province: str
    city: str
    district: str
    fiscal_year: int
    kind: str
    unit: str
    name: str          # as printed (wrap breaks joined)
    simple: str        # simplified, half-width, no quotes or spaces
    core: str          # what it is about: no place, year tag or generic tail
    function_code: str
    amount: Decimal | None
    amount_column: str
    content: str
    target: str
    table: str
    source_line: int
    iri: str = ""
    also_at: list[tuple[str, int]] = field(default_factory=list)
    also_iris: list[str] = field(default_factory=list)  # the rows repeating this project

    @property
    def amount_value(self) -> float | None:
        return float(self.amount) if self.amount is not None else None

    @property
    def text(self) -> str:
        return f"{self.content} {self.target}".strip()

    @property
    def unit_key(self) -> str:
        """The unit without the department's place prefix (本级 for the department itself)."""
        unit = simplified(self.unit)
        department = simplified(self.department)
        if not unit or unit == department:
            return "本级"
        if unit.startswith(department):
            return unit[len(department):] or "本级"
        prefixes = place_prefixes(self.province, self.city, self.district)
        return core_name(unit, prefixes)

    @property
    def snapshot(self) -> tuple[int, int]:
        """Where the document stands in a department's series: year, then budget before accounts."""
        return (self.fiscal_year, KIND_ORDER.get(self.kind, 2))

    def label(self) -> str:
        amount = f" {self.amount}" if self.amount is not None else ""
        return f"{self.fiscal_year} {self.name}{amount}"


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _amount(row: Mapping[str, Any], kind: str) -> tuple[Decimal | None, str]:
    for column in _AMOUNT_COLUMNS.get(kind, _AMOUNT_COLUMNS["budget"]):
        value = row.get(column)
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            continue
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        if amount != 0:
            return amount, column
    return None, ""


def project_records(
    projects: pd.DataFrame,
    documents: pd.DataFrame,
    iri_for_row: Callable[[Mapping[str, Any]], str] | None = None,
) -> list[Project]:
    """One ``Project`` per project per document, in document and line order.

    Rows whose document has no fiscal year cannot be placed in a series and are
    skipped (the caller reports them: see ``unplaced_rows``).
    """
    docs = {str(row["doc_id"]): row for row in documents.to_dict("records")}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in projects.to_dict("records"):
        doc = docs.get(str(row["doc_id"]))
        if doc is None or not _year(doc) or not _text(row.get("name")):
            continue
        prefixes = place_prefixes(*_places(doc))
        groups[(str(row["doc_id"]), core_name(_text(row["name"]), prefixes))].append(row)
    records: list[Project] = []
    for (doc_id, _), rows in groups.items():
        for same in _same_project(rows):
            records.append(_record(same, docs[doc_id], iri_for_row))
    records.sort(key=lambda p: (p.doc_id, p.source_line))
    _unique_keys(records)
    return records


def mapped_project_iris(
    tables: Mapping[str, pd.DataFrame], base: str | None = None
) -> Callable[[Mapping[str, Any]], str]:
    """The IRI ``kg map`` gives each project row, as a function of the row.

    Follows ``kg.graph.mapping``: units printed as codes are named from the
    organizations table, and a (unit, name) repeated in a document gets an
    occurrence number, counted in source-line order.
    """
    from kg.graph.iris import project_iri_for_row
    from kg.graph.mapping import integer, project_occurrences, rows_by_document, text
    from kg.tables.extract import Extraction

    needed = {n: tables[n] for n in ("documents", "organizations", "projects") if n in tables}
    iris: dict[tuple[str, int, str, str], str] = {}
    for doc_id, rows in rows_by_document(Extraction(needed)).items():
        documents = rows.get("documents") or []
        if not documents:
            continue
        unit_names = {
            compact(text(o.get("code"))): text(o.get("name"))
            for o in rows.get("organizations", []) if text(o.get("code")) and text(o.get("name"))
        }
        projects = rows.get("projects", [])
        for row, occurrence in zip(projects, project_occurrences(projects), strict=True):
            unit = text(row.get("unit"))
            named = {"unit": unit_names.get(compact(unit), unit), "name": text(row.get("name"))}
            iri = project_iri_for_row(named, documents[0], base, occurrence)
            iris[_row_key(doc_id, integer(row.get("source_line")) or 0, row)] = str(iri)

    def iri_for_row(row: Mapping[str, Any]) -> str:
        key = _row_key(str(row["doc_id"]), int(row.get("source_line") or 0), row)
        return iris.get(key, "")

    return iri_for_row


def _row_key(doc_id: str, line: int, row: Mapping[str, Any]) -> tuple[str, int, str, str]:
    return (doc_id, line, compact(_text(row.get("unit"))), compact(_text(row.get("name"))))


def unplaced_rows(projects: pd.DataFrame, documents: pd.DataFrame) -> list[str]:
    """Project rows that cannot be linked, named by document and line."""
    docs = {str(row["doc_id"]): row for row in documents.to_dict("records")}
    problems = []
    for row in projects.to_dict("records"):
        doc = docs.get(str(row["doc_id"]))
        where = f"{row['doc_id']}, {row.get('table', '')}, line {row.get('source_line', '?')}"
        if doc is None:
            problems.append(f"{where}: no such document in the documents table")
        elif not _year(doc):
            problems.append(f"{where}: the document has no fiscal year")
        elif not _text(row.get("name")):
            problems.append(f"{where}: project without a name")
    return problems


def _year(doc: Mapping[str, Any]) -> int:
    try:
        return int(doc.get("fiscal_year") or 0)
    except (TypeError, ValueError):
        return 0


def _places(doc: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """The document's places and department: the prefixes a project name may carry."""
    return tuple(_text(doc.get(k)) for k in ("province", "city", "district", "department"))


def _same_project(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    """Rows of one document and (normalised) name, grouped into projects by unit.

    A row without a unit (key-project tables print none) joins the only unit
    there is; with several units it cannot be placed and stands alone.
    """
    by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_unit[simplified(_text(row.get("unit")))].append(row)
    loose = by_unit.pop("", [])
    if len(by_unit) == 1 and loose:
        next(iter(by_unit.values())).extend(loose)
    elif loose:
        by_unit[""] = loose
    for unit_rows in by_unit.values():
        # Two rows of the same table are two printed projects; other tables repeat them.
        tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in sorted(unit_rows, key=_row_rank):
            tables[_text(row.get("table"))].append(row)
        firsts = [group[0] for group in tables.values()]
        yield sorted(firsts, key=_row_rank)
        for group in tables.values():
            for extra in group[1:]:
                yield [extra]


def _row_rank(row: Mapping[str, Any]) -> tuple[int, int]:
    return (_TABLE_RANK.get(_text(row.get("table")), 0), int(row.get("source_line") or 0))


def _record(
    rows: list[dict[str, Any]],
    doc: Mapping[str, Any],
    iri_for_row: Callable[[Mapping[str, Any]], str] | None,
) -> Project:
    first = rows[0]
    kind = _text(doc.get("kind")) or "budget"
    amount, column = None, ""
    for row in rows:
        amount, column = _amount(row, kind)
        if amount is not None:
            break
    unit = next((_text(r.get("unit")) for r in rows if _text(r.get("unit"))), "")
    place = _places(doc)
    name = _text(first["name"])
    return Project(
        key=f"{first['doc_id']}#L{int(first.get('source_line') or 0)}",
        doc_id=str(first["doc_id"]),
        department=_text(doc.get("department")),
        province=place[0],
        city=place[1],
        district=place[2],
        fiscal_year=_year(doc),
        kind=kind,
        unit=unit,
        name=name,
        simple=simplified(name),
        core=core_name(name, place_prefixes(*place)),
        function_code=next(
            (_text(r.get("function_code")) for r in rows if _text(r.get("function_code"))), ""
        ),
        amount=amount,
        amount_column=column,
        content=_join_texts(rows, "content"),
        target=_join_texts(rows, "performance_target"),
        table=_text(first.get("table")),
        source_line=int(first.get("source_line") or 0),
        iri=iri_for_row(first) if iri_for_row else "",
        also_iris=[iri_for_row(r) for r in rows[1:]] if iri_for_row else [],
        also_at=[(_text(r.get("table")), int(r.get("source_line") or 0)) for r in rows[1:]],
    )


def _join_texts(rows: list[dict[str, Any]], column: str) -> str:
    seen: list[str] = []
    for row in rows:
        text = _text(row.get(column))
        if text and text not in seen:
            seen.append(text)
    return " ".join(seen)


def _unique_keys(records: list[Project]) -> None:
    counts: dict[str, int] = defaultdict(int)
    for record in records:
        counts[record.key] += 1
        if counts[record.key] > 1:
            record.key = f"{record.key}-{counts[record.key]}"
