"""`python -m app ingest` is the same job as the API's: recorded in the job table, refused while
another job runs, plain lines when its output is not a terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, select

from app.db.engine import session_scope
from app.db.models import IngestRun
from app.jobs.runs import start_run
from tests.helpers import ROOT, SEEDS


def ingest(engine: Engine, source_dir: Path, cwd: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SOURCE_DIR": str(source_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "app", "ingest", *map(str, paths)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_cli_prints_a_line_per_file_and_a_summary_and_records_its_job(
    engine: Engine, source_dir: Path, tmp_path: Path
) -> None:
    done = ingest(engine, source_dir, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "added     000_3f149416e4b38c5d.txt",
        "added     001_681e2b01cc784a69.txt",
        "added     002_4d19cff5ebdb1101.txt",
        "added     003_47daaca08c9b7b24.txt",
        "added     004_be53cfa65109a65f.txt",
        "job 1 succeeded: 5 files: 5 added, 0 updated, 0 unchanged, 0 failed, 0 removed",
    ]
    with session_scope(engine) as session:
        run = session.scalars(select(IngestRun)).one()
        assert (run.trigger, run.status, run.paths, run.files_added, run.active) == ("cli", "succeeded", None, 5, None)


def test_the_cli_exits_3_naming_the_job_that_runs(engine: Engine, source_dir: Path, tmp_path: Path) -> None:
    running = start_run(engine, trigger="api", paths=None, stale_after=600)
    done = ingest(engine, source_dir, tmp_path)
    assert done.returncode == 3
    assert done.stderr == f"error: ingest job {running} is still running; watch it with GET /admin/jobs/{running}\n"
    assert done.stdout == ""


def test_the_same_file_name_in_two_folders_given_to_the_cli_does_not_overwrite(engine: Engine, tmp_path: Path) -> None:
    first, second = tmp_path / "2023" / "letter.txt", tmp_path / "2024" / "letter.txt"
    for target, seed in ((first, "002_4d19cff5ebdb1101.txt"), (second, "004_be53cfa65109a65f.txt")):
        target.parent.mkdir()
        shutil.copy(SEEDS / seed, target)
    done = ingest(engine, tmp_path / "sources", ROOT, first.parent, second.parent)
    assert done.returncode == 1
    assert "failed    letter.txt: another file in this run has the same source name 'letter.txt'" in done.stdout
    assert "1 added" in done.stdout.splitlines()[-1]
