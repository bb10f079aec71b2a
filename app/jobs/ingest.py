"""The ingest service: source files in, rows out, every run recorded as a job. The CLI, the admin
re-ingest job and uploads all go through `execute_run`; nothing else parses and loads.

Files are read and checked here, parsed in a pool of processes (`app.jobs.pool`, one per core),
and come back in source order to the one writer, which loads a batch (up to INGEST_BATCH_SIZE
documents, committed at least once a second with the job's progress) with one statement per table
(`load_records`). A file that fails to parse, hangs or crashes its parser costs only itself; a
batch the database refuses is loaded again document by document under savepoints, so a bad
document fails alone; readers see each document either before or after, never half-way.
A process killed between files, or inside one, leaves every document at one version or the other;
the next run skips what is already stored (same sha256, same parser version) and does the rest.

Documents whose source file disappeared are removed only by a full run (the whole SOURCE_DIR)
that finishes, in the same transaction that ends the job: a run that fails, is interrupted, or
was asked for some paths only cannot know what vanished, so it removes nothing.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import Engine, exists, select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db.engine import bulk_load, limit_wal, session_scope, settle_search_index
from app.db.load import (
    DocumentRows,
    StoredSource,
    delete_documents,
    document_rows,
    load_records,
    sha256_of,
    stored_sources,
)
from app.db.models import Document, IngestRun
from app.ingest.version import parser_version
from app.jobs.claims import (
    beat,
    claim,
    forget,
    hold,
    holder,
    ingest_claim,
    leave,
    queue_state,
    queued_names,
    settle,
    workers,
)
from app.jobs.pool import Parsed, ParseFailed, ParsePool, Prepare
from app.jobs.runs import (
    FinalStatus,
    JobAlreadyRunning,
    JobLost,
    Trigger,
    active_run_id,
    add_progress,
    finish_run,
    join_run,
    record_progress,
    recover_interrupted,
    release_gone,
    start_run,
    this_owner,
    touch_run,
)
from app.sources import SourceFile

log = logging.getLogger("app.jobs")

PROGRESS_SECONDS = 1.0
"""A batch is committed, with the job's progress and heartbeat, at least this often."""

Outcome = Literal["added", "updated", "unchanged", "failed"]


class NothingToIngest(Exception):
    """A full run found no source files: more likely a missing mount than an empty corpus, so it
    fails instead of removing every document."""


@dataclass
class IngestSummary:
    run_id: int
    status: FinalStatus = "failed"
    counts: dict[Outcome, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0, "failed": 0})
    errors: list[dict[str, str | None]] = field(default_factory=list)
    """{"path", "reason"} per failed file; path is None for an error of the job as a whole."""
    total: int | None = None
    removed: int = 0

    @property
    def seen(self) -> int:
        return sum(self.counts.values())

    def columns(self) -> dict[str, Any]:
        """The job row's progress columns."""
        return {
            "files_total": self.total,
            "files_seen": self.seen,
            "files_added": self.counts["added"],
            "files_updated": self.counts["updated"],
            "files_unchanged": self.counts["unchanged"],
            "files_failed": self.counts["failed"],
            "files_removed": self.removed,
            "errors": self.errors,
        }


Progress = Callable[[SourceFile, Outcome, str | None], None]
Sources = Callable[[], Iterable[SourceFile]]
"""Finds the files to ingest; called once the job runs, so a big walk does not delay the caller."""


def run_ingest(
    engine: Engine,
    sources: Iterable[SourceFile],
    *,
    trigger: Trigger = "cli",
    progress: Progress | None = None,
    full: bool = False,
    paths: list[str] | None = None,
    workers: int | None = None,
    prepare: Prepare = document_rows,
) -> IngestSummary:
    """Start a job and run it to the end in the calling thread (the CLI's way). Raises
    JobAlreadyRunning if another job holds the lock.

    `full` says `sources` is the whole corpus, so documents whose source is not among them go.
    `paths` is what was asked for, recorded on the job; by default the sources' own paths.
    `workers` parser processes (default INGEST_WORKERS, else the machine's cores) run `prepare`."""
    listed = list(sources)
    asked = None if full else (paths if paths is not None else [s.relative for s in listed])
    run_id = start_run(engine, trigger=trigger, paths=asked, stale_after=get_settings().job_stale_seconds)
    return execute_run(engine, run_id, lambda: listed, full=full, progress=progress, workers=workers, prepare=prepare)


