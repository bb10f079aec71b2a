"""The job table as a lock: start a job, keep it alive, end it, and recover jobs whose process died.

One job at a time, enforced by the database: a job holds `ingest_run.active = true` from the moment
it is queued until it ends, and a unique constraint admits one such row. Whichever process asks
second (another API worker, the CLI) gets an IntegrityError, which becomes `JobAlreadyRunning`
naming the holder. No advisory locks or table locks, so it means the same on SQLite and PostgreSQL.

A process killed mid-job (`kill -9`, a crashed host) cannot release its lock. Its job is recognised
as dead, and marked `interrupted`, when its owner process no longer exists on this host or it has
not written a heartbeat for `job_stale_seconds`; `recover_interrupted` runs when the API starts,
before every new job and when the CLI ingests. A job that finds its lock taken from it (judged dead
while alive: a paused VM, a pid shared across containers) stops at its next file rather than run
beside the job that replaced it.

A shared job (PostgreSQL, `app.jobs.claims`) is worked on by several processes, each with its own
heartbeat in `ingest_worker`; such a job is dead only once every one of its processes is, and a
process found dead meanwhile has its files released to the others (`release_gone`).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import session_scope
from app.db.models import FinalStatus as FinalStatus  # the job modules import it from here
from app.db.models import IngestRun, JobTrigger
from app.jobs import claims
from app.periods import as_utc

log = logging.getLogger("app.jobs")

Trigger = JobTrigger


class JobAlreadyRunning(Exception):
    """Another job holds the lock; `run_id` is that job (None if it ended while we looked)."""

    def __init__(self, run_id: int | None) -> None:
        super().__init__(f"ingest job {run_id} is still running" if run_id else "another ingest job is running")
        self.run_id = run_id


class JobLost(Exception):
    """This job's lock was taken from it: it was judged dead and marked interrupted."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"ingest job {run_id} was marked interrupted by another process; stopping")
        self.run_id = run_id


def this_owner() -> str:
    """host:pid of the calling process; read per call, since a forked worker has a pid of its own."""
    return f"{socket.gethostname()}:{os.getpid()}"


def start_run(
    engine: Engine,
    *,
    trigger: Trigger,
    paths: list[str] | None,
    queued: bool = False,
    stale_after: float,
    shared: Sequence[str] | None = None,
) -> int:
    """Take the lock by inserting an unfinished job; its id. Raises JobAlreadyRunning if one exists.
    With `shared` (the job's files, by name under SOURCE_DIR), the job is one other processes may
    join: its files are queued and this process is its first worker, in the same transaction, so a
    process that finds the job finds its whole queue.

    Dead jobs are recovered first, so a crash never leaves the lock held for good."""
    recover_interrupted(engine, stale_after=stale_after)
    for _attempt in range(3):  # the holder may end between our insert and our look at it
        now = datetime.now(UTC)
        try:
            with session_scope(engine) as session:
                run = IngestRun(
                    trigger=trigger,
                    status="queued" if queued else "running",
                    active=True,
                    started_at=now,
                    heartbeat_at=now,
                    owner=this_owner(),
                    paths=paths,
                    errors=[],
                )
                session.add(run)
                session.flush()
                if shared is not None:
                    claims.queue_files(session, run.id, shared)
                    claims.join(session, run.id, this_owner())
                return run.id
        except IntegrityError:
            holder = active_run_id(engine)
            if holder is not None:
                raise JobAlreadyRunning(holder) from None
    raise JobAlreadyRunning(None)


def active_run_id(engine: Engine) -> int | None:
    with session_scope(engine) as session:
        return session.scalar(select(IngestRun.id).where(IngestRun.active.is_not(None)))


def touch_run(engine: Engine, run_id: int, **values: Any) -> None:
    """Write progress and a heartbeat. Raises JobLost if the job no longer holds the lock."""
    with session_scope(engine) as session:
        record_progress(session, run_id, **values)


def record_progress(session: Session, run_id: int, **values: Any) -> None:
    """`touch_run` in the caller's transaction, so progress commits with the documents it counts."""
    result = session.execute(
        update(IngestRun)
        .where(IngestRun.id == run_id, IngestRun.active.is_not(None))
        .values(heartbeat_at=datetime.now(UTC), **values)
    )
    if _rowcount(result) == 0:
        raise JobLost(run_id)


def add_progress(session: Session, run_id: int, counts: dict[str, int], errors: list[dict[str, str | None]]) -> None:
    """Add one process's batch to a shared job's counts and errors, with a heartbeat, in the batch's
    transaction: the row is locked from the first statement to the commit, so batches committed by
    several processes at once all add up. Raises JobLost if the job no longer holds the lock."""
    columns = {f"files_{outcome}": getattr(IngestRun, f"files_{outcome}") + n for outcome, n in counts.items()}
    columns["files_seen"] = IngestRun.files_seen + sum(counts.values())
    stored = session.execute(
        update(IngestRun)
        .where(IngestRun.id == run_id, IngestRun.active.is_not(None))
        .values(heartbeat_at=datetime.now(UTC), **columns)
        .returning(IngestRun.errors)
    ).first()
    if stored is None:
        raise JobLost(run_id)
    if errors:
        session.execute(update(IngestRun).where(IngestRun.id == run_id).values(errors=[*(stored[0] or []), *errors]))


def join_run(engine: Engine, run_id: int) -> bool:
    """Join shared job `run_id` as one more of its processes. False if it has ended meanwhile;
    raises JobAlreadyRunning if it is running but is not a shared job."""
    with session_scope(engine) as session:
        if session.scalar(select(IngestRun.active).where(IngestRun.id == run_id)) is None:
            return False
        if not claims.is_shared(session, run_id):
            raise JobAlreadyRunning(run_id)
        claims.join(session, run_id, this_owner())
        return True


