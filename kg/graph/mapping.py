"""Tidy tables to RDF: one named graph per document, plus ontology and code lists.

``map_extraction`` gives the whole dataset; ``document_graph`` one document's
graph, which is what a rebuild replaces. Every observation, project,
indicator and figure says which document (``prov:wasDerivedFrom``) and which
line (``fis:sourceLine``) it came from. IRIs come from ``kg.graph.iris``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDFS, SKOS, XSD

from kg.documents.text import compact
from kg.graph import iris
from kg.graph.codes import code_depth, code_list_graph
from kg.graph.ontology import DCAT, ontology_graph
from kg.tables.extract import Extraction
from kg.tables.rows import classification_of

Row = dict[str, Any]
_log = logging.getLogger("kg.graph")

# Amount columns of the projects table, each mapped to a project amount observation.
PROJECT_MEASURES: tuple[str, ...] = (
    "total", "fiscal_appropriation", "general_public_budget", "government_fund",
    "state_capital", "special_account", "other_funds", "business_income",
    "operating_income", "prior_year_carryover", "budget_initial", "budget_adjusted", "actual",
)
KIND_LABELS = {"budget": "部门预算", "final_accounts": "部门决算"}


def is_blank(value: Any) -> bool:
    """None, NaN, NA or an empty / whitespace-only string: a cell with nothing in it."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text(value: Any) -> str:
    """A cell's text as extracted (already cleaned by the extractor), or ""."""
    return "" if is_blank(value) else str(value).strip()


def integer(value: Any) -> int | None:
    if is_blank(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def amount(value: Any) -> Decimal | None:
    """An amount cell as a Decimal; ``ValueError`` naming the value if it is not a number."""
    if is_blank(value):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(f"{value!r} is not an amount") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not an amount")
    return number


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal literal that reads back unchanged from every format.

    Turtle writes a whole number as ``5.0``; giving it that form from the start
    keeps the lexical form stable across formats (the value is the same).
    """
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
        value = value.quantize(Decimal("0.1"))
    return Literal(value, datatype=XSD.decimal)


def records(frame: pd.DataFrame | None) -> list[Row]:
    return [] if frame is None or frame.empty else frame.to_dict("records")


def rows_by_document(extraction: Extraction) -> dict[str, dict[str, list[Row]]]:
    """Every table's rows grouped by document, each group in source-line order."""
    grouped: dict[str, dict[str, list[Row]]] = {}
    for name, frame in extraction.tables.items():
        for row in records(frame):
            grouped.setdefault(str(row["doc_id"]), {}).setdefault(name, []).append(row)
    for tables in grouped.values():
        for name, rows in tables.items():
            line_column = "line" if name == "problems" else "source_line"
            rows.sort(key=lambda r: integer(r.get(line_column)) or 0)
    return grouped


class Occurrences:
    """Counts how often a key has been seen: 1 the first time, 2 the second …"""

    def __init__(self) -> None:
        self._seen: Counter[Hashable] = Counter()

    def next(self, key: Hashable) -> int:
        self._seen[key] += 1
        return self._seen[key]


@dataclass
class _Context:
    graph: Graph
    fis: Namespace
    base: str
    document: Row
    doc_id: str
    doc: URIRef
    department: URIRef
    year: Literal | None
    phase: URIRef
    unit_of_amounts: URIRef | None
    unit_names: dict[str, str] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)

    def add(self, subject: URIRef, predicate: URIRef, value: Any) -> None:
        """Add a triple unless the value is blank; plain values become literals."""
        if is_blank(value):
            return
        if isinstance(value, URIRef | Literal):
            self.graph.add((subject, predicate, value))
        elif isinstance(value, Decimal):
            self.graph.add((subject, predicate, decimal_literal(value)))
        else:
            self.graph.add((subject, predicate, Literal(value)))

    def label(self, subject: URIRef, name: str) -> None:
        if name:
            self.graph.add((subject, SKOS.prefLabel, Literal(name, lang="zh")))

    def unit_name(self, unit: Any) -> str:
        """The name of the unit a unit column gives by name or by printed unit code."""
        name = text(unit)
        return self.unit_names.get(compact(name), name)

    def organization(self, unit: Any) -> URIRef:
        """The department, or the unit ``unit`` names (by name or by printed unit code)."""
        return iris.organization_iri(self.department_name, self.unit_name(unit) or None,
                                     self.base)

    @property
    def department_name(self) -> str:
        return text(self.document["department"])

    def table(self, name: Any) -> URIRef:
        table = text(name) or iris.BLANK_SEGMENT
        self.tables.add(table)
        return iris.table_iri(self.doc_id, table, self.base)

    def provenance(self, subject: URIRef, line: Any) -> None:
        self.graph.add((subject, PROV.wasDerivedFrom, self.doc))
        number = integer(line)
        if number is not None and number > 0:
            self.graph.add((subject, self.fis.sourceLine,
                            Literal(number, datatype=XSD.positiveInteger)))

    def observation(self, obs: URIRef, kind: URIRef, cell: Cell) -> None:
        """The parts every amount observation has: dimensions, measure, unit, provenance,
        and the slice (its column) and row it sits in, which the arithmetic checks join on."""
        fis, graph = self.fis, self.graph
        table, measure = self.table(cell.table), iris.measure_iri(cell.measure, self.base)
        graph.add((obs, RDF.type, kind))
        graph.add((obs, QB.dataSet, self.doc))
        graph.add((obs, fis.document, self.doc))
        graph.add((obs, fis.organization, cell.organization))
        self.add(obs, fis.fiscalYear, self.year)
        graph.add((obs, fis.phase, self.phase))
        graph.add((obs, fis.table, table))
        graph.add((obs, fis.measureKind, measure))
        graph.add((obs, fis.amount, decimal_literal(cell.amount)))
        self.add(obs, fis.amountUnit, self.unit_of_amounts)
        self.provenance(obs, cell.line)
        unit = None if cell.organization == self.department else cell.unit or None
        column = iris.slice_iri(self.doc_id, cell.table or iris.BLANK_SEGMENT, unit,
                                cell.measure, self.base, block=cell.block, panel=cell.panel)
        graph.add((column, RDF.type, QB.Slice))
        graph.add((column, QB.sliceStructure, fis.ColumnSlice))
        graph.add((column, QB.observation, obs))
        graph.add((column, fis.table, table))
        graph.add((column, fis.measureKind, measure))
        graph.add((column, fis.organization, cell.organization))
        row = iris.row_iri(self.doc_id, cell.table or iris.BLANK_SEGMENT, integer(cell.line),
                           cell.row_kind, cell.panel or cell.side or None, self.base)
        graph.add((obs, fis.row, row))
        graph.add((row, RDF.type, fis.Row))
        graph.add((row, fis.table, table))
        self.provenance(row, cell.line)


