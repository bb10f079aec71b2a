"""An uploaded source document: checked, stored under SOURCE_DIR, and ingested as a one-file job.

Everything that can refuse the upload is decided before a byte is written: the name, whether the
bytes are a document we can parse, whether another file already holds the same letter, and the
job lock. The file is then written atomically (a temporary file renamed over the target), so the
folder never holds half a document, and ingested through the same `execute_run` as any job.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app.config import Settings
from app.db.engine import session_scope
from app.db.load import document_id_for, stored_source_path
from app.ingest import SOURCE_SUFFIXES, ParseFailure, parse_document
from app.ingest.decode import decode_bytes
from app.jobs.ingest import Outcome, execute_run
from app.jobs.paths import InvalidSourcePath, relative_source_path, resolve_under
from app.jobs.runs import start_run
from app.sources import SourceFile


class NotADocument(ValueError):
    """The bytes are not a source document we can read; `reason` says why (binary, empty…)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DuplicateDocument(Exception):
    """Another source file already holds this letter (same 索引号)."""

    def __init__(self, index_no: str | None, holder: str) -> None:
        super().__init__(f"the same document (索引号 {index_no}) is already stored from {holder}")
        self.holder = holder


@dataclass(frozen=True, slots=True)
class StoredUpload:
    document_id: int
    path: str
    outcome: Outcome
    encoding: str
    job_id: int


def store_upload(engine: Engine, settings: Settings, name: str, raw: bytes) -> StoredUpload:
    """Store `raw` as `name` under SOURCE_DIR and ingest it. Raises InvalidSourcePath, NotADocument,
    DuplicateDocument or JobAlreadyRunning, each before anything is written."""
    relative = relative_source_path(name, param="name")
    if relative.suffix.lower() not in SOURCE_SUFFIXES:
        raise InvalidSourcePath("name", f"must end in one of {', '.join(SOURCE_SUFFIXES)}")
    target = resolve_under(settings.source_dir, relative, param="name")
    if target.exists() and not target.is_file():
        raise InvalidSourcePath("name", "is a folder in the source folder")
    path = relative.as_posix()
    try:
        _, encoding = decode_bytes(raw)
        record = parse_document(raw, name=relative.stem)
    except ParseFailure as exc:
        raise NotADocument(exc.reason) from None
    document_id = document_id_for(record, path)
    with session_scope(engine) as session:
        holder = stored_source_path(session, document_id)
    if holder and holder != path and (settings.source_dir / holder).is_file():
        raise DuplicateDocument(record.index_no, holder)

    job_id = start_run(engine, trigger="upload", paths=[path], stale_after=settings.job_stale_seconds)
    previous = target.read_bytes() if target.is_file() else None

    def write_then_list() -> list[SourceFile]:
        _write_atomically(target, raw)
        return [SourceFile(target, path)]

    # No bulk dump: the request waits for the job, and a dump of everything costs far more than one
    # document. The next ingest publishes one, as the data version has moved since the newest dump.
    summary = execute_run(engine, job_id, write_then_list, full=False, dump=False)
    if summary.counts["failed"]:
        # The database refused it: put the folder back as it was, so it keeps matching the database.
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            _write_atomically(target, previous)
        raise NotADocument(str(summary.errors[0]["reason"]))
    outcome = next(o for o, n in summary.counts.items() if n)
    return StoredUpload(document_id=document_id, path=path, outcome=outcome, encoding=encoding, job_id=job_id)


def _write_atomically(target: Path, raw: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name has no source suffix, so a walk of the folder meanwhile never picks it up.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