def execute_run(
    engine: Engine,
    run_id: int,
    sources: Sources,
    *,
    full: bool,
    progress: Progress | None = None,
    workers: int | None = None,
    prepare: Prepare = document_rows,
    dump: bool = True,
) -> IngestSummary:
    """Run job `run_id`, which holds the lock (see `start_run`), to its end: succeeded once every
    file has been tried (files may fail; the job still succeeds), failed on an error of the job as a
    whole, interrupted on Ctrl-C. An exception still propagates after the job is recorded. With
    `dump` (and DUMPS_DIR set), a job that changed data ends by publishing a bulk dump."""
    try:
        settings = get_settings()
        pool = ParsePool(
            workers or settings.ingest_workers or default_workers(),
            timeout=settings.ingest_parse_timeout_seconds,
            prepare=prepare,
        )
        with pool:
            summary = _run_to_end(engine, run_id, sources, pool, full=full, progress=progress)
    finally:
        limit_wal(engine, truncate=True)  # however the job ended, the log it grew is handed back
    if dump:
        _dump_if_changed(engine, summary)
    return summary


def _dump_if_changed(engine: Engine, summary: IngestSummary) -> None:
    """With DUMPS_DIR set, a job that succeeded ends by publishing a dump of the data it left (unless
    the newest dump already holds that data version). Outside the job's transactions and after its
    parser processes are gone; a dump that fails is in the job's errors, never undoes its data."""
    dumps_dir = get_settings().dumps_dir
    if dumps_dir is None or summary.status != "succeeded":
        return
    from app.dumps import dump_after_ingest  # renders with the API's renderers: loaded only when dumps are on

    if (reason := dump_after_ingest(engine, summary.run_id, dumps_dir)) is not None:
        summary.errors.append({"path": None, "reason": reason})


def default_workers() -> int:
    """The cores this process may run on (a container's CPU set, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _run_to_end(
    engine: Engine, run_id: int, sources: Sources, pool: ParsePool, *, full: bool, progress: Progress | None
) -> IngestSummary:
    summary = IngestSummary(run_id=run_id)
    try:
        touch_run(engine, run_id, status="running")
        found = list(dict.fromkeys(sources()))  # a file asked for twice (a folder and a file in it) once
        if full and not found:
            raise NothingToIngest("no source documents found; refusing to remove every document")
        summary.total = len(found)
        touch_run(engine, run_id, files_total=summary.total)
        claimed = Claims()
        # One connection for the whole job, so the bulk-load settings are set and handed back on it.
        with engine.connect() as connection, bulk_load(connection), Session(bind=connection) as session:
            commit = functools.partial(_commit_batch, session, summary, claimed=claimed, progress=progress)
            _ingest_files(engine, session, found, pool, claimed, commit)
            if settle_search_index(session.connection(), changed=summary.counts["added"] + summary.counts["updated"]):
                session.commit()
                # The merge wrote the whole index into the log: copy it back while the job holds its
                # lock. Reset later, the log would fail the first write of a job started meanwhile
                # that had already read (SQLite's snapshot is then out of date).
                limit_wal(engine, truncate=True)
        summary.status = "succeeded"
    except JobLost:
        log.error("ingest job %s lost its lock; stopped without recording an end", run_id)
        summary.status = "interrupted"
        raise
    except KeyboardInterrupt:
        summary.status = "interrupted"
        _end(engine, summary, present=None)
        raise
    except Exception as exc:
        summary.errors.append({"path": None, "reason": f"{type(exc).__name__}: {exc}"})
        _end(engine, summary, present=None)
        raise
    try:
        _end(engine, summary, present={s.relative for s in found} if full else None)
    except Exception as exc:
        # Ending failed (the removal of vanished sources, say): end as failed, removing nothing,
        # so the lock is released now rather than when the job is taken for dead.
        summary.status = "failed"
        summary.errors.append({"path": None, "reason": f"{type(exc).__name__}: {exc}"})
        _end(engine, summary, present=None)
        raise
    return summary


def _ingest_files(
    engine: Engine,
    session: Session,
    found: list[SourceFile],
    pool: ParsePool,
    claimed: Claims,
    commit: Callable[[list[Pending]], None],
) -> None:
    """Read, parse and hand `found` to `commit` in batches of INGEST_BATCH_SIZE files, or fewer
    when a second has passed since the batch opened."""
    batch_size = get_settings().ingest_batch_size
    pending: list[Pending] = []
    opened = time.monotonic()
    read = _read_sources(session, found, claimed, parser_version())
    for done, (looked, parsed) in enumerate(pool.in_order(read), start=1):
        pending.append(ingest_file(looked, parsed, claimed))
        full_batch = len(pending) >= batch_size or time.monotonic() - opened >= PROGRESS_SECONDS
        if full_batch or done == len(found):
            commit(pending)
            limit_wal(engine, bulk=True)
            pending, opened = [], time.monotonic()


@dataclass
class Claims:
    """What a run has already taken, so a second file cannot silently replace the first's document."""

    documents: dict[int, str] = field(default_factory=dict)
    """document id → the source name that holds it"""
    names: dict[str, Path] = field(default_factory=dict)
    """source name → the file that has it (the same file name in two folders given to the CLI)"""


