"""Engine and sessions for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import get_settings

log = logging.getLogger("app.db")


def build_engine(url: str, *, timeout_seconds: float = 5.0, pool_size: int = 20) -> Engine:
    """An engine with the settings each database needs to be safe under concurrent readers.

    Connections beyond `pool_size` are opened for one request and closed after it: on SQLite
    that costs reading the schema again (milliseconds), so the pool should hold as many as
    there are concurrent requests."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        in_memory = database in (None, "", ":memory:")
        if database and not in_memory:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # An in-memory database lives in one connection per thread (SQLAlchemy's own pool for it).
        pooling = (
            {} if in_memory else {"pool_size": pool_size, "max_overflow": pool_size, "pool_timeout": timeout_seconds}
        )
        engine = create_engine(
            url,
            connect_args={"timeout": timeout_seconds, "check_same_thread": False},
            json_deserializer=orjson.loads,  # list items' JSON columns, several times faster than json.loads
            **pooling,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,  # a restarted server leaves dead pooled connections behind
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=timeout_seconds,
        connect_args={"connect_timeout": max(1, int(timeout_seconds))},
        json_deserializer=orjson.loads,
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module opens a transaction only before a write, so each SELECT of a request would
    # read its own snapshot. We take over: no implicit BEGINs, and an explicit one per transaction
    # (`_sqlite_begin`), so every statement of a transaction reads one snapshot.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the API read while an ingest writes; foreign keys make ON DELETE CASCADE real.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


WAL_RESTART_FRAMES = 16384
"""Past this many frames (64 MiB of 4 KiB pages) a writer waits for readers to let the WAL restart."""


CHECKPOINT_WAIT_MS = 1000
"""How long a restart or truncation waits for readers. It holds the write lock meanwhile, and an
export keeps one snapshot for minutes, so the wait is bounded (a restart is tried again after the
next batch); a second covers the slowest ordinary request (a facet over 88,000 rows, ~0.4 s)."""


def limit_wal(engine: Engine, *, truncate: bool = False) -> None:
    """Keep SQLite's write-ahead log short while a job writes: call after each commit.

    SQLite checkpoints after commits, but while readers keep arriving some reader always holds an
    older snapshot, the log is never wholly copied back, and it grows by every page written: 1 GB
    for 1,000 documents re-ingested under load. Every page a reader looks up is searched for in
    the log's index, so reads slowed by half until the next write. Past WAL_RESTART_FRAMES this waits
    briefly for readers to move to the newest snapshot, copies the log back and starts it over;
    with `truncate` (a job's end) it also gives the file's space back. Does nothing on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    try:
        connection = engine.raw_connection()
    except Exception as exc:  # a checkpoint is housekeeping: never the reason a job fails
        log.warning("WAL checkpoint skipped: %s", exc)
        return
    try:
        # On the DBAPI connection: in autocommit, outside any transaction of ours.
        cursor = connection.cursor()
        _, frames, _ = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if truncate or frames > WAL_RESTART_FRAMES:
            timeout_ms = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
            try:
                cursor.execute(f"PRAGMA wal_checkpoint({'TRUNCATE' if truncate else 'RESTART'})").fetchone()
            finally:
                cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")  # the connection goes back to the pool
        cursor.close()
    except sqlite3.Error as exc:
        log.warning("WAL checkpoint skipped: %s", exc)
    finally:
        connection.close()


_SNAPSHOT_ENGINES: dict[Engine, Engine] = {}


def snapshot_reads(engine: Engine) -> Engine:
    """`engine` for requests that read: on PostgreSQL each transaction is REPEATABLE READ, so all
    the queries of one response see the same committed state, never half of a re-ingest.
    (SQLite transactions already read one snapshot, see `_sqlite_pragmas`.)"""
    if engine.dialect.name != "postgresql":
        return engine
    if engine not in _SNAPSHOT_ENGINES:
        _SNAPSHOT_ENGINES[engine] = engine.execution_options(isolation_level="REPEATABLE READ")
    return _SNAPSHOT_ENGINES[engine]


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return build_engine(
        settings.database_url,
        timeout_seconds=settings.database_timeout_seconds,
        pool_size=settings.database_pool_size,
    )


@lru_cache
def _session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def read_session(engine: Engine) -> Session:
    """A session for reading only: its transaction is rolled back when it closes, never committed."""
    return _session_factory(engine)()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session whose work is committed together or not at all."""
    session = _session_factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
