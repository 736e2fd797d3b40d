"""Each messy layout, built from real lines of the sample corpus.

A small document is assembled from lines copied out of a sample (the line
each comes from is noted), so each layout is tested on its own.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.documents.numbers import parse_amount
from kg.tables.extract import extract_documents
from kg.tables.layout import logical_tables

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
COVER = ["2023年", "", "广州市番禺区政务服务数据管理局部门预算", "", "目录", ""]


def corpus_lines(name: str, first: int, last: int) -> list[str]:
    lines = (CORPUS / name).read_text(encoding="utf-8").split("\n")
    return lines[first - 1 : last]


def extract(tmp_path: Path, lines: list[str], name: str = "sample.txt"):
    path = tmp_path / name
    path.write_text("\n".join(COVER + lines) + "\n", encoding="utf-8")
    extraction = extract_documents([path])
    assert extraction.errors == []
    return extraction


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("15, 094. 71", "15094.71"),  # panyu 2023 l.79
        ("15, 094. 7 1", "15094.71"),  # l.130
        ("0. 93", "0.93"),  # l.152
        ("1029. 51", "1029.51"),  # l.298
        ("31,600.01", "31600.01"),  # baiyun l.241
        ("３１，６００．０１", "31600.01"),  # full-width digits and punctuation
        ("-", None),
        ("无", None),
        ("", None),
        ("705 00", None),  # OCR lost the point: not an amount (panyu 2023 l.488)
    ],
)
def test_numbers_through_ocr_noise(printed, value):
    assert parse_amount(printed) == (Decimal(value) if value else None)


def test_table_continued_with_repeated_title_and_header(tmp_path):
    lines = corpus_lines("guangzhou-panyu-2023-budget.txt", 172, 209)  # 支出总体情况表, 2 pages
    extraction = extract(tmp_path, lines)
    tables = extraction["tables"]
    assert list(tables["table"]) == ["expenditure_by_function"]
    amounts = extraction["subject_amounts"]
    assert amounts["source_line"].nunique() == 23
    # the OCR-mangled second header row ("ЦИ 坐华文山 次日文田") does not disturb the measures
    assert set(amounts["measure"]) == {
        "total",
        "basic",
        "project",
        "business_operation",
        "subsidy_to_subordinates",
        "remit_to_superior",
        "next_year_carryover",
    }


def test_header_cells_split_over_rows_and_ocr_lambda(tmp_path):
    lines = corpus_lines("guangzhou-panyu-2023-budget.txt", 124, 170)  # 收入总体情况表
    amounts = extract(tmp_path, lines)["subject_amounts"]
    row = amounts[amounts.code == "2080505"]  # l.150
    assert dict(zip(row["measure"], row["amount"], strict=True))[
        "general_public_budget"
    ] == Decimal("74.62")
    assert "business_fund_offset" in set(row["measure"])  # "基金弥 补收支 差额"


def test_column_number_row_and_multi_row_header(tmp_path):
    lines = corpus_lines("guangzhou-baiyun-2020-budget.txt", 259, 272)  # 收入总体情况表
    amounts = extract(tmp_path, lines)["subject_amounts"]
    row = amounts[amounts.code == "2210203"]  # l.270
    measures = dict(zip(row["measure"], row["amount"], strict=True))
    assert measures["total"] == Decimal("172.85")
    assert measures["fiscal_appropriation"] == Decimal("172.85")  # 财政拨款 / 小计
    assert measures["special_account"] == Decimal("0.00")  # 财政专户拨款 / 小计
    assert len(row) == 17  # 19 numbered columns less code and name


def test_pipe_table_continued_over_pages(tmp_path):
    lines = corpus_lines("guangzhou-panyu-2019-final-accounts.txt", 136, 216)  # 收入决算表
    amounts = extract(tmp_path, lines)["subject_amounts"]
    # pages print 11 + 10 + 11 + 4 rows (146-156, 168-177, 189-199, 211-214); 合计 repeats 3 times
    assert amounts["source_line"].nunique() == 36 - 3
    assert list(amounts[(amounts.code == "20103") & (amounts.measure == "total")]["amount"]) == [
        Decimal("2229.37")
    ]


def test_two_panel_table(tmp_path):
    lines = corpus_lines("guangzhou-panyu-2019-final-accounts.txt", 417, 511)
    extraction = extract(tmp_path, lines)
    amounts = extraction["subject_amounts"]
    assert set(amounts["panel"]) == {"人员经费", "公用经费"}
    public = amounts[amounts.panel == "公用经费"]
    assert list(public[public.code == "30299"]["amount"]) == [Decimal("3.58")]  # l.463


def test_cells_wrapped_with_numbers_on_a_middle_line(tmp_path):
    # 商务云 project (529-532) with the next project's text starting above its name (533-550)
    lines = corpus_lines("guangzhou-panyu-2023-budget.txt", 452, 460) + corpus_lines(
        "guangzhou-panyu-2023-budget.txt", 522, 552
    )
    projects = extract(tmp_path, lines)["projects"]
    by_name = projects.set_index("name")
    assert by_name.loc["番禺区电子公务商务云管理经费", "total"] == Decimal("15.00")
    assert by_name.loc["番禺区电子公务商务云管理经费", "performance_target"].endswith(
        "全的服务器资源及网络服务。"
    )
    reform = by_name.loc["放管服改革优化政务服务专项经费"]
    assert reform["total"] == Decimal("245.00")
    assert reform["performance_target"].startswith("1、以提升政务服务效能")


def test_codes_in_their_own_column(tmp_path):
    lines = corpus_lines("qingyuan-qingxin-2023-budget.txt", 130, 183)
    amounts = extract(tmp_path, lines)["subject_amounts"]
    codes = set(amounts["code"]) - {""}
    assert {"201", "20103", "2010301", "2210203"} <= codes
    assert all(len(code) in (3, 5, 7) for code in codes)


def test_blocks_stitch_only_within_one_table(tmp_path):
    lines = corpus_lines("guangzhou-panyu-2023-budget.txt", 424, 654)  # 表11 then untitled 表12
    doc_tables = extract(tmp_path, lines)["tables"]
    assert list(doc_tables["table"]) == ["basic_expenditure_by_unit", "project_expenditure"]


def test_logical_tables_keep_line_numbers(tmp_path):
    from kg.documents.reader import read_document

    path = tmp_path / "doc.txt"
    path.write_text(
        (CORPUS / "guangzhou-panyu-2023-budget.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    tables = logical_tables(read_document(path))
    first = tables[0]
    assert first.title == "收支总体情况表" and first.rows[0].line == 79
