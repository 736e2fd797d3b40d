"""Latency of the linked-data side of ``kg serve``: resource pages, VoID, dumps, catalogue.

    .venv/bin/python bench/bench_pages.py --dataset corpus --repeat 20
    .venv/bin/python bench/bench_pages.py --dataset synthetic --copies 17 --repeat 5

Builds the same data as ``bench/bench_sparql.py`` (the corpus through ``kg build``,
or that repeated ``--copies`` times: about a million triples at 17), serves it with
``kg serve`` on loopback, and times one client's requests: the first (cold)
``/dumps`` and ``/.well-known/void`` (which write the dumps and compute the
counts), then ``--repeat`` rounds of each page and each catalogue endpoint,
printing p50 and max per request. Every answer must be 200.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sparql import corpus_nquads, count_lines, start_kg, synthetic_nquads  # noqa: E402

from kg.web.queries import load_catalogue  # noqa: E402

DOC = "guangzhou-panyu-2023-budget"
PAGES = {
    "home": ("/", "text/html"),
    "document (HTML)": (f"/id/doc/{DOC}", "text/html"),
    "document page 10 of links": (f"/id/doc/{DOC}?page=10", "text/html"),
    "amount (HTML)": (f"/id/obs/{DOC}/expenditure_by_function/function-201/-/total",
                      "text/html"),
    "amount (Turtle)": (f"/id/obs/{DOC}/expenditure_by_function/function-201/-/total.ttl",
                        "*/*"),
    "department (HTML)": ("/id/org/%E5%B9%BF%E5%B7%9E%E5%B8%82%E7%95%AA%E7%A6%BA%E5%8C%BA"
                          "%E6%94%BF%E5%8A%A1%E6%9C%8D%E5%8A%A1%E6%95%B0%E6%8D%AE%E7%AE%A1"
                          "%E7%90%86%E5%B1%80", "text/html"),
    "ontology (HTML)": ("/def/fiscal", "text/html"),
    "source text": (f"/source/{DOC}", "text/html"),
    "VoID (warm)": ("/.well-known/void", "text/turtle"),
    "query page": ("/query", "text/html"),
}


def timed(client: httpx.Client, path: str, accept: str) -> float:
    started = time.perf_counter()
    response = client.get(path, headers={"Accept": accept})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("corpus", "synthetic"), default="corpus")
    parser.add_argument("--copies", type=int, default=17)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as temporary:
        work = Path(temporary)
        data = corpus_nquads(work)
        if args.dataset == "synthetic":
            data = synthetic_nquads(data, args.copies, work)
        print(f"dataset: {args.dataset}, {count_lines(data):,} quads")
        sparql_url, process = start_kg(data, work)
        base = sparql_url.rsplit("/sparql", 1)[0]
        try:
            with httpx.Client(base_url=base, timeout=1800) as client:
                print(f"{'first /dumps (writes the dumps)':40s} "
                      f"{timed(client, '/dumps', 'application/json'):8.3f} s")
                print(f"{'first /.well-known/void (counts)':40s} "
                      f"{timed(client, '/.well-known/void', 'text/turtle'):8.3f} s")
                requests = dict(PAGES)
                for query in load_catalogue():
                    requests[f"/queries/{query.name}"] = (f"/queries/{query.name}",
                                                          "application/json")
                print(f"{'request':40s} {'p50 ms':>8s} {'max ms':>8s}  ({args.repeat} rounds)")
                for name, (path, accept) in requests.items():
                    times = [timed(client, path, accept) for _ in range(args.repeat)]
                    print(f"{name:40s} {statistics.median(times) * 1000:8.1f} "
                          f"{max(times) * 1000:8.1f}")
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
