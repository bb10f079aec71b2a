"""Assertions shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import event

from app.api.deps import app_reader
from app.schemas.common import Problem


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
