"""The ``Store`` interface every backend implements, and what its queries return.

Terms crossing this interface are pyoxigraph terms (``NamedNode``, ``BlankNode``,
``Literal``, ``Triple``, ``Quad``): the embedded store hands them out without a
conversion and the remote store parses its answers into them. Use
``kg.store.terms.to_rdflib`` where rdflib objects are wanted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple


class StoreError(Exception):
    """A store could not do what was asked; the store is as it was before."""


class QuerySyntaxError(StoreError):
    """A malformed query or update; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    @classmethod
    def from_parser(cls, error: Exception) -> QuerySyntaxError:
        """From an Oxigraph parser message such as ``error at 3:16: expected ...``."""
        text = str(error.args[0] if error.args else error)
        found = re.match(r"error at (\d+):(\d+): (.*)", text, re.S)
        if found:
            return cls(found.group(3), int(found.group(1)), int(found.group(2)))
        return cls(text)


class QueryTimeout(StoreError):
    """The query ran out of time before its first result byte was produced."""


class StoreBusy(StoreError):
    """Every query worker is taken (some by queries abandoned after their deadline)."""


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[tuple[Term | None, ...]]
    truncated: bool = False  # more rows existed than the cap allowed


@dataclass
class AskResult:
    value: bool


@dataclass
class GraphResult:
    triples: list[Triple]
    truncated: bool = False


QueryResult = SelectResult | AskResult | GraphResult


@dataclass
class GraphInfo:
    iri: str
    triples: int = field(default=0)


# What a caller may hand to ``load``: graph IRI -> triples (rdflib or pyoxigraph terms).
DatasetLike = Mapping[str, Iterable[tuple]] | object


@runtime_checkable
class Store(Protocol):
    """A quad store holding one named graph per source document.

    Queries see the union of all named graphs as their default graph unless
    ``default_graphs`` is given; writes bump ``version``, a persisted,
    monotonically increasing integer the web layer uses in ETags and to know
    when dumps are stale.
    """

    @property
    def version(self) -> int:
        """The dataset version: increases by at least one with every committed write."""
        ...

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query and materialise its result.

        ``default_graphs``/``named_graphs`` are the protocol's ``default-graph-uri``
        and ``named-graph-uri``. Raises ``QuerySyntaxError`` (with line and column),
        ``QueryTimeout`` when ``timeout_s`` passes before the result is complete
        (nothing partial is ever returned) and ``StoreBusy``. With ``max_rows``, at
        most that many rows/triples are returned and ``truncated`` says whether
        more existed.
        """
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update as one transaction."""
        ...

    def replace_graph(self, graph_iri: str, triples: Iterable[tuple]) -> None:
        """Make ``graph_iri`` hold exactly ``triples``, atomically.

        Readers see either the old graph or the new one, never a mix; any failure
        (including one raised by the ``triples`` iterable itself) leaves the store
        as it was.
        """
        ...

    def load(self, dataset: DatasetLike) -> list[str]:
        """Replace every named graph of ``dataset`` (each atomically); return their IRIs.

        Accepts an rdflib ``Dataset``/``ConjunctiveGraph``, a pyoxigraph ``Dataset``
        or quads, or a mapping of graph IRI to triples.
        """
        ...

    def drop_graph(self, graph_iri: str) -> None:
        """Remove a named graph (no error when absent)."""
        ...

    def graphs(self) -> list[GraphInfo]:
        """The named graphs this store holds, with their triple counts, sorted by IRI."""
        ...

    def dump(self, format: str = "nquads", graph_iri: str | None = None) -> Iterator[bytes]:
        """Serialise the whole dataset (``nquads``, ``trig``) or one graph (any format)."""
        ...

    def close(self) -> None:
        ...
