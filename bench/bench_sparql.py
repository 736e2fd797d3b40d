"""Query latency and throughput of the sparql/ catalogue: kg serve vs rdflib-endpoint vs
pyoxigraph in-process, with several concurrent clients.

    .venv/bin/pip install rdflib-endpoint          # the comparison server (bench only)
    .venv/bin/python bench/bench_sparql.py --dataset corpus --clients 4 --seconds 20
    .venv/bin/python bench/bench_sparql.py --dataset synthetic --copies 17 --clients 4 \
        --seconds 60 --skip rdflib-endpoint

``corpus`` is the sample corpus through ``kg build`` (about 60 thousand
triples); ``synthetic`` is that dataset repeated ``--copies`` times with every
document's IRIs renamed per copy (17 copies: about one million triples).
Each target gets the same N-Quads. Clients loop over every catalogue query
(parameters at their defaults) for ``--seconds``; every request must answer
200 (kg serve runs with a deadline larger than any query here). Prints, per
target, throughput and p50/p99 per query, then the ratios the issue sets as
goals: kg serve at least 20x faster than rdflib-endpoint and within 1.3x of
in-process pyoxigraph. rdflib-endpoint requests time out after
``--rdflib-timeout`` seconds and are counted, not waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.web.queries import load_catalogue  # noqa: E402

BASE = "http://localhost:8000/"
ACCEPT = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def catalogue() -> dict[str, str]:
    return {query.name: query.bind({}, BASE) for query in load_catalogue()}


# -- data ----------------------------------------------------------------------------


def corpus_nquads(work: Path) -> Path:
    """The sample corpus built by ``kg build`` (no validation graphs), dumped as N-Quads."""
    store_dir = work / "corpus-store"
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "data" / "corpus"),
                    "--store-dir", str(store_dir), "--base", BASE, "--skip-validation"],
                   check=True, cwd=work, capture_output=True)
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_dir)
    path = work / "corpus.nq"
    with path.open("wb") as out:
        for chunk in store.dump("nquads"):
            out.write(chunk)
    store.close()
    return path


def synthetic_nquads(corpus: Path, copies: int, work: Path) -> Path:
    """The corpus ``copies`` times, each copy's document IRIs renamed (``…-copyN``)."""
    text = corpus.read_text(encoding="utf-8")
    doc_ids = sorted(set(re.findall(rf"<{re.escape(BASE)}graph/doc/([^>/]+)>", text)))
    pattern = re.compile("|".join(re.escape(doc_id) for doc_id in doc_ids))
    shared = [line for line in text.splitlines(keepends=True) if not pattern.search(line)]
    per_document = [line for line in text.splitlines(keepends=True) if pattern.search(line)]
    path = work / f"synthetic-{copies}.nq"
    with path.open("w", encoding="utf-8") as out:
        out.writelines(shared)
        for copy in range(copies):
            suffix = "" if copy == 0 else f"-copy{copy}"
            renamed = pattern.sub(lambda m, s=suffix: m.group(0) + s, "".join(per_document))
            out.write(renamed)
    return path


def count_lines(path: Path) -> int:
    with path.open("rb") as data:
        return sum(1 for _ in data)


# -- targets -------------------------------------------------------------------------


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started; one still busy with a long query is killed."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"server for {url} did not start")
        time.sleep(0.5)


def start_kg(nquads: Path, work: Path) -> tuple[str, subprocess.Popen]:
    from kg.store.embedded import EmbeddedStore

    store_dir = work / "kg-store"
    store = EmbeddedStore(store_dir)
    store.import_file(nquads)
    store.close()
    del store
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store-dir", str(store_dir), "--port",
         str(port), "--base", BASE, "--query-timeout", "600", "--max-rows", "1000000",
         "--query-log", str(work / "kg-query.log")],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_until_up(url, process, 120)
    return url, process


def start_rdflib_endpoint(nquads: Path, work: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-rdflib", str(nquads), "--port", str(port)],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, process, 1800)
    return url, process


def serve_rdflib(nquads: str, port: int) -> None:
    """rdflib-endpoint over the same N-Quads, the default graph being the union."""
    import rdflib
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    app = SparqlEndpoint(graph=dataset, public_url=f"http://127.0.0.1:{port}/")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# -- measuring -----------------------------------------------------------------------


def measure(run: Callable[[str], None], queries: dict[str, str], clients: int,
            seconds: float) -> tuple[dict[str, list[float]], list[str], float]:
    """Closed loop: ``clients`` threads cycle through the queries for ``seconds``
    (each finishes its cycle's current query); latencies per query, failures, wall time."""
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    lock = threading.Lock()
    names = list(queries)
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        turn = offset
        while time.monotonic() < stop or turn < offset + len(names):
            name = names[turn % len(names)]
            turn += 1
            started = time.perf_counter()
            try:
                run(queries[name])
            except Exception as error:  # every failure is counted, whatever it is
                with lock:
                    failures.append(f"{name}: {type(error).__name__}: {str(error)[:120]}")
                continue
            with lock:
                latencies[name].append(time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - started


def http_runner(url: str, timeout: float) -> Callable[[str], None]:
    local = threading.local()

    def run(query: str) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=timeout)
        response = local.client.post(url, data={"query": query}, headers=ACCEPT)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:100]}")
        json.loads(response.content)

    return run


