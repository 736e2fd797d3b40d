"""The query log (JSON lines: duration, rows, status) and Prometheus-style metrics."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections import Counter
from pathlib import Path

LOGGER = "kg.web.query"
# Upper bounds (seconds) of the latency histogram's buckets.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class QueryLog:
    """One JSON object per line for each SPARQL request, to a file or to stderr."""

    def __init__(self, path: Path | None = None):
        self._logger = logging.getLogger(LOGGER)
        self._lock = threading.Lock()
        self._path = path
        if path is None and not self._logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            self._logger.addHandler(handler)
            self._logger.setLevel(logging.INFO)
            self._logger.propagate = False
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, **entry: object) -> None:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **entry}
        line = json.dumps(entry, ensure_ascii=False, default=str)
        if self._path is None:
            self._logger.info(line)
            return
        with self._lock, self._path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


class Metrics:
    """Counters and a latency histogram, written in the Prometheus text format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()  # (operation, status)
        self.rows = 0
        self.timeouts = 0
        self.truncated = 0
        self.bucket_counts = [0] * len(BUCKETS)
        self.duration_sum = 0.0
        self.duration_count = 0

    def observe(self, operation: str, status: int, duration_s: float, rows: int = 0,
                timed_out: bool = False, truncated: bool = False) -> None:
        with self._lock:
            self.requests[(operation, status)] += 1
            self.rows += rows
            self.timeouts += int(timed_out)
            self.truncated += int(truncated)
            self.duration_sum += duration_s
            self.duration_count += 1
            for index, bound in enumerate(BUCKETS):
                if duration_s <= bound:
                    self.bucket_counts[index] += 1

    def exposition(self, version: int) -> str:
        with self._lock:
            lines = [
                "# HELP kg_sparql_requests_total SPARQL requests by operation and status.",
                "# TYPE kg_sparql_requests_total counter",
            ]
            for (operation, status), count in sorted(self.requests.items()):
                lines.append(
                    f'kg_sparql_requests_total{{operation="{operation}",status="{status}"}} '
                    f"{count}"
                )
            lines += [
                "# HELP kg_sparql_result_rows_total Rows and triples sent in results.",
                "# TYPE kg_sparql_result_rows_total counter",
                f"kg_sparql_result_rows_total {self.rows}",
                "# HELP kg_sparql_timeouts_total Queries stopped by the deadline (503).",
                "# TYPE kg_sparql_timeouts_total counter",
                f"kg_sparql_timeouts_total {self.timeouts}",
                "# HELP kg_sparql_truncated_total Results cut at the row cap.",
                "# TYPE kg_sparql_truncated_total counter",
                f"kg_sparql_truncated_total {self.truncated}",
                "# HELP kg_sparql_duration_seconds Time to answer a SPARQL request.",
                "# TYPE kg_sparql_duration_seconds histogram",
            ]
            for bound, count in zip(BUCKETS, self.bucket_counts, strict=True):
                lines.append(f'kg_sparql_duration_seconds_bucket{{le="{bound}"}} {count}')
            lines += [
                f'kg_sparql_duration_seconds_bucket{{le="+Inf"}} {self.duration_count}',
                f"kg_sparql_duration_seconds_sum {self.duration_sum:.6f}",
                f"kg_sparql_duration_seconds_count {self.duration_count}",
                "# HELP kg_dataset_version The dataset version (bumped by every write).",
                "# TYPE kg_dataset_version gauge",
                f"kg_dataset_version {version}",
            ]
        return "\n".join(lines) + "\n"
