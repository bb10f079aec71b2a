"""Helpers shared by the tests: paths, databases on both backends, assertions on responses, recorded
statements, paging, a served app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from app.api.deps import app_reader
from app.db.engine import build_engine
from app.schemas.common import Problem

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


class PostgresServer:
    """Creates and drops throwaway databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        self.created: list[str] = []

    def new_database(self) -> str:
        name = f"replies_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def new_engine(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Engine:
    """A fresh database: a SQLite file under `tmp_path`, or a new database on the PostgreSQL server."""
    if backend == "sqlite":
        return build_engine(f"sqlite:///{tmp_path / 'replies.db'}")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return build_engine(server.new_database())


def assert_problem(resp: httpx.Response, status: int, param: str | None = None) -> Problem:
    """The response is a problem+json body with `status`, naming `param` when one is given."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = Problem.model_validate(resp.json())
    assert problem.status == status
    if param is not None:
        assert param in [e.param for e in problem.errors], problem
    return problem


@dataclass
class Statements:
    """The SQL an app ran, and how many times it read the data version (the reader counts it)."""

    all: list[str] = field(default_factory=list)
    version_reads: int = 0

    @property
    def queries(self) -> list[str]:
        """Statements other than transaction control and a read of the data version alone (a list
        page's statement reads it too, as one of its columns: that one counts as the page)."""
        return [
            s
            for s in self.all
            if s.split(None, 1)[0].upper() not in CONTROL
            and not _version_alone(s)
            and not s.startswith("--")  # SQLite traces an FTS5 index's own lookups as comments
        ]


CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def _version_alone(statement: str) -> bool:
    return " ".join(statement.split()).startswith(
        ("SELECT data_version.version FROM data_version", "SELECT version FROM data_version")
    )


@contextmanager
def recorded_statements(client: Any) -> Iterator[Statements]:
    """Every statement the client's app runs inside the block: as SQLite's driver traces them on
    the read path's connection, or on PostgreSQL as the read path's asyncio engine runs them."""
    reader = app_reader(client.app)
    recorded = Statements()
    versions = reader.version_reads

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        recorded.all.append(statement)

    if reader.dialect == "sqlite":
        driver = reader.driver_connection()
        driver.set_trace_callback(recorded.all.append)
        try:
            yield recorded
        finally:
            driver.set_trace_callback(None)
            recorded.version_reads = reader.version_reads - versions
        return
    engine = reader.executing_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield recorded
    finally:
        event.remove(engine, "before_cursor_execute", record)
        recorded.version_reads = reader.version_reads - versions


def all_items(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list endpoint, following next_cursor to the end."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        resp = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(
    env: Mapping[str, str | None],
    stderr: int = subprocess.DEVNULL,
    command: Sequence[str] = ("-m", "app", "serve", "--port"),
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """(origin, process) of Python running `command`'s arguments and a free port after them (by
    default `python -m app serve --port N`), with `env` over this process's environment (None:
    unset), once it answers /health; ended (and waited for) when the block ends."""
    port = free_port()
    environment = {**os.environ, **env}
    server = subprocess.Popen(
        [sys.executable, *command, str(port)],
        cwd=ROOT,
        env={name: value for name, value in environment.items() if value is not None},
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(origin + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        yield origin, server
    finally:
        server.terminate()
        server.wait(timeout=30)
