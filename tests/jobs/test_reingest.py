"""POST /admin/reingest: a background job that keeps the corpus in step with SOURCE_DIR while the
API keeps serving; GET /admin/jobs shows its status, counts, per-file errors and progress."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

import app.jobs.ingest
import app.jobs.reingest
from app.db.ids import stable_id
from app.db.models import IngestRun
from app.jobs.ingest import run_ingest
from app.jobs.runs import this_owner
from app.sources import find_sources
from tests.helpers import FIXTURES, assert_problem
from tests.jobs.conftest import AUTH, NEW_LETTER, admin_settings, client_for, counts, reingest, wait_for_job

LETTER_001 = "001_681e2b01cc784a69.txt"
LETTER_001_ID = stable_id("index_no", "11500000MB15895317/2025-00053")


def test_a_reingest_answers_202_with_its_job_and_runs_it_to_success(admin: TestClient) -> None:
    resp = admin.post("/admin/reingest")
    assert resp.status_code == 202
    job_id = resp.json()["id"]
    assert resp.json() == {"id": job_id, "status": "queued", "url": f"/admin/jobs/{job_id}"}
    assert resp.headers["location"] == f"/admin/jobs/{job_id}"
    job = wait_for_job(admin, job_id)
    assert job["status"] == "succeeded"
    assert (job["trigger"], job["paths"]) == ("api", None)
    assert counts(job) == {"added": 5, "updated": 0, "unchanged": 0, "failed": 0, "removed": 0}
    assert job["files_seen"] == 5 and job["errors"] == []
    assert job["progress"] == {"done": 5, "total": 5, "percent": 100.0}
    assert job["started_at"] <= job["heartbeat_at"] <= job["finished_at"]
    assert job["finished_at"].endswith(("Z", "+00:00"))


def test_a_second_reingest_of_unchanged_seeds_counts_5_unchanged(admin: TestClient) -> None:
    reingest(admin)
    assert counts(reingest(admin)) == {"added": 0, "updated": 0, "unchanged": 5, "failed": 0, "removed": 0}


def test_a_file_added_to_the_source_folder_is_counted_as_1_added(admin: TestClient, source_dir: Path) -> None:
    reingest(admin)
    shutil.copy(NEW_LETTER, source_dir / NEW_LETTER.name)
    assert counts(reingest(admin)) == {"added": 1, "updated": 0, "unchanged": 5, "failed": 0, "removed": 0}
    assert admin.get(f"/documents/{stable_id('index_no', '11500000MB15895317/2023-00178')}").status_code == 200


def test_a_changed_file_is_counted_as_1_updated_and_keeps_its_id(admin: TestClient, source_dir: Path) -> None:
    reingest(admin)
    letter = source_dir / LETTER_001
    letter.write_text(letter.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
    assert counts(reingest(admin)) == {"added": 0, "updated": 1, "unchanged": 4, "failed": 0, "removed": 0}
    assert "70000家" in admin.get(f"/documents/{LETTER_001_ID}").json()["text"]


def test_a_full_reingest_removes_the_documents_whose_source_disappeared(admin: TestClient, source_dir: Path) -> None:
    reingest(admin)
    (source_dir / LETTER_001).unlink()
    assert counts(reingest(admin)) == {"added": 0, "updated": 0, "unchanged": 4, "failed": 0, "removed": 1}
    assert_problem(admin.get(f"/documents/{LETTER_001_ID}"), 404)


def test_a_reingest_of_some_paths_never_removes_documents(admin: TestClient, source_dir: Path) -> None:
    reingest(admin)
    (source_dir / LETTER_001).unlink()
    job = reingest(admin, paths=["000_3f149416e4b38c5d.txt"])
    assert job["paths"] == ["000_3f149416e4b38c5d.txt"]
    assert counts(job) == {"added": 0, "updated": 0, "unchanged": 1, "failed": 0, "removed": 0}
    assert admin.get(f"/documents/{LETTER_001_ID}").status_code == 200


def test_a_failed_full_reingest_removes_nothing(admin: TestClient, source_dir: Path) -> None:
    reingest(admin)
    for letter in source_dir.iterdir():
        letter.unlink()  # an empty folder: more likely a missing mount than an empty corpus
    job = reingest(admin)
    assert job["status"] == "failed"
    assert job["errors"] == [
        {"path": None, "reason": "NothingToIngest: no source documents found; refusing to remove every document"}
    ]
    assert len(admin.get("/documents").json()["items"]) == 5


def test_a_folder_reingested_alone_names_its_files_as_a_full_run_does(admin: TestClient, source_dir: Path) -> None:
    (source_dir / "2023").mkdir()
    shutil.copy(NEW_LETTER, source_dir / "2023" / NEW_LETTER.name)
    assert counts(reingest(admin, paths=["2023"])) == {
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
        "removed": 0,
    }
    # Same source path, so the full run finds it unchanged rather than adding it again.
    assert counts(reingest(admin)) == {"added": 5, "updated": 0, "unchanged": 1, "failed": 0, "removed": 0}


def test_a_file_that_cannot_be_parsed_is_listed_with_its_reason(admin: TestClient, source_dir: Path) -> None:
    (source_dir / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    job = reingest(admin)
    assert job["status"] == "succeeded"
    assert counts(job) == {"added": 5, "updated": 0, "unchanged": 0, "failed": 1, "removed": 0}
    assert [e["path"] for e in job["errors"]] == ["broken.txt"]
    assert "not a text document" in job["errors"][0]["reason"]


@pytest.mark.parametrize(
    "path, message",
    [
        ("../sources", "must not contain '..', '.' or empty path segments"),
        ("2023/../../etc", "must not contain '..', '.' or empty path segments"),
        ("/etc/passwd", "must be relative to the source folder, not absolute"),
        ("C:/Windows", "must be relative to the source folder, not absolute"),
        ("a\x00.txt", "contains a NUL byte"),
        ("missing.txt", "no such file or folder in the source folder"),
        ("", "is empty"),
    ],
)
def test_reingest_paths_outside_the_source_folder_or_missing_get_422(
    admin: TestClient, path: str, message: str
) -> None:
    resp = admin.post("/admin/reingest", json={"paths": ["000_3f149416e4b38c5d.txt", path]})
    problem = assert_problem(resp, 422, param="paths.1")
    assert problem.errors[0].message == message
    assert admin.get("/admin/jobs").json()["items"] == []


@pytest.fixture
def gated_admin(engine: Engine, source_dir: Path) -> Iterator[TestClient]:
    """An admin client whose jobs run in a thread of the test's process, where a `Gate` can stop them."""
    with client_for(engine, admin_settings(source_dir, job_process=False), headers=AUTH) as client:
        yield client