LOOKUP_CHUNK = 500
"""Files whose stored hashes are read in one query."""


@dataclass(slots=True)
class Looked:
    """A source file as read: its bytes went to a parser, or its outcome is known already."""

    source: SourceFile
    stored: StoredSource | None = None
    outcome: Literal["unchanged", "failed"] | None = None
    reason: str | None = None


@dataclass(slots=True)
class Pending:
    """A file of the batch being written: its rows to load, or its outcome."""

    source: SourceFile
    outcome: Outcome | None
    reason: str | None = None
    rows: DocumentRows | None = None
    document: tuple[int, str | None] | None = None
    """(id, 索引号) of the document the file stands for, once known."""


def _read_sources(
    session: Session, found: list[SourceFile], claimed: Claims, version: str
) -> Iterator[tuple[Looked, tuple[bytes, str, str, str] | None]]:
    """Each file, read, with what to parse: None when it is unchanged (same sha256, same parser
    version) or cannot be read. Stored hashes are looked up a chunk of files at a time."""
    for start in range(0, len(found), LOOKUP_CHUNK):
        chunk = found[start : start + LOOKUP_CHUNK]
        stored = stored_sources(session, [s.relative for s in chunk])
        for source in chunk:
            holder = claimed.names.setdefault(source.relative, source.path)
            if holder != source.path:
                reason = f"another file in this run has the same source name {source.relative!r}: {holder}"
                yield Looked(source, outcome="failed", reason=reason), None
                continue
            try:
                raw = source.path.read_bytes()
            except OSError as exc:
                yield Looked(source, outcome="failed", reason=f"cannot read: {exc.strerror or exc}"), None
                continue
            known = stored.get(source.relative)
            if known and known.sha256 == sha256_of(raw) and known.parser_version == version:
                yield Looked(source, known, outcome="unchanged"), None
            else:
                yield Looked(source, known), (raw, source.name, source.relative, version)


