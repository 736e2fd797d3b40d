"""Narrative reading throughput: facts and performance sections over the corpus repeated.

    .venv/bin/python bench/bench_narrative.py --documents 1000

Reads the sample documents once, then times over N documents (the corpus
cycled) ``extract_facts``, ``extract_performance`` finding the tables itself,
and ``extract_performance`` given the tables (as ``kg.tables.extract`` may
pass them), printing documents per second for each; then one more pass under
tracemalloc for the peak Python heap (timed apart: tracing slows Python).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.documents.reader import read_document  # noqa: E402
from kg.tables.facts import extract_facts  # noqa: E402
from kg.tables.layout import logical_tables  # noqa: E402
from kg.tables.performance import extract_performance  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    corpus = [read_document(p) for p in sorted((ROOT / "data" / "corpus").glob("*.txt"))]
    tables = {doc.doc_id: logical_tables(doc) for doc in corpus}
    docs = [corpus[i % len(corpus)] for i in range(args.documents)]
    runs = (
        ("facts", extract_facts),
        ("performance", extract_performance),
        ("performance, tables given", lambda doc: extract_performance(doc, tables[doc.doc_id])),
    )
    for label, extractor in runs:
        start = time.perf_counter()
        rows = 0
        for doc in docs:
            found = extractor(doc)
            rows += len(found) if isinstance(found, list) else sum(map(len, found.values()))
        seconds = time.perf_counter() - start
        print(f"{label:26} {len(docs)} documents in {seconds:6.2f} s: "
              f"{len(docs) / seconds:7.1f} documents/s, {rows / seconds:8.0f} rows/s")
    tracemalloc.start()
    for doc in corpus:
        extract_facts(doc)
        extract_performance(doc)
    _, peak = tracemalloc.get_traced_memory()
    print(f"peak Python heap reading one document: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
