"""A shared ingest job's queue: the files of one job, each claimed in the database by the process
that ingests it, so several processes, on one machine or several, can feed one PostgreSQL database
and never ingest the same file twice.

The process that starts a shared job lists its files once, in `ingest_claim`, in the transaction
that takes the job's lock; it and every process that joins register in `ingest_worker` and take
files a chunk at a time (`SELECT … FOR UPDATE SKIP LOCKED`, so two never wait on or take the same
rows). A file's claim is settled, its outcome written, in the transaction that loads its document
and adds its counts to the job's, so a file is either done, with its rows and counts committed, or
not done and still claimed. A killed process's claims are released (`app.jobs.runs.release_gone`)
and taken by another. A document is held by one claim of the job (`document_id`, unique per job):
a second file with the same 索引号 fails, whichever process parses it, as it does in one process.

The rows are the queue of a running job only: they go when the job ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.db.models import Base, PublicId

ingest_worker = Table(
    "ingest_worker",
    Base.metadata,
    Column("run_id", Integer, ForeignKey("ingest_run.id", ondelete="CASCADE"), primary_key=True),
    Column("owner", String(200), primary_key=True),  # host:pid
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
    Column("left_at", DateTime(timezone=True)),  # when it stopped taking files; NULL while it works
)
"""The processes that work on a shared job, each with a heartbeat of its own."""

ingest_claim = Table(
    "ingest_claim",
    Base.metadata,
    Column("run_id", Integer, ForeignKey("ingest_run.id", ondelete="CASCADE"), primary_key=True),
    Column("source_path", String(1000), primary_key=True),  # relative to SOURCE_DIR
    Column("position", Integer, nullable=False),  # files are handed out in this order
    Column("worker", String(200)),  # the owner that took it; NULL while nobody has
    Column("document_id", PublicId),  # the document it holds, once its batch commits
    Column("outcome", String(10)),  # added, updated, unchanged or failed, once done
    UniqueConstraint("run_id", "document_id"),
    Index("ix_ingest_claim_queue", "run_id", "worker", "position"),
)
"""One row per file of a shared job."""

QUEUE_CHUNK = 1000
"""Claim rows inserted per statement when a job is queued."""


def queue_files(session: Session, run_id: int, names: Sequence[str]) -> None:
    """List `names` (in order) as the files of job `run_id`, in the caller's transaction."""
    for start in range(0, len(names), QUEUE_CHUNK):
        session.execute(
            insert(ingest_claim),
            [
                {"run_id": run_id, "source_path": name, "position": start + i}
                for i, name in enumerate(names[start : start + QUEUE_CHUNK])
            ],
        )


def join(session: Session, run_id: int, owner: str) -> None:
    now = datetime.now(UTC)
    session.execute(insert(ingest_worker).values(run_id=run_id, owner=owner, joined_at=now, heartbeat_at=now))


def beat(session: Session, run_id: int, owner: str) -> None:
    """Write the worker's heartbeat in the caller's transaction."""
    session.execute(
        update(ingest_worker)
        .where(ingest_worker.c.run_id == run_id, ingest_worker.c.owner == owner)
        .values(heartbeat_at=datetime.now(UTC))
    )


def leave(session: Session, run_id: int, owner: str) -> None:
    """The worker stops: it takes no more files and gives back those it took and did not finish."""
    session.execute(
        update(ingest_worker)
        .where(ingest_worker.c.run_id == run_id, ingest_worker.c.owner == owner)
        .values(left_at=datetime.now(UTC))
    )
    release(session, run_id, owner)


