"""Extraction of the four sample documents, checked against the source text.

Every expected value below was read off the document by hand; the comment
gives the line it stands on.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kg.tables.extract import extract_documents

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
BAIYUN = "guangzhou-baiyun-2020-budget"
PANYU19 = "guangzhou-panyu-2019-final-accounts"
PANYU23 = "guangzhou-panyu-2023-budget"
QINGXIN = "qingyuan-qingxin-2023-budget"


@pytest.fixture(scope="module")
def ex():
    extraction = extract_documents([CORPUS])
    assert extraction.errors == []
    return extraction


def amount(frame: pd.DataFrame, **where) -> list[Decimal]:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return list(frame[mask]["amount"])


def project(ex, doc_id: str, name: str) -> pd.DataFrame:
    projects = ex["projects"]
    return projects[(projects.doc_id == doc_id) & (projects.name == name)]


def test_documents_are_described(ex):
    docs = ex["documents"].set_index("doc_id")
    assert docs.loc[PANYU23, "department"] == "广州市番禺区政务服务数据管理局"  # line 3
    assert docs.loc[PANYU23, "district"] == "番禺区"
    assert docs.loc[PANYU23, "city"] == "广州市"
    assert docs.loc[PANYU23, "province"] == "广东省"
    assert docs.loc[PANYU19, "kind"] == "final_accounts"  # line 3: 部 门决算
    assert docs.loc[PANYU19, "fiscal_year"] == 2019
    assert (
        docs.loc[QINGXIN, "department"] == "清远市清新区政务服务数据管理局"
    )  # lines 4-5 wrap 部门预\n算
    assert docs.loc[QINGXIN, "city"] == "清远市"
    assert set(docs["amount_unit"]) == {"万元"}
    assert set(docs["kind"]) == {"budget", "final_accounts"}


def test_every_table_of_contents_entry_is_found(ex):
    problems = ex["problems"]
    assert not problems["message"].str.contains("table of contents").any()
    tables = ex["tables"]
    # 12 tables listed in panyu 2023's contents (lines 17-28), 14 in baiyun's (34-48)
    listed = {PANYU23: 12, QINGXIN: 12, BAIYUN: 14, PANYU19: 9}
    for doc_id, count in listed.items():
        found = tables[
            (tables.doc_id == doc_id)
            & ~tables.table.isin(
                [
                    "performance_targets",
                    "key_projects",
                    "evaluation_fund_use",
                    "evaluation_indicators",
                    "evaluation_results",
                    "department_performance",
                ]
            )
        ]
        assert len(found) == count, doc_id
        assert set(found["status"]) <= {"parsed", "empty"}


def test_every_row_of_a_continued_table_is_read_once(ex):
    amounts = ex["subject_amounts"]
    spending = amounts[(amounts.doc_id == PANYU23) & (amounts.table == "expenditure_by_function")]
    # 支出总体情况表 lines 178-189 and 197-207: 23 printed rows over two pages
    assert spending["source_line"].nunique() == 23
    assert amount(spending, code="2010302", measure="project") == [Decimal("7806.18")]  # l.182
    assert amount(spending, code="", measure="basic") == [Decimal("1163.71")]  # l.178
    repeated = amounts[(amounts.doc_id == BAIYUN) & (amounts.table == "expenditure_by_function")]
    # baiyun repeats the 总计 row at the top of each of its three pages (282, 300, 317)
    assert amount(repeated, code="", measure="total") == [Decimal("31600.01")]


def test_ocr_noise_in_numbers(ex):
    amounts = ex["subject_amounts"]
    income = amounts[(amounts.doc_id == PANYU23) & (amounts.table == "income_by_function")]
    # line 130: "15, 094. 7 1" under 一般公共
    assert amount(income, code="", measure="general_public_budget") == [Decimal("15094.71")]
    econ = amounts[(amounts.doc_id == PANYU23) & (amounts.table == "basic_expenditure_by_economic")]
    assert amount(econ, code="301", measure="total") == [Decimal("1029.51")]  # l.298 "1029. 51"
    # l.306 prints 90.68 while the function tables print 90.67: kept as printed
    assert amount(econ, code="30113", measure="total") == [Decimal("90.68")]


def test_bracketed_codes_and_names(ex):
    amounts = ex["subject_amounts"]
    rows = amounts[
        (amounts.doc_id == PANYU23)
        & (amounts.table == "general_budget_expenditure_by_function")
        & (amounts.code == "2010399")
    ]
    # l.265 "[2010399]其他政府办公厅(室)及相关机 构事务支出" wrapped inside the cell
    assert set(rows["name"]) == {"其他政府办公厅(室)及相关机构事务支出"}
    assert set(rows["classification"]) == {"function"}
    assert amount(rows, measure="project") == [Decimal("683.82")]


def test_same_code_twice_in_one_table(ex):
    amounts = ex["subject_amounts"]
    econ = amounts[
        (amounts.doc_id == QINGXIN)
        & (amounts.table == "basic_expenditure_by_economic")
        & (amounts.code == "301")
    ]
    # lines 285 and 293: one [301] block per unit
    assert sorted(zip(econ["block"], econ["amount"], econ["source_line"], strict=True)) == [
        (0, Decimal("246.83"), 285),
        (1, Decimal("395.73"), 293),
    ]


def test_paired_classifications(ex):
    amounts = ex["subject_amounts"]
    pairs = amounts[(amounts.doc_id == BAIYUN) & (amounts.source_line == 491)]
    # l.491 "[30101]基本工资	[50101]工资奖金津补贴	56.36"
    assert set(
        zip(
            pairs["classification"],
            pairs["code"],
            pairs["related_code"],
            pairs["amount"],
            strict=True,
        )
    ) == {
        ("economic", "30101", "50101", Decimal("56.36")),
        ("dept_economic", "50101", "30101", Decimal("56.36")),
    }


def test_two_panel_table(ex):
    amounts = ex["subject_amounts"]
    line = amounts[(amounts.doc_id == PANYU19) & (amounts.source_line == 427)]
    # l.427 "| 30101 | 基本工资 | 201.34 | 30201 | 办公费 | 18.34 |"
    assert set(zip(line["panel"], line["code"], line["amount"], strict=True)) == {
        ("人员经费", "30101", Decimal("201.34")),
        ("公用经费", "30201", Decimal("18.34")),
    }
    totals = ex["totals"]
    panel = totals[(totals.doc_id == PANYU19) & (totals.source_line == 509)]
    assert set(zip(panel["unit"], panel["amount"], strict=True)) == {
        ("人员经费", Decimal("1078.84")),
        ("公用经费", Decimal("107.75")),
    }


def test_summary_tables_both_sides(ex):
    items = ex["summary_items"]
    panyu = items[items.doc_id == PANYU23]
    assert amount(panyu, side="income", item="预算拨款") == [Decimal("15094.71")]  # l.79
    science = panyu[(panyu.side == "expenditure") & (panyu.item == "科学技术支出")]
    assert set(science["amount"]) == {Decimal("4653.00")}  # l.84 and l.222
    final = items[(items.doc_id == PANYU19) & (items.table == "fiscal_appropriation_summary")]
    # l.308 "| | 11 | | 十一、城乡社区支出 | 38 | 18.37 | 0.00 | 18.37 |"
    community = final[final.item == "城乡社区支出"]
    assert dict(zip(community["measure"], community["amount"], strict=True)) == {
        "total": Decimal("18.37"),
        "general_public_budget": Decimal("0.00"),
        "government_fund": Decimal("18.37"),
    }
    carried = items[(items.doc_id == PANYU19) & (items.item == "年初结转和结余")]
    assert list(carried["amount"]) == [Decimal("33.09")]  # l.131


def test_panyu_2023_projects(ex):
    projects = ex["projects"]
    panyu = projects[(projects.doc_id == PANYU23) & (projects.table == "project_expenditure")]
    # lines 457-652: 20 projects under 局本级, 3 under 政务服务中心
    assert panyu.groupby("unit").size().to_dict() == {
        "广州市番禺区政务服务数据管理局本级": 20,
        "广州市番禺区政务服务中心": 3,
    }
    assert sum(panyu[panyu.unit.str.endswith("本级")]["total"]) == Decimal("12585.00")
    # 免费刻章: l.489, with an OCR copy of its amounts at l.488 read once
    seal = panyu[panyu.name == "免费刻章"]
    assert list(seal["total"]) == [Decimal("705.00")]
    assert "对标世界银行营商环境开办企业指标评估标准" in seal.iloc[0]["performance_target"]
    # a name wrapped over three lines with its amounts on the middle one (529-532)
    cloud = panyu[panyu.name == "番禺区电子公务商务云管理经费"]
    assert list(cloud["total"]) == [Decimal("15.00")]  # the copy at l.531 prints 10.00
    # the target text above the name line (533-536) and across the page (549-550)
    reform = panyu[panyu.name == "放管服改革优化政务服务专项经费"].iloc[0]
    assert reform["performance_target"].startswith("1、以提升政务服务效能")
    assert reform["performance_target"].endswith("办理无纸化。")
    assert reform["performance_target"].count("以提升政务服务效能") == 1
    # same name under two units stays two projects
    rooms = panyu[panyu.name == "业务办公用房经费"]
    assert sorted(rooms["total"]) == [Decimal("225.18"), Decimal("3823.00")]
    cctv = panyu[panyu.name == "社会治安视频监控系统建设项目"]
    assert list(cctv["total"]) == [Decimal("250.00")] and list(cctv["source_line"]) == [623]


def test_baiyun_projects(ex):
    projects = ex["projects"]
    baiyun = projects[(projects.doc_id == BAIYUN) & (projects.table == "project_expenditure")]
    assert len(baiyun) == 17
    customs = baiyun[baiyun.name == "海关入驻保障费"]  # name split at a page break, 685 + 697
    assert list(customs["total"]) == [Decimal("8.02")]
    assert "提供工作餐" in customs.iloc[0]["performance_target"]
    smart = baiyun[baiyun.name == "智慧白云信息化建设项目经费"].iloc[0]
    assert smart["function_code"] == "2060599" and smart["total"] == Decimal("9083.29")
    deposit = baiyun[baiyun.name == "财政代管原基本户资金"].iloc[0]  # l.726
    assert deposit["other_funds"] == Decimal("0.78")
    assert deposit["fiscal_appropriation"] == Decimal("0.00")
    # the unit row of 156003 was lost at the page break before l.738
    hall = baiyun[baiyun.name == "政务大厅日常运作经费"].iloc[0]
    assert hall["unit"] == "广州市白云区政务服务中心"
    problems = ex["problems"]
    assert 738 in set(
        problems[(problems.doc_id == BAIYUN) & (problems.severity == "warning")]["line"]
    )


def test_qingxin_projects(ex):
    projects = ex["projects"]
    qingxin = projects[(projects.doc_id == QINGXIN) & (projects.table == "project_expenditure")]
    assert len(qingxin) == 17  # lines 466-528
    ad = qingxin[qingxin.name == "(2023年区级创文项目)“讲文明树新风”公益广告"]
    assert list(ad["total"]) == [Decimal("1.00")]  # l.506
    hall = qingxin[qingxin.name == "2023年区政务服务大厅运维费"].iloc[0]
    assert hall["unit"] == "清远市清新区综合政务服务中心"


def test_unit_subtotals(ex):
    totals = ex["totals"]
    unit = totals[
        (totals.doc_id == PANYU23)
        & (totals.scope == "unit")
        & (totals.measure == "total")
        & (totals.table == "project_expenditure")
    ]
    assert dict(zip(unit["unit"], unit["amount"], strict=True)) == {
        "广州市番禺区政务服务数据管理局本级": Decimal("13100.00"),  # l.457
        "广州市番禺区政务服务中心": Decimal("831.00"),  # l.633
    }


def test_line_item_tables(ex):
    items = ex["line_items"]
    procurement = items[
        (items.doc_id == BAIYUN) & (items.source_line == 833) & (items.measure == "total")
    ]
    assert list(procurement["item"]) == ["智慧白云一期项目经费"]
    assert list(procurement["amount"]) == [Decimal("12216.00")]
    assert list(procurement["unit_code"]) == ["156001"]
    non_tax = items[
        (items.doc_id == PANYU19)
        & (items.table == "non_tax_revenue")
        & (items.item == "合计")
        & (items.measure == "total")
    ]
    assert list(non_tax["amount"]) == [Decimal("2.98")]  # l.555


def test_three_public_table_facts(ex):
    facts = ex["facts"]
    table = facts[facts.evidence.str.len() > 0]

    def fact(doc_id, key):
        rows = table[(table.doc_id == doc_id) & (table.key == key)]
        return set(rows["value"])

    assert Decimal("14.10") in fact(PANYU23, "three_public.total")  # l.353
    assert Decimal("7247.19") in fact(PANYU23, "administrative_funds")  # l.352
    assert Decimal("4.75") in fact(PANYU19, "three_public.total")  # l.524, 决算数
    assert Decimal("12.30") in fact(PANYU19, "three_public.total.budget")  # l.524, 预算数
    assert Decimal("0.85") in fact(PANYU19, "three_public.official_reception")
    assert Decimal("8.50") in fact(QINGXIN, "three_public.vehicle_operation")  # l.350


def test_organizations(ex):
    orgs = ex["organizations"]
    panyu = orgs[orgs.doc_id == PANYU23]
    # l.63: 内设机构共 5 个,分别为:办公室、审批改革科、政务管理科、电子公务科、数据管理科
    assert set(panyu[panyu.role == "internal_body"]["name"]) == {
        "办公室",
        "审批改革科",
        "政务管理科",
        "电子公务科",
        "数据管理科",
    }
    assert "广州市番禺区政务服务中心" in set(panyu[panyu.role == "subordinate_unit"]["name"])
    baiyun = orgs[(orgs.doc_id == BAIYUN) & (orgs.role == "subordinate_unit")]
    assert len(baiyun) == 3  # l.78 lists three units
    assert set(orgs[orgs.role == "department"]["name"]) == {
        "广州市番禺区政务服务数据管理局",
        "广州市白云区政务服务数据管理局",
        "清远市清新区政务服务数据管理局",
    }


def test_every_row_carries_provenance(ex):
    for name, frame in ex.tables.items():
        if name in ("documents",) or frame.empty:
            continue
        assert (frame["doc_id"] != "").all(), name
        column = (
            "line" if name == "problems" else ("first_line" if name == "tables" else "source_line")
        )
        assert frame[column].notna().all(), name
        assert (frame[column] >= 1).all(), name
