"""The messy layouts of performance sections, built from real corpus lines, and perturbations.

Snippets are sliced out of the sample documents by line number: split pipe
fragments, carried-down levels, wrapped cells, prose-only indicators.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.documents.reader import Document, read_document
from kg.tables.performance import extract_performance, parse_target

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
PANYU_2019 = "guangzhou-panyu-2019-final-accounts.txt"
LINE_COLUMNS = ("source_line", "end_line")


def corpus_lines(name: str) -> list[str]:
    return (CORPUS / name).read_text(encoding="utf-8").split("\n")


def snippet(name: str, *spans: tuple[int, int]) -> Document:
    """The given line spans of a corpus file, in order, as a document of their own."""
    lines = corpus_lines(name)
    kept = [line for first, last in spans for line in lines[first - 1 : last]]
    info = read_document(CORPUS / name).info
    return Document("snippet", "snippet.txt", tuple(kept), "", info)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("≥95%", (">=", Decimal("95"), "%")),  # baiyun line 89
        ("98%以上", (">=", Decimal("98"), "%")),  # baiyun line 121
        ("空气网格自动监测站建设不少于15个", (">=", Decimal("15"), "个")),  # baiyun line 116
        ("全区数据归集量有效提升≥30%", (">=", Decimal("30"), "%")),  # baiyun line 108
        ("≥2份", (">=", Decimal("2"), "份")),  # baiyun line 123
        ("政务外网核心汇聚设备巡检次数≥2", (">=", Decimal("2"), "")),  # baiyun line 113
        ("0次", ("=", Decimal("0"), "次")),  # panyu 2019 line 968
        ("0 次", ("=", Decimal("0"), "次")),  # panyu 2019 line 941
        ("4Gbps", ("=", Decimal("4"), "Gbps")),  # panyu 2019 line 967
        ("369 个", ("=", Decimal("369"), "个")),  # panyu 2019 line 940
        ("95%以上", (">=", Decimal("95"), "%")),  # panyu 2019 line 942
        ("提高审批服务效率", ("", None, "")),  # baiyun line 102
        ("年度绩效考评前五", ("", None, "")),  # baiyun line 111
        ("成立一支22人综合受理窗口服务队伍", ("", None, "")),  # baiyun line 99
        ("4 套短信平台, 电路 8 条, 上网卡 28 个", ("", None, "")),  # panyu 2019 line 930
        # panyu 2019 line 934: several figures in one target, none of them the target
        ("0 次。线路故障响应时间少于 30 分钟, 可用率>=99.9%", ("", None, "")),
        ("年初未设置预期值", ("", None, "")),  # panyu 2019 line 1098
    ],
)
def test_printed_targets(printed: str, expected: tuple) -> None:
    assert parse_target(printed) == expected


def test_split_fragments_and_carried_levels_of_a_planned_indicator_table() -> None:
    # report III heading (line 1172) and its 表2 (lines 1213-1228): the 指标值 of line 1219
    # "满足番禺区信息化 5 年" continues in the next fragment (line 1223 "的需要")
    doc = snippet(PANYU_2019, (1172, 1172), (1213, 1228))
    rows = extract_performance(doc)["indicators"]
    assert [r["level3"] for r in rows] == [
        "新增机柜可用空间", "UPS电源满载运行时间", "故障次数", "节约运营维护成本",
        "减轻一期机房压力", "能耗降低量",
    ]
    assert rows[0]["target_text"] == "满足番禺区信息化5年的需要"
    assert rows[0]["source_line"] == 8  # line 1219 of the file
    # line 1225: | | | 故障次数 | … both levels carried down from line 1224
    assert (rows[2]["level1"], rows[2]["level2"]) == ("产出指标", "质量指标")
    # line 1227: | | 社会效益指标 | 减轻一期机房压力 | … level1 carried from line 1226
    assert (rows[4]["level1"], rows[4]["level2"]) == ("效益指标", "社会效益指标")
    assert {r["table"] for r in rows} == {"evaluation_indicators"}
    assert {r["scope_name"] for r in rows} == {"云计算中心二期机房升级改造"}


def test_a_wrapped_cell_is_not_a_new_indicator() -> None:
    # report I heading (line 883) and its 表2 (lines 926-942); line 939 "| | | | | 额 |" ends
    # the 指标说明 of line 935 (…节省经费金) in a fragment with one column fewer
    doc = snippet(PANYU_2019, (883, 883), (926, 942))
    rows = extract_performance(doc)["indicators"]
    assert len(rows) == 9
    assert "额" not in {r["level3"] for r in rows}
    after = rows[[r["level3"] for r in rows].index("每月节省费用") + 1]
    assert (after["level3"], after["level1"], after["level2"]) == (
        "服务单位(接入系统)数量", "效益指标", "社会效益指标")
    # line 933: | | | 带宽提升 | 提升到 4Gbps | — under 产出指标 / 时效指标 of line 932
    row = next(r for r in rows if r["level3"] == "带宽提升")
    assert (row["level1"], row["level2"], row["target_text"]) == (
        "产出指标", "时效指标", "提升到4Gbps")


def test_results_table_completes_the_planned_one() -> None:
    # report II: 表2 (lines 1064-1080) and 表3 (lines 1094-1106) name the same nine indicators;
    # 表2 prints "两类社会投资 项目审批时间 压减" wrapped inside its cell
    doc = snippet(PANYU_2019, (1028, 1028), (1060, 1106))
    rows = extract_performance(doc)["indicators"]
    assert len(rows) == 9
    row = next(r for r in rows if r["level3"] == "两类社会投资项目审批时间压减")
    assert row["target_text"] == "分别压减为68个工作日和46个工作日"
    assert row["actual_text"] == "实际压减至68个工作日和46个工作日"
    assert row["table"] == "evaluation_results"


def test_planned_only_indicators_are_kept() -> None:
    # report IV 表2 (lines 1330-1339) with a 表3 cut down to its header and first row (1355-1359)
    doc = snippet(PANYU_2019, (1291, 1291), (1330, 1339), (1355, 1359))
    rows = extract_performance(doc)["indicators"]
    assert len(rows) == 6
    first = rows[0]
    assert (first["level3"], first["table"]) == ("新增存储空间", "evaluation_results")
    assert first["actual_text"].startswith("提供1008个CPU核心")
    planned_only = [r for r in rows if r["table"] == "evaluation_indicators"]
    assert [r["level3"] for r in planned_only] == [
        "网络带宽拓展", "二楼机房改造完成率", "年均节约财政资金", "平台运作稳定性", "用户满意度",
    ]
    assert all(r["actual_text"] == "" for r in planned_only)


def test_a_table_outside_any_report_is_read_and_reported() -> None:
    # report I's 表3 (lines 954-972) without the heading that names its project
    doc = snippet(PANYU_2019, (954, 972))
    found = extract_performance(doc)
    assert len(found["indicators"]) == 9
    assert {r["scope_name"] for r in found["indicators"]} == {""}
    (problem,) = found["problems"]
    assert problem["severity"] == "warning" and problem["table"] == "evaluation_results"
    assert "lines 3-19" in problem["message"] and "no project" in problem["message"]


def test_indicators_given_only_in_prose() -> None:
    # the self-evaluation report (heading line 840), indicators in lines 857-873
    doc = snippet(PANYU_2019, (840, 840), (857, 873))
    rows = extract_performance(doc)["indicators"]
    assert [(r["level1"], r["level2"]) for r in rows] == [
        ("效益指标", "社会效益指标"), ("效益指标", "环境效益指标"), ("效益指标", "可持续影响指标"),
        ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"),
        # line 873 holds a second indicator after the first: 二是，环境效益指标，…
        ("效益指标", "环境效益指标"),
    ]
    assert rows[0]["level3"] == "广州市政府网站考评等级(区级)"
    assert rows[0]["actual_text"] == "已完成"
    assert rows[1]["actual_text"] == "执行中,2020年8月期满"
    assert rows[6]["level3"] == "网页防篡改改系统扩容及升级"
    assert [r["source_line"] for r in rows] == [6, 8, 10, 14, 16, 18, 18]  # lines 861-873


def test_report_ends_where_the_document_goes_on() -> None:
    # report IV (line 1291) ends with line 1406, before 二、部门整体支出绩效和重点工作完成情况
    found = extract_performance(read_document(CORPUS / PANYU_2019))
    report = next(p for p in found["projects"] if p["source_line"] == 1291)
    assert report["end_line"] == 1406


# Full-width and ASCII forms of the punctuation a converter may print either way.
_TO_ASCII = str.maketrans("，：；（）％", ",:;()%")
_TO_FULL = str.maketrans(",:;()", "，：；（）")


def spaced_and_repunctuated(lines: tuple[str, ...], widen: bool) -> tuple[str, ...]:
    """Every line followed by a blank line, punctuation switched between widths."""
    table = _TO_FULL if widen else _TO_ASCII
    out: list[str] = []
    for line in lines:
        out.extend([line.translate(table), ""])
    return tuple(out)


@pytest.mark.parametrize("widen", [False, True])
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_same_rows_with_blank_lines_and_either_punctuation(name: str, widen: bool) -> None:
    original = read_document(CORPUS / name)
    changed = Document(original.doc_id, name, spaced_and_repunctuated(original.lines, widen),
                       "", original.info)
    before = extract_performance(original)
    after = extract_performance(changed)
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            for column in LINE_COLUMNS:
                if column in old and old[column] is not None:
                    # line n of the original is line 2n-1 of the spaced copy
                    assert new[column] == 2 * old[column] - 1, (table, column, old)
            same = {k: v for k, v in old.items() if k not in LINE_COLUMNS}
            assert {k: v for k, v in new.items() if k not in LINE_COLUMNS} == same
