"""Header labels to normalised measure keys.

Headers arrive split over several rows and mangled by OCR ("事业单位经营支" on
one row, "出" on the next; "收 λ" for 收入). Each column's label is read as the
top-to-bottom concatenation of the header cells at its position, and matched
by the words it contains, most specific first, so OCR debris around a
recognisable word does no harm.
"""

from __future__ import annotations

import re

from kg.documents.text import compact
from kg.tables.layout import Row

# (pattern, measure) tried in order: more specific phrases before the words they contain.
_VOCABULARY: tuple[tuple[str, str], ...] = (
    (r"本年(收入|支出)合计", "current_year"),
    (r"事业单位经营收入", "operating_income"),
    (r"(事业单位)?经营支出?", "business_operation"),
    (r"对附属单位补助", "subsidy_to_subordinates"),
    (r"上缴中央", "non_tax_central"),
    (r"上缴省", "non_tax_provincial"),
    (r"本级收入", "non_tax_local"),
    (r"上缴上级", "remit_to_superior"),
    (r"附属单位上缴|位上缴", "subordinate_remittance"),
    (r"上级补助", "superior_subsidy"),
    (r"用事业基金|弥补收支|基金弥补", "business_fund_offset"),
    (r"年初(财政拨款)?结转", "opening_balance"),
    (r"上年预?结转", "prior_year_carryover"),
    (r"年末(财政拨款)?结转", "closing_balance"),
    (r"结转下年|54投下午", "next_year_carryover"),
    (r"结余分配", "balance_distribution"),
    (r"部门项目支出", "dept_project"),
    (r"财政专项资金", "special_fund"),
    (r"基本支出", "basic"),
    (r"项目支出", "project"),
    (r"一般公共", "general_public_budget"),
    (r"政府性基金", "government_fund"),
    (r"国有资本", "state_capital"),
    (r"教育收费", "education_fees"),
    (r"其他(专户|财政拨款)", "other_special_account"),
    (r"财政专户", "special_account"),
    (r"事业收入", "business_income"),
    (r"经营收入", "operating_income"),
    (r"其他收入", "other_income"),
    (r"其他资金", "other_funds"),
    (r"财政拨款", "fiscal_appropriation"),
    (r"纳入预算管理", "treasury"),
    (r"纳入财政专户", "special_account_paid"),
    (r"当年收入安排", "current_income_arranged"),
    (r"净结余安排", "net_surplus_arranged"),
    (r"预算数", "budget"),
    (r"决算数", "actual"),
    (r"本年收入", "income"),
    (r"本年支出", "expenditure"),
    (r"合计|总计|小计|金额|预算|数额|ЦИ", "total"),
)
_COMPILED = tuple((re.compile(p), m) for p, m in _VOCABULARY)

# Labels of the columns that name or code a row rather than hold an amount.
_KEY_COLUMN = re.compile(
    r"科目编码|科目名称|功能分类|经济分类|经济科目|科目$|编码|项目名称|项目类别|"
    r"^项目$|行次|栏次|单位名称|资金使用单位|功能科目|支出功能|单位编|^功能$|"
    r"功能科目名称|部门预算支出|政府预算经济|^收入项目|^支出项目|数量|计量单位|品目|"
    r"采购项目|购买方式|目录|备注|收入科目|单位编码|(^|收|支|入|出)项目$"
)
# Columns of text (not amounts) that stand among the amount columns.
_TEXT_COLUMN = re.compile(r"绩效目标|项目内容|具体支出内容|资金占比|指标|说明|依据|完成情况|内容$")


def measure_of(label: str) -> str | None:
    """The measure a header label names, or None when it names no amount."""
    folded = compact(label)
    if not folded:
        return None
    for pattern, measure in _COMPILED:
        if pattern.search(folded):
            return measure
    return None


def is_key_label(label: str) -> bool:
    return bool(_KEY_COLUMN.search(compact(label)))


def amount_columns(labels: list[str]) -> list[int]:
    """Positions whose label names an amount (not the code, name or text of the row).

    A label the vocabulary does not know still marks an amount column (the
    districts of a transfer table, say), so later columns keep their place.
    """
    return [
        position
        for position, label in enumerate(labels)
        if label
        and not _TEXT_COLUMN.search(label)
        and not (is_key_label(label) and measure_of(label) in (None, "total"))
    ]


def label_key(label: str) -> str:
    """The measure key of a column: its vocabulary word, else its printed label."""
    return measure_of(label) or re.sub(r"^其中[:：]?", "", compact(label))


def key_columns(labels: list[str]) -> set[int]:
    """Positions whose label says the column codes or names the row (科目编码, 行次…)."""
    return {
        position
        for position, label in enumerate(labels)
        if label and is_key_label(label) and measure_of(label) in (None, "total")
    }


def column_labels(header: list[Row]) -> list[str]:
    """Each column position's label: the header cells stacked at that position."""
    width = max((len(r.cells) for r in header), default=0)
    labels = []
    for position in range(width):
        parts = [r.cells[position] for r in header if position < len(r.cells)]
        labels.append("".join(compact(p) for p in parts))
    return labels


def measures_for(header: list[Row], amount_count: int) -> list[str]:
    """The measure of each of the ``amount_count`` amount columns, left to right.

    Reads the header's column labels, drops the ones that key a row (code,
    name), and resolves generic totals (合计 under 财政拨款 is the
    appropriation subtotal; a second plain 合计 after 总计 is this year's).
    Falls back to positional names (``col1``…) when the header cannot account
    for as many amount columns as the rows print.
    """
    labels = column_labels(header)
    groups = _groups(header)
    measures: list[str] = []
    for position in amount_columns(labels):
        measure = label_key(labels[position])
        if measure == "total" and "total" in measures:
            group = groups[position] if position < len(groups) else ""
            measure = measure_of(group) or "current_year"
            if measure == "total":
                measure = "current_year"
        if measure == "current_year" and "total" not in measures:
            measure = "total"  # 本年收入合计 is the total when no 总计 precedes it
        measures.append(measure)
    # A second 合计 right before the fund columns is the appropriation subtotal (财政拨款合计).
    for index, measure in enumerate(measures[:-1]):
        if measure == "current_year" and measures[index + 1] == "general_public_budget":
            measures[index] = "fiscal_appropriation"
    measures = _distinct(measures, [labels[p] for p in amount_columns(labels)])
    if len(measures) >= amount_count:
        return measures[len(measures) - amount_count :] if amount_count else []
    return measures + [f"col{i + 1}" for i in range(len(measures), amount_count)]


def _groups(header: list[Row]) -> list[str]:
    """For each position, the nearest group label spanning it from an upper header row."""
    width = max((len(r.cells) for r in header), default=0)
    result = [""] * width
    for row in header[:-1]:
        current = ""
        for position in range(width):
            cell = compact(row.cells[position]) if position < len(row.cells) else ""
            if cell:
                current = cell
            if current and not result[position]:
                result[position] = current
    return result


def _distinct(measures: list[str], labels: list[str]) -> list[str]:
    """Two columns with one key (2022年预算数 | 2023年预算数) are told apart by
    the year in their labels, else by their order, never silently merged."""
    result: list[str] = []
    for index, measure in enumerate(measures):
        if measures.count(measure) > 1:
            year = re.search(r"(20\d{2})", labels[index]) if index < len(labels) else None
            suffix = year.group(1) if year else str(measures[:index].count(measure) + 1)
            if year or measures[:index].count(measure):
                measure = f"{measure}_{suffix}"
        result.append(measure)
    return result
