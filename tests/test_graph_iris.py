"""IRIs come from natural keys: same keys, same IRI; the base is configurable."""

from __future__ import annotations

from urllib.parse import unquote

from kg.graph import iris


def test_same_keys_give_the_same_iri_and_different_keys_differ():
    a = iris.observation_iri("doc", "expenditure_by_function", "function-201", None, "total")
    b = iris.observation_iri("doc", "expenditure_by_function", "function-201", None, "total")
    c = iris.observation_iri("doc", "expenditure_by_function", "function-201", None, "basic")
    assert a == b
    assert a != c


def test_blocks_panels_and_occurrences_keep_repeated_codes_apart():
    first = iris.observation_iri("d", "t", "economic-301", None, "total", block=0)
    second_block = iris.observation_iri("d", "t", "economic-301", None, "total", block=1)
    panel = iris.observation_iri("d", "t", "economic-301", None, "total", panel="人员经费")
    again = iris.observation_iri("d", "t", "economic-301", None, "total", occurrence=2)
    assert len({first, second_block, panel, again}) == 4
    assert str(again).endswith("/n2")
    assert str(second_block).endswith("/b1")


def test_chinese_keys_are_percent_encoded_and_whitespace_from_wrapping_is_ignored():
    wrapped = iris.organization_iri("广州市番禺区 政务服务数据 管理局")
    plain = iris.organization_iri("广州市番禺区政务服务数据管理局")
    assert wrapped == plain
    assert str(plain).isascii()
    assert unquote(str(plain)) == "http://localhost:8000/id/org/广州市番禺区政务服务数据管理局"


def test_a_slash_inside_a_name_does_not_make_a_new_path_segment():
    iri = iris.project_iri("部门", 2023, "budget", None, "A/B 项目")
    plain = iris.project_iri("部门", 2023, "budget", None, "AB")
    assert str(iri).count("/") == str(plain).count("/")


def test_the_department_own_unit_is_not_the_department():
    name = "清远市清新区政务服务数据管理局"
    department = iris.organization_iri(name)
    own_unit = iris.organization_iri(name, name)
    printed = iris.organization_iri(name, name + "本级")
    assert own_unit != department
    assert own_unit == printed


def test_base_from_argument_then_environment_then_default(monkeypatch):
    monkeypatch.delenv("KG_BASE_IRI", raising=False)
    assert str(iris.document_iri("x")) == "http://localhost:8000/id/doc/x"
    monkeypatch.setenv("KG_BASE_IRI", "https://fiscal.example.org/kg")
    assert str(iris.document_iri("x")) == "https://fiscal.example.org/kg/id/doc/x"
    assert str(iris.document_iri("x", base="http://other.test/")) == "http://other.test/id/doc/x"
    assert str(iris.ontology_namespace()) == "https://fiscal.example.org/kg/def/fiscal#"


def test_graph_names():
    assert str(iris.graph_iri("doc", "a-b")) == "http://localhost:8000/graph/doc/a-b"
    assert str(iris.graph_iri("ontology")) == "http://localhost:8000/graph/ontology"
    assert str(iris.graph_iri("validation", "a")) == "http://localhost:8000/graph/validation/a"


def test_project_iri_for_row_uses_the_document_keys():
    document = {"department": "广州市番禺区政务服务数据管理局", "fiscal_year": 2023,
                "kind": "budget"}
    row = {"unit": "广州市番禺区政务服务中心", "name": "机构运行辅助经费"}
    iri = iris.project_iri_for_row(row, document)
    assert unquote(str(iri)) == (
        "http://localhost:8000/id/project/广州市番禺区政务服务数据管理局/2023/budget/"
        "广州市番禺区政务服务中心/机构运行辅助经费"
    )
    assert str(iris.project_iri_for_row(row, document, occurrence=2)) == f"{iri}/n2"
