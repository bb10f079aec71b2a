"""Reading for requests without the thread pool: one snapshot per response, awaited on PostgreSQL,
run in place on SQLite.

A request's statements are the same Selects on both databases; only how they run differs. SQLite
answers a page read off an index in well under a millisecond, less than a hop to a worker thread
costs, so statements run on the event loop (as Datasette's `num_sql_threads 0`); a snapshot is
opened, read and closed without an `await` in between, so the loop never holds two of them and
never waits for a pooled connection. There each Select is compiled once and its SQL run on the
sqlite3 connection itself: SQLAlchemy's execution around a prebuilt statement costs more than
SQLite's own work for a page (benchmarks/README.md). PostgreSQL is a network round trip away:
statements go through SQLAlchemy's asyncio engine on psycopg's async mode and never block the loop.
"""

from __future__ import annotations

import re
import sqlite3
import weakref
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import orjson
from sqlalchemy import Connection, Dialect, Engine, Row, Select, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import Executable

from app.db.engine import snapshot_reads
from app.db.models import DataVersion

Params = Mapping[str, Any]
AnySelect = Select[*tuple[Any, ...]]

DATA_VERSION = select(DataVersion.version).where(DataVersion.id == 1)
DATA_VERSION_SQL = "SELECT version FROM data_version WHERE id = 1"
PING = select(1)


class Record(tuple[Any, ...]):
    """A row read on SQLite's driver: a tuple whose columns also read by name, as a SQLAlchemy
    `Row`'s do. Each compiled statement has its own subclass, naming its columns."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._index[name]]
        except KeyError:
            raise AttributeError(name) from None

    def _asdict(self) -> dict[str, Any]:
        return {name: self[i] for name, i in self._index.items()}


AnyRow = Row[*tuple[Any, ...]] | Record
"""A row as the read path gives it: SQLAlchemy's on PostgreSQL, a `Record` on SQLite."""


_EXPANDING = re.compile(r"__\[POSTCOMPILE_(\w+)\]")
"""Where SQLAlchemy leaves an expanding IN's list to be rendered at execution."""

Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class DriverStatement:
    """A statement compiled once for SQLite: its SQL, how each of its `?` is valued from a
    request's parameters, and what turns each stored value into the one SQLAlchemy would give
    (ISO text into a date, JSON text into a list)."""

    sql: str
    compiled: Any
    """SQLAlchemy's compiled form: it fills in the parameters the statement itself holds."""
    positions: tuple[tuple[str, Convert | None, bool], ...]
    """Each parameter in the order of the SQL's `?`: its name, its bind conversion, and whether it
    is an expanding IN's list (one `?` per item)."""
    conversions: tuple[tuple[int, Convert], ...]
    record: type[Record]
    expanded: dict[tuple[int, ...], str]
    """The SQL for each combination of list lengths seen (an IN of one name, of two, …)."""

    @classmethod
    def compile(cls, stmt: Executable, dialect: Dialect) -> DriverStatement | None:
        """None for a statement whose SQL holds values (literal_execute), or whose columns are not
        known before it runs."""
        compiled: Any = stmt.compile(dialect=dialect)  # type: ignore[attr-defined]
        columns = getattr(stmt, "selected_columns", None)
        if compiled.literal_execute_params or columns is None:
            return None
        expanding = {bind.key for bind in compiled.post_compile_params}
        positions = tuple(
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect), name in expanding)
            for name in compiled.positiontup or ()
        )
        conversions = []
        for i, column in enumerate(columns):
            convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if convert is not None:
                conversions.append((i, convert))
        index: dict[str, int] = {}
        for i, name in enumerate(columns.keys()):
            index.setdefault(name, i)
        record = type("Record", (Record,), {"__slots__": (), "_index": index})
        return cls(compiled.string, compiled, positions, tuple(conversions), record, {})

    def bound(self, params: Params) -> tuple[str, list[Any]]:
        """The SQL to run with `params`, and its positional values."""
        given = self.compiled.construct_params(params)
        values: list[Any] = []
        lengths: list[int] = []
        for name, bind, expanding in self.positions:
            value = given[name]
            if expanding:
                lengths.append(len(value))
                values.extend(value if bind is None else map(bind, value))
            else:
                values.append(value if bind is None else bind(value))
        if not lengths:
            return self.sql, values
        key = tuple(lengths)
        sql = self.expanded.get(key)
        if sql is None:
            counts = iter(key)
            # An empty list matches nothing (and NOT IN it, everything), as SQLAlchemy renders it.
            sql = self.expanded[key] = _EXPANDING.sub(
                lambda _m: ", ".join("?" * n) if (n := next(counts)) else "SELECT 1 WHERE 0", self.sql
            )
        return sql, values

    def records(self, fetched: list[tuple[Any, ...]]) -> list[Record]:
        record, conversions = self.record, self.conversions
        if not conversions:
            return [record(row) for row in fetched]
        converted = []
        for row in fetched:
            values = list(row)
            for i, convert in conversions:
                values[i] = convert(values[i])
            converted.append(record(values))
        return converted


class Snapshot:
    """One committed state of the database: every statement of a response runs here."""

    async def rows(self, stmt: Executable, params: Params | None = None) -> Sequence[AnyRow]:
        raise NotImplementedError

    async def first(self, stmt: Executable, params: Params | None = None) -> AnyRow | None:
        rows = await self.rows(stmt, params)
        return rows[0] if rows else None

    async def scalar(self, stmt: Executable, params: Params | None = None) -> Any:
        row = await self.first(stmt, params)
        return row[0] if row is not None else None