def release(session: Session, run_id: int, owner: str) -> int:
    """Hand the unfinished files `owner` took back to the queue; how many."""
    result = session.execute(
        update(ingest_claim)
        .where(ingest_claim.c.run_id == run_id, ingest_claim.c.worker == owner, ingest_claim.c.outcome.is_(None))
        .values(worker=None, document_id=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def claim(session: Session, run_id: int, owner: str, limit: int) -> list[str]:
    """Take up to `limit` files nobody has taken, first in order; their names, in order. Rows that
    another process is taking at this moment are skipped, not waited for."""
    # Chosen once, in a CTE of its own: as a subquery in the update's WHERE the planner may run it
    # again for each row updated, and each run skips the rows just updated and picks the next ones.
    queue = ingest_claim.alias("queue")
    free = (
        select(queue.c.source_path)
        .where(queue.c.run_id == run_id, queue.c.worker.is_(None), queue.c.outcome.is_(None))
        .order_by(queue.c.position)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("free")
        .prefix_with("MATERIALIZED")
    )
    taken = session.execute(
        update(ingest_claim)
        .where(ingest_claim.c.run_id == run_id, ingest_claim.c.source_path.in_(select(free.c.source_path)))
        .values(worker=owner)
        .returning(ingest_claim.c.position, ingest_claim.c.source_path)
    ).all()
    return [name for _, name in sorted(taken)]


def hold(session: Session, run_id: int, documents: Sequence[tuple[str, int]]) -> None:
    """Record the document each (source path, document id) stands for. Raises IntegrityError when
    another file of the job holds one of them (once that file's transaction commits; until then
    this waits for it, so the first to commit keeps the document)."""
    if documents:
        session.execute(
            update(ingest_claim).where(
                ingest_claim.c.run_id == run_id, ingest_claim.c.source_path == bindparam("path")
            ),
            [{"path": p, "document_id": d} for p, d in sorted(documents, key=lambda pair: pair[1])],
        )


def holder(session: Session, run_id: int, document_id: int) -> str | None:
    """The file of the job that holds `document_id`."""
    return session.scalar(
        select(ingest_claim.c.source_path).where(
            ingest_claim.c.run_id == run_id, ingest_claim.c.document_id == document_id
        )
    )


def settle(session: Session, run_id: int, owner: str, outcomes: Sequence[tuple[str, str]]) -> bool:
    """Write each (source path, outcome) of files `owner` took, in the batch's transaction. False
    if some were taken from it meanwhile (it was judged gone): then the caller must roll back.
    The rows are locked first, so a release cannot slip in between the check and the write."""
    if not outcomes:
        return True
    ours = session.scalars(
        select(ingest_claim.c.source_path)
        .where(
            ingest_claim.c.run_id == run_id,
            ingest_claim.c.worker == owner,
            ingest_claim.c.outcome.is_(None),
            ingest_claim.c.source_path.in_([p for p, _ in outcomes]),
        )
        .with_for_update()
    ).all()
    if len(ours) != len(outcomes):
        return False
    session.execute(
        update(ingest_claim).where(ingest_claim.c.run_id == run_id, ingest_claim.c.source_path == bindparam("path")),
        [{"path": p, "outcome": o} for p, o in outcomes],
    )
    return True


@dataclass(frozen=True, slots=True)
class Queue:
    """Where a shared job's files stand."""

    free: int
    """Nobody has taken them."""
    taken: int
    """Taken, not done."""

    @property
    def done(self) -> bool:
        return self.free == 0 and self.taken == 0


def queue_state(session: Session, run_id: int) -> Queue:
    free, taken = session.execute(
        select(
            func.count().filter(ingest_claim.c.worker.is_(None)),
            func.count().filter(ingest_claim.c.worker.is_not(None)),
        ).where(ingest_claim.c.run_id == run_id, ingest_claim.c.outcome.is_(None))
    ).one()
    return Queue(int(free), int(taken))


def queued_names(session: Session, run_id: int) -> set[str]:
    return set(session.scalars(select(ingest_claim.c.source_path).where(ingest_claim.c.run_id == run_id)))


def workers(session: Session, run_id: int) -> list[tuple[str, datetime]]:
    """(owner, last heartbeat) of each process still working on the job."""
    rows = session.execute(
        select(ingest_worker.c.owner, ingest_worker.c.heartbeat_at).where(
            ingest_worker.c.run_id == run_id, ingest_worker.c.left_at.is_(None)
        )
    ).all()
    return [(owner, heartbeat) for owner, heartbeat in rows]


def is_shared(session: Session, run_id: int) -> bool:
    return session.scalar(select(func.count()).where(ingest_worker.c.run_id == run_id)) != 0


def forget(session: Session, run_id: int) -> None:
    """Remove the job's queue and workers, in the transaction that ends it."""
    session.execute(delete(ingest_claim).where(ingest_claim.c.run_id == run_id))
    session.execute(delete(ingest_worker).where(ingest_worker.c.run_id == run_id))
