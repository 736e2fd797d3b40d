"""The lineage graph in the real store: PROV, the catalogue queries, project pages, ``kg link``.

The corpus is extracted and mapped by the real pipeline, linked, and loaded
into an embedded Oxigraph store; pages are fetched from the real web app on
loopback. Expected names, years and amounts were read off data/corpus.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.cli import main
from kg.graph.mapping import map_extraction
from kg.lineage.graph import Lineage
from kg.lineage.html import section
from kg.lineage.rdf import link_extraction
from kg.store.embedded import EmbeddedStore
from kg.tables.extract import extract_documents
from kg.web.queries import parse_query_file
from kg.web.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
BASE = "http://localhost:8000/"
LINEAGE_GRAPH = BASE + "graph/lineage"
PANYU = "广州市番禺区政务服务数据管理局"
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture(scope="module")
def linked() -> tuple[Lineage, Graph, object]:
    extraction = extract_documents(sorted(CORPUS.glob("*.txt")))
    lineage, graph = link_extraction(extraction, BASE)
    return lineage, graph, extraction


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, linked) -> EmbeddedStore:
    lineage, graph, extraction = linked
    store = EmbeddedStore(tmp_path_factory.mktemp("lineage") / "store")
    store.load(map_extraction(extraction, BASE))
    store.load({str(graph.identifier): graph})
    yield store
    store.close()


def select(store: EmbeddedStore, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql)
    return [{v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows]


def catalogue(store: EmbeddedStore, query_name: str, **params: str) -> list[dict[str, str]]:
    query = parse_query_file(ROOT / "sparql" / f"{query_name}.rq")
    return select(store, query.bind(params))


def iri_of(lineage: Lineage, doc_id: str, name: str) -> str:
    return next(p.iri for p in lineage.projects if p.doc_id == doc_id and p.name == name)


def test_links_are_resources_with_kind_score_evidence_and_run(store) -> None:
    rows = select(store, f"""
        PREFIX fis: <{BASE}def/fiscal#>
        PREFIX prov: <{PROV}>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?kind ?score ?from ?run ?used (COUNT(?evidence) AS ?lines) WHERE {{
          GRAPH <{LINEAGE_GRAPH}> {{
            ?link a fis:ProjectLink ; fis:linkKind/skos:notation ?kind ; fis:score ?score ;
                  fis:fromProject ?from ; fis:evidence ?evidence ; prov:wasGeneratedBy ?run .
            ?run a prov:Activity ; prov:startedAtTime ?start ; prov:used ?used .
          }}
        }} GROUP BY ?kind ?score ?from ?run ?used""")
    assert {r["kind"] for r in rows} >= {"continues", "merged_into"}
    assert all(0 < float(r["score"]) <= 1 and int(r["lines"]) >= 3 for r in rows)
    assert {r["used"] for r in rows} == {f"{BASE}id/doc/{d}" for d in (
        "guangzhou-baiyun-2020-budget", "guangzhou-panyu-2019-final-accounts",
        "guangzhou-panyu-2023-budget", "qingyuan-qingxin-2023-budget")}
    # Linked projects are the projects `kg map` put in the document graphs.
    mapped = select(store, f"""
        PREFIX fis: <{BASE}def/fiscal#>
        SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
          GRAPH <{LINEAGE_GRAPH}> {{ ?l fis:fromProject|fis:toProject ?p }}
          FILTER NOT EXISTS {{ GRAPH ?doc {{ ?p a fis:Project }} }}
        }}""")
    assert mapped == [{"n": "0"}]


def test_history_query(store) -> None:
    rows = catalogue(store, "lineage-project-history", name="社会治安视频监控系统建设项目")
    assert [(r["fiscalYear"], r["phase"], r["printedName"], r.get("amount")) for r in rows] == [
        ("2019", "final_accounts", "社会治安视频监控系統建设项目", None),
        ("2023", "budget", "社会治安视频监控系统建设项目", "250"),
    ]
    assert rows[1]["linkKind"] == "continues"
    # the 2019 printed name finds the same chain
    old = catalogue(store, "lineage-project-history", name="社会治安视频监控系統建设项目")
    assert [r["fiscalYear"] for r in old] == ["2019", "2023"]


def test_recurring_query(store) -> None:
    assert catalogue(store, "lineage-recurring-projects") == []  # no department has 3 years
    rows = catalogue(store, "lineage-recurring-projects", min_years="2", department=PANYU)
    names = {r["name"].split(" (")[0]: r for r in rows}
    assert {"社会治安视频监控系统建设项目", "番禺区电子政务外网升级改造项目"} <= set(names)
    assert names["番禺区电子政务外网升级改造项目"]["amounts"] == "2019: —; 2023: 24.4"


def test_appeared_and_disappeared_query(store) -> None:
    rows = catalogue(store, "lineage-appeared-disappeared", year="2023", department=PANYU)
    changes = {(r["change"], r["name"]) for r in rows}
    assert ("appeared", "免费刻章") in changes                       # 2023 :487
    assert ("disappeared", "云计算中心二期机房升级改造") in changes    # 2019 :1172, done
    assert ("appeared", "社会治安视频监控系统建设项目") not in changes  # continues from 2019
    merged = [r for r in rows
              if r["change"] == "disappeared" and r["name"] == "政府专线线路租用费用"]
    assert merged and merged[0]["note"] == 'into "数字政府"建设专项资金'
    assert all(r["fiscalYear"] in ("2019", "2023") for r in rows)


def test_similar_query_runs(store) -> None:
    # No similar project clears the threshold across the corpus's three departments.
    assert catalogue(store, "lineage-similar-projects") == []


def test_section_for_a_project_page(store, linked) -> None:
    lineage = linked[0]
    cctv = iri_of(lineage, "guangzhou-panyu-2023-budget", "社会治安视频监控系统建设项目")
    html = section(store, cctv, "zh")
    assert html is not None
    assert "<svg" in html and "2019" in html and "2023" in html and "250 万元" in html
    assert "社会治安视频监控系統建设项目" in html and "延续" in html
    fund = iri_of(lineage, "guangzhou-panyu-2023-budget", '"数字政府"建设专项资金')
    merged = section(store, fund, "en")
    assert merged is not None and "merged into" in merged and "政府专线线路租用费用" in merged
    seal = iri_of(lineage, "guangzhou-panyu-2023-budget", "免费刻章")
    assert section(store, seal, "zh") is None  # nothing linked: no section


def test_project_page_over_http_shows_the_lineage(store, linked, serve, tmp_path) -> None:
    lineage = linked[0]
    cctv = iri_of(lineage, "guangzhou-panyu-2019-final-accounts", "社会治安视频监控系統建设项目")
    settings = Settings(base_iri=BASE, dump_dir=tmp_path / "dumps",
                        query_log=tmp_path / "query.log")
    with serve(store, settings) as url:
        response = httpx.get(url + cctv[len(BASE) - 1:], headers={"Accept": "text/html"},
                             timeout=30)
    assert response.status_code == 200
    assert "class='lineage'" in response.text
    assert "250 万元" in response.text  # the 2023 year of the chain, seen from the 2019 page


def test_kg_link_command(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    store_dir = tmp_path / "store"
    code = main(["link", str(CORPUS), "--report", "--out", str(out), "--load",
                 "--store-dir", str(store_dir)])
    assert code == 0
    printed = capsys.readouterr()
    assert "Chains over the years (2):" in printed.out
    assert "社会治安视频监控系統建设项目" in printed.out and "250.00 万元" in printed.out
    assert "merged_into" in printed.out
    assert "loaded http://localhost:8000/graph/lineage" in printed.err
    for name in ("projects", "links", "chains", "families"):
        with open(out / f"{name}.csv", encoding="utf-8") as handle:
            assert next(csv.reader(handle))
    with open(out / "chains.csv", encoding="utf-8") as handle:
        steps = list(csv.DictReader(handle))
    assert {(s["fiscal_year"], s["name"]) for s in steps} >= {
        ("2019", "社会治安视频监控系統建设项目"), ("2023", "社会治安视频监控系统建设项目")}
    svg = ElementTree.parse(out / "chain.svg").getroot()
    assert svg.tag.endswith("svg")
    trig = Dataset()
    trig.parse(out / "lineage.trig", format="trig")
    assert len(trig.graph(URIRef(LINEAGE_GRAPH))) > 100
    store = EmbeddedStore(store_dir)
    try:
        assert [g.iri for g in store.graphs()] == [LINEAGE_GRAPH]
    finally:
        store.close()


def test_kg_link_refuses_missing_input(tmp_path, capsys) -> None:
    assert main(["link", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["link", "--tables", str(tmp_path / "none")]) == 2


def test_kg_link_reads_the_tables_kg_extract_wrote(tmp_path, capsys) -> None:
    tables = tmp_path / "tables"
    assert main(["extract", str(CORPUS), "--out", str(tables), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["link", "--tables", str(tables), "--report"]) == 0
    from_tables = capsys.readouterr().out
    assert main(["link", str(CORPUS), "--report"]) == 0
    assert capsys.readouterr().out == from_tables
    assert "社会治安视频监控系統建设项目" in from_tables
