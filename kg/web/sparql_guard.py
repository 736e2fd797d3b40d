"""Refuse what would make the endpoint fetch a URL for a user.

``SERVICE``, ``LOAD``, and a ``FROM`` naming a graph the dataset does not hold
(other stores dereference those) are refused before anything runs.
"""

from __future__ import annotations

from collections.abc import Collection

from kg.store.sparql_text import Reading


class RefusedQuery(ValueError):
    """The request asks the endpoint to reach outside its own dataset."""


def refuse_remote(reading: Reading, local_graphs: Collection[str]) -> None:
    """Raise ``RefusedQuery`` for SERVICE, LOAD, or a FROM naming no graph of ours."""
    for keyword, why in (("SERVICE", "federated queries (SERVICE)"),
                         ("LOAD", "LOAD")):
        if keyword in reading.keywords:
            line, column = reading.keyword_positions[keyword]
            raise RefusedQuery(
                f"{why} would make this endpoint fetch a URL for you, which it never does "
                f"(line {line}, column {column})"
            )
    for graph in reading.from_graphs:
        if graph not in local_graphs:
            raise RefusedQuery(
                f"FROM <{graph}> names no graph of this dataset, and this endpoint never "
                "fetches a URL for you; see GET /sparql for the graphs it holds"
            )
