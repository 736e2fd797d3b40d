"""Dumps: the whole dataset as gzipped N-Quads and each document as Turtle, kept current."""

from __future__ import annotations

import gzip
import hashlib

import httpx
import pyoxigraph
import pytest
import rdflib
from conftest import serving
from test_graph_support import sample_extraction

from kg.graph.mapping import map_extraction
from kg.store.embedded import EmbeddedStore
from kg.web.settings import Settings

BASE = "http://localhost:8000/"


def test_the_whole_dump_holds_every_quad(live_server) -> None:
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        listing = client.get("/dumps", headers={"Accept": "application/json"}).json()
        whole = next(f for f in listing["files"] if f["path"] == "fiscal-kg.nq.gz")
        response = client.get(whole["url"])
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/gzip"
        body = response.content
        assert hashlib.sha256(body).hexdigest() == whole["sha256"]
        assert response.headers["etag"] == f'"{whole["sha256"]}"'
        parsed = list(pyoxigraph.parse(gzip.decompress(body), format=pyoxigraph.RdfFormat.N_QUADS))
        quads = sum(g.triples for g in live_server.store.graphs())
        assert len(parsed) == len(set(parsed)) == quads == whole["triples"]
        assert {q.graph_name.value for q in parsed} == {g.iri for g in live_server.store.graphs()}
        again = client.get(whole["url"], headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304


def test_one_turtle_file_per_document(live_server) -> None:
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        listing = client.get("/dumps", headers={"Accept": "application/json"}).json()
        documents = {f["path"]: f for f in listing["files"] if f["path"].startswith("doc/")}
        assert set(documents) == {
            "doc/guangzhou-baiyun-2020-budget.ttl", "doc/guangzhou-panyu-2019-final-accounts.ttl",
            "doc/guangzhou-panyu-2023-budget.ttl", "doc/qingyuan-qingxin-2023-budget.ttl"}
        counts = {g.iri: g.triples for g in live_server.store.graphs()}
        for file in documents.values():
            body = client.get(file["url"]).content
            triples = set(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
            assert len(triples) == counts[file["graph"]] == file["triples"]
        page = client.get("/dumps", headers={"Accept": "text/html"})
        assert "doc/guangzhou-panyu-2023-budget.ttl" in page.text


@pytest.fixture()
def small_server(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.load(map_extraction(sample_extraction(), BASE))
    settings = Settings(base_iri=BASE, dump_dir=tmp_path / "dumps")
    with serving(store, settings) as url:
        yield url, store, settings
    store.close()


def test_dumps_are_regenerated_when_the_data_changes(small_server) -> None:
    url, store, settings = small_server
    graph_iri = BASE + "graph/doc/guangzhou-panyu-2023-budget"
    with httpx.Client(base_url=url, timeout=60) as client:
        before = client.get("/dumps", headers={"Accept": "application/json"}).json()
        page_tag = client.get("/id/doc/guangzhou-panyu-2023-budget.ttl").headers["etag"]
        turtle = next(f for f in before["files"] if f["graph"] == graph_iri)
        assert before["version"] == store.version
        # A reload of the document with one triple fewer: a write, so a new version.
        current = rdflib.Graph().parse(data=b"".join(store.dump("nt", graph_iri)), format="nt")
        kept = sorted(current)[1:]
        store.replace_graph(graph_iri, kept)
        after = client.get("/dumps", headers={"Accept": "application/json"}).json()
        assert after["version"] == store.version > before["version"]
        changed = next(f for f in after["files"] if f["graph"] == graph_iri)
        assert changed["triples"] == turtle["triples"] - 1
        assert changed["sha256"] != turtle["sha256"]
        body = client.get(changed["url"]).content
        assert len(rdflib.Graph().parse(data=body, format="turtle")) == len(kept)
        assert (settings.dump_dir / f"v{after['version']}" / "manifest.json").is_file()
        # the page's tag moved with the data: a client's cached copy is revalidated, not reused
        page = client.get("/id/doc/guangzhou-panyu-2023-budget.ttl",
                          headers={"If-None-Match": page_tag})
        assert page.status_code == 200 and page.headers["etag"] != page_tag
        void = client.get("/.well-known/void", headers={"Accept": "text/turtle"}).text
        assert changed["sha256"] in void and turtle["sha256"] not in void


def test_unknown_dump_files_are_404(live_server) -> None:
    response = httpx.get(f"{live_server.url}/dumps/doc/../../etc/passwd.ttl")
    assert response.status_code == 404
    assert httpx.get(f"{live_server.url}/dumps/nothing.nq.gz").status_code == 404
