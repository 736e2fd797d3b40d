"""Writes: SPARQL Update and the Graph Store protocol, only with the token, SHACL first."""

from __future__ import annotations

import httpx
import pytest
import rdflib

from kg.store.embedded import EmbeddedStore
from kg.web.settings import Settings

BASE = "http://localhost:8000/"
TOKEN = "s3cret-token"
FIS = f"{BASE}def/fiscal#"
GRAPH = f"{BASE}graph/doc/test-writes"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# A note no shape targets: conforms.
NOTE = f'<{BASE}id/note/1> <http://www.w3.org/2000/01/rdf-schema#label> "番禺区预算说明"@zh .'
# A budget document with none of its required properties: violates structure.ttl.
BARE_DOCUMENT = f"<{BASE}id/doc/bare> a <{FIS}BudgetDocument> ."
# Validation runs the project's shapes (seconds per write): a patient client.
http = httpx.Client(timeout=120)


@pytest.fixture(scope="module")
def store():
    store = EmbeddedStore()
    yield store
    store.close()


@pytest.fixture(scope="module")
def writable(store, serve, tmp_path_factory):
    root = tmp_path_factory.mktemp("writable")
    settings = Settings(base_iri=BASE, write_token=TOKEN, dump_dir=root / "dumps",
                        query_log=root / "query.log")
    with serve(store, settings) as url:
        yield url


@pytest.fixture(scope="module")
def read_only(store, serve, tmp_path_factory):
    root = tmp_path_factory.mktemp("read-only")
    settings = Settings(base_iri=BASE, dump_dir=root / "dumps", query_log=root / "query.log")
    with serve(store, settings) as url:
        yield url


def ask(url: str, pattern: str) -> bool:
    response = http.get(f"{url}/sparql", params={"query": f"ASK {{ {pattern} }}"})
    return response.json()["boolean"]


def insert(triples: str, graph: str = GRAPH) -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}"


def test_read_only_without_a_configured_token(read_only):
    response = http.post(f"{read_only}/sparql", data={"update": insert(NOTE)}, headers=AUTH)
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    response = http.put(f"{read_only}/store", params={"graph": GRAPH}, content=NOTE,
                         headers={**AUTH, "Content-Type": "application/n-triples"})
    assert response.status_code == 403
    assert not ask(read_only, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}")


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_updates_need_the_bearer_token(writable, header):
    headers = {"Authorization": header} if header else {}
    response = http.post(f"{writable}/sparql", data={"update": insert(NOTE)}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert not ask(writable, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}")


def test_an_update_with_the_token_is_committed_and_changes_the_etag(writable, store):
    query = {"query": f"SELECT * WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"}
    before = http.get(f"{writable}/sparql", params=query)
    version = store.version
    response = http.post(f"{writable}/sparql", content=insert(NOTE),
                          headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204
    assert store.version == version + 1
    assert ask(writable, f'GRAPH <{GRAPH}> {{ ?s ?p "番禺区预算说明"@zh }}')
    after = http.get(f"{writable}/sparql", params=query,
                      headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]


def test_an_update_that_breaks_the_shapes_is_422_with_the_report(writable, store):
    version = store.version
    response = http.post(f"{writable}/sparql", data={"update": insert(BARE_DOCUMENT)},
                          headers=AUTH)
    assert response.status_code == 422
    problem = response.json()
    assert problem["graph"] == GRAPH
    assert any("identifier" in v or "title" in v for v in problem["violations"])
    assert "violation" in problem["report"]
    assert store.version == version
    assert not ask(writable, f"<{BASE}id/doc/bare> ?p ?o")


def test_a_graph_already_in_violation_still_takes_harmless_corrections(writable, store):
    broken = f"{BASE}graph/doc/already-broken"
    store.replace_graph(broken, [tuple(map(rdflib.URIRef, (
        f"{BASE}id/doc/bare", str(rdflib.RDF.type), f"{FIS}BudgetDocument")))])
    response = http.post(f"{writable}/sparql", data={"update": insert(NOTE, broken)},
                          headers=AUTH)
    assert response.status_code == 204
    worse = f"<{BASE}id/doc/bare2> a <{FIS}BudgetDocument> ."
    response = http.post(f"{writable}/sparql", data={"update": insert(worse, broken)},
                          headers=AUTH)
    assert response.status_code == 422
    # Only what the write brings is reported: bare2's gaps, not bare's older ones.
    violations = response.json()["violations"]
    assert violations and all("bare2" in v for v in violations)


def test_a_malformed_update_is_400_with_its_position(writable):
    response = http.post(f"{writable}/sparql", data={"update": "INSERT DATA {\n  <http://a> <http://b>\n}"},
                          headers=AUTH)
    assert response.status_code == 400
    assert (response.json()["line"], response.json()["column"]) == (3, 1)


def test_update_by_get_or_as_a_query_is_refused(writable):
    response = http.get(f"{writable}/sparql", params={"update": insert(NOTE)}, headers=AUTH)
    assert response.status_code == 405
    response = http.get(f"{writable}/sparql", params={"query": insert(NOTE)})
    assert response.status_code == 400 and "update" in response.json()["detail"]


def test_graph_store_protocol_put_get_post_delete(writable):
    target = f"{BASE}graph/doc/gsp"
    turtle = "text/turtle"
    body = (f"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            f'<{BASE}id/x> rdfs:label "一" .')
    response = http.put(f"{writable}/store", params={"graph": target}, content=body,
                        headers={**AUTH, "Content-Type": turtle})
    assert response.status_code == 201
    got = http.get(f"{writable}/store", params={"graph": target}, headers={"Accept": turtle})
    assert got.status_code == 200
    assert len(rdflib.Graph().parse(data=got.text, format="turtle")) == 1

    more = f'<{BASE}id/y> <http://www.w3.org/2000/01/rdf-schema#label> "二" .'
    response = http.post(f"{writable}/store", params={"graph": target}, content=more,
                          headers={**AUTH, "Content-Type": "application/n-triples"})
    assert response.status_code == 204
    got = http.get(f"{writable}/store", params={"graph": target},
                    headers={"Accept": "application/n-triples"})
    assert len(got.text.strip().splitlines()) == 2

    response = http.put(f"{writable}/store", params={"graph": target}, content=BARE_DOCUMENT,
                        headers={**AUTH, "Content-Type": turtle})
    assert response.status_code == 422
    response = http.put(f"{writable}/store", params={"graph": target}, content="<a> <b",
                         headers={**AUTH, "Content-Type": "application/n-triples"})
    assert response.status_code == 400
    response = http.put(f"{writable}/store", params={"graph": target}, content=body,
                         headers={**AUTH, "Content-Type": "application/x-unknown"})
    assert response.status_code == 415
    response = http.delete(f"{writable}/store", params={"graph": target})
    assert response.status_code == 401
    got = http.get(f"{writable}/store", params={"graph": target},
                    headers={"Accept": "application/n-triples"})
    assert len(got.text.strip().splitlines()) == 2  # the refused writes changed nothing

    assert http.delete(f"{writable}/store", params={"graph": target},
                        headers=AUTH).status_code == 204
    assert http.get(f"{writable}/store", params={"graph": target}).status_code == 404
    assert http.put(f"{writable}/store", params={"default": ""}, content=body,
                     headers={**AUTH, "Content-Type": turtle}).status_code == 400