@dataclass(frozen=True)
class Cell:
    """Where an amount sits: table, column (measure), row (line), unit, block and panel."""

    table: str
    measure: str
    amount: Decimal
    line: Any
    organization: URIRef
    unit: str
    row_kind: str
    block: int | None = None
    panel: str = ""
    side: str = ""


def document_graph(extraction: Extraction, doc_id: str, base: str | None = None) -> Graph:
    """The named graph ``{base}graph/doc/{doc_id}`` with everything from one document."""
    rows = rows_by_document(extraction).get(doc_id)
    if not rows or not rows.get("documents"):
        raise KeyError(f"{doc_id}: no such document in the extraction")
    return graph_of_rows(rows, base)


def map_extraction(extraction: Extraction, base: str | None = None) -> Dataset:
    """The ontology, the code lists and one named graph per document."""
    chosen = iris.base_iri(base)
    dataset = Dataset()
    for graph in (ontology_graph(chosen), code_graph(extraction, chosen)):
        _add_graph(dataset, graph)
    for rows in rows_by_document(extraction).values():
        if rows.get("documents"):
            _add_graph(dataset, graph_of_rows(rows, chosen))
    return dataset


def document_graphs(extraction: Extraction, base: str | None = None) -> Iterator[Graph]:
    """Each document's graph in turn, so a caller can load or validate one at a time."""
    for rows in rows_by_document(extraction).values():
        if rows.get("documents"):
            yield graph_of_rows(rows, base)


def _add_graph(dataset: Dataset, graph: Graph) -> None:
    named = dataset.graph(graph.identifier)
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=False)
    named += graph


