"""``kg validate``: SHACL-check each document, print a readable report, write the machine one."""

from __future__ import annotations

import argparse
from pathlib import Path

from rdflib import Dataset

from kg.graph.command import add_input_arguments, load_extraction
from kg.graph.iris import base_iri
from kg.graph.serialize import FORMATS, format_for, write
from kg.validation.validate import validate_extraction


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "validate",
        help="check documents with the SHACL shapes (structure and arithmetic)",
        description="Validate each document's graph: prints what fails, where and by how "
        "much; writes the sh:ValidationReport graphs (one named graph per document).",
    )
    add_input_arguments(parser)
    parser.add_argument("--report", help="write the machine-readable reports here (.trig .nq "
                        ".jsonld keep one named graph per document)")
    parser.add_argument("--format", choices=sorted(FORMATS))
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when any document has a violation")
    parser.add_argument("--quiet", action="store_true", help="print only the per-document counts")
    parser.add_argument("--jobs", type=int, default=1,
                        help="validate documents in this many processes (default 1)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    base = base_iri(args.base)
    extraction = load_extraction(args)
    reports = Dataset()
    violations = 0
    for report in validate_extraction(extraction, base, jobs=args.jobs):
        print(report.text.splitlines()[0] if args.quiet else report.text)
        violations += len(report.violations)
        reports.graph(report.graph.identifier).__iadd__(report.graph)
    if args.report:
        path = write(reports, args.report, args.format or format_for(args.report), base)
        print(f"wrote the validation reports to {Path(path)}")
    return 1 if args.strict and violations else 0
