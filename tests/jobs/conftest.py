"""Fixtures for the admin job tests: a copy of the seeds as SOURCE_DIR, settings with a token, an
admin client on a fresh database (SQLite and PostgreSQL, via `engine`), and a way to wait for a job."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine

from app.api.app import create_app
from app.config import Settings, get_settings
from app.db.migrate import migrate
from tests.helpers import BACKENDS, FIXTURES, SEEDS, new_engine

TOKEN = "correct-horse-battery-staple"  # noqa: S105 - a test token, not a secret
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW_LETTER = FIXTURES / "corpus" / "101_cq_kjj_2023_p0012.txt"
"""A reply letter that is not among the seeds: adding it to SOURCE_DIR adds one document."""
FINISHED = ("succeeded", "failed", "interrupted")


@pytest.fixture(autouse=True)
def one_document_per_transaction(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests stop jobs between documents and inside one: with each document committed on
    its own they know exactly what is visible. (Batched commits are exercised in tests/db.)"""
    monkeypatch.setenv("INGEST_BATCH_SIZE", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    return folder


def admin_settings(source_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"admin_token": SecretStr(TOKEN), "source_dir": source_dir, **overrides}
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(source_dir: Path) -> Settings:
    return admin_settings(source_dir)


def client_for(engine: Engine, settings: Settings, **kwargs: Any) -> TestClient:
    app = create_app(engine)
    app.dependency_overrides[get_settings] = lambda: settings
    return TestClient(app, **kwargs)


@pytest.fixture
def admin(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A client that sends the admin token; the app's lifespan (job recovery) runs."""
    with client_for(engine, settings, headers=AUTH) as client:
        yield client


@pytest.fixture(scope="module", params=BACKENDS)
def module_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One migrated database per backend for a whole module, for tests that start no job."""
    engine = new_engine(request.param, tmp_path_factory.mktemp(request.param), request)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def refusing_admin(module_engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """An admin client on the module's database, for requests that must be refused before any job
    starts; it stays empty of jobs, which the tests may assert."""
    with client_for(module_engine, settings, headers=AUTH) as client:
        yield client


def wait_for_job(client: TestClient, job_id: int, timeout: float = 120.0) -> dict[str, Any]:
    """The job once it has ended; generous, since only a hung job should ever reach the limit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/admin/jobs/{job_id}").json()
        if job["status"] in FINISHED:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end within {timeout}s")


def reingest(client: TestClient, **body: Any) -> dict[str, Any]:
    """Start a re-ingest, check the 202, and wait for the job to end."""
    resp = client.post("/admin/reingest", json=body or None)
    assert resp.status_code == 202, resp.text
    assert resp.headers["location"] == f"/admin/jobs/{resp.json()['id']}"
    return wait_for_job(client, resp.json()["id"])


def counts(job: dict[str, Any]) -> dict[str, int]:
    return {k: job[f"files_{k}"] for k in ("added", "updated", "unchanged", "failed", "removed")}
