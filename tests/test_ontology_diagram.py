"""The model diagram in docs/ is generated from the ontology and in step with it."""

from __future__ import annotations

from kg.graph.diagram import OUTPUT, README, document, mermaid, readme_block


def test_the_committed_diagram_is_what_the_ontology_generates():
    assert OUTPUT.read_text(encoding="utf-8") == document(), (
        "docs/model-diagram.md is stale: run `python -m kg.graph.diagram`")


def test_the_readme_shows_the_generated_diagram():
    block = readme_block(README.read_text(encoding="utf-8"))
    assert block == "\n```mermaid\n" + mermaid() + "```\n", (
        "README.md's model diagram is stale: run `python -m kg.graph.diagram`")


def test_the_diagram_shows_classes_inheritance_relations_and_attributes():
    text = mermaid()
    assert text.startswith("classDiagram")
    assert "qb_Observation <|-- Observation" in text
    assert "Observation <|-- ProjectAmount" in text
    assert "PerformanceIndicator --> PerformanceIndicator : parentIndicator" in text
    assert "Project --> org_Organization : unit" in text
    assert "+xsd_decimal amount" in text
