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

real_load_record = getattr(app.jobs.ingest, "load_record")  # noqa: B009 - patched below, by name
loaded = 0


def load_record_then_stall(session: Any, *args: Any, **kwargs: Any) -> None:
    global loaded
    real_load_record(session, *args, **kwargs)
    loaded += 1
    if loaded == int(os.environ["STALL_AT"]):
        session.flush()
        Path(os.environ["STALL_SIGNAL"]).write_text(str(os.getpid()))
        time.sleep(3600)


setattr(app.jobs.ingest, "load_record", load_record_then_stall)  # noqa: B010 - the seam a test may patch
sys.exit(main(["ingest"]))
