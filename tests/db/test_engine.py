"""Engines for every kind of SQLite URL: a file keeps a pool as large as the concurrency, memory its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool, SingletonThreadPool

from app.db.engine import BULK_CACHE_KIB, BULK_CHECKPOINT_FRAMES, build_engine, bulk_load
from app.db.migrate import migrate
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_gets_sqlalchemys_own_pool(url: str) -> None:
    engine = build_engine(url, pool_size=7)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
    assert isinstance(engine.pool, SingletonThreadPool)


def test_a_file_database_keeps_pool_size_connections_open(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'sub' / 'replies.db'}", pool_size=7)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
    assert isinstance(engine.pool, QueuePool)
    assert engine.pool.size() == 7
    assert (tmp_path / "sub" / "replies.db").exists()


def test_an_ingest_leaves_the_write_ahead_log_empty(tmp_path: Path) -> None:
    """Readers search the log for every page they read, so a job hands it back when it ends."""
    database = tmp_path / "replies.db"
    engine = build_engine(f"sqlite:///{database}")
    migrate(engine)
    reader = engine.connect()  # an idle pooled reader does not hold the log
    summary = run_ingest(engine, find_sources([SEEDS]))
    assert summary.counts["added"] == 5
    assert Path(f"{database}-wal").stat().st_size == 0
    assert reader.execute(text("SELECT count(*) FROM document")).scalar() == 5
    reader.close()
    engine.dispose()


def test_an_ingest_hands_its_bulk_load_settings_back_to_the_connection_it_used(tmp_path: Path) -> None:
    """The writer's large page cache and rarer checkpoints last as long as the job: its pooled
    connection serves requests afterwards with SQLite's defaults."""
    engine = build_engine(f"sqlite:///{tmp_path / 'replies.db'}", pool_size=1)
    migrate(engine)

    def settings() -> tuple[int, int]:
        with engine.connect() as connection:
            return (
                connection.exec_driver_sql("PRAGMA cache_size").scalar_one(),
                connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one(),
            )

    before = settings()
    seen_during: list[tuple[int, int]] = []

    def progress(*_: object) -> None:
        if not seen_during:
            driver = engine.raw_connection()  # pool_size=1, max_overflow=1: a second connection
            seen_during.append(
                (
                    driver.cursor().execute("PRAGMA cache_size").fetchone()[0],
                    driver.cursor().execute("PRAGMA wal_autocheckpoint").fetchone()[0],
                )
            )
            driver.close()

    assert run_ingest(engine, find_sources([SEEDS]), progress=progress).counts["added"] == 5
    assert before == (-2000, 1000)
    assert seen_during == [before]  # another connection is left alone while the job runs
    assert settings() == before
    engine.dispose()


def test_bulk_load_tunes_the_writer_connection_while_it_runs(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'replies.db'}")
    with engine.connect() as connection:
        with bulk_load(connection):
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == -BULK_CACHE_KIB
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == BULK_CHECKPOINT_FRAMES
        connection.rollback()
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == -2000
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == 1000
    engine.dispose()
