"""``kg extract``: documents to tidy tables on disk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from kg.documents.reader import DocumentError
from kg.tables.extract import expand_paths, extract_documents, write_tables


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "extract",
        help="extract every table and figure of budget documents into tidy tables",
        description="Read budget / final-accounts documents (text converted from PDF) and "
        "write one CSV (or Parquet) file per table, every row with doc_id and source_line.",
    )
    parser.add_argument("documents", nargs="+", help="document files or folders of *.txt")
    parser.add_argument("--out", required=True, help="folder to write the tables into")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.set_defaults(run=run)


def summary_line(path: Path, found: dict[str, list[dict]]) -> str:
    tables = found["tables"]
    rows = sum(t["rows"] or 0 for t in tables)
    unplaced = [p for p in found["problems"] if p["severity"] != "info"]
    text = (
        f"{path.name}: {len(tables)} tables, {rows} rows, {len(found['projects'])} projects, "
        f"{len(found['indicators'])} indicators, {len(found['facts'])} facts"
    )
    if unplaced:
        text += f", {len(unplaced)} not placed:"
        text += "".join(f"\n    line {p['line']} [{p['table']}] {p['message']}" for p in unplaced)
    return text


def run(args: argparse.Namespace) -> int:
    paths = expand_paths(args.documents)
    progress = tqdm(
        total=len(paths), unit="doc", disable=args.quiet or len(paths) < 2, file=sys.stderr
    )
    lines: list[str] = []

    def on_document(path: Path, found: dict | None, error: DocumentError | None) -> None:
        progress.update(1)
        lines.append(f"{path.name}: ERROR {error.reason}" if error else summary_line(path, found))

    extraction = extract_documents(paths, on_document=on_document)
    progress.close()
    write_tables(extraction, args.out, args.format)
    if not args.quiet:
        for line in lines:
            print(line)
        print(f"wrote {len(extraction.tables)} tables to {args.out}")
    for error in extraction.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if extraction.errors else 0
