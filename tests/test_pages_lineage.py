"""A project page shows the lineage stage's section when the lineage graph is loaded."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from conftest import BASE, serving
from test_pages_support import read_page

from kg.graph.mapping import map_extraction
from kg.lineage.rdf import link_extraction
from kg.store.embedded import EmbeddedStore
from kg.tables.extract import extract_documents
from kg.web.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


@pytest.fixture(scope="module")
def linked_server(tmp_path_factory):
    extraction = extract_documents(sorted(CORPUS.glob("*.txt")))
    _, lineage = link_extraction(extraction, BASE)
    root = tmp_path_factory.mktemp("lineage-pages")
    store = EmbeddedStore(root / "store")
    store.load(map_extraction(extraction, BASE))
    store.replace_graph(str(lineage.identifier), lineage)
    with serving(store, Settings(base_iri=BASE, dump_dir=root / "dumps")) as url:
        yield url, store
    store.close()


def test_a_recurring_project_page_has_its_lineage(linked_server) -> None:
    url, store = linked_server
    # 社会治安视频监控系統建设项目 recurs from the 2019 final accounts to the 2023 budget.
    found = store.query(
        "SELECT ?p WHERE { ?p a <" + BASE + "def/fiscal#Project> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> "
        "<" + BASE + "id/doc/guangzhou-panyu-2023-budget> "
        'FILTER(CONTAINS(?name, "视频监控")) }')
    assert found.rows, "the 2023 budget lists the video surveillance project"
    iri = found.rows[0][0].value
    pages = [httpx.get(url + "/" + iri[len(BASE):], headers={"Accept": "text/html",
                                                              "Accept-Language": language})
             for language in ("zh", "en")]
    chinese, english = (read_page(page.text) for page in pages)
    assert "项目沿革" in chinese.text and "Lineage" in english.text
    assert '<section class=\'lineage\'' in pages[0].text
    # the timeline links the 2019 step of the chain
    earlier = [h for h in chinese.hrefs() if "/id/project/" in h and "/2019/" in h]
    assert earlier


def test_a_page_without_lineage_has_no_section(linked_server) -> None:
    url, _ = linked_server
    page = httpx.get(url + "/id/doc/guangzhou-panyu-2023-budget", headers={"Accept": "text/html"})
    assert "class='lineage'" not in page.text and 'class="lineage"' not in page.text
