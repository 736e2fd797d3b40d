"""The tidy tables extraction produces: their names and columns, in order.

This is the contract between extraction and everything after it (mapping,
validation, lineage). Every row carries ``doc_id`` and ``source_line``, the
1-based line of the source text where the fact starts.
"""

from __future__ import annotations

TABLES: dict[str, tuple[str, ...]] = {
    # One row per document.
    "documents": (
        "doc_id", "source_file", "department", "province", "city", "district",
        "fiscal_year", "kind", "amount_unit", "title", "sha256", "line_count",
    ),
    # The department, its subordinate units and internal bodies.
    "organizations": ("doc_id", "name", "role", "parent", "code", "source_line"),
    # Every amount of a table keyed by a budget subject code (功能分类 / 经济分类),
    # plus each table's printed total row (code "" and name "合计"). ``block``
    # counts the per-unit sub-blocks of a table whose codes repeat (0, 1, …) when
    # the unit is not printed; ``panel`` names the side of a two-panel table
    # (e.g. 人员经费 | 公用经费); ``related_code`` is the code printed beside this
    # one in a table that pairs two classifications (经济分类 with 部门经济分类).
    "subject_amounts": (
        "doc_id", "table", "classification", "code", "name", "unit", "block", "panel",
        "related_code", "measure", "amount", "source_line",
    ),
    # The lines of the summary tables (收支总体情况表 and the like): items with no code.
    "summary_items": ("doc_id", "table", "side", "item", "measure", "amount", "source_line"),
    # Subtotals printed for a whole table or for one unit's block inside it.
    "totals": ("doc_id", "table", "scope", "unit", "measure", "amount", "source_line"),
    "projects": (
        "doc_id", "unit", "name", "function_code", "total", "fiscal_appropriation",
        "general_public_budget", "government_fund", "state_capital", "special_account",
        "other_funds", "business_income", "operating_income", "prior_year_carryover",
        "content", "performance_target", "budget_initial", "budget_adjusted", "actual",
        "execution_rate", "category", "table", "source_line", "end_line",
    ),
    "indicators": (
        "doc_id", "scope_kind", "scope_name", "level1", "level2", "level3",
        "target_text", "target_comparator", "target_value", "target_unit", "actual_text",
        "table", "source_line",
    ),
    # Narrative and summary figures under documented keys (see kg.tables.facts).
    "facts": ("doc_id", "key", "value", "unit", "source_line", "evidence"),
    # Rows of the other listed tables (procurement, purchased services, non-tax
    # revenue, transfer payments, fund-use details): one row per amount.
    "line_items": (
        "doc_id", "table", "unit_code", "unit", "item", "detail", "measure", "amount",
        "source_line",
    ),
    # What was found: one row per logical table (continued pages merged).
    "tables": (
        "doc_id", "table", "title", "first_line", "last_line", "rows", "status",
    ),
    # What could not be placed: named by document, table and line.
    "problems": ("doc_id", "table", "line", "severity", "message"),
}

# Normalised measure keys for amount columns, shared by every table.
MEASURES: tuple[str, ...] = (
    "total", "current_year", "basic", "project", "fiscal_appropriation",
    "general_public_budget", "government_fund", "state_capital", "special_account",
    "education_fees", "other_special_account", "other_funds", "business_income",
    "operating_income", "other_income", "superior_subsidy", "subordinate_remittance",
    "business_fund_offset", "prior_year_carryover", "next_year_carryover",
    "business_operation", "subsidy_to_subordinates", "remit_to_superior", "dept_project",
    "special_fund", "budget", "actual", "opening_balance", "closing_balance",
    "income", "expenditure", "non_tax_central", "non_tax_provincial", "non_tax_local",
    "treasury", "special_account_paid", "balance_distribution",
)
