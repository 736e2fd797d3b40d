"""The fiscal ontology and the vocabularies the graph uses.

``ontology/fiscal.ttl`` is written under the default base; ``rebased`` moves
it (and the shapes, which share the namespace) to the configured base, so the
ontology namespace always lives under the same host as the data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Namespace

from kg.graph.iris import DEFAULT_BASE, base_iri, graph_iri

ONTOLOGY_FILE = Path(__file__).resolve().parents[2] / "ontology" / "fiscal.ttl"

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib's DCAT lacks inSeries)
XKOS = Namespace("http://rdf-vocabulary.ddialliance.org/xkos#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")


def rebased(text: str, base: str | None = None) -> str:
    """``text`` (Turtle or SPARQL written under the default base) under ``base``."""
    chosen = base_iri(base)
    return text if chosen == DEFAULT_BASE else text.replace(DEFAULT_BASE, chosen)


@cache
def _ontology_text(base: str) -> str:
    return rebased(ONTOLOGY_FILE.read_text(encoding="utf-8"), base)


def ontology_graph(base: str | None = None) -> Graph:
    """The ontology as a graph named ``{base}graph/ontology``."""
    chosen = base_iri(base)
    graph = Graph(identifier=graph_iri("ontology", base=chosen))
    graph.parse(data=_ontology_text(chosen), format="turtle")
    return graph


def inconsistencies(graph: Graph, base: str | None = None) -> list[str]:
    """What OWL RL reasoning (owlrl) finds contradictory in ``graph`` with the ontology.

    The closure runs on a copy; an empty list means consistent.
    """
    import owlrl  # imported here: reasoning is for checks, not for mapping

    closure = Graph()
    closure += ontology_graph(base)
    closure += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
    return sorted(str(message) for message in closure.objects(None, errors.error))
