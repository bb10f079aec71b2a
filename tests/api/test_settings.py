"""Settings are read when a request is, not when the app is imported: page limits can change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.app import create_app
from app.config import get_settings
from tests.helpers import assert_problem


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DEFAULT_PAGE_SIZE", "2")
    monkeypatch.setenv("MAX_PAGE_SIZE", "3")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_page_limits_follow_the_settings_after_import(seeded_engine: Engine, small_pages: None) -> None:
    with TestClient(create_app(seeded_engine)) as client:
        assert len(client.get("/documents").json()["items"]) == 2
        assert len(client.get("/documents", params={"limit": 3}).json()["items"]) == 3
        problem = assert_problem(client.get("/documents", params={"limit": 4}), 422, "limit")
        assert problem.errors[0].message == "Input should be less than or equal to 3"
        (limit,) = [
            q
            for q in client.get("/openapi.json").json()["paths"]["/people"]["get"]["parameters"]
            if q["name"] == "limit"
        ]
        assert (limit["schema"]["maximum"], limit["schema"]["default"]) == (3, 2)
        assert limit["description"] == "Items per page, 1 to 3"
