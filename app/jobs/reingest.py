"""The admin re-ingest: a job started by a request and run in the background, so the API keeps
answering while it runs (SQLite in WAL mode lets readers through).

The request only checks the paths and takes the lock (`start_run`); the walk, the parsing and the
loading happen through the same `execute_run` the CLI uses, in a child process of their own
(JOB_PROCESS, the default). A job parses and holds thousands of documents: in the API's process it
would compete with requests for the interpreter lock and leave its memory behind in the API's
heap; a child hands it all back when it exits, and dies alone if a document crashes the parser.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app.config import Settings, configure_logging, get_settings
from app.db.engine import build_engine
from app.jobs.ingest import execute_run
from app.jobs.paths import InvalidSourcePath, relative_source_path, relative_to_root, resolve_under
from app.jobs.runs import mark_interrupted, start_run, this_owner, touch_run
from app.sources import SourceFile, find_sources

log = logging.getLogger("app.jobs")

# A fresh interpreter, not a fork: the API process runs threads (the server's, the database pool's)
# and a fork would copy their locks in whatever state they were.
_SPAWN = multiprocessing.get_context("spawn")

_CHILDREN: dict[int, multiprocessing.process.BaseProcess] = {}
"""Job id → the process running it, for the jobs this process started."""
_CHILDREN_LOCK = threading.Lock()


class JobNotStarted(Exception):
    """The job was queued but no process or thread could be started for it; it is marked interrupted."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"ingest job {run_id} could not be started; see /admin/jobs/{run_id}")
        self.run_id = run_id


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
    try:
        if settings.job_process:
            _start_child(engine, job, settings.database_timeout_seconds)
        else:
            threading.Thread(target=_run_quietly, args=(engine, job), name=f"ingest-job-{run_id}", daemon=True).start()
    except Exception as exc:
        # Nothing runs the job: release its lock now, not when its heartbeat goes stale.
        reason = f"the job could not be started: {type(exc).__name__}: {exc}"
        mark_interrupted(engine, run_id, reason)
        log.exception("ingest job %s could not be started", run_id)
        raise JobNotStarted(run_id) from exc
    return run_id


def stop_jobs(engine: Engine) -> None:
    """End the jobs this process's children are running, as the API stops: each is marked
    interrupted first (so its process, if it reaches another file, stops there), then ended."""
    with _CHILDREN_LOCK:
        running = dict(_CHILDREN)
    for run_id, process in running.items():
        try:
            mark_interrupted(engine, run_id, "the API process that started it stopped")
        except Exception:  # the database is down: the next start recovers the job (its process is gone)
            log.exception("ingest job %s: could not mark it interrupted", run_id)
        process.terminate()
    for process in running.values():
        process.join(timeout=10)


def _existing_target(root: Path, path: str, param: str) -> Path:
    target = resolve_under(root, relative_source_path(path, param=param), param=param)
    if not target.exists():
        raise InvalidSourcePath(param, "no such file or folder in the source folder")
    return target


def _run_quietly(engine: Engine, job: ReingestJob) -> None:
    # The job's outcome is in its row; an exception here has been recorded there and is only logged.
    try:
        execute_run(engine, job.run_id, job.sources, full=job.targets is None)
    except Exception:
        log.exception("ingest job %s ended with an error", job.run_id)


def _start_child(engine: Engine, job: ReingestJob, timeout_seconds: float) -> None:
    """Start the job's process from a thread that then waits for it: the child is bound to that
    thread's life (`_die_with_parent`), which lasts exactly as long as the child's."""
    started = threading.Event()
    failure: list[BaseException] = []
    url = engine.url.render_as_string(hide_password=False)  # through the spawn pipe, never argv or env
    supervisor = threading.Thread(
        target=_supervise,
        args=(engine, job, (url, timeout_seconds, job, os.getpid()), started, failure),
        name=f"ingest-job-{job.run_id}",
        daemon=True,
    )
    supervisor.start()
    started.wait()
    if failure:
        raise failure[0]


def _supervise(
    engine: Engine, job: ReingestJob, args: tuple[object, ...], started: threading.Event, failure: list[BaseException]
) -> None:
    try:
        process = _SPAWN.Process(target=_run_in_child, args=args, name=f"ingest-job-{job.run_id}", daemon=True)
        process.start()
    except BaseException as exc:
        failure.append(exc)
        return
    finally:
        started.set()
    with _CHILDREN_LOCK:
        _CHILDREN[job.run_id] = process
    process.join()
    with _CHILDREN_LOCK:
        _CHILDREN.pop(job.run_id, None)
    # A job that ends writes its end itself; one still holding the lock now was cut short (killed,
    # out of memory, a crash in native code, or its end could not be written).
    reason = (
        f"the job's process exited with code {process.exitcode}"
        if process.exitcode
        else "the job's process ended without recording the job's end"
    )
    try:
        if mark_interrupted(engine, job.run_id, reason):
            log.error("ingest job %s: %s", job.run_id, reason)
    except Exception:
        log.exception("ingest job %s: %s, and marking it interrupted failed", job.run_id, reason)


def _run_in_child(database_url: str, timeout_seconds: float, job: ReingestJob, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    # Daemonic to the API (ended with it), but the job starts parser processes of its own, which
    # multiprocessing refuses a daemonic process; they die with this process (app.jobs.pool).
    multiprocessing.current_process().daemon = False
    configure_logging(get_settings().log_level)
    engine = build_engine(database_url, timeout_seconds=timeout_seconds, pool_size=1)
    try:
        # The job's owner becomes this process, so that a crash of it is seen as its job's end.
        touch_run(engine, job.run_id, owner=this_owner())
        _run_quietly(engine, job)
    finally:
        engine.dispose()


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to end this process when the thread that started it ends, so a job never outlives
    the API process that started it, however that process ends (its job is then recovered as
    interrupted, app.jobs.runs). Elsewhere, `stop_jobs` at shutdown is all there is."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:  # the parent ended before the request above took effect
        os._exit(1)
