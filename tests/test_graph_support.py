"""Shared by the graph and validation tests: the hand-copied sample extraction.

``tests/fixtures/graph/panyu-2023-sample.json`` holds real rows of the Panyu
2023 budget copied by hand in the shape of ``kg/tables/schema.py``; this turns
it into an ``Extraction`` the way the extractor delivers one (amounts as
``Decimal``, every contract column present).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kg.tables.extract import Extraction
from kg.tables.schema import MEASURES, TABLES

FIXTURES = Path(__file__).parent / "fixtures" / "graph"
AMOUNT_COLUMNS = set(MEASURES) | {"amount", "budget_initial", "budget_adjusted", "target_value"}


def sample_rows() -> dict[str, list[dict]]:
    return json.loads((FIXTURES / "panyu-2023-sample.json").read_text(encoding="utf-8"))


def extraction_from_rows(rows: dict[str, list[dict]]) -> Extraction:
    doc_id = rows["documents"][0]["doc_id"]
    tables = {}
    for name, columns in TABLES.items():
        records = []
        for row in rows.get(name, []):
            record = {column: row.get(column) for column in columns}
            record["doc_id"] = row.get("doc_id", doc_id)
            for column in columns:
                if isinstance(record[column], str) and (
                    column in AMOUNT_COLUMNS or (name == "facts" and column == "value")
                ):
                    record[column] = Decimal(record[column])
            records.append(record)
        tables[name] = pd.DataFrame(records, columns=list(columns))
    return Extraction(tables=tables)


def sample_extraction() -> Extraction:
    return extraction_from_rows(sample_rows())