def ingest_file(looked: Looked, parsed: Parsed | ParseFailed | None, claimed: Claims) -> Pending:
    """Decide a file's part in its batch, in source order, as a one-file-at-a-time run would: a
    second file cannot silently replace the first's document."""
    source = looked.source
    if looked.outcome == "unchanged" and looked.stored:
        holder = claimed.documents.setdefault(looked.stored.document_id, source.relative)
        if holder != source.relative:  # an earlier file of this run took (and replaced) its document
            return Pending(source, "failed", f"same document (索引号 {looked.stored.index_no}) as {holder}")
        return Pending(source, "unchanged", document=(looked.stored.document_id, looked.stored.index_no))
    if looked.outcome == "failed" or parsed is None:
        return Pending(source, "failed", looked.reason)
    if isinstance(parsed, ParseFailed):
        return Pending(source, "failed", parsed.reason)
    rows = parsed.rows
    holder = claimed.documents.setdefault(rows.document_id, source.relative)
    if holder != source.relative:
        return Pending(source, "failed", f"same document (索引号 {rows.index_no}) as {holder}")
    return Pending(source, None, rows=rows, document=(rows.document_id, rows.index_no))


def _commit_batch(
    session: Session,
    summary: IngestSummary,
    batch: list[Pending],
    *,
    claimed: Claims,
    progress: Progress | None,
) -> None:
    """Write a batch's documents and commit them together with the job's progress and heartbeat:
    fewer, larger transactions (each commit flushes the full-text index), and a progress that never
    counts a document that is not yet visible."""
    _write(session, [p for p in batch if p.rows is not None], claimed)
    for item in batch:
        summary.counts[item.outcome or "failed"] += 1
        if item.reason:
            summary.errors.append({"path": item.source.relative, "reason": item.reason})
    record_progress(session, summary.run_id, **summary.columns())
    session.commit()
    if progress:
        for item in batch:
            progress(item.source, item.outcome or "failed", item.reason)


def _write(session: Session, items: list[Pending], claimed: Claims) -> None:
    """Load the batch's documents together, under a savepoint; if the database refuses one (a
    value too long, say), undo them and load each under a savepoint of its own, so that one fails
    alone and the rest of the batch commits."""
    if not items:
        return
    docs = [cast(DocumentRows, item.rows) for item in items]
    try:
        with session.begin_nested():
            replaced = load_records(session, docs)
    except (DataError, IntegrityError) as exc:
        if len(items) > 1:
            for item in items:
                _write(session, [item], claimed)
            return
        first_line = str(exc.orig).splitlines()[0]
        items[0].outcome, items[0].reason = "failed", f"cannot store: {type(exc.orig).__name__}: {first_line}"
        claimed.documents.pop(docs[0].document_id, None)
        return
    for item, was_stored in zip(items, replaced, strict=True):
        item.outcome = "updated" if was_stored else "added"


def _end(engine: Engine, summary: IngestSummary, *, present: set[str] | None) -> None:
    """Record the end of the job and release its lock; with `present` (a full run that succeeded),
    remove the documents whose source is not in it, in the same transaction."""
    with session_scope(engine) as session:
        gone: list[int] = []
        if present is not None:
            stored = session.execute(select(Document.id, Document.source_path)).all()
            gone = [document_id for document_id, path in stored if path not in present]
            summary.removed = len(gone)
        if not finish_run(session, summary.run_id, summary.status, **summary.columns()):
            session.rollback()
            summary.status = "interrupted"
            log.error("ingest job %s lost its lock before it ended; its end is not recorded", summary.run_id)
            return
        delete_documents(session, gone)


# A shared job: several processes, one queue (PostgreSQL; app.jobs.claims).

DEADLOCK_RETRIES = 3
"""Times a shared batch is written again after the database broke a deadlock by aborting it (two
processes locking the same proposal's or institution's rows in another order, say)."""


class NotShareable(Exception):
    """A shared job was asked of a database or for files it cannot be run on."""


