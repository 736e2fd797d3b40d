"""The embedded default: a persistent Oxigraph (RocksDB) store in a directory.

Layout of ``directory``: ``oxigraph/`` holds the database, ``version`` the dataset
version. Every write is one Oxigraph transaction (replace = drop + insert in a
single SPARQL Update), so readers, who get repeatable-read snapshots, never see
half a document. Queries run on a bounded pool of worker threads, waiting for a
free one within their deadline: a query that passes its deadline is abandoned
(its worker stops at the next row, or when Oxigraph returns) and the caller
gets ``QueryTimeout`` with nothing sent. Oxigraph cannot interrupt a query
that is computing without producing rows (a large aggregate): its worker stays
taken until it finishes, and only the bounded pool keeps such queries from
piling up.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, RdfFormat
from pyoxigraph import Store as Oxigraph

from kg.store.base import (
    AskResult,
    GraphInfo,
    GraphResult,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    SelectResult,
    StoreBusy,
    StoreError,
)
from kg.store.terms import graphs_of, to_triple

T = TypeVar("T")
DEFAULT_WORKERS = 4
CHUNK = 1 << 16


def graph_node(iri: str) -> NamedNode:
    try:
        return NamedNode(iri)
    except ValueError as error:
        raise StoreError(f"not a valid graph IRI: {iri!r} ({error})") from None


def ntriples(triples: Iterable[object]) -> str:
    """The triples as N-Triples lines (valid inside SPARQL ``INSERT DATA``)."""
    return "".join(f"{to_triple(triple)} .\n" for triple in triples)


def replacement(graph_iri: str, triples: Iterable[object]) -> str:
    """One SPARQL Update that swaps a graph's content: atomic wherever updates are."""
    graph = str(graph_node(graph_iri))
    body = ntriples(triples)
    return f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"


def rdf_format(name: str) -> RdfFormat:
    """An RdfFormat from a short name or file extension (``nquads``, ``nq``, ``ttl``...)."""
    aliases = {"nquads": "nq", "ntriples": "nt", "turtle": "ttl", "jsonld": "jsonld",
               "rdfxml": "rdf", "xml": "rdf"}
    found = RdfFormat.from_extension(aliases.get(name, name))
    if found is None:
        raise StoreError(f"unknown RDF format {name!r}")
    return found


@contextmanager
def oxigraph_errors() -> Iterator[None]:
    """Oxigraph's exceptions as the store's: syntax errors keep their line and column."""
    try:
        yield
    except SyntaxError as error:
        raise QuerySyntaxError.from_parser(error) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise StoreError(str(error)) from None


def take(items: Iterable[T], limit: int | None, abandoned: threading.Event) -> tuple[list[T], bool]:
    """Up to ``limit`` items, and whether more existed; stops early once ``abandoned``."""
    taken: list[T] = []
    for item in items:
        if abandoned.is_set():
            break
        if limit is not None and len(taken) >= limit:
            return taken, True
        taken.append(item)
    return taken, False


