"""Narrative facts of each sample document, checked by hand against the source text.

Every expected value below was read off the cited line of the corpus file,
not produced by the extractor.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.documents.reader import read_document
from kg.tables.facts import extract_facts
from kg.tables.schema import TABLES

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

# (key, value as printed, unit, line where the statement starts)
BAIYUN_2020 = [
    # 130: 2020年收支总预算31,600.01万元,较上年增加28,044.58万元,增长788.78%
    ("income_grand_total", "31600.01", "万元", 130),
    ("expenditure_grand_total", "31600.01", "万元", 130),
    ("income_grand_total_change", "28044.58", "万元", 130),
    # 134: 2020年收入预算31,600.01万元,较上年增加28,044.58万元,增长788.78%
    ("income_total", "31600.01", "万元", 134),
    ("income_change", "28044.58", "万元", 134),
    ("income_change_pct", "788.78", "%", 134),
    # 138: 2020年支出预算31,600.01万元 …
    #      一、基本支出预算1,033.38万元,较上年增加235.87万元,增长29.58%
    ("expenditure_total", "31600.01", "万元", 138),
    ("basic_expenditure", "1033.38", "万元", 138),
    ("basic_expenditure_change", "235.87", "万元", 138),
    ("basic_expenditure_change_pct", "29.58", "%", 138),
    # 138/140: 二、项目支出预 | (blank) | 算 30,566.62 万元，
    #          较上年增加 27,808.71 万元，较上年增长 1,008.32%
    ("project_expenditure", "30566.62", "万元", 138),
    ("project_expenditure_change", "27808.71", "万元", 140),
    ("project_expenditure_change_pct", "1008.32", "%", 140),
    # 148: “三公”经费预算 8.65 万元，较上年减少 15.00 万元，下降 63.42%
    ("three_public.total", "8.65", "万元", 148),
    ("three_public.change", "-15.00", "万元", 148),
    ("three_public.change_pct", "-63.42", "%", 148),
    # 150: 因公出国（境）经费预算 6.00 万元
    ("three_public.outbound_travel", "6.00", "万元", 150),
    # 152: 公务用车购置及运行费 1.80 万元（公务用车购置费 0.00 万元，
    #      公务用车运行维护费 1.80 万元），
    #      较上年减少 15.00 万元，下降 89.29%
    ("three_public.vehicle_purchase_and_operation", "1.80", "万元", 152),
    ("three_public.vehicle_purchase", "0.00", "万元", 152),
    ("three_public.vehicle_operation", "1.80", "万元", 152),
    ("three_public.vehicle_purchase_and_operation.change", "-15.00", "万元", 152),
    ("three_public.vehicle_purchase_and_operation.change_pct", "-89.29", "%", 152),
    # 154: 公务接待费预算 0.85 万元
    ("three_public.official_reception", "0.85", "万元", 154),
    # 162: 机关运行经费（行政经费）预算安排32.96万元，较上年减少21.03万元，下降38.95%
    ("administrative_funds", "32.96", "万元", 162),
    ("administrative_funds.change", "-21.03", "万元", 162),
    ("administrative_funds.change_pct", "-38.95", "%", 162),
    # 166: 政府采购安排25,235.50万元，其中：货物类采购预算3.90万元，工程类采购预算0.00万元，
    #      服务类采购预算25,231.60万元
    ("procurement.total", "25235.50", "万元", 166),
    ("procurement.goods", "3.90", "万元", 166),
    ("procurement.works", "0.00", "万元", 166),
    ("procurement.services", "25231.60", "万元", 166),
    # 170: 固定资产金额为1,023.18万元 … 房屋0.00平方米，车辆1辆，单价在100万元以上的设备0台
    #      … 拟购置固定资产3.90万元
    ("fixed_assets.total", "1023.18", "万元", 170),
    ("fixed_assets.buildings", "0.00", "平方米", 170),
    ("fixed_assets.vehicles", "1", "辆", 170),
    ("fixed_assets.equipment_over_1m", "0", "台", 170),
    ("fixed_assets.planned_purchase", "3.90", "万元", 170),
    # 144: 2020 年部门转移支付预算安排 0.00 万元
    ("transfer_payments", "0.00", "万元", 144),
]

PANYU_2019 = [
    # 582: 2019 年度总收入 5304.66 万元,其中本年收入 5271.57 万元
    ("income_grand_total", "5304.66", "万元", 582),
    ("income_total", "5271.57", "万元", 582),
    # 576: 收、支总计 5304.66 万元。与 2018 年相比,收、支总计各增加 1103.88 万元,增长 26.28%
    ("income_grand_total_change", "1103.88", "万元", 576),
    ("income_grand_total_change_pct", "26.28", "%", 576),
    ("expenditure_grand_total_change", "1103.88", "万元", 576),
    # 600: 2019 年度总支出 5304.66 万元，其中本年支出 5270.40 万元
    ("expenditure_grand_total", "5304.66", "万元", 600),
    ("expenditure_total", "5270.40", "万元", 600),
    # 602: 1. 基本支出 1186.59 万元，比上年决算数增加 272.42 万元，增长 29.80%
    ("basic_expenditure", "1186.59", "万元", 602),
    ("basic_expenditure_change", "272.42", "万元", 602),
    ("basic_expenditure_change_pct", "29.80", "%", 602),
    # 606: 2. 项目支出 4083.81 万元,比上年决算数增加 830.29 万元,增长 25.52%
    ("project_expenditure", "4083.81", "万元", 606),
    ("project_expenditure_change", "830.29", "万元", 606),
    # 757: “三公”经费财政拨款支出决算为4.75万元，完成预算12.30万元的38.62%。其中：因公出国（境）
    #      费支出决算为0.00万元，完成预算6.00万元的0.00%；公务用车购置及运行费支出决算为3.90万元，
    #      完成预算3.90万元的100.00%；公务接待费支出决算为0.85万元，完成预算2.40万元的35.42%
    ("three_public.total", "4.75", "万元", 757),
    ("three_public.total.budget", "12.30", "万元", 757),
    ("three_public.total.execution_rate", "38.62", "%", 757),
    ("three_public.outbound_travel", "0.00", "万元", 757),
    ("three_public.outbound_travel.budget", "6.00", "万元", 757),
    ("three_public.vehicle_purchase_and_operation", "3.90", "万元", 757),
    ("three_public.official_reception", "0.85", "万元", 757),
    ("three_public.official_reception.budget", "2.40", "万元", 757),
    ("three_public.official_reception.execution_rate", "35.42", "%", 757),
    # 772: 其中：公务用车购置支出为 0.00 万元 … 公务用车运行及维护支出 3.90 万元
    ("three_public.vehicle_purchase", "0.00", "万元", 772),
    ("three_public.vehicle_operation", "3.90", "万元", 772),
    # 800: 机关运行经费支出 69.91 万元，比年初预算数减少 37.98 万元，降低 35.20%
    ("administrative_funds", "69.91", "万元", 800),
    ("administrative_funds.budget_variance", "-37.98", "万元", 800),
    ("administrative_funds.budget_variance_pct", "-35.20", "%", 800),
    # 804: 政府采购支出总额 2087.87 万元，其中：政府采购货物支出 1089.87 万元、政府采购工程支出
    #      0.00 万元、政府采购服务支出 998.00 万元
    ("procurement.total", "2087.87", "万元", 804),
    ("procurement.goods", "1089.87", "万元", 804),
    ("procurement.works", "0.00", "万元", 804),
    ("procurement.services", "998.00", "万元", 804),
    # 808: 本部门共有车辆 2 辆 … 单价 100 万元以上专用设备 0 台（套）
    ("fixed_assets.vehicles", "2", "辆", 808),
    ("fixed_assets.equipment_over_1m", "0", "台(套)", 808),
    # 780: 会议费决算 1.18 万元，与年初预算相比，减少 4.52 万元，完成预算 5.70 万元的 20.70%
    ("meeting_fees", "1.18", "万元", 780),
    ("meeting_fees.budget", "5.70", "万元", 780),
]

PANYU_2023 = [
    # 660: 收入预算 15094.71万元,比上年增加 179.97万元,增长 1.2%
    ("income_total", "15094.71", "万元", 660),
    ("income_change", "179.97", "万元", 660),
    ("income_change_pct", "1.2", "%", 660),
    ("expenditure_total", "15094.71", "万元", 660),
    ("expenditure_change_pct", "1.2", "%", 660),
    # 664: "三公"经费 14.1万元 … 因公出国(境)费 6 万元 … 公务用车购置及运行费 5.7万元(公务用车购置费
    #      0 万元 … 公务用车运行维护费 5.7万元 …) … 公务接待费 2.4 万元
    ("three_public.total", "14.1", "万元", 664),
    ("three_public.change", "0", "万元", 664),
    ("three_public.change_pct", "0.0", "%", 664),
    ("three_public.outbound_travel", "6", "万元", 664),
    ("three_public.vehicle_purchase_and_operation", "5.7", "万元", 664),
    ("three_public.vehicle_purchase", "0", "万元", 664),
    ("three_public.vehicle_operation", "5.7", "万元", 664),
    ("three_public.official_reception", "2.4", "万元", 664),
    # 668: 机关运行经费安排7247.19万元,比上年减少2426.07万元,下降25.1%
    ("administrative_funds", "7247.19", "万元", 668),
    ("administrative_funds.change", "-2426.07", "万元", 668),
    ("administrative_funds.change_pct", "-25.1", "%", 668),
    # 672: 政府采购安排3266.49万元,其中:货物类采购预算15万元,工程类采购预算38万元,
    #      服务类采购预算3213.49万元
    ("procurement.total", "3266.49", "万元", 672),
    ("procurement.goods", "15", "万元", 672),
    ("procurement.works", "38", "万元", 672),
    ("procurement.services", "3213.49", "万元", 672),
    # 676: 固定资产金额2998.12万元 … 车辆3辆 … 本年度拟购置固定资产5万元
    ("fixed_assets.total", "2998.12", "万元", 676),
    ("fixed_assets.vehicles", "3", "辆", 676),
    ("fixed_assets.planned_purchase", "5", "万元", 676),
]

QINGXIN_2023 = [
    # 536: 收入预算1,564.22万元,比上年增加129.41万元,增长9.02%
    ("income_total", "1564.22", "万元", 536),
    ("income_change", "129.41", "万元", 536),
    ("income_change_pct", "9.02", "%", 536),
    ("expenditure_total", "1564.22", "万元", 536),
    # 540: “三公”经费8.50万元,比上年减少16.40万元,下降65.86% … 公务用车购置费0万元,
    #      比上年减少16.00万元 … 公务接待费0万元,比上年减少0.4万元,下降100%
    ("three_public.total", "8.50", "万元", 540),
    ("three_public.change", "-16.40", "万元", 540),
    ("three_public.change_pct", "-65.86", "%", 540),
    ("three_public.outbound_travel", "0", "万元", 540),
    ("three_public.vehicle_purchase_and_operation", "8.50", "万元", 540),
    ("three_public.vehicle_purchase_and_operation.change_pct", "-65.31", "%", 540),
    ("three_public.vehicle_purchase", "0", "万元", 540),
    ("three_public.vehicle_purchase.change", "-16.00", "万元", 540),
    ("three_public.vehicle_operation", "8.50", "万元", 540),
    ("three_public.official_reception", "0", "万元", 540),
    ("three_public.official_reception.change", "-0.4", "万元", 540),
    ("three_public.official_reception.change_pct", "-100", "%", 540),
    # 546: 机关运行经费安排799.92万元，比上年增加763.61万元，增长2103.03%
    ("administrative_funds", "799.92", "万元", 546),
    ("administrative_funds.change", "763.61", "万元", 546),
    ("administrative_funds.change_pct", "2103.03", "%", 546),
    # 550: 政府采购安排12.82万元，其中：货物类采购预算9.61万元，
    #      工程类采购预算0.00万元，服务类采购预算3.21万元
    ("procurement.total", "12.82", "万元", 550),
    ("procurement.goods", "9.61", "万元", 550),
    ("procurement.works", "0.00", "万元", 550),
    ("procurement.services", "3.21", "万元", 550),
    # 554: 固定资产金额537.02万元 … 车辆2辆，单价在100万元以上的设备1台 … 拟购置固定资产0.6万元
    ("fixed_assets.total", "537.02", "万元", 554),
    ("fixed_assets.vehicles", "2", "辆", 554),
    ("fixed_assets.equipment_over_1m", "1", "台", 554),
    ("fixed_assets.planned_purchase", "0.6", "万元", 554),
]

CASES = {
    "guangzhou-baiyun-2020-budget.txt": BAIYUN_2020,
    "guangzhou-panyu-2019-final-accounts.txt": PANYU_2019,
    "guangzhou-panyu-2023-budget.txt": PANYU_2023,
    "qingyuan-qingxin-2023-budget.txt": QINGXIN_2023,
}


def facts_of(name: str) -> dict[str, dict]:
    rows = extract_facts(read_document(CORPUS / name))
    keys = [row["key"] for row in rows]
    assert len(keys) == len(set(keys)), "one fact per key and document"
    return {row["key"]: row for row in rows}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hand_checked_values(name: str) -> None:
    facts = facts_of(name)
    for key, value, unit, line in CASES[name]:
        assert key in facts, f"{name}: {key} missing"
        fact = facts[key]
        assert fact["value"] == Decimal(value), f"{name}: {key}"
        assert str(fact["value"]) == value, f"{name}: {key} not as printed"
        assert fact["unit"] == unit, f"{name}: {key} unit"
        assert fact["source_line"] == line, f"{name}: {key} line"


@pytest.mark.parametrize("name", sorted(CASES))
def test_rows_follow_the_contract(name: str) -> None:
    rows = extract_facts(read_document(CORPUS / name))
    doc_id = Path(name).stem
    for row in rows:
        assert tuple(row) == TABLES["facts"]
        assert row["doc_id"] == doc_id
        assert row["evidence"], row["key"]


def test_change_reasons_are_the_printed_reasons() -> None:
    baiyun = facts_of("guangzhou-baiyun-2020-budget.txt")
    # line 148: …下降 63.42%，主要原因是去年已完成公务车辆更新购置工作，
    # 本年度无需安排公务车辆购置费用预算。
    assert baiyun["three_public.change_reason"]["value"] == (
        "去年已完成公务车辆更新购置工作,本年度无需安排公务车辆购置费用预算"
    )
    assert baiyun["three_public.change_reason"]["unit"] == ""
    # line 138: 增长29.58%,增长原因是编制人数增加,相应的公用经费、人员经费等增加;二、项目支出…
    assert baiyun["basic_expenditure_change_reason"]["value"] == (
        "编制人数增加,相应的公用经费、人员经费等增加"
    )
    panyu = facts_of("guangzhou-panyu-2019-final-accounts.txt")
    # lines 602-604: the reason runs over a page break:
    # …增加机关事 | (blank) | 业单位基本养老保险缴费和职业年金。
    assert panyu["basic_expenditure_change_reason"]["value"].endswith(
        "增加机关事业单位基本养老保险缴费和职业年金"
    )
    # line 800: …降低 35.20%。主要增减变动情况是：压减一般性支出，节约运行经费开支。
    reason = panyu["administrative_funds.variance_reason"]["value"]
    assert reason == "压减一般性支出,节约运行经费开支"
    # line 759: 2019年度“三公”经费支出决算小于预算数的主要情况：认真贯彻落实…
    assert panyu["three_public.variance_reason"]["value"].startswith("认真贯彻落实中央八项规定精神")
    # line 576: the reason is an enumeration (一是…；二是…) and keeps both items
    assert panyu["income_grand_total_change_reason"]["value"].endswith(
        ";二是科技经费项目等方面增加"
    )
    qingxin = facts_of("qingyuan-qingxin-2023-budget.txt")
    # lines 540-542: …大力压减一 | (blank) | 般性支出，把钱用在刀刃上。
    assert qingxin["three_public.official_reception.change_reason"]["value"].endswith(
        "大力压减一般性支出,把钱用在刀刃上"
    )
    # line 540: the ";" ends the reason of the vehicles before 公务接待费 begins
    assert qingxin["three_public.vehicle_purchase_and_operation.change_reason"]["value"].endswith(
        "严禁铺张浪费把钱用在刀刃上"
    )


def test_narrative_only() -> None:
    # panyu 2023 states no 基本支出 in its prose: the table reader (kg.tables.extract) gives it
    assert "basic_expenditure" not in facts_of("guangzhou-panyu-2023-budget.txt")


def test_budget_figures_have_no_final_accounts_variants() -> None:
    for name in ("guangzhou-baiyun-2020-budget.txt", "qingyuan-qingxin-2023-budget.txt"):
        keys = set(facts_of(name))
        assert not {k for k in keys if k.endswith((".budget", ".execution_rate"))}
