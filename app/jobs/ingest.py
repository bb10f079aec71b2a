"""The ingest service: source files in, rows out, every run recorded as a job. The CLI, the admin
re-ingest job and uploads all go through `execute_run`; nothing else parses and loads.

Each file is parsed, then loaded under a savepoint of its own inside a batch transaction (up to
INGEST_BATCH_SIZE documents, committed at least once a second with the job's progress): a bad
file costs only itself, and readers see each document either before or after, never half-way.
A process killed between files, or inside one, leaves every document at one version or the other;
the next run skips what is already stored (same sha256, same parser version) and does the rest.

Documents whose source file disappeared are removed only by a full run (the whole SOURCE_DIR)
that finishes, in the same transaction that ends the job: a run that fails, is interrupted, or
was asked for some paths only cannot know what vanished, so it removes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db.engine import limit_wal, session_scope
from app.db.load import delete_documents, document_id_for, load_record, sha256_of, stored_source, stored_source_path
from app.db.models import Document
from app.ingest import ParseFailure, parse_document
from app.ingest.version import parser_version
from app.jobs.runs import FinalStatus, JobLost, Trigger, finish_run, record_progress, start_run, touch_run
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
) -> IngestSummary:
    """Start a job and run it to the end in the calling thread (the CLI's way). Raises
    JobAlreadyRunning if another job holds the lock.

    `full` says `sources` is the whole corpus, so documents whose source is not among them go.
    `paths` is what was asked for, recorded on the job; by default the sources' own paths."""
    listed = list(sources)
    asked = None if full else (paths if paths is not None else [s.relative for s in listed])
    run_id = start_run(engine, trigger=trigger, paths=asked, stale_after=get_settings().job_stale_seconds)
    return execute_run(engine, run_id, lambda: listed, full=full, progress=progress)


def execute_run(
    engine: Engine, run_id: int, sources: Sources, *, full: bool, progress: Progress | None = None
) -> IngestSummary:
    """Run job `run_id`, which holds the lock (see `start_run`), to its end: succeeded once every
    file has been tried (files may fail; the job still succeeds), failed on an error of the job as a
    whole, interrupted on Ctrl-C. An exception still propagates after the job is recorded."""
    try:
        return _run_to_end(engine, run_id, sources, full=full, progress=progress)
    finally:
        limit_wal(engine, truncate=True)  # however the job ended, the log it grew is handed back


def _run_to_end(
    engine: Engine, run_id: int, sources: Sources, *, full: bool, progress: Progress | None
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
        batch_size = get_settings().ingest_batch_size
        with Session(engine) as session:
            pending: list[tuple[SourceFile, Outcome, str | None]] = []
            opened = time.monotonic()
            for done, source in enumerate(found, start=1):
                pending.append((source, *ingest_file(session, source, claimed)))
                full_batch = len(pending) >= batch_size or time.monotonic() - opened >= PROGRESS_SECONDS
                if full_batch or done == len(found):
                    _commit_batch(session, summary, pending, progress)
                    limit_wal(engine)
                    pending, opened = [], time.monotonic()
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


def _commit_batch(
    session: Session,
    summary: IngestSummary,
    batch: list[tuple[SourceFile, Outcome, str | None]],
    progress: Progress | None,
) -> None:
    """Commit a batch of documents together with the job's progress and heartbeat: fewer, larger
    transactions (each commit flushes the full-text index), and a progress that never counts a
    document that is not yet visible."""
    for source, outcome, reason in batch:
        summary.counts[outcome] += 1
        if reason:
            summary.errors.append({"path": source.relative, "reason": reason})
    record_progress(session, summary.run_id, **summary.columns())
    session.commit()
    if progress:
        for source, outcome, reason in batch:
            progress(source, outcome, reason)


@dataclass
class Claims:
    """What a run has already taken, so a second file cannot silently replace the first's document."""

    documents: dict[int, str] = field(default_factory=dict)
    """document id → the source name that holds it"""
    names: dict[str, Path] = field(default_factory=dict)
    """source name → the file that has it (the same file name in two folders given to the CLI)"""


def ingest_file(session: Session, source: SourceFile, claimed: Claims) -> tuple[Outcome, str | None]:
    """Bring one source file's document up to date in `session`'s transaction (the caller
    commits). Returns the outcome and, on failure, why; a failed file leaves nothing behind."""
    holder = claimed.names.setdefault(source.relative, source.path)
    if holder != source.path:
        return "failed", f"another file in this run has the same source name {source.relative!r}: {holder}"
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        return "failed", f"cannot read: {exc.strerror or exc}"
    version = parser_version()
    stored = stored_source(session, source.relative)
    if stored and stored.sha256 == sha256_of(raw) and stored.parser_version == version:
        claimed.documents.setdefault(stored.document_id, source.relative)
        return "unchanged", None
    try:
        record = parse_document(raw, name=source.name)
    except ParseFailure as exc:
        return "failed", exc.reason
    document_id = document_id_for(record, source.relative)
    if claimed.documents.get(document_id, source.relative) != source.relative:
        return "failed", f"same document (索引号 {record.index_no}) as {claimed.documents[document_id]}"
    try:
        # A savepoint per document: one the database refuses is undone alone, the batch goes on.
        with session.begin_nested():
            previous_path = stored_source_path(session, document_id)
            load_record(
                session,
                record,
                source_path=source.relative,
                raw=raw,
                parser_version=version,
                document_id=document_id,
                replacing=stored is not None or previous_path is not None,
            )
    except (DataError, IntegrityError) as exc:
        # The database refused this record (a value too long, say): the file fails, the run goes on.
        return "failed", f"cannot store: {type(exc.orig).__name__}: {str(exc.orig).splitlines()[0]}"
    claimed.documents[document_id] = source.relative
    return ("added" if stored is None and previous_path is None else "updated"), None


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
