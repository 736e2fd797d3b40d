"""The mapping: every extracted fact lands in its document's graph with its provenance,
rebuilding gives the same graph, a document's graph is its own, all formats round-trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS
from test_graph_support import extraction_from_rows, sample_extraction, sample_rows

from kg.graph import iris
from kg.graph.mapping import (
    PROJECT_MEASURES,
    document_graph,
    is_blank,
    is_paired_twin,
    map_extraction,
    paired_twins,
    rows_by_document,
)
from kg.graph.serialize import FORMATS, serialize
from kg.tables.extract import extract_documents

CORPUS = sorted((Path(__file__).parents[1] / "data" / "corpus").glob("*.txt"))
FIS = iris.ontology_namespace()
SAMPLE_DOC = "guangzhou-panyu-2023-budget"


@pytest.fixture(scope="module")
def corpus_extraction():
    extraction = extract_documents(CORPUS)
    assert not extraction.errors
    return extraction


@pytest.fixture(scope="module")
def corpus_dataset(corpus_extraction):
    return map_extraction(corpus_extraction)


def _amount_index(graph: Graph) -> dict[tuple, list[URIRef]]:
    """(class, table, line, measure, amount) → observations, read back from the graph."""
    index: dict[tuple, list[URIRef]] = {}
    for obs, amount in graph.subject_objects(FIS.amount):
        table = graph.value(graph.value(obs, FIS.table), RDFS.label)
        key = (
            graph.value(obs, RDF.type),
            str(table),
            int(graph.value(obs, FIS.sourceLine).toPython()),
            unquote(str(graph.value(obs, FIS.measureKind)).rsplit("/", 1)[-1]),
            Decimal(str(amount)),
        )
        index.setdefault(key, []).append(obs)
    return index


def _observations(graph, index, doc, cls, row, measure, amount) -> list[URIRef]:
    """The observations of one extracted amount, each derived from its document."""
    key = (cls, row["table"], int(row["source_line"]), measure, amount)
    found = index.get(key, [])
    assert found, f"{doc}: {key} missing from the graph"
    for obs in found:
        assert (obs, PROV.wasDerivedFrom, doc) in graph
    return found


def _present(value) -> bool:
    return not is_blank(value)


def test_every_extracted_fact_is_in_the_graph_with_its_provenance(corpus_extraction,
                                                                   corpus_dataset):
    for doc_id, rows in rows_by_document(corpus_extraction).items():
        graph = corpus_dataset.graph(iris.graph_iri("doc", doc_id))
        doc = iris.document_iri(doc_id)
        index = _amount_index(graph)
        expected_observations = 0

        twins = paired_twins(rows.get("subject_amounts", []))
        for row in rows.get("subject_amounts", []):
            if not _present(row["amount"]):
                continue
            found = _observations(graph, index, doc, FIS.SubjectAmount, row, row["measure"],
                                  row["amount"])
            if is_paired_twin(row, twins):  # kept as the related code of its economic twin
                code = iris.code_iri("dept_economic", row["code"])
                assert any((obs, FIS.relatedCode, code) in graph for obs in found)
                continue
            expected_observations += 1
            if row["code"]:
                code = iris.code_iri(row["classification"], row["code"])
                assert any((obs, FIS.classificationCode, code) in graph for obs in found)
        for name, cls in (("totals", FIS.TotalAmount), ("summary_items", FIS.SummaryAmount),
                          ("line_items", FIS.LineItemAmount)):
            for row in rows.get(name, []):
                if _present(row["amount"]):
                    _observations(graph, index, doc, cls, row, row["measure"] or "total",
                                  row["amount"])
                    expected_observations += 1
        for row in rows.get("projects", []):
            projects = set(graph.subjects(SKOS.prefLabel, Literal(row["name"], lang="zh")))
            projects &= set(graph.subjects(RDF.type, FIS.Project))
            assert projects, f"{doc_id}: project {row['name']} missing"
            lines = {int(graph.value(p, FIS.sourceLine).toPython()) for p in projects}
            assert int(row["source_line"]) in lines, f"{doc_id}: {row['name']} has no line"
            for measure in PROJECT_MEASURES:
                if _present(row.get(measure)):
                    found = _observations(graph, index, doc, FIS.ProjectAmount, row, measure,
                                          row[measure])
                    assert any(graph.value(obs, FIS.project) in projects for obs in found)
                    expected_observations += 1
        for row in rows.get("facts", []):
            facts = set(graph.subjects(FIS.key, Literal(row["key"])))
            lines = {int(graph.value(f, FIS.sourceLine).toPython()) for f in facts}
            assert int(row["source_line"]) in lines, f"{doc_id}: fact {row['key']} missing"
            assert all((f, PROV.wasDerivedFrom, doc) in graph for f in facts)
        for row in rows.get("organizations", []):
            assert any(graph.subjects(SKOS.prefLabel, Literal(row["name"], lang="zh"))), row
        for row in rows.get("problems", []):
            problems = graph.subjects(RDF.type, FIS.ExtractionProblem)
            assert any(str(graph.value(p, RDFS.comment)) == row["message"] for p in problems)
        for row in rows.get("tables", []):
            table = iris.table_iri(doc_id, row["table"])
            assert (table, RDF.type, FIS.Table) in graph
        # nothing merged away: one observation per extracted amount
        assert len(set(graph.subjects(FIS.amount, None))) == expected_observations


def test_rebuilding_gives_identical_graphs(corpus_extraction, corpus_dataset):
    again = map_extraction(corpus_extraction)
    first = {(s, p, o, c.identifier if hasattr(c, "identifier") else c)
             for s, p, o, c in corpus_dataset.quads((None, None, None, None))}
    second = {(s, p, o, c.identifier if hasattr(c, "identifier") else c)
              for s, p, o, c in again.quads((None, None, None, None))}
    assert first == second
    assert len(first) > 50_000


def test_one_named_graph_per_document_plus_ontology_and_codes(corpus_dataset):
    names = {str(g.identifier) for g in corpus_dataset.graphs() if len(g)}
    expected = {str(iris.graph_iri("doc", path.stem)) for path in CORPUS}
    expected |= {str(iris.graph_iri("ontology")), str(iris.graph_iri("codes"))}
    assert names == expected


def test_rebuilding_one_document_changes_its_graph_and_nothing_else():
    rows = sample_rows()
    second = dict(rows["documents"][0], doc_id="other-doc", department="另一个局")
    both = dict(rows, documents=rows["documents"] + [second])
    before = map_extraction(extraction_from_rows(both))
    changed = dict(both)
    changed["projects"] = [dict(p) for p in rows["projects"]]
    changed["projects"][0]["total"] = "371.00"
    after = map_extraction(extraction_from_rows(changed))
    doc_graph = iris.graph_iri("doc", SAMPLE_DOC)
    for graph in before.graphs():
        other = after.graph(graph.identifier)
        same = set(graph) == set(other)
        assert same == (graph.identifier != doc_graph), graph.identifier


def test_code_lists_have_notations_levels_and_broader_from_the_code_structure():
    dataset = map_extraction(sample_extraction())
    codes = dataset.graph(iris.graph_iri("codes"))
    concept = iris.code_iri("function", "2080501")
    assert codes.value(concept, SKOS.notation) == Literal("2080501")
    assert codes.value(concept, SKOS.broader) == iris.code_iri("function", "20805")
    assert codes.value(iris.code_iri("function", "20805"), SKOS.broader) == iris.code_iri(
        "function", "208")
    assert (iris.code_iri("function", "208"), SKOS.topConceptOf,
            iris.code_scheme_iri("function")) in codes
    level = iris.code_level_iri("function", 3)
    assert (level, SKOS.member, concept) in codes
    unit = iris.amount_unit_iri("万元")
    assert codes.value(unit, FIS.multiplierToYuan).toPython() == Decimal(10000)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_reads_back_to_the_same_triples(fmt):
    dataset = map_extraction(sample_extraction())
    text = serialize(dataset, fmt)
    plugin, _, keeps_graphs = FORMATS[fmt]
    if keeps_graphs:
        back = Dataset()
        back.parse(data=text, format=plugin)
        for graph in dataset.graphs():
            if len(graph):
                assert set(back.graph(graph.identifier)) == set(graph), graph.identifier
    else:
        back = Graph().parse(data=text, format=plugin)
        union = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
        assert set(back) == union


def test_json_ld_reads_as_words():
    graph = document_graph(sample_extraction(), SAMPLE_DOC)
    text = serialize(graph, "json-ld")
    words = ('"amount": "370.00"', '"sourceLine": "634"', '"label": {', '"zh": "机构运行辅助经费"')
    for word in words:
        assert word in text


def test_a_different_base_moves_every_iri_and_the_ontology():
    dataset = map_extraction(sample_extraction(), base="https://data.example.org/fiscal/")
    subjects = {str(s) for s, _, _, _ in dataset.quads((None, None, None, None))
                if isinstance(s, URIRef)}
    assert subjects
    assert not any(s.startswith("http://localhost:8000/") for s in subjects)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "https://data.example.org/fiscal/graph/ontology" in names


def test_a_value_that_is_not_a_number_is_named_and_nothing_else_is_lost(caplog):
    extraction = sample_extraction()
    projects = extraction.tables["projects"]
    projects["total"] = projects["total"].astype(object)
    projects.loc[1, "total"] = "22S.18"  # OCR: S for 5, in 业务办公用房经费 (line 639)
    graph = document_graph(extraction, SAMPLE_DOC)
    assert "guangzhou-panyu-2023-budget: project_expenditure line 639" in caplog.text
    assert "'22S.18' is not an amount" in caplog.text
    problems = list(graph.subjects(RDF.type, FIS.ExtractionProblem))
    assert len(problems) == 1
    assert int(graph.value(problems[0], FIS.sourceLine).toPython()) == 639
    # only that one amount is missing: the project, its other columns and every other row stay
    clean = document_graph(sample_extraction(), SAMPLE_DOC)
    [lost] = set(clean.subjects(FIS.amount, None)) - set(graph.subjects(FIS.amount, None))
    assert str(lost).endswith("/amount/total") and clean.value(lost, FIS.amount) == Literal(
        Decimal("225.18"))
    assert all(lost in (s, o) for s, _, o in set(clean) - set(graph))
