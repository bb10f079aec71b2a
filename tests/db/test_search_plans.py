"""A one-word search sorted by date finds the same first page whichever of its two plans SQLite
takes: listing every hit, or walking the documents in date order and asking the index about each
(for common words, `app.db.queries.search.page_among_hits`)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from app.db.models import DataVersion, Document
from app.db.queries.documents import document_query
from app.db.read import Reader
from app.schemas.documents import DocumentFilters


@pytest.mark.parametrize(
    "query",
    [
        {"q": "专利"},
        {"q": "专利", "sort": "published_date"},
        {"q": "乡村", "sort": "-signed_date"},
        {"q": "甲乙"},
    ],
)
def test_both_plans_find_the_same_documents(seeded_engine: Engine, query: dict[str, str]) -> None:
    f = DocumentFilters.model_validate({**query, "limit": 100})
    dialect = seeded_engine.dialect.name
    reader = Reader(seeded_engine)
    shape, params = document_query(f, reader)
    assert shape.paged is not None  # a one-word search's first page has a plan of its own

    async def ids(probe_cost: int) -> list[int]:
        plan = {"q_probe_cost": probe_cost} if dialect == "sqlite" else {}
        async with reader.snapshot() as snapshot:
            rows = await snapshot.rows(shape.page("first"), {**params, **plan, "limit": 100})
        return [row[0] for row in rows]

    async def both() -> tuple[list[int], list[int]]:
        listed, walked = await ids(10**9), await ids(0)
        await reader.dispose()
        return listed, walked

    listed, walked = asyncio.run(both())
    assert listed == walked
    with seeded_engine.connect() as connection:
        documents = connection.scalar(select(func.count()).select_from(Document))
    # Some documents and not others: a plan that keeps every document, or none, is caught.
    assert 0 < len(listed) < documents or (query["q"] == "甲乙" and not listed)


def test_a_common_words_first_page_hands_its_count_to_the_next_request(seeded_engine: Engine) -> None:
    """The word's document count (squared) comes back with the page and the reader keeps it, with
    the data version it was counted at; the next request's statement takes it instead of counting
    again, unless an ingest has moved the data version since."""
    reader = Reader(seeded_engine)
    f = DocumentFilters.model_validate({"q": "专利", "limit": 20})
    if seeded_engine.dialect.name != "sqlite":  # PostgreSQL plans its GIN lookups itself
        assert document_query(f, reader).shape.learn is None
        return
    with seeded_engine.connect() as connection:
        version = connection.scalar(select(DataVersion.version).where(DataVersion.id == 1))
        having = connection.scalar(
            text("SELECT count(*) FROM document_body_fts WHERE document_body_fts MATCH '\"专利\"'")
        )

    async def first_page() -> tuple[Any, int]:
        shape, params = document_query(f, reader)
        async with reader.snapshot() as snapshot:
            rows = await snapshot.rows(shape.page("first"), {**params, "limit": 21})
        assert shape.learn is not None
        shape.learn(reader, params, rows[0])
        return rows[0].q_hits_squared, len(rows)

    async def run() -> None:
        counted, found = await first_page()
        assert counted == having**2 and found == having > 0
        assert reader.learned[("word", "专利")] == (version, having**2)
        reader.learned[("word", "专利")] = (version, 10**12)  # what the next statement takes, unread
        assert await first_page() == (10**12, found)
        reader.learned[("word", "专利")] = (version - 1, 10**12)  # counted before the last ingest
        assert await first_page() == (having**2, found)
        await reader.dispose()

    asyncio.run(run())
