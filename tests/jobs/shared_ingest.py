"""`python -m app ingest --join --workers 1`, held in the transaction of the batch that brings its
loaded documents to STALL_AT, with its files taken and their documents held, just before it writes
them. (Not after: a batch's writes end by bumping the one data-version row, which the other
processes' batches then wait for.) It writes its pid to STALL_SIGNAL and waits there until RESUME
exists (or it is killed), so a test can line two processes up at known points instead of guessing
with timers."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import app.jobs.ingest
from app.cli import main

real_load_records = getattr(app.jobs.ingest, "load_records")  # noqa: B009 - patched below, by name
loaded = 0


def wait_then_load_records(session: Any, docs: list[Any]) -> list[bool]:
    global loaded
    loaded += len(docs)
    if loaded == int(os.environ["STALL_AT"]):
        session.flush()
        Path(os.environ["STALL_SIGNAL"]).write_text(str(os.getpid()))
        resume = Path(os.environ["RESUME"])
        deadline = time.monotonic() + 600
        while not resume.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return real_load_records(session, docs)


if __name__ == "__main__":  # the parser processes import this module again (multiprocessing's rule)
    setattr(app.jobs.ingest, "load_records", wait_then_load_records)  # noqa: B010 - the seam a test may patch
    sys.exit(main(["ingest", "--join", "--workers", "1"]))
