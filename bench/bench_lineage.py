"""Linking time and peak memory at 1,000, 10,000 and 100,000 projects.

Each size runs in a fresh process on a synthetic corpus grown from the real
projects of data/corpus (bench/synthetic_lineage.py, 10 years). Generating
the corpus is not timed; wall and CPU seconds are both given (other work on
the machine slows the first, not the second). The peak memory is the
process's resident set high-water mark (VmHWM) from just before linking
(reset through /proc/self/clear_refs) to the end: it includes the input.

    python bench/bench_lineage.py                      # 1000 10000 100000
    python bench/bench_lineage.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

GOAL_SECONDS = 300  # 100,000 projects in under 5 minutes


def _status(field: str) -> float:
    """A field of /proc/self/status in MiB (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux, or not allowed: the peak then includes generation
        pass


def one(size: int, seed: int) -> dict[str, object]:
    """Generate, then link ``size`` projects, timing each stage."""
    import synthetic_lineage

    from kg.lineage.chains import lineage_links
    from kg.lineage.families import families, similarity_links
    from kg.lineage.graph import chains_of
    from kg.lineage.projects import project_records
    from kg.lineage.scoring import Scorer

    synthetic = synthetic_lineage.generate(synthetic_lineage.corpus_seeds(), size, 10, seed)
    _reset_peak()
    baseline = _status("VmRSS")
    stages: dict[str, float] = {}
    start = clock = time.perf_counter()
    cpu = time.process_time()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[name] = round(now - clock, 2)
        clock = now

    projects = project_records(synthetic.projects, synthetic.documents)
    lap("records")
    scorer = Scorer(projects)
    lap("features")
    lineage = lineage_links(scorer)
    lap("chains, merges, splits")
    similar = similarity_links(scorer)
    lap("similarity layer")
    chains = chains_of(projects, lineage)
    found = families(scorer, similar, chains)
    lap("families (Louvain)")
    total = time.perf_counter() - start
    return {
        "size": size, "projects": len(projects), "documents": len(synthetic.documents),
        "seconds": round(total, 1), "cpu_seconds": round(time.process_time() - cpu, 1),
        "stages": stages,
        "peak_mib": round(_status("VmHWM"), 1), "input_mib": round(baseline, 1),
        "lineage_links": len(lineage), "similar_links": len(similar), "chains": len(chains),
        "families": len(found),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.seed), ensure_ascii=False))
        return 0
    print(f"{'projects':>9} {'seconds':>8} {'CPU s':>7} {'µs/project':>11} {'input MiB':>9} "
          f"{'peak MiB':>9} "
          f"{'links':>8} {'similar':>8} {'families':>8}  stages (s)")
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)],
            capture_output=True, text=True, check=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        per = result["seconds"] / result["projects"] * 1e6
        stages = ", ".join(f"{k} {v}" for k, v in result["stages"].items())
        print(f"{result['projects']:>9,} {result['seconds']:>8.1f} {result['cpu_seconds']:>7.1f} "
              f"{per:>11.0f} "
              f"{result['input_mib']:>9.0f} {result['peak_mib']:>9.0f} "
              f"{result['lineage_links']:>8,} {result['similar_links']:>8,} "
              f"{result['families']:>8,}  {stages}", flush=True)
        if result["projects"] >= 100_000:
            verdict = "met" if result["seconds"] < GOAL_SECONDS else "NOT met"
            print(f"goal (100,000 projects in under {GOAL_SECONDS} s): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
