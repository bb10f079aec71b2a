"""One ingest job at a time, enforced by the database; jobs whose process died are recovered."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError

from app.db.engine import build_engine, session_scope
from app.db.migrate import alembic_config
from app.db.models import Document, IngestRun
from app.jobs.ingest import execute_run
from app.jobs.runs import JobAlreadyRunning, JobLost, recover_interrupted, start_run, this_owner
from app.sources import find_sources
from tests.helpers import SEEDS

STALE = 600.0


def job(engine: Engine, job_id: int) -> IngestRun:
    with session_scope(engine) as session:
        run = session.get(IngestRun, job_id)
        assert run is not None
        return run


def dead_owner() -> str:
    """host:pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def test_a_second_job_is_refused_naming_the_first(engine: Engine) -> None:
    first = start_run(engine, trigger="api", paths=None, stale_after=STALE)
    with pytest.raises(JobAlreadyRunning) as refused:
        start_run(engine, trigger="cli", paths=None, stale_after=STALE)
    assert refused.value.run_id == first
    assert str(refused.value) == f"ingest job {first} is still running"


def test_the_database_itself_refuses_a_second_unfinished_job(engine: Engine) -> None:
    start_run(engine, trigger="api", paths=None, stale_after=STALE)
    second = IngestRun(trigger="cli", status="running", active=True, started_at=datetime.now(UTC), errors=[])
    with pytest.raises(IntegrityError, match="active"), session_scope(engine) as session:
        session.add(second)


@pytest.mark.parametrize("status, active", [("running", None), ("succeeded", True), ("done", None)])
def test_status_and_lock_cannot_disagree(engine: Engine, status: str, active: bool | None) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(IngestRun(trigger="cli", status=status, active=active, started_at=datetime.now(UTC), errors=[]))


def test_of_many_processes_racing_for_the_lock_exactly_one_wins(engine: Engine) -> None:
    """Separate engines stand for separate API workers: nothing is shared but the database."""
    engines = [build_engine(engine.url.render_as_string(hide_password=False)) for _ in range(6)]
    start = threading.Barrier(len(engines))
    won: list[int] = []
    refused: list[int | None] = []

    def race(own: Engine) -> None:
        start.wait()
        try:
            won.append(start_run(own, trigger="api", paths=None, stale_after=STALE))
        except JobAlreadyRunning as exc:
            refused.append(exc.run_id)

    threads = [threading.Thread(target=race, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for own in engines:
        own.dispose()
    assert len(won) == 1 and len(refused) == len(engines) - 1
    assert set(refused) <= {won[0], None}


def test_a_job_whose_process_is_gone_is_marked_interrupted_and_frees_the_lock(engine: Engine) -> None:
    job_id = start_run(engine, trigger="cli", paths=None, stale_after=STALE)
    owner = dead_owner()
    with session_scope(engine) as session:
        session.get_one(IngestRun, job_id).owner = owner
    heartbeat = job(engine, job_id).heartbeat_at
    assert recover_interrupted(engine, stale_after=STALE) == [job_id]
    interrupted = job(engine, job_id)
    assert (interrupted.status, interrupted.active, interrupted.finished_at) == ("interrupted", None, heartbeat)
    assert interrupted.errors == [{"path": None, "reason": f"its process ({owner}) no longer exists"}]
    assert start_run(engine, trigger="cli", paths=None, stale_after=STALE) > job_id


def test_a_job_of_a_live_process_is_left_alone(engine: Engine) -> None:
    job_id = start_run(engine, trigger="api", paths=None, stale_after=STALE)
    assert job(engine, job_id).owner == this_owner()
    assert recover_interrupted(engine, stale_after=STALE) == []
    assert job(engine, job_id).status == "running"


def test_a_job_on_another_host_is_interrupted_only_once_its_heartbeat_is_stale(engine: Engine) -> None:
    job_id = start_run(engine, trigger="api", paths=None, stale_after=STALE)
    with session_scope(engine) as session:
        session.get_one(IngestRun, job_id).owner = "another-host:1"
    assert recover_interrupted(engine, stale_after=STALE) == []
    with session_scope(engine) as session:
        session.get_one(IngestRun, job_id).heartbeat_at = datetime.now(UTC) - timedelta(seconds=STALE + 1)
    assert recover_interrupted(engine, stale_after=STALE) == [job_id]
    assert job(engine, job_id).errors == [{"path": None, "reason": f"no heartbeat for {STALE:g} s (JOB_STALE_SECONDS)"}]


def test_a_job_that_lost_its_lock_stops_and_writes_nothing(engine: Engine) -> None:
    job_id = start_run(engine, trigger="api", paths=None, stale_after=STALE)
    with session_scope(engine) as session:
        session.get_one(IngestRun, job_id).owner = "another-host:1"
    assert recover_interrupted(engine, stale_after=0) == [job_id]  # judged dead while alive
    with pytest.raises(JobLost):
        execute_run(engine, job_id, lambda: find_sources([SEEDS]), full=True)
    assert job(engine, job_id).status == "interrupted"
    with session_scope(engine) as session:
        assert session.scalars(select(Document.id)).all() == []


def test_the_migration_marks_runs_left_running_by_older_versions_interrupted(engine: Engine) -> None:
    config = alembic_config(engine)
    command.downgrade(config, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ingest_run (trigger, status, started_at, files_seen, files_added, files_updated,"
                " files_unchanged, files_failed, errors) VALUES ('cli', 'running', :now, 0, 0, 0, 0, 0, '[]')"
            ),
            {"now": datetime.now(UTC)},
        )
    command.upgrade(config, "head")
    with session_scope(engine) as session:
        run = session.scalars(select(IngestRun)).one()
        assert (run.status, run.active, run.files_removed) == ("interrupted", None, 0)
