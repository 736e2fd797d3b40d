"""Shared fixtures: the real web app served by uvicorn on a free loopback port.

``live_server`` (session scope) serves an embedded store loaded with the
sample corpus, built by the real pipeline (extract -> map). Tests talk to it
over HTTP: ``live_server.url``; ``.store`` and ``.settings`` are what it serves.
``serve`` (``serving(store, settings)``) runs another app the same way, for tests that need
other settings (a short deadline, a small row cap).
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


@dataclass
class LiveServer:
    url: str
    store: Store
    settings: Settings


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


@pytest.fixture
def port() -> int:
    """A free loopback port, for a server a test starts itself (``kg serve``)."""
    return free_port()


@pytest.fixture(scope="session")
def serve():
    """``serving`` itself: ``with serve(store, settings) as url: ...``."""
    return serving


@pytest.fixture(scope="session")
def corpus_graph() -> rdflib.Dataset:
    """The sample corpus through the real pipeline: extract, then map."""
    from kg.graph.mapping import map_extraction
    from kg.store.command import add_lineage
    from kg.tables.extract import extract_documents

    extraction = extract_documents(sorted(CORPUS.glob("*.txt")))
    assert not extraction.errors, extraction.errors
    dataset = map_extraction(extraction, BASE)
    add_lineage(dataset, extraction, BASE)  # as kg build does
    return dataset


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory,
                corpus_graph: rdflib.Dataset) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("live")
    building = EmbeddedStore(root / "store")
    building.load(corpus_graph)
    building.close()
    del building
    store = EmbeddedStore(root / "store", in_memory=True)  # as kg serve opens it
    settings = Settings(base_iri=BASE, write_token=WRITE_TOKEN, dump_dir=root / "dumps",
                        query_log=root / "query.log", query_timeout_s=20, max_rows=50_000)
    with serving(store, settings) as url:
        yield LiveServer(url, store, settings)
    store.close()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {root}/virtuoso.db
ErrorLogFile = {root}/virtuoso.log
LockFile = {root}/virtuoso.lck
TransactionFile = {root}/virtuoso.trx
xa_persistent_file = {root}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {root}/virtuoso-temp.db
TransactionFile = {root}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {root}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""
# The anonymous SPARQL user may update, and write through the Graph Store endpoint.
VIRTUOSO_GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL"; '
    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
)


@dataclass
class Virtuoso:
    query_url: str
    graph_store_url: str


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso of its own on loopback ports, with a fresh database."""
    import shutil
    import subprocess

    import httpx

    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        pytest.skip("virtuoso-t is not installed (scripts/setup.d/virtuoso.sh installs it)")
    root = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (root / "virtuoso.ini").write_text(
        VIRTUOSO_INI.format(root=root, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(root / "virtuoso.ini")],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso exited: see {root / 'virtuoso.log'}")
            try:
                if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("virtuoso did not start within 90 s")
            time.sleep(0.5)
        subprocess.run([isql, str(sql_port), "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
                       check=True, capture_output=True, timeout=60)
        yield Virtuoso(f"{base}/sparql", f"{base}/sparql-graph-crud")
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
