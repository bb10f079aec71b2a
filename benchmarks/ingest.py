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
import os
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


def job_rss_mb() -> float:
    """Resident memory of this process and all its descendants (the parser pool, its forkserver)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21])
    family, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in family) * resource.getpagesize() / 2**20


def written_bytes() -> int:
    """Bytes this process has caused to be written to storage (/proc/self/io): the writer's."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux → MiB


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(database_url: str, corpus: Path, *, start: int, count: int, workers: int | None = None) -> dict[str, Any]:
    from app.db.engine import build_engine
    from app.db.migrate import migrate
    from app.jobs.ingest import run_ingest
    from app.sources import SourceFile

    engine = build_engine(database_url)
    migrate(engine)
    baseline = rss_mb()
    samples: list[tuple[int, float, float, float]] = []  # (done, seconds, resident MiB, with the pool MiB)
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
            samples.append((done, round(time.perf_counter() - started, 1), round(rss_mb(), 1), round(job_rss_mb(), 1)))

    cpu_before, written_before = cpu_seconds(), written_bytes()
    source_bytes = sum(p.stat().st_size for p in iter_corpus_files(corpus, start, count))
    summary = run_ingest(engine, sources(), trigger="cli", progress=progress, workers=workers)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    written = written_bytes() - written_before
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
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
        "job_rss_peak_mb": max((sample[3] for sample in samples), default=0.0),
        "rss_samples": samples,
        "source_bytes": source_bytes,
        "written_bytes": written,
        "written_per_source_byte": round(written / source_bytes, 1) if source_bytes else None,
        "children_cpu_s": round(children.ru_utime + children.ru_stime, 1),
        "counts": dict(summary.counts),
        "errors": summary.errors[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL of the database to ingest into")
    parser.add_argument("--corpus", type=Path, required=True, help="a folder written by benchmarks.corpus")
    parser.add_argument("--start", type=int, default=0, help="index of the first document to ingest")
    parser.add_argument("--count", type=int, required=True, help="how many documents to ingest")
    parser.add_argument("--workers", type=int, default=None, help="parser processes (default: the machine's cores)")
    args = parser.parse_args(argv)
    result = run(args.database_url, args.corpus, start=args.start, count=args.count, workers=args.workers)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
