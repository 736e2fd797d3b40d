"""Every query of sparql/ served at /queries/NAME, against the graph of the real corpus.

Expected figures were read by hand off the cited lines of data/corpus, not
produced by the code under test.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import httpx
import pytest

from kg.web.queries import CATALOGUE_DIR, parse_query_file

QUERY_FILES = sorted(CATALOGUE_DIR.glob("*.rq"))
PANYU = "广州市番禺区政务服务数据管理局"


@pytest.fixture(scope="module")
def server(live_server):
    return live_server  # serves the corpus graph built by the real pipeline (conftest.py)


def rows(server, name: str, **params: str) -> list[dict[str, str]]:
    """The query's answer as plain {variable: value} dicts, read from SPARQL results JSON."""
    response = httpx.get(f"{server.url}/queries/{name}", params=params,
                         headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    document = response.json()
    assert int(response.headers["X-Result-Rows"]) == len(document["results"]["bindings"])
    return [{key: term["value"] for key, term in binding.items()}
            for binding in document["results"]["bindings"]]


@pytest.mark.parametrize("path", QUERY_FILES, ids=[path.stem for path in QUERY_FILES])
def test_every_query_answers_on_the_corpus(server, path) -> None:
    query = parse_query_file(path)  # a header error fails here, naming file and line
    found = rows(server, query.name)
    if query.expect_rows:
        assert found, f"{query.name} returned no rows on the sample corpus"


def test_totals_by_district_and_year(server) -> None:
    found = {(r["district"], r["fiscalYear"], r["docPhase"]): r
             for r in rows(server, "totals-by-district-year")}
    assert len(found) == 4  # one row per document
    assert set(found) == {("白云区", "2020", "budget"), ("番禺区", "2019", "final_accounts"),
                          ("番禺区", "2023", "budget"), ("清新区", "2023", "budget")}
    baiyun = found[("白云区", "2020", "budget")]
    # guangzhou-baiyun-2020-budget.txt:134 收入预算31,600.01万元; :138 支出预算31,600.01万元,
    # 基本支出预算1,033.38万元 … 项目支出预算 30,566.62 万元
    assert Decimal(baiyun["income"]) == Decimal("31600.01")
    assert Decimal(baiyun["expenditure"]) == Decimal("31600.01")
    assert Decimal(baiyun["basic"]) == Decimal("1033.38")
    assert Decimal(baiyun["project"]) == Decimal("30566.62")
    assert baiyun["unit"] == "万元"
    only = rows(server, "totals-by-district-year", year="2023", phase="budget")
    assert {(r["district"], r["fiscalYear"]) for r in only} == {("番禺区", "2023"),
                                                                ("清新区", "2023")}


def test_department_spending_by_function_over_the_years(server) -> None:
    found = rows(server, "department-spending-by-function", department=PANYU, code="201")
    by_year = {r["fiscalYear"]: r for r in found if r["notation"] == "201"}
    # guangzhou-panyu-2019-final-accounts.txt:229
    #   | 201 | 一般公共服务支出 | 2240.73 | 997.00 | 1243.73
    assert (Decimal(by_year["2019"]["total"]), Decimal(by_year["2019"]["basic"]),
            Decimal(by_year["2019"]["project"])) == (Decimal("2240.73"), Decimal("997.00"),
                                                      Decimal("1243.73"))
    assert by_year["2019"]["line"] == "229" and by_year["2019"]["docPhase"] == "final_accounts"
    # guangzhou-panyu-2023-budget.txt:179 201 一般公共服务支出 9, 929. 37 924. 37 9, 005. 00
    assert Decimal(by_year["2023"]["total"]) == Decimal("9929.37")
    assert by_year["2023"]["line"] == "179"
    assert all(r["notation"].startswith("201") for r in found)
    assert any(len(r["notation"]) == 7 for r in found)  # down to 项 level
    assert "20102" in {r["notation"] for r in found}


def test_top_projects_are_ranked(server) -> None:
    found = rows(server, "top-projects", department=PANYU, limit="5")
    assert len(found) == len({r["project"] for r in found}) == 5  # five different projects
    amounts = [Decimal(r["amount"]) for r in found]
    assert amounts == sorted(amounts, reverse=True)
    assert all(r["project"].startswith("http://localhost:8000/id/project/") for r in found)
    only_2023 = rows(server, "top-projects", department=PANYU, year="2023", limit="50")
    assert only_2023 and {r["fiscalYear"] for r in only_2023} == {"2023"}
    assert len(only_2023) == len({r["project"] for r in only_2023})
    assert {r.get("functionCode", "")[:3] for r in only_2023} - {""} <= {"201", "206", "212", "221"}


def test_three_public_funds_across_districts(server) -> None:
    found = {r["district"] + r["fiscalYear"]: r for r in rows(server,
                                                              "three-public-funds-by-district")}
    assert {"白云区2020", "番禺区2019", "番禺区2023", "清新区2023"} <= set(found)
    baiyun = found["白云区2020"]
    # guangzhou-baiyun-2020-budget.txt:148 “三公”经费预算 8.65 万元，较上年减少 15.00 万元;
    # :150 因公出国（境）经费预算 6.00 万元; :152 公务用车购置及运行费 1.80 万元;
    # :154 公务接待费预算 0.85 万元
    assert {key: Decimal(baiyun[key]) for key in
            ("total", "outboundTravel", "vehicles", "reception", "change")} == {
        "total": Decimal("8.65"), "outboundTravel": Decimal("6.00"),
        "vehicles": Decimal("1.80"), "reception": Decimal("0.85"), "change": Decimal("-15.00")}


def test_procurement_by_district(server) -> None:
    found = {r["district"] + r["fiscalYear"]: r for r in rows(server, "procurement-by-district")}
    # guangzhou-panyu-2023-budget.txt:672 政府采购安排3266.49万元,其中:货物类采购预算15万元,
    #   工程类采购预算38万元,服务类采购预算3213.49万元
    panyu = found["番禺区2023"]
    assert [Decimal(panyu[k]) for k in ("total", "goods", "works", "services")] == [
        Decimal("3266.49"), Decimal("15"), Decimal("38"), Decimal("3213.49")]


def test_subject_tree(server) -> None:
    found = {r["code"]: r for r in rows(server, "subject-tree", root="201")}
    # guangzhou-panyu-2019-final-accounts.txt:149 | 2010201 | 行政运行 |
    assert found["2010201"]["name"] == "行政运行"
    assert found["2010201"]["parent"] == "20102" and found["2010201"]["level"] == "项"
    assert found["201"]["level"] == "类" and "parent" not in found["201"]
    assert all(code.startswith("201") for code in found)
    economic = rows(server, "subject-tree", scheme="economic")
    assert economic and all(r["concept"].split("/")[-2] == "economic" for r in economic)


def test_project_indicators_with_target_and_actual(server) -> None:
    found = rows(server, "project-indicators", project="政府专线线路租用")
    # guangzhou-panyu-2019-final-accounts.txt:965 | | 质量指标 | 短信平台发送成功率 | 90% | 92% |
    row = next(r for r in found if r.get("level3") == "短信平台发送成功率")
    assert (row["level1"], row["level2"]) == ("产出指标", "质量指标")
    assert (row["target"], row["actual"], row["line"]) == ("90%", "92%", "965")
    assert (row["comparator"], Decimal(row["value"]), row["unit"]) == ("=", Decimal("90"), "%")
    assert {r["projectName"] for r in found} == {"政府专线线路租用费用"}


def test_validation_failures_name_document_and_line(server) -> None:
    found = rows(server, "validation-failures")
    assert all(r["doc"].startswith("http://localhost:8000/id/doc/") for r in found)
    assert all(r.get("message") for r in found)
    warnings = rows(server, "validation-failures", severity="warning")
    assert warnings and all(r["level"].lower() == "warning" for r in warnings)
    assert len(warnings) < len(found)


def test_csv_by_format_parameter_and_by_accept(server) -> None:
    by_parameter = httpx.get(f"{server.url}/queries/documents", params={"format": "csv"})
    by_accept = httpx.get(f"{server.url}/queries/documents", headers={"Accept": "text/csv"})
    for response in (by_parameter, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(response.text)))
        assert len(table) == 4
        assert {row["district"] for row in table} == {"白云区", "番禺区", "清新区"}


