"""Deterministic IRIs minted from natural keys.

Every resource's IRI is built from what identifies it in the world (place,
department, year, kind, code, measure, unit, name …), never from a counter
or a random number, so rebuilding gives the same IRIs and a duplicate is
impossible by construction. Where a document prints the same key twice (a
code repeated for a second unit whose name is not printed) an occurrence
number in source order tells them apart: ``…/n2`` for the second.

The scheme (``{base}`` defaults to ``http://localhost:8000/``; override with
``--base`` or the ``KG_BASE_IRI`` environment variable):

=============================  ================================================
ontology terms                 ``{base}def/fiscal#Observation``
document (dataset)             ``{base}id/doc/{doc_id}``
dataset series                 ``{base}id/series/{department}/{kind}``
table of a document            ``{base}id/doc/{doc_id}/table/{table}``
slice (a column of a table)    ``{base}id/slice/{doc_id}/{table}/{unit}/{measure}``
printed row of a table         ``{base}id/row/{doc_id}/{table}/{line}/{kind}``
observation (one amount)       ``{base}id/obs/{doc_id}/{table}/{subject}/{unit}/{measure}``
project                        ``{base}id/project/{department}/{year}/{kind}/{unit}/{name}``
performance indicator          ``{base}id/indicator/{doc_id}/{scope}/{level1}/{level2}/{level3}``
organisation                   ``{base}id/org/{department}`` and ``…/{department}/{unit}``
place                          ``{base}id/place/{province}/{city}/{district}``
code list / code               ``{base}id/code/function`` / ``{base}id/code/function/2010301``
unit of amounts                ``{base}id/unit/wan-yuan``
named graphs                   ``{base}graph/doc/{doc_id}``, ``{base}graph/ontology``,
                               ``{base}graph/codes``, ``{base}graph/validation/{doc_id}``,
                               ``{base}graph/lineage``
=============================  ================================================

Path segments are the natural key's text with whitespace removed (OCR wraps
names over lines) and percent-encoded as UTF-8, so the IRIs are plain URIs
that HTTP clients send unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from rdflib import Namespace, URIRef

from kg.documents.text import compact

DEFAULT_BASE = "http://localhost:8000/"
BLANK_SEGMENT = "-"  # stands for a key part the document does not print

# Units of amounts as printed, with the slug their IRI uses.
UNIT_SLUGS: dict[str, str] = {
    "元": "yuan", "千元": "qian-yuan", "万元": "wan-yuan", "亿元": "yi-yuan",
}


def base_iri(base: str | None = None) -> str:
    """The base to mint under: ``base`` if given, else ``$KG_BASE_IRI``, else the default."""
    chosen = base or os.environ.get("KG_BASE_IRI") or DEFAULT_BASE
    return chosen if chosen.endswith("/") else chosen + "/"


def ontology_namespace(base: str | None = None) -> Namespace:
    return Namespace(f"{base_iri(base)}def/fiscal#")


def segment(value: Any) -> str:
    """One path segment from a key part: whitespace-free, percent-encoded, never empty."""
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return BLANK_SEGMENT
    return _encoded(str(value))


@lru_cache(maxsize=65536)
def _encoded(text: str) -> str:  # the same names and codes recur thousands of times
    text = compact(text)
    return quote(text, safe="") if text else BLANK_SEGMENT


def _mint(base: str | None, *parts: Any) -> URIRef:
    return URIRef(base_iri(base) + "/".join(segment(p) for p in parts))


def _with_occurrence(iri: URIRef, occurrence: int) -> URIRef:
    return iri if occurrence <= 1 else URIRef(f"{iri}/n{occurrence}")


def graph_iri(kind: str, doc_id: str | None = None, base: str | None = None) -> URIRef:
    """A named graph: ``graph_iri("doc", "x")``, ``graph_iri("codes")``."""
    return _mint(base, "graph", kind) if doc_id is None else _mint(base, "graph", kind, doc_id)


def document_iri(doc_id: str, base: str | None = None) -> URIRef:
    return _mint(base, "id", "doc", doc_id)


def series_iri(department: str, kind: str, base: str | None = None) -> URIRef:
    return _mint(base, "id", "series", department, kind)


def table_iri(doc_id: str, table: str, base: str | None = None) -> URIRef:
    return _mint(base, "id", "doc", doc_id, "table", table)


def source_line_iri(doc_id: str, line: int, base: str | None = None) -> URIRef:
    """A line of a source document, so provenance can point at it."""
    return _mint(base, "id", "doc", doc_id, "line", int(line))


def place_iri(province: str, city: str = "", district: str = "", base: str | None = None) -> URIRef:
    parts = [p for p in (province, city, district) if p]
    return _mint(base, "id", "place", *(parts or [BLANK_SEGMENT]))


def organization_iri(department: str, unit: str | None = None, base: str | None = None) -> URIRef:
    """The department as a whole, or one of its units / internal bodies.

    A unit printed with the department's own name is the department's own
    budget unit (本级), not the department as a whole (whose budget sums all
    units): it gets the IRI of "{department}本级", as documents that print
    "…局本级" name it.
    """
    if not unit:
        return _mint(base, "id", "org", department)
    if compact(unit) == compact(department):
        unit = f"{department}本级"
    return _mint(base, "id", "org", department, unit)


def code_scheme_iri(classification: str, base: str | None = None) -> URIRef:
    return _mint(base, "id", "code", classification)


def code_iri(classification: str, code: str, base: str | None = None) -> URIRef:
    return _mint(base, "id", "code", classification, code)


def code_level_iri(classification: str, depth: int, base: str | None = None) -> URIRef:
    return _mint(base, "id", "code", classification, "level", depth)


def measure_iri(measure: str, base: str | None = None) -> URIRef:
    return code_iri("measure", measure, base)


def phase_iri(kind: str, base: str | None = None) -> URIRef:
    return code_iri("phase", kind, base)


def amount_unit_iri(unit: str, base: str | None = None) -> URIRef:
    return _mint(base, "id", "unit", UNIT_SLUGS.get(compact(unit), unit or BLANK_SEGMENT))


def observation_iri(
    doc_id: str,
    table: str,
    subject: str,
    unit: str | None,
    measure: str,
    occurrence: int = 1,
    base: str | None = None,
    *,
    block: int | None = None,
    panel: str | None = None,
) -> URIRef:
    """One amount: ``subject`` is what the row is about (``function-2010301``,
    ``total``, an item); ``block`` (from the second, 1) and ``panel`` tell apart
    the per-unit blocks and the sides of a table that repeats its codes.
    """
    parts: list[object] = ["id", "obs", doc_id, table, subject, unit, measure]
    if block:
        parts.append(f"b{block}")
    if panel:
        parts.append(f"p-{compact(panel)}")
    return _with_occurrence(_mint(base, *parts), occurrence)


def slice_iri(
    doc_id: str,
    table: str,
    unit: str | None,
    measure: str,
    base: str | None = None,
    *,
    block: int | None = None,
    panel: str | None = None,
) -> URIRef:
    """The Data Cube slice of one table's column for one unit (and block and panel):
    the observations that must add up to each other."""
    parts: list[object] = ["id", "slice", doc_id, table, unit, measure]
    if block:
        parts.append(f"b{block}")
    if panel:
        parts.append(f"p-{compact(panel)}")
    return _mint(base, *parts)


def row_iri(doc_id: str, table: str, line: int | None, kind: str, side: str | None = None,
            base: str | None = None) -> URIRef:
    """One printed row of a table: the amounts of its columns, read from one line.

    ``kind`` tells apart what extraction read from the line (subject, total,
    summary, item, project); ``side`` the two halves of a two-sided line.
    """
    parts: list[object] = ["id", "row", doc_id, table, line or 0, kind]
    if side:
        parts.append(side)
    return _mint(base, *parts)


def task_iri(doc_id: str, name: str, base: str | None = None) -> URIRef:
    return _mint(base, "id", "task", doc_id, name)


def project_iri(
    department: str,
    fiscal_year: int | str | None,
    kind: str,
    unit: str | None,
    name: str,
    occurrence: int = 1,
    base: str | None = None,
) -> URIRef:
    """A project as one document lists it (the lineage stage links them across years)."""
    iri = _mint(base, "id", "project", department, fiscal_year, kind, unit, name)
    return _with_occurrence(iri, occurrence)


def project_iri_for_row(
    row: Mapping[str, Any],
    documents_row: Mapping[str, Any],
    base: str | None = None,
    occurrence: int = 1,
) -> URIRef:
    """The IRI ``kg map`` gives a row of the ``projects`` table.

    ``documents_row`` is the row of the ``documents`` table for the project's
    document. ``occurrence`` is 2, 3 … for a project the same document lists
    again under the same unit and name (``project_occurrences`` computes it).
    """
    return project_iri(
        documents_row["department"],
        documents_row["fiscal_year"],
        documents_row["kind"],
        row.get("unit"),
        row["name"],
        occurrence,
        base,
    )


def indicator_iri(
    doc_id: str,
    scope_kind: str,
    scope_name: str,
    levels: tuple[str, str, str],
    occurrence: int = 1,
    base: str | None = None,
) -> URIRef:
    iri = _mint(base, "id", "indicator", doc_id, scope_kind, scope_name, *levels)
    return _with_occurrence(iri, occurrence)


def fact_iri(doc_id: str, key: str, occurrence: int = 1, base: str | None = None) -> URIRef:
    return _with_occurrence(_mint(base, "id", "fact", doc_id, key), occurrence)


def problem_iri(doc_id: str, table: str, line: int, occurrence: int = 1,
                base: str | None = None) -> URIRef:
    return _with_occurrence(_mint(base, "id", "problem", doc_id, table, line), occurrence)
