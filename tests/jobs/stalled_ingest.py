"""`python -m app ingest`, stalled inside the transaction that loads its STALL_AT-th changed file:
the rows are written and flushed, not committed. It writes its pid to STALL_SIGNAL and waits there
to be killed, so a test can `kill -9` it at a known point instead of guessing with timers."""

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


def load_records_then_stall(session: Any, docs: list[Any]) -> list[bool]:
    global loaded
    replaced = real_load_records(session, docs)
    loaded += len(docs)
    if loaded == int(os.environ["STALL_AT"]):
        session.flush()
        Path(os.environ["STALL_SIGNAL"]).write_text(str(os.getpid()))
        time.sleep(3600)
    return replaced


if __name__ == "__main__":  # the parser processes import this module again (multiprocessing's rule)
    setattr(app.jobs.ingest, "load_records", load_records_then_stall)  # noqa: B010 - the seam a test may patch
    sys.exit(main(["ingest"]))
