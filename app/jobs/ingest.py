"""The ingest service: source files in, rows out, every run recorded. The CLI and the admin job
both call `run_ingest`; nothing else parses and loads.

Each file is parsed outside any transaction and loaded in a transaction of its own, so a bad
file costs only itself, and readers see each document either before or after, never half-way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Engine, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import session_scope
from app.db.load import document_id_for, load_record, sha256_of, stored_source, stored_source_path
from app.db.models import IngestRun
from app.ingest import ParseFailure, parse_document
from app.ingest.version import parser_version
from app.sources import SourceFile

Outcome = Literal["added", "updated", "unchanged", "failed"]


@dataclass
class IngestSummary:
    run_id: int
    counts: dict[Outcome, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0, "failed": 0})
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return sum(self.counts.values())


Progress = Callable[[SourceFile, Outcome, str | None], None]


def run_ingest(
    engine: Engine, sources: Iterable[SourceFile], *, trigger: str = "cli", progress: Progress | None = None
) -> IngestSummary:
    """Parse and load every source, recording the run (started, finished, counts, per-file errors)."""
    with session_scope(engine) as session:
        run = IngestRun(trigger=trigger, status="running", started_at=datetime.now(UTC), errors=[])
        session.add(run)
        session.flush()
        summary = IngestSummary(run_id=run.id)
    claimed: dict[int, str] = {}  # document id → the source that holds it in this run
    status = "failed"
    try:
        for source in sources:
            outcome, reason = ingest_file(engine, source, claimed)
            summary.counts[outcome] += 1
            if reason:
                summary.errors.append({"path": source.relative, "reason": reason})
            if progress:
                progress(source, outcome, reason)
        status = "succeeded"
    finally:
        with session_scope(engine) as session:
            _finish_run(session, summary, status)
    return summary


def ingest_file(engine: Engine, source: SourceFile, claimed: dict[int, str]) -> tuple[Outcome, str | None]:
    """Bring one source file's document up to date. Returns the outcome and, on failure, why."""
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        return "failed", f"cannot read: {exc.strerror or exc}"
    version = parser_version()
    with session_scope(engine) as session:
        stored = stored_source(session, source.relative)
    if stored and stored.sha256 == sha256_of(raw) and stored.parser_version == version:
        claimed.setdefault(stored.document_id, source.relative)
        return "unchanged", None
    try:
        record = parse_document(raw, name=source.name)
    except ParseFailure as exc:
        return "failed", exc.reason
    document_id = document_id_for(record, source.relative)
    if claimed.get(document_id, source.relative) != source.relative:
        return "failed", f"same document (索引号 {record.index_no}) as {claimed[document_id]}"
    try:
        with session_scope(engine) as session:
            previous_path = stored_source_path(session, document_id)
            load_record(
                session, record, source_path=source.relative, raw=raw, parser_version=version, document_id=document_id
            )
    except (DataError, IntegrityError) as exc:
        # The database refused this record (a value too long, say): the file fails, the run goes on.
        return "failed", f"cannot store: {type(exc.orig).__name__}: {str(exc.orig).splitlines()[0]}"
    claimed[document_id] = source.relative
    return ("added" if stored is None and previous_path is None else "updated"), None


def _finish_run(session: Session, summary: IngestSummary, status: str) -> None:
    session.execute(
        update(IngestRun)
        .where(IngestRun.id == summary.run_id)
        .values(
            status=status,
            finished_at=datetime.now(UTC),
            files_seen=summary.seen,
            files_added=summary.counts["added"],
            files_updated=summary.counts["updated"],
            files_unchanged=summary.counts["unchanged"],
            files_failed=summary.counts["failed"],
            errors=summary.errors,
        )
    )
