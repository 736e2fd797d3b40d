"""Layouts the samples do not show but other departments print: other titles for
the same tables, a per-project target table, a 项目支出 table keyed by codes.

The documents are written here in the style of published budgets; the values
are this test's own, so the expectations are independent of the extractor.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.tables.extract import extract_documents

DOC = """2024年
某市某区教育局部门预算

目录

部门收支总表

单位:万元

收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t1,200.50\t一、教育支出\t1,150.50
二、政府性基金预算拨款收入\t0.00\t二、住房保障支出\t50.00
收入总计\t1,200.50\t支出总计\t1,200.50

部门支出总表

单位:万元

科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t1,200.50\t800.00\t400.50
205\t教育支出\t1,150.50\t750.00\t400.50
20502\t普通教育\t1,150.50\t750.00\t400.50
2050201\t学前教育\t1,150.50\t750.00\t400.50
221\t住房保障支出\t50.00\t50.00\t0.00

项目支出表

单位:万元

科目编码\t科目名称\t合计\t一般公共预算\t政府性基金预算
205\t教育支出\t400.50\t400.50\t0.00
2050201\t学前教育\t400.50\t400.50\t0.00

项目支出绩效目标表

项目名称\t一级指标\t二级指标\t三级指标\t指标值
学前教育资助经费\t产出指标\t数量指标\t资助幼儿人数\t≥1200人
\t\t质量指标\t资助发放准确率\t100%
\t效益指标\t社会效益指标\t家长满意度\t≥95%
校舍维修经费\t产出指标\t时效指标\t完工时间\t2024年12月前
"""


def extract(tmp_path: Path):
    path = tmp_path / "other.txt"
    path.write_text(DOC, encoding="utf-8")
    extraction = extract_documents([path])
    assert extraction.errors == []
    return extraction


def test_other_titles_for_the_same_tables(tmp_path):
    extraction = extract(tmp_path)
    names = list(extraction["tables"]["table"])
    assert names == ["income_expenditure_summary", "expenditure_by_function",
                     "project_expenditure_by_function", "performance_target_table"]
    items = extraction["summary_items"]
    income = items[(items.side == "income") & (items.item == "一般公共预算拨款收入")]
    assert list(income["amount"]) == [Decimal("1200.50")]


def test_project_table_keyed_by_codes_is_a_subject_table(tmp_path):
    extraction = extract(tmp_path)
    assert extraction["projects"].empty
    amounts = extraction["subject_amounts"]
    rows = amounts[amounts.table == "project_expenditure_by_function"]
    assert dict(zip(rows["code"] + ":" + rows["measure"], rows["amount"], strict=True)) == {
        "205:total": Decimal("400.50"), "205:general_public_budget": Decimal("400.50"),
        "205:government_fund": Decimal("0.00"), "2050201:total": Decimal("400.50"),
        "2050201:general_public_budget": Decimal("400.50"),
        "2050201:government_fund": Decimal("0.00")}


def test_target_table_carries_project_and_levels_down(tmp_path):
    indicators = extract(tmp_path)["indicators"]
    assert len(indicators) == 4
    first, second, third, fourth = indicators.to_dict("records")
    assert (first["scope_kind"], first["scope_name"], first["level1"], first["level2"]) == (
        "project", "学前教育资助经费", "产出指标", "数量指标")
    assert (first["target_comparator"], first["target_value"], first["target_unit"]) == (
        ">=", Decimal("1200"), "人")
    assert (second["scope_name"], second["level1"], second["level2"]) == (
        "学前教育资助经费", "产出指标", "质量指标")
    assert (third["level1"], third["level3"], third["target_value"]) == (
        "效益指标", "家长满意度", Decimal("95"))
    assert (fourth["scope_name"], fourth["level1"], fourth["target_text"]) == (
        "校舍维修经费", "产出指标", "2024年12月前")


def test_two_columns_of_one_kind_are_told_apart_by_year():
    from kg.tables.columns import measures_for
    from kg.tables.layout import Row

    header = [Row(1, ["项目", "2023年预算数", "2024年预算数", "增减"])]
    assert measures_for(header, 3) == ["budget_2023", "budget_2024", "增减"]
    plain = [Row(1, ["项目", "预算数", "预算数"])]
    assert measures_for(plain, 2) == ["budget", "budget_2"]