def test_bad_requests_are_refused_before_running(server) -> None:
    for params, word in (({"year": "2023 } ; DROP ALL"}, "year"), ({"colour": "red"}, "colour"),
                         ({"format": "xlsx"}, "xlsx")):
        response = httpx.get(f"{server.url}/queries/documents", params=params)
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        assert word in response.json()["detail"]
    assert httpx.get(f"{server.url}/queries/documents",
                     headers={"Accept": "image/png"}).status_code == 406
    assert httpx.get(f"{server.url}/queries/no-such-query").status_code == 404


def test_every_query_is_in_the_openapi_document(server) -> None:
    paths = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    for query in map(parse_query_file, QUERY_FILES):
        operation = paths[f"/queries/{query.name}"]["get"]
        assert operation["summary"] == query.title
        assert operation["description"] == query.description
        names = {p["name"] for p in operation["parameters"]}
        assert names == {p.name for p in query.parameters} | {"format"}
    year = next(p for p in paths["/queries/documents"]["get"]["parameters"] if p["name"] == "year")
    assert year["schema"]["type"] == "integer" and year["in"] == "query"


def test_the_catalogue_list(server) -> None:
    listed = httpx.get(f"{server.url}/queries", headers={"Accept": "application/json"}).json()
    assert [item["name"] for item in listed] == [path.stem for path in QUERY_FILES]
    assert all(item["title"] and item["description"] and item["query"] for item in listed)
