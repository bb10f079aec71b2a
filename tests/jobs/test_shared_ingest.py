"""Several ingest processes on one PostgreSQL job (`python -m app ingest --join`): run for real, two
processes on this machine against the local server. Each file is ingested by exactly one of them,
the job's counts are the sum of theirs, and a killed process's files are released and taken by the
other. SQLite refuses a shared job and keeps its one process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from app.cli import main
from app.db.engine import build_engine, session_scope
from app.db.migrate import migrate
from app.db.models import Document, IngestRun
from app.jobs.claims import Queue, claim, ingest_claim, ingest_worker, queue_state
from app.jobs.runs import active_run_id, recover_interrupted, release_gone, start_run
from tests.helpers import SEEDS, PostgresServer

HERE = Path(__file__).resolve().parent
NEWS = ("002_4d19cff5ebdb1101.txt", "004_be53cfa65109a65f.txt")
COPIES = 20
"""Copies of each news seed (no 索引号, so each copy is a document of its own): 40 files."""
BATCH = 5
OUTCOMES = ("added", "updated", "unchanged", "failed")


@dataclass
class Shared:
    engine: Engine
    url: str
    sources: Path
    tmp: Path

    @property
    def files(self) -> set[str]:
        return {p.name for p in self.sources.iterdir()}

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "SOURCE_DIR": str(self.sources),
            "INGEST_BATCH_SIZE": str(BATCH),
            "ADMIN_TOKEN": "",
            **extra,
        }

    def start_held(self, stall_at: int) -> tuple[subprocess.Popen[bytes], Path, Path]:
        """A process of the job held in the transaction of its batch that reaches the `stall_at`-th
        document, before it writes; it, its output file and the file that lets it go on."""
        signal_file, resume, out = self.tmp / "held", self.tmp / "resume", self.tmp / "held.out"
        env = self.env(STALL_AT=str(stall_at), STALL_SIGNAL=str(signal_file), RESUME=str(resume))
        process = subprocess.Popen(
            [sys.executable, str(HERE / "shared_ingest.py")],
            cwd=self.tmp,
            env=env,
            stdout=out.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: signal_file.exists(), process, out, "the first process never reached its hold")
        return process, out, resume

    def start(self, name: str) -> tuple[subprocess.Popen[bytes], Path]:
        out = self.tmp / f"{name}.out"
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "ingest", "--join", "--workers", "1"],
            cwd=self.tmp,
            env=self.env(),
            stdout=out.open("wb"),
            stderr=subprocess.STDOUT,
        )
        return process, out

    def job(self) -> IngestRun:
        with session_scope(self.engine) as session:
            run = session.scalars(select(IngestRun).order_by(IngestRun.id.desc())).first()
            assert run is not None
            session.expunge(run)
            return run

    def queue(self) -> Queue:
        with session_scope(self.engine) as session:
            run_id = session.scalar(select(func.max(IngestRun.id)))
            return queue_state(session, run_id or 0)

    def unfinished(self) -> dict[str, str | None]:
        """file → the process that took it, for the files not done."""
        with session_scope(self.engine) as session:
            rows = session.execute(
                select(ingest_claim.c.source_path, ingest_claim.c.worker).where(ingest_claim.c.outcome.is_(None))
            ).all()
        return dict(rows)

    def only_held_by(self, process: subprocess.Popen[bytes]) -> Callable[[], bool]:
        """Whether every file not done is taken, and by `process`."""
        owner = f"{socket.gethostname()}:{process.pid}"
        return lambda: (left := self.unfinished()) != {} and set(left.values()) == {owner}

    def documents(self) -> set[str]:
        with session_scope(self.engine) as session:
            return set(session.scalars(select(Document.source_path)))


def wait_until(done: Callable[[], bool], process: subprocess.Popen[bytes], out: Path, failure: str) -> None:
    """Poll for a state the processes reach; the limit is only for a process that hangs."""
    deadline = time.monotonic() + 180
    while not done():
        assert process.poll() is None, f"{failure}: it exited {process.returncode}:\n{out.read_text()}"
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)


def ingested(out: Path) -> list[str]:
    """The files a process reports having done, one line each."""
    lines = [line.split(maxsplit=1) for line in out.read_text().splitlines()]
    return [parts[1] for parts in lines if len(parts) == 2 and parts[0] in OUTCOMES]


@pytest.fixture
def shared(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[Shared]:
    url = postgres_server.new_database()
    engine = build_engine(url)
    migrate(engine)
    sources = tmp_path / "sources"
    sources.mkdir()
    for copy in range(COPIES):
        for name in NEWS:
            (sources / f"{copy:02}_{name}").write_bytes((SEEDS / name).read_bytes())
    yield Shared(engine, url, sources, tmp_path)
    engine.dispose()


def test_two_processes_share_the_files_and_the_job_counts_what_both_did(shared: Shared) -> None:
    # The first process starts the job, commits one batch and is held inside its second.
    first, first_out, resume = shared.start_held(stall_at=2 * BATCH)
    second, second_out = shared.start("second")
    # The second joins, takes every file left and waits for the first's.
    wait_until(shared.only_held_by(first), second, second_out, "the second did not take the rest")
    resume.touch()
    assert first.wait(120) == 0, first_out.read_text()
    assert second.wait(120) == 0, second_out.read_text()

    by_first, by_second = ingested(first_out), ingested(second_out)
    assert len(by_first) == 2 * BATCH and by_second
    assert not set(by_first) & set(by_second)
    assert sorted(by_first + by_second) == sorted(shared.files)
    job = shared.job()
    assert (job.status, job.active, job.files_total, job.files_seen, job.files_added) == ("succeeded", None, 40, 40, 40)
    assert job.errors == []
    assert shared.documents() == shared.files
    assert shared.queue() == Queue(free=0, taken=0)  # the queue went with the job
    for out in (first_out, second_out):
        assert f"job {job.id} (all processes) succeeded: 40 of 40 files: 40 added" in out.read_text()


def test_a_killed_process_files_are_released_and_taken_by_the_other(shared: Shared) -> None:
    first, first_out, _resume = shared.start_held(stall_at=BATCH)  # inside its first batch
    owner = f"{socket.gethostname()}:{first.pid}"
    held = {path for path, worker in shared.unfinished().items() if worker == owner}
    assert held
    second, second_out = shared.start("second")
    wait_until(shared.only_held_by(first), second, second_out, "the second did not take the rest")
    assert set(shared.unfinished()) == held

    first.send_signal(signal.SIGKILL)
    assert first.wait(30) == -signal.SIGKILL
    assert second.wait(120) == 0, second_out.read_text()

    by_first, by_second = ingested(first_out), ingested(second_out)  # the first's: what it had committed
    assert held <= set(by_second)  # the killed process's files, released and taken
    assert not set(by_first) & set(by_second)
    assert sorted(by_first + by_second) == sorted(shared.files)
    job = shared.job()
    assert (job.status, job.files_seen, job.files_added, job.errors) == ("succeeded", 40, 40, [])
    assert shared.documents() == shared.files


def test_recovery_releases_the_files_of_a_gone_process_and_ends_a_job_whose_processes_all_are(
    shared: Shared,
) -> None:
    engine = shared.engine
    run_id = start_run(engine, trigger="cli", paths=None, stale_after=600, shared=sorted(shared.files))
    gone = f"{socket.gethostname()}:{2**22 + 1}"  # above the kernel's pid limit: no such process
    also_gone = f"{socket.gethostname()}:{2**22 + 2}"
    stale = f"elsewhere:{os.getpid()}"
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    with session_scope(engine) as session:
        for owner, heartbeat in ((gone, datetime.now(UTC)), (stale, long_ago)):
            session.execute(
                insert(ingest_worker).values(run_id=run_id, owner=owner, joined_at=long_ago, heartbeat_at=heartbeat)
            )
            assert len(claim(session, run_id, owner, 3)) == 3
    assert shared.queue() == Queue(free=34, taken=6)

    # This process, the job's first, is alive: the job goes on, the other two's files go back.
    assert recover_interrupted(engine, stale_after=600) == []
    assert sorted(release_gone(engine, run_id, stale_after=600)) == sorted([gone, stale])
    assert shared.queue() == Queue(free=40, taken=0)
    assert active_run_id(engine) == run_id

    # Once its last process is gone too, the job is interrupted and its queue removed.
    with session_scope(engine) as session:
        session.execute(
            ingest_worker.update()
            .where(ingest_worker.c.run_id == run_id, ingest_worker.c.left_at.is_(None))
            .values(owner=also_gone)
        )
    assert recover_interrupted(engine, stale_after=600) == [run_id]
    job = shared.job()
    assert (job.status, job.active) == ("interrupted", None)
    assert "all 1 of its processes are gone" in job.errors[-1]["reason"]
    assert shared.queue() == Queue(free=0, taken=0)


def test_sqlite_refuses_a_shared_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'replies.db'}")
    monkeypatch.setenv("SOURCE_DIR", str(SEEDS))
    from app.config import get_settings
    from app.db.engine import get_engine

    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        assert main(["ingest", "--join"]) == 2
    finally:
        get_settings.cache_clear()
        get_engine.cache_clear()
    assert "a shared ingest needs PostgreSQL" in capsys.readouterr().err


def test_a_document_held_by_a_file_of_another_process_fails_the_second_file(shared: Shared) -> None:
    from sqlalchemy.orm import Session

    from app.jobs.claims import hold
    from app.jobs.ingest import Claims, Pending, _hold_documents
    from app.sources import SourceFile

    engine = shared.engine
    first, second = sorted(shared.files)[:2]
    run_id = start_run(engine, trigger="cli", paths=None, stale_after=600, shared=[first, second])
    with session_scope(engine) as session:  # another process's batch, committed: it holds the document
        hold(session, run_id, [(first, 4273036748858228)])
    pending = Pending(SourceFile(shared.sources / second, second), None, document=(4273036748858228, "11500000MB1"))
    with Session(engine) as session:
        _hold_documents(session, run_id, [pending], Claims())
        session.rollback()
    assert (pending.outcome, pending.reason) == ("failed", f"same document (索引号 11500000MB1) as {first}")
