"""Engines for every kind of SQLite URL: a file keeps a pool as large as the concurrency, memory its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool, SingletonThreadPool

from app.db.engine import build_engine
from app.db.migrate import migrate
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.conftest import SEEDS


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
