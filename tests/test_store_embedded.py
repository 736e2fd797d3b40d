"""The embedded Oxigraph store: atomic loads, the persisted version, deadlines, dumps."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from kg.store.base import (
    GraphResult,
    QuerySyntaxError,
    QueryTimeout,
    SelectResult,
    StoreBusy,
    StoreError,
)
from kg.store.embedded import EmbeddedStore

EX = "http://example.org/"
GRAPH = f"{EX}graph/doc/panyu-2023"
XSD_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def amounts(marker: str, count: int) -> list[tuple]:
    """``count`` observations, each tagged with ``marker`` (which load they came from)."""
    return [
        (NamedNode(f"{EX}obs/{i}"), NamedNode(f"{EX}amount"),
         Literal(f"{i}.{marker}", datatype=XSD_DECIMAL) if marker.isdigit()
         else Literal(f"{marker}-{i}"))
        for i in range(count)
    ]


def count(store: EmbeddedStore, graph: str = GRAPH) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, SelectResult)
    return int(result.rows[0][0].value)


def failing_after(triples: list[tuple], n: int):
    for index, triple in enumerate(triples):
        if index == n:
            raise ValueError(f"mapping failed at triple {n}")
        yield triple


def test_a_load_failing_midway_leaves_the_store_as_it_was(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graph(GRAPH, amounts("old", 100))
    version = store.version
    with pytest.raises(ValueError, match="at triple 500"):
        store.replace_graph(GRAPH, failing_after(amounts("new", 1000), 500))
    assert count(store) == 100
    assert store.version == version
    olds = store.query(f'ASK {{ GRAPH <{GRAPH}> {{ ?s ?p "old-7" }} }}')
    assert olds.value is True  # type: ignore[union-attr]


def test_an_update_failing_in_its_last_operation_rolls_back_its_first(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graph(GRAPH, amounts("old", 50))
    with socket.socket() as closed:  # a loopback port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(StoreError):
        store.update(f"DROP GRAPH <{GRAPH}> ; "
                     f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{EX}a> <{EX}b> 1 }} }} ; "
                     f"LOAD <http://127.0.0.1:{port}/missing.ttl> INTO GRAPH <{GRAPH}>")
    assert count(store) == 50


def test_readers_never_see_half_a_replaced_graph(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graph(GRAPH, amounts("a", 1000))
    seen: list[tuple[int, int]] = []
    stop = threading.Event()
    query = (f"SELECT (SUM(IF(STRSTARTS(?o, 'a-'), 1, 0)) AS ?a) "
             f"(SUM(IF(STRSTARTS(?o, 'b-'), 1, 0)) AS ?b) WHERE {{ GRAPH <{GRAPH}> "
             "{ ?s ?p ?o } }")

    def read() -> None:
        while not stop.is_set():
            row = store.query(query).rows[0]  # type: ignore[union-attr]
            seen.append((int(row[0].value), int(row[1].value)))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    for round_ in range(6):
        store.replace_graph(GRAPH, amounts("b" if round_ % 2 == 0 else "a", 1000))
    stop.set()
    for reader in readers:
        reader.join()
    assert seen
    assert set(seen) <= {(1000, 0), (0, 1000)}, sorted(set(seen))[:5]


def test_the_version_increases_with_each_write_and_survives_a_restart(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    assert store.version == 0
    store.replace_graph(GRAPH, amounts("a", 3))
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{EX}x> <{EX}y> 1 }} }}")
    store.drop_graph(GRAPH)
    assert store.version == 3
    store.close()
    del store
    reopened = EmbeddedStore(tmp_path / "store")
    assert reopened.version == 3
    reopened.replace_graph(GRAPH, amounts("b", 3))
    assert reopened.version == 4 and count(reopened) == 3


def test_load_takes_an_rdflib_dataset_graph_by_graph():
    dataset = rdflib.Dataset()
    first = dataset.graph(rdflib.URIRef(f"{EX}graph/one"))
    first.add((rdflib.URIRef(f"{EX}s"), rdflib.URIRef(f"{EX}amount"),
               rdflib.Literal("15094.71", datatype=rdflib.XSD.decimal)))
    second = dataset.graph(rdflib.URIRef(f"{EX}graph/two"))
    second.add((rdflib.URIRef(f"{EX}s"), rdflib.RDFS.label, rdflib.Literal("番禺区", lang="zh")))
    store = EmbeddedStore()
    assert sorted(store.load(dataset)) == [f"{EX}graph/one", f"{EX}graph/two"]
    assert [(g.iri, g.triples) for g in store.graphs()] == [
        (f"{EX}graph/one", 1), (f"{EX}graph/two", 1)]
    label = store.query(f"SELECT ?l WHERE {{ <{EX}s> ?p ?l FILTER(LANG(?l) = 'zh') }}")
    assert label.rows[0][0].value == "番禺区"  # type: ignore[union-attr]


def test_triples_outside_a_named_graph_are_refused():
    dataset = rdflib.Dataset()
    dataset.add((rdflib.URIRef(f"{EX}s"), rdflib.URIRef(f"{EX}p"), rdflib.Literal(1)))
    with pytest.raises(StoreError, match="outside any named graph"):
        EmbeddedStore().load(dataset)


def test_an_invalid_graph_iri_is_refused():
    with pytest.raises(StoreError, match="not a valid graph IRI"):
        EmbeddedStore().replace_graph("not an iri> DROP ALL", amounts("a", 1))


def test_query_errors_and_row_cap():
    store = EmbeddedStore()
    store.replace_graph(GRAPH, amounts("a", 20))
    with pytest.raises(QuerySyntaxError) as error:
        store.query("SELECT * WHERE {\n ?s ?p }")
    assert error.value.line == 2
    capped = store.query("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=7)
    assert isinstance(capped, GraphResult) and len(capped.triples) == 7 and capped.truncated
    exact = store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=20)
    assert len(exact.rows) == 20 and not exact.truncated  # type: ignore[union-attr]


def test_a_query_past_its_deadline_is_abandoned_and_its_worker_freed():
    store = EmbeddedStore(workers=1)
    store.replace_graph(GRAPH, amounts("a", 3000))
    # Rows trickle out (one in 3000 pairs), so the worker notices it was abandoned.
    trickle = "SELECT ?x WHERE { ?a ?p ?x . ?b ?p ?y FILTER(?y = 'a-2999') }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.query(trickle, timeout_s=0.2)
    assert time.monotonic() - started < 1.0
    assert store.query("ASK { ?s ?p ?o }", timeout_s=1).value is True  # type: ignore[union-attr]


def test_a_computing_query_keeps_its_worker_and_later_queries_wait_for_it():
    store = EmbeddedStore(workers=1)
    store.replace_graph(GRAPH, amounts("a", 1500))
    # Two million pairs counted inside Oxigraph: no row to stop at.
    with pytest.raises(QueryTimeout):
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y }", timeout_s=0.2)
    with pytest.raises(StoreBusy):
        store.query("ASK { }", timeout_s=0.01)
    # A query waits for the worker within its own deadline, then runs.
    assert store.query("ASK { ?s ?p ?o }", timeout_s=30).value is True  # type: ignore[union-attr]


def test_dump_whole_dataset_and_one_graph():
    store = EmbeddedStore()
    store.replace_graph(GRAPH, amounts("a", 5))
    store.replace_graph(f"{EX}graph/other", amounts("b", 2))
    quads = list(parse(b"".join(store.dump("nquads")), format=RdfFormat.N_QUADS))
    assert len(quads) == 7
    assert {q.graph_name.value for q in quads} == {GRAPH, f"{EX}graph/other"}
    turtle = b"".join(store.dump("ttl", GRAPH))
    assert len(list(parse(turtle, format=RdfFormat.TURTLE))) == 5
    with pytest.raises(StoreError, match="name the graph"):
        store.dump("ttl")


def test_an_in_memory_copy_answers_and_every_write_reaches_the_directory(tmp_path):
    disk = EmbeddedStore(tmp_path / "store")
    disk.replace_graph(GRAPH, amounts("a", 10))
    disk.close()
    del disk
    served = EmbeddedStore(tmp_path / "store", in_memory=True)
    assert count(served) == 10
    served.replace_graph(GRAPH, amounts("b", 20))
    with pytest.raises(ValueError):
        served.replace_graph(GRAPH, failing_after(amounts("c", 30), 5))
    with pytest.raises(QuerySyntaxError):
        served.update("INSERT DATA { GRAPH <x:g> { <x:a> <x:b> }")
    assert count(served) == 20 and served.version == 2
    served.close()
    del served
    reopened = EmbeddedStore(tmp_path / "store")
    assert count(reopened) == 20 and reopened.version == 2
    assert reopened.query(f'ASK {{ GRAPH <{GRAPH}> {{ ?s ?p "b-19" }} }}').value is True  # type: ignore[union-attr]
