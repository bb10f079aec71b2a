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


def test_the_admin_routes_declare_their_bearer_token_and_no_other_route_does() -> None:
    spec: dict[str, Any] = create_app().openapi()
    assert spec["components"]["securitySchemes"] == {
        "AdminToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "ADMIN_TOKEN, sent as `Authorization: Bearer <token>`",
        }
    }
    secured = {
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") == [{"AdminToken": []}]
    }
    admin = {
        f"{m.upper()} {p}" for p, operations in spec["paths"].items() for m in operations if p.startswith("/admin")
    }
    assert len(admin) >= 4
    assert secured == admin


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


def parameters() -> list[tuple[str, str, dict[str, Any]]]:
    spec: dict[str, Any] = create_app().openapi()
    return [
        (method.upper(), path, param)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for param in operation.get("parameters", [])
    ]


def example_of(param: dict[str, Any]) -> Any:
    if "example" in param:
        return param["example"]
    return next(iter(param.get("examples", {}).values()), {}).get("value")


def test_every_query_and_path_parameter_has_an_example_and_every_path_id_a_description() -> None:
    assert [f"{m} {p} {q['name']}" for m, p, q in parameters() if example_of(q) is None] == []
    assert [f"{m} {p} {q['name']}" for m, p, q in parameters() if q["in"] == "path" and not q.get("description")] == []


def test_health_documents_only_the_answers_it_gives() -> None:
    spec: dict[str, Any] = create_app().openapi()
    responses = spec["paths"]["/health"]["get"]["responses"]
    assert set(responses) == {"200", "503"}
    assert "application/problem+json" in responses["503"]["content"]


TRY_IT_OUT = {
    # path: what a request with every example (but the cursor) finds first, a seed's real values
    "/documents": ("title", "重庆市科学技术局关于市六届人大一次会议第1024号建议办理情况的答复函"),
    "/proposals": ("number", "1024"),
    "/institutions": ("name", "重庆市科学技术局"),
    "/people": ("name", "李谨"),
    "/metrics": ("value", 69820),
}


def test_try_it_out_with_the_examples_finds_the_seeds(client: TestClient) -> None:
    """What Swagger UI sends when "Try it out" is pressed on a list without editing anything."""
    for path, (field, expected) in TRY_IT_OUT.items():
        examples = {q["name"]: example_of(q) for m, p, q in parameters() if (m, p) == ("GET", path)}
        resp = client.get(path, params={name: value for name, value in examples.items() if name != "cursor"})
        assert resp.status_code == 200, (path, resp.text)
        assert resp.json()["items"][0][field] == expected, path
        # A cursor belongs to one list and sort: each list's example is its own.
        assert client.get(path, params={"cursor": examples["cursor"]}).status_code == 200, path
    series = {q["name"]: example_of(q) for m, p, q in parameters() if (m, p) == ("GET", "/metrics/series")}
    assert ("2024", 69820) in [
        (p["as_of"], p["value"]) for p in client.get("/metrics/series", params=series).json()["points"]
    ]


def test_the_path_examples_are_real_ids_of_the_seeds(client: TestClient) -> None:
    for method, path, param in parameters():
        # /dumps answers only with DUMPS_DIR set: tests/api/test_dumps.py tries its example there.
        if method == "GET" and param["in"] == "path" and not path.startswith(("/admin", "/dumps")):
            url = path.replace("{" + param["name"] + "}", str(example_of(param)))
            assert client.get(url).status_code == 200, url
