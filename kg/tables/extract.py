"""Extraction entry points: documents in, tidy tables (pandas DataFrames) out.

``extract_documents`` reads every document it is given; a document that
cannot be read is reported in ``Extraction.errors`` and the others go on.
Amount columns hold ``decimal.Decimal`` values exactly as printed (or None);
``source_line`` is the 1-based line in the source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from kg.documents.reader import Document, DocumentError, read_document
from kg.documents.text import compact
from kg.tables.facts import extract_facts
from kg.tables.indicator_tables import indicator_table_rows
from kg.tables.items import ITEM_TABLES, item_rows
from kg.tables.kinds import table_name
from kg.tables.layout import LogicalTable, logical_tables
from kg.tables.organizations import organization_rows
from kg.tables.performance import extract_performance
from kg.tables.projects import project_rows
from kg.tables.schema import TABLES
from kg.tables.subjects import SUBJECT_TABLES, subject_rows
from kg.tables.summary import summary_rows
from kg.tables.units import unit_breakdown_rows

# Columns holding amounts: Decimal in memory, the printed digits in CSV.
DECIMAL_COLUMNS = {
    "amount",
    "value",
    "total",
    "fiscal_appropriation",
    "general_public_budget",
    "government_fund",
    "state_capital",
    "special_account",
    "other_funds",
    "business_income",
    "operating_income",
    "prior_year_carryover",
    "budget_initial",
    "budget_adjusted",
    "actual",
    "execution_rate",
    "target_value",
}
INTEGER_COLUMNS = {
    "source_line",
    "end_line",
    "first_line",
    "last_line",
    "rows",
    "line",
    "fiscal_year",
    "line_count",
    "block",
}
SUMMARY_TABLES = {"income_expenditure_summary", "fiscal_appropriation_summary"}
PERFORMANCE_TABLES = {
    "performance_targets",
    "evaluation_fund_use",
    "evaluation_indicators",
    "evaluation_results",
    "key_projects",
    "department_performance",
}
# Summary items that carry a document-wide figure.
_SUMMARY_FACTS = {
    ("income", "本年收入合计"): "income_total",
    ("expenditure", "本年支出合计"): "expenditure_total",
    ("income", "收入总计"): "income_grand_total",
    ("expenditure", "支出总计"): "expenditure_grand_total",
}


@dataclass
class Extraction:
    tables: dict[str, pd.DataFrame]
    errors: list[DocumentError] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(columns=list(columns)) for name, columns in TABLES.items()}


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    columns = list(TABLES[name])
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in DECIMAL_COLUMNS:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif column in INTEGER_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        else:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    return frame


def extract_document(doc: Document) -> dict[str, list[dict]]:
    """Every table and figure of one document, as rows of the contract tables."""
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    info = doc.info
    out["documents"].append(
        {
            "doc_id": doc.doc_id,
            "source_file": doc.source_file,
            "department": info.department,
            "province": info.province,
            "city": info.city,
            "district": info.district,
            "fiscal_year": info.fiscal_year,
            "kind": info.kind,
            "amount_unit": info.amount_unit,
            "title": info.title,
            "sha256": doc.sha256,
            "line_count": len(doc.lines),
        }
    )
    found_names: set[str] = set()
    tables = logical_tables(doc)
    for table in tables:
        name = table_name(table)
        before = sum(len(rows) for rows in out.values())
        try:
            _extract_table(doc, name, table, out)
        except Exception as error:  # one table's failure must not lose the document
            out["problems"].append(
                _table_problem(
                    doc, name, table, f"could not be read: {type(error).__name__}: {error}", "error"
                )
            )
        produced = sum(len(rows) for rows in out.values()) - before
        if name:
            found_names.add(name)
        status = _status(name, table, produced)
        out["tables"].append(
            {
                "doc_id": doc.doc_id,
                "table": name or "unrecognised",
                "title": table.title,
                "first_line": table.first_line,
                "last_line": table.last_line,
                "rows": len(table.rows) + (len(table.header) if not table.rows else 0),
                "status": status,
            }
        )
        if status == "unrecognised":
            out["problems"].append(
                _table_problem(doc, "", table, "is not a kind this extractor knows")
            )
        elif status == "unparsed":
            out["problems"].append(
                _table_problem(doc, name, table, "was recognised but no row could be read")
            )
    _add_narrative(doc, tables, out)
    out["organizations"] = organization_rows(doc, out)
    _resolve_lost_units(doc, out)
    _check_contents(doc, found_names | {r["table"] for r in out["tables"]}, out)
    return out


def _status(name: str, table: LogicalTable, produced: int) -> str:
    if not name:
        return "unrecognised"
    if name in PERFORMANCE_TABLES:
        return "parsed"  # read with the narrative by kg.tables.performance
    if produced:
        return "parsed"
    return "empty" if not table.rows else "unparsed"


def _extract_table(doc: Document, name: str, table: LogicalTable, out: dict) -> None:
    doc_id = doc.doc_id
    if name in SUBJECT_TABLES:
        amounts, totals = subject_rows(doc_id, name, table)
        out["subject_amounts"] += amounts
        out["totals"] += totals
    elif name in SUMMARY_TABLES:
        items = summary_rows(doc_id, name, table)
        out["summary_items"] += items
        for item in items:
            key = _SUMMARY_FACTS.get((item["side"], item["item"]))
            if key and item["measure"] in ("total", "actual", "budget"):
                prefix = "" if name == "income_expenditure_summary" else "fiscal_appropriation."
                out["facts"].append(
                    {
                        "doc_id": doc_id,
                        "key": prefix + key,
                        "value": item["amount"],
                        "unit": doc.info.amount_unit,
                        "source_line": item["source_line"],
                        "evidence": f"{table.title}: {item['item']}",
                    }
                )
    elif name == "basic_expenditure_by_unit":
        amounts, totals, organizations = unit_breakdown_rows(doc_id, name, table)
        out["subject_amounts"] += amounts
        out["totals"] += totals
        out["organizations"] += organizations
    elif name == "project_expenditure":
        result = project_rows(doc_id, name, table, doc.lines)
        out["projects"] += result.projects
        out["totals"] += result.totals
        out["organizations"] += result.organizations
        out["problems"] += result.problems
    elif name == "performance_target_table":
        out["indicators"] += indicator_table_rows(doc, name, table)
    elif name in ITEM_TABLES:
        items, facts = item_rows(doc_id, name, table, doc.info.amount_unit)
        out["line_items"] += items
        out["facts"] += facts
    if name == "expenditure_by_function":
        for row in subject_rows(doc_id, name, table)[0]:
            if row["code"] == "" and row["measure"] in ("basic", "project"):
                out["facts"].append(
                    {
                        "doc_id": doc_id,
                        "key": f"{row['measure']}_expenditure",
                        "value": row["amount"],
                        "unit": doc.info.amount_unit,
                        "source_line": row["source_line"],
                        "evidence": f"{table.title}: 合计",
                    }
                )


def _add_narrative(doc: Document, tables: list[LogicalTable], out: dict) -> None:
    """Facts and performance figures read from the prose (kg.tables.facts/performance)."""
    extractors = (
        ("narrative facts", lambda: extract_facts(doc)),
        ("performance sections", lambda: extract_performance(doc, tables=tables)),
    )
    for label, extractor in extractors:
        try:
            found = extractor()
        except Exception as error:  # reported, and the tables already read are kept
            out["problems"].append(
                _problem(
                    doc,
                    "",
                    1,
                    f"{label} could not be read: {type(error).__name__}: {error}",
                    "error",
                )
            )
            continue
        if isinstance(found, list):
            out["facts"] += found
        else:
            for name, rows in found.items():
                out[name] += rows


def _resolve_lost_units(doc: Document, out: dict) -> None:
    """Projects whose unit row was lost get the unit other tables print them under."""
    for project in out["projects"]:
        if not project["unit"].startswith("…"):
            continue
        tail = project["unit"][1:]
        for item in out["line_items"]:
            if item["item"] == compact(project["name"]) and item["unit"].endswith(tail):
                out["problems"].append(
                    _problem(
                        doc,
                        project["table"],
                        project["source_line"],
                        f"unit of {project['name']!r} taken from {item['table']} line "
                        f"{item['source_line']}: {item['unit']}",
                        "info",
                    )
                )
                project["unit"] = item["unit"]
                break


_CONTENTS_ENTRY = re.compile(r"^-?\s*[一二三四五六七八九十]+、(.+表.*)$")


def _check_contents(doc: Document, found: set[str], out: dict) -> None:
    """Every table the table of contents lists must have been found."""
    for number, line in enumerate(doc.lines[:120], start=1):
        match = _CONTENTS_ENTRY.match(compact(line).lstrip("-"))
        if not match:
            continue
        title = match.group(1)
        probe = LogicalTable(title=title, title_line=number, blocks=[], header=[], rows=[])
        name = table_name(probe)
        if name and name not in found:
            out["problems"].append(
                _problem(
                    doc,
                    name,
                    number,
                    f"the table of contents lists {title!r} but no such table was found",
                )
            )


def _table_problem(
    doc: Document, name: str, table: LogicalTable, what: str, severity: str = "warning"
) -> dict:
    """A problem naming the table by its title and the lines it spans."""
    label = table.title or name or "(untitled)"
    return _problem(
        doc,
        name,
        table.first_line,
        f"table {label!r} at lines {table.first_line}-{table.last_line} {what}",
        severity,
    )


def _problem(doc: Document, table: str, line: int, message: str, severity: str = "warning") -> dict:
    return {
        "doc_id": doc.doc_id,
        "table": table,
        "line": line,
        "severity": severity,
        "message": message,
    }


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the ``*.txt`` files of any directory given."""
    result: list[Path] = []
    for path in map(Path, paths):
        result.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return result