def test_a_reingest_runs_in_a_child_process_that_owns_the_job(admin: TestClient) -> None:
    job = reingest(admin)
    assert job["status"] == "succeeded" and counts(job)["added"] == 5
    owner = job["owner"]
    assert owner is not None and owner != this_owner()
    assert owner.rpartition(":")[0] == this_owner().rpartition(":")[0]  # same host, another process


def test_a_job_whose_process_is_killed_ends_interrupted_with_the_reason(admin: TestClient, source_dir: Path) -> None:
    add_many_letters(source_dir)
    job_id = admin.post("/admin/reingest").json()["id"]
    os.kill(job_process(admin, job_id), signal.SIGKILL)
    job = wait_for_job(admin, job_id)
    assert job["status"] == "interrupted"
    assert job["errors"][-1] == {"path": None, "reason": f"the job's process exited with code {-signal.SIGKILL}"}
    assert job["finished_at"] == job["heartbeat_at"]  # its last sign of life
    assert reingest(admin, paths=["000_3f149416e4b38c5d.txt"])["status"] == "succeeded"  # the lock is free


def test_stopping_the_api_ends_the_job_it_started_as_interrupted(engine: Engine, source_dir: Path) -> None:
    add_many_letters(source_dir)
    with client_for(engine, admin_settings(source_dir), headers=AUTH) as client:
        job_id = client.post("/admin/reingest").json()["id"]
        pid = job_process(client, job_id)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with engine.connect() as connection:
        job = connection.execute(select(IngestRun.status, IngestRun.errors).where(IngestRun.id == job_id)).one()
    assert job.status == "interrupted"
    assert job.errors[-1] == {"path": None, "reason": "the API process that started it stopped"}


