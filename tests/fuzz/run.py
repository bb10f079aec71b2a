"""Fuzz every GET endpoint with thousands of generated cases on SQLite and PostgreSQL.

    python -m tests.fuzz.run [--cases-per-operation 700] [--postgres-url URL]

Seeds are ingested into a fresh database of each kind; the report gives, per database, the cases
run, server errors, schema mismatches and undocumented status codes (all must be 0).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.api.app import create_app
from app.db.engine import build_engine
from app.db.migrate import migrate
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.fuzz.engine import fuzz_get_endpoints

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases-per-operation", type=int, default=700)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    admin = create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
    database = f"replies_fuzz_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    urls = {
        "sqlite": f"sqlite:///{tempfile.mkdtemp()}/fuzz.db",
        "postgresql": make_url(args.postgres_url).set(database=database).render_as_string(hide_password=False),
    }
    clean = True
    try:
        for backend, url in urls.items():
            engine = build_engine(url)
            migrate(engine)
            run_ingest(engine, find_sources([SEEDS]))
            started = time.monotonic()
            report = fuzz_get_endpoints(create_app(engine), args.cases_per_operation)
            kinds = {kind: sum(kind in f for f in report.failures) for kind in ("ServerError", "Undefined", "Schema")}
            print(
                f"{backend}: {report.cases} cases over {len(report.per_operation)} GET operations "
                f"in {time.monotonic() - started:.0f} s; findings: {len(report.failures)} "
                f"(server errors {kinds['ServerError']}, undocumented status {kinds['Undefined']}, "
                f"schema mismatches {kinds['Schema']})"
            )
            for failure in report.failures[:20]:
                print("   ", failure)
            clean &= not report.failures
            engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
