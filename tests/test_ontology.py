"""The ontology loads, documents every term in Chinese and English, and is consistent."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS
from test_graph_support import sample_extraction

from kg.graph import iris
from kg.graph.mapping import code_graph, document_graph
from kg.graph.ontology import ONTOLOGY_FILE, inconsistencies, ontology_graph
from kg.tables.extract import extract_documents

FIS = iris.ontology_namespace()
CORPUS = Path(__file__).parents[1] / "data" / "corpus"


def _terms(graph: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for kind in kinds for s in graph.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(str(FIS))}


def test_the_ontology_file_parses_as_turtle_and_declares_itself():
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    assert (URIRef("http://localhost:8000/def/fiscal"), RDF.type, OWL.Ontology) in graph
    assert len(_terms(graph)) > 60


def test_every_term_is_labelled_and_defined_in_chinese_and_english():
    graph = ontology_graph()
    missing = []
    for term in sorted(_terms(graph)):
        for predicate in (RDFS.label, SKOS.definition):
            languages = {o.language for o in graph.objects(term, predicate)}
            if not {"zh", "en"} <= languages:
                missing.append(f"{term} {predicate} has {sorted(map(str, languages))}")
    assert not missing, "\n".join(missing)


def test_reused_vocabularies_are_related_not_duplicated():
    graph = ontology_graph()
    qb = "http://purl.org/linked-data/cube#"
    org = "http://www.w3.org/ns/org#"
    assert (FIS.Observation, RDFS.subClassOf, URIRef(qb + "Observation")) in graph
    assert (FIS.BudgetDocument, RDFS.subClassOf, URIRef("http://www.w3.org/ns/dcat#Dataset")) \
        in graph
    assert (FIS.Department, RDFS.subClassOf, URIRef(org + "FormalOrganization")) in graph
    assert (FIS.PerformanceIndicator, RDFS.subClassOf, SKOS.Concept) in graph


def test_ontology_with_a_real_document_graph_is_consistent_under_owl_rl():
    extraction = extract_documents([CORPUS / "qingyuan-qingxin-2023-budget.txt"])
    graph = document_graph(extraction, "qingyuan-qingxin-2023-budget")
    graph += code_graph(extraction)
    assert inconsistencies(graph) == []


def test_the_consistency_check_finds_a_contradiction_when_there_is_one():
    graph = document_graph(sample_extraction(), "guangzhou-panyu-2023-budget")
    project = next(graph.subjects(RDF.type, FIS.Project))
    graph.add((project, RDF.type, FIS.SubjectAmount))  # a project is not an observation
    found = inconsistencies(graph)
    assert len(found) == 1 and "Disjoint classes" in found[0] and str(project) in found[0]