def extract_documents(
    paths: Iterable[str | Path],
    on_document: Callable[[Path, dict[str, list[dict]] | None, DocumentError | None], None]
    | None = None,
) -> Extraction:
    """Extract every document; unreadable ones land in ``errors``, the rest go on."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    errors: list[DocumentError] = []
    for path in expand_paths(paths):
        try:
            doc = read_document(path)
            found = extract_document(doc)
        except DocumentError as error:
            errors.append(error)
            if on_document:
                on_document(path, None, error)
            continue
        for name, table_rows in found.items():
            rows[name].extend(table_rows)
        if on_document:
            on_document(path, found, None)
    return Extraction({name: _frame(name, rows[name]) for name in TABLES}, errors)


def write_tables(extraction: Extraction, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
    """Write each table as ``NAME.csv`` (UTF-8) or ``NAME.parquet``; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in extraction.tables.items():
        if fmt == "parquet":
            path = out / f"{name}.parquet"
            _as_text(frame).to_parquet(path, index=False)
        else:
            path = out / f"{name}.csv"
            _as_text(frame).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Amounts as their printed digits, so nothing is rounded on the way out."""
    copy = frame.copy()
    for column in copy.columns:
        if column in DECIMAL_COLUMNS:
            copy[column] = copy[column].map(lambda v: "" if v is None else str(v))
    return copy


def read_tables(directory: str | Path) -> Extraction:
    """Load the tables ``kg extract --out DIR`` wrote (CSV or Parquet)."""
    directory = Path(directory)
    tables = {}
    for name in TABLES:
        csv, parquet = directory / f"{name}.csv", directory / f"{name}.parquet"
        if parquet.exists():
            frame = pd.read_parquet(parquet)
        elif csv.exists():
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
        else:
            tables[name] = empty_tables()[name]
            continue
        for column in frame.columns:
            if column == "value":  # a fact is a number, or a text such as a reason
                frame[column] = frame[column].map(_decimal_or_text).astype(object)
            elif column in DECIMAL_COLUMNS:
                frame[column] = frame[column].map(_decimal_or_none).astype(object)
            elif column in INTEGER_COLUMNS:
                frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
        tables[name] = frame
    return Extraction(tables)


def _decimal_or_none(value: object) -> Decimal | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _decimal_or_text(value: object) -> Decimal | str | None:
    number = _decimal_or_none(value)
    if number is None and isinstance(value, str) and value:
        return value
    return number
