"""Serve one of the contenders with one uvicorn worker and the same server settings
(no access log, warnings only), so the comparison is of the apps, not of their launchers.

    python -m benchmarks.serve api --port 8101          # app.main:app on DATABASE_URL
    python -m benchmarks.serve floor --port 8102 --sqlite /tmp/b.db
    python -m benchmarks.serve fastapi_sqlalchemy --port 8104 --sqlite /tmp/b.db   # benchmarks/ladder.py
    python -m benchmarks.serve datasette --port 8103 --sqlite /tmp/b.db

Datasette gets its best settings for this query: the file opened immutable (no change checks,
counts cached), no suggested facets, and `_nocount=1`, `_nofacet=1` and `_col=` in its URLs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn

SERVER_SETTINGS: dict[str, Any] = {"workers": 1, "access_log": False, "log_level": "warning", "server_header": False}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve", description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=["api", "floor", "floor_pg", "fastapi", "fastapi_sqlalchemy", "datasette"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sqlite", type=Path, help="the SQLite file (all but api)")
    args = parser.parse_args(argv)
    if args.which not in ("api", "floor_pg") and args.sqlite is None:
        parser.error(f"{args.which} needs --sqlite")
    target: Any
    if args.which == "api":
        target = "app.main:app"  # DATABASE_URL in the environment picks the database
    elif args.which == "floor":
        os.environ["FLOOR_SQLITE_PATH"] = str(args.sqlite)
        target = "benchmarks.floor:app"
    elif args.which == "floor_pg":
        os.environ["FLOOR_POSTGRES_URL"] = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        target = "benchmarks.floor:pg_app"
    elif args.which in ("fastapi", "fastapi_sqlalchemy"):
        os.environ["FLOOR_SQLITE_PATH"] = str(args.sqlite)
        target = f"benchmarks.ladder:{args.which}_app"
    else:
        from datasette.app import Datasette

        datasette = Datasette(
            immutables=[str(args.sqlite)],
            # num_sql_threads 0: its queries run on the event loop, its fastest for a page off an index.
            settings={"suggest_facets": False, "default_page_size": 20, "num_sql_threads": 0},
        )
        target = datasette.app()
    uvicorn.run(target, host="127.0.0.1", port=args.port, **SERVER_SETTINGS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
