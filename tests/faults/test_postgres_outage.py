"""PostgreSQL restarting under a running API: /health says 503 while it is down, requests get a
503 problem (not a 500, not a hang), and service comes back by itself when the database does."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.api.app import create_app
from app.db.engine import build_engine
from app.db.migrate import migrate
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.faults.proxy import CuttableProxy
from tests.helpers import SEEDS, PostgresServer, assert_problem


@pytest.fixture
def proxied(postgres_server: PostgresServer) -> Iterator[tuple[TestClient, CuttableProxy]]:
    url = make_url(postgres_server.new_database())
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432).start()
    engine = build_engine(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), timeout_seconds=2
    )
    migrate(engine)
    run_ingest(engine, find_sources([SEEDS]))
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield client, proxy
    proxy.cut()
    engine.dispose()


def timed_get(client: TestClient, url: str) -> tuple[int, float, object]:
    start = time.monotonic()
    resp = client.get(url)
    return resp.status_code, time.monotonic() - start, resp


def test_the_api_answers_503_while_postgres_is_down_and_recovers_by_itself(
    proxied: tuple[TestClient, CuttableProxy],
) -> None:
    client, proxy = proxied
    assert client.get("/health").status_code == 200
    assert client.get("/documents").status_code == 200

    proxy.cut()
    status, seconds, resp = timed_get(client, "/health")
    assert status == 503 and seconds < 10
    for url in ("/documents", "/proposals?number=1024", "/metrics"):
        status, seconds, resp = timed_get(client, url)
        problem = assert_problem(resp, 503)  # type: ignore[arg-type]
        assert seconds < 10
        assert "psycopg" not in (problem.detail or "") and "connection" not in (problem.detail or "").lower()

    proxy.restore()
    deadline = time.monotonic() + 15
    while client.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "the API did not recover after the database came back"
        time.sleep(0.2)
    items = client.get("/proposals", params={"number": "1024"}).json()["items"]
    assert [p["session"] for p in items] == ["市六届人大一次会议"]
