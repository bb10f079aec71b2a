"""The read path's snapshots: every statement of a response sees one committed state, on the
event loop (SQLite) and through the asyncio engine (PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from app.db.load import bump_data_version
from app.db.models import DataVersion, IngestRun
from app.db.read import Reader

COUNT = select(func.count()).select_from(IngestRun)


def test_a_snapshot_does_not_see_what_commits_after_it_began(engine: Engine) -> None:
    reader = Reader(engine)

    async def read_across_a_commit() -> tuple[int, int, int, int]:
        async with reader.snapshot() as snapshot:
            before = await snapshot.scalar(COUNT)
            version_before = await snapshot.scalar(select(DataVersion.version))
            with engine.begin() as connection:  # an ingest commits meanwhile
                connection.execute(
                    IngestRun.__table__.insert(),  # type: ignore[attr-defined]
                    [{"trigger": "cli", "status": "succeeded", "started_at": datetime.now(UTC), "active": None}],
                )
                bump_data_version(connection)
            during = await snapshot.scalar(COUNT)
            assert await snapshot.scalar(select(DataVersion.version)) == version_before
        async with reader.snapshot() as snapshot:
            after = await snapshot.scalar(COUNT)
        version_after = await reader.data_version()
        await reader.dispose()
        return before, during, after, version_after - version_before

    before, during, after, bumped = asyncio.run(read_across_a_commit())
    assert during == before and after == before + 1 and bumped == 1


def test_the_data_version_is_one_row_that_only_goes_up(engine: Engine) -> None:
    with engine.begin() as connection:
        start = connection.scalar(select(DataVersion.version))
        bump_data_version(connection)
        bump_data_version(connection)
        assert connection.scalar(select(DataVersion.version)) == start + 2
        assert connection.scalar(select(func.count()).select_from(DataVersion)) == 1
