"""Conversions between rdflib and pyoxigraph terms, and datasets as graph -> triples."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from kg.store.base import StoreError


def to_oxigraph(term: object) -> NamedNode | BlankNode | Literal | Triple:
    """A pyoxigraph term for an rdflib or pyoxigraph one."""
    if isinstance(term, NamedNode | BlankNode | Literal | Triple):
        return term
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise StoreError(f"not an RDF term: {term!r}")


def to_rdflib(term: object) -> rdflib.term.Identifier | None:
    """An rdflib term for a pyoxigraph one (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise StoreError(f"cannot convert {term!r} to rdflib")


def add_triples(graph: rdflib.Graph, triples: Iterable[Triple]) -> rdflib.Graph:
    """``graph`` with pyoxigraph ``triples`` added as rdflib ones."""
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),  # type: ignore
                   to_rdflib(triple.object)))
    return graph


def to_triple(triple: object) -> Triple:
    if isinstance(triple, Triple):
        return triple
    if isinstance(triple, Quad):
        return triple.triple
    subject, predicate, obj = triple  # type: ignore[misc]
    return Triple(to_oxigraph(subject), to_oxigraph(predicate), to_oxigraph(obj))


def graphs_of(dataset: object) -> Iterator[tuple[str, Iterable[object]]]:
    """(graph IRI, triples) for each named graph of a dataset in any accepted shape.

    Triples in a default graph are refused: every fact belongs to a document's graph.
    """
    if isinstance(dataset, rdflib.Dataset | rdflib.ConjunctiveGraph):
        named = dataset.graphs() if isinstance(dataset, rdflib.Dataset) else dataset.contexts()
        for graph in named:
            if len(graph) == 0:
                continue
            if not isinstance(graph.identifier, rdflib.URIRef) or graph.identifier == (
                rdflib.graph.DATASET_DEFAULT_GRAPH_ID
            ):
                raise StoreError(
                    f"{len(graph)} triples are outside any named graph; "
                    "load each document into a graph of its own"
                )
            yield str(graph.identifier), graph
        return
    if hasattr(dataset, "items"):
        for iri, triples in dataset.items():  # type: ignore[attr-defined]
            yield str(iri), triples
        return
    by_graph: dict[str, list[Triple]] = {}
    for quad in dataset:  # type: ignore[attr-defined]
        if not isinstance(quad, Quad) or isinstance(quad.graph_name, DefaultGraph):
            raise StoreError(f"not a quad in a named graph: {quad!r}")
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    yield from by_graph.items()
