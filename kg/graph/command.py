"""``kg map``: tidy tables to RDF, written as TriG, N-Quads, JSON-LD, Turtle or N-Triples."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.graph.iris import base_iri
from kg.graph.mapping import map_extraction
from kg.graph.serialize import FORMATS, format_for, write
from kg.tables.extract import Extraction, expand_paths, extract_documents, read_tables


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs ``kg map`` and ``kg validate`` share: documents, or tables on disk."""
    parser.add_argument("documents", nargs="*", help="document files or folders of *.txt")
    parser.add_argument("--tables", help="a folder of tables written by `kg extract --out`")
    parser.add_argument("--base", help="base IRI (default $KG_BASE_IRI or http://localhost:8000/)")


def load_extraction(args: argparse.Namespace) -> Extraction:
    """The extraction the arguments name; ``SystemExit`` naming the problem if none."""
    if args.tables:
        if not Path(args.tables).is_dir():
            raise SystemExit(f"kg: --tables {args.tables}: no such folder")
        return read_tables(args.tables)
    if not args.documents:
        raise SystemExit("kg: give documents (files or folders) or --tables DIR")
    extraction = extract_documents(expand_paths(args.documents))
    for error in extraction.errors:
        print(f"kg: skipped {error}", file=sys.stderr)
    return extraction


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "map",
        help="map extracted tables to RDF under the fiscal ontology",
        description="Turn documents (or tables written by `kg extract`) into RDF: one named "
        "graph per document plus the ontology and code lists.",
    )
    add_input_arguments(parser)
    parser.add_argument("--out", required=True,
                        help="file to write; its suffix picks the format (.trig .nq .jsonld "
                        ".ttl .nt) unless --format is given")
    parser.add_argument("--format", choices=sorted(FORMATS))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    extraction = load_extraction(args)
    base = base_iri(args.base)
    dataset = map_extraction(extraction, base)
    fmt = args.format or format_for(args.out)
    path = write(dataset, args.out, fmt, base)
    graphs = sum(1 for g in dataset.graphs() if len(g))
    print(f"wrote {len(dataset)} quads in {graphs} graphs to {path} ({fmt})")
    return 0
