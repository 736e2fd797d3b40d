"""Links over the years inside a department: continuations, merges and splits.

For each pair of documents of a department (the previous one first, then the
one before it for projects that skipped a year), the candidate pairs scoring
at least ``CONTINUES_MIN`` form a bipartite graph, and the continuations are a
maximum-weight matching on it: each project gets at most one predecessor and
one successor, and a pair is linked only if no better overall assignment uses
either side. Merges and splits are then read from what the matching cannot
express: several projects that each are a part of one project of the other
document (named in it, or their names contained in each other) with amounts
that fit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from kg.lineage.blocking import block_pairs, lineage_blocks
from kg.lineage.scoring import LINEAGE, Scorer

CONTINUES_MIN = 0.55
PART_MIN = 0.25      # a part of a merge or split still has to look related
PART_SLACK = 1.15    # a part may exceed the whole by this factor (budgets move)

CONTINUES = "continues"
MERGED = "merged_into"
SPLIT = "split_into"
SIMILAR = "similar"


@dataclass(frozen=True)
class Link:
    source: int   # the earlier project (for similarity: the lower index)
    target: int
    kind: str
    score: float
    evidence: tuple[str, ...]
    chain: bool = False  # the best assignment's pick: the chain goes through this link


def lineage_links(scorer: Scorer, threshold: float = CONTINUES_MIN) -> list[Link]:
    """Continuations by best assignment, then merges and splits, for every department."""
    predecessor: dict[int, int] = {}
    successor: dict[int, int] = {}
    links: list[Link] = []
    relabel: dict[tuple[int, int], tuple[str, str]] = {}  # continuation -> (kind, summary)
    for blocks in lineage_blocks(scorer.projects):
        related: list[tuple[int, int]] = []  # pairs of the nearest block that look related
        for block in blocks:
            scored = []
            for i, j in block_pairs(block, scorer):
                if i in successor or j in predecessor:
                    continue
                score = scorer.score(i, j, LINEAGE, block.skipped)
                # A part of a merge or split scores low against the whole (a fraction
                # of its amount, other words): being named in it is enough to look.
                if block.skipped == 0 and (score >= PART_MIN or scorer.mentions(i, j)):
                    related.append((i, j))
                if score >= threshold:
                    scored.append((i, j, score))
            for i, j in best_assignment(scored):
                successor[i], predecessor[j] = j, i
                explained = scorer.explain(i, j, LINEAGE, block.skipped)
                links.append(Link(i, j, CONTINUES, explained.score, explained.evidence, chain=True))
        links += merges_and_splits(scorer, related, predecessor, successor, relabel)
    return [_relabelled(link, relabel.get((link.source, link.target))) for link in links]


def _relabelled(link: Link, change: tuple[str, str] | None) -> Link:
    if change is None or link.kind != CONTINUES:
        return link
    kind, summary = change
    return Link(link.source, link.target, kind, link.score, (summary, *link.evidence), chain=True)


def best_assignment(scored: Iterable[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """A maximum-weight one-to-one assignment of (earlier, later) pairs."""
    graph = nx.Graph()
    for i, j, score in scored:
        graph.add_edge(("a", i), ("b", j), weight=score)
    pairs = []
    for component in nx.connected_components(graph):
        if len(component) == 2:  # the common case: one candidate on each side
            left, right = sorted(component)
            pairs.append((left[1], right[1]))
            continue
        matching = nx.max_weight_matching(graph.subgraph(component), weight="weight")
        for u, v in matching:
            left, right = (u, v) if u[0] == "a" else (v, u)
            pairs.append((left[1], right[1]))
    return sorted(pairs)


def is_part(scorer: Scorer, part: int, whole: int) -> bool:
    """``part`` looks like a piece of ``whole``: same unit, named in it, not bigger than it."""
    p, w = scorer.projects[part], scorer.projects[whole]
    if scorer.units[part] != scorer.units[whole]:
        return False
    named = (
        (len(p.core) >= 3 and p.core in w.simple)
        or (len(w.core) >= 3 and w.core in p.simple and len(p.core) > len(w.core))
        or scorer.named_in(part, whole)
    )
    if not named:
        return False
    part_amount, whole_amount = p.amount_value, w.amount_value
    return part_amount is None or whole_amount is None or part_amount <= whole_amount * PART_SLACK


def merges_and_splits(
    scorer: Scorer,
    related: Iterable[tuple[int, int]],
    predecessor: dict[int, int],
    successor: dict[int, int],
    relabel: dict[tuple[int, int], tuple[str, str]],
) -> list[Link]:
    """Merge and split links among related (earlier, later) pairs of two documents.

    A continuation that is part of a merge or split is recorded in ``relabel``
    (it keeps carrying the chain); the other parts become new links.
    """
    parts_of_later: dict[int, list[int]] = defaultdict(list)  # merges: many earlier → one later
    parts_of_earlier: dict[int, list[int]] = defaultdict(list)  # splits: one earlier → many later
    for i, j in related:
        if successor.get(i, j) == j and is_part(scorer, i, j):
            parts_of_later[j].append(i)
        if predecessor.get(j, i) == i and is_part(scorer, j, i):
            parts_of_earlier[i].append(j)
    extra: list[Link] = []
    for whole, parts in parts_of_later.items():
        fitting = _fitting(scorer, parts, whole, [successor.get(p) == whole for p in parts])
        if len(fitting) >= 2:
            _group(scorer, fitting, whole, MERGED, relabel, extra, successor)
    for whole, parts in parts_of_earlier.items():
        fitting = _fitting(scorer, parts, whole, [predecessor.get(p) == whole for p in parts])
        if len(fitting) >= 2:
            _group(scorer, fitting, whole, SPLIT, relabel, extra, successor)
    return extra


def _fitting(scorer: Scorer, parts: list[int], whole: int, chained: list[bool]) -> list[int]:
    """The parts whose amounts fit in the whole together, the chain's own and best first."""
    limit = scorer.amounts[whole]
    ranked = sorted(zip(parts, chained, strict=True),
                    key=lambda pc: (not pc[1], -scorer.score(pc[0], whole, LINEAGE), pc[0]))
    kept, total = [], 0.0
    for part, _ in ranked:
        amount = scorer.amounts[part] or 0.0
        if limit and total + amount > limit * PART_SLACK:
            continue
        kept.append(part)
        total += amount
    return sorted(kept)


def _group(
    scorer: Scorer,
    parts: list[int],
    whole: int,
    kind: str,
    relabel: dict[tuple[int, int], tuple[str, str]],
    extra: list[Link],
    successor: dict[int, int],
) -> None:
    projects = scorer.projects
    amounts = [projects[p].amount for p in parts]
    total = sum(a for a in amounts if a is not None)
    whole_amount = projects[whole].amount
    names = "、".join(f"「{projects[p].name}」" for p in parts)
    if kind == MERGED:
        summary = f"{names} merged into 「{projects[whole].name}」"
    else:
        summary = f"「{projects[whole].name}」 split into {names}"
    if whole_amount is not None and all(a is not None for a in amounts):
        summary += f"; the parts sum to {total} against {whole_amount}"
    for part in parts:
        source, target = (part, whole) if kind == MERGED else (whole, part)
        if successor.get(source) == target:
            relabel[(source, target)] = (kind, summary)
            continue
        explained = scorer.explain(source, target, LINEAGE)
        extra.append(Link(source, target, kind, explained.score, (summary, *explained.evidence)))
