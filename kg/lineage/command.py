"""``kg link``: link projects across years and districts, and say how.

    kg link data/corpus --report                  # chains, merges, splits, families
    kg link data/corpus --out var/lineage         # CSV, TriG, GraphML, SVG pictures
    kg link --tables var/tables --load --store-dir var/store  # from `kg extract` output
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import networkx as nx

from kg.lineage.export import chain_picture, family_picture, report, write_csv
from kg.lineage.graph import Lineage, graphml_ready
from kg.lineage.projects import unplaced_rows
from kg.lineage.rdf import link_extraction
from kg.store.command import DEFAULT_DOCS, add_store_options, document_paths, say, store_from


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "link", help="link projects across years (chains, merges, splits) and districts (families)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("documents", nargs="*", type=Path,
                        help=f"document files or folders of *.txt (default: {DEFAULT_DOCS})")
    parser.add_argument("--tables", type=Path, default=None,
                        help="read the tables `kg extract --out DIR` wrote instead of documents")
    parser.add_argument("--report", action="store_true", help="print chains and families")
    parser.add_argument("--limit", type=int, default=50, help="items per report section")
    parser.add_argument("--out", type=Path, default=None,
                        help="write CSV, lineage.trig, lineage.graphml and SVG pictures here")
    parser.add_argument("--chain", type=int, default=1,
                        help="which chain to draw in chain.svg (1 = the longest)")
    parser.add_argument("--family", type=int, default=1,
                        help="which family to draw in family.svg (1 = the largest)")
    parser.add_argument("--base", default=None, help="base IRI to mint under")
    parser.add_argument("--load", action="store_true",
                        help="replace the lineage graph in the store (see --store-dir)")
    add_store_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    clock = time.perf_counter()
    try:
        extraction = _extraction(args)
    except (FileNotFoundError, ValueError) as error:
        say(f"kg link: {error}")
        return 2
    for error in extraction.errors:
        say(f"kg link: {error}")
    tables = extraction.tables
    for problem in unplaced_rows(tables["projects"], tables["documents"]):
        say(f"kg link: skipped {problem}")
    lineage, graph = link_extraction(extraction, args.base)
    say(f"kg link: {len(lineage.projects)} projects, {len(lineage.lineage_links())} lineage links, "
        f"{len(lineage.chains)} chains, {len(lineage.families)} families "
        f"in {time.perf_counter() - clock:.1f} s")
    if args.report or not (args.out or args.load):
        for line in report(lineage, args.limit):
            print(line)
    if args.out:
        for path in _write(lineage, graph, args):
            say(f"wrote {path}")
    if args.load:
        return _load(graph, args)
    return 0


def _extraction(args: argparse.Namespace):  # noqa: ANN202 - kg.tables.extract.Extraction
    from kg.tables.extract import extract_documents, read_tables

    if args.tables:
        if not args.tables.is_dir():
            raise FileNotFoundError(f"{args.tables}: no such folder of tables")
        return read_tables(args.tables)
    paths = document_paths(args.documents or [DEFAULT_DOCS])
    if not paths:
        raise ValueError("no documents to link")
    return extract_documents(paths)


def _write(lineage: Lineage, graph, args: argparse.Namespace) -> list[Path]:  # noqa: ANN001
    out: Path = args.out
    written = write_csv(lineage, out)
    trig = out / "lineage.trig"
    graph.serialize(trig, format="trig")
    graphml = out / "lineage.graphml"
    nx.write_graphml(graphml_ready(lineage), graphml)
    written += [trig, graphml]
    if lineage.chains and 1 <= args.chain <= len(lineage.chains):
        path = out / "chain.svg"
        path.write_text(chain_picture(lineage, args.chain - 1), encoding="utf-8")
        written.append(path)
    if lineage.families and 1 <= args.family <= len(lineage.families):
        path = out / "family.svg"
        path.write_text(family_picture(lineage, args.family - 1), encoding="utf-8")
        written.append(path)
    return written


def _load(graph, args: argparse.Namespace) -> int:  # noqa: ANN001 - an rdflib Graph
    from kg.store import StoreError

    store = store_from(args)
    try:
        store.load({str(graph.identifier): graph})
        version = store.version
    except StoreError as error:
        say(f"kg link: loading failed, the store is as it was: {error}")
        return 1
    finally:
        store.close()
    say(f"kg link: loaded {graph.identifier} ({len(graph)} triples), store version {version}")
    return 0


if __name__ == "__main__":
    from kg.cli import main

    sys.exit(main(["link", *sys.argv[1:]]))
