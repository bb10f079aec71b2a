"""Engines for every kind of SQLite URL: a file keeps a pool as large as the concurrency, memory its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool, SingletonThreadPool

from app.db.engine import build_engine


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
