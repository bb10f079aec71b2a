"""A one-word search sorted by date finds the same first page whichever of its two plans SQLite
takes: listing every hit, or walking the documents in date order and asking the index about each
(for common words, `app.db.queries.search.page_among_hits`)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Engine, func, select

from app.db.models import Document
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
