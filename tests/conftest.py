"""Fixtures shared by the database and API tests: every such test runs on SQLite and PostgreSQL.

PostgreSQL comes from TEST_POSTGRES_URL (default: the local server, database `test`, used only to
create a fresh database per run). An unreachable server fails the run; set ALLOW_NO_POSTGRES=1 to
skip those tests instead on a machine without one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from app.api.app import create_app
from app.db.migrate import migrate
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import ADMIN_URL, BACKENDS, SEEDS, PostgresServer, new_engine

PER_TEST_TIMEOUT_SECONDS = 300
"""pytest-timeout fails a test that runs longer (a hang, not a slow test: the slowest take seconds);
a test may set its own limit with `@pytest.mark.timeout`."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(PER_TEST_TIMEOUT_SECONDS))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(ADMIN_URL)
    try:
        with server.admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        message = f"PostgreSQL at {ADMIN_URL} is unreachable: {exc.orig}"
        if os.environ.get("ALLOW_NO_POSTGRES") == "1":
            pytest.skip(message)
        pytest.fail(message + " (set ALLOW_NO_POSTGRES=1 to skip the PostgreSQL tests)", pytrace=False)
    yield server
    server.drop_all()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, migrated, empty database."""
    engine = new_engine(request.param, tmp_path, request)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database with the seed documents ingested, shared by the read-only API tests."""
    engine = new_engine(request.param, tmp_path_factory.mktemp(request.param), request)
    migrate(engine)
    summary = run_ingest(engine, find_sources([SEEDS]))
    assert summary.counts["failed"] == 0, summary.errors
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def client(seeded_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_engine)) as test_client:
        yield test_client
