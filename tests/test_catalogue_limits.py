"""The example queries are bounded like /sparql: a deadline, a row cap, and a log line each."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
from conftest import BASE, serving
from test_graph_support import sample_extraction

from kg.graph.mapping import map_extraction
from kg.store.embedded import EmbeddedStore
from kg.web.settings import Settings


@pytest.fixture()
def store(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.load(map_extraction(sample_extraction(), BASE))
    yield store
    store.close()


def test_a_query_that_cannot_run_now_gets_503_with_retry_after(tmp_path) -> None:
    store = EmbeddedStore(tmp_path / "store", workers=1)
    store.load(map_extraction(sample_extraction(), BASE))
    settings = Settings(base_iri=BASE, dump_dir=tmp_path / "dumps", retry_after_s=7,
                        query_timeout_s=0.05)
    # About a second of work (a cross join of every triple) holds the only query worker,
    # longer than a request may wait for one.
    busy = threading.Thread(target=store.query, args=(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",), kwargs={"timeout_s": 30})
    with serving(store, settings) as url:
        busy.start()
        time.sleep(0.1)
        response = httpx.get(f"{url}/queries/subject-tree")
        page = httpx.get(f"{url}/id/doc/guangzhou-panyu-2023-budget",
                         headers={"Accept": "text/html"})
        busy.join()
        after = httpx.get(f"{url}/queries/subject-tree")
    store.close()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "retry shortly" in response.json()["detail"]
    assert page.status_code == 503 and "retry-after" in page.headers
    assert after.status_code == 200  # and served again once the worker is free


def test_a_capped_answer_says_so_and_the_query_is_logged(store, tmp_path) -> None:
    log = tmp_path / "query.log"
    settings = Settings(base_iri=BASE, dump_dir=tmp_path / "dumps", max_rows=3, query_log=log)
    with serving(store, settings) as url:
        response = httpx.get(f"{url}/queries/subject-tree", params={"scheme": "function"})
        metrics = httpx.get(f"{url}/metrics").text
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    document = response.json()
    assert len(document["results"]["bindings"]) == 3 and document["truncated"] is True
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    (entry,) = [e for e in entries if e.get("operation") == "catalogue"]
    assert entry["name"] == "subject-tree" and entry["status"] == 200
    assert entry["rows"] == 3 and entry["truncated"] is True
    assert entry["parameters"] == {"scheme": "function"}
    assert 'CONCAT("/id/code/", "function")' in entry["query"]  # the query as run
    assert 'operation="catalogue"' in metrics
