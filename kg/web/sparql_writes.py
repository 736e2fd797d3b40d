"""Writes through the web layer: SHACL-validated first, then committed atomically.

A SPARQL Update is first applied to a scratch copy of the dataset; every graph
it changes is validated with the project's shapes (``kg.validation``, beside
the store's code lists), and the write is refused with 422 when it brings a
violation the graph did not already have (a document may print sums that do
not add up; that is recorded, not a reason to refuse every later correction).
Only then does the update run against the store. One write at a time, so what
was validated is what gets committed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import anyio
import rdflib
from fastapi import Request, Response
from pyoxigraph import Quad, RdfFormat
from pyoxigraph import Store as Oxigraph

from kg.store.base import GraphResult, QuerySyntaxError, Store, StoreError
from kg.store.embedded import oxigraph_errors
from kg.store.terms import add_triples
from kg.web.sparql import problem

WRITE_LOCK = threading.Lock()


class ValidationFailed(Exception):
    def __init__(self, graph_iri: str, violations: list[str], report: str):
        super().__init__(f"<{graph_iri}> would not conform to the shapes: "
                         f"{len(violations)} new violation(s)")
        self.graph_iri = graph_iri
        self.violations = violations
        self.report = report


def as_rdflib(triples: Iterable[object]) -> rdflib.Graph:
    return add_triples(rdflib.Graph(), triples)  # type: ignore[arg-type]


def construct_graph(store: Store, graph_iri: str | None) -> GraphResult:
    """A named graph's triples, or (``None``) those of the union default graph."""
    pattern = "{ ?s ?p ?o }" if graph_iri is None else f"{{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {pattern}")
    assert isinstance(result, GraphResult)
    return result


def graph_triples(store: Store, graph_iri: str) -> list[object]:
    return list(construct_graph(store, graph_iri).triples)


def violations(triples: Iterable[object], graph_iri: str, codes: rdflib.Graph,
               base: str) -> tuple[set[tuple[str, ...]], list[str], str]:
    """The violations of a graph's content: comparable keys, their messages, the report."""
    from kg.validation.validate import validate_document

    doc_id = graph_iri.rstrip("/").rsplit("/", 1)[-1]
    report = validate_document(as_rdflib(triples), codes, doc_id, base)
    found = {(f.check, f.focus, f.value or "", f.message): f"[{f.check}] {f.focus}: {f.message}"
             for f in report.violations}
    return set(found), [found[key] for key in sorted(found, key=str)], report.text


def check_graph(store: Store, base: str, graph_iri: str, before: list[object],
                after: list[object]) -> None:
    """Raise ``ValidationFailed`` when ``after`` has violations ``before`` did not."""
    codes = as_rdflib(graph_triples(store, f"{base}graph/codes"))
    keys, messages, report = violations(after, graph_iri, codes, base)
    if not keys:
        return
    old = violations(before, graph_iri, codes, base)[0] if before else set()
    new = [message for key, message in zip(sorted(keys, key=str), messages, strict=True)
           if key not in old]
    if new:
        raise ValidationFailed(graph_iri, new, report)


def graph_contents(scratch: Oxigraph) -> dict[str, set[Quad]]:
    contents: dict[str, set[Quad]] = {}
    for quad in scratch:
        contents.setdefault(getattr(quad.graph_name, "value", ""), set()).add(quad)
    return contents


def checked_update(store: Store, update: str, base: str, validate_writes: bool) -> None:
    """Validate what ``update`` would make of each graph it changes, then run it."""
    with WRITE_LOCK:
        if validate_writes:
            scratch = Oxigraph()
            scratch.load(b"".join(store.dump("nquads")), RdfFormat.N_QUADS)
            before = graph_contents(scratch)
            with oxigraph_errors():
                scratch.update(update)
            after = graph_contents(scratch)
            for graph_iri in sorted(set(before) | set(after)):
                if before.get(graph_iri) == after.get(graph_iri):
                    continue
                if not graph_iri:
                    raise StoreError("every fact belongs to a document's named graph: "
                                     "write inside GRAPH <...>")
                check_graph(store, base, graph_iri,
                            [q.triple for q in before.get(graph_iri, ())],
                            [q.triple for q in after.get(graph_iri, ())])
        store.update(update)


def checked_replace(store: Store, graph_iri: str, triples: list[object], base: str,
                    validate_writes: bool, merge: bool = False) -> None:
    """Replace (or with ``merge`` add to) one graph, after validating its new content."""
    with WRITE_LOCK:
        before = graph_triples(store, graph_iri) if merge or validate_writes else []
        after = before + triples if merge else triples
        if validate_writes:
            check_graph(store, base, graph_iri, before, after)
        store.replace_graph(graph_iri, after)


def failure_response(error: Exception) -> Response:
    if isinstance(error, ValidationFailed):
        return problem(422, "Validation failed", str(error), graph=error.graph_iri,
                       violations=error.violations, report=error.report)
    if isinstance(error, QuerySyntaxError):
        return problem(400, "Malformed update", error.message, line=error.line,
                       column=error.column)
    if isinstance(error, ImportError):
        return problem(503, "Validation unavailable",
                       f"writes are refused while the SHACL validation cannot run: {error}")
    return problem(400, "Update failed", str(error))


async def apply_update(request: Request, update: str) -> Response:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    try:
        await anyio.to_thread.run_sync(checked_update, store, update, settings.base_iri,
                                       settings.validate_writes)
    except (ValidationFailed, StoreError, ImportError) as error:
        return failure_response(error)
    return Response(status_code=204, headers={"X-Dataset-Version": str(store.version)})
