"""A short load test: concurrent clients on loopback while a document is reloaded.

The long version, with the server in its own process, is bench/bench_load.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from kg.store.embedded import EmbeddedStore
from kg.web.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from bench_load import DOC, marker, run_load  # noqa: E402

TOKEN = "load-test-token"


@pytest.fixture(scope="module")
def loaded(corpus_graph, tmp_path_factory, serve):
    root = tmp_path_factory.mktemp("load")
    store = EmbeddedStore(root / "store")
    store.load(corpus_graph)
    document = b"".join(store.dump("nt", DOC)).decode()
    store.replace_graph(DOC, parse((document + marker(1)).encode(), format=RdfFormat.N_TRIPLES))
    # Reloads skip SHACL here: validating a whole document takes minutes, and what is
    # under test is that readers never see it half-loaded.
    settings = Settings(write_token=TOKEN, validate_writes=False, dump_dir=root / "dumps",
                        query_log=root / "query.log")
    with serve(store, settings) as url:
        yield url, document
    store.close()


def test_concurrent_readers_see_no_error_no_drop_and_no_half_loaded_document(loaded):
    url, document = loaded
    expected = document.count("\n") + 1
    tally = run_load(url, TOKEN, document, expected, clients=6, seconds=8, reload_every=2)
    summary = tally.summary()
    assert tally.errors == [] and tally.dropped == [] and tally.reload_failures == []
    assert tally.inconsistent == [], tally.inconsistent[:3]
    assert summary["reloads"] >= 1 and summary["requests"] > 50, summary
