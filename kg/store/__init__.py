"""RDF -> store: the ``Store`` interface, its embedded and remote implementations.

``open_store`` picks one from the command-line options: a persistent Oxigraph
store in a directory (the default, ``./var/store``) or an external SPARQL 1.1
store reached over HTTP.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.store.base import (
    AskResult,
    GraphInfo,
    GraphResult,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    SelectResult,
    Store,
    StoreBusy,
    StoreError,
)

DEFAULT_STORE_DIR = Path("var/store")

__all__ = [
    "AskResult", "GraphInfo", "GraphResult", "QueryResult", "QuerySyntaxError", "QueryTimeout",
    "SelectResult", "Store", "StoreBusy", "StoreError", "open_store", "DEFAULT_STORE_DIR",
]


def open_store(
    store_dir: str | os.PathLike[str] | None = None,
    store_url: str | None = None,
    graph_store_url: str | None = None,
    in_memory: bool = False,
) -> Store:
    """The remote store at ``store_url`` if given, else the embedded one in ``store_dir``
    (answering from an in-memory copy with ``in_memory``)."""
    if store_url:
        from kg.store.remote import RemoteStore

        return RemoteStore(store_url, graph_store_url=graph_store_url)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(store_dir if store_dir is not None else DEFAULT_STORE_DIR,
                         in_memory=in_memory)
