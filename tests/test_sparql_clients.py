"""Real SPARQL clients against the live server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

BASE = "http://localhost:8000/"
FIS = rdflib.Namespace(f"{BASE}def/fiscal#")
YEARS = f"""PREFIX fis: <{FIS}>
SELECT ?doc ?year WHERE {{ ?doc a fis:BudgetDocument ; fis:fiscalYear ?year }} ORDER BY ?doc"""
EXPECTED_YEARS = ["2019", "2020", "2023", "2023"]


def wrapper(live_server, method=GET, request_method=None) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setMethod(method)
    if request_method:
        client.setRequestMethod(request_method)
    return client


@pytest.mark.parametrize("method,request_method", [(GET, None), (POST, None),
                                                    (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_json_by_every_method(live_server, method, request_method):
    client = wrapper(live_server, method, request_method)
    client.setQuery(YEARS)
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]
    assert sorted(b["year"]["value"] for b in bindings) == EXPECTED_YEARS


def test_sparqlwrapper_xml_csv_ask_and_construct(live_server):
    client = wrapper(live_server)
    client.setQuery(YEARS)
    client.setReturnFormat(XML)
    document = client.queryAndConvert()  # a DOM
    years = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert sorted(years) == EXPECTED_YEARS

    client.setReturnFormat(CSV)
    lines = client.queryAndConvert().decode().splitlines()
    assert lines[0] == "doc,year" and len(lines) == 5

    client.setQuery(f"ASK {{ ?doc <{FIS}fiscalYear> ?y }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True

    client.setQuery(f"PREFIX fis: <{FIS}> CONSTRUCT {{ ?doc fis:fiscalYear ?y }} "
                    "WHERE { ?doc fis:fiscalYear ?y ; a fis:BudgetDocument }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert sorted(str(year) for year in graph.objects()) == EXPECTED_YEARS


def test_sparqlwrapper_sees_a_malformed_query_as_a_bad_request(live_server):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = wrapper(live_server)
    client.setQuery("SELECT ?x WHERE { ?x ")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        client.queryAndConvert()


def test_rdflib_sparqlstore_queries_and_iterates(live_server):
    store = SPARQLStore(f"{live_server.url}/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(YEARS))
    assert sorted(str(row.year) for row in rows) == EXPECTED_YEARS
    assert all(isinstance(row.doc, rdflib.URIRef) for row in rows)
    panyu = rdflib.URIRef(f"{BASE}id/doc/guangzhou-panyu-2023-budget")
    titles = list(graph.objects(panyu, rdflib.DCTERMS.title))
    assert [str(t) for t in titles] == ["2023年广州市番禺区政务服务数据管理局部门预算"]
    assert (panyu, rdflib.RDF.type, FIS.BudgetDocument) in graph
    store.close()


def test_rdflib_sparqlstore_with_xml_results_and_post(live_server):
    store = SPARQLStore(f"{live_server.url}/sparql", returnFormat="xml", method="POST")
    result = rdflib.Graph(store=store).query(f"ASK {{ ?d <{FIS}fiscalYear> ?y }}")
    assert result.askAnswer is True
    store.close()