class EmbeddedStore:
    """A persistent pyoxigraph store (``directory=None``: in memory only, for tests).

    With ``in_memory=True`` the directory stays the durable copy and queries are
    answered from an in-memory copy loaded at start (Oxigraph's memory storage
    answers 3-5 times faster than RocksDB); every write goes to the directory
    first, then to the copy, which is reloaded from the directory if that fails.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *,
                 workers: int = DEFAULT_WORKERS, in_memory: bool = False):
        self.directory = Path(directory) if directory is not None else None
        self._disk: Oxigraph | None = None
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = Oxigraph(str(self.directory / "oxigraph"))
            if in_memory:
                self._disk = self._db
                self._db = self._copy_of(self._disk)
        else:
            self._db = Oxigraph()
        self._version = self._read_version()
        self._write_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(workers)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-query")

    @staticmethod
    def _copy_of(disk: Oxigraph) -> Oxigraph:
        memory = Oxigraph()
        memory.load(disk.dump(format=RdfFormat.N_QUADS), RdfFormat.N_QUADS)
        return memory

    # -- version ---------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self._version

    def _read_version(self) -> int:
        if self.directory is None:
            return 0
        try:
            return int((self.directory / "version").read_text().strip() or 0)
        except FileNotFoundError:
            return 0

    def _bump_version(self) -> None:
        self._version += 1
        if self.directory is None:
            return
        # Write then rename, so a crash never leaves a torn version file.
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".version.")
        with os.fdopen(fd, "w") as out:
            out.write(f"{self._version}\n")
        os.replace(temporary, self.directory / "version")

    # -- reads -----------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        # Queue for a worker within the same deadline; abandoned queries still hold theirs.
        started = time.monotonic()
        if not self._slots.acquire(timeout=timeout_s if timeout_s is not None else -1):
            raise StoreBusy(f"no query worker came free within {timeout_s:g} s; retry shortly")
        if timeout_s is not None:
            timeout_s = max(timeout_s - (time.monotonic() - started), 0.001)
        abandoned = threading.Event()
        try:
            future = self._pool.submit(
                self._evaluate, sparql, default_graphs, named_graphs, max_rows, abandoned
            )
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return future.result(timeout=timeout_s)
        except FutureTimeout:
            abandoned.set()
            raise QueryTimeout(f"the query did not finish within {timeout_s:g} s") from None

    def _evaluate(
        self,
        sparql: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        max_rows: int | None,
        abandoned: threading.Event,
    ) -> QueryResult:
        options: dict[str, object] = {}
        if default_graphs is None and named_graphs is None:
            options["use_default_graph_as_union"] = True
        else:  # the protocol's dataset replaces the query's own, absent parts being empty
            options["default_graph"] = [graph_node(g) for g in default_graphs or ()]
            options["named_graphs"] = [graph_node(g) for g in named_graphs or ()]
        with oxigraph_errors():
            result = self._db.query(sparql, **options)
            if isinstance(result, QueryBoolean):
                return AskResult(bool(result))
            if isinstance(result, QuerySolutions):
                variables = [variable.value for variable in result.variables]
                width = range(len(variables))
                rows, truncated = take(result, max_rows, abandoned)
                return SelectResult(variables, [tuple(row[i] for i in width) for row in rows],
                                    truncated)
            return GraphResult(*take(result, max_rows, abandoned))

    def graphs(self) -> list[GraphInfo]:
        counts = {
            row[0].value: int(row[1].value)
            for row in self._db.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
        }
        for graph in self._db.named_graphs():
            counts.setdefault(graph.value, 0)
        return [GraphInfo(iri, counts[iri]) for iri in sorted(counts)]

    def dump(self, format: str = "nquads", graph_iri: str | None = None) -> Iterator[bytes]:
        """Serialise into a spooled temporary file first, so the bytes come from one snapshot."""
        rdf = rdf_format(format)
        source = graph_node(graph_iri) if graph_iri is not None else None
        if source is None and not rdf.supports_datasets:
            raise StoreError(f"{rdf.name} holds one graph: name the graph to dump")
        spool = tempfile.SpooledTemporaryFile(max_size=1 << 24)
        self._db.dump(spool, rdf, from_graph=source)
        spool.seek(0)

        def chunks() -> Iterator[bytes]:
            with spool:
                while block := spool.read(CHUNK):
                    yield block

        return chunks()

    # -- writes ----------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        with self._write_lock:
            durable = self._disk if self._disk is not None else self._db
            with oxigraph_errors():
                durable.update(sparql)
            if self._disk is not None:
                try:
                    self._db.update(sparql)
                except (SyntaxError, OSError, ValueError, RuntimeError):
                    self._db = self._copy_of(self._disk)  # the directory is the truth
            self._bump_version()

    def replace_graph(self, graph_iri: str, triples: Iterable[object]) -> None:
        # Building the update text consumes ``triples`` before the store is touched.
        self.update(replacement(graph_iri, triples))

    def load(self, dataset: object) -> list[str]:
        loaded = []
        for iri, triples in graphs_of(dataset):
            self.replace_graph(iri, triples)
            loaded.append(iri)
        return loaded

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH {graph_node(graph_iri)}")

    def import_file(self, path: str | os.PathLike[str], graph_iri: str | None = None) -> None:
        """Bulk-import a big RDF file (benchmarks, first loads): fast but NOT atomic."""
        target = graph_node(graph_iri) if graph_iri else None
        with self._write_lock:
            durable = self._disk if self._disk is not None else self._db
            durable.bulk_load(path=str(path), to_graph=target)
            durable.optimize()
            if self._disk is not None:
                self._db = self._copy_of(self._disk)
            self._bump_version()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        durable = self._disk if self._disk is not None else self._db
        durable.flush()
        del self._db, self._disk, durable
