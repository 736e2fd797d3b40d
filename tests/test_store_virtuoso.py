"""The external-store path (--store-url) for real, against a Virtuoso started on loopback."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
import rdflib
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.store.base import AskResult, GraphResult, QuerySyntaxError, SelectResult
from kg.store.embedded import EmbeddedStore
from kg.store.remote import STAGING, RemoteStore
from kg.web.settings import Settings

BASE = "http://localhost:8000/"
DOC = f"{BASE}graph/doc/guangzhou-panyu-2023-budget"
FIS = f"{BASE}def/fiscal#"
AMOUNTS = (f"PREFIX fis: <{FIS}> SELECT ?o ?amount WHERE {{ ?o fis:amount ?amount ; "
           "fis:sourceLine 109 } ORDER BY ?o")


@pytest.fixture(scope="module")
def panyu(corpus_graph) -> rdflib.Graph:
    """The 2023 Panyu budget's graph, as mapped from the corpus."""
    return corpus_graph.graph(rdflib.URIRef(DOC))


@pytest.fixture(scope="module", params=["graph-store", "update-only"])
def remote(request, virtuoso, panyu):
    graph_store = virtuoso.graph_store_url if request.param == "graph-store" else None
    store = RemoteStore(virtuoso.query_url, graph_store_url=graph_store)
    store.replace_graph(DOC, panyu)
    yield store
    store.close()


def test_a_document_graph_round_trips_through_virtuoso(remote, panyu):
    counts = {graph.iri: graph.triples for graph in remote.graphs()}
    assert counts[DOC] == len(panyu)
    assert not any(iri.startswith(STAGING) for iri in counts)
    embedded = EmbeddedStore()
    embedded.replace_graph(DOC, panyu)
    here = embedded.query(AMOUNTS)
    there = remote.query(AMOUNTS)
    assert isinstance(there, SelectResult) and there.rows
    # Virtuoso writes decimals canonically (15094.70 -> 15094.7): compare the numbers.
    assert [(r[0].value, float(r[1].value)) for r in there.rows] == [
        (r[0].value, float(r[1].value)) for r in here.rows]


def test_ask_construct_and_syntax_errors(remote):
    assert remote.query(f"ASK {{ GRAPH <{DOC}> {{ ?s ?p ?o }} }}") == AskResult(True)
    assert remote.query("ASK { ?s ?p <urn:nothing> }") == AskResult(False)
    constructed = remote.query(f"PREFIX fis: <{FIS}> CONSTRUCT {{ ?o fis:sourceLine 109 }} "
                               "WHERE { ?o fis:sourceLine 109 }", max_rows=2)
    assert isinstance(constructed, GraphResult)
    assert len(constructed.triples) == 2 and constructed.truncated
    with pytest.raises(QuerySyntaxError) as error:
        remote.query("SELECT * WHERE {\n ?s ?p }")
    assert error.value.line == 2


def test_the_version_lives_in_the_store_and_is_shared(remote, virtuoso):
    def seen_by_another_process() -> int:
        other = RemoteStore(virtuoso.query_url)
        try:
            return other.version
        finally:
            other.close()

    before = seen_by_another_process()
    remote.update(f"INSERT DATA {{ GRAPH <{DOC}> {{ <{BASE}id/note/v> <{BASE}p> 1 }} }}")
    assert seen_by_another_process() == before + 1 == remote.version
    remote.update(f"DELETE DATA {{ GRAPH <{DOC}> {{ <{BASE}id/note/v> <{BASE}p> 1 }} }}")
    assert seen_by_another_process() == before + 2 == remote.version


def test_a_replacement_failing_midway_leaves_virtuoso_as_it_was(remote, panyu):
    version = remote.version

    def failing():
        for index, triple in enumerate(panyu):
            if index == 1000:
                raise ValueError("mapping failed at triple 1000")
            yield triple

    with pytest.raises(ValueError):
        remote.replace_graph(DOC, failing())
    assert {g.iri: g.triples for g in remote.graphs()}[DOC] == len(panyu)
    assert remote.version == version


def test_the_endpoint_serves_a_virtuoso_store(remote, serve, tmp_path):
    settings = Settings(base_iri=BASE, dump_dir=tmp_path / "dumps",
                        query_log=tmp_path / "query.log")
    with serve(remote, settings) as url:
        client = SPARQLWrapper(f"{url}/sparql")
        client.setMethod(POST)
        client.setQuery(AMOUNTS)
        client.setReturnFormat(JSON)
        bindings = client.queryAndConvert()["results"]["bindings"]
        assert len(bindings) == len(remote.query(AMOUNTS).rows) > 0
        refused = httpx.get(f"{url}/sparql", params={
            "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert refused.status_code == 400
        description = httpx.get(f"{url}/sparql", headers={"Accept": "text/turtle"}).text
        assert DOC in description


def test_kg_load_into_virtuoso_from_the_command_line(virtuoso, tmp_path):
    graph = f"{BASE}graph/doc/cli-load"
    path = tmp_path / "figures.ttl"
    path.write_text(f'<{BASE}id/x> <{FIS}amount> "15094.71"^^'
                    "<http://www.w3.org/2001/XMLSchema#decimal> .\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "load", str(path), "--graph", graph,
         "--store-url", virtuoso.query_url, "--graph-store-url", virtuoso.graph_store_url],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    store = RemoteStore(virtuoso.query_url)
    assert {g.iri: g.triples for g in store.graphs()}.get(graph) == 1
    store.close()