def codes_of(rows_by_table: dict[str, list[Row]]) -> Iterable[tuple[str, str, str]]:
    """(classification, code, name) of every code a document prints, in line order."""
    for row in rows_by_table.get("subject_amounts", []):
        classification, code = text(row.get("classification")), text(row.get("code"))
        if code:
            yield classification, code, text(row.get("name"))
        related = text(row.get("related_code"))
        if related:
            yield classification_of(related), related, ""
    for row in rows_by_table.get("projects", []):
        code = text(row.get("function_code"))
        if code:
            yield "function", code, ""


def code_graph(extraction: Extraction, base: str | None = None) -> Graph:
    """The code lists for every code the extraction's documents print."""
    grouped = rows_by_document(extraction)
    codes = (c for doc_id in sorted(grouped) for c in codes_of(grouped[doc_id]))
    return code_list_graph(codes, base)


def bind_prefixes(graph: Graph, base: str | None = None) -> None:
    chosen = iris.base_iri(base)
    graph.bind("fis", iris.ontology_namespace(chosen))
    for prefix, namespace in (("qb", QB), ("org", ORG), ("prov", PROV), ("dcat", DCAT),
                              ("dcterms", DCTERMS), ("skos", SKOS)):
        graph.bind(prefix, namespace)
    for prefix, path in (("doc", "id/doc/"), ("obs", "id/obs/"), ("project", "id/project/"),
                         ("orgid", "id/org/"), ("code", "id/code/")):
        graph.bind(prefix, chosen + path)


# Columns holding numbers, per table: checked before mapping (see ``unreadable_values``).
NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "subject_amounts": ("amount",), "summary_items": ("amount",), "totals": ("amount",),
    "line_items": ("amount",), "projects": (*PROJECT_MEASURES, "execution_rate"),
    "indicators": ("target_value",), "facts": (),
}


def unreadable_values(rows: dict[str, list[Row]]) -> list[Row]:
    """Problems (rows of the ``problems`` table) for numbers that are not numbers.

    Each bad cell is blanked, so the rest of its row and every other row are still
    mapped; the problem names the document, the table, the line and the value.
    """
    problems: list[Row] = []
    for table, columns in NUMBER_COLUMNS.items():
        for row in rows.get(table, []):
            for column in columns:
                try:
                    row[column] = amount(row.get(column))
                except ValueError as error:
                    row[column] = None
                    problems.append({
                        "doc_id": row.get("doc_id"), "table": row.get("table") or table,
                        "line": integer(row.get("source_line")), "severity": "error",
                        "message": f"kg map: {table}.{column}: {error}; the value is left out",
                    })
    return problems


def graph_of_rows(rows: dict[str, list[Row]], base: str | None = None) -> Graph:
    """One document's graph from its rows (one entry of ``rows_by_document``)."""
    chosen = iris.base_iri(base)
    document = rows["documents"][0]
    for problem in unreadable_values(rows):
        _log.warning("%s: %s line %s: %s", problem["doc_id"], problem["table"],
                     problem["line"], problem["message"])
        rows.setdefault("problems", []).append(problem)
    doc_id = text(document["doc_id"])
    graph = Graph(identifier=iris.graph_iri("doc", doc_id, chosen))
    bind_prefixes(graph, chosen)
    year = integer(document.get("fiscal_year"))
    kind = text(document.get("kind")) or "budget"
    unit = text(document.get("amount_unit"))
    context = _Context(
        graph=graph,
        fis=iris.ontology_namespace(chosen),
        base=chosen,
        document=document,
        doc_id=doc_id,
        doc=iris.document_iri(doc_id, chosen),
        department=iris.organization_iri(text(document["department"]), None, chosen),
        year=Literal(str(year), datatype=XSD.gYear) if year else None,
        phase=iris.phase_iri(kind, chosen),
        unit_of_amounts=iris.amount_unit_iri(unit, chosen) if unit else None,
    )
    _document(context, kind)
    _organizations(context, rows.get("organizations", []))
    _subject_amounts(context, rows.get("subject_amounts", []))
    _totals(context, rows.get("totals", []))
    _summary_items(context, rows.get("summary_items", []))
    _line_items(context, rows.get("line_items", []))
    projects = _projects(context, rows.get("projects", []))
    _indicators(context, rows.get("indicators", []), projects)
    _facts(context, rows.get("facts", []))
    _problems(context, rows.get("problems", []))
    _tables(context, rows.get("tables", []))
    return graph


