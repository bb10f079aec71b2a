"""API benchmark: our API (`app.main:app`, one uvicorn worker) on each scenario, and the same
filtered list from Datasette and from the bare Starlette floor, over the same SQLite file.

Request paths come from the database itself (ids, proposal numbers, indicators that exist), so
every request finds something. A scenario whose endpoint answers 404 or 422 is reported as not
available rather than timed: endpoints still being built are picked up when they land.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from benchmarks.load import run_load

GENRES = ["人大建议办理", "政协提案办理"]
SEARCH_WORDS = ["科技", "重点实验室", "乡村旅游", "卓越工程师", "高标准农田", "老旧小区改造", "养老 服务", "充电桩"]
FALLBACK_INDICATORS = ["科技型企业", "高新技术企业", "充电桩"]
DATASETTE_COLUMNS = [
    "kind", "title", "index_no", "doc_no", "genre", "publisher", "written_date", "published_date", "signed_date",
    "signatory", "source", "proposal_id",
]  # fmt: skip
SAMPLE = 500
"""Distinct paths per scenario (ids, numbers), cycled through by the load generator."""


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    paths: list[str]


def _q(params: dict[str, str | int]) -> str:
    return urlencode(params, quote_via=quote)


def scenarios(sqlite_path: Path) -> list[Scenario]:
    """Our API's scenarios, with paths drawn from the database (deterministically)."""
    connection = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        ids = [
            row[0] for row in connection.execute("SELECT id FROM document ORDER BY id % 7919, id LIMIT ?", (SAMPLE,))
        ]
        numbers = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT number FROM proposal WHERE number IS NOT NULL ORDER BY id % 7919, id LIMIT ?",
                (SAMPLE,),
            )
        ]
        indicators = [
            row[0]
            for row in connection.execute(
                "SELECT indicator FROM metric GROUP BY indicator ORDER BY count(*) DESC, indicator LIMIT 20"
            )
        ] or FALLBACK_INDICATORS
    finally:
        connection.close()
    lists = list_params(sqlite_path)
    facets = [{"genre": g, "facet": "publisher", "limit": 20} for g in GENRES]
    return [
        Scenario("list", "filtered + sorted list", [f"/documents?{_q(p)}" for p in lists]),
        Scenario(
            "list_include",
            "the same list with include=proposal,metrics",
            [f"/documents?{_q({**p, 'include': 'proposal,metrics'})}" for p in lists],
        ),
        Scenario("detail", "document detail", [f"/documents/{i}" for i in ids]),
        Scenario("search", "full-text search", [f"/documents?{_q({'q': w, 'limit': 20})}" for w in SEARCH_WORDS]),
        Scenario(
            "search_common",
            "search for a common two-character word (科技)",
            [f"/documents?{_q({'q': '科技', 'limit': 20})}"],
        ),
        Scenario("facets", "list with facet=publisher", [f"/documents?{_q(p)}" for p in facets]),
        Scenario("proposal", "proposal by number", [f"/proposals?{_q({'number': n})}" for n in numbers or ["0001"]]),
        Scenario("series", "metric series", [f"/metrics/series?{_q({'indicator': i})}" for i in indicators]),
        Scenario("health", "health", ["/health"]),
    ]


def list_params(sqlite_path: Path) -> list[dict[str, str | int]]:
    """The list's requests: a genre and a different `published_to` each, so no two are the same
    request (a cache of rendered pages or of query results gains nothing), from dates in the data."""
    connection = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        dates = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT published_date FROM document WHERE published_date IS NOT NULL"
                " ORDER BY published_date DESC LIMIT ?",
                (SAMPLE,),
            )
        ] or ["2030-01-01"]
    finally:
        connection.close()
    return [
        {"genre": GENRES[i % len(GENRES)], "published_to": str(day), "sort": "-published_date", "limit": 20}
        for i, day in enumerate(dates)
    ]


def floor_paths(sqlite_path: Path) -> list[str]:
    return [
        f"/documents?{_q({'genre': p['genre'], 'published_to': p['published_to'], 'limit': 20})}"
        for p in list_params(sqlite_path)
    ]


def datasette_paths(database: str, sqlite_path: Path) -> list[str]:
    paths = []
    for p in list_params(sqlite_path):
        params: list[tuple[str, str | int]] = [
            ("genre", p["genre"]), ("published_date__lte", p["published_to"]), ("_sort_desc", "published_date"),
            ("_size", 20), ("_shape", "objects"), ("_nocount", 1), ("_nofacet", 1),
            *(("_col", c) for c in DATASETTE_COLUMNS),
        ]  # fmt: skip
        paths.append(f"/{database}/document.json?{urlencode(params, quote_via=quote)}")
    return paths


# --- Servers -------------------------------------------------------------------------------------


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) of process `pid` so far, from /proc; 0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str


