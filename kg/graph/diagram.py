"""The model diagram, generated from the ontology: a Mermaid class diagram.

Classes of the fiscal ontology with their datatype properties as attributes,
object properties (by their domain and range) as associations, and
``rdfs:subClassOf`` as inheritance, including the reused classes (Data Cube,
ORG, SKOS, DCAT, PROV) they specialise. Run ``python -m kg.graph.diagram`` to
rewrite ``docs/model-diagram.md`` and the README's model diagram; a test keeps both in
step with the TTL.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL, RDFS

from kg.graph.iris import DEFAULT_BASE, ontology_namespace
from kg.graph.ontology import ontology_graph

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "model-diagram.md"
PREFIXES = {
    "http://purl.org/linked-data/cube#": "qb",
    "http://www.w3.org/ns/org#": "org",
    "http://www.w3.org/2004/02/skos/core#": "skos",
    "http://www.w3.org/ns/dcat#": "dcat",
    "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/2001/XMLSchema#": "xsd",
}


def _name(term: URIRef, fis: str) -> str:
    text = str(term)
    if text.startswith(fis):
        return text[len(fis):]
    for namespace, prefix in PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _node(name: str) -> str:
    return name.replace(":", "_")


def mermaid(graph: Graph | None = None) -> str:
    """The class diagram of ``graph`` (the ontology) as Mermaid text."""
    graph = graph if graph is not None else ontology_graph(DEFAULT_BASE)
    fis = str(ontology_namespace(DEFAULT_BASE))
    classes = sorted({s for s in graph.subjects(RDF.type, OWL.Class) if str(s).startswith(fis)})
    lines = ["classDiagram", "  direction LR"]
    declared: set[str] = set()

    def declare(term: URIRef) -> str:
        name = _name(term, fis)
        node = _node(name)
        if node not in declared:
            declared.add(node)
            label = f'["{name}"]' if ":" in name else ""
            lines.append(f"  class {node}{label}")
        return node

    for cls in classes:
        declare(cls)
    for cls in classes:
        for parent in sorted(graph.objects(cls, RDFS.subClassOf)):
            if isinstance(parent, URIRef):
                lines.append(f"  {declare(parent)} <|-- {declare(cls)}")
    qb = "http://purl.org/linked-data/cube#"
    components = {URIRef(qb + k) for k in ("DimensionProperty", "AttributeProperty",
                                           "MeasureProperty")}

    def domain_of(prop: URIRef) -> URIRef | None:
        """The declared domain; Data Cube components without one belong to observations."""
        domain = graph.value(prop, RDFS.domain)
        if domain is None and any((prop, RDF.type, c) in graph for c in components):
            return URIRef(fis + "Observation")
        return domain  # type: ignore[return-value]

    attributes: dict[str, list[str]] = {}
    for prop in sorted(graph.subjects(RDF.type, OWL.DatatypeProperty)):
        domain = domain_of(prop)
        if domain is None or not str(prop).startswith(fis):
            continue
        kind = _name(graph.value(prop, RDFS.range) or URIRef("literal"), fis)
        entry = f"{kind.replace(':', '_')} {_name(prop, fis)}"
        attributes.setdefault(declare(domain), []).append(entry)
    for node in sorted(attributes):
        lines.append(f"  class {node} {{")
        lines.extend(f"    +{attribute}" for attribute in attributes[node])
        lines.append("  }")
    for prop in sorted(graph.subjects(RDF.type, OWL.ObjectProperty)):
        domain, target = domain_of(prop), graph.value(prop, RDFS.range)
        if domain is None or target is None or not str(prop).startswith(fis):
            continue
        lines.append(f"  {declare(domain)} --> {declare(target)} : {_name(prop, fis)}")
    return "\n".join(lines) + "\n"


def document(graph: Graph | None = None) -> str:
    """``docs/model-diagram.md``: the diagram in a Markdown page GitHub renders."""
    return (
        "# The fiscal model\n\n"
        "Generated from `ontology/fiscal.ttl` by `python -m kg.graph.diagram`; do not edit.\n"
        "Arrows with a hollow head are `rdfs:subClassOf`; labelled arrows are object\n"
        "properties from their domain to their range; attributes are datatype properties.\n\n"
        "```mermaid\n" + mermaid(graph) + "```\n"
    )


README = OUTPUT.parents[1] / "README.md"
_START, _END = "<!-- model-diagram:start -->", "<!-- model-diagram:end -->"


def readme_block(text: str) -> str:
    """The diagram block of the README (between its markers), as it stands."""
    return text.split(_START, 1)[1].split(_END, 1)[0] if _START in text else ""


def with_readme_block(text: str, graph: Graph | None = None) -> str:
    """``text`` (the README) with its diagram block regenerated."""
    block = "\n```mermaid\n" + mermaid(graph) + "```\n"
    before, rest = text.split(_START, 1)
    return before + _START + block + _END + rest.split(_END, 1)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUTPUT))
    args = parser.parse_args(argv)
    Path(args.out).write_text(document(), encoding="utf-8")
    print(f"wrote {args.out}")
    if _START in README.read_text(encoding="utf-8"):
        README.write_text(with_readme_block(README.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"wrote the diagram block of {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
