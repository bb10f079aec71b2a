"""Bulk dumps: `python -m app dump` and the dump an ingest publishes in DUMPS_DIR, on SQLite and
PostgreSQL. A dump line is the list's NDJSON export line; the files are written atomically."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select

import app.dumps
from app.config import get_settings
from app.db.engine import session_scope
from app.db.load import delete_documents
from app.db.models import Document, IngestRun, Proposal
from app.dumps import (
    LATEST,
    RESOURCE_NAMES,
    DumpTargetNotEmpty,
    current_data_version,
    latest_dump,
    publish_dump,
    write_dump,
)
from app.jobs.ingest import run_ingest
from app.jobs.upload import store_upload
from app.sources import find_sources
from tests.helpers import ROOT, SEEDS
from tests.jobs.conftest import NEW_LETTER, admin_settings

README = ROOT / "README.md"

SEED_000_PROPOSAL = {
    "session": "市六届人大一次会议",
    "number": "1024",
    "proposers": [{"name": "李谨", "role": "代表"}],
    "co_handlers": ["市发展改革委", "市经济信息委", "两江新区管委会"],
}


def lines(folder: Path, resource: str) -> list[bytes]:
    with gzip.open(folder / f"{resource}.ndjson.gz", "rb") as file:
        return file.read().splitlines()


@pytest.fixture(scope="module")
def dumped(seeded_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("dump") / "out"
    return out, write_dump(seeded_engine, out)


def test_a_dump_of_the_seeds_counts_what_the_lists_total(
    client: TestClient, seeded_engine: Engine, dumped: tuple[Path, dict[str, Any]]
) -> None:
    out, manifest = dumped
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["manifest.json", *(f"{r}.ndjson.gz" for r in RESOURCE_NAMES)]
    )
    assert orjson.loads((out / "manifest.json").read_bytes()) == manifest
    assert manifest["format_version"] == 1
    assert manifest["data_version"] == current_data_version(seeded_engine)
    assert manifest["created_at"].endswith("Z")
    assert list(manifest["resources"]) == list(RESOURCE_NAMES)
    counts = {name: file["records"] for name, file in manifest["resources"].items()}
    assert counts == {
        name: client.get(f"/{name}", params={"total": "true", "limit": 1}).json()["total"] for name in RESOURCE_NAMES
    }
    assert counts["documents"] == 5 and counts["proposals"] == 4
    for name, file in manifest["resources"].items():
        raw = (out / file["file"]).read_bytes()
        assert (len(raw), hashlib.sha256(raw).hexdigest()) == (file["bytes"], file["sha256"]), name
        assert len(lines(out, name)) == file["records"], name


def test_each_line_is_the_lists_ndjson_export_line(client: TestClient, dumped: tuple[Path, dict[str, Any]]) -> None:
    out, _manifest = dumped
    for name in ("proposals", "institutions", "people", "metrics"):
        exported = client.get(f"/{name}", params={"format": "ndjson"}).content.splitlines()
        assert lines(out, name) == exported, name
    proposals = [orjson.loads(line) for line in lines(out, "proposals")]
    (p1024,) = [p for p in proposals if p["number"] == "1024"]
    assert {key: p1024[key] for key in SEED_000_PROPOSAL} == SEED_000_PROPOSAL


def test_documents_are_the_export_lines_with_their_text(
    client: TestClient, dumped: tuple[Path, dict[str, Any]]
) -> None:
    out, _manifest = dumped
    documents = [orjson.loads(line) for line in lines(out, "documents")]
    exported = client.get("/documents", params={"format": "ndjson"}).content.splitlines()
    assert [orjson.dumps({k: v for k, v in d.items() if k != "text"}) for d in documents] == exported
    (seed_000,) = [d for d in documents if d["proposal"] and d["proposal"]["number"] == "1024"]
    assert seed_000["publisher"] == "市科技局"
    assert seed_000["text"] == client.get(f"/documents/{seed_000['id']}/text").text
    assert "李谨代表" in seed_000["text"]


def test_the_same_data_dumps_to_the_same_bytes(
    seeded_engine: Engine, dumped: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    _out, manifest = dumped
    again = write_dump(seeded_engine, tmp_path / "again")
    assert again["resources"] == manifest["resources"]


def test_a_folder_that_holds_something_is_replaced_only_when_forced(seeded_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(DumpTargetNotEmpty):
        write_dump(seeded_engine, out)
    assert (out / "notes.txt").read_text() == "mine"
    write_dump(seeded_engine, out, force=True)
    assert not (out / "notes.txt").exists()
    assert (out / "manifest.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it


def test_an_empty_folder_takes_a_dump(seeded_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    assert write_dump(seeded_engine, tmp_path / "out")["resources"]["proposals"]["records"] == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


class Crash(Exception):
    pass


@pytest.fixture
def crash_at_people(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dump fails after documents, proposals and institutions are written."""
    write_resource = app.dumps._write_resource

    def failing(connection: Any, reader: Any, resource: Any, folder: Path) -> dict[str, Any]:
        if resource.name == "people":
            raise Crash("disk full")
        return write_resource(connection, reader, resource, folder)

    monkeypatch.setattr(app.dumps, "_write_resource", failing)