@contextmanager
def serve(
    which: str, port: int, *, database_url: str | None = None, sqlite_path: Path | None = None
) -> Iterator[Server]:
    """Start `python -m benchmarks.serve WHICH` and wait for it to answer; stop it afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in ("RATE_LIMIT_PER_MINUTE",)}
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "benchmarks.serve", which, "--port", str(port)]
    if sqlite_path:
        command += ["--sqlite", str(sqlite_path)]
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    process = subprocess.Popen(command, env=env, cwd=root)  # noqa: S603 - our own module
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        _wait_until_up(server, "/-/versions.json" if which == "datasette" else "/health")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: Server, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode} before answering")
        try:
            with urllib.request.urlopen(server.base_url + path, timeout=2):  # noqa: S310 - loopback
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"server at {server.base_url} did not answer {path} within {timeout:.0f} s")


def probe(base_url: str, path: str) -> tuple[int, int]:
    """(status, body bytes) of one GET."""
    try:
        with urllib.request.urlopen(base_url + path, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, len(exc.read())


def measure(server: Server, paths: list[str], *, seconds: float, warmup: float, tool: str) -> dict[str, Any]:
    """Probe the first path, then load the server; with the CPU share of server and load generator."""
    status, size = probe(server.base_url, paths[0])
    if status in (404, 405, 422):
        return {"available": False, "status": status}
    if warmup > 0:
        run_load(server.base_url, paths, seconds=warmup, tool=tool)
    server_cpu = _cpu_of(server.process.pid)
    client_cpu = _children_cpu()
    started = time.perf_counter()
    result = run_load(server.base_url, paths, seconds=seconds, tool=tool).as_dict()
    elapsed = time.perf_counter() - started
    result.update(
        available=True,
        status=status,
        body_bytes=size,
        server_cpu_share=round((_cpu_of(server.process.pid) - server_cpu) / elapsed, 2),
        client_cpu_share=round((_children_cpu() - client_cpu) / elapsed, 2) if result["tool"] == "wrk" else None,
    )
    return result


LADDER = (("fastapi", "FastAPI + sqlite3 list"), ("fastapi_sqlalchemy", "FastAPI + SQLAlchemy Core list"))
"""The stack's own layers between the floor and the API (benchmarks/ladder.py)."""


def run_api_benchmark(
    sqlite_path: Path, *, seconds: float, warmup: float, tool: str, datasette: bool, port: int = 8311
) -> dict[str, Any]:
    """Every scenario against our API, then the list against the floor and Datasette."""
    results: dict[str, Any] = {}
    # Datasette opens the file immutable and would not see pages still in the WAL.
    with contextlib.closing(sqlite3.connect(sqlite_path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def timed(server: Server, label: str, paths: list[str]) -> dict[str, Any]:
        return {"label": label, **measure(server, paths, seconds=seconds, warmup=warmup, tool=tool)}

    with serve("api", port, database_url=f"sqlite:///{sqlite_path}") as server:
        for scenario in scenarios(sqlite_path):
            results[scenario.name] = timed(server, scenario.label, scenario.paths)
    with serve("floor", port + 1, sqlite_path=sqlite_path) as server:
        results["floor_list"] = timed(server, "bare floor list", floor_paths(sqlite_path))
        results["floor_health"] = timed(server, "bare floor health", ["/health"])
    for offset, (rung, label) in enumerate(LADDER, start=3):
        with serve(rung, port + offset, sqlite_path=sqlite_path) as server:
            results[f"{rung}_list"] = timed(server, label, floor_paths(sqlite_path))
    if datasette:
        with serve("datasette", port + 2, sqlite_path=sqlite_path) as server:
            results["datasette_list"] = timed(server, "Datasette list", datasette_paths(sqlite_path.stem, sqlite_path))
    else:
        results["datasette_list"] = {"label": "Datasette list", "available": False, "status": "not installed"}
    return results


def run_postgres_benchmark(
    database_url: str, sqlite_path: Path, *, seconds: float, warmup: float, tool: str, port: int = 8331
) -> dict[str, Any]:
    """The list on PostgreSQL: our API and the psycopg floor running the same SQL, the paths of
    the SQLite file holding the same corpus."""
    paths = [f"/documents?{_q(p)}" for p in list_params(sqlite_path)]
    results: dict[str, Any] = {}
    with serve("api", port, database_url=database_url) as server:
        results["list"] = {
            "label": "filtered + sorted list",
            **measure(server, paths, seconds=seconds, warmup=warmup, tool=tool),
        }
    with serve("floor_pg", port + 1, database_url=database_url) as server:
        results["floor_list"] = {
            "label": "bare floor list (psycopg)",
            **measure(server, floor_paths(sqlite_path), seconds=seconds, warmup=warmup, tool=tool),
        }
    return results
