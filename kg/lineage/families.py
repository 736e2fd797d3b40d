"""Families: similar projects across districts, found by community detection.

The similarity layer links each project to its few best matches in other
districts; the continuation links of the chains are added so a project's years
stay together. Families are the Louvain communities of that weighted graph
that span at least two districts. Connected components would not do: a single
weak link through a generic word (运维, 外包) would join unrelated families,
while modularity keeps a community only where links are dense.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx

from kg.lineage.blocking import similarity_pairs
from kg.lineage.chains import SIMILAR, Link
from kg.lineage.scoring import SIMILARITY, Scorer

SIMILAR_MIN = 0.5
TOP = 5  # a project keeps its best matches only: the layer stays sparse
RESOLUTION = 0.5  # below 1: fewer, larger communities (modularity's resolution)


def similarity_links(scorer: Scorer, threshold: float = SIMILAR_MIN) -> list[Link]:
    """Each project's best ``TOP`` matches in other districts scoring ``threshold`` or more."""
    best: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, j in similarity_pairs(scorer):
        score = scorer.score(i, j, SIMILARITY)
        if score < threshold:
            continue
        for a, b in ((i, j), (j, i)):
            heap = best[a]
            if len(heap) < TOP:
                heapq.heappush(heap, (score, b))
            elif score > heap[0][0]:
                heapq.heapreplace(heap, (score, b))
    kept = sorted({(min(a, b), max(a, b)) for a, heap in best.items() for _, b in heap})
    links = []
    for i, j in kept:
        explained = scorer.explain(i, j, SIMILARITY)
        links.append(Link(i, j, SIMILAR, explained.score, explained.evidence))
    return links


def families(
    scorer: Scorer, similar: Iterable[Link], chains: Sequence[Sequence[int]], seed: int = 0
) -> list[list[int]]:
    """Communities of the similarity layer spanning two or more districts.

    The nodes are chains (a project followed over the years; a project without
    predecessor or successor is a chain of one), so a family gathers whole
    histories; two chains are as similar as their most similar pair of years.
    """
    chain_of = {member: n for n, chain in enumerate(chains) for member in chain}
    members: dict[int | tuple[int], list[int]] = defaultdict(list)
    graph = nx.Graph()
    for link in similar:
        a = chain_of.get(link.source, (link.source,))
        b = chain_of.get(link.target, (link.target,))
        if a == b:
            continue
        if not graph.has_edge(a, b) or graph[a][b]["weight"] < link.score:
            graph.add_edge(a, b, weight=link.score)
    for node in graph:
        members[node] = list(chains[node]) if isinstance(node, int) else [node[0]]
    projects = scorer.projects
    found = []
    for component in nx.connected_components(graph):
        # Communities never cross components; a pair needs no detection.
        if len(component) <= 2:
            groups = [component]
        else:
            groups = nx.community.louvain_communities(
                graph.subgraph(component), weight="weight", seed=seed, resolution=RESOLUTION
            )
        for group in groups:
            indices = sorted(i for node in group for i in members[node])
            if len({projects[i].district for i in indices}) >= 2:
                found.append(indices)
    found.sort(key=lambda family: (-len(family), family[0]))
    return found
