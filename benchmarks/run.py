"""The benchmark, one command: generate the corpus, ingest it into SQLite and PostgreSQL at each
size, and measure the API against Datasette and the bare floor at each size.

    .venv/bin/python -m benchmarks.run                   # 10k and 100k documents (see README)
    .venv/bin/python -m benchmarks.run --tiny            # CI: 40 documents, SQLite, seconds

Everything it writes (corpus, databases, results.json) goes under --workdir, outside the
repository. PostgreSQL databases it creates are dropped at the end, also on failure.
"""

# ruff: noqa: S603 - subprocesses are our own modules and fixed binaries
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.api import LADDER, run_api_benchmark, run_postgres_benchmark
from benchmarks.corpus import write_corpus
from benchmarks.load import have_wrk

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "replies-bench"
"""Outside the repository: a 100k corpus is 400 MB and its SQLite file about as much again."""

TARGETS = {
    "list_vs_datasette": 5.0,  # requests/s, at least this many times Datasette's
    "list_vs_floor": 0.5,  # at least half the bare floor's
    "list_p99_ms": 50.0,
    "detail_p99_ms": 20.0,
    "search_p99_ms": 100.0,
    "sqlite_ingest_docs_per_s": 300.0,
    "health_vs_floor": 0.8,
    "postgres_list_vs_floor": 0.4,
}
PERF_LAB = Path("/work/shared/perf-lab/run.sh")
"""The stack's rungs on a table of their own (Starlette floor … FastAPI sync route), run by `--perf-lab`."""


def machine() -> dict[str, Any]:
    memory = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        line = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        memory = int(line.split()[1]) / 2**20
    cpu = platform.processor()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(x for x in Path("/proc/cpuinfo").read_text().splitlines() if x.startswith("model name"))
        cpu = cpu.split(":", 1)[1].strip()
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_generator": "wrk" if have_wrk() else "python",
    }


# --- Steps ---------------------------------------------------------------------------------------


def ensure_corpus(folder: Path, *, seed: int, count: int) -> dict[str, Any]:
    """Write the corpus, or reuse one already there for this seed and at least this size."""
    marker = folder / "CORPUS.json"
    if marker.exists():
        known = json.loads(marker.read_text())
        if known.get("seed") == seed and known.get("count", 0) >= count:
            return {"reused": True, **known}
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    written = write_corpus(folder, seed=seed, count=count)
    seconds = time.perf_counter() - started
    info = {"seed": seed, "count": count, "mb": round(written / 1e6, 1), "seconds": round(seconds, 1)}
    marker.write_text(json.dumps(info))
    return {"reused": False, **info, "docs_per_s": round(count / seconds)}


