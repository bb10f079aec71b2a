"""Admin routes: closed (503) without ADMIN_TOKEN, 401 without the right bearer token, never open."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app.db.engine import session_scope
from app.db.models import IngestRun
from tests.helpers import assert_problem
from tests.jobs.conftest import AUTH, TOKEN, admin_settings, client_for

ADMIN_REQUESTS = [
    ("GET", "/admin/jobs"),
    ("GET", "/admin/jobs/1"),
    ("POST", "/admin/reingest"),
    ("POST", "/admin/documents?name=a.txt"),
]


def jobs_recorded(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(IngestRun)) or 0)


@pytest.mark.parametrize("token", [None, ""])
@pytest.mark.parametrize("method, url", ADMIN_REQUESTS)
def test_admin_routes_answer_503_while_no_token_is_configured(
    module_engine: Engine, source_dir: Path, token: str | None, method: str, url: str
) -> None:
    with client_for(module_engine, admin_settings(source_dir, admin_token=token)) as client:
        resp = client.request(method, url, headers=AUTH)
    problem = assert_problem(resp, 503)
    assert problem.detail == "Admin routes are closed: no ADMIN_TOKEN is configured"
    assert jobs_recorded(module_engine) == 0


@pytest.mark.parametrize(
    "headers, query",
    [
        ({}, ""),
        ({"Authorization": "Bearer wrong-token"}, ""),
        ({"Authorization": f"Bearer {TOKEN}x"}, ""),
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, ""),
        ({"Authorization": f"Basic {TOKEN}"}, ""),
        ({"Authorization": TOKEN}, ""),
        ({}, f"?token={TOKEN}"),  # never from the query string: URLs end up in logs
        ({}, f"?access_token={TOKEN}"),
    ],
)
@pytest.mark.parametrize("method, url", ADMIN_REQUESTS)
def test_a_missing_or_wrong_token_gets_401_and_reveals_nothing(
    module_engine: Engine, source_dir: Path, headers: dict[str, str], query: str, method: str, url: str
) -> None:
    with client_for(module_engine, admin_settings(source_dir)) as client:
        resp = client.request(method, url + (query if "?" not in url else query.replace("?", "&")), headers=headers)
    problem = assert_problem(resp, 401)
    assert problem.detail == "A valid admin token is required"
    assert resp.headers["www-authenticate"] == 'Bearer realm="admin"'
    assert TOKEN not in resp.text
    assert jobs_recorded(module_engine) == 0


def test_the_token_is_checked_before_the_request_body(module_engine: Engine, source_dir: Path) -> None:
    with client_for(module_engine, admin_settings(source_dir)) as client:
        resp = client.post("/admin/reingest", json={"paths": "not a list", "extra": 1})
    assert_problem(resp, 401)


def test_the_right_token_opens_the_admin_routes(admin: TestClient) -> None:
    resp = admin.get("/admin/jobs")
    assert resp.status_code == 200
    assert resp.json() == {"items": [], "next_cursor": None, "total": None, "facets": None}
    assert resp.headers["cache-control"] == "no-store"


def test_the_token_is_never_logged(admin: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    admin.get("/admin/jobs")
    admin.get("/admin/jobs", headers={"Authorization": f"Bearer {TOKEN}-wrong"})
    admin.post("/admin/reingest", json={"paths": ["../x"]})
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
