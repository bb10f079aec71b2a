"""Parsing on every core: a pool of worker processes that turn source bytes into rows, in order.

The ingest job reads each file and decides whether it changed; the bytes of those that did go to a
worker, which parses them and builds their rows (`app.db.load.document_rows`: the bigrams, the
compressed source), so the one writer in the job's process only executes inserts. Results come
back in the order the files were handed in, whatever order the workers finish them in, so counts,
progress and "same document as" claims are decided exactly as a one-process run decides them.

A file is its own failure, never the pool's: a parse that raises is failed with its reason, one
that runs past `timeout` seconds has its worker killed (a replacement is started) and is failed,
and a worker that dies (a crash in native code, the OOM killer) fails the file it was parsing.
Workers are forked from a forkserver (a fresh process that imported the parser once), not from
the job's process, which may be an API process with threads whose locks a fork would copy. They
ignore Ctrl-C (the job handles it and ends them) and die with the job's process (Linux).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from app.db.load import DocumentRows, document_rows
from app.ingest import ParseFailure

Prepare = Callable[[bytes, str, str, str], DocumentRows]
"""(raw bytes, file name without extension, source path, parser version) → the document's rows.
Must be a module-level function: it is sent to the workers by name."""

T = TypeVar("T")

DEPTH = 2
"""Files queued on each worker: one parsing, one waiting, so a worker never idles while the
writer is busy committing."""

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["app.jobs.pool"])


@dataclass(frozen=True, slots=True)
class Parsed:
    rows: DocumentRows


@dataclass(frozen=True, slots=True)
class ParseFailed:
    reason: str


Outcome = Parsed | ParseFailed


@dataclass(slots=True)
class _Task(Generic[T]):
    slot: _Slot[T]
    payload: tuple[bytes, str, str, str]
    started: float = 0.0
    """When the worker began on it (the previous task's end), for its time limit."""


@dataclass(slots=True)
class _Slot(Generic[T]):
    item: T
    outcome: Outcome | None = None
    done: bool = False


@dataclass(slots=True)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    tasks: deque[_Task[Any]] = field(default_factory=deque)


class ParsePool:
    """`workers` processes parsing with `prepare`; start with `with`, feed with `in_order`."""

    def __init__(self, workers: int, *, timeout: float, prepare: Prepare = document_rows) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self.prepare = prepare
        self._workers: list[_Worker] = []

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            self._stop(worker)
        self._workers = []

    def in_order(
        self, items: Iterable[tuple[T, tuple[bytes, str, str, str] | None]]
    ) -> Iterator[tuple[T, Outcome | None]]:
        """For each (item, payload) in order: (item, its parse outcome), or (item, None) when the
        payload was None (nothing to parse). At most a few files per worker are held at once."""
        window: deque[_Slot[T]] = deque()
        limit = self.size * DEPTH * 2
        source = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(window) < limit:
                try:
                    item, payload = next(source)
                except StopIteration:
                    exhausted = True
                    break
                slot = _Slot(item, done=payload is None)
                window.append(slot)
                if payload is not None:
                    self._submit(_Task(slot, payload))
            while window and window[0].done:
                head = window.popleft()
                yield head.item, head.outcome
            if not window and exhausted:
                return
            if window and not window[0].done:
                self._collect()

    def _submit(self, task: _Task[Any]) -> None:
        worker = self._idlest()
        if not worker.tasks:
            task.started = time.monotonic()
        worker.tasks.append(task)
        try:
            worker.conn.send((task.payload, self.prepare))
        except (BrokenPipeError, OSError):
            self._lost(worker, "the parser process died")

    def _idlest(self) -> _Worker:
        if len(self._workers) < self.size:
            worker = self._start()
            self._workers.append(worker)
            return worker
        return min(self._workers, key=lambda w: len(w.tasks))

    def _start(self) -> _Worker:
        ours, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(theirs,), name="ingest-parser", daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _collect(self) -> None:
        """Wait for a result (or a time limit) and settle what arrived."""
        busy = [w for w in self._workers if w.tasks]
        if not busy:
            return
        now = time.monotonic()
        deadline = min(w.tasks[0].started for w in busy) + self.timeout
        ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - now))
        for worker in busy:
            if worker.conn in ready:
                try:
                    outcome = worker.conn.recv()
                except (EOFError, OSError):
                    worker.process.join(1)
                    self._lost(worker, f"the parser process died (exit code {worker.process.exitcode})")
                    continue
                task = worker.tasks.popleft()
                task.slot.outcome, task.slot.done = outcome, True
                if worker.tasks:
                    worker.tasks[0].started = time.monotonic()
            elif time.monotonic() - worker.tasks[0].started >= self.timeout:
                self._lost(worker, f"parsing took longer than {self.timeout:g} s (INGEST_PARSE_TIMEOUT_SECONDS)")

    def _lost(self, worker: _Worker, reason: str) -> None:
        """The worker is gone or stuck: its current file fails, the others are handed to a new one."""
        self._stop(worker)
        self._workers.remove(worker)
        if not worker.tasks:
            return
        failed, *others = worker.tasks
        failed.slot.outcome, failed.slot.done = ParseFailed(reason), True
        for task in others:
            task.started = 0.0
            self._submit(task)

    def _stop(self, worker: _Worker) -> None:
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()  # a stuck parse cannot be asked to stop
        worker.process.join(5)


def _serve(conn: Connection) -> None:
    """A worker: parse what arrives until the pipe closes (the job ended or died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the job's to handle
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the forkserver
    while True:
        try:
            (raw, name, source_path, version), prepare = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_parse(prepare, raw, name, source_path, version))


def _parse(prepare: Prepare, raw: bytes, name: str, source_path: str, version: str) -> Outcome:
    try:
        return Parsed(prepare(raw, name, source_path, version))
    except ParseFailure as exc:
        return ParseFailed(exc.reason)
    except Exception as exc:  # a bug in the parser fails this file, not the job
        return ParseFailed(f"the parser failed: {type(exc).__name__}: {exc}")