def ingest(database_url: str, corpus: Path, *, start: int, count: int) -> dict[str, Any]:
    """`benchmarks.ingest` in a process of its own, so its peak memory is the ingest's alone."""
    command = [sys.executable, "-m", "benchmarks.ingest", "--database-url", database_url, "--corpus", str(corpus)]
    command += ["--start", str(start), "--count", str(count)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A fresh database on the server at `admin_url`, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"replies_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ingest_sizes(database_url: str, corpus: Path, sizes: list[int], log: Any) -> list[dict[str, Any]]:
    """Ingest up to each size in turn (0→10k, then 10k→100k), yielding after each step."""
    results = []
    done = 0
    for size in sizes:
        log(f"ingest {database_url.split(':')[0]}: documents {done}..{size - 1}")
        step = ingest(database_url, corpus, start=done, count=size - done)
        step["total"] = size
        results.append(step)
        log(f"  {step['docs_per_s']} documents/s, peak {step['rss_peak_mb']} MiB, {step['counts']}")
        done = size
    return results


# --- Report --------------------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def report(results: dict[str, Any]) -> str:
    lines = []
    m = results["machine"]
    lines.append(f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}; Python {m['python']}")
    lines.append(f"Load generator: {m['load_generator']}")
    lines.append("")
    lines.append("Ingest (app.jobs.ingest.run_ingest, one process)")
    lines.append("| backend | documents | docs/s | docs per CPU-s | peak RSS MiB | added | failed |")
    lines.append("|---|---|---|---|---|---|---|")
    for backend in ("sqlite", "postgresql"):
        for step in results["ingest"].get(backend, []):
            span = f"{step['start']:,}→{step['total']:,}"
            lines.append(
                f"| {backend} | {span} | {_fmt(step['docs_per_s'])} | {_fmt(step['docs_per_cpu_s'])} | "
                f"{_fmt(step['rss_peak_mb'])} | {step['counts']['added']:,} | {step['counts']['failed']:,} |"
            )
    lines.append("")
    lines.append("API, one uvicorn worker, 8 connections on loopback (SQLite)")
    lines.append("| size | scenario | req/s | p50 ms | p99 ms | non-2xx | server CPU |")
    lines.append("|---|---|---|---|---|---|---|")
    for size, api in results["api"].items():
        for r in api.values():
            if not r.get("available"):
                lines.append(f"| {int(size):,} | {r['label']} | not available ({r.get('status')}) | | | | |")
                continue
            lines.append(
                f"| {int(size):,} | {r['label']} | {_fmt(r['rps'])} | {_fmt(r['p50_ms'], 2)} | "
                f"{_fmt(r['p99_ms'], 2)} | {r['non_2xx']} | {_fmt(r['server_cpu_share'], 2)} |"
            )
    for size, pg in results.get("postgres_api", {}).items():
        lines.append("")
        lines.append(f"API on PostgreSQL ({int(size):,} documents), one uvicorn worker, 8 connections")
        for r in pg.values():
            if r.get("available"):
                lines.append(
                    f"| {r['label']} | {_fmt(r['rps'])} | {_fmt(r['p50_ms'], 2)} | {_fmt(r['p99_ms'], 2)} | "
                    f"{r['non_2xx']} | {_fmt(r['server_cpu_share'], 2)} |"
                )
    if results.get("perf_lab"):
        lines.append("")
        lines.append("perf-lab rungs, same run (bash perf-lab/run.sh)")
        lines.extend(results["perf_lab"])
    lines.append("")
    lines.append("Ratios and targets")
    for line in targets(results):
        lines.append(line)
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for size, api in results["api"].items():
        ours, floor, datasette = api.get("list", {}), api.get("floor_list", {}), api.get("datasette_list", {})
        if ours.get("available") and datasette.get("available"):
            ratio = ours["rps"] / datasette["rps"]
            out.append(
                _check(f"{int(size):,}: list req/s vs Datasette", ratio, TARGETS["list_vs_datasette"], "×", more=True)
            )
        if ours.get("available") and floor.get("available"):
            ratio = ours["rps"] / floor["rps"]
            out.append(
                _check(f"{int(size):,}: list req/s vs bare floor", ratio, TARGETS["list_vs_floor"], "×", more=True)
            )
        # The same two ratios for the stack's own layers (benchmarks/ladder.py): what any app built
        # on them could reach at most, before any code of ours runs.
        for rung, _ in LADDER:
            layer = api.get(f"{rung}_list", {})
            if layer.get("available") and datasette.get("available") and floor.get("available"):
                out.append(
                    f"- {int(size):,}: ceiling of {layer['label'].removesuffix(' list')}: "
                    f"{layer['rps'] / datasette['rps']:,.2f}× Datasette, {layer['rps'] / floor['rps']:,.2f}× the floor"
                )
        health, floor_health = api.get("health", {}), api.get("floor_health", {})
        if health.get("available") and floor_health.get("available"):
            ratio = health["rps"] / floor_health["rps"]
            out.append(_check(f"{int(size):,}: /health vs floor", ratio, TARGETS["health_vs_floor"], "×", more=True))
        for name, key in (("list", "list_p99_ms"), ("detail", "detail_p99_ms"), ("search_common", "search_p99_ms")):
            if api.get(name, {}).get("available"):
                out.append(
                    _check(f"{int(size):,}: {name} p99 ms", api[name]["p99_ms"], TARGETS[key], " ms", more=False)
                )
    for size, pg in results.get("postgres_api", {}).items():
        if pg["list"].get("available") and pg["floor_list"].get("available"):
            ratio = pg["list"]["rps"] / pg["floor_list"]["rps"]
            target = TARGETS["postgres_list_vs_floor"]
            out.append(_check(f"PostgreSQL {int(size):,}: list vs psycopg floor", ratio, target, "×", more=True))
    for step in results["ingest"].get("sqlite", []):
        out.append(
            _check(
                f"SQLite ingest {step['start']:,}→{step['total']:,} docs/s",
                step["docs_per_s"],
                TARGETS["sqlite_ingest_docs_per_s"],
                "",
                more=True,
            )
        )
    return out


def _check(what: str, value: float, target: float, unit: str, *, more: bool) -> str:
    met = value >= target if more else value < target
    sign = "≥" if more else "<"
    return f"- {what}: {value:,.2f}{unit} (target {sign} {target:g}{unit}) {'MET' if met else 'MISSED'}"


# --- Main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="CI mode: 40 documents, SQLite only, 0.5 s per scenario")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="corpus, databases, results")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--sizes", default="10000,100000", help="SQLite sizes, ingested in turn, API measured at each")
    parser.add_argument("--postgres-sizes", default="10000,100000", help="PostgreSQL ingest sizes ('' for none)")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="server to create (and drop) a benchmark database on")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each scenario")
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    parser.add_argument("--api-on", type=Path, action="append", default=[],
                        help="also measure the API on this already-ingested SQLite file (repeatable)")  # fmt: skip
    parser.add_argument("--api-on-postgres", action="append", default=[],
                        help="also measure the list on this already-ingested PostgreSQL URL (paths from the "
                        "first --api-on file, which should hold the same corpus)")  # fmt: skip
    parser.add_argument("--perf-lab", action="store_true", help=f"also run {PERF_LAB} in the same run")
    args = parser.parse_args(argv)
    if args.tiny:
        args.sizes, args.postgres_sizes, args.seconds, args.warmup = "40", "", 0.5, 0.0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    pg_sizes = [int(s) for s in args.postgres_sizes.split(",") if s]
    args.workdir.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items()}}
    datasette = importlib.util.find_spec("datasette") is not None
    if not datasette:
        log("datasette is not installed (pip install -e '.[bench]'): its column will read 'not available'")
    corpus = args.workdir / "corpus"
    largest = max(sizes + pg_sizes, default=0)
    if largest:
        log(f"corpus: {largest} documents, seed {args.seed}")
        results["corpus"] = ensure_corpus(corpus, seed=args.seed, count=largest)
    results["ingest"] = {}
    results["api"] = {}
    sqlite_path = args.workdir / "sqlite" / "replies.db"
    if sizes:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in sqlite_path.parent.glob("replies.db*"):
            leftover.unlink()
        done = 0
        results["ingest"]["sqlite"] = []
        for size in sizes:
            log(f"ingest sqlite: documents {done}..{size - 1}")
            step = {**ingest(f"sqlite:///{sqlite_path}", corpus, start=done, count=size - done), "total": size}
            results["ingest"]["sqlite"].append(step)
            log(f"  {step['docs_per_s']} documents/s, peak {step['rss_peak_mb']} MiB, {step['counts']}")
            done = size
            log(f"api at {size} documents")
            results["api"][str(size)] = run_api_benchmark(
                sqlite_path, seconds=args.seconds, warmup=args.warmup, tool=args.load, datasette=datasette
            )
    for path in args.api_on:
        import sqlite3

        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            count = connection.execute("SELECT count(*) FROM document").fetchone()[0]
        log(f"api at {count} documents ({path})")
        results["api"][str(count)] = run_api_benchmark(
            path, seconds=args.seconds, warmup=args.warmup, tool=args.load, datasette=datasette
        )
    results["postgres_api"] = {}
    for url in args.api_on_postgres:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM document")).scalar_one()
        engine.dispose()
        log(f"api on PostgreSQL at {count} documents")
        results["postgres_api"][str(count)] = run_postgres_benchmark(
            url, args.api_on[0], seconds=args.seconds, warmup=args.warmup, tool=args.load
        )
    if args.perf_lab and PERF_LAB.exists():
        log("perf-lab rungs")
        done = subprocess.run(
            [shutil.which("bash") or "/bin/bash", str(PERF_LAB), sys.executable],
            capture_output=True,
            text=True,
            check=False,
        )
        results["perf_lab"] = [line for line in done.stdout.splitlines() if "req/s" in line]
    if pg_sizes:
        with postgres_database(args.postgres_url) as url:
            results["ingest"]["postgresql"] = ingest_sizes(url, corpus, pg_sizes, log)
    results["seconds"] = round(time.perf_counter() - started, 1)
    (args.workdir / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(report(results))
    print(f"\nfinished in {results['seconds']:.0f} s; results in {args.workdir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
