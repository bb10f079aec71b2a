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
from sqlalchemy import Connection, Engine, create_engine, event, text
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


def limit_wal(engine: Engine, *, truncate: bool = False, bulk: bool = False) -> None:
    """Keep SQLite's write-ahead log short while a job writes: call after each commit.

    SQLite checkpoints after commits, but while readers keep arriving some reader always holds an
    older snapshot, the log is never wholly copied back, and it grows by every page written: 1 GB
    for 1,000 documents re-ingested under load. Every page a reader looks up is searched for in
    the log's index, so reads slowed by half until the next write. Past WAL_RESTART_FRAMES this waits
    briefly for readers to move to the newest snapshot, copies the log back and starts it over;
    with `truncate` (a job's end) it also gives the file's space back. With `bulk` (a writer under
    `bulk_load`, which checkpoints on its own every BULK_CHECKPOINT_FRAMES) it looks only at the
    log file's size, and acts only when it has grown past twice that: readers kept it from being
    reset. Does nothing on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    if bulk and not truncate and _wal_bytes(engine) < 2 * BULK_CHECKPOINT_FRAMES * _WAL_FRAME_BYTES:
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
        if truncate or bulk or frames > WAL_RESTART_FRAMES:
            timeout_ms = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
            try:
                mode = "TRUNCATE" if truncate or bulk else "RESTART"  # bulk: the file's size is the measure
                cursor.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
            finally:
                cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")  # the connection goes back to the pool
        cursor.close()
    except sqlite3.Error as exc:
        log.warning("WAL checkpoint skipped: %s", exc)
    finally:
        connection.close()


BULK_CACHE_KIB = 65536
"""The page cache of an ingest's writer connection (64 MiB; SQLite's default is 2 MiB): a batch
updates pages all over a dozen indexes and the FTS index, and re-reading them was most of a write."""

BULK_CHECKPOINT_FRAMES = 8192
"""While a job writes, SQLite checkpoints (on commit) once the log holds this many frames (32 MiB),
not SQLite's default 1,000: a page that every batch changes (an index's, the FTS index's) is then
copied into the database once per checkpoint, not once per batch."""


@contextmanager
def bulk_load(connection: Connection) -> Iterator[None]:
    """Tune `connection` (a job's writer) for bulk writes while the block runs, and hand its own
    settings back afterwards, since it returns to the pool. Does nothing on PostgreSQL."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver: Any = connection.connection.driver_connection  # the sqlite3 connection itself
    cache, checkpoint = (
        driver.execute(f"PRAGMA {name}").fetchone()[0] for name in ("cache_size", "wal_autocheckpoint")
    )
    driver.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    driver.execute(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_FRAMES}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size={int(cache)}")
        driver.execute(f"PRAGMA wal_autocheckpoint={int(checkpoint)}")
        driver.execute("PRAGMA shrink_memory")  # the cache's pages, back to the process


def settle_search_index(connection: Connection, *, changed: int) -> bool:
    """Merge the full-text index into one segment, in the caller's transaction, after a job that
    wrote a tenth or more of the documents. A bulk load leaves FTS5 a dozen segments, and a search
    that walks the documents in date order asks each of them about every document: one segment made
    that walk 2-6x faster at 100,000 documents. The merge rewrites the whole index (12 s at 100,000),
    so a job that changed a few letters leaves it to FTS5's own incremental merging. True if it merged.
    Does nothing on PostgreSQL."""
    if connection.dialect.name != "sqlite" or changed <= 0:
        return False
    stored = connection.execute(text("SELECT count(*) FROM document")).scalar_one()
    if changed * SETTLE_FRACTION < stored:
        return False
    connection.execute(text("INSERT INTO document_body_fts(document_body_fts) VALUES ('optimize')"))
    return True


SETTLE_FRACTION = 10
"""`settle_search_index` merges after a job that changed at least 1/SETTLE_FRACTION of the documents."""


_SNAPSHOT_ENGINES: dict[Engine, Engine] = {}


_WAL_FRAME_BYTES = 4096 + 24
"""A log frame: a page (4 KiB, SQLite's default) and its header."""


def _wal_bytes(engine: Engine) -> int:
    database = engine.url.database
    try:
        return Path(f"{database}-wal").stat().st_size if database else 0
    except OSError:
        return 0


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
