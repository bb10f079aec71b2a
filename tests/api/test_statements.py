"""How many statements a request runs: a list page is one, whatever its size; a total and each facet
add one; a matching conditional request runs none but the data version's read (as Open States v3
counts queries per request, so an N+1 cannot creep in)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.db.ids import stable_id
from tests.helpers import recorded_statements

LISTS = {
    "/documents": ["publisher", "topic", "proposal_type", "institution"],
    "/proposals": ["co_handler", "level"],
    "/metrics": ["unit", "year"],
    "/institutions": ["type"],
    "/people": ["role"],
}
LETTER = stable_id("index_no", "11500000MB15895317/2025-00053")


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", [1, 100])
def test_a_list_page_runs_one_statement_whatever_its_size(client: TestClient, path: str, limit: int) -> None:
    with recorded_statements(client) as statements:
        assert client.get(path, params={"limit": limit}).status_code == 200
    assert len(statements.queries) == 1, statements.queries
    # The data version, for the ETag, comes in the page's own statement: no second read.
    assert "data_version" in statements.queries[0] and statements.version_reads == 0


@pytest.mark.parametrize(("path", "facets"), LISTS.items())
def test_a_total_and_each_facet_add_one_statement(client: TestClient, path: str, facets: list[str]) -> None:
    with recorded_statements(client) as statements:
        assert client.get(path, params={"total": "true", "facet": facets}).status_code == 200
    assert len(statements.queries) == 1 + 1 + len(facets), statements.queries


@pytest.mark.parametrize(
    "params",
    [
        {"q": "科技"},
        {"q": "科技 实验室", "sort": "relevance"},
        {"kind": "reply_letter", "published_to": "2025-01-01", "genre": "人大建议办理"},
        {"publisher": "市科技局", "institution": "市教委", "topic": "科技", "proposal_type": "proposal"},
        {"person": "明炬", "signed_from": "2023-01-01", "signed_to": "2025-12-31"},
    ],
)
def test_filtered_and_searched_pages_are_one_statement_too(client: TestClient, params: dict[str, str]) -> None:
    first = client.get("/documents", params={**params, "limit": 1})
    assert first.status_code == 200
    cursor = first.json()["next_cursor"]
    with recorded_statements(client) as statements:
        assert client.get("/documents", params={**params, "limit": 1, **({"cursor": cursor} if cursor else {})})
    assert len(statements.queries) == 1, statements.queries


def test_a_matching_conditional_request_runs_no_query(client: TestClient) -> None:
    etag = client.get("/documents", params={"kind": "reply_letter"}).headers["etag"]
    with recorded_statements(client) as statements:
        again = client.get("/documents", params={"kind": "reply_letter"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert statements.queries == [] and statements.version_reads == 1


def test_a_document_in_full_runs_a_fixed_few_statements(client: TestClient) -> None:
    with recorded_statements(client) as statements:
        assert client.get(f"/documents/{LETTER}").status_code == 200
    # The document, its proposal, its institutions, people and figures: one each.
    assert len(statements.queries) == 5, statements.queries


def test_health_reads_no_data_version(client: TestClient) -> None:
    with recorded_statements(client) as statements:
        assert client.get("/health").status_code == 200
    assert statements.version_reads == 0 and len(statements.queries) <= 1  # a ping (SQLite's goes to the driver)


@pytest.mark.parametrize("params", [{"q": "李"}, {"role": "局长", "document_id": str(LETTER)}])
def test_a_filtered_people_page_is_one_statement(client: TestClient, params: dict[str, str]) -> None:
    with recorded_statements(client) as statements:
        assert client.get("/people", params={**params, "limit": 1}).json()["items"]
    assert len(statements.queries) == 1, statements.queries


BY_IDS = {
    "/documents": [LETTER, stable_id("index_no", "11500000MB15895317/2023-00117"), 999],
    "/proposals": [4174543302254997, 5573707882677185, 999],
    "/institutions": [7030021567835984, 999],
    "/metrics": [1, 26, 999],
}


@pytest.mark.parametrize(("path", "ids"), BY_IDS.items())
def test_a_page_by_ids_runs_one_statement(client: TestClient, path: str, ids: list[int]) -> None:
    with recorded_statements(client) as statements:
        body = client.get(path, params={"id": ids}).json()
    assert body["missing"] == [999] and len(body["items"]) == len(ids) - 1
    assert len(statements.queries) == 1, statements.queries
    assert "data_version" in statements.queries[0] and statements.version_reads == 0


INCLUDES = {
    "/documents": ["proposal", "metrics"],
    "/proposals": ["documents"],
    "/institutions": ["related"],
}


@pytest.mark.parametrize(("path", "includes"), INCLUDES.items())
@pytest.mark.parametrize("limit", [1, 100])
def test_each_include_adds_one_statement_per_page_whatever_its_size(
    client: TestClient, path: str, includes: list[str], limit: int
) -> None:
    for n in range(1, len(includes) + 1):
        with recorded_statements(client) as statements:
            assert client.get(path, params={"limit": limit, "include": includes[:n]}).status_code == 200
        assert len(statements.queries) == 1 + n, statements.queries
    # With ids, a total and a facet: each still one statement more.
    with recorded_statements(client) as statements:
        params = {"id": BY_IDS[path], "include": includes, "total": "true", "facet": LISTS[path][0]}
        assert client.get(path, params=params).status_code == 200
    assert len(statements.queries) == 1 + len(includes) + 2, statements.queries


def test_include_aliases_runs_no_statement_more(client: TestClient) -> None:
    """Every institution item carries its aliases, aggregated in the page's own statement."""
    with recorded_statements(client) as statements:
        assert client.get("/institutions", params={"limit": 100, "include": "aliases"}).status_code == 200
    assert len(statements.queries) == 1, statements.queries
