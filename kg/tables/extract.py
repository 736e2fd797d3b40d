"""Extraction entry points: documents in, tidy tables (pandas DataFrames) out.

``extract_documents`` reads every document it is given; a document that
cannot be read is reported in ``Extraction.errors`` and the others go on.
Amount columns hold ``decimal.Decimal`` values exactly as printed (or None);
``source_line`` is the 1-based line in the source text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg.documents.reader import DocumentError
from kg.tables.schema import TABLES


@dataclass
class Extraction:
    tables: dict[str, pd.DataFrame]
    errors: list[DocumentError] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(columns=list(columns)) for name, columns in TABLES.items()}


def extract_documents(paths: Iterable[str | Path]) -> Extraction:  # filled in by the extractor
    raise NotImplementedError