def _document(c: _Context, kind: str) -> None:
    fis, doc, row = c.fis, c.doc, c.document
    department = c.department_name
    c.graph.add((doc, RDF.type, fis.BudgetDocument))
    c.graph.add((doc, QB.structure, fis.BudgetStructure))
    c.add(doc, DCTERMS.identifier, c.doc_id)
    c.add(doc, DCTERMS.title, Literal(text(row.get("title")) or c.doc_id, lang="zh"))
    c.add(doc, DCTERMS.source, text(row.get("source_file")))
    c.add(doc, fis.sha256, text(row.get("sha256")))
    lines = integer(row.get("line_count"))
    if lines is not None:
        c.add(doc, fis.lineCount, Literal(lines, datatype=XSD.nonNegativeInteger))
    c.add(doc, fis.fiscalYear, c.year)
    c.graph.add((doc, fis.phase, c.phase))
    c.add(doc, fis.amountUnit, c.unit_of_amounts)
    c.graph.add((doc, fis.publishedBy, c.department))
    series = iris.series_iri(department, kind, c.base)
    c.graph.add((doc, DCAT.inSeries, series))
    c.graph.add((series, RDF.type, fis.DocumentSeries))
    c.add(series, DCTERMS.title, Literal(f"{department}{KIND_LABELS.get(kind, kind)}", lang="zh"))
    c.graph.add((c.department, RDF.type, fis.Department))
    c.label(c.department, department)
    province, city, district = (text(row.get(k)) for k in ("province", "city", "district"))
    place = _places(c, province, city, district)
    if place is not None:
        c.graph.add((c.department, fis.locatedIn, place))


def _places(c: _Context, province: str, city: str, district: str) -> URIRef | None:
    """The place hierarchy province ⊃ city ⊃ district; returns the innermost place printed."""
    fis, chain, outer = c.fis, [], None
    for name, cls in ((province, fis.Province), (city, fis.City), (district, fis.District)):
        chain.append(name)
        if not name:
            continue
        place = iris.place_iri(*chain, base=c.base)
        c.graph.add((place, RDF.type, cls))
        c.label(place, name)
        if outer is not None:
            c.graph.add((place, fis.within, outer))
        outer = place
    return outer


def _organizations(c: _Context, rows: list[Row]) -> None:
    fis = c.fis
    for row in rows:
        name, code = text(row.get("name")), text(row.get("code"))
        if code and name:
            c.unit_names[compact(code)] = name
    for row in rows:
        name, role = text(row.get("name")), text(row.get("role")).lower()
        if not name:
            continue
        organization = c.department if "department" in role else c.organization(name)
        c.label(organization, name)
        c.add(organization, ORG.identifier, text(row.get("code")))
        c.provenance(organization, row.get("source_line"))
        if organization == c.department:
            continue
        parent_name = text(row.get("parent"))
        parent = c.organization(parent_name) if parent_name else c.department
        if "internal" in role or "内设" in role:
            c.graph.add((organization, RDF.type, fis.InternalBody))
            c.graph.add((organization, ORG.unitOf, parent))
            c.graph.add((parent, ORG.hasUnit, organization))
        else:
            c.graph.add((organization, RDF.type, fis.SubordinateUnit))
            c.graph.add((organization, ORG.subOrganizationOf, parent))
            c.graph.add((parent, ORG.hasSubOrganization, organization))


def _unit_organization(c: _Context, unit: Any) -> URIRef:
    """The organisation a unit column names, declared as a unit if it is not the department."""
    organization = c.organization(unit)
    if organization != c.department and (organization, RDF.type, c.fis.SubordinateUnit) \
            not in c.graph and (organization, RDF.type, c.fis.InternalBody) not in c.graph:
        name = text(unit)
        c.graph.add((organization, RDF.type, c.fis.SubordinateUnit))
        c.graph.add((organization, ORG.subOrganizationOf, c.department))
        c.label(organization, c.unit_names.get(compact(name), name))
    return organization


TOTAL_NAMES = {"合计", "总计", "小计"}


def _subject(classification: str, code: str, related: str, name: str) -> str:
    """What an amount by subject is about: its code (and the code paired with it), the
    table's total, or the printed name of a row with no code."""
    if code:
        return f"{classification}-{code}" + (f"+{related}" if related else "")
    return "total" if compact(name) in TOTAL_NAMES or not name else f"item-{name}"