class _AsyncSnapshot(Snapshot):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def rows(self, stmt: Executable, params: Params | None = None) -> Sequence[AnyRow]:
        return (await self._connection.execute(stmt, params or {})).all()


class _DriverSnapshot(Snapshot):
    """SQLite: statements run on the sqlite3 connection, in place (nothing here awaits)."""

    def __init__(self, reader: Reader, driver: sqlite3.Connection) -> None:
        self._reader = reader
        self._driver = driver

    async def rows(self, stmt: Executable, params: Params | None = None) -> Sequence[AnyRow]:
        compiled = self._reader.driver_statement(stmt)
        sql, values = compiled.bound(params or {})
        return compiled.records(_on_driver(self._driver, sql, values))


class Reader:
    """Where requests read from: the app's engine, and on PostgreSQL its asyncio twin."""

    def __init__(self, engine: Engine) -> None:
        self.engine = snapshot_reads(engine)
        self.dialect = engine.dialect.name
        self._aio: AsyncEngine | None = None
        self._on_loop: Connection | None = None
        self._compiled: weakref.WeakKeyDictionary[Executable, DriverStatement] = weakref.WeakKeyDictionary()
        self._autocommit: AsyncEngine | None = None
        self.version_reads = 0
        """How many times the data version was read (tests check it is once per request)."""
        self.learned: dict[Any, tuple[int, Any]] = {}
        """What a statement reported about the data for the next ones, with the data version it held
        at (a common word's document count, `app.db.queries.search.remember_word_count`)."""
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
        `one_statement`: the caller runs a single statement, which is a snapshot by itself, so it
        runs in autocommit, without BEGIN and its end (round trips on PostgreSQL)."""
        if self._aio is None:
            driver = self._driver()
            if one_statement:
                yield _DriverSnapshot(self, driver)
                return
            _on_driver(driver, "BEGIN")  # all statements until the ROLLBACK read one snapshot
            try:
                yield _DriverSnapshot(self, driver)
            finally:
                if driver.in_transaction:
                    _on_driver(driver, "ROLLBACK")
            return
        if one_statement and self._autocommit is not None:
            async with self._autocommit.connect() as aconnection:
                yield _AsyncSnapshot(aconnection)
            return
        async with self._aio.connect() as aconnection, aconnection.begin():
            yield _AsyncSnapshot(aconnection)

    @property
    def executing_engine(self) -> Engine:
        """PostgreSQL: the engine whose connections run the statements (the one to listen to for
        events). SQLite's statements go to `driver_connection()`, past SQLAlchemy's events."""
        return self._aio.sync_engine if self._aio is not None else self.engine

    def driver_connection(self) -> sqlite3.Connection:
        """SQLite: the sqlite3 connection the event loop reads on (to trace what it runs)."""
        return self._driver()

    def driver_statement(self, stmt: Executable) -> DriverStatement:
        """`stmt` compiled for SQLite's driver, once: statements are built once and reused, so
        each is compiled the first time it runs and kept while it exists."""
        try:
            return self._compiled[stmt]
        except KeyError:
            pass
        compiled = DriverStatement.compile(stmt, self.engine.dialect)
        if compiled is None:
            raise TypeError(f"the read path cannot run this statement on SQLite's driver: {stmt}")
        self._compiled[stmt] = compiled
        return compiled

    def _driver(self) -> sqlite3.Connection:
        """SQLite: the one connection the event loop reads on. Snapshots on the loop never overlap
        (inside one, nothing is awaited but its own statements, which do not yield), so a single
        connection serves them all, without a checkout from the pool and a reset per request."""
        connection = self._on_loop
        if connection is None or connection.closed or connection.invalidated:
            connection = self._on_loop = self.engine.connect()
        driver: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
        return driver

    async def ping(self) -> None:
        """Ask the database for nothing; raises SQLAlchemyError when it does not answer."""
        if self._aio is None:
            _on_driver(self._driver(), "SELECT 1")
            return
        await self._alone(PING)

    async def data_version(self) -> int:
        """The data version now: one statement, outside any response's snapshot."""
        self.version_reads += 1
        if self._aio is None:
            rows = _on_driver(self._driver(), DATA_VERSION_SQL)
            return int(rows[0][0]) if rows else 0
        return int(await self._alone(DATA_VERSION) or 0)

    async def _alone(self, stmt: Executable) -> Any:
        """PostgreSQL: the first value of `stmt`, run alone in autocommit."""
        if self._autocommit is None:
            raise RuntimeError("only PostgreSQL's reads run through the asyncio engine")
        async with self._autocommit.connect() as connection:
            return (await connection.execute(stmt)).scalar()

    async def dispose(self) -> None:
        if self._on_loop is not None:
            self._on_loop.close()
            self._on_loop = None
        if self._aio is not None:
            await self._aio.dispose()


def _on_driver(driver: sqlite3.Connection, sql: str, values: Sequence[Any] = ()) -> list[Any]:
    """`sql` on SQLite's own connection (in autocommit unless a snapshot's BEGIN ran). Its errors
    are SQLAlchemy's, as everywhere else, so the API answers for them the same way."""
    try:
        return driver.execute(sql, values).fetchall()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, values, exc, sqlite3.Error) from exc