class WorkerLost(Exception):
    """This process was judged gone while it worked (no heartbeat for JOB_STALE_SECONDS): its files
    were handed to the others, so it stops rather than ingest them a second time."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"ingest job {run_id} handed this process's files to another; stopping")


def run_shared_ingest(
    engine: Engine,
    sources: Sources,
    *,
    full: bool,
    paths: list[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    prepare: Prepare = document_rows,
) -> IngestSummary:
    """Work on the shared job that runs, as one more of its processes, or start one over `sources`
    (named relative to SOURCE_DIR) that others may join; return when its queue is empty. The
    summary counts the files this process did; the job's row counts all of them.

    Raises NotShareable on SQLite, JobAlreadyRunning while a job that is not shared runs."""
    if engine.dialect.name != "postgresql":
        raise NotShareable("a shared ingest needs PostgreSQL (SQLite admits one writer: use --workers)")
    settings = get_settings()
    run_id = _join_or_start(engine, sources, full=full, paths=paths)
    pool = ParsePool(
        workers or settings.ingest_workers or default_workers(),
        timeout=settings.ingest_parse_timeout_seconds,
        prepare=prepare,
    )
    with pool:
        summary = _run_shared(engine, run_id, settings.source_dir, pool, progress)
    _dump_if_changed(engine, summary)
    return summary


def _join_or_start(engine: Engine, sources: Sources, *, full: bool, paths: list[str] | None) -> int:
    stale_after = get_settings().job_stale_seconds
    for _attempt in range(3):  # the job found may end, or another process start one, as we look
        recover_interrupted(engine, stale_after=stale_after)
        running = active_run_id(engine)
        if running is not None:
            if join_run(engine, running):
                return running
            continue
        found = list(dict.fromkeys(sources()))
        if full and not found:
            raise NothingToIngest("no source documents found; refusing to remove every document")
        names = [s.relative for s in found]
        try:
            run_id = start_run(
                engine, trigger="cli", paths=None if full else (paths or names), stale_after=stale_after, shared=names
            )
        except JobAlreadyRunning:
            continue
        touch_run(engine, run_id, files_total=len(names))
        return run_id
    raise JobAlreadyRunning(active_run_id(engine))


def _run_shared(
    engine: Engine, run_id: int, source_dir: Path, pool: ParsePool, progress: Progress | None
) -> IngestSummary:
    """Take files a batch at a time until none is left; then wait, releasing the files of processes
    that die, until the other processes are done too, and end the job if no one else has."""
    settings = get_settings()
    me = this_owner()
    summary = IngestSummary(run_id=run_id, status="succeeded")
    claimed = Claims()
    try:
        with engine.connect() as connection, Session(bind=connection) as session:
            while True:
                with session_scope(engine) as claiming:
                    names = claim(claiming, run_id, me, settings.ingest_batch_size)
                    beat(claiming, run_id, me)
                if names:
                    found = [SourceFile(source_dir / name, name) for name in names]
                    commit = functools.partial(_commit_shared, session, summary, claimed=claimed, progress=progress)
                    _ingest_files(engine, session, found, pool, claimed, commit)
                    continue
                with session_scope(engine) as looking:
                    state = queue_state(looking, run_id)
                if state.done:
                    _end_shared(engine, summary)
                    return summary
                if state.free == 0 and not release_gone(engine, run_id, stale_after=settings.job_stale_seconds):
                    with session_scope(engine) as waiting:  # the others are working: wait, alive
                        beat(waiting, run_id, me)
                        record_progress(waiting, run_id)
                    time.sleep(PROGRESS_SECONDS)
    except JobLost:
        summary.status = _final_status(engine, run_id)
        log.info("ingest job %s ended in another process (%s)", run_id, summary.status)
        return summary
    except KeyboardInterrupt:
        summary.status = "interrupted"
        _leave_shared(engine, summary, None)
        raise
    except WorkerLost:
        summary.status = "interrupted"
        raise
    except Exception as exc:
        summary.status = "failed"
        _leave_shared(engine, summary, {"path": None, "reason": f"{type(exc).__name__}: {exc}"})
        raise


def _commit_shared(
    session: Session, summary: IngestSummary, batch: list[Pending], *, claimed: Claims, progress: Progress | None
) -> None:
    """`_commit_batch` for a shared job: the batch's documents are held for their files, written, the
    files marked done and the counts added to the job's, in one transaction."""
    run_id, me = summary.run_id, this_owner()
    before = [(item.outcome, item.reason, item.rows) for item in batch]
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            _hold_documents(session, run_id, batch, claimed)
            _write(session, [p for p in batch if p.rows is not None and p.outcome is None], claimed)
            if not settle(session, run_id, me, [(p.source.relative, p.outcome or "failed") for p in batch]):
                session.rollback()
                raise WorkerLost(run_id)
            counts: dict[str, int] = {}
            errors: list[dict[str, str | None]] = []
            for item in batch:
                counts[item.outcome or "failed"] = counts.get(item.outcome or "failed", 0) + 1
                if item.reason:
                    errors.append({"path": item.source.relative, "reason": item.reason})
            add_progress(session, run_id, counts, errors)
            beat(session, run_id, me)
            session.commit()
            break
        except OperationalError as exc:
            session.rollback()
            if not _is_deadlock(exc) or attempt == DEADLOCK_RETRIES:
                raise
            for item, (outcome, reason, rows) in zip(batch, before, strict=True):
                item.outcome, item.reason, item.rows = outcome, reason, rows
    for item in batch:
        summary.counts[item.outcome or "failed"] += 1
        if item.reason:
            summary.errors.append({"path": item.source.relative, "reason": item.reason})
        if progress:
            progress(item.source, item.outcome or "failed", item.reason)


