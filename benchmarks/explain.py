"""Where a request's time goes: for each API scenario, in process, the SQL statements it runs
(count, so N+1 shows), the time inside the database, the whole request's time, and SQLite's
query plan of each statement (so a scan or a temporary sort shows).

    python -m benchmarks.explain /tmp/replies-bench/sqlite/replies.db [--plans]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.api import scenarios

REPEAT = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.explain", description=__doc__.splitlines()[0])
    parser.add_argument("sqlite", type=Path, help="an ingested SQLite file")
    parser.add_argument("--plans", action="store_true", help="print each statement's query plan")
    args = parser.parse_args(argv)

    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from app.api.app import create_app
    from app.db.engine import build_engine

    engine = build_engine(f"sqlite:///{args.sqlite}")
    statements: list[tuple[str, Any, float]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        statements.append((statement, parameters, time.perf_counter() - conn.info["started"]))

    client = TestClient(create_app(engine))
    print(f"{'scenario':<10} {'statements':>10} {'sql ms':>8} {'request ms':>11} {'bytes':>7}  status")
    for scenario in scenarios(args.sqlite):
        path = scenario.paths[0]
        client.get(path)  # warm caches
        totals, sqls = [], []
        for _ in range(REPEAT):
            statements.clear()
            started = time.perf_counter()
            response = client.get(path)
            totals.append(time.perf_counter() - started)
            sqls.append(sum(s[2] for s in statements))
        print(
            f"{scenario.name:<10} {len(statements):>10} {statistics.median(sqls) * 1000:>8.2f} "
            f"{statistics.median(totals) * 1000:>11.2f} {len(response.content):>7}  {response.status_code} {path[:60]}"
        )
        if args.plans:
            ran = list(statements)  # the EXPLAINs below are recorded too
            with engine.connect() as connection:
                for statement, parameters, seconds in ran:
                    plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                    print(f"    {seconds * 1000:7.2f} ms  {' '.join(statement.split())[:160]}")
                    for row in plan:
                        print(f"               {row[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
