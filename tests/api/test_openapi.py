"""The OpenAPI document describes every parameter and every error shape."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from app.api.app import create_app


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
    engine = client.app.state.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def record(*args: Any) -> None:
        if args[2] != "BEGIN":  # transaction control, not a query
            statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url, params=params).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_list_pages_use_a_fixed_number_of_queries_whatever_their_size(client: TestClient) -> None:
    assert count_statements(client, "/documents", limit=1) == count_statements(client, "/documents", limit=100)
    assert count_statements(client, "/documents", limit=100) <= 3
    assert count_statements(client, "/metrics", limit=2) == count_statements(client, "/metrics", limit=100)
    assert count_statements(client, "/institutions", limit=2) == count_statements(client, "/institutions", limit=100)
