"""Shared fixtures: the real web app served by uvicorn on a free loopback port.

``live_server`` (session scope) serves an embedded store loaded with the
sample corpus, built by the real pipeline (extract -> map) when it can run,
else with a small graph of figures copied from the corpus. Tests talk to it
over HTTP only: ``live_server.url``, ``.store`` and ``.settings``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
import uvicorn

from kg.store.base import Store
from kg.store.embedded import EmbeddedStore
from kg.web.app import create_app
from kg.web.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
BASE = "http://localhost:8000/"
WRITE_TOKEN = "test-write-token"

# Figures copied from data/corpus/guangzhou-panyu-2023-budget.txt (收支总体情况表, line 109)
# and guangzhou-baiyun-2020-budget.txt, in the shape the mapping produces.
SAMPLE_TRIG = f"""
@prefix fis: <{BASE}def/fiscal#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{BASE}graph/doc/guangzhou-panyu-2023-budget> {{
  <{BASE}id/doc/guangzhou-panyu-2023-budget> a fis:BudgetDocument ;
      rdfs:label "广州市番禺区政务服务数据管理局2023年部门预算"@zh ;
      fis:fiscalYear 2023 .
  <{BASE}id/obs/guangzhou-panyu-2023-budget/income-total> a fis:Observation ;
      fis:document <{BASE}id/doc/guangzhou-panyu-2023-budget> ;
      fis:amount "15094.71"^^xsd:decimal ;
      fis:sourceLine 109 .
}}
<{BASE}graph/doc/guangzhou-baiyun-2020-budget> {{
  <{BASE}id/doc/guangzhou-baiyun-2020-budget> a fis:BudgetDocument ;
      rdfs:label "广州市白云区2020年部门预算"@zh ;
      fis:fiscalYear 2020 .
}}
"""


@dataclass
class LiveServer:
    url: str
    store: Store
    settings: Settings
    source: str  # "corpus" when built by the real pipeline, else "sample"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(store: Store, settings: Settings) -> Iterator[str]:
    """Run ``create_app(store, settings)`` under uvicorn on loopback; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(create_app(store, settings), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def sample_dataset() -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dataset.parse(data=SAMPLE_TRIG, format="trig")
    return dataset


def corpus_dataset() -> rdflib.Dataset | None:
    """The corpus through the real pipeline, or None while a stage is not there yet."""
    try:
        from kg.graph.mapping import map_extraction
        from kg.tables.extract import extract_documents
    except ImportError:
        return None
    try:
        extraction = extract_documents(sorted(CORPUS.glob("*.txt")))
    except NotImplementedError:
        return None
    return map_extraction(extraction, BASE)


@pytest.fixture(scope="session")
def corpus_graph() -> tuple[rdflib.Dataset, str]:
    dataset = corpus_dataset()
    return (dataset, "corpus") if dataset is not None else (sample_dataset(), "sample")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory,
                corpus_graph: tuple[rdflib.Dataset, str]) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("live")
    store = EmbeddedStore(root / "store")
    dataset, source = corpus_graph
    store.load(dataset)
    settings = Settings(base_iri=BASE, write_token=WRITE_TOKEN, dump_dir=root / "dumps",
                        query_log=root / "query.log", query_timeout_s=20, max_rows=50_000)
    with serving(store, settings) as url:
        yield LiveServer(url, store, settings, source)
    store.close()
