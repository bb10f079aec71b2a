"""The OpenAPI document describes every parameter and every error shape."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.api.app import create_app
from app.schemas.documents import DocumentFilters, DocumentSort
from tests.helpers import recorded_statements


def test_every_query_parameter_has_a_description() -> None:
    spec: dict[str, Any] = create_app().openapi()
    missing = [
        f"{method.upper()} {path} ?{param['name']}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for param in operation.get("parameters", [])
        if param["in"] == "query" and not (param.get("description") or param.get("schema", {}).get("description"))
    ]
    assert missing == []


def test_errors_are_documented_as_problem_json() -> None:
    spec: dict[str, Any] = create_app().openapi()
    responses = spec["paths"]["/documents"]["get"]["responses"]
    assert "application/problem+json" in responses["422"]["content"]
    assert "Problem" in spec["components"]["schemas"]


def count_statements(client: TestClient, url: str, **params: Any) -> int:
    with recorded_statements(client) as statements:
        assert client.get(url, params=params).status_code == 200
    return len(statements.queries)


def test_list_pages_use_a_fixed_number_of_queries_whatever_their_size(client: TestClient) -> None:
    assert count_statements(client, "/documents", limit=1) == count_statements(client, "/documents", limit=100)
    assert count_statements(client, "/documents", limit=100) <= 3
    assert count_statements(client, "/metrics", limit=2) == count_statements(client, "/metrics", limit=100)
    assert count_statements(client, "/institutions", limit=2) == count_statements(client, "/institutions", limit=100)


def test_query_models_are_described_field_by_field_with_enums_inline() -> None:
    spec: dict[str, Any] = create_app().openapi()
    documents = {p["name"]: p for p in spec["paths"]["/documents"]["get"]["parameters"]}
    assert set(DocumentFilters.model_fields) == set(documents)
    assert all(p["in"] == "query" and p["required"] is False for p in documents.values())
    assert documents["sort"]["schema"]["enum"] == [s.value for s in DocumentSort]
    assert documents["sort"]["schema"]["default"] == "-published_date"
    assert documents["facet"]["schema"]["type"] == "array"
    assert documents["limit"]["schema"]["maximum"] == 100
    series = {p["name"]: p for p in spec["paths"]["/metrics/series"]["get"]["parameters"]}
    assert series["indicator"]["required"] is True


def test_a_repeated_list_parameter_collects_and_a_repeated_single_one_takes_the_last(client: TestClient) -> None:
    response = client.get("/documents", params=[("facet", "kind"), ("facet", "genre"), ("limit", "1"), ("limit", "2")])
    assert response.status_code == 200
    body = response.json()
    assert set(body["facets"]) == {"kind", "genre"}
    assert len(body["items"]) == 2


def test_a_bad_query_value_names_the_parameter(client: TestClient) -> None:
    response = client.get("/documents", params={"sort": "newest", "limit": "0"})
    assert response.status_code == 422
    assert {e["param"] for e in response.json()["errors"]} == {"sort", "limit"}
