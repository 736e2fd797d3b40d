"""Each shape catches what it is for: take the valid sample, break one thing, and see the
right finding at the right severity — and nothing else.

The sample is real rows of the Panyu 2023 budget (tests/fixtures/graph); the
expected differences are worked out from the printed numbers.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from test_graph_support import extraction_from_rows, sample_rows

from kg.validation.validate import Finding, ValidationReport, validate_extraction


def validate(rows: dict) -> ValidationReport:
    [report] = validate_extraction(extraction_from_rows(rows))
    return report


def summary(findings: list[Finding]) -> list[tuple[str, str, str | None, int | None]]:
    return sorted((f.severity, f.shape, f.table, f.line) for f in findings)


def only_new(report: ValidationReport, baseline: ValidationReport) -> list[Finding]:
    known = {(f.shape, f.message) for f in baseline.findings}
    return [f for f in report.findings if (f.shape, f.message) not in known]


@pytest.fixture(scope="module")
def valid() -> ValidationReport:
    return validate(sample_rows())


def edit(rows: dict, table: str, match: dict, **changes) -> dict:
    """A copy of ``rows`` with the one row of ``table`` matching ``match`` changed."""
    rows = copy.deepcopy(rows)
    hits = [r for r in rows[table] if all(r.get(k) == v for k, v in match.items())]
    assert len(hits) == 1, f"{match} matches {len(hits)} rows"
    hits[0].update(changes)
    return rows


def test_the_valid_sample_has_only_the_rounding_difference_it_prints(valid):
    # 208 社会保障和就业支出 prints 148.67; 20805 + 20808 = 147.73 + 0.93 = 148.66:
    # 0.01 off over 2 items, a rounding difference (尾差), in both the total and basic column.
    assert summary(valid.findings) == [
        ("Info", "ChildrenAddUpRounding", "expenditure_by_function", 188),
        ("Info", "ChildrenAddUpRounding", "expenditure_by_function", 188),
    ]
    assert valid.conforms
    assert all("148.67" in f.message and "148.66" in f.message for f in valid.findings)


def test_children_that_do_not_add_up_are_a_violation_naming_line_and_amounts(valid):
    # 20805 prints 147.73; with 2080505 at 84.62: 35.80 + 84.62 + 37.31 = 157.73, 10.00 over.
    rows = edit(sample_rows(), "subject_amounts", {"code": "2080505", "measure": "total"},
                amount="84.62")
    report = validate(rows)
    new = only_new(report, valid)
    assert summary(new) == [("Violation", "ChildrenAddUpGap", "expenditure_by_function", 189)]
    assert "147.73" in new[0].message and "157.73" in new[0].message
    assert "10.00" in new[0].message
    assert not report.conforms


def test_a_rounding_difference_within_a_cent_per_item_is_information_not_violation(valid):
    # 35.81 + 74.62 + 37.31 = 147.74 against 147.73: 0.01 over 3 items.
    rows = edit(sample_rows(), "subject_amounts", {"code": "2080501", "measure": "total"},
                amount="35.81")
    report = validate(rows)
    assert summary(only_new(report, valid)) == [
        ("Info", "ChildrenAddUpRounding", "expenditure_by_function", 189)]
    assert report.conforms


def test_projects_that_miss_their_unit_subtotal_are_a_violation(valid):
    # 831.00 printed for the centre; 370.00 + 225.18 + 236.82 = 832.00.
    rows = edit(sample_rows(), "projects", {"name": "机构运行辅助经费"}, total="236.82")
    new = only_new(validate(rows), valid)
    assert summary(new) == [("Violation", "ProjectsAddUpToUnitGap", "project_expenditure", 633)]
    assert "831.00" in new[0].message and "832.00" in new[0].message


def _with_table_total(rows: dict, table: str, amount: str, line: int) -> dict:
    rows = copy.deepcopy(rows)
    rows["totals"].append({"table": table, "scope": "table", "unit": "", "measure": "total",
                           "amount": amount, "source_line": line})
    return rows


def test_a_table_total_the_projects_and_units_do_not_reach_is_a_violation(valid):
    assert not only_new(validate(_with_table_total(sample_rows(), "project_expenditure",
                                                   "831.00", 456)), valid)
    # 900.00 printed; the three projects (and the one unit) add up to 831.00.
    new = only_new(validate(_with_table_total(sample_rows(), "project_expenditure",
                                              "900.00", 456)), valid)
    assert summary(new) == [
        ("Violation", "ProjectsAddUpToTotalGap", "project_expenditure", 456),
        ("Violation", "UnitsAddUpToTotalGap", "project_expenditure", 456),
    ]


def test_top_level_codes_must_add_up_to_the_table_total(valid):
    # 206 + 208 + 212 + 221 = 4653.00 + 148.67 + 250.00 + 113.67 = 5165.34. The sample's
    # table is partial, so its total is not the summary's 本年支出合计: leave that out.
    rows = copy.deepcopy(sample_rows())
    rows["summary_items"] = [r for r in rows["summary_items"] if r["item"] != "本年支出合计"]
    good = _with_table_total(rows, "expenditure_by_function", "5165.34", 178)
    assert not only_new(validate(good), valid)
    bad = _with_table_total(rows, "expenditure_by_function", "5200.00", 178)
    new = only_new(validate(bad), valid)
    assert summary(new) == [("Violation", "CodesAddUpToTotalGap", "expenditure_by_function", 178)]
    assert "5165.34" in new[0].message


def test_total_must_be_basic_plus_project(valid):
    # 221 住房保障支出 line 205: 113.67 = 90.67 + 23.00. Print the total as 123.67 instead
    # (and its children too, so the code hierarchy still adds up). The summary table's
    # 十九、住房保障支出 (line 104) still says 113.67, so it now disagrees with the detail.
    rows = sample_rows()
    for code in ("221", "22102", "2210201"):
        rows = edit(rows, "subject_amounts", {"code": code, "measure": "total"},
                    amount="123.67")
    new = only_new(validate(rows), valid)
    assert summary(new) == [
        ("Violation", "SummaryMatchesDetailGap", "income_expenditure_summary", 104),
        ("Violation", "TotalIsBasicPlusProjectGap", "expenditure_by_function", 205),
        ("Violation", "TotalIsBasicPlusProjectGap", "expenditure_by_function", 206),
        ("Violation", "TotalIsBasicPlusProjectGap", "expenditure_by_function", 207),
    ]
    assert all("113.67" in f.message and "123.67" in f.message for f in new)


def test_income_grand_total_must_equal_expenditure_grand_total(valid):
    rows = edit(sample_rows(), "summary_items", {"item": "支出总计"}, amount="15094.81")
    new = only_new(validate(rows), valid)
    assert summary(new) == [
        ("Violation", "IncomeEqualsExpenditureGap", "income_expenditure_summary", 120)]
    rows = edit(sample_rows(), "summary_items", {"item": "支出总计"}, amount="15094.72")
    assert summary(only_new(validate(rows), valid)) == [
        ("Info", "IncomeEqualsExpenditureRounding", "income_expenditure_summary", 120)]


def test_the_summary_table_must_agree_with_the_detail_table(valid):
    rows = edit(sample_rows(), "summary_items", {"item": "六、科学技术支出"}, amount="4600.00")
    new = only_new(validate(rows), valid)
    assert summary(new) == [
        ("Violation", "SummaryMatchesDetailGap", "income_expenditure_summary", 84)]
    assert "4653.00" in new[0].message and "4600.00" in new[0].message


def test_a_document_without_year_or_unit_is_incomplete(valid):
    rows = sample_rows()
    rows["documents"][0].update(fiscal_year=None, amount_unit="")
    report = validate(rows)
    shapes = {f.shape for f in only_new(report, valid) if f.severity == "Violation"}
    assert shapes == {"Document", "Observation"}
    messages = " ".join(f.message for f in report.findings)
    assert "no fiscal year" in messages and "which unit" in messages


def test_a_measure_outside_the_code_list_is_a_violation(valid):
    rows = edit(sample_rows(), "subject_amounts", {"code": "206", "measure": "project"},
                measure="col3")
    new = only_new(validate(rows), valid)
    assert {(f.severity, f.shape, f.line) for f in new} == {
        ("Violation", "Observation", 185)}


def test_a_code_not_in_any_code_list_is_a_violation(valid):
    rows = copy.deepcopy(sample_rows())
    rows["subject_amounts"].append({
        "table": "expenditure_by_function", "classification": "function", "code": "2O8",
        "name": "OCR 把 0 读成了 O", "measure": "total", "amount": "1.00", "source_line": 300})
    new = only_new(validate(rows), valid)
    assert {(f.severity, f.shape, f.line) for f in new} == {("Violation", "Observation", 300)}


def test_two_observations_with_the_same_dimensions_are_a_warning(valid):
    rows = copy.deepcopy(sample_rows())
    repeated = dict(next(r for r in rows["subject_amounts"]
                         if r["code"] == "2129999" and r["measure"] == "total"))
    repeated["source_line"] = 301
    rows["subject_amounts"].append(repeated)
    new = only_new(validate(rows), valid)
    duplicates = [f for f in new if f.shape == "NoDuplicateObservation"]
    assert [(f.severity, f.table) for f in duplicates] == [("Warning", "expenditure_by_function")]
    assert "204, 301" in duplicates[0].message or "301, 204" in duplicates[0].message


def test_an_uncoded_row_in_a_subject_table_is_a_warning(valid):
    rows = copy.deepcopy(sample_rows())
    rows["subject_amounts"].append({
        "table": "expenditure_by_function", "classification": "", "code": "", "name": "人员支出",
        "measure": "total", "amount": "1.00", "source_line": 302})
    new = only_new(validate(rows), valid)
    assert [(f.severity, f.shape, f.line) for f in new] == [("Warning", "SubjectAmount", 302)]


def test_an_indicator_must_measure_something_and_sit_in_its_tree(valid):
    rows = copy.deepcopy(sample_rows())
    rows["indicators"] = [{
        "scope_kind": "project", "scope_name": "租赁岗位合同工经费", "level1": "产出指标",
        "level2": "数量指标", "level3": "合同工人数", "target_text": "≥20人",
        "target_comparator": "≥", "target_value": "20", "target_unit": "人",
        "table": "performance_targets", "source_line": 640}]
    report = validate(rows)
    assert not only_new(report, valid)
    from kg.graph.iris import ontology_namespace
    from kg.graph.mapping import document_graph
    graph = document_graph(extraction_from_rows(rows), "guangzhou-panyu-2023-budget")
    fis = ontology_namespace()
    leaf = next(s for s, level in graph.subject_objects(fis.indicatorLevel) if level.value == 3)
    assert graph.value(leaf, fis.targetValue).toPython() == Decimal("20")
    measured = graph.value(leaf, fis.measures)
    assert (measured, None, fis.Project) in graph or graph.value(measured, None) is not None
    # cut the leaf from its project and hang it under itself: both are found
    from kg.graph.codes import code_list_graph
    from kg.graph.mapping import codes_of, rows_by_document
    from kg.validation.validate import validate_document
    graph.remove((leaf, fis.measures, None))
    graph.remove((leaf, fis.parentIndicator, None))
    graph.add((leaf, fis.parentIndicator, leaf))
    doc_rows = rows_by_document(extraction_from_rows(rows))["guangzhou-panyu-2023-budget"]
    broken = validate_document(graph, code_list_graph(codes_of(doc_rows)),
                               "guangzhou-panyu-2023-budget")
    new = only_new(broken, valid)
    assert sorted((f.severity, f.shape) for f in new) == [
        ("Violation", "Indicator"), ("Violation", "IndicatorTree")]
    assert all(f.line == 640 for f in new)


def test_validating_in_worker_processes_gives_the_same_reports_in_order(valid):
    rows = copy.deepcopy(sample_rows())
    rows["documents"].append(dict(rows["documents"][0], doc_id="copy-of-the-sample"))
    for name in ("subject_amounts", "projects", "totals", "summary_items", "facts"):
        rows[name] += [dict(r, doc_id="copy-of-the-sample") for r in rows[name]]
    extraction = extraction_from_rows(rows)
    serial = list(validate_extraction(extraction))
    parallel = list(validate_extraction(extraction, jobs=2))
    assert [r.doc_id for r in parallel] == [r.doc_id for r in serial]
    for one, other in zip(serial, parallel, strict=True):
        assert sorted(map(repr, one.findings)) == sorted(map(repr, other.findings))
        assert len(one.graph) == len(other.graph)
        assert one.graph.identifier == other.graph.identifier
    assert summary(parallel[0].findings) == summary(valid.findings)
