"""Targets, evaluation reports and key projects of each sample document, checked by hand.

Expected values are read off the cited lines of the corpus files.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from kg.documents.reader import read_document
from kg.tables.performance import extract_performance
from kg.tables.schema import TABLES

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
BAIYUN = "guangzhou-baiyun-2020-budget.txt"
PANYU_2019 = "guangzhou-panyu-2019-final-accounts.txt"
PANYU_2023 = "guangzhou-panyu-2023-budget.txt"
QINGXIN = "qingyuan-qingxin-2023-budget.txt"


@cache
def performance(name: str) -> dict[str, list[dict]]:
    return extract_performance(read_document(CORPUS / name))


def one(rows: list[dict], **where: object) -> dict:
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, (where, len(found))
    return found[0]


@pytest.mark.parametrize("name", [BAIYUN, PANYU_2019, PANYU_2023, QINGXIN])
def test_rows_follow_the_contract(name: str) -> None:
    for table, rows in performance(name).items():
        for row in rows:
            assert tuple(row) == TABLES[table]
            assert row["doc_id"] == Path(name).stem
            assert isinstance(row["source_line"], int) and row["source_line"] > 0


def test_baiyun_department_and_task_targets() -> None:
    rows = performance(BAIYUN)["indicators"]
    department = [r for r in rows if r["scope_kind"] == "department"]
    tasks = [r for r in rows if r["scope_kind"] == "task"]
    # lines 89-94: six 关键指标 and the goal; lines 96-124: four tasks with 5, 4, 13 and 5
    # indicators, and their 4 goals
    assert len(department) == 7
    assert len(tasks) == 27 + 4
    assert len({r["scope_name"] for r in tasks}) == 4
    assert {r["scope_name"] for r in department} == {"广州市白云区政务服务数据管理局"}
    # line 89: 群众对区政务服务中心服务的满意率	≥95%
    row = one(rows, level3="群众对区政务服务中心服务的满意率")
    assert (row["target_text"], row["target_comparator"], row["target_value"],
            row["target_unit"], row["source_line"]) == ("≥95%", ">=", Decimal("95"), "%", 89)
    assert row["actual_text"] == ""
    # line 94: 其中：部门年度整体预算完成率：90% (the target printed inside the label cell)
    row = one(rows, level3="部门年度整体预算完成率")
    assert (row["target_text"], row["target_comparator"], row["target_value"]) == (
        "90%", "=", Decimal("90"))
    # line 116: 全区空气监测覆盖程度	空气网格自动监测站建设不少于15个
    row = one(rows, level3="全区空气监测覆盖程度")
    assert (row["target_comparator"], row["target_value"], row["target_unit"]) == (
        ">=", Decimal("15"), "个")
    # line 111: 全市各级政府网站考评	年度绩效考评前五 (no number: no comparator)
    row = one(rows, level3="全市各级政府网站考评")
    assert (row["target_comparator"], row["target_value"]) == ("", None)
    # line 121: 热线工单按时办结率	98%以上, under the task of line 119
    row = one(rows, level3="热线工单按时办结率")
    assert row["scope_name"] == "进一步规范12345政府服务热线管理,提升办理效能"
    assert (row["target_comparator"], row["target_value"], row["source_line"]) == (
        ">=", Decimal("98"), 121)
    # lines 119-121: the task's goal wraps onto line 121 after a blank line
    goal = one(rows, scope_name=row["scope_name"], level3="任务(政策)的绩效目标")
    assert goal["target_text"] == (
        "一是完善热线工作制度,健全热线工作体系;二是进一步强化热线重点难点民生事项办理;"
        "三是加强热线大数据分析应用。"
    )
    assert goal["source_line"] == 119
    # line 102: the goal cell is wrapped in <p> tags
    goal = one(rows, scope_name="着力提升政务服务水平和能力,进一步优化白云营商环境",
               level3="任务(政策)的绩效目标")
    assert goal["target_text"].startswith("一是继续为区级以上重点项目")
    assert "<p>" not in goal["target_text"]


def test_baiyun_key_projects_and_mentions() -> None:
    projects = performance(BAIYUN)["projects"]
    key = [p for p in projects if p["table"] == "key_projects"]
    # lines 177 and 180
    assert [(p["name"], p["total"], p["source_line"]) for p in key] == [
        ("智慧白云一期项目经费", Decimal("14248.00"), 177),
        ("智慧白云信息化建设项目经费", Decimal("9083.29"), 180),
    ]
    assert key[0]["performance_target"].startswith("智慧白云建设是一个持续迭代")
    # line 130: …启动智慧白云建设项目;
    mentioned = [p["name"] for p in projects if p["table"] == "narrative"]
    assert mentioned == ["智慧白云建设项目"]


def test_panyu_2019_evaluation_report_projects() -> None:
    projects = [p for p in performance(PANYU_2019)["projects"] if p["table"] == "evaluation_report"]
    got = [(p["name"], p["source_line"], p["budget_initial"], p["budget_adjusted"], p["actual"],
            p["execution_rate"]) for p in projects]
    assert got == [
        # line 846: 年初总预算 22.63 万元，最终支付 22.1904 万元 … 支付率达 98%
        ("政府网站运维管理和技术保障项目", 840, Decimal("22.63"), None, Decimal("22.1904"),
         Decimal("98")),
        # line 895: 年初预算安排为329.45万元 … 调整后预算为311.3652万元。实际支出311.3652万元 … 100%
        ("政府专线线路租用费用", 883, Decimal("329.45"), Decimal("311.3652"),
         Decimal("311.3652"), Decimal("100")),
        # lines 1040-1042: 年初预算安排108.51万元 … 调整后预算为299.2149万元,实际支出299.2149万元
        ("番禺区建设工程技术审查协同平台暨优化营商环境系统建设", 1028, Decimal("108.51"),
         Decimal("299.2149"), Decimal("299.2149"), Decimal("100")),
        # lines 1184-1186: 年初预算安排 128.25 万元 … 调整后预算 201.43 万元 … 支出执行为 100%
        ("云计算中心二期机房升级改造", 1172, Decimal("128.25"), Decimal("201.43"),
         Decimal("201.43"), Decimal("100")),
        # lines 1301-1303: 年初预算安排为300万元。年中追加302.49万元 (no 调整后预算 printed)
        ("电子政务云计算中心扩容及远程双活备份", 1291, Decimal("300"), None, Decimal("602.49"),
         Decimal("100")),
    ]


def test_panyu_2019_evaluation_report_goals() -> None:
    goals = {p["name"]: p["performance_target"] for p in performance(PANYU_2019)["projects"]
             if p["table"] == "evaluation_report"}
    # line 854: 项目绩效目标:完成上级主管部门下达刚性任务,…完善政府网站安全保障。
    assert goals["政府网站运维管理和技术保障项目"] == (
        "完成上级主管部门下达刚性任务,对番禺区政府门户网站进行维护和升级,完善政府网站安全保障"
    )
    # line 1203: 项目绩效总目标为：升级改造二期机房，…满足设备物理空间 3 年内的增长。
    assert goals["云计算中心二期机房升级改造"] == (
        "升级改造二期机房,提供24个机柜可用空间,满足设备物理空间3年内的增长"
    )
    # line 1320: "没有显示绩效目标，无法判断…" is not the goal; 项目的绩效总目标为：… is
    assert goals["电子政务云计算中心扩容及远程双活备份"] == "满足番禺区政务云平台三年内业务增长需求"
    # line 1058: 本项目年初所设置的目标为：通过优化整合，…
    assert goals["番禺区建设工程技术审查协同平台暨优化营商环境系统建设"].startswith("通过优化整合")


def test_panyu_2019_evaluation_indicators() -> None:
    rows = [r for r in performance(PANYU_2019)["indicators"] if r["scope_kind"] == "project"]
    per_project = {}
    for row in rows:
        per_project[row["scope_name"]] = per_project.get(row["scope_name"], 0) + 1
    # 表3 rows (all also in 表2) per report, and the self-evaluation's seven prose indicators
    assert per_project == {
        "政府网站运维管理和技术保障项目": 7,
        "政府专线线路租用费用": 9,
        "番禺区建设工程技术审查协同平台暨优化营商环境系统建设": 9,
        "云计算中心二期机房升级改造": 6,
        "电子政务云计算中心扩容及远程双活备份": 6,
    }
    # line 965: | | 质量指标 | 短信平台发送成功率 | 90% | 92% | (一级指标 carried from line 964)
    row = one(rows, level3="短信平台发送成功率")
    assert (row["level1"], row["level2"], row["target_text"], row["actual_text"],
            row["source_line"]) == ("产出指标", "质量指标", "90%", "92%", 965)
    assert (row["target_comparator"], row["target_value"], row["target_unit"]) == (
        "=", Decimal("90"), "%")
    # line 968: | | 社会效益指标 | 故障次数 | 0次 | 0次 | (一级指标 carried from line 967)
    row = one(rows, scope_name="政府专线线路租用费用", level3="故障次数")
    assert (row["level1"], row["level2"], row["target_value"], row["target_unit"]) == (
        "效益指标", "社会效益指标", Decimal("0"), "次")
    # line 972: 服务对象满意度 | 95%以上 | 95.6%
    row = one(rows, level3="服务对象满意度")
    assert (row["target_comparator"], row["target_value"], row["actual_text"]) == (
        ">=", Decimal("95"), "95.6%")
    # line 1099: 建成系统功能模块个数 (表2 line 1073 prints it as "建成系统功能 模块个数")
    row = one(rows, level3="建成系统功能模块个数")
    assert row["actual_text"] == "已建成三大平台的功能模块25个"
    assert row["table"] == "evaluation_results"
    # line 1106: 满意度指标 | 服务对象满意度 | 营商环境 | 优化营商环境 | 2019 年…78.3 分
    row = one(rows, level3="营商环境")
    assert row["actual_text"] == "2019年番禺区的营商环境便利度得分为78.3分"
    # line 869: prose 数量指标：iGuard 网页防篡改改系统服务 2 套 …
    # 指标值完成情况，已完成三期巡检报告…
    row = one(rows, level2="数量指标", scope_name="政府网站运维管理和技术保障项目")
    assert row["level1"] == "产出指标"
    assert row["actual_text"] == "已完成三期巡检报告,执行中,2020年8月期满"
    assert (row["source_line"], row["table"]) == (869, "evaluation_prose")


def test_panyu_2019_fund_use_adds_up_to_the_printed_totals() -> None:
    items = [
        i for i in performance(PANYU_2019)["line_items"] if i["table"] == "evaluation_fund_use"
    ]
    totals: dict[str, Decimal] = {}
    for item in items:
        assert item["measure"] == "actual" and item["unit"] == ""
        totals[item["detail"]] = totals.get(item["detail"], Decimal(0)) + item["amount"]
    # the 合计 rows of each 表1: lines 910, 1050, 1195, 1312
    assert totals == {
        "政府专线线路租用费用": Decimal("311.3652"),
        "番禺区建设工程技术审查协同平台暨优化营商环境系统建设": Decimal("299.2149"),
        "云计算中心二期机房升级改造": Decimal("201.43"),
        "电子政务云计算中心扩容及远程双活备份": Decimal("602.49"),
    }
    # line 1049: | 2 | 招标代理费 | 第一笔监理合同款 | 3.3950 | 1.13% |
    row = one(items, source_line=1049)
    assert (row["item"], row["amount"]) == ("招标代理费：第一笔监理合同款", Decimal("3.3950"))
    # line 909: 中国移动上网、短信及MAS和专线费用 (201812-201911) | 90.3019
    row = one(items, source_line=909)
    assert (row["item"], row["amount"]) == (
        "中国移动上网、短信及MAS和专线费用(201812-201911)", Decimal("90.3019"))


def test_panyu_2019_department_overall_table() -> None:
    found = performance(PANYU_2019)
    rows = [r for r in found["indicators"] if r["table"] == "department_performance"]
    # line 1414: | 部门整体财政支出 | 支出总额（万元） | 5268.77 | 部门整体预算完成率： | 68.31% |
    row = one(rows, level3="部门整体预算完成率")
    assert (row["scope_kind"], row["level1"], row["actual_text"], row["source_line"]) == (
        "department", "部门整体财政支出", "68.31%", 1414)
    assert one(rows, level3="支出总额(万元)")["actual_text"] == "5268.77"
    # lines 1417 and 1421: the goal continues in the next fragment, whose columns differ
    goal = one(rows, level3="部门整体支出目标")
    assert goal["target_text"].startswith("2019年区政务服务数据管理局按照区委区政府")
    assert "以建设全程电子化为主" in goal["target_text"]
    assert goal["actual_text"].startswith("2019年全区共受理政务业务417.03万宗")
    assert "在全市“数字政府”考核中" in goal["actual_text"]
    tasks = [r for r in rows if r["scope_kind"] == "task"]
    assert [t["scope_name"] for t in tasks] == [
        "启动1+6+N建设", "开展审批便民化标准化", "创新服务举措",
        "夯实信息化基础推进“数字政府”改革建设", "提升“互联网+政务服务”水平",
    ]
    assert tasks[0]["actual_text"].startswith("1.番禺区新政务服务中心于2019年7月1日正式对外服务")
    paid = [(i["item"], i["amount"], i["source_line"]) for i in found["line_items"]
            if i["table"] == "department_tasks"]
    # lines 1426, 1431, 1436, 1441, 1446: 任务涉及实际支付财政资金（万元）
    assert paid == [
        ("启动1+6+N建设", Decimal("773.22"), 1426),
        ("开展审批便民化标准化", Decimal("369.24"), 1431),
        ("创新服务举措", Decimal("62.59"), 1436),
        ("夯实信息化基础推进“数字政府”改革建设", Decimal("2811.8"), 1441),
        ("提升“互联网+政务服务”水平", Decimal("109.22"), 1446),
    ]


def test_panyu_2019_projects_named_in_the_narrative() -> None:
    mentioned = [(p["name"], p["source_line"]) for p in performance(PANYU_2019)["projects"]
                 if p["table"] == "narrative"]
    # line 624 (traditional 統 kept as printed), 586, 751
    assert ("社会治安视频监控系統建设项目", 624) in mentioned
    assert ("区政务服务中心及万博分中心改造工程项目", 586) in mentioned
    assert ("政务中心万博分中心改造工程项目", 751) in mentioned
    names = [name for name, _ in mentioned]
    assert len(names) == len(set(names))
    assert not any(name.startswith(("共", "各")) or "科技经费" in name for name in names)


def test_panyu_2023_key_project_wrapped_name_and_target() -> None:
    found = performance(PANYU_2023)
    key = [p for p in found["projects"] if p["table"] == "key_projects"]
    assert len(key) == 1
    # lines 683-690: name and target both wrap; the amount is printed "2999. 1"
    assert key[0]["name"] == '"禺智管"城市运行管理中枢平台一期建设及配套硬件项目'
    assert key[0]["total"] == Decimal("2999.1")
    assert (key[0]["source_line"], key[0]["end_line"]) == (683, 690)
    assert key[0]["performance_target"] == (
        '通过开展"禺智管"中枢平台一期及配套硬件项目,构建一图全面感知,实时监测预警,'
        "辅助科学决策;实现一体联动指挥,全面提升各类事件响应能力;强化全区数字化支撑能力,"
        "全面赋能应用创新。"
    )
    assert found["indicators"] == []  # this budget prints no target tables


def test_qingxin_key_projects_and_mentions() -> None:
    projects = performance(QINGXIN)["projects"]
    key = [(p["name"], p["total"], p["source_line"]) for p in projects
           if p["table"] == "key_projects"]
    # lines 563-568
    assert key == [
        ("区电子政务云平台建设项目", Decimal("200.00"), 563),
        ("清远市清新区浸潭镇政务服务中心升级改造项目", Decimal("248.00"), 564),
        ("全区行政村通光纤VPN专网组网", Decimal("125.00"), 565),
        ("区府1-7号楼及周边办公电脑维护服务外包经费", Decimal("60.00"), 566),
        ("区“数字政府”有关项目建设", Decimal("34.00"), 567),
        ("政务服务大厅运维", Decimal("28.00"), 568),
    ]
    last = [p for p in projects if p["name"] == "政务服务大厅运维"][0]
    # line 568 wraps onto line 570 after a blank line
    assert last["performance_target"].endswith("向企业和群众提供更多的“一站式”、“套餐式”服务。")
    assert last["end_line"] == 570
    # line 536: 新增(2023年区级创文项目)“讲文明树新风”公益广告、
    # 全区统一使用杀毒软件孔容项目等专项资金
    mentioned = [p["name"] for p in projects if p["table"] == "narrative"]
    assert mentioned == [
        "(2023年区级创文项目)“讲文明树新风”公益广告",
        "全区统一使用杀毒软件孔容项目",
    ]
