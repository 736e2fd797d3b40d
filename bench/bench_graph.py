"""Mapping and validation cost: per document, and over the corpus repeated to N documents.

    .venv/bin/python bench/bench_graph.py --documents 1000 --validate 40

Extracts the sample corpus once, then copies its tables under new document ids
until there are ``--documents`` documents. Mapping builds each document's
graph in turn (as ``kg build`` loads them one at a time); validation checks
each document graph on its own, so its cost is per document and the total grows
linearly — it is measured on the first ``--validate`` documents (0: all) and the
per-document mean is what scales. Prints, per corpus document, the triples,
mapping and validation seconds and the peak Python memory of each (tracemalloc),
then the totals, the per-document means and the process's peak resident memory.
Times are given as wall clock and as CPU time of the process (the CPU figure does
not depend on what else the machine is running).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.graph.codes import code_list_graph  # noqa: E402
from kg.graph.mapping import codes_of, graph_of_rows, rows_by_document  # noqa: E402
from kg.tables.extract import Extraction, extract_documents  # noqa: E402
from kg.validation.validate import validate_document, validate_extraction  # noqa: E402


def repeated(extraction: Extraction, documents: int) -> Extraction:
    """The extraction's documents copied under new ids until there are ``documents``."""
    ids = list(extraction["documents"]["doc_id"])
    copies = []
    for index in range(documents):
        source = ids[index % len(ids)]
        copies.append((source, source if index < len(ids) else f"{source}-{index:05d}"))
    tables = {}
    for name, frame in extraction.tables.items():
        parts = []
        for source, new_id in copies:
            part = frame[frame["doc_id"] == source].copy()
            part["doc_id"] = new_id
            parts.append(part)
        tables[name] = pd.concat(parts, ignore_index=True) if parts else frame
    return Extraction(tables=tables)


def timed(function, *args):
    """(result, wall seconds, CPU seconds of this process)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - start, time.process_time() - cpu


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(function, *args):
    """(result, seconds, peak bytes allocated while running)."""
    tracemalloc.start()
    start = time.perf_counter()
    result = function(*args)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--validate", type=int, default=40,
                        help="validate the first N documents (0: all of them)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="also validate them with this many worker processes")
    args = parser.parse_args()
    corpus = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    extraction = extract_documents(corpus)

    print("per corpus document (mapping memory: tracemalloc peak; validation memory: growth of "
          "the process's peak RSS, the first document paying for loading the shapes):")
    print(f"{'document':40} {'triples':>8} {'map s':>7} {'cpu':>5} {'map MB':>7} "
          f"{'valid s':>8} {'cpu':>6} {'valid MB':>8} {'violations':>10}")
    for doc_id, rows in rows_by_document(extraction).items():
        graph, map_seconds, map_cpu = timed(graph_of_rows, rows, None)
        _, _, map_peak = measured(graph_of_rows, rows, None)
        codes = code_list_graph(codes_of(rows))
        rss_before = peak_rss_mb()
        report, valid_seconds, valid_cpu = timed(validate_document, graph, codes, doc_id)
        print(f"{doc_id:40} {len(graph):8d} {map_seconds:7.2f} {map_cpu:5.2f} "
              f"{map_peak / 2**20:7.1f} {valid_seconds:8.2f} {valid_cpu:6.2f} "
              f"{peak_rss_mb() - rss_before:8.1f} {len(report.violations):10d}")

    big = repeated(extraction, args.documents)
    grouped = rows_by_document(big)
    start, cpu = time.perf_counter(), time.process_time()
    triples = 0
    for rows in grouped.values():
        triples += len(graph_of_rows(rows, None))  # built, counted, dropped: one at a time
    map_seconds, map_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"\nmapping {len(grouped)} documents: {map_seconds:.1f} s wall, {map_cpu:.1f} s CPU "
          f"({map_cpu / len(grouped) * 1000:.0f} ms CPU/document), {triples} triples "
          f"({triples / map_cpu:,.0f} triples per CPU second)")

    to_validate = list(grouped.items())[: args.validate or None]
    seconds = []
    start, cpu = time.perf_counter(), time.process_time()
    for doc_id, rows in to_validate:
        began = time.process_time()
        validate_document(graph_of_rows(rows, None), code_list_graph(codes_of(rows)), doc_id)
        seconds.append(time.process_time() - began)
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    half = len(seconds) // 2
    print(f"validating {len(seconds)} documents (mapping included): {total:.1f} s wall, "
          f"{total_cpu:.1f} s CPU, {statistics.mean(seconds):.2f} CPU s/document (first half "
          f"{statistics.mean(seconds[:half] or seconds):.2f}, second half "
          f"{statistics.mean(seconds[half:]):.2f}: no growth with corpus size); "
          f"projected for {len(grouped)} documents: "
          f"{statistics.mean(seconds) * len(grouped) / 60:.0f} CPU minutes")
    if args.jobs > 1:
        subset = Extraction(tables={
            name: frame[frame["doc_id"].isin([doc_id for doc_id, _ in to_validate])]
            for name, frame in big.tables.items()})
        start = time.perf_counter()
        count = sum(1 for _ in validate_extraction(subset, jobs=args.jobs))
        total = time.perf_counter() - start
        print(f"validating {count} documents with {args.jobs} processes: {total:.1f} s, "
              f"{total / count:.2f} s/document; projected for {len(grouped)} documents: "
              f"{total / count * len(grouped) / 60:.0f} min")
    print(f"peak resident memory of the whole run: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