def paired_twins(rows: list[Row]) -> set[tuple[Any, ...]]:
    """Keys of the 部门经济分类 rows that repeat an 经济分类 row of a paired table.

    A table pairing the two classifications prints one amount per row with both
    codes; extraction gives it as two rows pointing at each other. The graph
    keeps one observation, the 经济分类 one, with the paired code as
    ``fis:relatedCode``.
    """
    return {
        (text(r.get("table")), integer(r.get("source_line")), text(r.get("measure")),
         text(r.get("related_code")), text(r.get("code")))
        for r in rows
        if text(r.get("classification")) == "economic" and text(r.get("related_code"))
    }


def is_paired_twin(row: Row, twins: set[tuple[Any, ...]]) -> bool:
    return text(row.get("classification")) == "dept_economic" and (
        text(row.get("table")), integer(row.get("source_line")), text(row.get("measure")),
        text(row.get("code")), text(row.get("related_code"))) in twins


def _subject_amounts(c: _Context, rows: list[Row]) -> None:
    fis, seen, twins = c.fis, Occurrences(), paired_twins(rows)
    for row in rows:
        value = amount(row.get("amount"))
        if value is None or is_paired_twin(row, twins):
            continue
        classification, code = text(row.get("classification")), text(row.get("code"))
        table, measure = text(row.get("table")), text(row.get("measure")) or "total"
        unit, name, related = text(row.get("unit")), text(row.get("name")), text(
            row.get("related_code"))
        block, panel = integer(row.get("block")), text(row.get("panel"))
        subject = _subject(classification, code, related, name)
        key = (table, subject, unit, measure, block, panel)
        obs = iris.observation_iri(c.doc_id, table, subject, unit or None, measure,
                                   seen.next(key), c.base, block=block, panel=panel)
        organization = _unit_organization(c, unit) if unit else c.department
        c.observation(obs, fis.SubjectAmount, Cell(
            table, measure, value, row.get("source_line"), organization,
            c.unit_name(unit), "subject", block, panel))
        if code:
            c.graph.add((obs, fis.classificationCode, iris.code_iri(classification, code, c.base)))
        # a code's level; 1 for a row printed with no code (beside the 类); 0 for the total
        level = code_depth(code) if code else (0 if subject == "total" else 1)
        c.graph.add((obs, fis.rowLevel, Literal(level, datatype=XSD.integer)))
        c.add(obs, fis.item, name)
        if block is not None:
            c.add(obs, fis.block, Literal(block, datatype=XSD.integer))
        c.add(obs, fis.panel, panel)
        if related:
            c.graph.add((obs, fis.relatedCode,
                         iris.code_iri(classification_of(related), related, c.base)))


def _totals(c: _Context, rows: list[Row]) -> None:
    """Printed totals: a table's (合计), a unit's subtotal, or a panel's (人员经费合计), whose
    ``unit`` column names the panel, not an organisation."""
    fis, seen = c.fis, Occurrences()
    for row in rows:
        value = amount(row.get("amount"))
        if value is None:
            continue
        table, scope = text(row.get("table")), text(row.get("scope")) or "table"
        unit, measure = text(row.get("unit")), text(row.get("measure")) or "total"
        panel = unit if scope == "panel" else ""
        unit = "" if panel else unit
        key = (table, scope, unit, panel, measure)
        obs = iris.observation_iri(c.doc_id, table, f"{scope}-total", unit or None, measure,
                                   seen.next(key), c.base, panel=panel or None)
        organization = _unit_organization(c, unit) if unit else c.department
        c.observation(obs, fis.TotalAmount, Cell(
            table, measure, value, row.get("source_line"), organization, c.unit_name(unit),
            "total", panel=panel))
        c.add(obs, fis.scope, scope)
        c.add(obs, fis.panel, panel)
        # the row's printed label: the unit's name for its subtotal, else 合计; level 0: above
        # the 类 (level 1) it sums
        c.add(obs, fis.item, c.unit_name(unit) if scope == "unit" and unit else "合计")
        c.graph.add((obs, fis.rowLevel, Literal(0, datatype=XSD.integer)))


