"""The query deadline (503 + Retry-After, never partial) and the signalled row cap."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from pyoxigraph import Literal, NamedNode

from kg.store.embedded import EmbeddedStore
from kg.web.settings import Settings

ROWS = 3000
GRAPH = NamedNode("http://example.org/graph/numbers")
# Each pair of the 3000 numbers: 9 million solutions, about 2 s of work on this machine.
SLOW_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y }"
SLOW_ASK = "ASK { ?a ?p ?x . ?b ?p ?y FILTER(?x + ?y > 99999) }"


@pytest.fixture(scope="module")
def numbers_store():
    store = EmbeddedStore()
    store.replace_graph(GRAPH.value, [
        (NamedNode(f"http://example.org/n/{i}"), NamedNode("http://example.org/value"),
         Literal(str(i), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
        for i in range(ROWS)
    ])
    yield store
    store.close()


@pytest.fixture(scope="module")
def limited(numbers_store, tmp_path_factory, serve):
    root = tmp_path_factory.mktemp("limited")
    settings = Settings(query_timeout_s=0.3, max_rows=5, retry_after_s=7,
                        dump_dir=root / "dumps", query_log=root / "query.log")
    with serve(numbers_store, settings) as url:
        yield url


@pytest.mark.parametrize("query", [SLOW_COUNT, SLOW_ASK])
def test_a_query_past_its_deadline_gets_503_with_retry_after(limited, query):
    started = time.monotonic()
    response = httpx.get(f"{limited}/sparql", params={"query": query}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert "results" not in problem and "boolean" not in problem
    assert problem["timeout_s"] == 0.3
    # The answer comes at the deadline, not when the query would have finished.
    assert elapsed < 1.5, elapsed


def test_the_server_keeps_answering_after_abandoning_a_query(limited):
    assert httpx.get(f"{limited}/sparql", params={"query": SLOW_COUNT},
                     timeout=30).status_code == 503
    quick = httpx.get(f"{limited}/sparql", params={"query": "ASK { ?s ?p 42 }"}, timeout=30)
    assert quick.status_code in (200, 503)  # 503 only while every worker is still busy
    deadline = time.monotonic() + 20
    while quick.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        quick = httpx.get(f"{limited}/sparql", params={"query": "ASK { ?s ?p 42 }"}, timeout=30)
    assert quick.status_code == 200 and quick.json()["boolean"] is True


def test_the_row_cap_is_signalled_in_headers_and_json_body(limited):
    response = httpx.get(f"{limited}/sparql", params={"query": "SELECT ?x WHERE { ?a ?p ?x }"},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-sparql-maxrows"] == "5"
    assert response.headers["x-result-rows"] == "5"
    body = response.json()
    assert len(body["results"]["bindings"]) == 5
    assert body["truncated"] is True
    assert any("max-rows=5" in link for link in body["head"]["link"])


def test_the_row_cap_is_signalled_in_xml_and_turtle_bodies(limited):
    response = httpx.get(f"{limited}/sparql", params={"query": "SELECT ?x WHERE { ?a ?p ?x }"},
                         headers={"Accept": "application/sparql-results+xml"})
    root = ET.fromstring(response.content)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [link.get("href") for link in root.iter(f"{ns}link")][0].endswith("max-rows=5")
    assert len(list(root.iter(f"{ns}result"))) == 5
    response = httpx.get(f"{limited}/sparql", params={"query": "CONSTRUCT WHERE { ?a ?p ?x }"},
                         headers={"Accept": "text/turtle"})
    assert response.headers["x-result-truncated"] == "true"
    assert response.text.startswith("# truncated: only the first 5 triples")


def test_a_result_within_the_cap_is_not_marked(limited):
    response = httpx.get(f"{limited}/sparql",
                         params={"query": "SELECT ?x WHERE { ?a ?p ?x } LIMIT 5"})
    assert "x-result-truncated" not in response.headers
    assert "truncated" not in response.json()