def test_a_job_that_cannot_be_started_answers_503_and_frees_the_lock(
    admin: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_more_processes(*_: object, **__: object) -> None:
        raise OSError("Resource temporarily unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(app.jobs.reingest._SPAWN, "Process", no_more_processes)
        problem = assert_problem(admin.post("/admin/reingest"), 503)
    [job] = admin.get("/admin/jobs").json()["items"]
    assert problem.detail == f"ingest job {job['id']} could not be started; see /admin/jobs/{job['id']}"
    assert job["status"] == "interrupted"
    assert job["errors"] == [
        {"path": None, "reason": "the job could not be started: OSError: Resource temporarily unavailable"}
    ]
    assert reingest(admin)["status"] == "succeeded"


def add_many_letters(source_dir: Path) -> None:
    """Enough letters (480) that a job is still working seconds after it starts."""
    for copy in range(60):
        for letter in (FIXTURES / "corpus").glob("*.txt"):
            shutil.copy(letter, source_dir / f"copy{copy:02}_{letter.name}")


def job_process(client: TestClient, job_id: int) -> int:
    """The pid of the process running job `job_id`, once it has taken the job."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        owner = client.get(f"/admin/jobs/{job_id}").json()["owner"]
        if owner != this_owner():
            return int(owner.rpartition(":")[2])
        time.sleep(0.01)
    raise AssertionError("the job's process never took the job")


def test_a_reingest_while_a_job_runs_gets_409_naming_the_running_job(gated_admin: TestClient) -> None:
    admin = gated_admin
    gate = Gate(stop_at=2)
    with gate.installed():
        first = admin.post("/admin/reingest").json()["id"]
        gate.wait_until_stopped()
        problem = assert_problem(admin.post("/admin/reingest"), 409)
        assert problem.title == "Job already running"
        assert problem.detail == f"ingest job {first} is still running; watch it at /admin/jobs/{first}"
        upload = admin.post("/admin/documents?name=new.txt", content=NEW_LETTER.read_bytes())
        assert assert_problem(upload, 409).detail == problem.detail
        gate.release()
        assert wait_for_job(admin, first)["status"] == "succeeded"
    assert reingest(admin)["status"] == "succeeded"  # the lock is free again


def test_the_api_keeps_answering_reads_while_a_job_rewrites_a_document(
    gated_admin: TestClient, engine: Engine, source_dir: Path
) -> None:
    """The job stops inside the transaction that replaces letter 001 (old rows deleted, new ones
    written, nothing committed): readers are served meanwhile, and see the old version whole."""
    admin = gated_admin
    run_ingest(engine, find_sources([source_dir]), full=True)
    letter = source_dir / LETTER_001
    letter.write_text(letter.read_text(encoding="utf-8").replace("69820家", "70000家"), encoding="utf-8")
    gate = Gate(stop_at=1, inside_transaction=True)
    with gate.installed():
        job_id = admin.post("/admin/reingest").json()["id"]
        gate.wait_until_stopped()
        assert admin.get("/health").status_code == 200
        assert len(admin.get("/documents").json()["items"]) == 5
        during = admin.get(f"/documents/{LETTER_001_ID}").json()
        assert "69820家" in during["text"] and "70000家" not in during["text"]
        assert 70000 not in [m["value"] for m in during["metrics"]]
        job = admin.get(f"/admin/jobs/{job_id}").json()
        assert job["status"] == "running"
        assert job["progress"] == {"done": 1, "total": 5, "percent": 20.0}
        gate.release()
        assert counts(wait_for_job(admin, job_id)) == {
            "added": 0,
            "updated": 1,
            "unchanged": 4,
            "failed": 0,
            "removed": 0,
        }
    after = admin.get(f"/documents/{LETTER_001_ID}").json()
    assert "70000家" in after["text"] and "69820家" not in after["text"]


def test_jobs_are_listed_newest_first_a_page_at_a_time(admin: TestClient, engine: Engine, source_dir: Path) -> None:
    ids = [run_ingest(engine, find_sources([source_dir])).run_id for _ in range(3)]
    first = admin.get("/admin/jobs", params={"limit": 2}).json()
    assert [job["id"] for job in first["items"]] == ids[:0:-1]
    second = admin.get("/admin/jobs", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [job["id"] for job in second["items"]] == [ids[0]] and second["next_cursor"] is None
    assert admin.get("/admin/jobs", params={"status": "failed"}).json()["items"] == []
    assert [j["trigger"] for j in admin.get("/admin/jobs").json()["items"]] == ["cli", "cli", "cli"]
    assert_problem(admin.get("/admin/jobs", params={"status": "done"}), 422, param="status")
    assert_problem(admin.get("/admin/jobs/999"), 404)


class Gate:
    """Stops an ingest job at its `stop_at`-th file until released: before the file, or (with
    `inside_transaction`) after its rows are written but before they are committed."""

    def __init__(self, *, stop_at: int, inside_transaction: bool = False) -> None:
        self.stop_at = stop_at
        self.inside_transaction = inside_transaction
        self.stopped = threading.Event()
        self.released = threading.Event()
        self.calls = 0

    @contextmanager
    def installed(self) -> Iterator[None]:
        target = "load_records" if self.inside_transaction else "ingest_file"
        real = getattr(app.jobs.ingest, target)

        def gated(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls != self.stop_at:
                return real(*args, **kwargs)
            result = real(*args, **kwargs) if self.inside_transaction else None
            self.stopped.set()
            assert self.released.wait(120), "the test never released the job"
            return result if self.inside_transaction else real(*args, **kwargs)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(app.jobs.ingest, target, gated)
            try:
                yield
            finally:
                self.released.set()  # never leave a job thread waiting after a failed assertion

    def wait_until_stopped(self) -> None:
        assert self.stopped.wait(120), "the job never reached the gate"

    def release(self) -> None:
        self.released.set()
