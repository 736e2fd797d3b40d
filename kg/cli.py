"""The ``kg`` command: one sub-command per pipeline stage.

Each stage's package owns its sub-commands in a ``command`` module with a
``register(subparsers)`` function, so the pipeline reads top to bottom here.
"""

from __future__ import annotations

import argparse
import importlib
import sys

STAGES = (
    "kg.tables.command",      # documents -> tables   (kg extract)
    "kg.graph.command",       # tables -> RDF          (kg map)
    "kg.validation.command",  # RDF -> SHACL report    (kg validate)
    "kg.store.command",       # RDF -> store           (kg build, kg load)
    "kg.web.command",         # store -> HTTP          (kg serve)
    "kg.lineage.command",     # projects -> links      (kg link)
)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)
    for name in STAGES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # a real missing dependency, not an absent stage
                raise
            continue
        module.register(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
