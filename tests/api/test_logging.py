"""Logging: configured once from LOG_LEVEL; at INFO the server writes one line per request, and
never the admin token."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from app.db.engine import build_engine
from app.db.migrate import migrate
from tests.helpers import served

TOKEN = "token-that-no-log-line-may-show"  # noqa: S105 - a test token, not a secret


def served_log(tmp_path: Path, level: str, requests: list[tuple[str, dict[str, str]]]) -> str:
    """What `python -m app serve` writes to stderr while it answers `requests` (path, headers)."""
    url = f"sqlite:///{tmp_path / 'replies.db'}"
    engine = build_engine(url)
    migrate(engine)
    engine.dispose()
    env = {"DATABASE_URL": url, "ADMIN_TOKEN": TOKEN, "LOG_LEVEL": level}
    with served(env, stderr=subprocess.PIPE) as (origin, server), httpx.Client(base_url=origin, timeout=30) as client:
        for path, headers in requests:
            client.get(path, headers=headers)
    assert server.stderr is not None
    return server.stderr.read()


REQUESTS = [
    ("/documents?kind=reply_letter", {}),
    ("/proposals", {}),
    ("/admin/jobs", {"Authorization": f"Bearer {TOKEN}"}),
    ("/admin/jobs", {"Authorization": f"Bearer {TOKEN}-wrong"}),
]


@pytest.mark.parametrize("level", ["INFO", "warning"])
def test_one_line_per_request_at_info_and_never_the_token(tmp_path: Path, level: str) -> None:
    log = served_log(tmp_path, level, REQUESTS)
    assert TOKEN not in log
    lines = log.splitlines()
    assert "Traceback" not in log
    if level == "INFO":
        assert len([line for line in lines if " INFO uvicorn.access: " in line and '"GET /documents?kind' in line]) == 1
        assert len([line for line in lines if '"GET /proposals HTTP/1.1" 200' in line]) == 1
        admin = [line for line in lines if '"GET /admin/jobs HTTP/1.1"' in line]
        assert [line.rsplit(" ", 1)[-1] for line in admin] == ["200", "401"]
    else:
        assert [line for line in lines if "uvicorn.access" in line or " INFO " in line] == []


def test_a_server_started_without_an_access_log_keeps_it_off(tmp_path: Path) -> None:
    """uvicorn's `access_log=False` (benchmarks/serve.py, `--no-access-log`) survives the app's
    own logging configuration: no line per request."""
    url = f"sqlite:///{tmp_path / 'replies.db'}"
    engine = build_engine(url)
    migrate(engine)
    engine.dispose()
    script = (
        "import uvicorn; uvicorn.run('app.main:app', host='127.0.0.1', port=int(__import__('sys').argv[1]), "
        "access_log=False, log_level='info')"
    )
    env = {"DATABASE_URL": url, "LOG_LEVEL": "INFO"}
    with (
        served(env, stderr=subprocess.PIPE, command=["-c", script]) as (origin, server),
        httpx.Client(base_url=origin, timeout=30) as client,
    ):
        assert client.get("/documents").status_code == 200
    assert server.stderr is not None
    log = server.stderr.read()
    assert "Application startup complete" in log and "GET /documents" not in log
