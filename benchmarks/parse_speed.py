"""Parse speed: documents per second for `parse_document` (and `search_text`) on one core.

    python -m benchmarks.parse_speed [--repeat 40] [--corpus] [--search]

Reads the seeds (and, with --corpus, tests/fixtures/corpus/) once, then parses them `--repeat`
times in this process after one warm-up pass (so OpenCC's dictionaries and the compiled patterns
are loaded before the clock starts). Prints documents per second, best of `--rounds` rounds, by
wall clock and by this process's CPU time: on a shared, loaded box the best round and the CPU-time
rate are what compare between runs; on an idle core the two rates agree. A benchmark, not a test:
it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from app.ingest import parse_document
from app.ingest.search import search_text

ROOT = Path(__file__).resolve().parents[1]


def _documents(with_corpus: bool) -> list[tuple[str, bytes]]:
    folders = [ROOT / "seeds"] + ([ROOT / "tests" / "fixtures" / "corpus"] if with_corpus else [])
    return [(p.name, p.read_bytes()) for folder in folders for p in sorted(folder.glob("*.txt"))]


def _rate(work: list[tuple[str, bytes]], repeat: int, rounds: int, search: bool) -> tuple[float, float]:
    """(best wall-clock rate, best CPU-time rate) in documents per second."""
    texts = [parse_document(raw, name=name).text for name, raw in work]  # warm-up
    best_wall = best_cpu = 0.0
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            if search:
                for text in texts:
                    search_text(text)
            else:
                for name, raw in work:
                    parse_document(raw, name=name)
        count = repeat * len(work)
        best_wall = max(best_wall, count / (time.perf_counter() - wall))
        best_cpu = max(best_cpu, count / max(time.process_time() - cpu, 1e-9))
    return best_wall, best_cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=40, help="passes over the documents per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best one is reported")
    parser.add_argument("--corpus", action="store_true", help="also tests/fixtures/corpus/")
    parser.add_argument("--search", action="store_true", help="time search_text on the parsed texts too")
    args = parser.parse_args(argv)
    work = _documents(args.corpus)
    size = sum(len(raw) for _, raw in work) / len(work)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(work)} documents (mean {size / 1024:.1f} KiB) x {args.repeat}, best of {args.rounds}, load {load:.2f}")
    wall, cpu = _rate(work, args.repeat, args.rounds, search=False)
    print(f"parse_document: {wall:8.0f} docs/s wall clock, {cpu:8.0f} docs/s of CPU time")
    if args.search:
        wall, cpu = _rate(work, args.repeat, args.rounds, search=True)
        print(f"search_text:    {wall:8.0f} docs/s wall clock, {cpu:8.0f} docs/s of CPU time")


if __name__ == "__main__":
    main()
