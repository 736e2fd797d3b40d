"""SHACL validation of a graph about to be written through the endpoint."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import rdflib
from pyshacl import validate

SHAPES_DIR = Path(__file__).resolve().parents[2] / "shapes"


@lru_cache(maxsize=1)
def shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def shacl_report(data: rdflib.Graph) -> tuple[bool, str]:
    """Whether ``data`` conforms to the project's shapes, and the report as text."""
    conforms, _, text = validate(data, shacl_graph=shapes(), inference="none",
                                 allow_warnings=True)
    return bool(conforms), str(text)
