"""The project graph: projects as nodes, lineage and similarity links as edges.

``link_projects`` runs the whole method on a list of ``Project`` records and
returns a ``Lineage``: the links with their scores and evidence, the chains
(each department's projects followed over the years through continuations),
the families (communities of similar projects across districts) and the
networkx graph holding all of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from kg.lineage.chains import CONTINUES, MERGED, SIMILAR, SPLIT, Link, lineage_links
from kg.lineage.families import families, similarity_links
from kg.lineage.projects import Project
from kg.lineage.scoring import Scorer

LINEAGE_KINDS = (CONTINUES, MERGED, SPLIT)


@dataclass
class Lineage:
    projects: Sequence[Project]
    links: list[Link]
    chains: list[list[int]]     # project indices, oldest first; only chains of two or more
    families: list[list[int]]   # project indices; communities spanning two districts or more
    graph: nx.MultiDiGraph = field(repr=False)

    def chain_of(self) -> dict[int, int]:
        return {member: n for n, chain in enumerate(self.chains) for member in chain}

    def family_of(self) -> dict[int, int]:
        return {member: n for n, family in enumerate(self.families) for member in family}

    def lineage_links(self) -> list[Link]:
        return [link for link in self.links if link.kind in LINEAGE_KINDS]

    def similar_links(self) -> list[Link]:
        return [link for link in self.links if link.kind == SIMILAR]


def link_projects(projects: Sequence[Project], *, seed: int = 0) -> Lineage:
    """Chains, merges, splits and families of ``projects`` (see the package's modules)."""
    scorer = Scorer(projects)
    lineage = lineage_links(scorer)
    similar = similarity_links(scorer)
    chains = chains_of(projects, lineage)
    found = families(scorer, similar, chains, seed)
    links = lineage + similar
    return Lineage(projects, links, chains, found, project_graph(projects, links))


def link_settings() -> tuple[str, ...]:
    """The thresholds of a run, in words, recorded with its provenance."""
    from kg.lineage import chains, families

    return (
        f"continuation: best assignment over pairs scoring >= {chains.CONTINUES_MIN}",
        f"merge/split parts: same unit, named in the whole, amounts summing to at most "
        f"{chains.PART_SLACK} x the whole's",
        f"similarity: top {families.TOP} per project scoring >= {families.SIMILAR_MIN}; "
        f"families: Louvain communities (resolution {families.RESOLUTION}) over chains",
    )


def graphml_ready(lineage: Lineage) -> nx.MultiDiGraph:
    """``lineage.graph`` with plain attribute values, for ``networkx.write_graphml``."""
    graph = nx.MultiDiGraph()
    chain_of, family_of = lineage.chain_of(), lineage.family_of()
    for node, data in lineage.graph.nodes(data=True):
        graph.add_node(node, **data, chain=chain_of.get(node, -1), family=family_of.get(node, -1))
    for source, target, data in lineage.graph.edges(data=True):
        graph.add_edge(source, target, kind=data["kind"], score=data["score"],
                       evidence=" | ".join(data["evidence"]))
    return graph


def chains_of(projects: Sequence[Project], links: Sequence[Link]) -> list[list[int]]:
    """Paths of the continuation links (one predecessor and one successor at most).

    A merge or split that is also the best assignment continues the chain.
    """
    successor: dict[int, int] = {}
    has_predecessor: set[int] = set()
    for link in links:
        if link.chain:
            successor[link.source] = link.target
            has_predecessor.add(link.target)
    chains = []
    for start in sorted(successor):
        if start in has_predecessor:
            continue
        chain = [start]
        while chain[-1] in successor:
            chain.append(successor[chain[-1]])
        chains.append(chain)
    chains.sort(key=lambda chain: (-len(chain), projects[chain[0]].key))
    return chains


def project_graph(projects: Sequence[Project], links: Sequence[Link]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for index, project in enumerate(projects):
        graph.add_node(
            index, key=project.key, name=project.name, year=project.fiscal_year,
            district=project.district, department=project.department,
        )
    for link in links:
        graph.add_edge(
            link.source, link.target, kind=link.kind, score=link.score, evidence=link.evidence
        )
    return graph
