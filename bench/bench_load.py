"""Load test: concurrent SPARQL clients on loopback while a document is reloaded.

    .venv/bin/python bench/bench_load.py --clients 16 --seconds 30

Builds the sample corpus into a temporary store (``kg build``), serves it with
``kg serve`` in a subprocess on 127.0.0.1, and runs ``--clients`` threads, each
with its own keep-alive connection, sending a mix of queries for ``--seconds``.
Meanwhile the 2023 Panyu budget's graph is replaced through the Graph Store
protocol every ``--reload-every`` seconds, each time with a new round marker.
Every client checks each answer about that graph: the full triple count and
exactly one marker, so a half-loaded document would show. Prints requests,
errors (non-200), dropped connections, inconsistent answers, reloads,
throughput and latency percentiles; exits non-zero unless all three are zero.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from pyoxigraph import RdfFormat, parse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.store.embedded import EmbeddedStore  # noqa: E402

BASE = "http://localhost:8000/"
DOC = f"{BASE}graph/doc/guangzhou-panyu-2023-budget"
ROUND = "urn:x-fiscal-kg:bench:round"
FIS = f"{BASE}def/fiscal#"
CONSISTENCY = (f"SELECT (COUNT(*) AS ?n) (SUM(IF(?p = <{ROUND}>, 1, 0)) AS ?m) "
               f"WHERE {{ GRAPH <{DOC}> {{ ?s ?p ?o }} }}")
MIX = (
    f"PREFIX fis: <{FIS}> SELECT ?doc ?year WHERE {{ ?doc a fis:BudgetDocument ; "
    "fis:fiscalYear ?year } ORDER BY ?doc",
    f"PREFIX fis: <{FIS}> SELECT ?table (COUNT(?o) AS ?n) (SUM(?a) AS ?total) WHERE {{ "
    "?o fis:table ?table ; fis:amount ?a } GROUP BY ?table ORDER BY DESC(?n) LIMIT 10",
    f"DESCRIBE <{BASE}id/doc/guangzhou-panyu-2023-budget>",
)


def marker(round_: int) -> str:
    """The N-Triples line telling which reload a reader's answer came from."""
    return f'<{DOC}> <{ROUND}> "{round_}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)
    reloads: int = 0
    reload_failures: list[str] = field(default_factory=list)
    reload_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self) -> dict[str, float | int]:
        ordered = sorted(self.latencies)

        def percentile(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0

        return {
            "requests": len(ordered), "errors": len(self.errors),
            "dropped": len(self.dropped), "inconsistent": len(self.inconsistent),
            "reloads": self.reloads, "reload_failures": len(self.reload_failures),
            "throughput_rps": round(len(ordered) / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(percentile(0.50), 2), "p99_ms": round(percentile(0.99), 2),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 2) if ordered else 0,
            "reload_max_s": round(max(self.reload_seconds, default=0), 2),
        }


def client_loop(url: str, expected: int, stop: threading.Event, tally: Tally, index: int) -> None:
    queries = (CONSISTENCY, *MIX)
    with httpx.Client(base_url=url, timeout=60) as http:
        turn = index
        while not stop.is_set():
            query = queries[turn % len(queries)]
            turn += 1
            started = time.perf_counter()
            try:
                response = http.post("/sparql", data={"query": query},
                                     headers={"Accept": "application/sparql-results+json, "
                                                        "application/n-triples;q=0.9"})
            except httpx.TransportError as error:
                with tally.lock:
                    tally.dropped.append(f"{type(error).__name__}: {error}")
                continue
            elapsed = time.perf_counter() - started
            with tally.lock:
                tally.latencies.append(elapsed)
                if response.status_code != 200:
                    tally.errors.append(f"{response.status_code}: {response.text[:200]}")
                    continue
            if query is CONSISTENCY:
                row = response.json()["results"]["bindings"][0]
                seen = (int(row["n"]["value"]), int(row["m"]["value"]))
                if seen != (expected, 1):
                    with tally.lock:
                        tally.inconsistent.append(f"saw {seen}, expected ({expected}, 1)")


def reload_loop(url: str, token: str, document: str, every: float, stop: threading.Event,
                tally: Tally) -> None:
    """Replace the document's graph over the Graph Store protocol, a new marker each time."""
    with httpx.Client(base_url=url, timeout=300) as http:
        round_ = 1
        while not stop.wait(every):
            round_ += 1
            body = document + marker(round_)
            started = time.perf_counter()
            response = http.put("/store", params={"graph": DOC}, content=body.encode(),
                                headers={"Authorization": f"Bearer {token}",
                                         "Content-Type": "application/n-triples"})
            with tally.lock:
                tally.reload_seconds.append(time.perf_counter() - started)
                if response.status_code in (201, 204):
                    tally.reloads += 1
                else:
                    tally.reload_failures.append(f"{response.status_code}: {response.text[:200]}")


def run_load(url: str, token: str, document: str, expected: int, clients: int,
             seconds: float, reload_every: float) -> Tally:
    """Drive ``url`` with ``clients`` threads for ``seconds`` while reloading the document.

    ``document`` is the graph's N-Triples without the round marker; ``expected`` the
    triple count readers must always see (the document plus its one marker).
    """
    tally = Tally()
    stop = threading.Event()
    threads = [threading.Thread(target=client_loop, args=(url, expected, stop, tally, i))
               for i in range(clients)]
    threads.append(threading.Thread(target=reload_loop,
                                    args=(url, token, document, reload_every, stop, tally)))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    tally.seconds = time.perf_counter() - started
    return tally


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--reload-every", type=float, default=5)
    args = parser.parse_args()
    kg = [sys.executable, "-m", "kg.cli"]
    token = "bench-token"
    with tempfile.TemporaryDirectory(prefix="bench-load-") as work:
        store_dir = Path(work) / "store"
        subprocess.run([*kg, "build", str(ROOT / "data" / "corpus"), "--store-dir",
                        str(store_dir), "--base", BASE, "--skip-validation"],
                       check=True, cwd=work, capture_output=True)
        store = EmbeddedStore(store_dir)
        document = b"".join(store.dump("nt", DOC)).decode()
        expected = document.count("\n") + 1
        # Start with the marker in place, as every reload leaves it.
        store.replace_graph(DOC, parse((document + marker(1)).encode(),
                                       format=RdfFormat.N_TRIPLES))
        store.close()
        del store
        port = free_port()
        env = {**os.environ, "KG_WRITE_TOKEN": token, "KG_VALIDATE_WRITES": "0"}
        server = subprocess.Popen(
            [*kg, "serve", "--store-dir", str(store_dir), "--port", str(port),
             "--base", BASE, "--query-log", str(Path(work) / "query.log")],
            cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("kg serve did not start")
                time.sleep(0.2)
            tally = run_load(url, token, document, expected, args.clients, args.seconds,
                             args.reload_every)
        finally:
            server.terminate()
            server.wait(timeout=30)
    summary = tally.summary()
    print(f"clients: {args.clients}  seconds: {args.seconds}  reload every: "
          f"{args.reload_every} s  document: {expected} triples")
    for key, value in summary.items():
        print(f"{key}: {value}")
    for problem in (tally.errors + tally.dropped + tally.inconsistent + tally.reload_failures)[:5]:
        print("  e.g.", problem)
    clean = not (tally.errors or tally.dropped or tally.inconsistent or tally.reload_failures)
    return 0 if clean and tally.reloads else 1


if __name__ == "__main__":
    sys.exit(main())
