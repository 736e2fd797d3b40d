"""Facts from real corpus lines in the layouts and wordings that vary, and under perturbation.

Snippets are sliced out of the sample documents by line number, so every
sentence here is one a department really printed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.documents.reader import Document, DocumentInfo, read_document
from kg.tables.facts import extract_facts
from kg.tables.layout import is_table_line

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
NAMES = sorted(p.name for p in CORPUS.glob("*.txt"))


def corpus_lines(name: str) -> list[str]:
    return (CORPUS / name).read_text(encoding="utf-8").split("\n")


def snippet(name: str, first: int, last: int, kind: str = "budget") -> Document:
    """Lines ``first``..``last`` of a corpus file as a document of their own."""
    lines = corpus_lines(name)[first - 1 : last]
    info = DocumentInfo("", "", "", "", None, kind, "万元", "")
    return Document("snippet", "snippet.txt", tuple(lines), "", info)


def values(doc: Document) -> dict[str, tuple[object, str]]:
    return {row["key"]: (row["value"], row["unit"]) for row in extract_facts(doc)}


def test_procurement_in_two_wordings() -> None:
    # baiyun line 166: 政府采购安排…，其中：货物类采购预算…，工程类采购预算…，服务类采购预算…
    budget = values(snippet("guangzhou-baiyun-2020-budget.txt", 164, 166))
    assert budget["procurement.total"] == (Decimal("25235.50"), "万元")
    assert budget["procurement.services"] == (Decimal("25231.60"), "万元")
    # panyu 2019 line 804: 政府采购支出总额…，其中：政府采购货物支出…、
    # 政府采购工程支出…、政府采购服务支出…
    final = values(snippet("guangzhou-panyu-2019-final-accounts.txt", 802, 804, "final_accounts"))
    assert final["procurement.total"] == (Decimal("2087.87"), "万元")
    assert final["procurement.goods"] == (Decimal("1089.87"), "万元")
    assert final["procurement.works"] == (Decimal("0.00"), "万元")
    assert final["procurement.services"] == (Decimal("998.00"), "万元")


def test_wordings_the_corpus_does_not_use() -> None:
    # corpus sentences (baiyun lines 134, 148, 166, 170) reworded as other departments print them
    lines = (
        "2021年本部门收入预算总额1,200.50万元，同比增长3.5%，主要原因是人员经费增加。",
        "2021年“三公”经费支出预算数为10.00万元，同比减少2.00万元，下降16.67%。",
        "2021年本部门政府采购预算总额50.00万元，其中：货物类20.00万元、工程类0.00万元、"
        "服务类30.00万元。",
        "截至2020年12月31日，本部门共有车辆3辆，其中一般公务用车2辆。",
        "2022年本部门机关运行经费预算为40.00万元。",
    )
    doc = Document("variants", "variants.txt", lines, "", snippet(NAMES[0], 1, 1).info)
    found = values(doc)
    assert found["income_total"] == (Decimal("1200.50"), "万元")
    assert found["income_change_pct"] == (Decimal("3.5"), "%")
    assert found["income_change_reason"] == ("人员经费增加", "")
    assert found["three_public.total"] == (Decimal("10.00"), "万元")
    assert found["three_public.change"] == (Decimal("-2.00"), "万元")
    assert found["three_public.change_pct"] == (Decimal("-16.67"), "%")
    assert found["procurement.total"] == (Decimal("50.00"), "万元")
    assert found["procurement.goods"] == (Decimal("20.00"), "万元")
    assert found["procurement.works"] == (Decimal("0.00"), "万元")
    assert found["procurement.services"] == (Decimal("30.00"), "万元")
    assert found["fixed_assets.vehicles"] == (Decimal("3"), "辆")
    assert found["administrative_funds"] == (Decimal("40.00"), "万元")
    # 政府采购预算X万元 with no 总额 or 安排
    other = Document("v", "v.txt", ("2022年本部门政府采购预算12.00万元。",), "", doc.info)
    assert values(other)["procurement.total"] == (Decimal("12.00"), "万元")


def test_sentence_broken_over_a_blank_line_maps_to_its_first_line() -> None:
    # baiyun lines 138-140: "…二、项目支出预" / "" / "算 30,566.62 万元，较上年增加 27,808.71 万元…"
    doc = snippet("guangzhou-baiyun-2020-budget.txt", 136, 140)
    rows = {row["key"]: row for row in extract_facts(doc)}
    assert rows["project_expenditure"]["value"] == Decimal("30566.62")
    assert rows["project_expenditure"]["source_line"] == 3  # line 138 of the file
    assert rows["project_expenditure_change"]["source_line"] == 5  # line 140
    assert "项目支出预算30,566.62万元" in rows["project_expenditure"]["evidence"]


def test_heading_does_not_run_into_the_next_paragraph() -> None:
    # baiyun lines 146-154: heading 五、“三公”经费预算情况 then four paragraphs
    doc = snippet("guangzhou-baiyun-2020-budget.txt", 146, 154)
    rows = {row["key"]: row for row in extract_facts(doc)}
    assert rows["three_public.total"]["source_line"] == 3
    assert rows["three_public.outbound_travel"]["source_line"] == 5
    assert rows["three_public.official_reception"]["source_line"] == 9


def test_nested_parts_and_change_after_the_parenthesis() -> None:
    # panyu 2023 line 664: 公务用车购置及运行费 5.7万元(公务用车购置费 0 万元,比上年增加 0 万元;
    # 公务用车运行维护费 5.7万元,比上年增加 0 万元。)比上年增加 0 万元,增长 0.0%
    found = values(snippet("guangzhou-panyu-2023-budget.txt", 664, 664))
    assert found["three_public.vehicle_purchase_and_operation"] == (Decimal("5.7"), "万元")
    assert found["three_public.vehicle_purchase_and_operation.change_pct"] == (
        Decimal("0.0"),
        "%",
    )
    assert found["three_public.vehicle_purchase.change"] == (Decimal("0"), "万元")
    assert found["three_public.vehicle_operation"] == (Decimal("5.7"), "万元")


def test_decrease_is_negative_and_zero_stays_unsigned() -> None:
    # qingxin line 540: 公务接待费0万元,比上年减少0.4万元,下降100%
    found = values(snippet("qingyuan-qingxin-2023-budget.txt", 540, 542))
    assert found["three_public.official_reception.change"] == (Decimal("-0.4"), "万元")
    assert found["three_public.official_reception.change_pct"] == (Decimal("-100"), "%")
    # 因公出国(境)费0万元,比上年增加0万元,增长0%
    assert str(found["three_public.outbound_travel.change"][0]) == "0"


def test_budget_and_actual_side_by_side() -> None:
    # panyu 2019 line 757: 决算为4.75万元，完成预算12.30万元的38.62%
    found = values(snippet("guangzhou-panyu-2019-final-accounts.txt", 755, 759, "final_accounts"))
    assert found["three_public.total"] == (Decimal("4.75"), "万元")
    assert found["three_public.total.budget"] == (Decimal("12.30"), "万元")
    assert found["three_public.total.execution_rate"] == (Decimal("38.62"), "%")
    assert found["three_public.vehicle_purchase_and_operation.execution_rate"] == (
        Decimal("100.00"),
        "%",
    )


def test_purchase_plan_is_not_the_assets_held() -> None:
    # qingxin lines 554-556 state both: 固定资产金额537.02万元 … 拟购置固定资产0.6万元
    found = values(snippet("qingyuan-qingxin-2023-budget.txt", 554, 556))
    assert found["fixed_assets.total"] == (Decimal("537.02"), "万元")
    assert found["fixed_assets.planned_purchase"] == (Decimal("0.6"), "万元")
    only_plan = ["本年度拟购置固定资产0.6万元，主要是无修复价值的笔记本电脑。"]
    doc = Document("plan", "plan.txt", tuple(only_plan), "", snippet(NAMES[0], 1, 1).info)
    assert "fixed_assets.total" not in values(doc)


# Punctuation a converter may print either full-width or ASCII.
_WIDTH = str.maketrans("，：；（）％", ",:;()%")
_WIDEN = str.maketrans(",:;()", "，：；（）")


def perturb(lines: list[str], widen: bool, blank_lines: int, cuts: list[int]) -> list[str]:
    """Prose lines re-punctuated, re-wrapped at a width and spaced by extra blank lines."""
    out: list[str] = []
    for index, line in enumerate(lines):
        if is_table_line(line) or not line.strip():
            out.append(line)
            continue
        text = line.translate(_WIDEN if widen else _WIDTH)
        cut = cuts[index % len(cuts)]
        # wrap long lines as a narrower page would, never inside the first 45 characters
        if len(text) > cut + 10 and cut >= 45 and not re.match(r"^\s*[-|]", text):
            out.extend([text[:cut], *([""] * blank_lines), text[cut:]])
        else:
            out.append(text)
        out.extend([""] * (blank_lines - 1))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(NAMES),
    widen=st.booleans(),
    blank_lines=st.integers(min_value=1, max_value=3),
    cuts=st.lists(st.integers(min_value=45, max_value=160), min_size=1, max_size=5),
)
def test_facts_survive_rewrapping_and_punctuation(
    name: str, widen: bool, blank_lines: int, cuts: list[int]
) -> None:
    original = read_document(CORPUS / name)
    lines = perturb(list(original.lines), widen, blank_lines, cuts)
    changed = Document(original.doc_id, name, tuple(lines), "", original.info)
    assert values(changed) == values(original)
    for row in extract_facts(changed):  # the line of a fact still holds part of its statement
        assert lines[row["source_line"] - 1].strip(), row["key"]
