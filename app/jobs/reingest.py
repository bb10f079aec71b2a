"""The admin re-ingest: a job started by a request and run in the background, so the API keeps
answering while it runs (SQLite in WAL mode lets readers through).

The request only checks the paths and takes the lock (`start_run`); the walk, the parsing and the
loading happen through the same `execute_run` the CLI uses, in a child process of their own
(JOB_PROCESS, the default). A job parses and holds thousands of documents: in the API's process it
would compete with requests for the interpreter lock and leave its memory behind in the API's
heap; a child hands it all back when it exits, and dies alone if a document crashes the parser.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db.engine import build_engine
from app.jobs.ingest import execute_run
from app.jobs.paths import InvalidSourcePath, relative_source_path, relative_to_root, resolve_under
from app.jobs.runs import mark_interrupted, start_run, this_owner, touch_run
from app.sources import SourceFile, find_sources

log = logging.getLogger("app.jobs")

# A fresh interpreter, not a fork: the API process runs threads (the server's, the database pool's)
# and a fork would copy their locks in whatever state they were.
_SPAWN = multiprocessing.get_context("spawn")


@dataclass(frozen=True, slots=True)
class ReingestJob:
    """What a job needs to run anywhere: its id, the source folder and what to read under it."""

    run_id: int
    root: Path
    targets: list[Path] | None
    """Files and folders under `root`; None for all of it, removing documents whose source vanished."""

    def sources(self) -> Iterable[SourceFile]:
        if self.targets is None:
            return find_sources([self.root])
        return relative_to_root(self.root, find_sources(self.targets))


def start_reingest(engine: Engine, settings: Settings, paths: list[str] | None) -> int:
    """Queue a re-ingest of `paths` under SOURCE_DIR (None: all of it, removing vanished sources)
    and start it in the background; the job id. Raises InvalidSourcePath for a path that is unsafe
    or missing, JobAlreadyRunning while another job holds the lock."""
    root = settings.source_dir
    targets = None if paths is None else [_existing_target(root, path, f"paths.{i}") for i, path in enumerate(paths)]
    run_id = start_run(engine, trigger="api", paths=paths, queued=True, stale_after=settings.job_stale_seconds)
    job = ReingestJob(run_id, root, targets)
    if settings.job_process and _reachable_from_another_process(engine):
        process = _SPAWN.Process(
            target=_run_in_child,
            args=(engine.url.render_as_string(hide_password=False), settings.database_timeout_seconds, job),
            name=f"ingest-job-{run_id}",
            daemon=True,  # stopped with the API; its job is then marked interrupted (app.jobs.runs)
        )
        process.start()
        watch = threading.Thread(target=_watch, args=(engine, job, process), name=f"ingest-watch-{run_id}", daemon=True)
        watch.start()
    else:
        threading.Thread(target=_run_quietly, args=(engine, job), name=f"ingest-job-{run_id}", daemon=True).start()
    return run_id


def _existing_target(root: Path, path: str, param: str) -> Path:
    target = resolve_under(root, relative_source_path(path, param=param), param=param)
    if not target.exists():
        raise InvalidSourcePath(param, "no such file or folder in the source folder")
    return target


def _reachable_from_another_process(engine: Engine) -> bool:
    url = make_url(engine.url)
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def _run_quietly(engine: Engine, job: ReingestJob) -> None:
    # The job's outcome is in its row; an exception here has been recorded there and is only logged.
    try:
        execute_run(engine, job.run_id, job.sources, full=job.targets is None)
    except Exception:
        log.exception("ingest job %s ended with an error", job.run_id)


def _run_in_child(database_url: str, timeout_seconds: float, job: ReingestJob) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    engine = build_engine(database_url, timeout_seconds=timeout_seconds, pool_size=1)
    try:
        # The job's owner becomes this process, so that a crash of it is seen as its job's end.
        touch_run(engine, job.run_id, owner=this_owner())
        _run_quietly(engine, job)
    finally:
        engine.dispose()


def _watch(engine: Engine, job: ReingestJob, process: multiprocessing.process.BaseProcess) -> None:
    """Reap the child and, if it died without ending its job (killed, out of memory, a crash in
    native code), end the job now rather than when its heartbeat goes stale."""
    process.join()
    if process.exitcode and mark_interrupted(
        engine, job.run_id, f"the job's process exited with code {process.exitcode}"
    ):
        log.error("ingest job %s: its process exited with code %s", job.run_id, process.exitcode)
