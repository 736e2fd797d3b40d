"""What a table is: its normalised name, from its title or, untitled, its header.

Budgets and final accounts title the same table differently from year to
year and place to place (收支总体情况表 / 收入支出决算总表); the name is read
from the words that carry the meaning, not from a list of exact titles.
"""

from __future__ import annotations

from kg.documents.text import compact
from kg.tables.layout import LogicalTable

# (words that must all appear in the title, words that must not, table name), in order.
_BY_TITLE: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("三公",), (), "three_public_funds"),
    (("财政拨款", "收"), ("一般公共", "基金", "三公"), "fiscal_appropriation_summary"),
    (("收支总体",), (), "income_expenditure_summary"),
    (("收支总表",), (), "income_expenditure_summary"),
    (("收入支出决算总表",), (), "income_expenditure_summary"),
    (("收入支出决算表",), ("一般公共", "基金", "国有资本", "项目"), "income_expenditure_summary"),
    (("收入总体",), (), "income_by_function"),
    (("收入总表",), (), "income_by_function"),
    (("收入决算表",), (), "income_by_function"),
    (("绩效目标表",), ("个性化",), "performance_target_table"),
    (("绩效指标表",), ("个性化", "完成"), "performance_target_table"),
    (("转移支付",), (), "transfer_payment_projects"),
    (("非税收入",), (), "non_tax_revenue"),
    (("政府采购",), (), "government_procurement"),
    (("购买服务",), (), "government_purchased_services"),
    (("政府性基金",), (), "government_fund_expenditure"),
    (("国有资本经营",), (), "state_capital_expenditure"),
    (("一般公共预算", "基本支出"), (), "basic_expenditure_by_economic"),
    (("一般公共预算", "项目支出"), (), "project_expenditure_by_economic"),
    (("一般公共预算", "支出"), (), "general_budget_expenditure_by_function"),
    (("基本支出预算表",), (), "basic_expenditure_by_unit"),
    (("项目支出",), (), "project_expenditure"),
    (("支出总体",), (), "expenditure_by_function"),
    (("支出总表",), (), "expenditure_by_function"),
    (("支出决算表",), (), "expenditure_by_function"),
    (("资金使用情况",), (), "evaluation_fund_use"),
    (("个性化绩效指标",), (), "evaluation_indicators"),
    (("绩效指标完成情况",), (), "evaluation_results"),
    (("重点项目",), (), "key_projects"),
)

# Untitled tables (a title lost to the page layout) told by their header words.
_BY_HEADER: tuple[tuple[tuple[str, ...], str], ...] = (
    (("绩效目标", "支出项目类别"), "project_expenditure"),
    (("项目内容", "绩效目标"), "project_expenditure"),
    (("关键指标", "预期实现值"), "performance_targets"),
    (("一级指标", "三级指标"), "evaluation_indicators"),
    (("部门整体",), "department_performance"),
)


def table_name(table: LogicalTable) -> str:
    """The normalised name of ``table``, or "" when it is not one we know."""
    title = compact(table.title)
    if name_by_title := _by_title(title):
        return _by_layout(name_by_title, table)
    text = table.header_text + "".join(compact(c) for r in table.rows[:3] for c in r.cells)
    for required, name in _BY_HEADER:
        if all(w in text for w in required):
            return name
    return ""


def _by_title(title: str) -> str:
    for required, excluded, name in _BY_TITLE:
        if title and all(w in title for w in required) and not any(w in title for w in excluded):
            return name
    return ""


def _by_layout(name: str, table: LogicalTable) -> str:
    """A project table keyed by subject codes, with no project names, is a subject table."""
    if name == "project_expenditure":
        header = table.header_text
        if "科目编码" in header and not any(w in header for w in ("项目名称", "项目内容",
                                                                 "支出项目类别", "绩效目标")):
            return "project_expenditure_by_function"
    return name