def inprocess_runner(nquads: Path) -> Callable[[str], None]:
    """pyoxigraph queried directly: evaluate and serialise the same JSON results."""
    from pyoxigraph import QueryResultsFormat, RdfFormat, Store

    store = Store()
    store.bulk_load(path=str(nquads), format=RdfFormat.N_QUADS)

    def run(query: str) -> None:
        result = store.query(query, use_default_graph_as_union=True)
        result.serialize(format=QueryResultsFormat.JSON)

    return run


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")


def report(name: str, latencies: dict[str, list[float]], failures: list[str],
           wall: float) -> dict[str, object]:
    total = sum(len(v) for v in latencies.values())
    print(f"\n== {name}: {total} answers in {wall:.1f} s = {total / wall:.1f} queries/s, "
          f"{len(failures)} failures")
    for problem in failures[:3]:
        print("   e.g.", problem)
    for query, values in sorted(latencies.items()):
        print(f"   {query:36} n={len(values):5}  p50={percentile(values, .5):9.2f} ms  "
              f"p99={percentile(values, .99):9.2f} ms")
    return {"throughput": total / wall, "failures": len(failures),
            "p50": {q: percentile(v, .5) for q, v in latencies.items()},
            "p99": {q: percentile(v, .99) for q, v in latencies.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("corpus", "synthetic"), default="corpus")
    parser.add_argument("--copies", type=int, default=17)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rdflib-timeout", type=float, default=120)
    parser.add_argument("--skip", action="append", default=[],
                        choices=("kg", "rdflib-endpoint", "pyoxigraph"))
    parser.add_argument("--serve-rdflib", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_rdflib:
        serve_rdflib(args.serve_rdflib, args.port)
        return 0

    queries = catalogue()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as name:
        work = Path(name)
        nquads = corpus_nquads(work)
        if args.dataset == "synthetic":
            nquads = synthetic_nquads(nquads, args.copies, work)
        print(f"dataset: {args.dataset}, {count_lines(nquads)} quads; {len(queries)} queries; "
              f"{args.clients} clients; {args.seconds:g} s per target; {os.cpu_count()} CPUs")
        if "pyoxigraph" not in args.skip:
            run = inprocess_runner(nquads)
            results["pyoxigraph in-process"] = report(
                "pyoxigraph in-process", *measure(run, queries, args.clients, args.seconds))
            del run
        if "kg" not in args.skip:
            url, process = start_kg(nquads, work)
            try:
                results["kg serve"] = report("kg serve", *measure(
                    http_runner(url, 600), queries, args.clients, args.seconds))
            finally:
                stop(process)
        if "rdflib-endpoint" not in args.skip:
            url, process = start_rdflib_endpoint(nquads, work)
            try:
                results["rdflib-endpoint"] = report("rdflib-endpoint", *measure(
                    http_runner(url, args.rdflib_timeout), queries, args.clients,
                    args.seconds))
            finally:
                stop(process)
    ratios(results)
    return 0


def ratios(results: dict[str, dict[str, object]]) -> None:
    ours = results.get("kg serve")
    if not ours:
        return
    print()
    for other, goal in (("pyoxigraph in-process", "goal <= 1.3"),
                        ("rdflib-endpoint", "goal >= 20")):
        if other not in results:
            continue
        theirs = results[other]
        factors = []
        for query, ours_p50 in ours["p50"].items():  # type: ignore[union-attr]
            theirs_p50 = theirs["p50"].get(query)  # type: ignore[union-attr]
            if theirs_p50 and ours_p50:
                factors.append((theirs_p50 / ours_p50) if other == "rdflib-endpoint"
                               else (ours_p50 / theirs_p50))
        label = ("rdflib-endpoint p50 / kg serve p50" if other == "rdflib-endpoint"
                 else "kg serve p50 / pyoxigraph p50")
        if factors:
            print(f"{label}: median {statistics.median(factors):.2f}, "
                  f"min {min(factors):.2f}, max {max(factors):.2f} ({goal})")
        throughput = ours["throughput"] / theirs["throughput"]  # type: ignore[operator]
        print(f"throughput kg serve / {other}: {throughput:.2f}")


if __name__ == "__main__":
    sys.exit(main())