def _summary_items(c: _Context, rows: list[Row]) -> None:
    fis, seen = c.fis, Occurrences()
    for row in rows:
        value = amount(row.get("amount"))
        if value is None:
            continue
        table, side, item = text(row.get("table")), text(row.get("side")), text(row.get("item"))
        measure = text(row.get("measure")) or "total"
        key = (table, side, item, measure)
        obs = iris.observation_iri(c.doc_id, table, f"{side}-{item}", None, measure,
                                   seen.next(key), c.base)
        c.observation(obs, fis.SummaryAmount, Cell(
            table, measure, value, row.get("source_line"), c.department, "", "summary",
            side=side))
        c.add(obs, fis.item, item)
        c.add(obs, fis.side, side)


def _line_items(c: _Context, rows: list[Row]) -> None:
    fis, seen = c.fis, Occurrences()
    for row in rows:
        value = amount(row.get("amount"))
        if value is None:
            continue
        table, item, detail = text(row.get("table")), text(row.get("item")), text(row.get("detail"))
        unit = text(row.get("unit")) or text(row.get("unit_code"))
        measure = text(row.get("measure")) or "total"
        subject = f"{item}-{detail}" if detail else item
        key = (table, subject, unit, measure)
        obs = iris.observation_iri(c.doc_id, table, subject, unit or None, measure,
                                   seen.next(key), c.base)
        organization = _unit_organization(c, unit) if unit else c.department
        c.observation(obs, fis.LineItemAmount, Cell(
            table, measure, value, row.get("source_line"), organization, c.unit_name(unit),
            "item"))
        c.add(obs, fis.item, item)
        c.add(obs, fis.detail, detail)


def project_occurrences(rows: Iterable[Row]) -> list[int]:
    """The occurrence number of each project row: 2, 3 … for a repeated (unit, name)."""
    seen = Occurrences()
    return [seen.next((compact(text(r.get("unit"))), compact(text(r.get("name"))))) for r in rows]


def _projects(c: _Context, rows: list[Row]) -> dict[str, URIRef]:
    """Map the projects; returns each project name's first IRI, for the indicators."""
    fis, by_name = c.fis, {}
    for row, occurrence in zip(rows, project_occurrences(rows), strict=True):
        name = text(row.get("name"))
        if not name:
            continue
        unit = text(row.get("unit"))
        unit_name = c.unit_names.get(compact(unit), unit)
        project = iris.project_iri_for_row({"unit": unit_name, "name": name}, c.document,
                                           c.base, occurrence)
        by_name.setdefault(compact(name), project)
        organization = _unit_organization(c, unit) if unit else c.department
        c.graph.add((project, RDF.type, fis.Project))
        c.label(project, name)
        c.graph.add((project, fis.unit, organization))
        c.add(project, fis.fiscalYear, c.year)
        c.graph.add((project, fis.phase, c.phase))
        c.graph.add((project, fis.table, c.table(row.get("table"))))
        code = text(row.get("function_code"))
        if code:
            c.graph.add((project, fis.functionCode, iris.code_iri("function", code, c.base)))
        c.add(project, fis.content, text(row.get("content")))
        c.add(project, fis.performanceTarget, text(row.get("performance_target")))
        c.add(project, fis.category, text(row.get("category")))
        c.add(project, fis.executionRate, amount(row.get("execution_rate")))
        c.provenance(project, row.get("source_line"))
        end = integer(row.get("end_line"))
        if end:
            c.add(project, fis.endLine, Literal(end, datatype=XSD.positiveInteger))
        for measure in PROJECT_MEASURES:
            value = amount(row.get(measure))
            if value is None:
                continue
            obs = URIRef(f"{project}/amount/{measure}")
            c.observation(obs, fis.ProjectAmount, Cell(
                text(row.get("table")), measure, value, row.get("source_line"), organization,
                unit_name, "project"))
            c.graph.add((obs, fis.project, project))
    return by_name


