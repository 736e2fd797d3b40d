"""Which pairs of projects are worth scoring, without comparing all pairs.

Lineage: a project's predecessor is in the same department, in one of the
department's previous documents, so pairs are formed only inside a block of
(department, earlier document, later document); small blocks compare all
pairs, large ones only pairs that share a rare name or text term.

Similarity across districts: every project gets a few keys (its normalised
name, its rarest name and text character pairs). Projects sharing a key are
candidates; when a key is common (运维, 服务) only neighbours in the key's
list sorted by name are, so each project meets a bounded number of others
and the cost grows linearly with the number of projects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kg.lineage.names import simplified
from kg.lineage.projects import Project
from kg.lineage.scoring import Scorer

LOOKBACK = 2          # a project may skip one document of its department
ALL_PAIRS_LIMIT = 4096
SMALL_KEY = 8         # keys shared by at most this many projects pair them all
WINDOW = 3            # otherwise: this many neighbours either side in sorted order
NAME_KEYS = 3
TEXT_KEYS = 2


@dataclass(frozen=True)
class Block:
    """Two documents of one department: candidates for predecessor → successor."""

    department: str
    earlier: tuple[int, ...]
    later: tuple[int, ...]
    skipped: int  # documents of the department between the two


def department_series(projects: Sequence[Project]) -> dict[str, list[tuple[int, ...]]]:
    """Each department's projects grouped by document snapshot, oldest first."""
    by_department: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for index, project in enumerate(projects):
        by_department[simplified(project.department)][project.snapshot].append(index)
    return {
        department: [tuple(snapshots[key]) for key in sorted(snapshots)]
        for department, snapshots in by_department.items()
    }


def lineage_blocks(projects: Sequence[Project]) -> Iterator[list[Block]]:
    """Per document of each department: its blocks with earlier documents, nearest first."""
    for department, series in department_series(projects).items():
        for position in range(1, len(series)):
            yield [
                Block(department, series[position - back], series[position], back - 1)
                for back in range(1, min(LOOKBACK, position) + 1)
            ]


def block_pairs(block: Block, scorer: Scorer) -> Iterator[tuple[int, int]]:
    """Candidate (earlier, later) pairs of a block."""
    if len(block.earlier) * len(block.later) <= ALL_PAIRS_LIMIT:
        for i in block.earlier:
            for j in block.later:
                yield i, j
        return
    index: dict[str, list[int]] = defaultdict(list)
    for i in block.earlier:
        for gram in scorer.names[i] | scorer.texts[i]:
            index[gram].append(i)
    for j in block.later:
        found: set[int] = set()
        for gram in scorer.names[j] | scorer.texts[j]:
            posting = index.get(gram, ())
            if len(posting) <= SMALL_KEY * 4:
                found.update(posting)
        for i in sorted(found):
            yield i, j


def similarity_pairs(scorer: Scorer) -> Iterator[tuple[int, int]]:
    """Candidate pairs (i < j) across districts, each pair once."""
    projects = scorer.projects
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in range(len(projects)):
        for key in _keys(scorer, i):
            postings[key].append(i)
    neighbours: list[set[int]] = [set() for _ in projects]
    for (kind, _), members in postings.items():
        if len(members) < 2:
            continue
        if len(members) <= SMALL_KEY:
            for i in members:
                neighbours[i].update(members)
            continue
        ordered = sorted(members, key=_sort_key(scorer, kind))
        for position, i in enumerate(ordered):
            near = ordered[max(0, position - WINDOW): position + WINDOW + 1]
            neighbours[i].update(near)
    for i, near in enumerate(neighbours):
        district = projects[i].district
        for j in sorted(near):
            if j > i and projects[j].district != district:
                yield i, j


def _keys(scorer: Scorer, i: int) -> list[tuple[str, str]]:
    """The project's name, and its rarest name and text pairs that some other project shares."""
    keys = [("core", scorer.projects[i].core)]
    names = sorted(
        (g for g in scorer.names[i] if scorer.name_df[g] > 1), key=lambda g: (scorer.name_df[g], g)
    )
    keys += [("name", g) for g in names[:NAME_KEYS]]
    texts = sorted(
        (g for g in scorer.texts[i] if scorer.text_df[g] > 1), key=lambda g: (scorer.text_df[g], g)
    )
    keys += [("text", g) for g in texts[:TEXT_KEYS]]
    return keys


def _sort_key(scorer: Scorer, kind: str):  # noqa: ANN202 - a key function for sorted()
    projects = scorer.projects
    if kind == "text":
        return lambda i: (scorer.flat_texts[i][:40], projects[i].fiscal_year, projects[i].district)
    # Same-year projects of other districts next to each other: a project's own
    # earlier and later years would only fill the window with its own district.
    return lambda i: (projects[i].core, projects[i].fiscal_year, projects[i].district)
