"""Two API worker processes on PostgreSQL behave as one: reads agree, a re-ingest job started
through one worker is seen by both, and the 409 for a second job holds whichever worker answers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.db.engine import build_engine
from app.db.migrate import migrate
from tests.helpers import ROOT, SEEDS, PostgresServer, free_port

TOKEN = "two-workers-test-token"  # noqa: S105 - a test token, not a secret
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COPIES = 300
"""Copies of each news seed (no 索引号, so each copy is a document of its own): enough that a full
re-ingest is still running when the second request arrives."""
NEWS = ("002_4d19cff5ebdb1101.txt", "004_be53cfa65109a65f.txt")


@pytest.fixture
def two_workers(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[httpx.Client]:
    url = postgres_server.new_database()
    migrate(build_engine(url))
    sources = tmp_path / "sources"
    sources.mkdir()
    for copy in range(COPIES):
        for name in NEWS:
            (sources / f"{copy:03}_{name}").write_bytes((SEEDS / name).read_bytes())
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "ADMIN_TOKEN": TOKEN, "SOURCE_DIR": str(sources)}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--workers", "2", "--port", str(port), "--no-server-header"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the two-worker server did not start"
            time.sleep(0.3)
        yield client
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(sources, ignore_errors=True)


def test_a_second_job_gets_409_from_either_worker_and_reads_go_on(two_workers: httpx.Client) -> None:
    started = two_workers.post("/admin/reingest", headers=AUTH)
    assert started.status_code == 202
    job_id = started.json()["id"]
    # Fresh connections, so the requests spread over both worker processes.
    refusals = []
    for _ in range(6):
        with httpx.Client(base_url=two_workers.base_url, timeout=30) as fresh:
            refusals.append(fresh.post("/admin/reingest", headers=AUTH))
            assert fresh.get("/documents", params={"limit": 5}).status_code == 200
            assert fresh.get(f"/admin/jobs/{job_id}", headers=AUTH).json()["id"] == job_id
    running = [r for r in refusals if r.status_code == 409]
    assert running, [r.status_code for r in refusals]
    assert all(str(job_id) in r.json()["detail"] for r in running)
    deadline = time.monotonic() + 300
    while (job := two_workers.get(f"/admin/jobs/{job_id}", headers=AUTH).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert job["status"] == "succeeded", job
    assert job["files_added"] == COPIES * len(NEWS)
    total = two_workers.get("/documents", params={"total": "true", "limit": 1}).json()["total"]
    assert total == COPIES * len(NEWS)