def finish_run(session: Session, run_id: int, status: FinalStatus, *conditions: Any, **values: Any) -> bool:
    """End the job and release the lock, in the caller's transaction, if `conditions` hold. False if
    it had lost the lock (someone marked it interrupted) or they did not hold, in which case nothing
    is written and the caller must roll back."""
    now = datetime.now(UTC)
    result = session.execute(
        update(IngestRun)
        .where(IngestRun.id == run_id, IngestRun.active.is_not(None), *conditions)
        .values(status=status, active=None, finished_at=now, heartbeat_at=now, **values)
    )
    return _rowcount(result) == 1


def mark_interrupted(engine: Engine, run_id: int, reason: str) -> bool:
    """End job `run_id` as interrupted, saying why, if it still holds the lock: for a job whose
    process is known to be gone. False if it had ended already."""
    with session_scope(engine) as session:
        # Write first: SQLite then takes its write lock before this transaction reads, waiting for a
        # job that is committing a batch; read first, it could not upgrade a snapshot that batch
        # made stale, and would fail at once ("database is locked") instead of waiting.
        session.execute(update(IngestRun).where(IngestRun.id == run_id).values(heartbeat_at=IngestRun.heartbeat_at))
        row = session.execute(_UNFINISHED.where(IngestRun.id == run_id)).first()
        return row is not None and _interrupt(session, _Unfinished(*row), reason)


@dataclass(frozen=True, slots=True)
class _Unfinished:
    id: int
    owner: str | None
    heartbeat_at: datetime | None
    started_at: datetime
    errors: list[Any] | None


_UNFINISHED = select(IngestRun.id, IngestRun.owner, IngestRun.heartbeat_at, IngestRun.started_at, IngestRun.errors)


def recover_interrupted(engine: Engine, *, stale_after: float) -> list[int]:
    """Mark `interrupted` every unfinished job whose process is gone, releasing the lock; their ids.

    The update is conditional on the heartbeat read, so a job that writes one meanwhile is left alone."""
    with session_scope(engine) as session:
        rows = session.execute(_UNFINISHED.where(IngestRun.active.is_not(None))).all()
    now = datetime.now(UTC)
    recovered = []
    for row in (_Unfinished(*r) for r in rows):
        why = _why_dead(engine, row, now, stale_after)
        if why is None:
            continue
        unchanged = (
            IngestRun.heartbeat_at.is_(None) if row.heartbeat_at is None else IngestRun.heartbeat_at == row.heartbeat_at
        )
        with session_scope(engine) as session:
            if _interrupt(session, row, why, unchanged):
                recovered.append(row.id)
                log.warning("ingest job %s (owner %s) is gone; marked interrupted", row.id, row.owner)
    return recovered


def _interrupt(session: Session, run: _Unfinished, reason: str, *conditions: Any) -> bool:
    """End `run` as interrupted if it still holds the lock (and `conditions` hold), `reason` added to
    its errors. Its `finished_at` is its last heartbeat, the last moment it is known to have worked."""
    result = session.execute(
        update(IngestRun)
        .where(IngestRun.id == run.id, IngestRun.active.is_not(None), *conditions)
        .values(
            status="interrupted",
            active=None,
            finished_at=run.heartbeat_at or run.started_at,
            errors=[*(run.errors or []), {"path": None, "reason": reason}],
        )
    )
    if _rowcount(result) != 1:
        return False
    claims.forget(session, run.id)
    return True


def _why_dead(engine: Engine, run: _Unfinished, now: datetime, stale_after: float) -> str | None:
    """Why the job's process (every one of a shared job's) is taken for dead, or None while one may
    be alive."""
    with session_scope(engine) as session:
        shared = claims.is_shared(session, run.id)
        working = claims.workers(session, run.id) if shared else []
    if not shared:
        return _why_gone(run.owner, run.heartbeat_at or run.started_at, now, stale_after)
    reasons = [_why_gone(owner, heartbeat, now, stale_after) for owner, heartbeat in working]
    if working and None in reasons:
        return None
    if not working:  # every process left without ending it: ended by a crash between the two
        return _why_gone(None, run.heartbeat_at or run.started_at, now, stale_after) or "all its processes left"
    return f"all {len(working)} of its processes are gone: " + "; ".join(r for r in reasons if r)


def release_gone(engine: Engine, run_id: int, *, stale_after: float) -> list[str]:
    """Release the files taken by the processes of shared job `run_id` that are gone, so the others
    take them; those processes' owners. A process judged gone is marked as having left, so a
    heartbeat it writes afterwards does not bring it back: its next batch finds its files taken."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        working = claims.workers(session, run_id)
    gone = [owner for owner, heartbeat in working if _why_gone(owner, heartbeat, now, stale_after)]
    for owner in gone:
        with session_scope(engine) as session:
            claims.leave(session, run_id, owner)
        log.warning("ingest job %s: process %s is gone; its files go back to the queue", run_id, owner)
    return gone


def _why_gone(owner: str | None, last_seen: datetime, now: datetime, stale_after: float) -> str | None:
    """Why the process `owner` (host:pid) is taken for dead, or None while it may be alive."""
    if now - as_utc(last_seen) > timedelta(seconds=stale_after):
        return f"no heartbeat for {stale_after:g} s (JOB_STALE_SECONDS)"
    host, _, pid = (owner or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and not _process_exists(int(pid)):
        return f"its process ({owner}) no longer exists"
    return None  # alive, or on another host, where only its heartbeat can tell


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: no signal sent, only the existence check
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    return True


def _rowcount(result: Any) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0
