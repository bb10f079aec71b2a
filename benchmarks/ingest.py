"""Ingest benchmark: a slice of a generated corpus through `app.jobs.ingest.run_ingest`, the one
ingest service, timed, with the process's memory sampled as it goes.

Run in a process of its own (the runner does), so its peak memory is this ingest's alone:

    python -m benchmarks.ingest --database-url sqlite:////tmp/b.db --corpus /tmp/corpus --count 10000

Sources are handed to `run_ingest` as a generator that lists one corpus folder at a time, so
the benchmark itself holds no list of files; whatever memory grows with N is the app's.
Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.corpus import iter_corpus_files

RSS_SAMPLES = 10
"""How many times during the run the resident memory is recorded."""


def rss_mb() -> float:
    """Resident memory of this process now, in MiB (Linux /proc; 0 where unavailable)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux → MiB


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(database_url: str, corpus: Path, *, start: int, count: int) -> dict[str, Any]:
    from app.db.engine import build_engine
    from app.db.migrate import migrate
    from app.jobs.ingest import run_ingest
    from app.sources import SourceFile

    engine = build_engine(database_url)
    migrate(engine)
    baseline = rss_mb()
    samples: list[tuple[int, float, float]] = []  # (documents done, seconds since start, resident MiB)
    every = max(1, count // RSS_SAMPLES)

    def sources() -> Iterator[SourceFile]:
        for path in iter_corpus_files(corpus, start, count):
            yield SourceFile(path, path.relative_to(corpus).as_posix())

    done = 0
    started = time.perf_counter()

    def progress(*_: object) -> None:
        nonlocal done
        done += 1
        if done % every == 0:
            samples.append((done, round(time.perf_counter() - started, 1), round(rss_mb(), 1)))

    cpu_before = cpu_seconds()
    summary = run_ingest(engine, sources(), trigger="cli", progress=progress)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    engine.dispose()
    return {
        "backend": engine.dialect.name,
        "start": start,
        "count": count,
        "seconds": round(seconds, 2),
        "docs_per_s": round(count / seconds, 1),
        "docs_per_cpu_s": round(count / cpu, 1),
        "cpu_share": round(cpu / seconds, 2),
        "rss_baseline_mb": round(baseline, 1),
        "rss_peak_mb": round(peak_rss_mb(), 1),
        "rss_samples": samples,
        "counts": dict(summary.counts),
        "errors": summary.errors[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL of the database to ingest into")
    parser.add_argument("--corpus", type=Path, required=True, help="a folder written by benchmarks.corpus")
    parser.add_argument("--start", type=int, default=0, help="index of the first document to ingest")
    parser.add_argument("--count", type=int, required=True, help="how many documents to ingest")
    args = parser.parse_args(argv)
    result = run(args.database_url, args.corpus, start=args.start, count=args.count)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