def _indicators(c: _Context, rows: list[Row], projects: dict[str, URIRef]) -> None:
    fis, seen = c.fis, Occurrences()
    for row in rows:
        scope_kind, scope_name = text(row.get("scope_kind")), text(row.get("scope_name"))
        levels = tuple(text(row.get(f"level{n}")) for n in (1, 2, 3))
        if not any(levels):
            continue
        measured = _measured(c, scope_kind, scope_name, projects)
        parent: URIRef | None = None
        printed = [depth for depth, name in enumerate(levels, start=1) if name]
        for depth in printed:  # a level the table leaves blank gets no node of its own
            path = levels[:depth] + ("",) * (3 - depth)
            is_leaf = depth == printed[-1]
            occurrence = seen.next((scope_kind, scope_name, path)) if is_leaf else 1
            node = iris.indicator_iri(c.doc_id, scope_kind, scope_name, path,  # type: ignore[arg-type]
                                      occurrence, c.base)
            c.graph.add((node, RDF.type, fis.PerformanceIndicator))
            c.label(node, levels[depth - 1])
            c.graph.add((node, fis.indicatorLevel, Literal(depth, datatype=XSD.integer)))
            c.graph.add((node, fis.measures, measured))
            if parent is not None:
                c.graph.add((node, fis.parentIndicator, parent))
            if is_leaf:
                c.add(node, fis.targetText, text(row.get("target_text")))
                c.add(node, fis.targetComparator, text(row.get("target_comparator")))
                c.add(node, fis.targetValue, amount(row.get("target_value")))
                c.add(node, fis.targetUnit, text(row.get("target_unit")))
                c.add(node, fis.actualText, text(row.get("actual_text")))
                c.graph.add((node, fis.table, c.table(row.get("table"))))
            c.provenance(node, row.get("source_line") if is_leaf else None)
            parent = node


def _measured(c: _Context, scope_kind: str, scope_name: str,
              projects: dict[str, URIRef]) -> URIRef:
    """What an indicator measures: a project of the document, the department, or a task."""
    kind = scope_kind.lower()
    if "project" in kind or "项目" in kind:
        project = projects.get(compact(scope_name))
        if project is None:  # a project the indicator table names but no project table lists
            project = iris.project_iri(c.department_name, c.document.get("fiscal_year"),
                                       text(c.document.get("kind")), None, scope_name,
                                       base=c.base)
            c.graph.add((project, RDF.type, c.fis.Project))
            c.label(project, scope_name)
            c.graph.add((project, c.fis.unit, c.department))
            c.provenance(project, None)
        return project
    if not scope_name or "department" in kind or "部门" in kind:
        return c.department
    task = iris.task_iri(c.doc_id, scope_name, c.base)
    c.graph.add((task, RDF.type, c.fis.Task))
    c.label(task, scope_name)
    return task


def _facts(c: _Context, rows: list[Row]) -> None:
    fis, seen = c.fis, Occurrences()
    for row in rows:
        key = text(row.get("key"))
        if not key:
            continue
        fact = iris.fact_iri(c.doc_id, key, seen.next(key), c.base)
        c.graph.add((fact, RDF.type, fis.Fact))
        c.add(fact, fis.key, key)
        value = row.get("value")
        c.add(fact, RDF.value, value if isinstance(value, Decimal) else text(value))
        c.add(fact, fis.unitText, text(row.get("unit")))
        c.add(fact, fis.evidence, text(row.get("evidence")))
        c.provenance(fact, row.get("source_line"))


def _problems(c: _Context, rows: list[Row]) -> None:
    fis, seen = c.fis, Occurrences()
    for row in rows:
        table, line = text(row.get("table")), integer(row.get("line")) or 0
        problem = iris.problem_iri(c.doc_id, table, line, seen.next((table, line)), c.base)
        c.graph.add((problem, RDF.type, fis.ExtractionProblem))
        c.add(problem, fis.severity, text(row.get("severity")))
        c.add(problem, RDFS.comment, text(row.get("message")))
        if table:
            c.graph.add((problem, fis.table, c.table(table)))
        c.provenance(problem, line)


def _tables(c: _Context, rows: list[Row]) -> None:
    fis = c.fis
    for row in rows:
        table = c.table(row.get("table"))
        c.add(table, DCTERMS.title, text(row.get("title")))
        for predicate, column, datatype in (
            (fis.firstLine, "first_line", XSD.positiveInteger),
            (fis.lastLine, "last_line", XSD.positiveInteger),
            (fis.rowCount, "rows", XSD.nonNegativeInteger),
        ):
            number = integer(row.get(column))
            if number is not None and (number > 0 or datatype == XSD.nonNegativeInteger):
                c.add(table, predicate, Literal(number, datatype=datatype))
        c.add(table, fis.extractionStatus, text(row.get("status")))
    for name in sorted(c.tables):  # every table an amount points at is declared
        table = iris.table_iri(c.doc_id, name, c.base)
        c.graph.add((table, RDF.type, fis.Table))
        c.graph.add((table, DCTERMS.isPartOf, c.doc))
        c.add(table, RDFS.label, name)