@pytest.mark.usefixtures("crash_at_people")
def test_a_dump_that_fails_midway_leaves_no_dump_behind(seeded_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(Crash):
        write_dump(seeded_engine, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_a_publish_that_fails_midway_leaves_the_previous_dump_latest(
    seeded_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = publish_dump(seeded_engine, tmp_path)
    assert first is not None
    monkeypatch.setattr(app.dumps, "current_data_version", lambda _engine: first.manifest["data_version"] + 1)
    monkeypatch.setattr(app.dumps, "_write_resource", _crash)
    with pytest.raises(Crash):
        publish_dump(seeded_engine, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.path.name, LATEST])
    latest = latest_dump(tmp_path)
    assert latest is not None and latest.manifest == first.manifest


def _crash(*_args: Any) -> dict[str, Any]:
    raise Crash("disk full")


def test_the_dump_command_writes_a_dump_and_refuses_a_full_folder(seeded_engine: Engine, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": seeded_engine.url.render_as_string(hide_password=False)}
    command = [sys.executable, "-m", "app", "dump", "--out", str(tmp_path / "out")]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "proposals             4 records" in done.stdout
    assert (tmp_path / "out" / "manifest.json").exists()
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 2
    assert "--force" in again.stderr


@pytest.fixture
def dumps_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "dumps"
    monkeypatch.setenv("DUMPS_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def published(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".") and p.name != LATEST)


def test_an_ingest_that_changes_data_publishes_a_dump_and_an_unchanged_one_does_not(
    engine: Engine, dumps_dir: Path, tmp_path: Path
) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SEEDS, sources)
    seeds = sorted(find_sources([sources]), key=lambda s: s.relative)
    run_ingest(engine, seeds[:2])
    first = latest_dump(dumps_dir)
    assert first is not None
    assert first.manifest["data_version"] == current_data_version(engine)
    assert first.manifest["resources"]["documents"]["records"] == 2

    summary = run_ingest(engine, seeds[:2])  # nothing changed: the dump there holds this data
    assert summary.counts["unchanged"] == 2
    assert published(dumps_dir) == [first.path.name]

    run_ingest(engine, seeds)
    second = latest_dump(dumps_dir)
    assert second is not None and second.path != first.path
    assert second.manifest["resources"]["documents"]["records"] == 5
    assert published(dumps_dir) == sorted([first.path.name, second.path.name])

    (sources / seeds[0].relative).unlink()
    run_ingest(engine, find_sources([sources]), full=True)  # one document removed: a third dump
    third = latest_dump(dumps_dir)
    assert third is not None and third.manifest["resources"]["documents"]["records"] == 4
    assert published(dumps_dir) == sorted([second.path.name, third.path.name])  # the newest two


def test_a_dump_that_fails_after_an_ingest_is_recorded_and_the_data_stays(
    engine: Engine, dumps_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.dumps, "_write_resource", _crash)
    summary = run_ingest(engine, find_sources([SEEDS]))
    assert summary.status == "succeeded"
    assert summary.counts["added"] == 5
    assert [e["reason"] for e in summary.errors] == ["dump not written: Crash: disk full"]
    with session_scope(engine) as session:
        errors = session.execute(select(IngestRun.errors).where(IngestRun.id == summary.run_id)).scalar_one()
    assert errors == [{"path": None, "reason": "dump not written: Crash: disk full"}]
    assert latest_dump(dumps_dir) is None
    assert published(dumps_dir) == []


def test_every_file_of_a_dump_reads_one_snapshot_while_an_ingest_writes(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    before = current_data_version(engine)
    write_resource = app.dumps._write_resource

    def removing_seed_000_after_documents(connection: Any, reader: Any, resource: Any, folder: Path) -> dict[str, Any]:
        written = write_resource(connection, reader, resource, folder)
        if resource.name == "documents":  # another transaction commits while the dump reads on
            with session_scope(engine) as session:
                seed_000 = session.execute(select(Document.id).where(Document.source_path.like("000_%"))).scalar_one()
                delete_documents(session, [seed_000])
        return written

    monkeypatch.setattr(app.dumps, "_write_resource", removing_seed_000_after_documents)
    manifest = write_dump(engine, tmp_path / "out")
    assert current_data_version(engine) > before == manifest["data_version"]
    counts = {name: file["records"] for name, file in manifest["resources"].items()}
    assert (counts["documents"], counts["proposals"]) == (5, 4)
    proposals = [orjson.loads(line) for line in lines(tmp_path / "out", "proposals")]
    assert "1024" in [p["number"] for p in proposals]  # gone from the database, not from this dump
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Proposal)).scalar_one() == 3
    people = [orjson.loads(line)["name"] for line in lines(tmp_path / "out", "people")]
    assert "李谨" in people


README_DUMP_LINE = re.compile(r"^ {4}(\w+) +(\d+) records +\d+ bytes  (\S+)$")


def test_the_readme_shows_what_the_dump_command_prints_for_the_seeds(dumped: tuple[Path, dict[str, Any]]) -> None:
    _out, manifest = dumped
    shown = [
        m.groups() for line in README.read_text(encoding="utf-8").splitlines() if (m := README_DUMP_LINE.match(line))
    ]
    # Sizes and sha256s are those of one zlib build; the records are the seeds'.
    assert shown == [(name, str(file["records"]), file["file"]) for name, file in manifest["resources"].items()]


def test_a_dump_runs_one_statement_per_resource_however_many_batches(
    seeded_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.dumps, "BATCH", 2)  # 76 institutions: 38 batches
    statements: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append(statement)

    event.listen(seeded_engine, "before_cursor_execute", record)
    try:
        manifest = write_dump(seeded_engine, tmp_path / "out")
    finally:
        event.remove(seeded_engine, "before_cursor_execute", record)
    assert manifest["resources"]["institutions"]["records"] == 76
    assert len(statements) == 1 + len(RESOURCE_NAMES), statements  # the data version, then one per file


def test_an_upload_publishes_no_dump_and_the_next_ingest_does(engine: Engine, dumps_dir: Path, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SEEDS, sources)
    run_ingest(engine, find_sources([sources]), full=True)
    first = latest_dump(dumps_dir)
    assert first is not None
    stored = store_upload(engine, admin_settings(sources), "new.txt", NEW_LETTER.read_bytes())
    assert stored.outcome == "added"
    assert latest_dump(dumps_dir) == first
    summary = run_ingest(engine, find_sources([sources]), full=True)
    assert summary.counts["unchanged"] == 6  # the upload is in the folder, and in the database already
    second = latest_dump(dumps_dir)
    assert second is not None and second.manifest["resources"]["documents"]["records"] == 6
