"""Writing graphs: Turtle, N-Triples, N-Quads, TriG and JSON-LD.

Formats that carry named graphs (TriG, N-Quads, JSON-LD) keep one graph per
document; Turtle and N-Triples hold triples only, so they get the union.
JSON-LD is compacted with ``context.jsonld`` so its keys read as words
(``amount``, ``sourceLine``, ``label``) rather than full IRIs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from kg.graph.iris import base_iri
from kg.graph.ontology import rebased

CONTEXT_FILE = Path(__file__).with_name("context.jsonld")

# format name → (rdflib plugin, file suffix, keeps named graphs)
FORMATS: dict[str, tuple[str, str, bool]] = {
    "trig": ("trig", ".trig", True),
    "nquads": ("nquads", ".nq", True),
    "json-ld": ("json-ld", ".jsonld", True),
    "turtle": ("turtle", ".ttl", False),
    "ntriples": ("nt", ".nt", False),
}
SUFFIXES = {suffix: name for name, (_, suffix, _) in FORMATS.items()} | {".json": "json-ld"}


def format_for(path: str | Path, default: str = "trig") -> str:
    """The format a file name asks for by its suffix, else ``default``."""
    return SUFFIXES.get(Path(path).suffix.lower(), default)


@cache
def jsonld_context(base: str | None = None) -> dict[str, Any]:
    """The JSON-LD context (its ``@context`` object), under ``base``."""
    text = rebased(CONTEXT_FILE.read_text(encoding="utf-8"), base_iri(base))
    return json.loads(text)["@context"]


def serialize(graph: Graph | Dataset, fmt: str, base: str | None = None) -> str:
    """``graph`` in format ``fmt`` (a key of ``FORMATS``)."""
    plugin, _, keeps_graphs = FORMATS[fmt]
    if isinstance(graph, Dataset) and not keeps_graphs:
        union = Graph()
        for prefix, namespace in graph.namespaces():
            union.bind(prefix, namespace)
        for s, p, o, _ in graph.quads((None, None, None, None)):
            union.add((s, p, o))
        graph = union
    if plugin == "json-ld":
        return graph.serialize(format=plugin, context=jsonld_context(base), auto_compact=True)
    return graph.serialize(format=plugin)


def write(graph: Graph | Dataset, path: str | Path, fmt: str | None = None,
          base: str | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(serialize(graph, fmt or format_for(path), base), encoding="utf-8")
    return path