def _hold_documents(session: Session, run_id: int, batch: list[Pending], claimed: Claims) -> None:
    """Hold each file's document for it among the job's files; a file whose document another file of
    the job holds (parsed by another process) fails as it would in one process."""
    holding = [p for p in batch if p.document is not None and p.outcome != "failed"]
    try:
        with session.begin_nested():
            hold(session, run_id, [(p.source.relative, cast(tuple[int, str | None], p.document)[0]) for p in holding])
        return
    except IntegrityError:
        pass
    for item in holding:
        document_id, index_no = cast(tuple[int, str | None], item.document)
        try:
            with session.begin_nested():
                hold(session, run_id, [(item.source.relative, document_id)])
        except IntegrityError:
            other = holder(session, run_id, document_id)
            item.outcome, item.reason, item.rows = "failed", f"same document (索引号 {index_no}) as {other}", None
            claimed.documents.pop(document_id, None)


def _is_deadlock(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in ("40P01", "40001")  # deadlock, serialization failure


def _end_shared(engine: Engine, summary: IngestSummary) -> None:
    """End the shared job as succeeded once every file is done, unless another process just did;
    a full run removes the documents whose source is not among its files, in the same transaction."""
    run_id = summary.run_id
    with session_scope(engine) as session:
        full = session.scalar(select(IngestRun.paths).where(IngestRun.id == run_id)) is None
        gone: list[int] = []
        if full:
            present = queued_names(session, run_id)
            stored = session.execute(select(Document.id, Document.source_path)).all()
            gone = [document_id for document_id, path in stored if path not in present]
        unfinished = exists().where(ingest_claim.c.run_id == run_id, ingest_claim.c.outcome.is_(None))
        if not finish_run(session, run_id, "succeeded", ~unfinished, files_removed=len(gone)):
            session.rollback()
            summary.status = _final_status(engine, run_id)
            return
        summary.removed = len(gone)
        delete_documents(session, gone)
        forget(session, run_id)


def _leave_shared(engine: Engine, summary: IngestSummary, error: dict[str, str | None] | None) -> None:
    """Stop working on the shared job: an error of this process fails the job (as it fails a job of
    one process); a Ctrl-C hands its files back to the others, and interrupts the job if none is left."""
    run_id, me = summary.run_id, this_owner()
    with session_scope(engine) as session:
        leave(session, run_id, me)
        others = workers(session, run_id)
        status: FinalStatus | None = "failed" if error else ("interrupted" if not others else None)
        if status is None:
            return
        try:
            add_progress(session, run_id, {}, [error] if error else [])
        except JobLost:
            return
        if finish_run(session, run_id, status):
            forget(session, run_id)


def _final_status(engine: Engine, run_id: int) -> FinalStatus:
    with session_scope(engine) as session:
        status = session.scalar(select(IngestRun.status).where(IngestRun.id == run_id))
    return cast(FinalStatus, status if status in ("succeeded", "failed") else "interrupted")
