"""Parse speed: documents per second for `parse_document` (and `search_text`) on one core.

    python -m benchmarks.parse_speed [--repeat 40] [--corpus] [--holdout] [--search]

Reads the seeds (and, with --corpus, tests/fixtures/corpus/) once, then parses them `--repeat`
times in this process after one warm-up pass (so OpenCC's dictionaries and the compiled patterns
are loaded before the clock starts). Prints documents per second, best of `--rounds` rounds, by
wall clock and by this process's CPU time: on a shared, loaded box the best round and the CPU-time
rate are what compare between runs; on an idle core the two rates agree. A benchmark, not a test:
it asserts nothing.

`--holdout` parses the real held-out pages (tests/fixtures/holdout/) instead: 82 distinct pages,
each once per pass, warmed on the seeds, so the parser's per-process caches help only as they help
a real ingest. Repeating the same few documents lets those caches answer most of the work. For a
figure that load on a shared box does not move, count instructions:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python -m benchmarks.parse_speed \
        --holdout --repeat 1 --rounds 1

and subtract a run with `--repeat 0`.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from app.ingest import parse_document
from app.ingest.search import search_text

ROOT = Path(__file__).resolve().parents[1]


def _documents(with_corpus: bool, holdout: bool = False) -> list[tuple[str, bytes]]:
    if holdout:
        pages = sorted((ROOT / "tests" / "fixtures" / "holdout").glob("[rnxyzw]*.txt"))
        return [(p.name, p.read_bytes()) for p in pages]
    folders = [ROOT / "seeds"] + ([ROOT / "tests" / "fixtures" / "corpus"] if with_corpus else [])
    return [(p.name, p.read_bytes()) for folder in folders for p in sorted(folder.glob("*.txt"))]


def _rate(
    work: list[tuple[str, bytes]], repeat: int, rounds: int, search: bool, warm: bool = True
) -> tuple[float, float]:
    """(best wall-clock rate, best CPU-time rate) in documents per second; `warm`: after one
    unmeasured pass over `work` itself."""
    if repeat == 0:
        return 0.0, 0.0
    texts = [parse_document(raw, name=name).text for name, raw in work] if warm or search else []
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
    parser.add_argument("--holdout", action="store_true", help="the 82 distinct held-out real pages, each once")
    parser.add_argument("--search", action="store_true", help="time search_text on the parsed texts too")
    args = parser.parse_args(argv)
    work = _documents(args.corpus, args.holdout)
    for name, raw in _documents(False):
        parse_document(raw, name=name)  # OpenCC's dictionaries and the compiled patterns loaded
    size = sum(len(raw) for _, raw in work) / len(work)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(work)} documents (mean {size / 1024:.1f} KiB) x {args.repeat}, best of {args.rounds}, load {load:.2f}")
    wall, cpu = _rate(work, args.repeat, args.rounds, search=False, warm=not args.holdout)
    print(f"parse_document: {wall:8.0f} docs/s wall clock, {cpu:8.0f} docs/s of CPU time")
    if args.search:
        wall, cpu = _rate(work, args.repeat, args.rounds, search=True)
        print(f"search_text:    {wall:8.0f} docs/s wall clock, {cpu:8.0f} docs/s of CPU time")


if __name__ == "__main__":
    main()
