"""Reading for requests without the thread pool: one snapshot per response, awaited on PostgreSQL,
run in place on SQLite.

A request's statements are the same Selects on both databases; only how they run differs. SQLite
answers a page read off an index in well under a millisecond, less than a hop to a worker thread
costs, so statements run on the event loop (as Datasette's `num_sql_threads 0`); a snapshot is
opened, read and closed without an `await` in between, so the loop never holds two of them and
never waits for a pooled connection. PostgreSQL is a network round trip away: statements go
through SQLAlchemy's asyncio engine on psycopg's async mode and never block the loop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Row, Select, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import Executable

from app.db.engine import snapshot_reads
from app.db.models import DataVersion

Params = Mapping[str, Any]
AnyRow = Row[*tuple[Any, ...]]
AnySelect = Select[*tuple[Any, ...]]

DATA_VERSION = select(DataVersion.version).where(DataVersion.id == 1)
DATA_VERSION_SQL = "SELECT version FROM data_version WHERE id = 1"
PING = select(1)


class Snapshot:
    """One committed state of the database: every statement of a response runs here."""

    def __init__(self, connection: Connection | AsyncConnection) -> None:
        self._connection = connection

    async def rows(self, stmt: Executable, params: Params | None = None) -> Sequence[AnyRow]:
        if isinstance(self._connection, Connection):
            return self._connection.execute(stmt, params or {}).all()
        return (await self._connection.execute(stmt, params or {})).all()

    async def first(self, stmt: Executable, params: Params | None = None) -> AnyRow | None:
        rows = await self.rows(stmt, params)
        return rows[0] if rows else None

    async def scalar(self, stmt: Executable, params: Params | None = None) -> Any:
        row = await self.first(stmt, params)
        return row[0] if row is not None else None


class Reader:
    """Where requests read from: the app's engine, and on PostgreSQL its asyncio twin."""

    def __init__(self, engine: Engine) -> None:
        self.engine = snapshot_reads(engine)
        self.dialect = engine.dialect.name
        self._aio: AsyncEngine | None = None
        self._on_loop: Connection | None = None
        self._autocommit: AsyncEngine | None = None
        self.version_reads = 0
        """How many times the data version was read (tests check it is once per request)."""
        if self.dialect == "postgresql":
            pool = engine.pool
            self._aio = create_async_engine(
                engine.url,
                isolation_level="REPEATABLE READ",  # every statement of a response sees one commit
                # No ping before each checkout (a round trip per statement group): after a server
                # restart the first statement on a dead connection fails, which invalidates the
                # whole pool, so one request answers 503 and the next ones reconnect.
                pool_pre_ping=False,
                pool_size=pool.size(),  # type: ignore[attr-defined]
                max_overflow=pool._max_overflow,  # type: ignore[attr-defined]
                pool_timeout=pool._timeout,  # type: ignore[attr-defined]
                connect_args={"connect_timeout": max(1, int(pool._timeout))},  # type: ignore[attr-defined]
                json_deserializer=orjson.loads,
            )
            # A lone SELECT (the data version, a ping) needs no BEGIN and COMMIT round trips.
            self._autocommit = self._aio.execution_options(isolation_level="AUTOCOMMIT")

    @asynccontextmanager
    async def snapshot(self, *, one_statement: bool = False) -> AsyncIterator[Snapshot]:
        """A read-only transaction, rolled back at the end. On SQLite the caller must not await
        anything but this snapshot's own statements inside it (see the module's docstring).
        `one_statement`: the caller runs a single statement, which is a snapshot by itself; on
        PostgreSQL it then runs in autocommit, without the BEGIN and COMMIT round trips."""
        if one_statement and self._autocommit is not None:
            async with self._autocommit.connect() as aconnection:
                yield Snapshot(aconnection)
            return
        if self._aio is None:
            # The engine's `begin` hook issues BEGIN: all statements read one snapshot.
            with self._loop_connection().begin() as transaction:
                yield Snapshot(transaction.connection)
            return
        async with self._aio.connect() as aconnection, aconnection.begin():
            yield Snapshot(aconnection)

    @property
    def executing_engine(self) -> Engine:
        """The engine whose connections run the statements (the one to listen to for events)."""
        return self._aio.sync_engine if self._aio is not None else self.engine

    def _loop_connection(self) -> Connection:
        """SQLite: the one connection the event loop reads on. Snapshots on the loop never overlap
        (inside one, nothing is awaited but its own statements, which do not yield), so a single
        connection serves them all, without a checkout from the pool and a reset per request."""
        connection = self._on_loop
        if connection is None or connection.closed or connection.invalidated:
            connection = self._on_loop = self.engine.connect()
        return connection

    async def ping(self) -> None:
        """Ask the database for nothing; raises SQLAlchemyError when it does not answer."""
        if self._aio is None:
            connection = self._loop_connection()
            if not connection.in_transaction():
                _on_driver(connection, "SELECT 1")
                return
        await self._alone(PING)

    async def data_version(self) -> int:
        """The data version now: one statement, outside any response's snapshot."""
        self.version_reads += 1
        if self._aio is None:
            connection = self._loop_connection()
            if not connection.in_transaction():
                rows = _on_driver(connection, DATA_VERSION_SQL)
                return int(rows[0][0]) if rows else 0
        return int(await self._alone(DATA_VERSION) or 0)

    async def _alone(self, stmt: Executable) -> Any:
        """The first value of `stmt`, run alone in autocommit (PostgreSQL), else in a snapshot."""
        if self._autocommit is None:
            async with self.snapshot() as snapshot:
                return await snapshot.scalar(stmt)
        async with self._autocommit.connect() as connection:
            return (await connection.execute(stmt)).scalar()

    async def dispose(self) -> None:
        if self._on_loop is not None:
            self._on_loop.close()
            self._on_loop = None
        if self._aio is not None:
            await self._aio.dispose()


def _on_driver(connection: Connection, sql: str) -> list[Any]:
    """`sql` on SQLite's own connection, in autocommit: a lone SELECT is its own snapshot, without
    the BEGIN and COMMIT of a SQLAlchemy transaction. Its errors are SQLAlchemy's, as elsewhere."""
    try:
        rows: list[Any] = connection.connection.driver_connection.execute(sql).fetchall()  # type: ignore[union-attr]
    except sqlite3.Error as exc:
        raise OperationalError(sql, None, exc) from exc
    return rows
