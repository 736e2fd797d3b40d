"""Resource pages over HTTP: every minted IRI dereferences, as HTML or as RDF.

The server is the real app on loopback serving the corpus graph (conftest.py);
pages are read with an HTML parser, RDF answers with rdflib. Figures were read
by hand off the cited lines of data/corpus.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
import rdflib
from test_pages_support import read_page

BASE = "http://localhost:8000/"
FIS = rdflib.Namespace(BASE + "def/fiscal#")
PANYU_2023 = "guangzhou-panyu-2023-budget"
DOCUMENT = f"/id/doc/{PANYU_2023}"
# guangzhou-panyu-2023-budget.txt:179  201	一般公共服务支出	9, 929. 37	924. 37	9, 005. 00
OBSERVATION = f"/id/obs/{PANYU_2023}/expenditure_by_function/function-201/-/total"
DEPARTMENT = "广州市番禺区政务服务数据管理局"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server.url, timeout=60) as session:
        yield session


def html(client, path: str, language: str = "zh-CN,zh;q=0.9", **params):
    response = client.get(path, params=params,
                          headers={"Accept": BROWSER, "Accept-Language": language})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return read_page(response.text)


def test_an_observation_page_shows_amount_unit_links_and_source_line(client) -> None:
    page = html(client, OBSERVATION)
    assert "9,929.37 万元" in page.text  # grouped digits, printed decimals, unit
    assert page.h1 == "一般公共服务支出 · 合计"
    links = dict(page.links)
    assert f"/source/{PANYU_2023}#L179" in links
    assert DOCUMENT in links  # the document, a local link
    assert links[DOCUMENT] == "2023年广州市番禺区政务服务数据管理局部门预算"
    assert "/id/code/function/201" in links  # the code, labelled
    assert links["/id/code/function/201"] == "一般公共服务支出"
    assert any(href.startswith("/def/fiscal#amount") for href in links)  # properties are links
    assert "金额" in page.text and "来源行" in page.text  # property labels in Chinese


def test_labels_follow_accept_language(client) -> None:
    english = html(client, OBSERVATION, language="en-GB,en;q=0.9,zh;q=0.5")
    chinese = html(client, OBSERVATION, language="zh-CN")
    assert english.lang == "en" and chinese.lang == "zh-Hans"
    assert "source line" in english.text and "amount" in english.text
    assert "来源行" not in english.text
    assert "来源行" in chinese.text
    by_parameter = html(client, OBSERVATION, language="zh-CN", lang="en")
    assert "source line" in by_parameter.text  # the language switch link's ?lang= wins


def test_the_source_line_link_lands_on_that_line(client) -> None:
    response = client.get(f"/source/{PANYU_2023}", headers={"Accept": BROWSER})
    page = read_page(response.text)
    assert {"L1", "L179", "L704"} <= page.ids
    line = response.text.split('id="L179"', 1)[1].split("</span>", 1)[0]
    assert "一般公共服务支出" in line and "9, 929. 37" in line
    raw = client.get(f"/source/{PANYU_2023}.txt")
    assert raw.text.splitlines()[178].startswith("201\t一般公共服务支出")
    assert client.get("/source/no-such-document").status_code == 404


def test_a_line_iri_redirects_browsers_to_the_line(client) -> None:
    response = client.get(f"/id/doc/{PANYU_2023}/line/179", headers={"Accept": BROWSER})
    assert response.status_code == 303
    assert response.headers["location"] == f"/source/{PANYU_2023}#L179"


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_rdf_by_content_negotiation(client, accept: str, rdf_format: str) -> None:
    response = client.get(OBSERVATION, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.content, format=rdf_format)
    subject = rdflib.URIRef(BASE + OBSERVATION.lstrip("/"))
    amounts = list(graph.objects(subject, FIS.amount))
    assert [a.toPython() for a in amounts] == [rdflib.Literal("9929.37",
                                                              datatype=rdflib.XSD.decimal).toPython()]
    assert graph.value(subject, FIS.sourceLine).toPython() == 179
    # the labels of what it links to come along, so the document reads on its own
    code = rdflib.URIRef(BASE + "id/code/function/201")
    assert rdflib.Literal("一般公共服务支出", lang="zh") in set(graph.objects(code, None))


@pytest.mark.parametrize(("suffix", "media"), [
    (".ttl", "text/turtle"), (".nt", "application/n-triples"),
    (".jsonld", "application/ld+json"), (".rdf", "application/rdf+xml"),
])
def test_rdf_by_suffix_whatever_accept_says(client, suffix: str, media: str) -> None:
    response = client.get(DOCUMENT + suffix, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert len(response.content) > 200


def test_negotiation_with_q_values_and_wildcards(client) -> None:
    def chosen(accept: str) -> str:
        response = client.get(OBSERVATION, headers={"Accept": accept})
        assert response.status_code == 200
        return response.headers["content-type"].split(";")[0]

    assert chosen("text/turtle;q=0.5, application/rdf+xml;q=0.9") == "application/rdf+xml"
    assert chosen("application/*;q=0.8, text/html;q=0.1") == "application/n-triples"
    assert chosen("*/*") == "text/html"
    assert chosen(BROWSER) == "text/html"
    refused = client.get(OBSERVATION, headers={"Accept": "image/png, application/pdf"})
    assert refused.status_code == 406
    assert "text/turtle" in refused.text and "application/ld+json" in refused.text


def test_unknown_iris_are_404_in_every_format(client) -> None:
    assert client.get("/id/doc/no-such-document", headers={"Accept": BROWSER}).status_code == 404
    assert client.get("/id/doc/no-such-document.ttl").status_code == 404


def test_chinese_paths_work_encoded_or_not(client) -> None:
    encoded = "/id/org/" + quote(DEPARTMENT, safe="")
    raw = "/id/org/" + DEPARTMENT  # httpx sends it as UTF-8 bytes, percent-encoded
    for path in (encoded, raw):
        page = html(client, path)
        assert page.h1 == DEPARTMENT
        assert "/id/place/%E5%B9%BF%E4%B8%9C%E7%9C%81/%E5%B9%BF%E5%B7%9E%E5%B8%82/" \
               "%E7%95%AA%E7%A6%BA%E5%8C%BA" in page.hrefs()  # 番禺区, linked


def test_incoming_links_are_listed_and_paged(client) -> None:
    first = html(client, DOCUMENT)
    assert "被引用 (" in first.text
    total = int(first.text.split("被引用 (", 1)[1].split(")", 1)[0])
    assert total > 1000  # every observation of the document points at it
    assert "?page=2&lang=zh#incoming" in first.hrefs()
    second = html(client, DOCUMENT, page="2")
    first_rows = {h for h in first.hrefs() if h.startswith("/id/obs/")}
    second_rows = {h for h in second.hrefs() if h.startswith("/id/obs/")}
    assert first_rows and second_rows and not first_rows & second_rows
    assert "?page=1&lang=zh#incoming" in second.hrefs()
    # unlabelled amounts are named by what they count, not shown as bare paths
    names = [text for href, text in first.links if href.startswith("/id/obs/")]
    assert names and all(" · " in name and not name.startswith("id/") for name in names)


def test_a_document_page_embeds_schema_org_dataset(client) -> None:
    page = html(client, DOCUMENT)
    (dataset,) = page.json_ld()
    assert dataset["@type"] == "Dataset" and dataset["@context"] == "https://schema.org/"
    assert dataset["@id"] == BASE + DOCUMENT.lstrip("/")
    assert dataset["name"] == "2023年广州市番禺区政务服务数据管理局部门预算"
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert {"text/turtle", "application/ld+json"} <= formats
    assert page.alternates["text/turtle"].endswith(PANYU_2023 + ".ttl")
    assert {f"/source/{PANYU_2023}", f"/dumps/doc/{PANYU_2023}.ttl"} <= page.hrefs()
    observation = html(client, OBSERVATION)
    assert observation.json_ld() == []  # an amount is not a dataset


def test_a_project_page_links_its_unit_and_its_indicators(client) -> None:
    found = client.get("/queries/project-indicators", params={"project": "政府专线线路租用"},
                       headers={"Accept": "application/json"}).json()
    projects = {b["doc"]["value"] for b in found["results"]["bindings"]}
    assert projects  # the indicators come from the 2019 final accounts
    listing = client.get("/queries/top-projects",
                         params={"department": DEPARTMENT, "year": "2019", "limit": "50"},
                         headers={"Accept": "application/json"}).json()
    iri = next(b["project"]["value"] for b in listing["results"]["bindings"]
               if b["name"]["value"] == "政府专线线路租用费用")
    page = html(client, "/" + iri[len(BASE):])
    assert page.h1 == "政府专线线路租用费用"
    indicators = [h for h in page.hrefs() if h.startswith("/id/indicator/")]
    assert indicators  # incoming: the indicators that measure it
    assert any(h.startswith("/source/guangzhou-panyu-2019-final-accounts#L") for h in page.hrefs())


def test_the_ontology_and_graph_pages(client) -> None:
    ontology = html(client, "/def/fiscal")
    assert {"amount", "sourceLine", "BudgetDocument", "Project"} <= ontology.ids
    assert "金额" in ontology.text
    turtle = client.get("/def/fiscal.ttl")
    graph = rdflib.Graph().parse(data=turtle.content, format="turtle")
    assert (FIS.amount, rdflib.RDFS.label, rdflib.Literal("amount", lang="en")) in graph
    page = html(client, f"/graph/doc/{PANYU_2023}")
    assert DOCUMENT in page.hrefs() and f"/source/{PANYU_2023}" in page.hrefs()
    dump = client.get(f"/graph/doc/{PANYU_2023}.nt")
    triples = rdflib.Graph().parse(data=dump.content, format="nt")
    assert len(triples) > 1000
    assert client.get("/graph/doc/no-such-document").status_code == 404


def test_pages_carry_a_version_etag_and_answer_304(client) -> None:
    first = client.get(OBSERVATION, headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    assert etag.startswith('"v')
    again = client.get(OBSERVATION, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    as_html = client.get(OBSERVATION, headers={"Accept": "text/html", "If-None-Match": etag})
    assert as_html.status_code == 200 and as_html.headers["etag"] != etag
