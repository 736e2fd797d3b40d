"""The SPARQL 1.1 Protocol at /sparql, over HTTP against the live server (sample corpus)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
import rdflib
from pyoxigraph import QueryResultsFormat, parse_query_results

BASE = "http://localhost:8000/"  # what the live server's corpus graph is minted under
FIS = f"{BASE}def/fiscal#"
PANYU_2023 = f"{BASE}graph/doc/guangzhou-panyu-2023-budget"
BAIYUN_2020 = f"{BASE}graph/doc/guangzhou-baiyun-2020-budget"
YEARS = f"""PREFIX fis: <{FIS}>
SELECT ?doc ?year WHERE {{ ?doc a fis:BudgetDocument ; fis:fiscalYear ?year }} ORDER BY ?doc"""
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        yield http


def test_live_server_serves_the_base_these_tests_use(live_server):
    assert live_server.settings.base_iri == BASE


def years(body: bytes) -> list[tuple[str, str]]:
    data = json.loads(body)
    return [(b["doc"]["value"], b["year"]["value"]) for b in data["results"]["bindings"]]


def test_get_post_form_and_post_direct_give_the_same_result(client):
    accept = {"Accept": "application/sparql-results+json"}
    by_get = client.get("/sparql", params={"query": YEARS}, headers=accept)
    by_form = client.post("/sparql", data={"query": YEARS}, headers=accept)
    direct = client.post("/sparql", content=YEARS.encode(),
                         headers={**accept, "Content-Type": "application/sparql-query"})
    assert by_get.status_code == by_form.status_code == direct.status_code == 200
    found = years(by_get.content)
    assert years(by_form.content) == years(direct.content) == found
    # The sample corpus: two 2023 budgets, a 2020 budget and 2019 final accounts.
    assert sorted(year for _, year in found) == ["2019", "2020", "2023", "2023"]


def test_default_graph_uri_and_named_graph_uri_set_the_dataset(client):
    query = {"query": YEARS, "default-graph-uri": PANYU_2023}
    only_panyu = years(client.get("/sparql", params=query).content)
    assert [doc.rsplit("/", 1)[1] for doc, _ in only_panyu] == ["guangzhou-panyu-2023-budget"]
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", params=[("query", graphs), ("named-graph-uri", PANYU_2023),
                                             ("named-graph-uri", BAIYUN_2020)])
    named = {b["g"]["value"] for b in response.json()["results"]["bindings"]}
    assert named == {PANYU_2023, BAIYUN_2020}
    # With only named graphs given, the default graph is empty, as the protocol says.
    response = client.get("/sparql", params={"query": YEARS, "named-graph-uri": PANYU_2023})
    assert years(response.content) == []


def test_select_in_json_xml_csv_and_tsv(client):
    query = {"query": YEARS}
    json_rows = years(client.get("/sparql", params=query,
                                 headers={"Accept": "application/sparql-results+json"}).content)

    response = client.get("/sparql", params=query,
                          headers={"Accept": "application/sparql-results+xml"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(response.content)
    xml_rows = [
        tuple(r.find(f"{RESULTS_NS}binding[@name='{n}']")[0].text for n in ("doc", "year"))
        for r in root.iter(f"{RESULTS_NS}result")
    ]
    assert xml_rows == json_rows

    response = client.get("/sparql", params=query, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == ["doc", "year"]
    assert [tuple(row) for row in table[1:]] == json_rows

    response = client.get("/sparql", params=query,
                          headers={"Accept": "text/tab-separated-values"})
    lines = response.text.splitlines()
    assert lines[0] == "?doc\t?year"
    first_doc, first_year = json_rows[0]
    year_type = json.loads(
        client.get("/sparql", params=query).content)["results"]["bindings"][0]["year"]["datatype"]
    assert lines[1].split("\t") == [f"<{first_doc}>", f'"{first_year}"^^<{year_type}>']
    # A real parser reads every format back to the same solutions.
    for media_type, format in (("application/sparql-results+xml", QueryResultsFormat.XML),
                               ("text/tab-separated-values", QueryResultsFormat.TSV)):
        body = client.get("/sparql", params=query, headers={"Accept": media_type}).content
        parsed = [(s["doc"].value, s["year"].value)
                  for s in parse_query_results(body, format=format)]
        assert parsed == json_rows, media_type


def test_ask_in_every_results_format(client):
    ask = f"ASK {{ GRAPH <{PANYU_2023}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": ask})
    assert response.json() == {"head": {}, "boolean": True}
    body = client.get("/sparql", params={"query": "ASK { ?s ?p <urn:nothing> }"},
                      headers={"Accept": "application/sparql-results+xml"}).content
    assert bool(parse_query_results(body, format=QueryResultsFormat.XML)) is False
    for accept in ("text/csv", "text/tab-separated-values"):
        response = client.get("/sparql", params={"query": ask}, headers={"Accept": accept})
        assert response.status_code == 200 and "true" in response.text


@pytest.mark.parametrize("media_type,rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json",
                                                                 "json-ld"),
    ("application/rdf+xml", "xml"), ("application/trig", "trig"), ("application/n-quads",
                                                                   "nquads"),
])
def test_construct_and_describe_in_every_rdf_format(client, media_type, rdflib_format):
    construct = (f"PREFIX fis: <{FIS}> CONSTRUCT {{ ?doc fis:fiscalYear ?year }} "
                 f"WHERE {{ ?doc a fis:BudgetDocument ; fis:fiscalYear ?year }}")
    response = client.get("/sparql", params={"query": construct}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=response.content, format=rdflib_format)
    assert len(graph) == 4 and int(response.headers["x-result-rows"]) == 4

    describe = f"DESCRIBE <{BASE}id/doc/guangzhou-panyu-2023-budget>"
    response = client.get("/sparql", params={"query": describe}, headers={"Accept": media_type})
    graph = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=response.content, format=rdflib_format)
    titles = {str(o) for o in graph.objects(predicate=rdflib.DCTERMS.title)}
    assert titles == {"2023年广州市番禺区政务服务数据管理局部门预算"}


@pytest.mark.parametrize("accept,expected", [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*;q=0.8, text/csv;q=0.1", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("application/json;q=0.2, */*;q=0.1", "application/json"),
    ("text/html;q=1, text/csv;q=0.3", "text/csv"),
])
def test_content_negotiation_follows_q_values_and_wildcards(client, accept, expected):
    response = client.get("/sparql", params={"query": YEARS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]


def test_406_lists_what_is_available(client):
    response = client.get("/sparql", params={"query": YEARS},
                          headers={"Accept": "text/turtle, text/html"})
    assert response.status_code == 406
    problem = response.json()
    assert "text/csv" in problem["available"] and "text/turtle" not in problem["available"]
    assert "text/csv" in problem["detail"]
    construct = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
    response = client.get("/sparql", params={"query": construct},
                          headers={"Accept": "text/csv;q=1, application/xml;q=0"})
    assert response.status_code == 406
    assert "application/n-quads" in response.json()["available"]


def test_415_for_an_unknown_body_type(client):
    response = client.post("/sparql", content=YEARS.encode(),
                           headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert "application/sparql-query" in response.json()["accepted"]


def test_malformed_query_is_400_problem_json_with_line_and_column(client):
    # BIND's ")" is missing: the parser meets "}" at line 5, column 1 instead.
    broken = "PREFIX fis: <http://x/>\nSELECT ?s\nWHERE {\n  ?s fis:p ?o . BIND(1 AS ?t\n}"
    response = client.post("/sparql", data={"query": broken})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Malformed query"
    assert problem["line"] == 5 and problem["column"] == 1
    assert '")"' in problem["detail"]


def test_service_description_names_the_url_actually_requested(client, live_server):
    for host in ("127.0.0.1", "localhost"):
        url = live_server.url.replace("127.0.0.1", host) + "/sparql"
        response = httpx.get(url, headers={"Accept": "text/turtle"})
        assert response.status_code == 200
        graph = rdflib.Graph().parse(data=response.content, format="turtle")
        sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
        assert list(graph.objects(predicate=sd.endpoint)) == [rdflib.URIRef(url)]
        named = {str(name) for name in graph.objects(predicate=sd.name)}
        assert PANYU_2023 in named
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and "sparql-service-description" in response.text


@pytest.mark.parametrize("query,word", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("select * where { service silent <http://example.org/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("PREFIX ex: <http://example.org/>\nSELECT * FROM NAMED ex:data WHERE { ?s ?p ?o }", "FROM"),
])
def test_service_and_remote_from_are_refused(client, query, word):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    problem = response.json()
    assert word in problem["detail"] and "never" in problem["detail"]


def test_local_from_and_lookalike_words_are_not_refused(client):
    local = f"SELECT (COUNT(*) AS ?n) FROM <{PANYU_2023}> WHERE {{ ?s ?p ?o }}"
    response = client.get("/sparql", params={"query": local})
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    # The words inside strings, comments and variable names are not the keywords.
    harmless = ('SELECT ?service ?load WHERE { BIND("SERVICE <http://x/>" AS ?service) '
                "BIND(1 AS ?load) } # LOAD <http://x/>")
    assert client.get("/sparql", params={"query": harmless}).status_code == 200


def test_load_is_refused_even_with_the_token(client, live_server):
    response = client.post(
        "/sparql", data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"},
        headers={"Authorization": f"Bearer {live_server.settings.write_token}"})
    assert response.status_code == 400
    assert "LOAD" in response.json()["detail"]


def test_remote_default_graph_uri_is_refused(client):
    response = client.get("/sparql", params={"query": YEARS,
                                             "default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400 and "never fetches" in response.json()["detail"]


def test_cors_for_reads_without_credentials(client):
    origin = {"Origin": "https://somewhere.example"}
    response = client.get("/sparql", params={"query": YEARS}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "ETag" in response.headers["access-control-expose-headers"]
    preflight = client.options("/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    # Authorization is not an allowed header: a browser cannot carry a write token over.
    preflight = client.options("/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 400


def test_etag_and_304(client):
    first = client.get("/sparql", params={"query": YEARS}, headers={"Accept": "text/csv"})
    etag = first.headers["etag"]
    again = client.get("/sparql", params={"query": YEARS},
                       headers={"Accept": "text/csv", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other_type = client.get("/sparql", params={"query": YEARS},
                            headers={"Accept": "application/sparql-results+json",
                                     "If-None-Match": etag})
    assert other_type.status_code == 200 and other_type.headers["etag"] != etag
    other_query = client.get("/sparql", params={"query": YEARS + " LIMIT 1"},
                             headers={"Accept": "text/csv", "If-None-Match": etag})
    assert other_query.status_code == 200


def test_query_log_health_and_metrics(client, live_server):
    marker = "# query-log-marker\nASK { ?s ?p ?o }"
    assert client.get("/sparql", params={"query": marker}).status_code == 200
    assert client.get("/sparql", params={"query": "SELECT ?x WHERE {"}).status_code == 400
    entries = [json.loads(line) for line in
               live_server.settings.query_log.read_text(encoding="utf-8").splitlines()]
    mine = [e for e in entries if "query-log-marker" in e["query"]]
    assert mine and mine[-1]["status"] == 200 and mine[-1]["rows"] == 1
    assert isinstance(mine[-1]["duration_ms"], float)
    assert any(e["status"] == 400 for e in entries)

    health = client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.json()["version"] == live_server.store.version

    metrics = client.get("/metrics").text
    assert 'kg_sparql_requests_total{operation="query",status="200"}' in metrics
    assert 'kg_sparql_requests_total{operation="query",status="400"}' in metrics
    assert "kg_sparql_duration_seconds_bucket" in metrics
    assert f"kg_dataset_version {live_server.store.version}" in metrics
