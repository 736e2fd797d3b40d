"""``kg build`` (documents -> tables -> RDF -> validation -> store) and ``kg load`` (RDF files)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

import rdflib

from kg.store import DEFAULT_STORE_DIR, Store, StoreError, open_store

DEFAULT_DOCS = Path("data/corpus")


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """The options choosing a store, shared by build, load and serve."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--store-dir", type=Path, default=None,
                       help=f"embedded Oxigraph store directory (default: ./{DEFAULT_STORE_DIR})")
    where.add_argument("--store-url", default=None,
                       help="an external SPARQL 1.1 query (and update) endpoint instead")
    parser.add_argument("--graph-store-url", default=None,
                        help="its Graph Store HTTP Protocol endpoint, for graph uploads")


def store_from(args: argparse.Namespace, serving: bool = False) -> Store:
    in_memory = serving and not getattr(args, "on_disk", False)
    return open_store(args.store_dir, args.store_url, args.graph_store_url, in_memory)


def document_paths(arguments: Iterable[str | Path]) -> list[Path]:
    """Each argument as a document, a directory standing for the ``*.txt`` files in it."""
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            paths.extend(sorted(path.glob("*.txt")))
        elif path.exists():
            paths.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such document or directory")
    return paths


def say(message: str) -> None:
    print(message, file=sys.stderr)


def add_validation_reports(dataset: rdflib.Dataset, extraction: object, base: str | None) -> int:
    """Validate each document (kg.validation) and add its report graph beside it.

    Returns the number of violations found; a document that fails validation is
    still loaded, with its report, so users can query what failed.
    """
    from kg.validation.validate import validate_extraction

    violations = 0
    for report in validate_extraction(extraction, base):  # type: ignore[arg-type]
        named = dataset.graph(report.graph.identifier)
        named += report.graph
        violations += len(report.violations)
        say(report.text.splitlines()[0])
    return violations


def add_lineage(dataset: rdflib.Dataset, extraction: object, base: str | None) -> None:
    """Link the projects of the documents being built (kg.lineage) into their own graph.

    The lineage graph covers the documents of this build: building a subset
    replaces it with the links among that subset.
    """
    from kg.lineage.rdf import link_extraction

    _, lineage = link_extraction(extraction, base)
    target = dataset.graph(lineage.identifier)
    for triple in lineage:
        target.add(triple)


def keep_codes_of_other_documents(store: Store, dataset: rdflib.Dataset,
                                  base: str | None) -> None:
    """Add the store's code lists to the dataset's: building some documents must not
    drop the codes the documents already in the store print (the graph is shared)."""
    from kg.graph.iris import graph_iri
    from kg.store.terms import add_triples

    codes = str(graph_iri("codes", base=base))
    existing = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{codes}> {{ ?s ?p ?o }} }}")
    add_triples(dataset.graph(rdflib.URIRef(codes)), existing.triples)  # type: ignore


def build(args: argparse.Namespace) -> int:
    from kg.graph.mapping import map_extraction
    from kg.tables.extract import extract_documents

    try:
        paths = document_paths(args.documents or [DEFAULT_DOCS])
    except FileNotFoundError as error:
        say(f"kg build: {error}")
        return 2
    extraction = extract_documents(paths)
    for error in extraction.errors:
        say(f"kg build: {error}")
    dataset = map_extraction(extraction, args.base)
    if not args.skip_validation:
        add_validation_reports(dataset, extraction, args.base)
    if not args.skip_lineage:
        add_lineage(dataset, extraction, args.base)
    store = store_from(args)
    try:
        keep_codes_of_other_documents(store, dataset, args.base)
        loaded = store.load(dataset)
    except StoreError as error:
        say(f"kg build: loading stopped: {error} (graphs already reported loaded stay; "
            "the others are as they were)")
        return 1
    graphs = {graph.iri: graph.triples for graph in store.graphs()}
    for iri in loaded:
        say(f"loaded {iri} ({graphs.get(iri, 0)} triples)")
    say(f"store version {store.version}: {len(loaded)} graphs from {len(paths)} documents")
    store.close()
    if args.serve:
        from kg.web.command import serve_store

        del store  # the directory's lock goes with it; serving reopens it
        return serve_store(store_from(args, serving=True), args)
    return 1 if extraction.errors else 0


def load(args: argparse.Namespace) -> int:
    """Load RDF files: TriG/N-Quads by their graphs, triple formats into ``--graph``."""
    from pyoxigraph import DefaultGraph, parse

    store = store_from(args)
    status = 0
    for path in args.files:
        by_graph: dict[str, list[object]] = {}
        done: list[str] = []
        try:
            for quad in parse(path=str(path), base_iri=args.graph):
                if isinstance(quad.graph_name, DefaultGraph):
                    if not args.graph:
                        raise StoreError("triples outside a named graph: give --graph IRI")
                    name = args.graph
                else:
                    name = quad.graph_name.value
                by_graph.setdefault(name, []).append(quad.triple)
            for iri, triples in by_graph.items():
                store.replace_graph(iri, triples)
                done.append(iri)
                say(f"loaded {iri} ({len(triples)} triples) from {path}")
        except (SyntaxError, ValueError, OSError, StoreError) as error:
            kept = f"only {', '.join(done)} loaded" if done else "nothing of it was loaded"
            say(f"kg load: {path}: {error} ({kept}; each graph is all or nothing)")
            status = 1
    say(f"store version {store.version}")
    store.close()
    return status


def register(commands: argparse._SubParsersAction) -> None:
    from kg.web.command import add_serve_options

    builder = commands.add_parser(
        "build", help="extract, map, validate and load documents into the store",
        description="Documents -> tables -> RDF -> SHACL -> store, one named graph per "
                    "document, each loaded atomically.")
    builder.add_argument("documents", nargs="*", type=Path,
                         help=f"documents or directories of them (default: {DEFAULT_DOCS})")
    builder.add_argument("--base", default=None, help="base IRI to mint under")
    builder.add_argument("--skip-validation", action="store_true",
                         help="load without running the SHACL shapes (no validation graphs)")
    builder.add_argument("--skip-lineage", action="store_true",
                         help="load without linking projects across years (no lineage graph)")
    add_store_options(builder)
    builder.add_argument("--serve", action="store_true", help="then serve the store")
    add_serve_options(builder)
    builder.set_defaults(run=build)

    loader = commands.add_parser("load", help="load RDF files into the store, atomically")
    loader.add_argument("files", nargs="+", type=Path)
    loader.add_argument("--graph", default=None, help="graph for files holding plain triples")
    add_store_options(loader)
    loader.set_defaults(run=load)
