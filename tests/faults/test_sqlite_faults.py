"""SQLite refusing writes mid-ingest — a read-only database file, a disk that fills up — gives a
clear error, keeps every document at the version it had, and the API goes on serving it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.api.app import create_app
from app.db.engine import build_engine, session_scope
from app.db.migrate import migrate
from app.db.models import Document, Metric
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import ROOT, SEEDS

# Runs `python -m app ingest` with the file-size limit set: writes beyond it fail with EFBIG, as on
# a full disk (SIGXFSZ is ignored so the write fails instead of killing the process).
LIMITED_INGEST = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv = ["app", "ingest", *sys.argv[2:]]
runpy.run_module("app", run_name="__main__")
"""


def seeded(tmp_path: Path) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    shutil.copytree(SEEDS, sources)
    database = tmp_path / "replies.db"
    engine = build_engine(f"sqlite:///{database}")
    migrate(engine)
    run_ingest(engine, find_sources([sources]))
    engine.dispose()
    return sources, database


def ingest(database_url: str, *args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, *(prefix or ["-m", "app", "ingest"]), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=False)


def facts(database: Path) -> tuple[int, set[float]]:
    engine = build_engine(f"sqlite:///{database}")
    with session_scope(engine) as session:
        count = session.scalar(select(func.count()).select_from(Document)) or 0
        values = set(session.scalars(select(Metric.value)))
    engine.dispose()
    return count, values


def edit_a_figure(sources: Path) -> None:
    letter = sources / "001_681e2b01cc784a69.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")


def test_a_read_only_database_refuses_the_ingest_clearly_and_keeps_serving(tmp_path: Path) -> None:
    sources, database = seeded(tmp_path)
    edit_a_figure(sources)
    before = facts(database)
    result = ingest(f"sqlite:///file:{database}?mode=ro&uri=true", str(sources))
    assert result.returncode == 1
    assert "error: the database refused the ingest" in result.stderr and "readonly" in result.stderr
    assert "Traceback" not in result.stderr
    assert facts(database) == before and 69820 in before[1]
    read_only = build_engine(f"sqlite:///file:{database}?mode=ro&uri=true")
    with TestClient(create_app(read_only)) as client:
        assert len(client.get("/documents").json()["items"]) == 5
        assert client.get("/metrics", params={"indicator": "科技型企业"}).status_code == 200
    read_only.dispose()


def test_a_disk_filling_up_mid_ingest_stops_it_clearly_and_loses_nothing(tmp_path: Path) -> None:
    sources, database = seeded(tmp_path)
    edit_a_figure(sources)
    for copy in range(40):  # new documents, so the ingest must grow the file
        text = (sources / "004_be53cfa65109a65f.txt").read_text(encoding="utf-8")
        (sources / f"news_{copy:02}.txt").write_text(text.replace("巫山网", f"巫山网{copy}"), encoding="utf-8")
    before = facts(database)
    limit = database.stat().st_size + 64 * 1024
    result = ingest(f"sqlite:///{database}", str(sources), prefix=["-c", LIMITED_INGEST, str(limit)])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error: the database refused the ingest" in result.stderr
    assert "full" in result.stderr or "disk" in result.stderr or "I/O" in result.stderr
    assert "Traceback" not in result.stderr
    count, values = facts(database)
    assert count >= before[0]  # what committed before the disk filled is whole; nothing older was lost
    assert 69820 in values or 70000 in values
    with TestClient(create_app(build_engine(f"sqlite:///{database}"))) as client:
        assert client.get("/health").status_code == 200
        assert len(client.get("/documents", params={"limit": 100}).json()["items"]) == count
