"""A process killed mid-job (`kill -9`, inside a document's transaction) leaves the database
consistent; on the next start the job is marked interrupted, and a new run completes the work.
Run for real: a subprocess, a SIGKILL, then a fresh CLI run or API start, on both databases."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from app.db.engine import session_scope
from app.db.load import sha256_of
from app.db.models import Document, DocumentInstitution, IngestRun, Metric
from app.ingest.version import parser_version
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.jobs.conftest import AUTH, NEW_LETTER, admin_settings, client_for, counts, reingest

HERE = Path(__file__).resolve().parent
APPENDED = "\n（本页内容已于近日更新。）\n"


def snapshot(engine: Engine) -> dict[str, tuple[str, int, int]]:
    """source path → (sha256, metrics, institution links): enough to see a half-replaced document."""
    with session_scope(engine) as session:
        metrics = select(func.count()).where(Metric.document_id == Document.id).scalar_subquery()
        links = select(func.count()).where(DocumentInstitution.document_id == Document.id).scalar_subquery()
        rows = session.execute(select(Document.source_path, Document.sha256, metrics, links)).all()
    return {path: (sha, m, i) for path, sha, m, i in rows}


def env_for(engine: Engine, source_dir: Path, **extra: str) -> dict[str, str]:
    url = engine.url.render_as_string(hide_password=False)
    return {**os.environ, "DATABASE_URL": url, "SOURCE_DIR": str(source_dir), "ADMIN_TOKEN": "", **extra}


def kill_mid_job(engine: Engine, source_dir: Path, tmp_path: Path, *, stall_at: int) -> int:
    """Start the CLI ingest in a subprocess, SIGKILL it while it holds a document's transaction
    open; the id of the job it left behind."""
    signal_file = tmp_path / "stalled"
    # One document per transaction, so the test knows exactly which letters had committed; with
    # larger batches the same holds batch by batch.
    env = env_for(engine, source_dir, STALL_AT=str(stall_at), STALL_SIGNAL=str(signal_file), INGEST_BATCH_SIZE="1")
    process = subprocess.Popen(
        [sys.executable, str(HERE / "stalled_ingest.py")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not signal_file.exists():
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "the ingest never reached the stall"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    assert process.wait(30) == -signal.SIGKILL
    with session_scope(engine) as session:
        return session.scalars(select(IngestRun.id).where(IngestRun.active.is_not(None))).one()


@pytest.mark.parametrize("recovered_by", ["cli", "api"])
def test_a_job_killed_inside_a_transaction_leaves_every_document_whole_and_is_recovered(
    engine: Engine, source_dir: Path, tmp_path: Path, recovered_by: str
) -> None:
    run_ingest(engine, find_sources([source_dir]), full=True)
    before = snapshot(engine)
    letters = sorted(source_dir.iterdir())
    for letter in letters:
        letter.write_text(letter.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")
    shutil.copy(NEW_LETTER, source_dir / NEW_LETTER.name)

    killed = kill_mid_job(engine, source_dir, tmp_path, stall_at=2)

    # The first changed letter was committed; the second was killed mid-transaction and rolled
    # back whole; the rest were never reached. Each document is entirely one version.
    during = snapshot(engine)
    first, second, *rest = (letter.name for letter in letters)
    assert during[first][0] == sha256_of((source_dir / first).read_bytes())
    for name in (second, *rest):
        assert during[name] == before[name]
    assert NEW_LETTER.name not in during
    with session_scope(engine) as session:
        stuck = session.get_one(IngestRun, killed)
        assert (stuck.status, stuck.files_seen, stuck.files_updated) == ("running", 1, 1)

    if recovered_by == "cli":
        done = subprocess.run(
            [sys.executable, "-m", "app", "ingest"],
            cwd=tmp_path,
            env=env_for(engine, source_dir),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert f"job {killed} had stopped with its process; marked interrupted" in done.stderr
        assert done.stdout.splitlines()[-1].endswith(
            "succeeded: 6 files: 1 added, 4 updated, 1 unchanged, 0 failed, 0 removed"
        )
    else:
        with client_for(engine, admin_settings(source_dir), headers={}) as anonymous:
            anonymous.get("/health")  # the app has started: its lifespan recovered the job
        with session_scope(engine) as session:
            assert session.get_one(IngestRun, killed).status == "interrupted"
        # The parser's version is cached per process; the parser's files may have changed since this
        # one cached it (while the parser is being worked on), and the subprocess read them afresh.
        parser_version.cache_clear()
        with client_for(engine, admin_settings(source_dir), headers=AUTH) as admin:
            job = reingest(admin)
            assert counts(job) == {"added": 1, "updated": 4, "unchanged": 1, "failed": 0, "removed": 0}

    with session_scope(engine) as session:
        interrupted = session.get_one(IngestRun, killed)
        assert (interrupted.status, interrupted.active) == ("interrupted", None)
        assert interrupted.finished_at is not None
    after = snapshot(engine)
    assert {path: sha for path, (sha, _, _) in after.items()} == {
        p.name: sha256_of(p.read_bytes()) for p in source_dir.iterdir()
    }
