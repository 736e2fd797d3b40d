"""Extraction throughput: the sample corpus repeated to N documents.

    .venv/bin/python bench/bench_extract.py --documents 1000

Prints documents per second, rows per second and the peak resident memory of
the process (the tables of all documents are held in memory, as ``kg extract``
holds them before writing).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.tables.extract import extract_documents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    corpus = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    work = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    try:
        for index in range(args.documents):
            source = corpus[index % len(corpus)]
            shutil.copy(source, work / f"{source.stem}-{index:05d}.txt")
        start = time.perf_counter()
        extraction = extract_documents([work])
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work)
    rows = sum(len(frame) for frame in extraction.tables.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {args.documents}  errors: {len(extraction.errors)}")
    print(f"seconds: {seconds:.1f}  documents/s: {args.documents / seconds:.1f}  "
          f"rows: {rows}  rows/s: {rows / seconds:.0f}")
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
