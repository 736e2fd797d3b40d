"""An external SPARQL 1.1 store over HTTP (Query, Update, Graph Store HTTP Protocol).

For data that outgrows one machine: ``--store-url`` names the query endpoint
(queries go as form POSTs, which every store takes, Virtuoso included); updates
go to the same URL unless ``update_url`` says otherwise, and graph uploads to
the Graph Store endpoint when one is given.

Atomic replacement: a new graph is uploaded to a staging graph (one Graph Store
PUT, or INSERT DATA in chunks without a Graph Store endpoint), then moved over
the old one by a single ``MOVE`` update, which the store runs as one
transaction. The dataset version lives in the store, in
``META_GRAPH``, so every process sharing the store agrees on it.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence

import httpx
from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
)

from kg.store.base import (
    AskResult,
    GraphInfo,
    GraphResult,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    SelectResult,
    StoreError,
)
from kg.store.embedded import graph_node, ntriples, rdf_format
from kg.store.sparql_text import read
from kg.store.terms import graphs_of

META_GRAPH = "urn:x-fiscal-kg:meta"
DATASET = "urn:x-fiscal-kg:dataset"
VERSION = "urn:x-fiscal-kg:version"
STAGING = "urn:x-fiscal-kg:staging:"
# Graphs a store keeps for itself (Virtuoso's), never listed as ours.
SYSTEM_GRAPH_PREFIXES = (
    META_GRAPH, STAGING, "http://www.openlinksw.com/schemas/", "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/", "http://www.openlinksw.com/",
)
UPDATE_CHUNK = 1000  # triples per INSERT DATA when there is no Graph Store endpoint
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


class RemoteStore:
    """A SPARQL 1.1 service used as the store."""

    def __init__(self, query_url: str, *, update_url: str | None = None,
                 graph_store_url: str | None = None, timeout_s: float = 60.0,
                 auth: httpx.Auth | None = None):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store_url = graph_store_url
        self.timeout_s = timeout_s
        self._client = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout_s, connect=10.0))
        self._write_lock = threading.Lock()
        self._graphs_cache: tuple[float, list[GraphInfo]] | None = None
        self._version_cache: tuple[float, int] | None = None

    # -- plumbing --------------------------------------------------------------------

    def _post(self, url: str, data: dict[str, object], accept: str,
              timeout_s: float | None = None) -> httpx.Response:
        try:
            response = self._client.post(
                url, data=data, headers={"Accept": accept},
                timeout=httpx.Timeout(timeout_s or self.timeout_s, connect=10.0))
        except httpx.TimeoutException:
            raise QueryTimeout(f"the store at {url} did not answer in time") from None
        except httpx.HTTPError as error:
            raise StoreError(f"the store at {url} cannot be reached: {error}") from None
        if response.status_code >= 400:
            raise failure(response)
        if response.headers.get("x-sql-state"):  # Virtuoso's "anytime" partial answer
            raise QueryTimeout(response.headers.get("x-sql-message", "partial result"))
        return response

    # -- reads -----------------------------------------------------------------------

    @property
    def version(self) -> int:
        """Read from the store at most once a second (this process's writes reset it)."""
        cached = self._version_cache
        if cached and time.monotonic() - cached[0] < 1.0:
            return cached[1]
        result = self._select(f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> "
                              f"{{ <{DATASET}> <{VERSION}> ?v }} }}")
        version = max((int(row[0].value) for row in result.rows if row[0] is not None),
                      default=0)
        self._version_cache = (time.monotonic(), version)
        return version

    def _select(self, sparql: str) -> SelectResult:
        found = self.query(sparql, default_graphs=(), named_graphs=())
        assert isinstance(found, SelectResult)
        return found

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        form = read(sparql).form
        data: dict[str, object] = {"query": sparql}
        if default_graphs is None and named_graphs is None:
            # Our default graph is the union of our graphs, not of the store's own too.
            ours = [graph.iri for graph in self.graphs()]
            default_graphs, named_graphs = ours, ours
        if default_graphs:
            data["default-graph-uri"] = list(default_graphs)
        if named_graphs:
            data["named-graph-uri"] = list(named_graphs)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        response = self._post(self.query_url, data, NTRIPLES if graph_form else RESULTS_JSON,
                              timeout_s)
        truncated_by_store = "x-sparql-maxrows" in response.headers
        if graph_form:
            try:
                triples = [quad.triple for quad in parse(response.content,
                                                         format=RdfFormat.N_TRIPLES)]
            except SyntaxError as error:
                raise StoreError(f"the store sent unreadable N-Triples: {error}") from None
            truncated = truncated_by_store
            if max_rows is not None and len(triples) > max_rows:
                triples, truncated = triples[:max_rows], True
            return GraphResult(triples, truncated)
        try:
            results = parse_query_results(response.content, format=QueryResultsFormat.JSON)
        except SyntaxError as error:
            raise StoreError(f"the store sent unreadable results: {error}") from None
        if isinstance(results, QueryBoolean):
            return AskResult(bool(results))
        variables = [variable.value for variable in results.variables]
        rows = [tuple(solution[i] for i in range(len(variables))) for solution in results]
        if form == "ASK" and variables == ["__ASK_RETVAL"]:  # Virtuoso answers ASK as a row
            return AskResult(bool(rows) and rows[0][0] is not None and rows[0][0].value != "0")
        truncated = truncated_by_store
        if max_rows is not None and len(rows) > max_rows:
            rows, truncated = rows[:max_rows], True
        return SelectResult(variables, rows, truncated)

    def graphs(self) -> list[GraphInfo]:
        cached = self._graphs_cache
        if cached and time.monotonic() - cached[0] < 1.0:
            return cached[1]
        result = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                              "GROUP BY ?g")
        graphs = sorted(
            (GraphInfo(row[0].value, int(row[1].value)) for row in result.rows
             if row[0] is not None and not row[0].value.startswith(SYSTEM_GRAPH_PREFIXES)),
            key=lambda graph: graph.iri,
        )
        self._graphs_cache = (time.monotonic(), graphs)
        return graphs

    def dump(self, format: str = "nquads", graph_iri: str | None = None) -> Iterator[bytes]:
        rdf = rdf_format(format)
        names = [graph_iri] if graph_iri else [graph.iri for graph in self.graphs()]
        if graph_iri is None and not rdf.supports_datasets:
            raise StoreError(f"{rdf.name} holds one graph: name the graph to dump")
        from pyoxigraph import Quad, serialize

        for name in names:
            result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> "
                                "{ ?s ?p ?o } }", default_graphs=(), named_graphs=[name])
            assert isinstance(result, GraphResult)
            if rdf.supports_datasets:
                node = NamedNode(name)
                yield serialize((Quad(t.subject, t.predicate, t.object, node)
                                 for t in result.triples), format=rdf) or b""
            else:
                yield serialize(result.triples, format=rdf) or b""

    # -- writes ----------------------------------------------------------------------

    def _version_bump(self) -> str:
        """Update text that sets the version one above the current one."""
        self._version_cache = None
        following = self.version + 1
        return (f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{DATASET}> <{VERSION}> ?v }} }} ;\n"
                f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{DATASET}> <{VERSION}> {following} }} }}")

    def _update(self, sparql: str) -> None:
        self._post(self.update_url, {"update": sparql}, "*/*")
        self._graphs_cache = self._version_cache = None

    def update(self, sparql: str) -> None:
        with self._write_lock:
            self._update(f"{sparql}\n;\n{self._version_bump()}")

    def replace_graph(self, graph_iri: str, triples: Iterable[object]) -> None:
        target = str(graph_node(graph_iri))
        lines = ntriples(triples).splitlines(keepends=True)  # any failure here touches nothing
        staging = f"{STAGING}{uuid.uuid4()}"
        with self._write_lock:
            try:
                self._upload(staging, lines)
                self._update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH {target} ;\n"
                             f"{self._version_bump()}")
            finally:
                self._update(f"DROP SILENT GRAPH <{staging}>")

    def _upload(self, staging: str, lines: list[str]) -> None:
        """Put ``lines`` in the staging graph: one Graph Store PUT, else INSERT DATA in chunks
        (a store's SPARQL compiler may not take a whole document in one update)."""
        if self.graph_store_url is None:
            for start in range(0, len(lines), UPDATE_CHUNK):
                body = "".join(lines[start:start + UPDATE_CHUNK])
                self._update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{body}}} }}")
            return
        try:
            response = self._client.put(
                self.graph_store_url, params={"graph": staging},
                content="".join(lines).encode(), headers={"Content-Type": NTRIPLES})
        except httpx.HTTPError as error:
            raise StoreError(f"upload to {self.graph_store_url} failed: {error}") from None
        if response.status_code >= 400:
            raise failure(response)

    def load(self, dataset: object) -> list[str]:
        loaded = []
        for iri, triples in graphs_of(dataset):
            self.replace_graph(iri, triples)
            loaded.append(iri)
        return loaded

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH {graph_node(graph_iri)}")

    def close(self) -> None:
        self._client.close()


def failure(response: httpx.Response) -> StoreError:
    """The store's error answer as a StoreError, a syntax error keeping its line."""
    text = response.text.strip()
    first = text.splitlines()[0] if text else f"HTTP {response.status_code}"
    if response.status_code == 400:
        line = re.search(r"line (\d+)", text)
        return QuerySyntaxError(first, int(line.group(1)) if line else None)
    return StoreError(f"the store answered {response.status_code}: {first}")
