"""Lineage on the sample corpus, extracted by the real pipeline.

Which projects continue, merge or differ was decided by reading the cited
lines of data/corpus, not by running the linker.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kg.lineage.chains import CONTINUES, MERGED
from kg.lineage.graph import Lineage, link_projects
from kg.lineage.projects import Project, project_records, unplaced_rows
from kg.tables.extract import Extraction, extract_documents

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
PANYU_2019 = "guangzhou-panyu-2019-final-accounts"
PANYU_2023 = "guangzhou-panyu-2023-budget"


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    found = extract_documents(sorted(CORPUS.glob("*.txt")))
    assert not found.errors
    return found


@pytest.fixture(scope="module")
def lineage(extraction: Extraction) -> Lineage:
    tables = extraction.tables
    return link_projects(project_records(tables["projects"], tables["documents"]))


def project(lineage: Lineage, doc_id: str, name: str, unit: str | None = None) -> int:
    matches = [i for i, p in enumerate(lineage.projects)
               if p.doc_id == doc_id and p.name == name and (unit is None or unit in p.unit)]
    assert len(matches) == 1, (doc_id, name, matches)
    return matches[0]


def linked(lineage: Lineage, a: int, b: int) -> list[str]:
    return [link.kind for link in lineage.links if {link.source, link.target} == {a, b}]


def test_continuing_projects_of_panyu_are_linked(lineage: Lineage) -> None:
    # guangzhou-panyu-2019-final-accounts.txt:624 新增了社会治安视频监控系統建设项目 (統)
    # guangzhou-panyu-2023-budget.txt:623 社会治安视频监控系统建设项目 250.00
    cctv_2019 = project(lineage, PANYU_2019, "社会治安视频监控系統建设项目")
    cctv_2023 = project(lineage, PANYU_2023, "社会治安视频监控系统建设项目")
    assert lineage.projects[cctv_2023].amount == Decimal("250.00")
    assert linked(lineage, cctv_2019, cctv_2023) == [CONTINUES]
    # :751 电子政务外网升级改造项项目 (prose) and 2023 :496 番禺区电子政务外网升级改造项目 24.40
    network_2019 = project(lineage, PANYU_2019, "电子政务外网升级改造项项目")
    network_2023 = project(lineage, PANYU_2023, "番禺区电子政务外网升级改造项目")
    assert linked(lineage, network_2019, network_2023) == [CONTINUES]
    chains = [[lineage.projects[i].name for i in chain] for chain in lineage.chains]
    assert ["社会治安视频监控系統建设项目", "社会治安视频监控系统建设项目"] in chains


def test_the_evidence_says_why_in_words(lineage: Lineage) -> None:
    cctv_2019 = project(lineage, PANYU_2019, "社会治安视频监控系統建设项目")
    link = next(link for link in lineage.links if link.source == cctv_2019)
    assert 0.55 <= link.score <= 1
    evidence = " | ".join(link.evidence)
    assert "社会治安视频监控系统建设" in evidence  # the normalised name
    assert "社会治安视频监控系統建设项目" in evidence  # and the printed one
    assert "4 year(s) apart" in evidence


def test_look_alikes_are_not_linked(lineage: Lineage) -> None:
    pairs = [
        # 2019 :751 万博分中心改造工程 vs 2023 :606 政务中心双回路供电改造工程: two works
        ((PANYU_2019, "政务中心万博分中心改造工程项目"),
         (PANYU_2023, "政务中心双回路供电改造工程")),
        # 2019 :1172 二期机房升级改造 vs 2023 :496 外网升级改造: share only 升级改造
        ((PANYU_2019, "云计算中心二期机房升级改造"),
         (PANYU_2023, "番禺区电子政务外网升级改造项目")),
        # 2019 :1291 云计算中心扩容 vs 2023 :529 商务云管理: share only 云
        ((PANYU_2019, "电子政务云计算中心扩容及远程双活备份"),
         (PANYU_2023, "番禺区电子公务商务云管理经费")),
        # baiyun :606 电子政务经费 vs panyu :496: a generic phrase across districts
        (("guangzhou-baiyun-2020-budget", "电子政务经费"),
         (PANYU_2023, "番禺区电子政务外网升级改造项目")),
    ]
    for (doc_a, name_a), (doc_b, name_b) in pairs:
        a, b = project(lineage, doc_a, name_a), project(lineage, doc_b, name_b)
        assert linked(lineage, a, b) == [], (name_a, name_b)
    seal = project(lineage, PANYU_2023, "免费刻章")  # :487, a service, not a CCTV project
    assert not [link for link in lineage.links if seal in (link.source, link.target)]


def test_same_name_under_two_units_stays_two(lineage: Lineage) -> None:
    # guangzhou-panyu-2023-budget.txt:565 (局本级, 101.00) and :634 (政务服务中心, 370.00)
    own = project(lineage, PANYU_2023, "租赁岗位合同工经费", "本级")
    centre = project(lineage, PANYU_2023, "租赁岗位合同工经费", "政务服务中心")
    assert own != centre
    amounts = {lineage.projects[own].amount, lineage.projects[centre].amount}
    assert amounts == {Decimal("101.00"), Decimal("370.00")}
    assert linked(lineage, own, centre) == []


def test_each_unit_continues_into_its_own_unit_next_year(extraction: Extraction) -> None:
    """A 2024 budget (written here from the 2023 rows, amounts changed) keeps the units apart."""
    tables = extraction.tables
    rows = tables["projects"][tables["projects"]["doc_id"] == PANYU_2023]
    twins = rows[rows["name"].isin(["租赁岗位合同工经费", "业务办公用房经费"])]
    assert len(twins) == 4
    later = twins.copy()
    later["doc_id"] = "panyu-2024-budget"
    later["total"] = [Decimal("120.00"), Decimal("3500.00"), Decimal("390.00"), Decimal("230.00")]
    later = later.iloc[::-1]  # printed in another order
    documents = tables["documents"][tables["documents"]["doc_id"] == PANYU_2023].copy()
    next_year = documents.copy()
    next_year["doc_id"], next_year["fiscal_year"] = "panyu-2024-budget", 2024
    result = link_projects(project_records(pd.concat([twins, later]),
                                           pd.concat([documents, next_year])))
    continuations = [(result.projects[link.source], result.projects[link.target])
                     for link in result.links if link.kind == CONTINUES]
    assert len(continuations) == 4
    for before, after in continuations:
        assert (before.name, before.unit) == (after.name, after.unit)


def test_projects_named_in_a_larger_fund_are_merged_into_it(lineage: Lineage) -> None:
    # guangzhou-panyu-2023-budget.txt:559 "数字政府"建设专项资金 4653.00 保障…包括:1.政府专线线路
    # 租用;2.政府网站、政务新媒体运维管理和技术保障 — the 2019 projects of :883 and :840
    fund = project(lineage, PANYU_2023, '"数字政府"建设专项资金')
    lines = project(lineage, PANYU_2019, "政府专线线路租用费用")
    website = project(lineage, PANYU_2019, "政府网站运维管理和技术保障项目")
    assert linked(lineage, lines, fund) == [MERGED]
    assert linked(lineage, website, fund) == [MERGED]
    link = next(link for link in lineage.links if link.source == website)
    assert any("is written in the text of" in line for line in link.evidence)


def test_at_most_one_predecessor_and_successor(lineage: Lineage) -> None:
    chained = [link for link in lineage.links if link.chain]
    assert len({link.source for link in chained}) == len(chained)
    assert len({link.target for link in chained}) == len(chained)


def test_a_free_seal_service_is_not_the_cctv_of_the_seal_hall() -> None:
    """The issue's look-alike: 免费刻章 (a service, guangzhou-panyu-2023-budget.txt:487) against a
    camera project at the seal-engraving hall sharing its words (written here)."""
    documents = pd.DataFrame([
        {"doc_id": "d2023", "department": "广州市番禺区政务服务数据管理局", "province": "广东省",
         "city": "广州市", "district": "番禺区", "fiscal_year": 2023, "kind": "budget"},
        {"doc_id": "d2024", "department": "广州市番禺区政务服务数据管理局", "province": "广东省",
         "city": "广州市", "district": "番禺区", "fiscal_year": 2024, "kind": "budget"},
    ])
    seal_target = ("贯彻落实国务院《优化营商环境条例》,对标世界银行营商环境开办企业指标评估标准,"
                   "全面、深入推进我区开办企业便利化改革。")
    cctv_target = "在刻章大厅安装高清视频监控摄像头及存储设备,实现大厅监控全覆盖,保障办事安全。"
    projects = pd.DataFrame([
        {"doc_id": "d2023", "unit": "", "name": "免费刻章", "total": Decimal("705.00"),
         "performance_target": seal_target, "table": "project_expenditure", "source_line": 487},
        {"doc_id": "d2024", "unit": "", "name": "刻章大厅视频监控建设项目",
         "total": Decimal("60.00"), "performance_target": cctv_target,
         "table": "project_expenditure", "source_line": 20},
    ])
    alone = link_projects(project_records(projects, documents))
    assert alone.links == []
    continued = pd.concat([projects, pd.DataFrame([{
        "doc_id": "d2024", "unit": "", "name": "免费刻章服务经费", "total": Decimal("680.00"),
        "performance_target": seal_target, "table": "project_expenditure", "source_line": 30}])])
    result = link_projects(project_records(continued, documents))
    assert [(result.projects[k.source].name, result.projects[k.target].name, k.kind)
            for k in result.links] == [("免费刻章", "免费刻章服务经费", CONTINUES)]


def test_rows_that_cannot_be_placed_are_named_and_the_rest_linked() -> None:
    documents = pd.DataFrame([
        {"doc_id": "a", "department": "X局", "district": "甲区", "fiscal_year": 2022,
         "kind": "budget"},
        {"doc_id": "b", "department": "X局", "district": "甲区", "fiscal_year": 2023,
         "kind": "budget"},
        {"doc_id": "undated", "department": "X局", "district": "甲区", "fiscal_year": None,
         "kind": "budget"},
    ])
    projects = pd.DataFrame([
        {"doc_id": "a", "name": "政务服务大厅运维经费", "total": Decimal("28.00"),
         "table": "project_expenditure", "source_line": 10},
        {"doc_id": "b", "name": "政务服务大厅运维费", "total": Decimal("30.00"),
         "table": "project_expenditure", "source_line": 12},
        {"doc_id": "undated", "name": "政务服务大厅运维经费", "total": Decimal("1.00"),
         "table": "project_expenditure", "source_line": 7},
        {"doc_id": "missing", "name": "某项目", "table": "project_expenditure", "source_line": 3},
        {"doc_id": "b", "name": "", "table": "project_expenditure", "source_line": 99},
    ])
    problems = unplaced_rows(projects, documents)
    assert problems == [
        "undated, project_expenditure, line 7: the document has no fiscal year",
        "missing, project_expenditure, line 3: no such document in the documents table",
        "b, project_expenditure, line 99: project without a name",
    ]
    records: list[Project] = project_records(projects, documents)
    assert [(p.doc_id, p.source_line) for p in records] == [("a", 10), ("b", 12)]
    assert [link.kind for link in link_projects(records).links] == [CONTINUES]
