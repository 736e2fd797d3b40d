"""Writes through the web layer: SHACL-validated first, then committed atomically.

A SPARQL Update is first applied to a scratch copy of the dataset; every graph
it changes is validated with the SHACL shapes, and only when all conform is the
update run against the store (422 with the report otherwise). One write at a
time, so what was validated is what gets committed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import anyio
import rdflib
from fastapi import Request, Response
from pyoxigraph import Quad, RdfFormat
from pyoxigraph import Store as Oxigraph

from kg.store.base import QuerySyntaxError, Store, StoreError
from kg.store.terms import to_rdflib
from kg.web.sparql import problem
from kg.web.sparql_shacl import shacl_report

WRITE_LOCK = threading.Lock()


class ValidationFailed(Exception):
    def __init__(self, graph_iri: str, report: str):
        super().__init__(f"{graph_iri} does not conform to the shapes")
        self.graph_iri = graph_iri
        self.report = report


def as_rdflib(triples: Iterable[object]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        subject, predicate, obj = (triple.subject, triple.predicate,  # type: ignore[attr-defined]
                                   triple.object)  # type: ignore[attr-defined]
        graph.add((to_rdflib(subject), to_rdflib(predicate), to_rdflib(obj)))  # type: ignore[arg-type]
    return graph


def graph_contents(scratch: Oxigraph) -> dict[str, set[Quad]]:
    contents: dict[str, set[Quad]] = {}
    for quad in scratch:
        name = getattr(quad.graph_name, "value", "")
        contents.setdefault(name, set()).add(quad)
    return contents


def validate(graph_iri: str, triples: Iterable[object]) -> None:
    conforms, report = shacl_report(as_rdflib(triples))
    if not conforms:
        raise ValidationFailed(graph_iri, report)


def checked_update(store: Store, update: str, validate_writes: bool) -> None:
    """Validate what ``update`` would make of each graph it changes, then run it."""
    with WRITE_LOCK:
        if validate_writes:
            scratch = Oxigraph()
            scratch.load(b"".join(store.dump("nquads")), RdfFormat.N_QUADS)
            before = graph_contents(scratch)
            try:
                scratch.update(update)
            except SyntaxError as error:
                raise QuerySyntaxError.from_parser(error) from None
            except (OSError, ValueError, RuntimeError) as error:
                raise StoreError(str(error)) from None
            after = graph_contents(scratch)
            for graph_iri in sorted(set(before) | set(after)):
                if before.get(graph_iri) != after.get(graph_iri):
                    validate(graph_iri or "the default graph",
                             (quad.triple for quad in after.get(graph_iri, ())))
        store.update(update)


def checked_replace(store: Store, graph_iri: str, triples: list[object], validate_writes: bool,
                    merge: bool = False) -> None:
    """Replace (or with ``merge`` add to) one graph, after validating its new content."""
    with WRITE_LOCK:
        if merge:
            existing = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> "
                                   "{ ?s ?p ?o } }")
            triples = list(existing.triples) + triples  # type: ignore[union-attr]
        if validate_writes:
            validate(graph_iri, triples)
        store.replace_graph(graph_iri, triples)


def failure_response(error: Exception) -> Response:
    if isinstance(error, ValidationFailed):
        return problem(422, "Validation failed", str(error), graph=error.graph_iri,
                       report=error.report)
    if isinstance(error, QuerySyntaxError):
        return problem(400, "Malformed update", error.message, line=error.line,
                       column=error.column)
    return problem(400, "Update failed", str(error))


async def apply_update(request: Request, update: str) -> Response:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    try:
        await anyio.to_thread.run_sync(checked_update, store, update, settings.validate_writes)
    except (ValidationFailed, StoreError) as error:
        return failure_response(error)
    return Response(status_code=204, headers={"X-Dataset-Version": str(store.version)})
