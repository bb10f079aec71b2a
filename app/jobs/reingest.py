"""The admin re-ingest: a job started by a request and run in a background thread of the API
process, so the API keeps answering while it runs (SQLite in WAL mode lets readers through).

The request only checks the paths and takes the lock (`start_run`); the walk, the parsing and the
loading happen in the thread, through the same `execute_run` the CLI uses.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine

from app.config import Settings
from app.jobs.ingest import Sources, execute_run
from app.jobs.paths import InvalidSourcePath, relative_source_path, relative_to_root, resolve_under
from app.jobs.runs import start_run
from app.sources import SourceFile, find_sources

log = logging.getLogger("app.jobs")


def start_reingest(engine: Engine, settings: Settings, paths: list[str] | None) -> int:
    """Queue a re-ingest of `paths` under SOURCE_DIR (None: all of it, removing vanished sources)
    and start it in the background; the job id. Raises InvalidSourcePath for a path that is unsafe
    or missing, JobAlreadyRunning while another job holds the lock."""
    root = settings.source_dir
    targets = None if paths is None else [_existing_target(root, path, f"paths.{i}") for i, path in enumerate(paths)]

    def sources() -> Iterable[SourceFile]:
        if targets is None:
            return find_sources([root])
        return relative_to_root(root, find_sources(targets))

    run_id = start_run(engine, trigger="api", paths=paths, queued=True, stale_after=settings.job_stale_seconds)
    thread = threading.Thread(
        target=_run_quietly, args=(engine, run_id, sources, targets is None), name=f"ingest-job-{run_id}", daemon=True
    )
    thread.start()
    return run_id


def _existing_target(root: Path, path: str, param: str) -> Path:
    target = resolve_under(root, relative_source_path(path, param=param), param=param)
    if not target.exists():
        raise InvalidSourcePath(param, "no such file or folder in the source folder")
    return target


def _run_quietly(engine: Engine, run_id: int, sources: Sources, full: bool) -> None:
    # The job's outcome is in its row; an exception here has been recorded there and is only logged.
    try:
        execute_run(engine, run_id, sources, full=full)
    except Exception:
        log.exception("ingest job %s ended with an error", run_id)
