"""The home page and the VoID/DCAT description, checked against the live graph and the dumps."""

from __future__ import annotations

import hashlib

import httpx
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from test_pages_support import read_page

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
BASE = "http://localhost:8000/"
FIS = rdflib.Namespace(BASE + "def/fiscal#")
DATASET = rdflib.URIRef(BASE + ".well-known/void#dataset")


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server.url, timeout=120) as session:
        yield session


@pytest.fixture(scope="module")
def void(client) -> rdflib.Graph:
    response = client.get("/.well-known/void")  # no Accept: Turtle, what harvesters expect
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.content, format="turtle")


def count(client, query: str) -> int:
    """A number computed independently, through the SPARQL endpoint."""
    response = client.get("/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_counts_match_the_live_graph(client, void) -> None:
    triples = count(client, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert void.value(DATASET, VOID.triples).toPython() == triples > 50_000
    projects = count(client, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{FIS.Project}> }}")
    partitions = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
                  for p in void.objects(DATASET, VOID.classPartition)}
    assert partitions[FIS.Project] == projects > 50
    amounts = count(client, "SELECT (COUNT(*) AS ?n) WHERE "
                            f"{{ GRAPH ?g {{ ?s <{FIS.amount}> ?o }} }}")
    by_property = {void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
                   for p in void.objects(DATASET, VOID.propertyPartition)}
    assert by_property[FIS.amount] == amounts
    assert void.value(DATASET, VOID.properties).toPython() == len(by_property)


def test_each_named_graph_is_a_subset_with_its_counts(client, void) -> None:
    subsets = {void.value(s, SD.name): s for s in void.objects(DATASET, VOID.subset)}
    document_graph = rdflib.URIRef(BASE + "graph/doc/guangzhou-panyu-2023-budget")
    assert {document_graph, rdflib.URIRef(BASE + "graph/ontology"),
            rdflib.URIRef(BASE + "graph/codes")} <= set(subsets)
    in_graph = count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{document_graph}> "
                             "{ ?s ?p ?o } }")
    assert void.value(subsets[document_graph], VOID.triples).toPython() == in_graph
    assert void.value(subsets[document_graph], VOID.entities).toPython() > 100
    total = sum(void.value(s, VOID.triples).toPython() for s in subsets.values())
    assert total == void.value(DATASET, VOID.triples).toPython()


def test_licence_endpoint_and_dcat(void) -> None:
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert void.value(DATASET, DCTERMS.license).startswith("https://creativecommons.org/")
    assert void.value(DATASET, VOID.sparqlEndpoint) == rdflib.URIRef(BASE + "sparql")
    service = rdflib.URIRef(BASE + "sparql")
    assert (service, DCAT.servesDataset, DATASET) in void
    titles = {t.language for t in void.objects(DATASET, DCTERMS.title)}
    assert titles == {"zh", "en"}


def test_dump_files_are_listed_with_true_size_and_checksum(client, void) -> None:
    distributions = list(void.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 5  # the whole dataset and one file per document
    for distribution in distributions:
        url = str(void.value(distribution, DCAT.downloadURL))
        assert url.startswith(BASE + "dumps/")
        body = client.get("/" + url[len(BASE):]).content
        assert void.value(distribution, DCAT.byteSize).toPython() == len(body)
        checksum = void.value(distribution, SPDX.checksum)
        value = void.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary
        assert str(value) == hashlib.sha256(body).hexdigest()
    whole = rdflib.URIRef(BASE + "dumps/fiscal-kg.nq.gz")
    assert (DATASET, VOID.dataDump, whole) in void


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
    ("application/n-triples", "nt"),
])
def test_other_syntaxes(client, void, accept: str, rdf_format: str) -> None:
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept)
    graph = rdflib.Graph().parse(data=response.content, format=rdf_format)
    assert graph.value(DATASET, VOID.triples) == void.value(DATASET, VOID.triples)


def test_the_void_page_for_browsers(client) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/html,*/*;q=0.8"})
    page = read_page(response.text)
    assert "/dumps/fiscal-kg.nq.gz" in page.hrefs()
    assert "http://localhost:8000/def/fiscal#Project" in page.text


def test_the_home_page_explains_and_links_everything(client) -> None:
    response = client.get("/", headers={"Accept": "text/html", "Accept-Language": "en"})
    page = read_page(response.text)
    assert "linked" in page.h1.lower()
    assert {"/query", "/queries", "/dumps", "/.well-known/void", "/sparql", "/docs"} <= page.hrefs()
    documents = [href for href in page.hrefs() if href.startswith("/id/doc/")]
    assert sorted(documents) == [
        "/id/doc/guangzhou-baiyun-2020-budget", "/id/doc/guangzhou-panyu-2019-final-accounts",
        "/id/doc/guangzhou-panyu-2023-budget", "/id/doc/qingyuan-qingxin-2023-budget"]
    labels = dict(page.links)
    baiyun = labels["/id/doc/guangzhou-baiyun-2020-budget"]
    assert baiyun == "2020年广州市白云区政务服务数据管理局部门预算"
    (dataset,) = page.json_ld()
    assert dataset["@type"] == "Dataset" and dataset["license"].startswith("https://")
    chinese = read_page(client.get("/", headers={"Accept-Language": "zh-CN"}).text)
    assert "部门预算" in chinese.h1
