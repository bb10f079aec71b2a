"""Assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

import httpx

from app.schemas.common import Problem


def assert_problem(resp: httpx.Response, status: int, param: str | None = None) -> Problem:
    """The response is a problem+json body with `status`, naming `param` when one is given."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = Problem.model_validate(resp.json())
    assert problem.status == status
    if param is not None:
        assert param in [e.param for e in problem.errors], problem
    return problem


def all_items(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list endpoint, following next_cursor to the end."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        resp = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")
