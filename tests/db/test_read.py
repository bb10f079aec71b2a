"""The read path's snapshots: every statement of a response sees one committed state, on the
event loop (SQLite) and through the asyncio engine (PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, func, select

from app.db.load import bump_data_version
from app.db.models import DataVersion, Document, DocumentPerson, IngestRun, Person
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


PEOPLE_OF_DOCUMENTS = (
    select(
        Document.id,
        Document.published_date,
        Document.topics,
        Document.proposal_id,
        DocumentPerson.is_proposer,
        Person.name,
    )
    .join(DocumentPerson, DocumentPerson.document_id == Document.id)
    .join(Person, Person.id == DocumentPerson.person_id)
    .where(Person.name.in_(bindparam("names", expanding=True)))
    .order_by(Document.id, Person.name)
)


@pytest.mark.parametrize("names", [["周艳"], ["李谨", "周艳"], []])
def test_the_read_path_gives_the_values_sqlalchemy_gives(seeded_engine: Engine, names: list[str]) -> None:
    """Dates, JSON lists, booleans and NULLs come out of a snapshot as SQLAlchemy gives them (on
    SQLite the statement runs on the driver), and an expanding IN takes any number of values."""
    reader = Reader(seeded_engine)

    async def read() -> list[tuple[Any, ...]]:
        async with reader.snapshot() as snapshot:
            rows = await snapshot.rows(PEOPLE_OF_DOCUMENTS, {"names": names})
        await reader.dispose()
        assert all(row.name == row[5] and row._asdict()["topics"] == row[2] for row in rows)
        return [tuple(row) for row in rows]

    with seeded_engine.connect() as connection:
        expected = [tuple(row) for row in connection.execute(PEOPLE_OF_DOCUMENTS, {"names": names})]
    assert asyncio.run(read()) == expected
    assert {row[5] for row in expected} == set(names)  # the seeds name each of them
    if len(names) == 2:  # 李谨 proposed 第1024号; 周艳 is named in a news report, which answers no proposal
        assert {type(value) for row in expected for value in row[1:3]} == {date, list}
        assert {row[4] for row in expected} == {True, False}
        assert any(row[3] is None for row in expected) and any(row[3] is not None for row in expected)
